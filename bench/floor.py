"""How fast any answer to a form post can be here, whatever Urge's views do: not the journey.

Issue 10 asks the form posts for 0.05 of nginx serving a static page, with every answer made
by Django's middleware and views. This measures what that asks of the stack itself, on the
same machine and in one run, each row a POST of a small form like the action page's (except
nginx's, the same yardstick as `make bench`: a static page):

1. granian serving a WSGI callable that reads the body and answers a short page: the web
   server and Python, nothing else;
2. the same through Django with no middleware and one view;
3. the same view behind Urge's own MIDDLEWARE, production settings (DEBUG off, the security
   headers, CSP, locale, CSRF and the rest) and WSGI handler with its HTTP cache, as
   urge/wsgi.py builds them: the floor of any answer Urge makes to a post.

Each server runs as `urge serve` runs it (its granian arguments, URGE_WORKERS workers and
URGE_THREADS threads). Run: `make bench-floor` (wrk and nginx installed); about a minute.
"""

from __future__ import annotations

import datetime
import gzip
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.journey import DONE, Request, form_post, replay, run_wrk  # noqa: E402
from bench.load import CONNECTIONS, SECONDS, nginx, wait_for  # noqa: E402
from tests.services import free_port, production_environment  # noqa: E402

FIELDS = "target=S000001&channel=post-x&variant=ask-for-a-vote"
PAGE = "<!doctype html><title>Thank you</title><p>Counted.</p>\n"

# The three servers' code, written to a scratch folder on PYTHONPATH.
BARE = f"""
def application(environ, start_response):
    size = int(environ.get("CONTENT_LENGTH") or 0)
    environ["wsgi.input"].read(size)
    body = {PAGE!r}.encode()
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                              ("Content-Length", str(len(body)))])
    return [body]
"""

VIEW = f"""
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def counted(request):
    request.POST.get("target")
    return HttpResponse({PAGE!r})


urlpatterns = [path("c/floor/", counted)]
"""

DJANGO_ALONE = """
SECRET_KEY = "floor"
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "floor_view"
MIDDLEWARE = []
INSTALLED_APPS = []
DATABASES = {}
USE_I18N = False
"""

WITH_URGE = """
from urge.settings import *  # noqa: F403: Urge's production settings, all of them
ROOT_URLCONF = "floor_view"
"""

WSGI = """
import django
from django.core.wsgi import get_wsgi_application
application = get_wsgi_application()
"""

# As urge/wsgi.py builds it (its handler and HTTP cache), less the legislator index.
URGE_WSGI = """
import django
django.setup(set_prefix=False)
from urge.core.metrics import CountedHttpCache
from urge.core.unreadable import WSGIHandler
application = CountedHttpCache(WSGIHandler())
"""


@contextmanager
def granian(folder: Path, target: str, env: dict[str, str]) -> Iterator[str]:
    """`target` served with the arguments `urge serve` gives granian."""
    from django.conf import settings

    from urge.core.management.commands.serve import server_argv

    port = free_port()
    argv = server_argv("127.0.0.1", port, settings.URGE_WORKERS, settings.URGE_THREADS)
    argv[-1] = target
    process = subprocess.Popen(
        argv,
        env={**env, "PYTHONPATH": f"{folder}{os.pathsep}{ROOT}"},
        cwd=folder,
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for(base + "c/floor/", process, target)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=60)


def posts(base: str, folder: Path, name: str) -> dict[str, float]:
    request = Request("POST", "/c/floor/", form_post(base.rstrip("/"), base), FIELDS)
    return measure(name, base, folder, replay([request]))


def measure(name: str, base: str, folder: Path, script: str) -> dict[str, float]:
    path = folder / f"{len(list(folder.glob('*.lua')))}.lua"
    path.write_text(script + DONE)
    run_wrk(name, base, path, CONNECTIONS, 1)  # warm-up
    result = run_wrk(name, base, path, CONNECTIONS, SECONDS)
    if result["status_errors"] or result["socket_errors"]:
        sys.exit(f"{name}: {result['status_errors']} errors, {result['socket_errors']} failed")
    seconds = result["duration_us"] / 1e6
    return {"rate": result["requests"] / seconds, "p99": result["p99_us"] / 1000}


def main() -> None:
    for tool in ("wrk", "nginx"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is missing: apt-get install wrk nginx-light")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = production_environment(
            folder / "var",
            URGE_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
            LOG_LEVEL="WARNING",
        )
        os.environ.update(env)
        os.environ["DJANGO_SETTINGS_MODULE"] = "urge.settings"
        import django

        django.setup()
        for name, text in {
            "floor_bare.py": BARE,
            "floor_view.py": VIEW,
            "floor_alone.py": DJANGO_ALONE,
            "floor_urge.py": WITH_URGE,
            "floor_wsgi.py": WSGI,
            "floor_urge_wsgi.py": URGE_WSGI,
        }.items():
            (folder / name).write_text(text)
        page = (ROOT / "README.md").read_bytes()[:12_000]  # a page-sized static file
        rows: list[tuple[str, dict[str, float]]] = []
        with (
            tempfile.TemporaryDirectory() as static,
            nginx(Path(static), page, gzip.compress(page)) as base,
        ):
            get = Request("GET", "/", {"Accept-Encoding": "gzip"})
            rows.append(
                (
                    "nginx: a static page, GET (the yardstick)",
                    measure("nginx", base, folder, replay([get])),
                )
            )
        with granian(folder, "floor_bare:application", env) as base:
            rows.append(("granian + a bare WSGI function, POST", posts(base, folder, "bare")))
        alone = {**env, "DJANGO_SETTINGS_MODULE": "floor_alone"}
        with granian(folder, "floor_wsgi:application", alone) as base:
            rows.append(("Django, no middleware, one view, POST", posts(base, folder, "alone")))
        urge = {**env, "DJANGO_SETTINGS_MODULE": "floor_urge"}
        with granian(folder, "floor_urge_wsgi:application", urge) as base:
            rows.append(
                (
                    "Django with Urge's middleware and settings, one view, POST",
                    posts(base, folder, "urge"),
                )
            )
    text = table(rows)
    print(text)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    name = f"{datetime.date.today()}-{os.cpu_count()}cores-floor.md"
    (out / name).write_text(text + "\n")
    print(f"\nwritten to bench/results/{name}")


def table(rows: list[tuple[str, dict[str, float]]]) -> str:
    ceiling = rows[0][1]["rate"]
    lines = [
        f"The floor of a form post, {datetime.date.today()}, {os.cpu_count()} cores, "
        f"{SECONDS} s per run, {CONNECTIONS} connections, wrk on the same machine "
        "(not the journey: no Urge view runs)",
        "",
        "| server | requests/s | p99 ms | x nginx |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, row in rows:
        lines.append(
            f"| {name} | {row['rate']:,.0f} | {row['p99']:.1f} | {row['rate'] / ceiling:.3f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
