"""The action page: every channel for every target, no JavaScript needed, counted anonymously."""

import logging
import re
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.test import Client

from urge.actions.models import ActionEvent
from urge.campaigns.models import Campaign, Stance
from urge.legislators.models import DataRelease

ACT = "/c/hketo/act/?t=S000001%2CS000002&state=WA"


@pytest.fixture(autouse=True)
def _fresh_totals() -> None:
    cache.clear()


def page(client: Client, url: str = ACT) -> str:
    response = client.get(url)
    assert response.status_code == 200
    assert response.cookies == {}
    return response.content.decode()


def go(client: Client, **fields: str) -> object:
    return client.post("/c/hketo/act/go/", {"target": "S000001", **fields})


def destination(response: object) -> str:
    """Where the page after a send takes the browser (a refresh, as forms may not redirect out)."""
    assert response.status_code == 200  # type: ignore[attr-defined]
    html = response.content.decode()  # type: ignore[attr-defined]
    refresh = re.search(r'<meta http-equiv="refresh" content="0;url=([^"]+)">', html)
    assert refresh is not None
    return unescape(refresh[1])


def test_the_lookup_leads_to_the_action_page_for_the_campaigns_targets(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    response = client.post("/", {"zip": "98101"})
    assert response.status_code == 303
    assert response["Location"] == "/c/hketo/act/?t=S000001%2CS000002&state=WA"


def test_it_shows_each_target_with_posts_a_letter_and_a_call(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    html = page(client)
    assert html.count('class="target panel"') == 2
    assert "Senator Sara S000001" in html
    # X mentions the handle the data has, starting with ".@" to keep the post public.
    assert ".@SenatorAra The House passed the HKETO Certification Act 413-3" in html
    # Bluesky has no handles in the data: the name, never a broken mention.
    assert "Senator Sara S000002 The House passed" in html
    assert "http://testserver/c/hketo/" in html
    assert "Please support a Senate vote on the HKETO Certification Act" in html
    assert "Dear Senator S000001," in html
    assert "as a resident of Washington" in html
    assert 'href="tel:+12022240001"' in html
    assert 'href="tel:+12065550100"' in html  # the Seattle office
    assert "Reached staff" in html


def test_the_page_in_chinese_keeps_messages_in_english_with_a_rendering(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    html = page(client, "/zh-hant" + ACT)
    assert ".@SenatorAra The House passed" in html
    assert "上一屆國會" in html
    assert "眾議院以413票對3票通過" in html
    assert 'lang="en"' in html
    assert 'lang="zh-Hant"' in html


def test_a_legislator_with_a_stance_gets_the_matching_wording(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    Stance.objects.create(
        campaign=hketo,
        bioguide="S000001",
        stance="cosponsor",
        source="https://www.congress.gov/",
        date="2025-06-01",
    )
    html = page(client)
    assert "Thank you .@SenatorAra" not in html
    assert "Thank you @SenatorAra for standing with Hong Kongers" in html
    assert "Stance: cosponsor" in html
    assert "The House passed the HKETO Certification Act 413-3" in html  # still, for S000002


def test_the_supporter_can_switch_to_another_wording(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    html = page(client, ACT + "&post=privileges")
    assert "trade offices in the US keep diplomatic-style privileges" in html
    assert "The House passed the HKETO" not in html


@pytest.mark.parametrize(
    ("channel", "host", "path"),
    [
        ("post-x", "x.com", "/intent/tweet"),
        ("post-bluesky", "bsky.app", "/intent/compose"),
        ("post-threads", "www.threads.com", "/intent/post"),
        ("post-mastodon", "share.joinmastodon.org", "/"),
    ],
)
def test_posting_sends_the_edited_text_to_the_platform_and_counts_it(
    client: Client, hketo: Campaign, release: DataRelease, channel: str, host: str, path: str
) -> None:
    edited = "My own words & a #hashtag, 香港"
    response = go(client, channel=channel, variant="ask-for-a-vote", text=edited)
    location = urlsplit(destination(response))
    assert (location.netloc, location.path) == (host, path)
    assert parse_qs(location.query)["text"] == [edited]
    event = ActionEvent.objects.get()
    assert (event.channel, event.target, event.variant, event.target_state) == (
        channel,
        "S000001",
        "ask-for-a-vote",
        "WA",
    )
    assert (event.hour.minute, event.hour.second) == (0, 0)


def test_mastodon_posts_go_to_the_supporters_own_server(
    hketo: Campaign, release: DataRelease
) -> None:
    client = Client(headers={"Sec-Fetch-Site": "same-origin"})
    response = go(
        client, channel="post-mastodon", variant="ask-for-a-vote", text="hi", instance="hk.social"
    )
    assert destination(response) == "https://hk.social/share?text=hi"
    bad = go(client, channel="post-mastodon", variant="ask-for-a-vote", text="hi", instance="x/y")
    assert bad.status_code == 400  # type: ignore[attr-defined]


def test_email_opens_the_contact_form_or_a_compose_window(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    form = go(client, channel="email-form", variant="letter", subject="S", text="Body")
    assert destination(form) == "https://s000001.example.gov/contact"
    mail = go(
        client, channel="email-mailto", variant="letter", subject="A b", text="Line 1\nLine 2"
    )
    assert destination(mail) == "mailto:?subject=A%20b&body=Line%201%0D%0ALine%202"
    gmail = go(client, channel="email-gmail", variant="letter", subject="S", text="B")
    assert destination(gmail).startswith("https://mail.google.com/mail/?view=cm")
    assert ActionEvent.objects.count() == 3


def test_a_copied_letter_is_counted_quietly_for_the_copy_button(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    response = client.post(
        "/c/hketo/act/go/",
        {"target": "S000001", "channel": "email-copy", "variant": "letter", "text": "x"},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 204
    assert ActionEvent.objects.get().channel == "email-copy"


def test_a_call_outcome_is_counted_and_the_page_says_thank_you(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    response = go(client, channel="call-reached", variant="ask-for-a-vote", t="S000001", state="WA")
    location = response.headers["Location"]  # type: ignore[attr-defined]
    assert location.startswith("/c/hketo/act/?t=S000001&state=WA&done=call-reached")
    assert location.endswith("#target-S000001")
    assert "your call is counted" in page(client, location.split("#")[0])


def test_the_campaign_page_shows_live_totals(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    go(client, channel="post-x", variant="ask-for-a-vote", text="a")
    go(client, channel="call-voicemail", variant="ask-for-a-vote")
    go(client, channel="call-skipped", variant="ask-for-a-vote")
    cache.clear()
    html = page(client, "/")
    assert "2 actions taken so far." in html
    assert "Posts: 1 · Emails: 0 · Calls: 1" in html


@pytest.mark.parametrize(
    "fields",
    [
        {"channel": "post-telegram", "variant": "ask-for-a-vote", "text": "a"},
        {"channel": "post-x", "variant": "no-such-wording", "text": "a"},
        {"channel": "post-x", "variant": "ask-for-a-vote", "text": " "},
        {"channel": "post-x", "variant": "ask-for-a-vote", "text": "a", "target": "Z999999"},
    ],
)
def test_it_refuses_what_it_cannot_count_honestly(
    client: Client, hketo: Campaign, release: DataRelease, fields: dict[str, str]
) -> None:
    assert client.post("/c/hketo/act/go/", {"target": "S000001", **fields}).status_code == 400
    assert not ActionEvent.objects.exists()


def test_counting_knows_nothing_about_who_acted(
    client: Client, hketo: Campaign, release: DataRelease, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    response = client.post(
        "/c/hketo/act/go/",
        {"target": "S000001", "channel": "post-x", "variant": "ask-for-a-vote", "text": "a"},
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.cookies == {}
    fields = {field.name for field in ActionEvent._meta.get_fields()}
    assert fields == {"id", "campaign", "channel", "target", "variant", "target_state", "hour"}
    assert "203.0.113.7" not in caplog.text


def test_a_flood_from_one_connection_still_moves_on_but_stops_counting(
    client: Client, hketo: Campaign, release: DataRelease, settings: Any
) -> None:
    settings.URGE_RATE_ACTION = (2, 3600)
    for _ in range(3):
        response = go(client, channel="post-x", variant="ask-for-a-vote", text="a")
        assert urlsplit(destination(response)).netloc == "x.com"
    assert ActionEvent.objects.count() == 2


def mastodon_via(client: Client, server: str) -> Any:
    return go(client, channel="post-mastodon", variant="ask-for-a-vote", text="hi", instance=server)


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://evil-phish.example"},
        {"Origin": "null"},
        {},  # proves nothing about where it came from
    ],
)
def test_another_sites_post_cannot_send_the_visitor_to_a_server_it_names(
    hketo: Campaign, release: DataRelease, headers: dict[str, str]
) -> None:
    response = mastodon_via(Client(headers=headers), "evil-phish.example")
    html = response.content.decode()
    assert "evil-phish.example" not in html
    assert urlsplit(continue_link(html)).netloc == "share.joinmastodon.org"
    assert "share.joinmastodon.org" in visible_text(html)


def test_a_post_from_another_site_never_says_it_was_counted_nor_moves_on_by_itself(
    hketo: Campaign, release: DataRelease
) -> None:
    client = Client(headers={"Sec-Fetch-Site": "cross-site"})
    response = go(client, channel="post-x", variant="ask-for-a-vote", text="a")
    html = response.content.decode()  # type: ignore[attr-defined]
    assert "not counted" in visible_text(html)
    assert "this is counted" not in html
    assert 'http-equiv="refresh"' not in html
    assert "Continue to x.com" in visible_text(html)
    assert ActionEvent.objects.count() == 0


def test_a_flood_that_is_no_longer_counted_is_not_told_it_was(
    client: Client, hketo: Campaign, release: DataRelease, settings: Any
) -> None:
    settings.URGE_RATE_ACTION = (1, 3600)
    first = go(client, channel="post-x", variant="ask-for-a-vote", text="a")
    assert "this is counted" in first.content.decode()  # type: ignore[attr-defined]
    over = go(client, channel="post-x", variant="ask-for-a-vote", text="a")
    assert "this is counted" not in over.content.decode()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "headers", [{"Sec-Fetch-Site": "same-origin"}, {"Origin": "http://testserver"}]
)
def test_the_server_a_supporter_names_on_the_page_is_shown_before_they_go_there(
    hketo: Campaign, release: DataRelease, headers: dict[str, str]
) -> None:
    response = mastodon_via(Client(headers=headers), "hk.social")
    assert destination(response) == "https://hk.social/share?text=hi"
    assert "Continue to hk.social" in visible_text(response.content.decode())
    assert ActionEvent.objects.count() == 1


def test_in_chinese_the_page_on_the_way_out_names_the_server_too(
    hketo: Campaign, release: DataRelease
) -> None:
    client = Client(headers={"Sec-Fetch-Site": "same-origin"})
    response = client.post(
        "/zh-hant/c/hketo/act/go/",
        {"target": "S000001", "channel": "post-mastodon", "variant": "ask-for-a-vote"}
        | {"text": "hi", "instance": "hk.social"},
    )
    text = visible_text(response.content.decode())
    assert "下一站：hk.social" in text  # noqa: RUF001 (the Chinese page's own colon)
    assert "繼續前往 hk.social" in text


def continue_link(html: str) -> str:
    link = re.search(r'<a class="button" href="([^"]+)"', html)
    assert link is not None
    return unescape(link[1])


def visible_text(html: str) -> str:
    body = html.split("<body>", 1)[1]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())
