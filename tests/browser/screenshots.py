"""Take the README's screenshots: `make screenshots` (serves the site, saves PNGs)."""

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import django
from playwright.sync_api import Browser, sync_playwright

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
django.setup()

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.browser.server import (  # noqa: E402
    EMBED_ORIGIN,
    ROOT,
    cohost_website,
    served_site_and_environment,
)
from tests.browser.stance_steps import record_stance, sign_in_to_the_dashboard  # noqa: E402
from tests.browser.test_embed_in_browser import fitted, host_page  # noqa: E402
from tests.browser.test_results_in_browser import RESULTS, into_last_week  # noqa: E402
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
# The organiser's results page, after some actions (target, state's senators, channel).
RESULTS_PAGES = [("results-en-desktop.png", ""), ("results-zh-hant-desktop.png", "zh-hant/")]
SOME_ACTIONS = [
    *[("S000001", "post-x", "ask-for-a-vote")] * 9,
    *[("S000002", "email-form", "letter")] * 6,
    *[("S000005", "call-reached", "ask-for-a-vote")] * 4,
    *[("S000009", "post-bluesky", "privileges")] * 7,
    *[("S000011", "call-voicemail", "ask-for-a-vote")] * 3,
    *[("S000003", "email-copy", "letter")] * 2,
    ("S000007", "post-x", "privileges"),
]
# The scoreboard, after an organiser records a few stances in the dashboard (made-up sources).
SCOREBOARDS = [
    ("scoreboard-en-desktop.png", "c/hketo/scoreboard/", {"width": 1280, "height": 900}),
    (
        "scoreboard-zh-hant-phone.png",
        "zh-hant/c/hketo/scoreboard/?state=WA",
        {"width": 390, "height": 844},
    ),
]
STANCES = [
    ("S000001", "cosponsor", "2025-05-12"),
    ("S000005", "supports-vote", "2025-06-03"),
    ("S000004", "opposes", "2025-04-28"),
    ("S000009", "undecided", "2025-06-10"),
]


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
        served_site_and_environment(Path(var_dir), mail.port) as (site, env),
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
        results_shots(browser, site, env)
        scoreboard_shots(browser, site)
        embed_shots(browser, site)
        browser.close()


def results_shots(browser: Browser, site: str, env: dict[str, str]) -> None:
    """Actions sent as the action page's forms send them, moved into the last week ended (the
    results page counts whole weeks), then the organiser's view of them."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    for target, channel, variant in SOME_ACTIONS:
        form: dict[str, str | float | bool] = {
            "channel": channel,
            "target": target,
            "variant": variant,
            "text": "Please.",
        }
        page.request.post(site + "c/hketo/act/go/", form=form, max_redirects=0)
    into_last_week(env)
    sign_in_to_the_dashboard(page, site, RESULTS)
    for name, prefix in RESULTS_PAGES:
        page.goto(site + prefix + RESULTS)
        page.screenshot(path=SHOTS / name, full_page=True)
        print(f"saved {SHOTS / name}")
    page.close()


def scoreboard_shots(browser: Browser, site: str) -> None:
    """Stances recorded as an organiser records them, then the public scoreboard."""
    page = browser.new_page()
    sign_in_to_the_dashboard(page, site)
    for bioguide, stance, date in STANCES:
        source = f"https://www.congress.gov/member/{bioguide.lower()}"
        record_stance(page, site, bioguide, stance, source, date)
    page.close()
    for name, path, viewport in SCOREBOARDS:
        page = browser.new_page(viewport=viewport)  # type: ignore[arg-type]
        page.goto(site + path, wait_until="networkidle")
        page.screenshot(path=SHOTS / name, full_page=True)
        page.close()
        print(f"saved {SHOTS / name}")


def embed_shots(browser: Browser, site: str) -> None:
    """A co-host's page on another origin, with the action in a frame, as its visitors see it
    (contexts are closed, never pages: closing a page can hang)."""
    with cohost_website({"/": host_page(site)}):
        context = browser.new_context(viewport={"width": 1000, "height": 900})
        page = context.new_page()
        page.goto(EMBED_ORIGIN + "/", wait_until="networkidle")
        fitted(page)
        page.screenshot(path=SHOTS / "embed-en.png", full_page=True)
        context.close()
        print(f"saved {SHOTS / 'embed-en.png'}")


if __name__ == "__main__":
    main()
