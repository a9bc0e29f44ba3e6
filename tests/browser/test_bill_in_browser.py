"""Where the bill stands, on the campaign page and the action page, after `urge track` has read
Congress.gov (its recorded answers, served on loopback): in both languages, without
JavaScript, valid, and with no accessibility violations.

Only the House bill is tracked: the Senate companion's number is not confirmed yet, so no
test names one (tests/congress_answers.py serves S. 900 as a stand-in for the unit tests)."""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Route

from tests.browser.checks import assert_valid_html
from tests.browser.server import served_site_and_environment
from tests.browser.test_join_in_browser import assert_accessible
from tests.congress_answers import SECRET_KEY, serve_both_bills
from tests.httpserver import LocalServer
from tests.services import run_urge
from tests.smtp import SmtpServer

LANGUAGES = [
    ("", "en", "Find my legislators", "H.R. 2661: Latest action on April 7, 2025: Referred to"),
    ("zh-hant/", "zh-Hant", "找出我的議員", "H.R. 2661: 最新進展（2025年4月7日）： Referred to"),  # noqa: RUF001
]
FROM_THE_RECORD = {
    "en": "From the record on Congress.gov, which this site reads every day.",
    "zh-Hant": "Congress.gov 的官方紀錄",
}
BILL_PAGE = "https://www.congress.gov/bill/119th-congress/house-bill/2661"
ACT = "c/hketo/act/?t=S000001%2CS000002&state=WA"


@pytest.fixture(scope="module")
def tracked_site(tmp_path_factory: pytest.TempPathFactory, mail: SmtpServer) -> Iterator[str]:
    """A site of its own (the shared one keeps the organisers' words), whose campaign tracks
    H.R. 2661, read once by `urge track --commit` as the scheduler would each day."""
    folder = tmp_path_factory.mktemp("tracked")
    with served_site_and_environment(folder, mail.port) as (base_url, env), LocalServer() as api:
        serve_both_bills(api)
        tracking = {
            **env,
            "URGE_CONGRESS_API_KEY": SECRET_KEY,
            "URGE_CONGRESS_API_URL": api.base_url,
        }
        run_urge(tracking, "track", "--campaign", "hketo", "--add", "119/hr/2661")
        run_urge(tracking, "track", "--commit")
        yield base_url


def without_javascript(browser: Browser) -> BrowserContext:
    return browser.new_context(java_script_enabled=False)


def one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(("prefix", "lang", "find", "latest"), LANGUAGES)
def test_a_supporter_reads_the_latest_action_on_both_pages_without_javascript(
    browser: Browser, tracked_site: str, prefix: str, lang: str, find: str, latest: str
) -> None:
    context = without_javascript(browser)
    page = context.new_page()
    page.goto(tracked_site + prefix)
    assert page.locator("html").get_attribute("lang") == lang
    on_campaign_page = one_line(page.locator(".status").inner_text())
    assert latest in on_campaign_page
    assert re.search(r"(\(checked |（本站於)", on_campaign_page)  # noqa: RUF001
    assert FROM_THE_RECORD[lang] in on_campaign_page
    assert "as written by the organisers" not in on_campaign_page

    # The ZIP form, posted without JavaScript, leads to the action page: the same line.
    page.locator("#id_zip").fill("98101")
    page.get_by_role("button", name=find).click()
    assert page.url.split("#")[0] == f"{tracked_site}{prefix}{ACT}"
    status = page.locator(".status")
    assert one_line(status.inner_text()) == on_campaign_page
    assert status.get_by_role("link", name="H.R. 2661").get_attribute("href") == BILL_PAGE
    assert page.locator(".status [lang='en']").first.inner_text().startswith("Referred to")
    context.close()


def _no_site_scripts(route: Route) -> None:
    route.abort()


@pytest.mark.parametrize(("prefix", "lang", "find", "latest"), LANGUAGES)
@pytest.mark.parametrize("path", ["", ACT])
def test_both_pages_have_no_accessibility_violations(
    browser: Browser, tracked_site: str, prefix: str, lang: str, find: str, latest: str, path: str
) -> None:
    # axe needs JavaScript, and the page's own policy would refuse it: the test's context
    # bypasses the policy and keeps the site's own scripts out, so axe reads the page as a
    # supporter without JavaScript gets it.
    context = browser.new_context(bypass_csp=True)
    context.route(re.compile(r".*/static/.*\.js$"), _no_site_scripts)
    page = context.new_page()
    page.goto(tracked_site + prefix + path)
    assert latest in one_line(page.locator(".status").inner_text())
    assert_accessible(page)
    context.close()


def test_both_pages_are_valid_html(tracked_site: str, tmp_path: Path) -> None:
    files = []
    for prefix, lang, _find, _latest in LANGUAGES:
        for name, path in (("campaign", ""), ("act", ACT)):
            with urllib.request.urlopen(tracked_site + prefix + path) as response:
                saved = tmp_path / f"{name}-{lang}.html"
                saved.write_bytes(response.read())
                files.append(str(saved))
    assert_valid_html(files)
