"""Signing up in a real browser, in both languages, through to the confirmation email's page."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.server import MIN_FILL_SECONDS
from tests.browser.test_campaign_page_in_browser import AXE
from tests.smtp import SmtpServer

CONFIRMED_ZH = "你的登記已確認"


def axe_violations(page: Page) -> list[Any]:
    page.add_script_tag(path=str(AXE))
    found: list[Any] = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))"
    )
    return found


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2, ensure_ascii=False)


def confirm_link(mail: SmtpServer, address: str) -> str:
    """The confirm link of the email the queue worker sent to `address` (waits up to 30 s)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for message, recipients in zip(mail.messages, mail.recipients, strict=True):
            if address in recipients:
                body = message.get_body(preferencelist=("plain",))
                assert body is not None
                found = re.search(r"https?://\S+/confirm/\S+/", body.get_content())
                assert found is not None
                return found[0]
        time.sleep(0.3)
    pytest.fail(f"No confirmation email reached {address} within 30 s")


@pytest.mark.parametrize(
    ("prefix", "labels", "confirmed"),
    [
        (
            "",
            ("First name", "Last name", "Email address", "ZIP code", "Sign up", "Confirm"),
            "You are confirmed",
        ),
        ("zh-hant/", ("名字", "姓氏", "電郵地址", "郵區編號", "登記", "確認"), CONFIRMED_ZH),
    ],
)
def test_a_supporter_signs_up_and_confirms(
    browser: Browser,
    site: str,
    mail: SmtpServer,
    prefix: str,
    labels: tuple[str, ...],
    confirmed: str,
) -> None:
    first, last, email_label, zip_label, sign_up, confirm = labels
    address = f"browser-{prefix.strip('/') or 'en'}@example.org"
    context = browser.new_context(
        bypass_csp=True
    )  # axe is injected; the page's CSP is tested elsewhere
    page = context.new_page()
    page.goto(site + prefix + "#join")
    page.locator("#join a.button").click()  # the campaign page leads to the form
    join = page.locator("form.join")
    join.get_by_label(first, exact=True).fill("Mei")
    join.get_by_label(last, exact=True).fill("Wong")
    join.get_by_label(email_label).fill("not-an-address")
    join.get_by_label(zip_label).fill("98104")
    join.locator('input[name="cohost_hkdc"]').check()
    page.wait_for_timeout(MIN_FILL_SECONDS * 1000 + 200)
    join.get_by_role("button", name=sign_up, exact=True).click()

    # The mistake is explained beside the field, and everything typed is still there.
    assert "/join/" in page.url
    expect(page.locator("#id_email-error")).to_be_visible()
    assert page.locator("#id_first_name").input_value() == "Mei"
    assert page.locator("#id_cohost_hkdc").is_checked()
    assert_accessible(page)

    page.locator("#id_email").fill(address)
    page.wait_for_timeout(MIN_FILL_SECONDS * 1000 + 200)
    page.get_by_role("button", name=sign_up, exact=True).click()
    assert page.url.endswith("/join/thanks/")
    assert_accessible(page)

    link = confirm_link(mail, address)
    page.goto(link)
    assert_accessible(page)
    page.get_by_role("button", name=re.compile(confirm)).click()
    expect(page.locator("h1")).to_have_text(confirmed)
    assert_accessible(page)
    context.close()


def test_signing_up_works_without_javascript(browser: Browser, site: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "?ref=spring-mailing")
    page.locator("#join a.button").click()
    assert page.url.endswith("/c/hketo/join/?ref=spring-mailing")
    page.locator("#id_first_name").fill("Kit")
    page.locator("#id_last_name").fill("Lau")
    page.locator("#id_email").fill("no-script@example.org")
    page.locator("#id_zip_code").fill("98104")
    page.wait_for_timeout(MIN_FILL_SECONDS * 1000 + 200)
    page.locator("form.join button[type=submit]").click()
    assert page.url.endswith("/join/thanks/")
    context.close()
