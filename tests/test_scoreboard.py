"""The public scoreboard: every targeted legislator grouped by stance, a state filter in the
URL, counts of actions per legislator (never who), cacheable, in both languages."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from tests.wsgi import request
from urge.actions.counts import TargetCounts, counts_by_target
from urge.actions.models import ActionEvent
from urge.campaigns.models import Campaign, Stance
from urge.core.httpcache import HttpCache
from urge.legislators.models import DataRelease
from urge.pages.scoreboard import groups_for, scoreboard_targets

BOARD = "/c/hketo/scoreboard/"
SOURCE = "https://www.congress.gov/member/ara/S000001"


@pytest.fixture(autouse=True)
def _fresh_counts() -> None:
    cache.clear()


@pytest.fixture
def stances(hketo: Campaign) -> None:
    for bioguide, stance in [("S000001", "cosponsor"), ("S000004", "opposes")]:
        Stance.objects.create(
            campaign=hketo,
            bioguide=bioguide,
            stance=stance,
            source=SOURCE,
            date=datetime.date(2025, 6, 1),
        )


def act(campaign: Campaign, target: str, channel: str, times: int = 1) -> None:
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    for _ in range(times):
        ActionEvent.objects.create(
            campaign=campaign,
            channel=channel,
            target=target,
            variant="ask-for-a-vote",
            target_state="WA",
            hour=hour,
        )


def page(client: Client, url: str = BOARD) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, stance: str) -> str:
    """The part of the page that lists one stance's legislators."""
    return html.split(f'<section id="stance-{stance}"', 1)[1].split("</section>", 1)[0]


def cards(html: str) -> list[str]:
    return re.findall(r'<li class="member" id="m-(\w+)">', html)


def test_it_groups_every_targeted_legislator_by_stance(
    client: Client, hketo: Campaign, release: DataRelease, stances: None
) -> None:
    html = page(client)
    assert cards(section(html, "cosponsor")) == ["S000001"]
    assert cards(section(html, "opposes")) == ["S000004"]
    assert "Nobody here yet." in section(html, "supports-vote")
    # The ten other senators of the sample release: no stance recorded.
    assert len(cards(section(html, "unknown"))) == 10
    assert "R000007" not in html  # a representative: the campaign asks only for senators
    cosponsor = section(html, "cosponsor")
    assert "Sara S000001" in cosponsor
    assert "Senator for Washington · Independent" in cosponsor
    assert "Stance: cosponsor (as of June 1, 2025)" in cosponsor
    assert f'<a href="{SOURCE}">source</a>' in cosponsor


def test_the_groups_keep_their_order_and_sort_by_state_then_name(
    hketo: Campaign, release: DataRelease, stances: None
) -> None:
    groups = groups_for(scoreboard_targets(hketo), {})
    assert [group.stance for group in groups] == [
        "cosponsor",
        "supports-vote",
        "undecided",
        "opposes",
        "unknown",
    ]
    unknown = [card.target.member.state for card in groups[-1].cards]
    assert unknown == ["AZ", "AZ", "CA", "CA", "NM", "NM", "SD", "TX", "TX", "WA"]


def test_a_state_in_the_url_shows_that_states_legislators_only(
    client: Client, hketo: Campaign, release: DataRelease, stances: None
) -> None:
    html = page(client, BOARD + "?state=WA")
    assert sorted(cards(html)) == ["S000001", "S000002"]
    assert "Showing Washington only." in html
    assert '<option value="WA" selected>Washington</option>' in html
    assert '<label for="board-state">' in html  # a plain GET form, labelled
    assert re.search(r'<form method="get" action="/c/hketo/scoreboard/"', html)


def test_an_unknown_state_shows_every_state(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    html = page(client, BOARD + "?state=ZZ")
    assert len(cards(html)) == 12
    assert "Showing" not in html


def test_it_counts_actions_towards_each_legislator_and_never_who(
    client: Client, hketo: Campaign, release: DataRelease, stances: None
) -> None:
    act(hketo, "S000001", "post-x", 2)
    act(hketo, "S000001", "call-reached")
    act(hketo, "S000001", "call-skipped")  # not an action, as on the campaign page
    act(hketo, "S000002", "email-form")
    assert counts_by_target(hketo)["S000001"] == TargetCounts(post=2, email=0, call=1)
    html = page(client)
    card = section(html, "cosponsor")
    assert "3 actions so far: Posts: 2 · Emails: 0 · Calls: 1" in card
    assert "1 action so far: Posts: 0 · Emails: 1 · Calls: 0" in section(html, "unknown")
    assert "0 actions so far" in section(html, "opposes")


def test_the_counts_are_remembered_briefly_like_the_campaign_totals(
    hketo: Campaign, release: DataRelease
) -> None:
    act(hketo, "S000001", "post-x")
    assert counts_by_target(hketo)["S000001"].all == 1
    act(hketo, "S000001", "post-x")
    assert counts_by_target(hketo)["S000001"].all == 1  # within 30 s
    cache.clear()
    assert counts_by_target(hketo)["S000001"].all == 2


def test_it_is_one_page_for_everyone_cached_by_its_url(
    hketo: Campaign, release: DataRelease, site: HttpCache
) -> None:
    answer = request(site, BOARD + "?state=WA")
    assert answer.status == 200
    assert "public" in answer.headers["Cache-Control"]
    assert "max-age=10" in answer.headers["Cache-Control"]
    assert "Set-Cookie" not in answer.headers
    # The state is part of the cached URL: another state is another page.
    other = request(site, BOARD + "?state=AZ")
    assert "Showing Arizona only." in other.text
    assert "Showing Washington only." in request(site, BOARD + "?state=WA").text


def test_a_stance_change_shows_at_the_next_render(
    hketo: Campaign, release: DataRelease, site: HttpCache
) -> None:
    assert "m-S000003" in section(request(site, BOARD + "?v=1").text, "unknown")
    Stance.objects.create(
        campaign=hketo, bioguide="S000003", stance="supports-vote", source=SOURCE, date="2025-06-01"
    )
    assert "m-S000003" in section(request(site, BOARD + "?v=2").text, "supports-vote")


def test_it_reads_in_traditional_chinese(
    client: Client, hketo: Campaign, release: DataRelease, stances: None
) -> None:
    html = page(client, "/zh-hant" + BOARD + "?state=WA")
    assert '<html lang="zh-Hant">' in html
    assert "議員的立場</h1>" in html
    assert "聯署提案人" in html
    assert "只顯示某一州份的議員" in html
    assert 'hreflang="en" href="http://testserver/c/hketo/scoreboard/?state=WA"' in html
    assert "/zh-hant/c/hketo/" in html  # its links stay in the reader's language


def test_the_campaign_page_and_the_action_page_link_to_it(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    assert f'href="{BOARD}"' in page(client, "/c/hketo/")
    # The supporter's own state, from their lookup answer, filters the scoreboard.
    act_page = page(client, "/c/hketo/act/?t=S000001%2CS000002&state=WA")
    assert f'href="{BOARD}?state=WA"' in act_page
    assert 'href="/zh-hant/c/hketo/scoreboard/"' in page(client, "/zh-hant/c/hketo/")


def test_it_answers_404_for_a_campaign_that_does_not_exist(client: Client, db: None) -> None:
    assert client.get("/c/nothing-here/scoreboard/").status_code == 404
