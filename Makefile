# Urge: `make run` serves the example campaign, `make test` runs every check.
# Both start from a fresh clone: they create .venv and install the locked dependencies.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
URGE := $(BIN)/urge
CAMPAIGN ?= campaigns/hketo
MESSAGES := $(BIN)/urge compilemessages --ignore=.venv --ignore=node_modules --verbosity=0

.PHONY: run test check lint pytest messages wheel lock screenshots bench bench-lookup bench-cluster bench-emails bench-floor clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Runtime dependencies only.
$(VENV)/.runtime: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation --editable .
	touch $@

# Runtime plus the tools the checks and tests need.
$(VENV)/.dev: requirements-dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation --editable .
	touch $(VENV)/.runtime $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

messages:
	$(MESSAGES)

# A secret key made once for this checkout, so that the laptop server runs with DEBUG off.
var/secret-key:
	mkdir -p var
	$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	chmod 600 $@

# The key of the hashes that recognise returning supporters: its own, apart from SECRET_KEY.
var/hash-key:
	mkdir -p var
	$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	chmod 600 $@

# The local secret key, unless SECRET_KEY is already set; likewise a local hash key, encryption key
# for supporters' details, and, with no mail server named in EMAIL_HOST, emails written
# as files to var/outbox instead of being sent.
WITH_KEY = SECRET_KEY="$${SECRET_KEY:-$$(cat var/secret-key)}" \
	URGE_HASH_KEY="$${URGE_HASH_KEY:-$$(cat var/hash-key)}" \
	URGE_ENCRYPTION_KEYS="$${URGE_ENCRYPTION_KEYS:-$$(cat var/encryption-key)}" \
	URGE_EMAIL_OUTBOX="$${URGE_EMAIL_OUTBOX-$$([ -n "$${EMAIL_HOST:-}" ] || echo $(CURDIR)/var/outbox)}"

var/encryption-key: | $(VENV)/.runtime
	mkdir -p var
	DEBUG=true $(URGE) genkey > $@
	chmod 600 $@

run: $(VENV)/.runtime var/secret-key var/hash-key var/encryption-key
	$(WITH_KEY) $(MESSAGES)
	$(WITH_KEY) $(URGE) migrate --verbosity=0
	$(WITH_KEY) $(URGE) sync --commit --if-missing \
		|| echo "Legislator data is not loaded: the page will say so. Set URGE_DATA_DIR or go online, then run make run again."
	$(WITH_KEY) $(URGE) load $(CAMPAIGN)
	$(WITH_KEY) $(URGE) serve

lint: $(VENV)/.dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy urge tests

# Every migration must leave a database the release before it still runs on (docs/operations.md,
# "Upgrades"): django-migration-linter; tests/lint_settings.py says why any is let through.
check: lint
	DEBUG=true $(URGE) makemigrations --check --dry-run
	DEBUG=true $(MESSAGES)
	LOG_LEVEL=WARNING DJANGO_SETTINGS_MODULE=tests.lint_settings $(URGE) lintmigrations

pytest: $(VENV)/.dev node_modules/.installed
	$(BIN)/pytest $(PYTEST_ARGS)

test: check pytest

# The wheel an operator installs (docs/operations.md), translations compiled in by
# hatch_build.py, into dist/; offline, with hatchling from the lock.
wheel: $(VENV)/.runtime
	$(BIN)/pip wheel --quiet --no-deps --no-build-isolation --wheel-dir dist .

lock: $(VENV)/.dev
	$(BIN)/uv pip compile pyproject.toml --extra build --generate-hashes --quiet \
		--python-version 3.11 -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra build --extra dev --generate-hashes --quiet \
		--python-version 3.11 --constraint requirements.lock -o requirements-dev.lock

# The load benchmark against the real server, with nginx as the yardstick (README: "Speed"),
# then confirmation emails sent per second (bench/emails.py, also `make bench-emails`).
bench: $(VENV)/.dev
	@command -v wrk >/dev/null && command -v nginx >/dev/null \
		|| { echo "make bench needs wrk and nginx: apt-get install wrk nginx-light" >&2; exit 1; }
	$(BIN)/python bench/load.py
	$(BIN)/python bench/emails.py

# Two hosts behind nginx on PostgreSQL and Redis, one killed mid-run (README: "Running past
# one machine"). DATABASE_URL must name a PostgreSQL server; REDIS_URL defaults to local db 14.
bench-cluster: $(VENV)/.dev
	$(BIN)/python bench/cluster.py

# The floor of any answer to a form post, under Urge's middleware (not the journey).
bench-floor: $(VENV)/.dev
	$(BIN)/python bench/floor.py

# Confirmation emails sent per second by 1 and 4 queue workers, and a worker killed mid-batch.
bench-emails: $(VENV)/.dev
	$(BIN)/python bench/emails.py

# In-process lookup speed and the index's memory, on the official snapshot.
bench-lookup: $(VENV)/.dev
	$(BIN)/python bench/lookup.py

# The README's pictures of the page, taken by Chromium from the real server.
screenshots: $(VENV)/.dev
	@fc-list :lang=zh-tw | grep -q . || { echo "No Traditional Chinese font: apt-get install fonts-noto-cjk" >&2; exit 1; }
	DEBUG=true $(MESSAGES)
	DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python -m tests.browser.screenshots

clean:
	rm -rf $(VENV) node_modules var dist
