"""A supporter finds their senators in a real browser, with and without JavaScript."""

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
    assert page.url == site + "#find"
    results = page.locator(".answer")
    assert "Your senators for Washington" in results.inner_text()
    assert page.locator(".member__name").all_inner_texts() == ["Sara S000001", "Sara S000002"]
    assert page.get_by_role("link", name="Call 202-224-0001").first.get_attribute("href") == (
        "tel:+12022240001"
    )
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
    assert page.locator(".member__name").all_inner_texts() == ["Sara S000007", "Sara S000008"]
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
