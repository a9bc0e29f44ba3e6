"""An organiser signs in with a password and a code, then edits the campaign in the admin, in
a real browser, and finds the change in the audit log."""

import time

from playwright.sync_api import Page, expect

from tests.browser.server import ORGANISER, ORGANISER_TOTP_KEY
from tests.people import code_for_key


def test_an_organiser_signs_in_and_edits_the_bill_status(page: Page, site: str) -> None:
    username, password = ORGANISER
    page.goto(site + "admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code", exact=True).fill(code_for_key(ORGANISER_TOTP_KEY))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()

    page.goto(site + "admin/campaigns/campaign/")
    page.get_by_role("link", name="hketo").click()
    status = page.locator("#id_texts-0-bill_status")
    status.fill("Waiting for a Senate vote (edited in the admin).")
    page.get_by_role("button", name="Save", exact=True).click()
    assert "was changed successfully" in page.locator(".messagelist").inner_text()

    # The change is in the audit log, which the organiser reads in the dashboard.
    page.goto(site + "manage/c/hketo/audit/")
    row = page.get_by_role("row").filter(has_text="changed in the admin")
    expect(row).to_contain_text("organiser")
    expect(row).to_contain_text("campaign #")

    # Caches may keep the page for URGE_PAGE_CACHE_SECONDS (10 s): each worker's HTTP cache,
    # and then the browser's own, which counts from the Age the worker's cache gave it.
    deadline = time.monotonic() + 25
    while True:
        page.goto(site)
        status_text = page.locator(".status").inner_text()
        if "(edited in the admin)" in status_text or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert "Waiting for a Senate vote (edited in the admin)." in status_text
