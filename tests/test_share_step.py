"""The "share this" step: after acting (the action page) and after signing up (the thank-you
and confirmed pages), the campaign's link and ready text for each platform, in the page's
language. A share goes through the action endpoint and is counted like an action, apart
from the actions on legislators, with the referral code the supporter came by and nothing
about them."""

from __future__ import annotations

import re
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.core.cache import cache
from django.test import Client

from tests.supporters import sign_up
from tests.test_link_pages import link
from tests.wsgi import request
from urge.actions.models import ActionEvent
from urge.actions.recording import totals
from urge.campaigns.models import Campaign
from urge.core.httpcache import HttpCache
from urge.dashboard.tallies import Weeks, monday_of, tally
from urge.legislators.models import DataRelease
from urge.sharing.models import ReferralCount
from urge.supporters import bots
from urge.supporters.links import CONFIRM

SITE = "https://urge.example.org"
ACT = "/c/hketo/act/?t=S000001%2CS000002&state=WA"
EN_TITLE = "Bring the HKETO Certification Act to a vote in the Senate"
ZH_TITLE = "促請參議院表決《香港經濟貿易辦事處認證法案》"
CHANNELS = [
    "share-x",
    "share-bluesky",
    "share-threads",
    "share-mastodon",
    "share-facebook",
    "share-whatsapp",
    "share-telegram",
    "share-email",
]


@pytest.fixture(autouse=True)
def _public_address(settings: Any) -> None:
    settings.URGE_SITE_URL = SITE
    cache.clear()


def share_section(html: str) -> str:
    found = re.search(r'<section id="share".*?</section>', html, re.S)
    assert found is not None, "no share step on the page"
    return found[0]


def destination(html: str) -> str:
    found = re.search(r'<meta http-equiv="refresh" content="0;url=([^"]+)">', html)
    assert found is not None
    return unescape(found[1])


def share(site: HttpCache, channel: str, prefix: str = "", **fields: str) -> str:
    body = urlencode({"channel": channel, **fields}).encode()
    answer = request(site, f"{prefix}/c/hketo/act/go/", "POST", body)
    assert answer.status == 200
    return destination(answer.text)


def test_the_action_page_ends_with_the_share_step(
    hketo: Campaign, release: DataRelease, site: HttpCache
) -> None:
    html = request(site, ACT).text
    section = share_section(html)
    assert f'value="{SITE}/c/hketo/"' in section  # the campaign's link, not this page's
    assert "S000001" not in section
    assert "WA" not in section
    assert re.findall(r'name="channel" value="([\w-]+)"', section) == CHANNELS
    assert 'name="ref"' not in section
    assert 'data-copy-link="share-link"' in section  # shown by share.js, which counts a copy
    assert '<script src="/static/sharing/share.js" defer></script>' in html


def test_with_a_code_the_shared_link_keeps_it(
    hketo: Campaign, release: DataRelease, site: HttpCache
) -> None:
    section = share_section(request(site, ACT + "&ref=dc4hk").text)
    assert f'value="{SITE}/c/hketo/?ref=dc4hk"' in section
    assert '<input type="hidden" name="ref" value="dc4hk">' in section


def test_after_the_last_call_the_page_points_to_the_share_step(
    hketo: Campaign, release: DataRelease, site: HttpCache
) -> None:
    done = request(site, ACT + "&done=call-reached&done_for=S000002").text
    assert 'href="#share"' in done


@pytest.mark.parametrize(
    ("channel", "host", "path", "field"),
    [
        ("share-x", "x.com", "/intent/tweet", "text"),
        ("share-bluesky", "bsky.app", "/intent/compose", "text"),
        ("share-threads", "www.threads.com", "/intent/post", "text"),
        ("share-mastodon", "share.joinmastodon.org", "/", "text"),
        ("share-whatsapp", "wa.me", "/", "text"),
    ],
)
def test_a_share_opens_the_platform_with_the_title_and_link_and_is_counted(
    hketo: Campaign,
    release: DataRelease,
    site: HttpCache,
    channel: str,
    host: str,
    path: str,
    field: str,
) -> None:
    location = urlsplit(share(site, channel, ref="dc4hk"))
    assert (location.netloc, location.path) == (host, path)
    (text,) = parse_qs(location.query)[field]
    assert text == f"{EN_TITLE}. Take part: {SITE}/c/hketo/?ref=dc4hk"
    event = ActionEvent.objects.get()
    assert (event.channel, event.target, event.variant, event.target_state) == (channel, "", "", "")
    assert list(ReferralCount.objects.values_list("code", "kind", "total")) == [
        ("dc4hk", channel, 1)
    ]


def test_facebook_telegram_and_email_get_the_link_their_own_way(
    hketo: Campaign, release: DataRelease, site: HttpCache
) -> None:
    link = f"{SITE}/c/hketo/"
    facebook = urlsplit(share(site, "share-facebook"))
    assert facebook.netloc == "www.facebook.com"
    assert parse_qs(facebook.query) == {"u": [link]}
    telegram = parse_qs(urlsplit(share(site, "share-telegram")).query)
    assert telegram == {"url": [link], "text": [EN_TITLE]}
    email = urlsplit(share(site, "share-email"))
    assert email.scheme == "mailto"
    assert email.path == ""
    message = parse_qs(email.query)
    assert message["subject"] == [EN_TITLE]
    assert message["body"][0].endswith(f"Take part: {link}")
    assert ActionEvent.objects.count() == 3
    assert not ReferralCount.objects.exists()  # no code, nothing counted per code


def test_in_chinese_the_text_and_link_are_chinese(
    hketo: Campaign, release: DataRelease, site: HttpCache
) -> None:
    (text,) = parse_qs(urlsplit(share(site, "share-x", prefix="/zh-hant")).query)["text"]
    assert text.startswith(ZH_TITLE)
    assert "一起參與" in text
    assert text.endswith(f"{SITE}/zh-hant/c/hketo/")
    section = share_section(request(site, "/zh-hant" + ACT).text)
    assert "分享這個行動" in section
    assert "在 WhatsApp 分享" in section


def test_a_copied_link_is_counted_quietly(
    hketo: Campaign, release: DataRelease, site: HttpCache
) -> None:
    body = urlencode({"channel": "share-copy", "ref": "hkdc"}).encode()
    answer = request(site, "/c/hketo/act/go/", "POST", body, HTTP_ACCEPT="application/json")
    assert answer.status == 204
    assert ActionEvent.objects.get().channel == "share-copy"
    assert ReferralCount.objects.get().kind == "share-copy"


def test_shares_are_no_action_on_a_legislator(
    hketo: Campaign, release: DataRelease, site: HttpCache
) -> None:
    share(site, "share-x")
    share(site, "share-email")
    assert totals(hketo)["all"] == 0
    monday = monday_of(ActionEvent.objects.earliest("hour").hour.date())
    counted = tally(hketo, Weeks([monday]))  # the week in progress, as the dashboard will count it
    assert counted.channels == counted.targets == {}
    assert counted.shares == {(monday, "share-email"): 1, (monday, "share-x"): 1}


def test_the_thank_you_page_offers_the_step_with_the_code_the_form_carried(
    hketo: Campaign, site: HttpCache, settings: Any
) -> None:
    settings.URGE_SIGNUP_MIN_SECONDS = 0
    fields = {
        "first_name": "Ah Ming",
        "last_name": "Chan",
        "email": "ah.ming@example.org",
        "zip_code": "98104",
        "stamp": bots.new_stamp(),
        "ref": "dc4hk",
    }
    answer = request(site, "/c/hketo/join/", "POST", urlencode(fields).encode())
    assert answer.status == 303
    assert answer.headers["Location"] == "/c/hketo/join/thanks/?ref=dc4hk"
    section = share_section(request(site, answer.headers["Location"]).text)
    assert f'value="{SITE}/c/hketo/?ref=dc4hk"' in section
    made_up = share_section(request(site, "/c/hketo/join/thanks/?ref=made-up").text)
    assert "made-up" not in made_up


def test_the_confirmed_page_offers_the_step_without_any_code(hketo: Campaign) -> None:
    supporter = sign_up(hketo)
    page = Client().post(link(CONFIRM, supporter)).content.decode()
    assert "You are confirmed" in page
    section = share_section(page)
    assert f'value="{SITE}/c/hketo/"' in section
    assert 'name="ref"' not in section
