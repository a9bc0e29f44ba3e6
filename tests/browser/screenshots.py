"""Take the README's screenshots: `make screenshots` (serves the site, saves PNGs)."""

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import django
from playwright.sync_api import sync_playwright

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
django.setup()

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.browser.server import ROOT, served_site  # noqa: E402
from tests.smtp import SmtpServer  # noqa: E402

SHOTS = ROOT / "docs" / "screenshots"
VIEWS = [
    ("campaign-en-phone.png", "", {"width": 390, "height": 844}, False),
    ("campaign-zh-hant-phone.png", "zh-hant/", {"width": 390, "height": 844}, False),
    ("campaign-en-desktop.png", "", {"width": 1280, "height": 900}, False),
    ("campaign-en-full.png", "", {"width": 1280, "height": 900}, True),
    ("join-en-phone.png", "c/hketo/join/", {"width": 390, "height": 844}, False),
    ("join-zh-hant-phone.png", "zh-hant/c/hketo/join/", {"width": 390, "height": 844}, False),
]
# The answer to a ZIP lookup (the sample release of the tests: made-up legislators).
ACTION_PAGES = [("act-en-phone.png", ""), ("act-zh-hant-phone.png", "zh-hant/")]
# A ZIP across a state line is answered on a page of its own, asking which state.
LOOKUPS = [("find-en-phone.png", "", "86515"), ("find-zh-hant-phone.png", "zh-hant/", "86515")]


@contextmanager
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


def main() -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory() as var_dir,
        smtp_server() as mail,
        served_site(Path(var_dir), mail.port) as site,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, path, viewport, full_page in VIEWS:
            page = browser.new_page(viewport=viewport)  # type: ignore[arg-type]
            page.goto(site + path, wait_until="networkidle")
            page.screenshot(path=SHOTS / name, full_page=full_page)
            page.close()
            print(f"saved {SHOTS / name}")
        for name, path, zip_code in LOOKUPS:
            page = browser.new_page(viewport={"width": 390, "height": 844})
            page.goto(site + path)
            page.locator("#id_zip").fill(zip_code)
            page.locator("form.lookup button").click()
            page.locator("#find").screenshot(path=SHOTS / name)
            page.close()
            print(f"saved {SHOTS / name}")
        for name, path in ACTION_PAGES:
            page = browser.new_page(viewport={"width": 390, "height": 844})
            page.goto(site + path + "c/hketo/act/?t=S000001,S000002&state=WA")
            page.screenshot(path=SHOTS / name, full_page=True)
            page.close()
            print(f"saved {SHOTS / name}")
        browser.close()


if __name__ == "__main__":
    main()
