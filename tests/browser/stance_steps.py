"""What an organiser does in a browser to record a stance: sign in with both factors, then fill
the stance form. Shared by the scoreboard's browser test and `make screenshots`."""

import time

from playwright.sync_api import Page

from tests.browser.server import ORGANISER, ORGANISER_TOTP_KEY
from tests.people import code_for_key

TOTP_STEP = 30  # seconds a code lasts


def sign_in_to_the_dashboard(page: Page, site: str, path: str = "manage/signin/") -> None:
    """Both factors, starting from `path` (a dashboard page sends to the sign-in and back).
    A code works once: if another test on the same served site used this one, wait for the
    authenticator's next code, as a person would."""
    username, password = ORGANISER
    page.goto(site + path)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    for _attempt in range(2):
        page.get_by_label("Code", exact=True).fill(code_for_key(ORGANISER_TOTP_KEY))
        page.get_by_role("button", name="Verify").click()
        if "/verify/" not in page.url:
            return
        # Playwright's own wait: a time.sleep would stop its event loop meanwhile.
        page.wait_for_timeout((TOTP_STEP - time.time() % TOTP_STEP + 1) * 1000)
    raise AssertionError("the organiser's code was refused twice")


def record_stance(
    page: Page, site: str, bioguide: str, stance: str, source: str, date: str
) -> None:
    page.goto(f"{site}manage/c/hketo/stances/{bioguide}/")
    page.get_by_label("Stance").select_option(stance)
    page.get_by_label("Source").fill(source)
    page.get_by_label("As of").fill(date)
    page.get_by_role("button", name="Save the stance").click()
    assert "?saved=" in page.url, page.url
