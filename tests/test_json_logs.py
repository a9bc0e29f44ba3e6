"""URGE_LOG_FORMAT=json: every log line is one JSON object with a fixed set of fields, and none
of them carries a supporter's details, an IP address or the token of an emailed link."""

from __future__ import annotations

import io
import json
import logging
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client

from tests import smtp
from tests.services import ROOT, production_environment
from tests.smtp import SmtpServer
from tests.supporters import run_worker
from urge.campaigns.models import Campaign
from urge.core.logs import HideTokens, JsonLines
from urge.supporters import bots

# The worker closes its database connection after each task, as in production: that needs
# committed data, not the rolled-back transaction of an ordinary test.
pytestmark = pytest.mark.django_db(transaction=True)
smtp_server = smtp.smtp_server  # the fixture, where pytest looks for it

FIELDS = {"time", "level", "logger", "message", "route", "method", "status", "exc_info"}
PERSON = {
    "first_name": "Wing Yan",
    "last_name": "Tsang",
    "email": "wing.yan.tsang@example.org",
    "zip_code": "98104",
    "phone": "206-555-0199",
    "cohost_dc4hk": "on",
}
REFUSED = "refused.person@example.org"
CONFIRM_LINK = re.compile(r"^https?://\S+/confirm/\S+$", re.MULTILINE)


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """What the console handler of settings.LOGGING writes with URGE_LOG_FORMAT=json."""
    written = io.StringIO()
    handler = logging.StreamHandler(written)
    handler.setFormatter(JsonLines())
    handler.addFilter(HideTokens())
    root, server = logging.getLogger(), logging.getLogger("django.server")
    level = root.level
    root.setLevel(logging.INFO)
    for logger in (root, server):  # runserver's lines do not go up to the root
        logger.addHandler(handler)
    yield written
    for logger in (root, server):
        logger.removeHandler(handler)
    root.setLevel(level)


def records(written: io.StringIO) -> list[dict[str, Any]]:
    lines = written.getvalue().splitlines()
    assert lines
    return [json.loads(line) for line in lines]


def sign_up_on_the_form(client: Client, **changes: str) -> None:
    form = {**PERSON, "stamp": bots.new_stamp(), "website": "", **changes}
    assert client.post("/c/hketo/join/", form).status_code == 303


def test_a_sign_up_its_emails_and_its_links_log_json_without_personal_data(
    smtp_server: SmtpServer, hketo: Campaign, json_log: io.StringIO, settings: Any
) -> None:
    settings.URGE_SIGNUP_MIN_SECONDS = 0
    client = Client(REMOTE_ADDR="203.0.113.77")
    sign_up_on_the_form(client)
    smtp_server.refused.add(REFUSED)
    sign_up_on_the_form(client, email=REFUSED)
    run_worker(verbosity=2)
    (message,) = smtp_server.wait_for(1)
    body = message.get_body(("plain",))
    assert body is not None
    text = str(body.get_content()).replace("\r\n", "\n")
    confirm = urlsplit(CONFIRM_LINK.findall(text)[0]).path
    assert client.put(confirm).status_code == 405
    assert client.get(confirm + "extra/").status_code == 404

    logged = records(json_log)
    for record in logged:
        assert {"time", "level", "logger", "message"} <= record.keys() <= FIELDS, record
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", record["time"])
    text = json_log.getvalue()
    token = confirm.rstrip("/").rsplit("/", 1)[1]
    for secret in [*PERSON.values(), REFUSED, token, "203.0.113.77", "127.0.0.1"]:
        if secret != "on":
            assert secret not in text
    assert re.search(r"[\w.+-]+@[\w-]+\.\w+", text) is None  # no address of any kind
    assert any(record["logger"] == "django_tasks_db" for record in logged)
    refused = [record for record in logged if record["message"].startswith("Method Not")]
    assert refused == [
        {
            "time": refused[0]["time"],
            "level": "WARNING",
            "logger": "django.request",
            "message": "Method Not Allowed (PUT): /c/hketo/confirm/<token>/",
            "route": "urge-confirm",
            "method": "PUT",
            "status": 405,
        }
    ]


def test_what_runserver_passes_as_the_request_leaves_no_address(json_log: io.StringIO) -> None:
    with socket.socket() as client_socket:  # its text names the addresses at both ends
        client_socket.bind(("127.0.0.1", 0))
        logging.getLogger("django.server").info(
            '"%s" %s %s',
            "GET /c/hketo/ HTTP/1.1",
            200,
            1234,
            extra={"request": client_socket, "status_code": 200, "server_time": "now"},
        )
    (record,) = records(json_log)
    assert record["message"] == '"GET /c/hketo/ HTTP/1.1" 200 1234'
    assert record["status"] == 200
    assert "route" not in record
    assert "127.0.0.1" not in json_log.getvalue()


def test_a_traceback_is_kept_with_its_tokens_cut(json_log: io.StringIO) -> None:
    path = f"/c/hketo/erase/12345:1kZ9xq:{'s' * 27}/"
    try:
        raise LookupError(f"nothing at {path}")
    except LookupError:
        logging.getLogger("urge.tests").exception("Failed on %s", path)
    (record,) = records(json_log)
    assert record["message"] == "Failed on /c/hketo/erase/<token>/"
    assert record["exc_info"].startswith("Traceback")
    assert "LookupError: nothing at /c/hketo/erase/<token>/" in record["exc_info"]
    assert "1kZ9xq" not in json_log.getvalue()


def urge(tmp_path: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "urge.cli", *args],
        env=production_environment(tmp_path, **settings),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_setting_turns_every_handler_to_json_and_refuses_other_words(
    tmp_path: Path,
) -> None:
    said = urge(
        tmp_path,
        "shell",
        "--no-imports",
        "--command",
        "import logging; logging.getLogger('urge.tests').warning('one %s', 'line')",
        URGE_LOG_FORMAT="JSON",
    )
    assert said.returncode == 0, said.stderr
    (line,) = said.stderr.splitlines()
    assert json.loads(line).items() >= {"logger": "urge.tests", "message": "one line"}.items()
    text = urge(
        tmp_path,
        "shell",
        "--no-imports",
        "--command",
        "import logging; logging.getLogger('urge.tests').warning('one %s', 'line')",
    )
    assert text.stderr == "one line\n"
    wrong = urge(tmp_path, "check", URGE_LOG_FORMAT="yaml")
    assert wrong.returncode != 0
    assert "URGE_LOG_FORMAT='yaml' is not one of: text, json" in wrong.stderr
