"""Referral links: a code travels from the campaign page through the lookup to the action page
and its forms, in URLs and hidden fields, and each step is counted under it, by day, with the
caches on as `urge serve` runs them. Nothing on any action or sign-up says which link a
person came by, and a code the campaign does not have is counted nowhere."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.conftest import EXAMPLE
from tests.supporters import wording
from tests.test_groupcommit import run_together
from tests.wsgi import request
from urge.actions.models import ActionEvent
from urge.campaigns.folder import read_campaign_folder
from urge.campaigns.loading import save_campaign
from urge.campaigns.models import Campaign
from urge.core.httpcache import HttpCache
from urge.legislators.models import DataRelease
from urge.sharing.counting import LOOKUP, Increment, _counts, count, write_increments
from urge.sharing.models import ReferralCode, ReferralCount
from urge.supporters import signup
from urge.supporters.signup import Submission

CODES = ("dc4hk", "hkdc")


@pytest.fixture(autouse=True)
def _production() -> None:
    from django.conf import settings

    assert settings.URGE_PAGE_CACHE_SECONDS == 10  # as `urge serve` runs, by default
    assert settings.URGE_GROUP_COMMIT
    cache.clear()


def counts() -> dict[tuple[str, str], int]:
    rows = ReferralCount.objects.values_list("code", "kind", "total")
    return {(code, kind): total for code, kind, total in rows}


def hidden_refs(html: str) -> list[str]:
    return re.findall(r'name="ref" value="([^"]*)"', html)


def visit_and_post(site: HttpCache, ref: str) -> str:
    """One supporter: the campaign page (by a link with `ref`, or none), the ZIP lookup, the
    action page, and a post on X from it. Returns the action page's address."""
    page_url = f"/c/hketo/?{urlencode({'ref': ref})}" if ref else "/c/hketo/"
    assert request(site, page_url).status == 200
    lookup = request(site, page_url, "POST", b"zip=98101")
    assert lookup.status == 303
    act_url = lookup.headers["Location"]
    act = request(site, act_url)
    assert act.status == 200
    fields = {"channel": "post-x", "target": "S000001", "variant": "ask-for-a-vote", "text": "Hi"}
    carried = set(hidden_refs(act.text))
    if carried:
        (fields["ref"],) = carried  # as the browser sends the form: its hidden field
    sent = request(site, "/c/hketo/act/go/", "POST", urlencode(fields).encode())
    assert sent.status == 200  # the page on the way out to X
    return act_url


def test_visits_in_a_row_each_count_under_their_own_code(
    hketo: Campaign, release: DataRelease, site: HttpCache
) -> None:
    for _round in range(2):  # the second round's pages come from the cache
        for ref in (*CODES, "", "no-such-code"):
            act_url = visit_and_post(site, ref)
            assert ("ref=" + ref in act_url) == (ref in CODES)
    assert "Age" in request(site, "/c/hketo/?ref=hkdc").headers
    assert counts() == {
        ("dc4hk", LOOKUP): 2,
        ("dc4hk", "post-x"): 2,
        ("hkdc", LOOKUP): 2,
        ("hkdc", "post-x"): 2,
    }
    assert set(ReferralCount.objects.values_list("day", flat=True)) == {timezone.now().date()}
    assert ActionEvent.objects.count() == 8  # every post is an action, whatever its link


def test_no_action_row_says_which_link_it_came_by(
    hketo: Campaign, release: DataRelease, site: HttpCache
) -> None:
    visit_and_post(site, "dc4hk")
    columns = {field.name for field in ActionEvent._meta.get_fields()}
    assert columns == {"id", "campaign", "channel", "target", "variant", "target_state", "hour"}
    stored = ActionEvent.objects.values_list("channel", "target", "variant", "target_state")
    assert not {"dc4hk"} & {value for row in stored for value in row}


def test_the_code_travels_in_every_form_of_the_action_page(
    hketo: Campaign, release: DataRelease, site: HttpCache
) -> None:
    page = request(site, "/c/hketo/?ref=dc4hk").text
    assert set(hidden_refs(page)) == {"dc4hk"}  # the lookup form
    act = request(site, "/c/hketo/act/?t=S000001%2CS000002&state=WA&ref=dc4hk").text
    forms = act.count("<form")
    assert hidden_refs(act) == ["dc4hk"] * forms  # posts, letters, call outcomes, sharing
    assert 'hreflang="zh-Hant" lang="zh-Hant"' in act
    assert "/zh-hant/c/hketo/act/?t=S000001%2CS000002&amp;state=WA&amp;ref=dc4hk" in act


def test_an_unknown_code_is_dropped_and_counted_nowhere(
    hketo: Campaign, release: DataRelease, site: HttpCache
) -> None:
    act = request(site, "/c/hketo/act/?t=S000001&state=WA&ref=made-up").text
    assert hidden_refs(act) == []
    assert "made-up" not in act
    visit_and_post(site, "made-up")
    assert counts() == {}


def test_a_call_outcome_comes_back_with_the_code(
    hketo: Campaign, release: DataRelease, site: HttpCache
) -> None:
    fields = {
        "channel": "call-reached",
        "target": "S000001",
        "variant": "ask-for-a-vote",
        "t": "S000001",
        "state": "WA",
        "ref": "hkdc",
    }
    answer = request(site, "/c/hketo/act/go/", "POST", urlencode(fields).encode())
    assert answer.status == 303
    assert "ref=hkdc" in answer.headers["Location"]
    assert counts() == {("hkdc", "call-reached"): 1}


def test_a_code_made_in_the_dashboard_counts_from_the_next_visit(
    hketo: Campaign, release: DataRelease, site: HttpCache
) -> None:
    visit_and_post(site, "spring-newsletter")
    assert counts() == {}
    ReferralCode.objects.create(campaign=hketo, code="spring-newsletter")
    visit_and_post(site, "spring-newsletter")
    assert counts() == {("spring-newsletter", LOOKUP): 1, ("spring-newsletter", "post-x"): 1}


def submission(referral: str, email: str = "ah.ming@example.org") -> Submission:
    return Submission(
        first_name="Ah Ming",
        last_name="Chan",
        email=email,
        zip_code="98104",
        phone="",
        language="en",
        chosen=[wording("dc4hk")],
        referral=referral,
    )


def test_a_sign_up_counts_under_its_code_once_confirmed_and_only_once(hketo: Campaign) -> None:
    supporter = signup.submit(hketo, submission("dc4hk"))
    assert counts() == {}  # not a sign-up until its email is confirmed
    assert signup.confirm(supporter)
    assert not signup.confirm(supporter)  # the button pressed twice
    again = signup.submit(hketo, submission("dc4hk"))  # signing up again, confirmed again
    assert signup.confirm(again)
    unknown = signup.submit(hketo, submission("no-such-code", email="ada@example.org"))
    assert signup.confirm(unknown)
    assert counts() == {("dc4hk", "signup"): 1}


def test_a_consent_keeps_only_a_code_the_campaign_has(hketo: Campaign) -> None:
    """The co-host's export shows the consent's code: a made-up `ref` must not reach it."""
    made_up = signup.submit(hketo, submission("<a href=x>free-text</a>", email="bo@example.org"))
    assert signup.confirm(made_up)
    known = signup.submit(hketo, submission("dc4hk", email="cy@example.org"))
    assert signup.confirm(known)
    assert [c.referral for c in made_up.consents.all()] == [""]
    assert [c.referral for c in known.consents.all()] == ["dc4hk"]


def test_a_batch_adds_each_counter_once_with_its_sum(hketo: Campaign, settings: Any) -> None:
    today = timezone.now().date()
    lookup = Increment(hketo.pk, "dc4hk", today, LOOKUP)
    post = Increment(hketo.pk, "hkdc", today, "post-x")
    write_increments([lookup, post, lookup, lookup])
    write_increments([post])
    assert counts() == {("dc4hk", LOOKUP): 3, ("hkdc", "post-x"): 2}
    assert ReferralCount.objects.count() == 2  # one row per code, day and kind


@pytest.mark.django_db(transaction=True)
def test_concurrent_lookups_share_commits_and_every_one_is_counted() -> None:
    """Through the group-commit writer, as under a spike: each request waits for its commit."""
    campaign = save_campaign(read_campaign_folder(EXAMPLE)).campaign
    try:
        answers = run_together([lambda: count(campaign, "dc4hk", LOOKUP) for _ in range(30)])
    finally:
        _counts.stop()
    assert answers == [None] * 30
    assert counts() == {("dc4hk", LOOKUP): 30}
