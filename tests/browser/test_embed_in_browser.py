"""A co-host's own website shows the action in a frame: a visitor finds their senators, posts
and logs a call without leaving it, and the frame asks nothing of any server but Urge's,
sets no cookie and tells the page around it only its height. A website the campaign does
not list gets nothing: the browser refuses to show the frame there."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Frame, Page, Request
from playwright.sync_api import Error as PlaywrightError

from tests.browser.server import EMBED_HOST_PORT, EMBED_ORIGIN, cohost_website
from tests.browser.test_act_in_browser import stand_in
from tests.browser.test_join_in_browser import assert_accessible
from urge.dashboard.embed import snippet_html

TITLE = "Bring the HKETO Certification Act to a vote in the Senate"
UNLISTED_ORIGIN = f"http://127.0.0.1:{EMBED_HOST_PORT}"  # the same server, another origin
HOST_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>A co-host's website</title>
<style>
body {{ margin: 0; font-family: Georgia, serif; background: #f4f1ea; color: #222; }}
header {{ background: #7a1020; color: #fff; padding: 1rem 2rem; font: bold 1.3rem sans-serif; }}
main {{ max-width: 46rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }}
</style></head>
<body>
<header>A co-host's own website</header>
<main>
<h1>Stand with Hong Kong: write to your senators</h1>
<p>It takes two minutes: type your ZIP code below, then post, write or call.</p>
{snippet}
<p>The rest of the co-host's page goes on here.</p>
</main>
</body>
</html>
"""


def host_page(site: str, ref: str = "dc4hk") -> str:
    """The co-host's page, with the snippet the dashboard gives them pasted in."""
    snippet = snippet_html(
        f"{site}c/hketo/embed/?ref={ref}", TITLE, f"{site}static/embed/urge-embed.js"
    )
    return HOST_PAGE.format(snippet=snippet)


@pytest.fixture
def cohost(site: str) -> Iterator[str]:
    with cohost_website({"/": host_page(site)}):
        yield EMBED_ORIGIN + "/"


@dataclass
class Seen:
    """Each request, with the page or frame that made it."""

    frame: list[Request] = field(default_factory=list)
    host: list[Request] = field(default_factory=list)
    elsewhere: list[Request] = field(default_factory=list)


def watch(context: BrowserContext, page: Page) -> Seen:
    seen = Seen()

    def sort(request: Request) -> None:
        try:
            made_by = request.frame
        except PlaywrightError:  # a new tab's first request, made before its frame exists
            seen.elsewhere.append(request)
            return
        if made_by.page != page:
            seen.elsewhere.append(request)  # a tab a form opened
        elif made_by == page.main_frame:
            seen.host.append(request)
        else:
            seen.frame.append(request)

    context.on("request", sort)
    return seen


def the_frame(page: Page) -> Frame:
    frames = [frame for frame in page.frames if frame != page.main_frame]
    assert len(frames) == 1, [frame.url for frame in frames]
    return frames[0]


# frame.js tells heights in steps of this, never the exact one (which could hint at how many
# legislators a lookup found).
HEIGHT_STEP = 400


def fitted(page: Page) -> int:
    """The frame's height, once the script beside it has fitted it to the page inside: the
    page's height rounded up to the next step."""
    inside = the_frame(page)
    for _attempt in range(50):
        inner = inside.evaluate("document.documentElement.getBoundingClientRect().height")
        told = math.ceil(float(inner) / HEIGHT_STEP) * HEIGHT_STEP
        if page.locator("iframe").evaluate("f => f.style.height") == f"{told}px":
            return told
        page.wait_for_timeout(100)
    raise AssertionError("the frame was not fitted to its page")


def test_a_visitor_acts_inside_a_cohosts_page_and_the_frame_talks_only_to_urge(
    browser: Browser, site: str, cohost: str
) -> None:
    urge = site.rstrip("/")
    context = browser.new_context(viewport={"width": 800, "height": 900})
    context.route("https://mastodon.example.org/**", stand_in)
    page = context.new_page()
    seen = watch(context, page)
    page.goto(cohost)
    frame = page.frame_locator("iframe")
    frame.get_by_label("ZIP code").fill("98104")
    frame.get_by_role("button", name="Find my legislators").click()
    frame.locator("#target-S000001").wait_for()
    inside = the_frame(page)
    # (The fragment is the form's own, #find, which browsers keep through the redirect.)
    assert inside.url.split("#")[0] == (
        f"{site}c/hketo/embed/act/?t=S000001%2CS000002&state=WA&ref=dc4hk"
    )

    # The script beside the frame fits it to the page inside (the snippet gives 760 pixels).
    assert fitted(page) > 1500

    # A post opens the platform in a tab of its own, through Urge's count, the referral sent
    # along. Urge takes the form for one of its own pages (sent_from_this_site() in
    # urge/core/csrf.py, which counts() relies on too): only then does it send the post to
    # the person's own Mastodon server rather than to the page that asks for one.
    mastodon = frame.locator('#target-S000001 form.send:has(input[name="instance"])')
    mastodon.locator('input[name="instance"]').fill("mastodon.example.org")
    with (
        page.expect_popup() as popup,
        context.expect_event("request", lambda r: "/act/go/" in r.url) as going,
    ):
        mastodon.locator("button").click()
    popup.value.wait_for_url("https://mastodon.example.org/share?text=*")
    assert parse_qs(going.value.post_data or "")["ref"] == ["dc4hk"]

    # A call's outcome is logged inside the frame, and the frame stays on the compact page.
    frame.locator("#target-S000001 details.channel").nth(2).locator(":scope > summary").click()
    frame.locator('#target-S000001 button[value="call-reached"]').click()
    frame.locator("#target-S000001 .outcome-note").wait_for()
    assert "done=call-reached" in inside.url
    assert urlsplit(inside.url).path == "/c/hketo/embed/act/"
    assert "ref=dc4hk" in inside.url
    assert page.url == cohost  # the co-host's page never moved

    # The frame's forms post from Urge's own origin, without a cookie or a token.
    posts = [request for request in seen.frame if request.method == "POST"]
    assert [urlsplit(request.url).path for request in posts] == [
        "/c/hketo/embed/",
        "/c/hketo/act/go/",
    ]
    assert {request.all_headers().get("origin") for request in posts} == {urge}
    outside = [request.url for request in seen.frame if not request.url.startswith(site)]
    host = {request.url for request in seen.host}
    tabs = {urlsplit(request.url).netloc for request in seen.elsewhere}
    cookies = context.cookies()
    context.close()
    assert len(seen.frame) >= 6  # pages, styles and scripts
    assert outside == []
    assert cookies == []
    # The co-host's page asked Urge for the script alone; the new tab went through Urge.
    assert host - {cohost, cohost + "favicon.ico"} == {f"{site}static/embed/urge-embed.js"}
    assert tabs == {urlsplit(site).netloc, "mastodon.example.org"}


def test_without_javascript_the_frame_still_finds_and_logs_a_call(
    browser: Browser, site: str, cohost: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(cohost)
    frame = page.frame_locator("iframe")
    frame.get_by_label("ZIP code").fill("98104")
    frame.get_by_role("button", name="Find my legislators").click()
    frame.locator("#target-S000002").wait_for()
    frame.locator("#target-S000002 details.channel").nth(2).locator(":scope > summary").click()
    frame.locator('#target-S000002 button[value="call-voicemail"]').click()
    note = frame.locator("#target-S000002 .outcome-note")
    note.wait_for()
    assert "voicemail is counted" in note.inner_text()
    assert "ref=dc4hk" in the_frame(page).url
    context.close()


def test_a_website_the_campaign_does_not_list_cannot_show_the_frame(
    browser: Browser, site: str, cohost: str
) -> None:
    context = browser.new_context()
    page = context.new_page()
    refusals: list[str] = []
    page.on("console", lambda message: refusals.append(message.text))
    with page.expect_console_message(lambda message: "frame-ancestors" in message.text):
        page.goto(UNLISTED_ORIGIN + "/")
    frame = the_frame(page)
    shown = frame.evaluate("document.body ? document.body.innerText : ''")
    context.close()
    assert "Find my legislators" not in shown
    refusal = next(text for text in refusals if "frame-ancestors" in text)
    assert f"'self' {EMBED_ORIGIN}" in refusal


@pytest.mark.parametrize(
    "path", ["c/hketo/embed/?ref=dc4hk", "zh-hant/c/hketo/embed/act/?t=S000001"]
)
def test_the_compact_pages_are_accessible(browser: Browser, site: str, path: str) -> None:
    context = browser.new_context(bypass_csp=True)  # to run axe, which this site would refuse
    page = context.new_page()
    page.goto(site + path)
    try:
        assert_accessible(page)
    finally:
        context.close()
