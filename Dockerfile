# syntax=docker/dockerfile:1
# Urge's image: one image for every role of deploy/compose.yaml (web, worker, scheduler,
# migrate), each choosing its command. See docs/operations.md.
#
#   docker build -t urge .
#
# The locked dependencies are installed with their hashes checked, the site is installed from
# its own wheel (translations compiled in by hatch_build.py), and the static files are
# collected into the image, so that no role migrates or collects anything when it starts.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
# msgfmt, to compile the translations into the wheel.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/urge
COPY requirements.lock /src/
RUN /opt/urge/bin/pip install --require-hashes --no-deps -r /src/requirements.lock
COPY pyproject.toml README.md hatch_build.py /src/
COPY locale /src/locale
COPY urge /src/urge
# hatchling comes from the lock: nothing unlocked is downloaded to build the wheel.
RUN /opt/urge/bin/pip wheel --no-deps --no-build-isolation --wheel-dir /wheels /src \
    && /opt/urge/bin/pip install --no-deps --no-index /wheels/urge-*.whl
# Throwaway keys: collectstatic reads the settings, which refuse to load without them. No
# database is opened (DATABASE_URL names one that is never reached).
RUN SECRET_KEY=collectstatic-only URGE_HASH_KEY=collectstatic-only-hash \
    DATABASE_URL=postgres://unused@localhost/unused URGE_VAR_DIR=/var/lib/urge \
    /opt/urge/bin/urge collectstatic --noinput --verbosity=0


FROM ${PYTHON_IMAGE}
# A Traditional Chinese font, for the link-preview pictures `urge load` draws
# (urge/sharing/preview.py); without it they would carry no Chinese title.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 urge \
    && useradd --system --uid 10001 --gid urge --home-dir /var/lib/urge --no-create-home \
       --shell /usr/sbin/nologin urge
COPY --from=build /opt/urge /opt/urge
COPY --from=build --chown=urge:urge /var/lib/urge /var/lib/urge
# The supporters' data keys: a volume shared by every container (deploy/compose.yaml). Made
# here, owned by urge and 0700, so that a new named volume starts that way.
RUN mkdir -m 0700 /var/lib/urge-keys && chown urge:urge /var/lib/urge-keys \
    && chmod 0700 /var/lib/urge
ENV PATH=/opt/urge/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    URGE_VAR_DIR=/var/lib/urge \
    URGE_KEY_DIR=/var/lib/urge-keys \
    PORT=8000
USER urge
WORKDIR /var/lib/urge
EXPOSE 8000
# The web role: granian on every interface of the container, without migrating (the migrate
# role does that once per release), collecting (done above) or running the queue worker (the
# worker role's).
CMD ["urge", "serve", "--host=0.0.0.0", "--skip-setup", "--no-queue-worker"]
