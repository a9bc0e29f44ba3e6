"""The results page: what a campaign achieved, counted by whole week, channel, legislator and
state, for its organisers, filtered by dates widened to weeks, in both languages, and as CSV;
no count under five shown, and no total, and no two periods, that would give one back."""

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
from urge.dashboard.tallies import Period, Weeks, tally, week_name, whole_weeks
from urge.legislators.models import DataRelease
from urge.supporters.models import Supporter

RESULTS = "/manage/c/hketo/results/"
CSV = "/manage/c/hketo/results.csv"
W09, W10, W11 = date(2025, 2, 24), date(2025, 3, 3), date(2025, 3, 10)  # their Mondays


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
    """Three weeks of a campaign: a Saturday, 1 March (2025-W09), then the Mondays 3 March
    (2025-W10) and 10 March (2025-W11)."""
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


def csv_rows(client: Client, query: dict[str, str] | None = None) -> list[list[str]]:
    return list(csv.reader(io.StringIO(client.get(CSV, query or {}).content.decode())))


def number(cell: str) -> int:
    """A CSV count as a number: "<5" reads 0, ">=12" reads 12."""
    return 0 if cell.startswith("<") else int(cell.removeprefix(">="))


def test_it_counts_actions_by_week_channel_legislator_and_state(actions: Campaign) -> None:
    counts = tally(actions, Weeks([W09, W10, W11]))
    assert counts.channels == {
        (W09, "post-x"): 2,
        (W09, "email-gmail"): 1,
        (W10, "call-reached"): 1,  # the skipped call is not an action
        (W11, "post-bluesky"): 1,
    }
    assert counts.skipped_calls == {(W10, ""): 1}
    assert counts.targets == {
        (W09, "S000001"): 2,
        (W09, "S000005"): 1,
        (W10, "S000002"): 1,
        (W11, "D000002"): 1,
    }
    assert counts.states == {(W09, "WA"): 2, (W09, "AZ"): 1, (W10, "WA"): 1, (W11, "GU"): 1}
    assert counts.signups == {(W09, "confirmed"): 1, (W10, "unconfirmed"): 1, (W11, "confirmed"): 1}
    assert counts.names["S000001"] == "Sara S000001"


def test_it_counts_only_the_weeks_asked_for(actions: Campaign) -> None:
    counts = tally(actions, Weeks([W10]))
    assert counts.channels == {(W10, "call-reached"): 1}
    assert counts.skipped_calls == {(W10, ""): 1}
    assert counts.signups == {(W10, "unconfirmed"): 1}
    assert tally(actions, Weeks([])).channels == {}


@pytest.mark.parametrize(
    ("first", "last", "weeks"),
    [
        # Days in the middle of weeks widen to the whole weeks.
        (date(2025, 3, 5), date(2025, 3, 11), ["2025-W10", "2025-W11"]),
        # Nothing before the campaign's first week, nothing after the last that has ended:
        # dates however far off cost nothing.
        (date(1, 1, 1), date(9999, 12, 31), ["2025-W08", "2025-W09", "2025-W10", "2025-W11"]),
        (None, None, ["2025-W08", "2025-W09", "2025-W10", "2025-W11"]),
        # The week in progress (a Wednesday's) is left out until it ends.
        (date(2025, 3, 18), None, []),
    ],
)
def test_the_weeks_counted_are_whole_ended_weeks_of_the_campaigns_life(
    first: date | None, last: date | None, weeks: list[str]
) -> None:
    found = whole_weeks(Period(first, last), start=date(2025, 2, 19), today=date(2025, 3, 19))
    assert [week_name(monday) for monday in found.mondays] == weeks


def test_dates_before_the_campaign_count_nothing_and_say_so() -> None:
    found = whole_weeks(Period(date(2020, 1, 1), date(2020, 1, 31)), date(2025, 2, 19), W11)
    assert found.mondays == []
    assert found.describe() == (
        "These dates end before the campaign's first week, so nothing is counted."
    )


def test_a_period_ending_on_the_last_day_there_is_filters_without_overflowing() -> None:
    assert Period(date(2025, 3, 1), date.max).within("hour") == {
        "hour__gte": datetime(2025, 3, 1, tzinfo=UTC)
    }


def test_it_counts_no_other_campaigns_actions(actions: Campaign) -> None:
    other = Campaign.objects.get(pk=actions.pk)
    other.pk, other.slug, other.is_default = None, "other", False  # a copy, saved anew
    other.save()
    act(other, date(2025, 3, 1), Channel.POST_X, "S000001", "WA")
    assert tally(actions, Weeks([W09])).channels[W09, "post-x"] == 2


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
    # Five in 2025-W10, and none in each other week: "none" is hidden too, so "at least".
    assert "Besides these, at least 5 calls were skipped" in html
    assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]


def test_it_shows_no_count_under_five_and_lists_no_channel_legislator_or_state_under_it(
    as_organiser: Client,
) -> None:
    html = as_organiser.get(RESULTS).content.decode()
    assert "Gmail opened" not in html  # 2, in 2025-W09
    assert "post on Bluesky" not in html  # 1, in 2025-W11
    assert "Arizona" not in html
    assert "Guam" not in html
    tables = table_rows(html)
    assert tables["Actions by week"][:4] == [
        ("2025-W09, 2025-02-24 to 2025-03-02", "at least 6"),  # 6 on X, 2 by Gmail
        ("2025-W10, 2025-03-03 to 2025-03-09", "at least 5"),
        ("2025-W11, 2025-03-10 to 2025-03-16", "&lt;5"),
        ("2025-W12, 2025-03-17 to 2025-03-23", "&lt;5"),
    ]
    assert tables["Actions by channel"] == [
        ("post on X", "at least 6"),
        ("call: reached staff", "at least 5"),
        ("Each of the others", "&lt;5"),
    ]
    assert tables["Actions by the legislator&#x27;s state"] == [
        ("Washington", "at least 11"),
        ("Each of the others", "&lt;5"),
    ]
    assert tables["From lookup to action to sign-up"] == [
        ("Legislators looked up", "not counted"),
        ("Actions", "at least 11"),
        ("Sign-ups", "at least 6"),
        ("Sign-ups confirmed by email", "at least 6"),
    ]


def test_no_total_less_the_numbers_shown_gives_a_hidden_one_back(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    """One week: 6 posts on X, 5 calls and one person's email. Were the total the true 12, less
    the channels shown (6 and 5) it would say that someone wrote an email that week."""
    act(hketo, date(2025, 3, 1), Channel.POST_X, "S000001", "WA", times=6)
    act(hketo, date(2025, 3, 2), Channel.CALL_REACHED, "S000001", "WA", times=5)
    act(hketo, date(2025, 3, 2), Channel.EMAIL_GMAIL, "S000001", "WA", times=1)
    sign_in_verified(client, organiser(hketo))
    for query in [{}, {"from": "2025-03-01", "to": "2025-03-02"}]:
        rows = csv_rows(client, query)
        actions = number(next(row[3] for row in rows if row[:2] == ["funnel", "actions"]))
        assert actions == 11
        for section in ("week", "channel", "target", "state"):
            assert sum(number(row[3]) for row in rows if row[0] == section) >= actions, section
    html = client.get(RESULTS).content.decode()
    words = " ".join(re.findall(r">([^<>]*)<", html))  # what the page says, not its markup
    assert "at least 11 actions in these weeks." in words
    assert "12 actions" not in words


@pytest.mark.parametrize(
    ("second_day", "ranges"),
    [
        # The reviewer's case: 1 March, 2 March, and both, are all the same week.
        (date(2025, 3, 2), [("2025-03-01", "2025-03-02"), ("2025-03-01", "2025-03-01")]),
        # The next week: a week's one call is hidden, and the sums leave it out.
        (date(2025, 3, 3), [("2025-03-01", "2025-03-03"), ("2025-03-01", "2025-03-01")]),
    ],
)
def test_no_two_periods_differ_by_a_hidden_count(
    client: Client,
    hketo: Campaign,
    release: DataRelease,
    second_day: date,
    ranges: list[tuple[str, str]],
) -> None:
    """Five calls on 1 March, and one person's call on `second_day`: whatever dates are asked
    for, the counts shown differ by no less than a week's shown count."""
    act(hketo, date(2025, 3, 1), Channel.CALL_REACHED, "S000002", "WA", times=5)
    act(hketo, second_day, Channel.CALL_REACHED, "S000002", "WA", times=1)
    sign_in_verified(client, organiser(hketo))

    def calls(first: str, last: str) -> int:
        rows = csv_rows(client, {"from": first, "to": last})
        return sum(number(row[3]) for row in rows if row[:2] == ["channel", "call-reached"])

    wide, narrow = (calls(first, last) for first, last in ranges)
    assert wide - narrow == 0
    alone = second_day.isoformat()
    assert calls(alone, alone) in (0, wide)  # hidden alone, or the same week as the five


def test_a_quiet_campaigns_small_counts_are_all_hidden(client: Client, actions: Campaign) -> None:
    sign_in_verified(client, organiser(actions))
    html = client.get(RESULTS).content.decode()
    assert "No count in these weeks reaches 5, so none is shown." in html
    assert "Sara S000001" not in html
    assert "calls were skipped" not in html
    assert len(svgs(html)) == 1  # the funnel alone, with nothing in it shown
    one_call = client.get(RESULTS, {"from": "2025-03-03", "to": "2025-03-03"}).content.decode()
    assert "call: reached staff" not in one_call
    assert "1 action" not in one_call


def test_each_chart_is_well_formed_svg_named_for_screen_readers_with_a_table(
    as_organiser: Client,
) -> None:
    html = as_organiser.get(RESULTS).content.decode()
    charts = svgs(html)
    assert len(charts) == 5  # by week, channel, legislator, state, and the funnel
    for chart in charts:
        title_id, desc_id = chart.get("aria-labelledby", "").split()
        assert chart.get("role") == "img"
        assert f'id="{title_id}"' in html
        assert f'id="{desc_id}"' in html
    assert html.count("<table") == 5
    assert "style=" not in html


def test_the_date_filter_widens_to_whole_weeks_and_the_csv_link_keeps_it(
    as_organiser: Client,
) -> None:
    query = {"from": "2025-03-04", "to": "2025-03-05"}  # a Tuesday and Wednesday of 2025-W10
    html = as_organiser.get(RESULTS, query).content.decode()
    assert "The week counted: 2025-W10, 2025-03-03 to 2025-03-09." in html
    assert "at least 5 actions in these weeks." in html
    assert "Besides these, 5 calls were skipped" in html  # one week, its count shown: exact
    assert "Sara S000001" not in html  # acted on only in 2025-W09
    assert 'value="2025-03-04"' in html
    assert f"{CSV}?from=2025-03-04&amp;to=2025-03-05" in html


@pytest.mark.parametrize(
    "query",
    [
        {"from": "2025-03-10", "to": "2025-03-01"},
        {"from": "not a day"},
        {"from": "0001-01-01"},
        {"to": "9999-12-31"},
    ],
)
def test_a_wrong_filter_is_said_next_to_it_and_the_whole_campaign_is_shown(
    as_organiser: Client, query: dict[str, str]
) -> None:
    html = as_organiser.get(RESULTS, query).content.decode()
    assert "field__error" in html
    assert "at least 11 actions in these weeks." in html
    assert as_organiser.get(CSV, query).status_code == 200


def test_a_day_out_of_all_reason_is_refused_with_the_days_the_filter_takes(
    as_organiser: Client,
) -> None:
    html = as_organiser.get(RESULTS, {"to": "9999-12-31"}).content.decode()
    assert "Pick a day from 2000-01-01 to 2099-12-31." in html


def test_the_page_says_so_when_there_are_no_actions_yet(client: Client, hketo: Campaign) -> None:
    sign_in_verified(client, organiser(hketo))
    html = client.get(RESULTS).content.decode()
    assert len(svgs(html)) == 1  # the funnel alone
    assert "No count in these weeks reaches 5, so none is shown." in html


def test_the_csv_holds_the_pages_counts_for_the_same_weeks(as_organiser: Client) -> None:
    response = as_organiser.get(CSV, {"from": "2025-03-01", "to": "2025-03-03"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="hketo-results-2025-W09-to-2025-W10.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["section", "key", "name", "count"]
    assert [row for row in rows if row[0] == "week"] == [
        ["week", "2025-W09", "2025-W09, 2025-02-24 to 2025-03-02", ">=6"],
        ["week", "2025-W10", "2025-W10, 2025-03-03 to 2025-03-09", ">=5"],
    ]
    assert [row for row in rows if row[0] == "channel"] == [
        ["channel", "post-x", "post on X", ">=6"],
        ["channel", "call-reached", "call: reached staff", ">=5"],
        ["channel", "others", "Each of the others", "<5"],
    ]
    assert ["target", "S000001", "Sara S000001", ">=6"] in rows
    assert ["state", "WA", "Washington", "11"] in rows  # both weeks shown, and only they
    assert not any(row[1] in ("AZ", "S000005", "email-gmail") for row in rows)  # 2 each
    assert ["funnel", "lookups", "Legislators looked up", ""] in rows
    assert ["funnel", "actions", "Actions", ">=11"] in rows
    assert ["funnel", "signups", "Sign-ups", ">=6"] in rows
    assert ["funnel", "confirmed", "Sign-ups confirmed by email", ">=6"] in rows
    assert ["skipped", "call-skipped", "call: skipped", ">=5"] in rows
    assert not any(row[0] == "target" and row[1] == "D000002" for row in rows)  # 2025-W11


def test_it_speaks_traditional_chinese_on_the_zh_hant_page(as_organiser: Client) -> None:
    html = as_organiser.get("/zh-hant" + RESULTS).content.decode()
    assert 'lang="zh-Hant"' in html
    assert "在 X 發文" in html  # post on X
    assert "成果" in html
    assert "至少 11" in html
    assert "每週行動" in html  # actions by week
    rows = list(csv.reader(io.StringIO(as_organiser.get("/zh-hant" + CSV).content.decode())))
    assert ["channel", "post-x", "在 X 發文", ">=6"] in rows


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


def test_the_campaign_page_hides_a_small_live_count_of_unconfirmed_sign_ups(
    client: Client, hketo: Campaign
) -> None:
    sign_in_verified(client, organiser(hketo))
    sign_up(hketo, "bo@example.org")
    html = client.get("/manage/c/hketo/").content.decode()
    assert "&lt;5 sign-ups are still waiting for their email to be confirmed" in html
    assert "1 sign-up is still waiting" not in html
    for n in range(4):
        sign_up(hketo, f"person{n}@example.org")
    html = client.get("/manage/c/hketo/").content.decode()
    assert "5 sign-ups are still waiting for their email to be confirmed" in html


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
