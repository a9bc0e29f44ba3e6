"""Every sign-up the page acknowledges is stored: thousands of them through `urge serve` with
production settings (group commit, the page cache, two worker processes), reconciled one by
one with the rows in the database afterwards.

Each visitor does what a browser does: opens the form, waits longer than a person's minimum
fill time, and posts it with an address of their own. "Acknowledged" means the answer was the
303 to the thank-you page; every other answer must have stored nothing.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from tests.browser.server import MIN_FILL_SECONDS, served_site_and_environment
from tests.services import run_urge
from tests.smtp import SmtpServer

SIGN_UPS = int(os.environ.get("URGE_TEST_SIGN_UPS", "2000"))
VISITORS = 24  # concurrent connections, more than the server's threads per worker
JOIN = "/c/hketo/join/"
THANKS = "/c/hketo/join/thanks/"
INPUT = re.compile(r"<input\b[^>]*>")
ATTRIBUTE = re.compile(r'(\w[\w-]*)="([^"]*)"')


@dataclass(frozen=True)
class Site:
    base_url: str
    environment: dict[str, str]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    mail = SmtpServer()
    mail.start()
    try:
        with served_site_and_environment(
            tmp_path_factory.mktemp("served"),
            mail.port,
            # One loopback address stands for thousands of people here.
            URGE_RATE_SIGNUP=f"{SIGN_UPS * 2}/3600",
        ) as (base_url, environment):
            yield Site(base_url, environment)
    finally:
        mail.stop()


class Visitor:
    """One browser: a kept-alive connection, used by one thread at a time."""

    def __init__(self, base_url: str) -> None:
        self.netloc = urlsplit(base_url).netloc
        self.connection = http.client.HTTPConnection(self.netloc, timeout=120)

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str, str]:
        headers = {"Sec-Fetch-Site": "same-origin", "Accept": "text/html"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://{self.netloc}"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode()
        return response.status, response.getheader("Location") or "", text


def form_fields(page: str) -> dict[str, str]:
    """The hidden fields of the sign-up form, as a browser would send them back."""
    fields: dict[str, str] = {}
    for tag in INPUT.findall(page):
        attributes = dict(ATTRIBUTE.findall(tag))
        if attributes.get("type") == "hidden" and "name" in attributes:
            fields[attributes["name"]] = attributes.get("value", "")
    return fields


def sign_ups(site: Site, emails: list[str]) -> dict[str, int]:
    """Open a form per email, wait as a person would, then post them all; each answer's status
    (303 to the thanks page counted as "acknowledged") by email."""
    local = threading.local()

    def visitor() -> Visitor:
        if not hasattr(local, "visitor"):
            local.visitor = Visitor(site.base_url)
        found: Visitor = local.visitor
        return found

    def open_form(email: str) -> dict[str, str]:
        status, _, page = visitor().request("GET", JOIN)
        assert status == 200
        return form_fields(page)

    def post(email: str, hidden: dict[str, str]) -> int:
        fields = {
            **hidden,
            "first_name": "Test",
            "last_name": "Person",
            "email": email,
            "zip_code": "98101",
            "website": "",
        }
        status, location, _ = visitor().request("POST", JOIN, urlencode(fields))
        return 200 if status == 303 and urlsplit(location).path == THANKS else status

    with ThreadPoolExecutor(VISITORS) as pool:
        forms = list(pool.map(open_form, emails))
        time.sleep(MIN_FILL_SECONDS + 0.5)
        statuses = list(pool.map(post, emails, forms))
    return dict(zip(emails, statuses, strict=True))


STORED = """
import json
from urge.core.hashing import email_hash
from urge.supporters.models import Supporter
emails = json.load(open({path!r}))
stored = set(Supporter.objects.values_list("email_hash", flat=True))
print(json.dumps([email for email in emails if email_hash(email) in stored]))
"""


def stored_among(site: Site, emails: list[str], folder: Path) -> set[str]:
    """Which of `emails` have a supporter row, asked of the served site's own database."""
    listing = folder / "emails.json"
    listing.write_text(json.dumps(emails))
    output = run_urge(
        site.environment, "shell", "--no-imports", "--command", STORED.format(path=str(listing))
    )
    found: list[str] = json.loads(output.strip().splitlines()[-1])
    return set(found)


def test_every_acknowledged_sign_up_is_stored_and_no_other(site: Site, tmp_path: Path) -> None:
    run = secrets.token_hex(4)
    emails = [f"reconcile-{run}-{number}@example.org" for number in range(SIGN_UPS)]

    started = time.monotonic()
    answers = sign_ups(site, emails)
    seconds = time.monotonic() - started

    acknowledged = {email for email, status in answers.items() if status == 200}
    stored = stored_among(site, emails, tmp_path)
    print(
        f"sign-ups: {len(emails)} posted, {len(acknowledged)} acknowledged, {len(stored)} stored;"
        f" answers {dict(Counter(answers.values()))}, {seconds:.1f} s"
    )
    assert acknowledged - stored == set(), "acknowledged but not stored"
    assert stored - acknowledged == set(), "stored although the page did not say so"
    # At this load nothing should have failed at all.
    assert len(acknowledged) == len(emails)
