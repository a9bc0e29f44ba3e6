"""The scoreboard as people meet it in a real browser against the real server: a supporter
finds where their own senators stand without JavaScript, in either language, and an
organiser's stance, recorded in the dashboard, reaches it."""

import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.checks import assert_valid_html
from tests.browser.stance_steps import record_stance, sign_in_to_the_dashboard
from tests.browser.test_join_in_browser import assert_accessible

LANGUAGES = [("", "en", "Where the legislators stand"), ("zh-hant/", "zh-Hant", "議員的立場")]
BOARD = "c/hketo/scoreboard/"


@pytest.mark.parametrize(("prefix", "lang", "title"), LANGUAGES)
def test_it_shows_every_senator_by_stance_in_each_language(
    page: Page, site: str, prefix: str, lang: str, title: str
) -> None:
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site + prefix + BOARD, wait_until="networkidle")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("h1").inner_text() == title
    assert page.locator("li.member").count() == 12  # the sample release's senators
    assert page.locator("section.board").count() == 5
    assert errors == []
    assert [url for url in requested if not url.startswith(site)] == []


@pytest.mark.parametrize(("prefix", "lang", "title"), LANGUAGES)
def test_a_supporter_finds_their_senators_from_their_lookup_without_javascript(
    browser: Browser, site: str, prefix: str, lang: str, title: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + prefix)
    page.locator("#id_zip").fill("98101")
    page.locator("form.lookup button").click()
    assert "/act/" in page.url
    page.locator(f'a[href^="/{prefix}{BOARD}?state=WA"]').click()
    assert page.url == f"{site}{prefix}{BOARD}?state=WA"
    shown = page.locator("li.member h3").all_inner_texts()
    assert sorted(shown) == ["Sara S000001", "Sara S000002"]
    # Another state, with the plain form: the state goes into the page's address.
    page.locator("#board-state").select_option("AZ")
    page.locator("form.board__filter button").click()
    assert page.url == f"{site}{prefix}{BOARD}?state=AZ"
    assert sorted(page.locator("li.member h3").all_inner_texts()) == [
        "Sara S000005",
        "Sara S000006",
    ]
    context.close()


@pytest.mark.parametrize(("prefix", "lang", "title"), LANGUAGES)
@pytest.mark.parametrize("query", ["", "?state=WA"])
def test_it_has_no_accessibility_violations(
    browser: Browser, site: str, prefix: str, lang: str, title: str, query: str
) -> None:
    # The page's own policy rightly refuses injected scripts; axe is the test's, not the page's.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(site + prefix + BOARD + query)
    assert_accessible(page)
    context.close()


def test_its_html_is_valid(site: str, tmp_path: Path) -> None:
    files: list[str] = []
    for prefix, lang, _title in LANGUAGES:
        for query in ("", "?state=WA"):
            with urllib.request.urlopen(site + prefix + BOARD + query) as response:
                saved = tmp_path / f"scoreboard-{lang}-{len(files)}.html"
                saved.write_bytes(response.read())
                files.append(str(saved))
    assert_valid_html(files)


def test_an_organisers_stance_reaches_the_scoreboard(page: Page, site: str) -> None:
    sign_in_to_the_dashboard(page, site)
    source = "https://www.congress.gov/member/sara/S000007"
    record_stance(page, site, "S000007", "supports-vote", source, "2025-06-01")
    history = page.locator("#history + .dashboard__scroll tbody tr").first.inner_text()
    assert "organiser" in history
    assert "publicly supports a vote" in history

    # Cached pages are rendered again within URGE_PAGE_CACHE_SECONDS (10 s), and the
    # browser's own copy within 10 s more.
    deadline = time.monotonic() + 25
    while True:
        page.goto(site + BOARD + "?state=NM")
        group = page.locator("#stance-supports-vote")
        if group.locator("#m-S000007").count() or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    card = group.locator("#m-S000007")
    assert "Stance: publicly supports a vote" in card.inner_text()
    assert card.get_by_role("link", name="source").get_attribute("href") == source
