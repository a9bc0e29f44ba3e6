"""Sharing in a real browser, against `urge serve` with the campaign as `urge load` left it:
the link preview's picture is reachable on the site's own origin, and the share step copies
the campaign's link (with the co-host's code) and opens a platform with ready text."""

from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Browser

from tests.browser.test_act_in_browser import stand_in


def test_the_preview_picture_and_the_share_step_work_from_a_cohosts_link(
    browser: Browser, site: str
) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    context.route("https://x.com/**", stand_in)
    page = context.new_page()
    page.goto(site + "c/hketo/?ref=dc4hk")
    image = page.locator('meta[property="og:image"]').get_attribute("content") or ""
    assert urlsplit(image).netloc == urlsplit(site).netloc  # same origin as the page
    picture = page.request.get(image)
    assert picture.status == 200
    assert picture.headers["content-type"] == "image/png"
    assert picture.body()[:8] == b"\x89PNG\r\n\x1a\n"

    page.goto(site + "c/hketo/act/?t=S000001%2CS000002&state=WA&ref=dc4hk")
    share = page.locator("#share")
    share.get_by_role("button", name="Copy the link").click()
    assert page.evaluate("navigator.clipboard.readText()") == f"{site}c/hketo/?ref=dc4hk"
    assert share.get_by_role("button", name="Link copied").is_visible()

    with page.expect_popup() as popup:
        share.get_by_role("button", name="Share on X").click()
    popup.value.wait_for_url("https://x.com/**")
    (text,) = parse_qs(urlsplit(popup.value.url).query)["text"]
    assert text.endswith(f"Take part: {site}c/hketo/?ref=dc4hk")
    context.close()
