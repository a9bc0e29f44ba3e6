"""The referral page of the dashboard: per link, lookups, actions by channel and sign-ups, as
counts only. Organisers see every co-host's link and every code, and make codes; a
co-host's staff see only their own co-host's link and the codes made for it."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.people import cohost_staffer, organiser, outsider, sign_in_verified
from urge.campaigns.models import Campaign
from urge.sharing.models import ReferralCode, ReferralCount

PAGE = "/manage/c/hketo/referrals/"


@pytest.fixture
def counted(hketo: Campaign) -> Campaign:
    """Counts under two co-hosts' links and two made codes, today and ten days ago."""
    ReferralCode.objects.create(
        campaign=hketo,
        code="dc4hk-april",
        label="DC4HK's April letter",
        cohost=hketo.cohosts.get(slug="dc4hk"),
    )
    ReferralCode.objects.create(campaign=hketo, code="press", label="Press release")
    today = timezone.now().date()
    for code, day, kind, total in [
        ("dc4hk", today, "lookup", 7),
        ("dc4hk", today, "post-x", 3),
        ("dc4hk", today, "call-reached", 2),
        ("dc4hk", today, "share-whatsapp", 4),
        ("dc4hk", today, "signup", 1),
        ("dc4hk", today - timedelta(days=10), "lookup", 100),
        ("dc4hk-april", today, "email-form", 5),
        ("hkdc", today, "lookup", 11),
        ("press", today, "post-bluesky", 13),
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
            rows[code[1]] = re.findall(r'<td class="number">([\d,]+)</td>', row)
    return rows


def test_an_organiser_sees_every_link_and_code_with_its_counts(as_organiser: Client) -> None:
    response = as_organiser.get(PAGE)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert summary(html) == {
        "dc4hk": ["107", "5", "4", "1"],
        "fight-for-freedom": ["0", "0", "0", "0"],
        "hkdc": ["11", "0", "0", "0"],
        "cfhk": ["0", "0", "0", "0"],
        "dc4hk-april": ["0", "5", "0", "0"],
        "press": ["0", "13", "0", "0"],
    }
    assert "http://testserver" not in html  # links name the site's public address
    assert "/c/hketo/?ref=hkdc" in html
    assert "/zh-hant/c/hketo/?ref=hkdc" in html
    assert "post on X" in html
    assert "shared on WhatsApp" in html
    assert 'role="img"' in html  # the chart of actions by link
    assert 'name="code"' in html  # and the form for a new code


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


def test_the_date_filter_narrows_every_count(as_organiser: Client) -> None:
    today = timezone.now().date()
    html = as_organiser.get(PAGE, {"from": today.isoformat(), "to": today.isoformat()})
    assert summary(html.content.decode())["dc4hk"] == ["7", "5", "4", "1"]
    old = (today - timedelta(days=10)).isoformat()
    earlier = as_organiser.get(PAGE, {"from": old, "to": old}).content.decode()
    assert summary(earlier)["dc4hk"] == ["100", "0", "0", "0"]
    assert summary(earlier)["press"] == ["0", "0", "0", "0"]


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
