"""The referral page of the dashboard: per link, lookups, actions by channel and sign-ups, as
counts only, by whole weeks that have ended, none under five shown to anyone. Organisers see
every co-host's link and every code, and make codes; a co-host's staff see only their own
co-host's link and the codes made for it."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.people import cohost_staffer, organiser, outsider, sign_in_verified
from urge.campaigns.models import Campaign
from urge.dashboard.referral_weeks import counted_weeks
from urge.dashboard.tallies import Period, monday_of, week_name
from urge.sharing.models import ReferralCode, ReferralCount

PAGE = "/manage/c/hketo/referrals/"
WEEK = timedelta(days=7)


def last_week() -> date:
    """The Monday of the last week that has ended."""
    return monday_of(timezone.now().date()) - WEEK


@pytest.fixture
def counted(hketo: Campaign) -> Campaign:
    """Counts under two co-hosts' links and two made codes: in the last week that ended, two
    weeks before it, and in the week in progress."""
    ReferralCode.objects.create(
        campaign=hketo,
        code="dc4hk-april",
        label="DC4HK's April letter",
        cohost=hketo.cohosts.get(slug="dc4hk"),
    )
    ReferralCode.objects.create(campaign=hketo, code="press", label="Press release")
    tuesday, today = last_week() + timedelta(days=1), timezone.now().date()
    for code, day, kind, total in [
        ("dc4hk", tuesday, "lookup", 7),
        ("dc4hk", tuesday, "post-x", 3),
        ("dc4hk", tuesday, "call-reached", 2),  # one person, perhaps, whom the list names
        ("dc4hk", tuesday, "share-whatsapp", 4),
        ("dc4hk", tuesday, "signup", 1),
        ("dc4hk", tuesday - 2 * WEEK, "lookup", 100),
        ("dc4hk", today, "lookup", 50),  # this week: not counted until it ends
        ("dc4hk", today, "call-reached", 9),
        ("dc4hk-april", tuesday, "email-form", 5),
        ("hkdc", tuesday, "lookup", 11),
        ("press", tuesday, "post-bluesky", 13),
    ]:
        ReferralCount.objects.create(campaign=hketo, code=code, day=day, kind=kind, total=total)
    return hketo


@pytest.fixture
def as_organiser(client: Client, counted: Campaign) -> Client:
    return sign_in_verified(client, organiser(counted))


@pytest.fixture
def as_staffer(client: Client, counted: Campaign) -> Client:
    return sign_in_verified(client, cohost_staffer(counted, "dc4hk"))


def summary(html: str) -> dict[str, list[str]]:
    """The first table's rows: code, then lookups, actions, shares, sign-ups."""
    table = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows: dict[str, list[str]] = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        code = re.search(r"<code>([\w-]+)</code>", row)
        if code:
            rows[code[1]] = re.findall(r'<td class="number">(.*?)</td>', row)
    return rows


def section(html: str, code: str) -> str:
    return html.split(f'<section class="referral" id="code-{code}"', 1)[1].split("</section>")[0]


HIDDEN = "&lt;5"


def test_an_organiser_sees_every_link_and_code_with_its_counts(as_organiser: Client) -> None:
    response = as_organiser.get(PAGE)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    # Each sum adds only the weekly counts shown, and says so where it left some out.
    assert summary(html) == {
        "dc4hk": ["at least 107", HIDDEN, HIDDEN, HIDDEN],
        "fight-for-freedom": [HIDDEN, HIDDEN, HIDDEN, HIDDEN],
        "hkdc": ["at least 11", HIDDEN, HIDDEN, HIDDEN],
        "cfhk": [HIDDEN, HIDDEN, HIDDEN, HIDDEN],
        "dc4hk-april": [HIDDEN, "at least 5", HIDDEN, HIDDEN],
        "press": [HIDDEN, "at least 13", HIDDEN, HIDDEN],
    }
    assert "http://testserver" not in html  # links name the site's public address
    assert "/c/hketo/?ref=hkdc" in html
    assert "/zh-hant/c/hketo/?ref=hkdc" in html
    assert "post on Bluesky" in html  # 13 in a week: shown
    assert "Actions that came by these links: at least 18." in html
    assert 'role="img"' in html  # the chart of actions by link
    assert 'name="code"' in html  # and the form for a new code


def test_no_count_under_five_is_shown_to_a_cohost_nor_its_channel_named(
    as_staffer: Client,
) -> None:
    """The co-host's list names who came by its link and when: a "2" beside a call, in the
    week someone on it agreed, would say that they called."""
    own = section(as_staffer.get(PAGE).content.decode(), "dc4hk")
    assert "call: reached staff" not in own  # 2 last week, 9 this week
    assert "post on X" not in own  # 3
    assert "shared on WhatsApp" not in own  # 4
    by_step = own.split("</table>", 1)[0]
    steps = re.findall(r'<th scope="row">(.*?)</th><td class="number">(.*?)</td>', by_step)
    assert steps[0] == ("Lookups that found legislators", "at least 107")
    assert steps[1:] == [
        ("Actions, every channel", HIDDEN),
        ("Sign-ups confirmed by email", HIDDEN),
    ]


def test_it_counts_whole_weeks_that_have_ended_and_lists_them(as_staffer: Client) -> None:
    own = section(as_staffer.get(PAGE).content.decode(), "dc4hk")
    weeks = re.findall(r"<time datetime=\"([\d-]+W\d\d)\">.*?</th>(.*?)</tr>", own, re.S)
    assert [(name, re.findall(r">([^<]*)</td>", row)) for name, row in weeks] == [
        (week_name(last_week()), ["7", HIDDEN, HIDDEN, HIDDEN]),
        (week_name(last_week() - 2 * WEEK), ["100", HIDDEN, HIDDEN, HIDDEN]),
    ]  # newest first; the week in progress (50 lookups so far) is not there, nor quiet ones
    assert "157" not in own


def test_a_cohost_staffer_sees_only_their_own_link_and_codes(as_staffer: Client) -> None:
    html = as_staffer.get(PAGE).content.decode()
    assert set(summary(html)) == {"dc4hk", "dc4hk-april"}
    assert "hkdc" not in html
    assert "press" not in html
    assert "Press release" not in html
    assert 'name="code"' not in html  # codes are the organisers' to make
    made = as_staffer.post(PAGE, {"code": "mine", "label": ""})
    assert made.status_code == 404
    assert not ReferralCode.objects.filter(code="mine").exists()


def test_the_campaign_page_links_to_it_for_every_role(
    as_staffer: Client, counted: Campaign
) -> None:
    assert PAGE in as_staffer.get("/manage/c/hketo/").content.decode()
    assert (
        PAGE
        in sign_in_verified(Client(), organiser(counted)).get("/manage/c/hketo/").content.decode()
    )


def test_an_organiser_makes_a_code_for_a_cohost(as_organiser: Client, counted: Campaign) -> None:
    response = as_organiser.post(
        PAGE, {"code": "hkdc-gala", "label": "Gala flyer", "cohost": "hkdc"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}?made=hkdc-gala#code-hkdc-gala"
    made = ReferralCode.objects.get(code="hkdc-gala")
    assert (made.label, made.cohost.slug, made.created_by.username) == (  # type: ignore[union-attr]
        "Gala flyer",
        "hkdc",
        "organiser",
    )
    staffer = sign_in_verified(Client(), cohost_staffer(counted, "hkdc"))
    assert "hkdc-gala" in summary(staffer.get(PAGE).content.decode())


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("dc4hk", "This campaign has that code already."),  # a co-host's own
        ("press", "This campaign has that code already."),
        ("Spring", "Use lower-case letters only."),
        ("a b", "Enter a valid “slug”"),
    ],
)
def test_it_refuses_a_code_that_is_taken_or_malformed(
    as_organiser: Client, code: str, error: str
) -> None:
    response = as_organiser.post(PAGE, {"code": code})
    assert response.status_code == 200
    assert error in response.content.decode()
    assert ReferralCode.objects.count() == 2


def test_the_date_filter_widens_to_whole_weeks_and_narrows_every_count(
    as_organiser: Client,
) -> None:
    """One day asked for is its whole week: a day of a quiet code is often one person."""
    sunday = (last_week() + timedelta(days=6)).isoformat()
    html = as_organiser.get(PAGE, {"from": sunday, "to": sunday}).content.decode()
    assert summary(html)["dc4hk"] == ["7", HIDDEN, HIDDEN, HIDDEN]  # one week: exact
    assert summary(html)["press"] == [HIDDEN, "at least 13", HIDDEN, HIDDEN]
    assert f"The week counted: {week_name(last_week())}" in html
    old = (last_week() - 2 * WEEK + timedelta(days=3)).isoformat()
    earlier = as_organiser.get(PAGE, {"from": old, "to": old}).content.decode()
    assert summary(earlier)["dc4hk"] == ["100", HIDDEN, HIDDEN, HIDDEN]
    assert summary(earlier)["press"] == [HIDDEN, HIDDEN, HIDDEN, HIDDEN]


def test_this_week_is_not_counted_until_it_ends(as_organiser: Client) -> None:
    today = timezone.now().date().isoformat()
    html = as_organiser.get(PAGE, {"from": today, "to": today}).content.decode()
    assert "No week in these dates has ended yet, so nothing is counted." in html
    assert "50" not in summary(html).get("dc4hk", [])
    assert "nothing counted yet" in html
    assert "/c/hketo/?ref=dc4hk" in html  # the links are there all the same


@pytest.mark.parametrize(
    ("first", "last", "today", "weeks"),
    [
        # A Sunday: its week is still going, until midnight (UTC).
        (None, None, date(2025, 3, 16), ["2025-W08", "2025-W09", "2025-W10"]),
        # The Monday after: that week has ended.
        (None, None, date(2025, 3, 17), ["2025-W08", "2025-W09", "2025-W10", "2025-W11"]),
        # Days in the middle of weeks widen to the whole weeks.
        (date(2025, 3, 5), date(2025, 3, 11), date(2025, 6, 1), ["2025-W10", "2025-W11"]),
        # The week in progress is cut off; a period within it has no week at all.
        (date(2025, 3, 5), date(2025, 4, 30), date(2025, 3, 19), ["2025-W10", "2025-W11"]),
        (date(2025, 3, 18), None, date(2025, 3, 19), []),
    ],
)
def test_the_weeks_counted_are_whole_iso_weeks_that_have_ended(
    hketo: Campaign, first: date | None, last: date | None, today: date, weeks: list[str]
) -> None:
    hketo.opens_on = date(2025, 2, 19)  # a Wednesday of 2025-W08
    found = counted_weeks(hketo, Period(first, last), today)
    assert [week_name(monday) for monday in found.mondays] == weeks
    assert all(monday.isoweekday() == 1 for monday in found.mondays)


def test_it_speaks_traditional_chinese(as_organiser: Client) -> None:
    html = as_organiser.get("/zh-hant" + PAGE).content.decode()
    assert "推薦連結" in html
    assert "香港民主委員會" in html


def test_outsiders_get_404_and_strangers_sign_in(client: Client, counted: Campaign) -> None:
    assert client.get(PAGE).status_code == 302
    sign_in_verified(client, outsider())
    assert client.get(PAGE).status_code == 404
    assert client.post(PAGE, {"code": "x"}).status_code == 404


def test_no_day_is_stored_finer_than_a_date(counted: Campaign) -> None:
    assert {type(day) for day in ReferralCount.objects.values_list("day", flat=True)} == {date}


def test_dates_out_of_all_reason_are_refused_and_far_dates_cost_nothing(
    as_organiser: Client, counted: Campaign
) -> None:
    html = as_organiser.get(PAGE, {"from": "0001-01-01"}).content.decode()
    assert "Pick a day from 2000-01-01 to 2099-12-31." in html
    today = timezone.now().date()
    every = counted_weeks(counted, Period(), today)
    # The campaign's life, from its first count to the last week ended, whatever is asked.
    assert counted_weeks(counted, Period(date(1, 1, 1), date(9999, 12, 31)), today) == every
    first_count = last_week() - 2 * WEEK + timedelta(days=1)
    assert every.first == monday_of(min(counted.opens_on, first_count))
