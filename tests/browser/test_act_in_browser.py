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
    ("prefix", "find_label", "other_prefix"),
    [("", "Find my legislators", "zh-hant/"), ("zh-hant/", "找出我的議員", "")],
)
def test_a_supporter_goes_from_zip_to_post_letter_and_call(
    browser: Browser, site: str, prefix: str, find_label: str, other_prefix: str
) -> None:
    context = browser.new_context(
        bypass_csp=True, permissions=["clipboard-read", "clipboard-write"]
    )
    for pattern in OUTSIDE:
        context.route(pattern, stand_in)
    page = context.new_page()
    sent: list[str] = []  # everything the browser asks of any server, to prove the name stays
    page.on("request", lambda request: sent.append(request.url + (request.post_data or "")))
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

    # Name and town, typed once, sign every letter and fill every call script on the page.
    page.locator("#your-name").fill("Ada Lovelace")
    page.locator("#your-town").fill("Seattle")
    page.locator("#your-town").fill("Tacoma")  # changed their mind: the letter follows

    # Copy the signed letter (the button exists only with JavaScript).
    panel.locator("details.channel").nth(1).locator(":scope > summary").click()
    panel.locator("button.copy").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Dear Senator S000001,")
    assert copied.endswith("Sincerely,\n\nAda Lovelace\nTacoma, Washington")
    assert (
        page.locator("#letter-S000002").input_value().endswith("Ada Lovelace\nTacoma, Washington")
    )
    page.locator("#your-name").fill("")  # cleared: the blank comes back
    assert page.locator("#letter-S000001").input_value().endswith("[your name]\nTacoma, Washington")
    page.locator("#your-name").fill("Ada Lovelace")

    # The call script says the town; then log a call, see the answer, and go on to the next.
    panel.locator("details.channel").nth(2).locator(":scope > summary").click()
    assert "I live in Tacoma." in panel.locator(".script").inner_text()
    panel.locator('button[value="call-reached"]').click()
    assert "done=call-reached" in page.url
    assert page.locator("#target-S000001 .answer__note").is_visible()
    page.locator("#target-S000001 .outcome-note a").click()
    assert page.url.endswith("#target-S000002")
    assert page.locator("#target-S000002 .script").is_visible()  # its call section is open
    assert not [line for line in sent if "Lovelace" in line or "Tacoma" in line]

    # The same page in the other language, with the same query.
    page.locator(".language-switcher a").click()
    page.wait_for_url(f"{site}{other_prefix}c/hketo/act/?t=S000001%2CS000002&state=WA*")
    assert "done=call-reached" in page.url
    page.go_back()

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
    page.goto(site + "c/hketo/act/?t=S000001,S000002&state=WA")
    assert not page.locator("#your-name").is_visible()  # nothing to fill without the script
    bluesky = page.locator("#target-S000001 form.send").nth(1)
    with page.expect_popup() as popup:
        bluesky.locator("button").click()
    popup.value.wait_for_url("https://bsky.app/**")
    assert urlsplit(popup.value.url).netloc == "bsky.app"
    page.locator("#target-S000001 details.channel").nth(2).locator(":scope > summary").click()
    assert "I live in [your town]." in page.locator("#target-S000001 .script").inner_text()
    page.locator('#target-S000001 button[value="call-busy"]').click()
    assert "done=call-busy" in page.url
    assert "counted as an attempt" in page.locator("#target-S000001 .outcome-note").inner_text()
    page.locator("#target-S000001 .outcome-note a").click()
    assert page.url.endswith("#target-S000002")
    # The letter is there to select and copy by hand, with blanks to fill in the copy.
    letter = page.locator("#letter-S000001").input_value()
    assert letter.startswith("Dear Senator")
    assert letter.endswith("[your name]\n[your town], Washington")
    context.close()


def test_in_chinese_without_javascript_titles_states_and_the_switcher_are_there(
    browser: Browser, site: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "zh-hant/c/hketo/act/?t=S000001,S000002&state=WA")
    assert page.locator(".site-header__brand").inner_text().startswith("促請參議院表決")
    assert page.locator("#target-S000001-name").inner_text() == "參議員 Sara S000001"
    assert page.locator("#target-S000001 .member__role").inner_text().startswith("華盛頓州")
    page.locator("#target-S000001 details.channel").nth(2).locator(":scope > summary").click()
    page.locator('#target-S000001 button[value="call-skipped"]').click()
    assert "nothing is counted" not in page.locator("#target-S000001 .outcome-note").inner_text()
    assert "不作任何計算" in page.locator("#target-S000001 .outcome-note").inner_text()
    page.get_by_role("link", name="English").click()
    assert page.url.startswith(site + "c/hketo/act/?t=S000001%2CS000002&state=WA")
    assert "done=call-skipped" in page.url
    assert "nothing is counted" in page.locator("#target-S000001 .outcome-note").inner_text()
    context.close()
