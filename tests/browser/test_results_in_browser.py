"""An organiser reads the campaign's results in a real browser, without JavaScript: charts
with tables, a date filter widened to whole weeks and a CSV, in both languages, with no
accessibility violations."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.stance_steps import sign_in_to_the_dashboard
from tests.browser.test_join_in_browser import assert_accessible
from tests.services import run_urge
from urge.dashboard.tallies import week_name

RESULTS = "manage/c/hketo/results/"


# Counts under five are not shown (urge/dashboard/tallies.py): five voicemails for one
# senator in a week are, the one call that reached the other's staff is not.
CALLS = [*[("S000001", "call-voicemail")] * 5, ("S000002", "call-reached")]


def take_actions(page: Page, site: str) -> None:
    """Logged calls from the action page, as supporters without JavaScript make them."""
    for bioguide, outcome in CALLS:
        page.goto(site + f"c/hketo/act/?t={bioguide}&state=WA")
        target = page.locator(f"#target-{bioguide}")
        target.locator("details.channel").nth(2).locator(":scope > summary").click()
        target.locator(f'button[value="{outcome}"]').click()
        page.wait_for_url(f"**done={outcome}**")


# The results page counts whole weeks that have ended: this moves the week in progress's
# actions a week back, into the last week ended, as if they had been taken then.
INTO_LAST_WEEK = """
from datetime import UTC, datetime, timedelta
from django.db.models import F
from urge.actions.models import ActionEvent
from urge.dashboard.tallies import monday_of
monday = monday_of(datetime.now(UTC).date())
since = datetime(monday.year, monday.month, monday.day, tzinfo=UTC)
ActionEvent.objects.filter(hour__gte=since).update(hour=F("hour") - timedelta(days=7))
"""


def into_last_week(env: dict[str, str]) -> None:
    run_urge(env, "shell", "--no-imports", "--command", INTO_LAST_WEEK)


@pytest.fixture(scope="module")
def signed_in(browser: Browser, served: tuple[str, dict[str, str]]) -> Iterator[BrowserContext]:
    """A browser without JavaScript, signed in as the organiser, after six actions last week."""
    site, env = served
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    take_actions(page, site)
    into_last_week(env)
    sign_in_to_the_dashboard(page, site, RESULTS)
    yield context
    context.close()


def test_an_organiser_reads_the_results_without_javascript(
    signed_in: BrowserContext, site: str
) -> None:
    page = signed_in.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site + RESULTS)
    expect(page.get_by_role("heading", name="Actions by legislator")).to_be_visible()
    charts = page.get_by_role("img")
    expect(charts).to_have_count(5)
    expect(page.get_by_role("img", name="Actions by channel")).to_be_visible()
    legislators = page.locator("table", has_text="Actions by legislator: the numbers")
    expect(legislators).to_contain_text("Sara S000001")
    channels = page.locator("table", has_text="Actions by channel: the numbers")
    expect(channels).to_contain_text("call: left voicemail")
    expect(page.locator("p", has_text="Lookups are not counted")).to_be_visible()
    assert [url for url in requested if not url.startswith(site)] == []


def test_the_date_filter_and_the_csv_keep_to_the_same_weeks(
    signed_in: BrowserContext, site: str
) -> None:
    page = signed_in.new_page()
    page.goto(site + RESULTS)

    def show(first: str, last: str) -> None:
        page.get_by_label("From (UTC)").fill(first)
        page.get_by_label("To (UTC)").fill(last)
        page.get_by_role("button", name="Show these dates").click()

    show("2020-01-01", "2020-01-31")
    assert "from=2020-01-01" in page.url
    expect(page.get_by_text("These dates end before the campaign's first week")).to_be_visible()
    today = datetime.now(UTC).date()
    show(today.isoformat(), today.isoformat())
    expect(page.get_by_text("No week in these dates has ended yet")).to_be_visible()

    a_week_ago = (today - timedelta(days=7)).isoformat()
    show(a_week_ago, a_week_ago)
    week = week_name(today - timedelta(days=7))
    expect(page.get_by_role("status")).to_contain_text(f"The week counted: {week}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these counts as CSV").click()
    assert download.value.suggested_filename == f"hketo-results-{week}-to-{week}.csv"
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert rows[0] == ["section", "key", "name", "count"]
    weeks = [row for row in rows if row[0] == "week"]
    assert [row[1] for row in weeks] == [week]
    # The five voicemails at least, with any other browser test's actions that week.
    assert weeks[0][3].startswith(">=")
    assert int(weeks[0][3].removeprefix(">=")) >= 5


@pytest.mark.parametrize("prefix", ["", "zh-hant/"])
def test_the_results_page_has_no_accessibility_violations(
    browser: Browser, signed_in: BrowserContext, site: str, prefix: str
) -> None:
    # The same session, in a browser that runs the test's axe; the page's own policy would
    # rightly refuse an injected script.
    context = browser.new_context(storage_state=signed_in.storage_state(), bypass_csp=True)
    page = context.new_page()
    page.goto(site + prefix + RESULTS)
    assert page.locator("svg[role=img]").count() == 5
    assert_accessible(page)
    context.close()
