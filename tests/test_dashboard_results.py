"""The results page: what a campaign achieved, counted by day, channel, legislator and
state, for its organisers, filtered by dates, in both languages, and as CSV; no count under
five shown, and no total that would give one back."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.people import cohost_staffer, organiser, outsider, person, sign_in_verified
from tests.supporters import confirmed, sign_up
from urge.actions.models import ActionEvent, Channel
from urge.campaigns.models import Campaign
from urge.dashboard.tallies import Period, tally
from urge.legislators.models import DataRelease
from urge.supporters.models import Supporter

RESULTS = "/manage/c/hketo/results/"
CSV = "/manage/c/hketo/results.csv"


def act(
    campaign: Campaign, day: date, channel: Channel, target: str, state: str, times: int = 1
) -> None:
    hour = datetime(day.year, day.month, day.day, 15, tzinfo=UTC)
    for _ in range(times):
        ActionEvent.objects.create(
            campaign=campaign,
            channel=channel,
            target=target,
            variant="letter",
            target_state=state,
            hour=hour,
        )


def signed_up_on(supporter: Supporter, day: date) -> None:
    moment = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
    Supporter.objects.filter(pk=supporter.pk).update(created_at=moment)


@pytest.fixture
def actions(hketo: Campaign, release: DataRelease) -> Campaign:
    """Three days of a campaign: 1 March, (a quiet 2 March), 3 March and 10 March."""
    act(hketo, date(2025, 3, 1), Channel.POST_X, "S000001", "WA")
    act(hketo, date(2025, 3, 1), Channel.POST_X, "S000001", "WA")
    act(hketo, date(2025, 3, 1), Channel.EMAIL_GMAIL, "S000005", "AZ")
    act(hketo, date(2025, 3, 3), Channel.CALL_REACHED, "S000002", "WA")
    act(hketo, date(2025, 3, 3), Channel.CALL_SKIPPED, "S000002", "WA")
    act(hketo, date(2025, 3, 10), Channel.POST_BLUESKY, "D000002", "GU")
    signed_up_on(confirmed(hketo, "ada@example.org"), date(2025, 3, 1))
    signed_up_on(sign_up(hketo, "bo@example.org"), date(2025, 3, 3))
    signed_up_on(confirmed(hketo, "cy@example.org"), date(2025, 3, 10))
    return hketo


@pytest.fixture
def busy(hketo: Campaign, release: DataRelease) -> Campaign:
    """The same days, busier: counts of five or more, beside the small ones."""
    act(hketo, date(2025, 3, 1), Channel.POST_X, "S000001", "WA", times=6)
    act(hketo, date(2025, 3, 1), Channel.EMAIL_GMAIL, "S000005", "AZ", times=2)
    act(hketo, date(2025, 3, 3), Channel.CALL_REACHED, "S000002", "WA", times=5)
    act(hketo, date(2025, 3, 3), Channel.CALL_SKIPPED, "S000002", "WA", times=5)
    act(hketo, date(2025, 3, 10), Channel.POST_BLUESKY, "D000002", "GU")
    for n in range(6):
        signed_up_on(confirmed(hketo, f"person{n}@example.org"), date(2025, 3, 1))
    signed_up_on(sign_up(hketo, "bo@example.org"), date(2025, 3, 3))
    return hketo


@pytest.fixture
def as_organiser(client: Client, busy: Campaign) -> Client:
    return sign_in_verified(client, organiser(busy))


def table_rows(html: str) -> dict[str, list[tuple[str, str]]]:
    """Each figure's table, by the chart's title: (row heading, number) as the HTML has them."""
    found = {}
    for title, body in re.findall(
        r"<caption>(.*?): the numbers</caption>.*?<tbody>(.*?)</tbody>", html, re.S
    ):
        found[title] = re.findall(
            r'<th scope="row">(.*?)</th><td class="number">(.*?)</td>', body, re.S
        )
    return found


def svgs(html: str) -> list[ET.Element]:
    """Every chart on the page, parsed as XML: a chart that is not well-formed fails here."""
    found = []
    rest = html
    while "<svg" in rest:
        start = rest.index("<svg")
        end = rest.index("</svg>", start) + len("</svg>")
        found.append(ET.fromstring(rest[start:end]))  # noqa: S314 (the site's own output)
        rest = rest[end:]
    return found


def test_it_counts_actions_by_day_channel_legislator_and_state(actions: Campaign) -> None:
    counts = tally(actions, Period())
    assert counts.actions == 5  # the skipped call is not an action
    assert counts.skipped_calls == 1
    quiet = [(date(2025, 3, day), 0) for day in range(4, 10)]
    assert counts.by_day == [
        (date(2025, 3, 1), 3),
        (date(2025, 3, 2), 0),
        (date(2025, 3, 3), 1),
        *quiet,
        (date(2025, 3, 10), 1),
    ]
    assert counts.by_channel == [
        ("post-x", 2),
        ("call-reached", 1),
        ("email-gmail", 1),
        ("post-bluesky", 1),
    ]
    assert counts.by_target == [("S000001", 2), ("D000002", 1), ("S000002", 1), ("S000005", 1)]
    assert counts.by_state == {"WA": 3, "AZ": 1, "GU": 1}
    assert (counts.signups, counts.confirmed) == (3, 2)
    assert counts.names["S000001"] == "Sara S000001"


def test_it_counts_only_the_days_asked_for_both_ends_included(actions: Campaign) -> None:
    counts = tally(actions, Period(date(2025, 3, 2), date(2025, 3, 3)))
    assert counts.by_day == [(date(2025, 3, 2), 0), (date(2025, 3, 3), 1)]
    assert counts.by_channel == [("call-reached", 1)]
    assert (counts.actions, counts.skipped_calls) == (1, 1)
    assert (counts.signups, counts.confirmed) == (1, 0)
    since = tally(actions, Period(first=date(2025, 3, 3)))
    assert (since.actions, since.signups) == (2, 2)
    until = tally(actions, Period(last=date(2025, 3, 1)))
    assert (until.actions, until.signups) == (3, 1)


def test_it_counts_no_other_campaigns_actions(actions: Campaign) -> None:
    other = Campaign.objects.get(pk=actions.pk)
    other.pk, other.slug, other.is_default = None, "other", False  # a copy, saved anew
    other.save()
    act(other, date(2025, 3, 1), Channel.POST_X, "S000001", "WA")
    assert tally(actions, Period()).actions == 5


def test_it_shows_an_organiser_legislators_by_name_and_channels_by_name(
    as_organiser: Client,
) -> None:
    response = as_organiser.get(RESULTS)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sara S000001" in html
    assert "post on X" in html
    assert "Washington" in html
    assert "Lookups are not counted" in html
    assert "5 calls were skipped" in html
    assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]


def test_it_shows_no_count_under_five_and_lists_no_channel_legislator_or_state_under_it(
    as_organiser: Client,
) -> None:
    html = as_organiser.get(RESULTS).content.decode()
    assert "Gmail opened" not in html  # 2, on 1 March
    assert "post on Bluesky" not in html  # 1, on 10 March
    assert "Arizona" not in html
    assert "Guam" not in html
    tables = table_rows(html)
    assert tables["Actions by day"][:3] == [
        ("2025-03-01", "8"),
        ("2025-03-02", "&lt;5"),
        ("2025-03-03", "5"),
    ]
    assert tables["Actions by day"][-1] == ("2025-03-10", "&lt;5")
    assert tables["Actions by channel"] == [
        ("post on X", "6"),
        ("call: reached staff", "5"),
        ("Each of the others", "&lt;5"),
    ]
    assert tables["Actions by the legislator&#x27;s state"] == [
        ("Washington", "11"),
        ("Each of the others", "&lt;5"),
    ]
    assert tables["From lookup to action to sign-up"] == [
        ("Legislators looked up", "not counted"),
        ("Actions", "at least 13"),
        ("Sign-ups", "at least 6"),
        ("Sign-ups confirmed by email", "6"),
    ]


def test_no_total_less_the_numbers_shown_gives_a_hidden_one_back(as_organiser: Client) -> None:
    """14 actions, of which the charts show 13 by day (8 and 5) and 11 by channel: the page
    says "at least 13", never 14, which less 6 and 5 would give the hidden channels' 3."""
    html = as_organiser.get(RESULTS).content.decode()
    assert "at least 13 actions in these dates." in html
    assert "at least 13 actions in all; the most: post on X, 6." in html
    words = " ".join(re.findall(r">([^<>]*)<", html))  # what the page says, not its markup
    assert not re.search(r"(?<![\w-])14(?![\w-])", words)


def test_a_quiet_campaigns_small_counts_are_all_hidden(client: Client, actions: Campaign) -> None:
    sign_in_verified(client, organiser(actions))
    html = client.get(RESULTS).content.decode()
    assert "No count in these dates reaches 5, so none is shown." in html
    assert "Sara S000001" not in html
    assert "call was skipped" not in html
    assert len(svgs(html)) == 1  # the funnel alone, with nothing in it shown
    one_call = client.get(RESULTS, {"from": "2025-03-03", "to": "2025-03-03"}).content.decode()
    assert "call: reached staff" not in one_call
    assert "1 action" not in one_call


def test_each_chart_is_well_formed_svg_named_for_screen_readers_with_a_table(
    as_organiser: Client,
) -> None:
    html = as_organiser.get(RESULTS).content.decode()
    charts = svgs(html)
    assert len(charts) == 5  # by day, channel, legislator, state, and the funnel
    for chart in charts:
        title_id, desc_id = chart.get("aria-labelledby", "").split()
        assert chart.get("role") == "img"
        assert f'id="{title_id}"' in html
        assert f'id="{desc_id}"' in html
    assert html.count("<table") == 5
    assert "style=" not in html


def test_the_date_filter_narrows_every_count_and_the_csv_link_keeps_it(
    as_organiser: Client,
) -> None:
    html = as_organiser.get(RESULTS, {"from": "2025-03-03", "to": "2025-03-03"}).content.decode()
    assert "5 actions in these dates." in html  # one day, every count shown: exact
    assert "Sara S000001" not in html  # acted on only on 1 March
    assert 'value="2025-03-03"' in html
    assert f"{CSV}?from=2025-03-03&amp;to=2025-03-03" in html


@pytest.mark.parametrize(
    "query",
    [{"from": "2025-03-10", "to": "2025-03-01"}, {"from": "not a day"}],
)
def test_a_wrong_filter_is_said_next_to_it_and_the_whole_campaign_is_shown(
    as_organiser: Client, query: dict[str, str]
) -> None:
    html = as_organiser.get(RESULTS, query).content.decode()
    assert "field__error" in html
    assert "at least 13 actions in these dates." in html


def test_the_page_says_so_when_there_are_no_actions_yet(client: Client, hketo: Campaign) -> None:
    sign_in_verified(client, organiser(hketo))
    html = client.get(RESULTS).content.decode()
    assert "No count in these dates reaches 5, so none is shown." in html
    assert len(svgs(html)) == 1  # the funnel alone


def test_the_csv_holds_the_pages_counts_for_the_same_dates(as_organiser: Client) -> None:
    response = as_organiser.get(CSV, {"from": "2025-03-01", "to": "2025-03-03"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        'filename="hketo-results-2025-03-01-to-2025-03-03.csv"' in response["Content-Disposition"]
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["section", "key", "name", "count"]
    assert [row for row in rows if row[0] == "day"] == [
        ["day", "2025-03-01", "2025-03-01", "8"],
        ["day", "2025-03-02", "2025-03-02", "<5"],
        ["day", "2025-03-03", "2025-03-03", "5"],
    ]
    assert [row for row in rows if row[0] == "channel"] == [
        ["channel", "post-x", "post on X", "6"],
        ["channel", "call-reached", "call: reached staff", "5"],
        ["channel", "others", "Each of the others", "<5"],
    ]
    assert ["target", "S000001", "Sara S000001", "6"] in rows
    assert ["state", "WA", "Washington", "11"] in rows
    assert not any(row[1] in ("AZ", "S000005", "email-gmail") for row in rows)  # 2 each
    assert ["funnel", "lookups", "Legislators looked up", ""] in rows
    assert ["funnel", "actions", "Actions", ">=13"] in rows
    assert ["funnel", "signups", "Sign-ups", ">=6"] in rows
    assert ["funnel", "confirmed", "Sign-ups confirmed by email", "6"] in rows
    assert ["skipped", "call-skipped", "call: skipped", "5"] in rows
    assert not any(row[0] == "target" and row[1] == "D000002" for row in rows)  # 10 March


def test_it_speaks_traditional_chinese_on_the_zh_hant_page(as_organiser: Client) -> None:
    html = as_organiser.get("/zh-hant" + RESULTS).content.decode()
    assert 'lang="zh-Hant"' in html
    assert "在 X 發文" in html  # post on X
    assert "成果" in html
    assert "至少 13" in html
    rows = list(csv.reader(io.StringIO(as_organiser.get("/zh-hant" + CSV).content.decode())))
    assert ["channel", "post-x", "在 X 發文", "6"] in rows


def test_a_cohost_staffer_gets_404_as_for_the_campaigns_other_totals(
    client: Client, actions: Campaign
) -> None:
    """Sign-ups across every co-host are the organisers' numbers: co-host staff see their own
    co-host's counts on the campaign page and nothing campaign-wide."""
    sign_in_verified(client, cohost_staffer(actions, "dc4hk"))
    assert client.get(RESULTS).status_code == 404
    assert client.get(CSV).status_code == 404
    assert RESULTS not in client.get("/manage/c/hketo/").content.decode()


def test_the_campaign_page_links_to_the_results(as_organiser: Client) -> None:
    assert RESULTS in as_organiser.get("/manage/c/hketo/").content.decode()


@pytest.mark.parametrize("url", [RESULTS, CSV])
def test_it_answers_404_to_a_stranger(client: Client, actions: Campaign, url: str) -> None:
    sign_in_verified(client, outsider())
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", [RESULTS, CSV])
def test_it_sends_anyone_without_both_factors_to_sign_in(
    client: Client, actions: Campaign, url: str
) -> None:
    assert client.get(url)["Location"].startswith("/manage/signin/?next=")
    user: User = person("half-signed-in")
    client.force_login(user)
    assert client.get(url)["Location"].startswith("/manage/verify/?next=")


def test_the_legislator_chart_shows_the_first_twenty_and_the_table_all(
    client: Client, hketo: Campaign
) -> None:
    for number in range(25):
        act(hketo, date(2025, 3, 1), Channel.POST_X, f"X{number:06d}", "WA", times=5)
    sign_in_verified(client, organiser(hketo))
    html = client.get(RESULTS).content.decode()
    chart = next(
        svg for svg in svgs(html) if svg.get("aria-labelledby", "").startswith("by-target")
    )
    assert len(chart.findall("{http://www.w3.org/2000/svg}rect")) == 20
    assert html.count('<th scope="row">X0000') == 25
    assert "The chart shows the 20 with the most actions; the table lists all." in html
