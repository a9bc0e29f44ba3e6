"""Take the README's screenshots: `make screenshots` (serves the site, saves PNGs)."""

import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.server import ROOT, served_site

SHOTS = ROOT / "docs" / "screenshots"
VIEWS = [
    ("campaign-en-phone.png", "", {"width": 390, "height": 844}, False),
    ("campaign-zh-hant-phone.png", "zh-hant/", {"width": 390, "height": 844}, False),
    ("campaign-en-desktop.png", "", {"width": 1280, "height": 900}, False),
    ("campaign-en-full.png", "", {"width": 1280, "height": 900}, True),
]


def main() -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory() as var_dir,
        served_site(Path(var_dir)) as site,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, path, viewport, full_page in VIEWS:
            page = browser.new_page(viewport=viewport)  # type: ignore[arg-type]
            page.goto(site + path, wait_until="networkidle")
            page.screenshot(path=SHOTS / name, full_page=full_page)
            page.close()
            print(f"saved {SHOTS / name}")
        browser.close()


if __name__ == "__main__":
    main()
