"""The action page: every channel for every target, no JavaScript needed, counted anonymously."""

import copy
import json
import logging
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.test import Client

from tests.legislator_sample import LEGISLATORS, POSTAL_ZIPS, write_sample
from urge.actions.counts import counts_by_target
from urge.actions.models import ActionEvent
from urge.actions.recording import totals
from urge.campaigns.models import Campaign, Stance
from urge.dashboard.tallies import Weeks, monday_of, tally
from urge.legislators.index import index_holder
from urge.legislators.models import DataRelease
from urge.legislators.sync import commit_release, read_snapshot

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
    assert ".@SenatorAra, the House passed the HKETO Certification Act 413-3" in html
    # Bluesky has no handles in the data: the name and a comma, never a broken mention.
    assert "Senator Sara S000002, the House passed" in html
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
    assert ".@SenatorAra, the House passed" in html
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
    assert "the House passed the HKETO Certification Act 413-3" in html  # still, for S000002


def test_the_supporter_can_switch_to_another_wording(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    html = page(client, ACT + "&post=privileges")
    assert "trade offices in the US keep diplomatic-style privileges" in html
    assert "the House passed the HKETO" not in html


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


def test_email_opens_the_contact_form_without_the_letter_coming_back_to_the_site(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    form = go(client, channel="email-form", variant="letter")
    assert destination(form) == "https://s000001.example.gov/contact"
    assert ActionEvent.objects.get().channel == "email-form"


@pytest.mark.parametrize("channel", ["email-mailto", "email-gmail", "email-outlook"])
def test_no_compose_window_with_an_empty_to_is_offered_nor_counted(
    client: Client, hketo: Campaign, release: DataRelease, channel: str
) -> None:
    html = page(client)
    assert channel not in html
    assert "Gmail" not in html
    assert "Outlook" not in html
    assert "mailto:" not in html
    response = go(client, channel=channel, variant="letter", subject="S", text="B")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert not ActionEvent.objects.exists()


def test_a_copied_letter_is_counted_quietly_for_the_copy_button_where_there_is_no_form(
    client: Client, hketo: Campaign, release_without_a_form: DataRelease
) -> None:
    def copy(target: str) -> Any:
        return client.post(
            "/c/hketo/act/go/",
            {"target": target, "channel": "email-copy", "variant": "letter", "text": "x"},
            headers={"accept": "application/json"},
        )

    assert copy("S000002").status_code == 204  # no form: the copy is the letter's way out
    assert copy("S000001").status_code == 204  # a step towards the form, counted there
    assert list(ActionEvent.objects.values_list("channel", "target")) == [("email-copy", "S000002")]


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


# Issue 13: email that leads somewhere, an honest call flow, a page that belongs to its campaign.


@pytest.fixture
def release_without_a_form(db: None, tmp_path: Path) -> Iterator[DataRelease]:
    """The sample release, in which S000002's office (like 13 real senators') lists no form."""
    folder = write_sample(tmp_path / "data")
    legislators = copy.deepcopy(LEGISLATORS)
    del legislators[1]["terms"][0]["contact_form"]
    current = folder / "congress-legislators" / "legislators-current.json"
    current.write_text(json.dumps(legislators), encoding="utf-8")
    index_holder.forget()
    yield commit_release(read_snapshot(folder, lambda _m: None, POSTAL_ZIPS), lambda _m: None)
    index_holder.forget()


def panel_of(html: str, bioguide: str) -> str:
    start = html.index(f'id="target-{bioguide}"')
    end = html.find('class="target panel"', start)
    return html[start : end if end > 0 else len(html)]


def test_the_letter_is_copied_then_pasted_into_the_offices_form_and_never_posted_back(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    html = panel_of(page(client), "S000001")
    assert "Copy the letter, open the form, and paste the letter into it." in html
    assert 'value="email-form"' in html
    # No name: neither the subject nor the letter (nor its signature) goes to this site.
    assert re.search(r'<textarea id="letter-S000001" rows="\d+" lang="en" data-blanks>', html)
    assert re.search(r'<input type="text" id="subject-S000001" value="[^"]*" lang="en">', html)


def test_a_letter_ends_signed_with_blanks_for_the_supporters_name_and_town(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    html = page(client)
    letter = re.search(r'<textarea id="letter-S000001"[^>]*>(.*?)</textarea>', html, re.S)
    assert letter is not None
    assert unescape(letter[1]).endswith(
        "Thank you for your time.\n\nSincerely,\n\n[your name]\n[your town], Washington"
    )
    assert "Type them once for the whole page" in html  # a link act.js shows
    assert 'id="your-name"' in html
    assert 'id="your-town"' in html
    assert not re.search(r'<input[^>]+id="your-(name|town)"[^>]+name=', html)


def test_without_a_contact_form_the_page_says_so_and_offers_the_website_and_phone(
    client: Client, hketo: Campaign, release_without_a_form: DataRelease
) -> None:
    html = page(client)
    without = panel_of(html, "S000002")
    text = visible_text("<body>" + without)
    assert "The official data lists no contact form for Sara S000002" in text
    assert "paste the letter into it" not in text
    assert 'value="email-form"' not in without
    assert '<a href="https://s000002.example.gov">Official website</a>' in without
    assert 'href="tel:+12022240001"' in without
    # The letter is still there to copy into whatever the office's website offers.
    assert 'id="letter-S000002"' in without
    # The other senator's form is still offered.
    assert 'value="email-form"' in panel_of(html, "S000001")
    refused = go(client, target="S000002", channel="email-form", variant="letter")
    assert refused.status_code == 400  # type: ignore[attr-defined]


def test_the_call_script_leaves_the_town_to_the_supporter_instead_of_naming_the_state(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    html = page(client)
    assert "I live in Washington" not in html
    assert (
        'my name is <span data-blank="name" data-empty="[your name]">[your name]</span> and I live'
        ' in <span data-blank="town" data-empty="[your town]">[your town]</span>.'
    ) in html


@pytest.mark.parametrize(
    ("outcome", "said", "not_said"),
    [
        ("call-reached", "Thank you: your call is counted.", "attempt"),
        ("call-voicemail", "your voicemail is counted as a call", "attempt"),
        ("call-busy", "this is counted as an attempt, not as a call that got through", "your call"),
        ("call-skipped", "Skipped: nothing is counted for this one.", "counted as"),
    ],
)
def test_each_call_outcome_gets_its_own_answer(
    client: Client, hketo: Campaign, release: DataRelease, outcome: str, said: str, not_said: str
) -> None:
    response = go(client, channel=outcome, variant="ask-for-a-vote", t="S000001,S000002")
    location = response.headers["Location"].split("#")[0]  # type: ignore[attr-defined]
    note = re.search(r'<div class="answer__note outcome-note" role="status">(.*?)</div>',
                     page(client, location), re.S)  # fmt: skip
    assert note is not None
    assert said in visible_text("<body>" + note[1])
    assert not_said not in note[1]


def test_skipped_calls_stay_out_of_the_campaigns_call_total(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    go(client, channel="call-skipped", variant="ask-for-a-vote")
    go(client, channel="call-busy", variant="ask-for-a-vote")
    cache.clear()
    assert "Posts: 0 · Emails: 0 · Calls: 1" in page(client, "/")


def test_after_a_call_the_page_leads_on_to_the_next_target_then_says_it_is_done(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    first = go(client, channel="call-reached", variant="ask-for-a-vote", t="S000001,S000002")
    html = page(client, first.headers["Location"].split("#")[0])  # type: ignore[attr-defined]
    assert (
        '<a class="button button--small" href="#target-S000002">Next: Senator Sara S000002</a>'
    ) in panel_of(html, "S000001")
    last = go(
        client,
        channel="call-voicemail",
        variant="ask-for-a-vote",
        target="S000002",
        t="S000001,S000002",
    )
    html = page(client, last.headers["Location"].split("#")[0])  # type: ignore[attr-defined]
    assert "That was the last one on your list." in panel_of(html, "S000002")
    assert "Next:" not in panel_of(html, "S000002")


def test_the_header_names_the_campaign_and_switches_language_keeping_the_query(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    response = client.get(ACT + "&email=letter&done=call-busy&done_for=S000001&x=1")
    html = response.content.decode()
    brand = '<span class="site-header__brand">Bring the HKETO Certification Act to a vote'
    assert brand in html
    switch = "http://testserver/zh-hant/c/hketo/act/?t=S000001%2CS000002&amp;state=WA"
    assert f'<a href="{switch}&amp;email=letter&amp;done=call-busy&amp;done_for=S000001"' in html
    assert response["Cache-Control"].startswith("public")  # still the same page for everyone
    chinese = page(client, "/zh-hant" + ACT)
    assert (
        '<span class="site-header__brand">促請參議院表決《香港經濟貿易辦事處認證法案》' in chinese
    )
    assert 'href="http://testserver/c/hketo/act/?t=S000001%2CS000002&amp;state=WA"' in chinese


def test_in_chinese_titles_and_states_are_chinese_and_messages_stay_english(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    html = page(client, "/zh-hant" + ACT)
    assert '<h2 id="target-S000001-name">參議員 Sara S000001</h2>' in html
    assert '<p class="member__role">華盛頓州 ·' in html
    assert "參議員 S000001 您好" in html  # the letter's rendering
    assert "我是 華盛頓州 的居民" in html
    signature = "感謝您撥冗閱讀。\n\n〔你的名字〕\n〔你的城鎮〕，華盛頓州"  # noqa: RUF001
    assert signature in re.sub(r"<[^>]+>", "", html)
    # What goes to the office is English still.
    assert "Dear Senator S000001," in html
    assert "[your name]\n[your town], Washington" in unescape(html)
    assert "下一位：參議員 Sara S000002" in html  # noqa: RUF001


def test_without_legislator_data_the_page_still_belongs_to_its_campaign(
    client: Client, hketo: Campaign
) -> None:
    response = client.get(ACT)
    assert response.status_code == 503
    html = response.content.decode()
    assert '<span class="site-header__brand">Bring the HKETO Certification Act' in html
    assert "cannot show your legislators" in html
    assert 'href="http://testserver/zh-hant/c/hketo/act/?t=S000001%2CS000002&amp;state=WA"' in html
    chinese = client.get("/zh-hant" + ACT)
    assert chinese.status_code == 503
    assert (
        '<span class="site-header__brand">促請參議院表決《香港經濟貿易辦事處認證法案》'
        in chinese.content.decode()
    )


# One letter to one office is one email, on the campaign page, the scoreboard and the results.


def copy_letter(client: Client, target: str, **more: str) -> None:
    """As act.js tells the site of a copy: in the background, asking for JSON."""
    fields = {"target": target, "channel": "email-copy", "variant": "letter", **more}
    response = client.post("/c/hketo/act/go/", fields, headers={"accept": "application/json"})
    assert response.status_code == 204


def open_form(client: Client, target: str, **more: str) -> str:
    """The contact form's button, as the browser sends it; where it leads."""
    return destination(go(client, target=target, channel="email-form", variant="letter", **more))


def test_copying_the_letter_then_opening_the_form_counts_one_email(
    client: Client, hketo: Campaign, release_without_a_form: DataRelease
) -> None:
    copy_letter(client, "S000001")
    assert open_form(client, "S000001") == "https://s000001.example.gov/contact"
    # The form again from the same visit of the page: act.js says it is the same letter.
    assert open_form(client, "S000001", again="1") == "https://s000001.example.gov/contact"
    copy_letter(client, "S000002")  # no form: the copy is the letter's way out

    assert totals(hketo)["email"] == 2
    by_target = counts_by_target(hketo)
    assert (by_target["S000001"].email, by_target["S000002"].email) == (1, 1)
    monday = monday_of(ActionEvent.objects.earliest("hour").hour.date())
    results = tally(hketo, Weeks([monday]))  # the week in progress, as the dashboard will count it
    assert results.targets == {(monday, "S000001"): 1, (monday, "S000002"): 1}
    assert results.channels == {(monday, "email-copy"): 1, (monday, "email-form"): 1}
    board = client.get("/c/hketo/scoreboard/").content.decode()
    assert board.count("1 action so far: Posts: 0 · Emails: 1 · Calls: 0") == 2
    assert "2 actions taken so far." in client.get("/").content.decode()


def test_the_letter_form_is_marked_for_act_js_to_tell_a_second_opening(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    html = panel_of(page(client), "S000001")
    assert re.search(
        r'<form class="send" method="post" action="[^"]+" target="_blank" data-once>', html
    )
