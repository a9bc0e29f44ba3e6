"""A supporter finds their senators in a real browser, with and without JavaScript."""

import re

import pytest
from playwright.sync_api import Browser


@pytest.mark.parametrize("javascript", [True, False])
def test_a_supporter_types_a_zip_and_sees_their_senators(
    browser: Browser, site: str, javascript: bool
) -> None:
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(site)
    page.locator("#find").get_by_label("ZIP code").fill(" 98104 ")
    page.get_by_role("button", name="Find my legislators").click()
    # Two senators and nothing to choose: straight to the page that writes to them.
    page.wait_for_url(re.compile(r"/c/hketo/act/\?t=S000001%2CS000002&state=WA(#find)?$"))
    names = page.locator(".target h2").all_inner_texts()
    assert names == ["Senator Sara S000001", "Senator Sara S000002"]
    assert page.locator('a[href="tel:+12022240001"]').count() >= 1
    context.close()


def test_a_zip_across_a_state_line_is_answered_after_choosing_the_state(
    browser: Browser, site: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "zh-hant/")
    page.locator("#id_zip").fill("86515")
    page.locator("form.lookup button").click()
    page.locator('input[name="state"][value="NM"]').check()
    page.locator("form.lookup button").click()
    page.wait_for_url(re.compile(r"/zh-hant/c/hketo/act/\?t=.*&state=NM(#find)?$"))
    names = " ".join(page.locator(".target h2").all_inner_texts())
    assert "Sara S000007" in names
    assert "Sara S000008" in names
    context.close()


def test_a_mistyped_zip_is_kept_with_the_error_beside_it(browser: Browser, site: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site)
    page.locator("#find").get_by_label("ZIP code").fill("9810")
    page.get_by_role("button", name="Find my legislators").click()
    field = page.locator("#find").get_by_label("ZIP code")
    assert field.input_value() == "9810"
    assert field.get_attribute("aria-invalid") == "true"
    assert "A ZIP code has 5 digits" in page.locator(".field__error").inner_text()
    context.close()
