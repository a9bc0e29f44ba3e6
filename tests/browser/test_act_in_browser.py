"""From ZIP code to posting, copying a letter and logging a call, in a real browser."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Route

from tests.browser.test_campaign_page_in_browser import AXE

OUTSIDE = ("https://x.com/**", "https://bsky.app/**", "https://s000001.example.gov/**")


def stand_in(route: Route) -> None:
    """The platforms are not reachable here: answer for them, having seen where we went."""
    route.fulfill(status=200, content_type="text/html", body="<title>elsewhere</title>")


@pytest.mark.parametrize(
    ("prefix", "find_label", "post_label"),
    [("", "Find my legislators", "Post on X"), ("zh-hant/", "找出我的議員", None)],
)
def test_a_supporter_goes_from_zip_to_post_letter_and_call(
    browser: Browser, site: str, prefix: str, find_label: str, post_label: str | None
) -> None:
    context = browser.new_context(
        bypass_csp=True, permissions=["clipboard-read", "clipboard-write"]
    )
    for pattern in OUTSIDE:
        context.route(pattern, stand_in)
    page = context.new_page()
    page.goto(site + prefix)
    page.locator("#id_zip").fill("98104")
    page.get_by_role("button", name=find_label).click()
    page.wait_for_url("**/c/hketo/act/?*")  # two senators: straight to writing to them
    assert page.locator(".target").count() == 2

    # Post on X: the edited text goes to X in a new tab.
    panel = page.locator("#target-S000001")
    post = panel.locator("#post-x-S000001")
    post.fill(".@SenatorAra Please back a Senate vote. 香港")
    with page.expect_popup() as popup:
        panel.locator("form.send").first.locator("button").click()
    popup.value.wait_for_url("https://x.com/**")
    opened = urlsplit(popup.value.url)
    assert opened.netloc == "x.com"
    assert parse_qs(opened.query)["text"] == [".@SenatorAra Please back a Senate vote. 香港"]

    # Copy the letter (the button exists only with JavaScript).
    panel.locator("details.channel").nth(1).locator(":scope > summary").click()
    panel.locator("button.copy").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Dear Senator S000001,")

    # Log a call, then see the thanks.
    panel.locator("details.channel").nth(2).locator(":scope > summary").click()
    panel.locator('button[value="call-reached"]').click()
    assert "done=call-reached" in page.url
    assert page.locator("#target-S000001 .answer__note").is_visible()

    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' '))}))"
    )
    context.close()
    assert violations == [], json.dumps(violations, indent=2)


def test_without_javascript_posting_and_logging_a_call_still_work(
    browser: Browser, site: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    context.route("https://bsky.app/**", stand_in)
    page = context.new_page()
    page.goto(site + "c/hketo/act/?t=S000001&state=WA")
    bluesky = page.locator("#target-S000001 form.send").nth(1)
    with page.expect_popup() as popup:
        bluesky.locator("button").click()
    popup.value.wait_for_url("https://bsky.app/**")
    assert urlsplit(popup.value.url).netloc == "bsky.app"
    page.locator("#target-S000001 details.channel").nth(2).locator(":scope > summary").click()
    page.locator('#target-S000001 button[value="call-voicemail"]').click()
    assert "done=call-voicemail" in page.url
    # The letter is there to select and copy by hand.
    assert page.locator("#letter-S000001").input_value().startswith("Dear Senator")
    context.close()
