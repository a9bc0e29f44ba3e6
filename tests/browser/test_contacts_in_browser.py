"""An organiser fills a gap in a senator's contact details in a real browser without
JavaScript, in both languages; the pages are accessible and valid HTML."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext

from tests.browser.checks import assert_valid_html
from tests.browser.stance_steps import sign_in_to_the_dashboard
from tests.browser.test_join_in_browser import assert_accessible

ROOT = Path(__file__).resolve().parent.parent.parent
CONTACTS = "manage/contacts/"
EDIT = "manage/contacts/S000004/"


@pytest.fixture(scope="module")
def signed_in(browser: Browser, site: str) -> Iterator[BrowserContext]:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in_to_the_dashboard(page, site, CONTACTS)
    yield context
    context.close()


def test_an_organiser_adds_a_missing_handle_without_javascript(
    signed_in: BrowserContext, site: str
) -> None:
    page = signed_in.new_page()
    page.goto(site + CONTACTS + "?gaps=1")
    row = page.locator("#contact-S000004")
    assert "missing" in row.inner_text()
    row.get_by_role("link", name="Edit the details of Sara S000004").click()
    x = page.locator("fieldset", has=page.locator("legend", has_text="X handle"))
    x.get_by_label("Value").fill("Sara Four")  # a space: not a handle
    x.get_by_label("Source").fill("https://x.com/SaraFour")
    page.get_by_role("button", name="Save the details").click()
    assert "An X handle is 1 to 15 letters" in page.locator("#x-value-error").inner_text()
    x.get_by_label("Value").fill("@SaraFour")
    page.get_by_role("button", name="Save the details").click()
    assert "?saved=S000004" in page.url
    assert "@SaraFour" in page.locator("#contact-S000004").inner_text()


@pytest.mark.parametrize("prefix", ["", "zh-hant/"])
@pytest.mark.parametrize("path", [CONTACTS, EDIT])
def test_the_contact_pages_have_no_accessibility_violations(
    browser: Browser, signed_in: BrowserContext, site: str, prefix: str, path: str
) -> None:
    context = browser.new_context(storage_state=signed_in.storage_state(), bypass_csp=True)
    page = context.new_page()
    page.goto(site + prefix + path)
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    context.close()


def test_the_contact_pages_are_valid_html(
    signed_in: BrowserContext, site: str, tmp_path: Path
) -> None:
    files = []
    for number, path in enumerate((CONTACTS, EDIT, "zh-hant/" + CONTACTS)):
        # As the server sent it (with the session's cookies), not as Chromium re-serialises it.
        response = signed_in.request.get(site + path)
        assert response.status == 200
        saved = tmp_path / f"contacts-{number}.html"
        saved.write_text(response.text(), encoding="utf-8")
        files.append(str(saved))
    assert_valid_html(files)
