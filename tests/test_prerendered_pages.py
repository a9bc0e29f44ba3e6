"""Pages rendered once and filled in for each visitor (urge/core/prerender.py): the sign-up
form and the page on the way out. Each visitor gets their own values, escaped, and the
page each would have had from the template."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from django.test import Client
from django.utils.html import escape

from urge.campaigns.models import Campaign
from urge.core import prerender
from urge.legislators.models import DataRelease
from urge.supporters import bots


def hidden(html: str, name: str) -> str | None:
    """The value of the hidden input `name`; None when it has none."""
    found = re.search(rf'<input type="hidden" name="{name}"( value="([^"]*)")? id=', html)
    assert found is not None, name
    return None if found[2] is None else unescape(found[2])


def test_visitors_from_several_links_in_a_row_each_get_their_own_code_and_stamp(
    hketo: Campaign,
) -> None:
    refs = ["partner-a", "partner-b", "", 'x" onfocus="alert(1)', "partner-a"]
    pages = [
        Client().get("/c/hketo/join/", {"ref": ref} if ref else {}).content.decode() for ref in refs
    ]
    assert [hidden(html, "ref") for html in pages] == [*refs[:2], None, *refs[3:]]
    assert 'onfocus="alert' not in pages[3]
    stamps = [hidden(html, "stamp") for html in pages]
    assert len(set(stamps)) == len(stamps)
    assert all(bots.stamp_made(str(stamp)) is not None for stamp in stamps)
    assert all(prerender.mark("stamp") not in html for html in pages)


def test_the_form_is_the_page_the_template_renders(hketo: Campaign) -> None:
    """Only the two values differ from a form rendered afresh: the kept page is not stale
    nor missing any part of it."""
    from urge.supporters.forms import SignupForm
    from urge.supporters.views import _page, cohost_choices

    response = Client().get("/c/hketo/join/?ref=partner-a")
    html = response.content.decode()
    request = response.wsgi_request
    form = SignupForm(
        cohost_choices(hketo, "en"),
        initial={"stamp": hidden(html, "stamp"), "ref": "partner-a"},
    )
    assert html == _page(request, hketo, form).content.decode()


def test_the_chinese_form_is_in_chinese_with_its_own_code(hketo: Campaign) -> None:
    english = Client().get("/c/hketo/join/?ref=partner-a").content.decode()
    chinese = Client().get("/zh-hant/c/hketo/join/?ref=partner-b").content.decode()
    assert 'lang="zh-Hant"' in chinese
    assert 'lang="en"' in english
    assert (hidden(english, "ref"), hidden(chinese, "ref")) == ("partner-a", "partner-b")


def test_an_edit_of_the_campaign_shows_on_the_next_form(hketo: Campaign) -> None:
    Client().get("/c/hketo/join/")
    text = hketo.texts.get(language="en")
    text.title = "A title changed a moment ago"
    text.save()
    assert "A title changed a moment ago" in Client().get("/c/hketo/join/").content.decode()


def leads_to(response: Any) -> tuple[str, str]:
    html = response.content.decode()
    refresh = re.search(r'<meta http-equiv="refresh" content="0;url=([^"]+)">', html)
    link = re.search(r'<a class="button" href="([^"]+)">', html)
    assert refresh is not None
    assert link is not None
    return unescape(refresh[1]), unescape(link[1])


def test_each_post_leads_where_it_said_whatever_was_sent_before(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    texts = ["First & <b>words</b>", 'Second "words"', "第三"]
    for text in texts:
        response = client.post(
            "/c/hketo/act/go/",
            {"target": "S000001", "channel": "post-x", "variant": "ask-for-a-vote", "text": text},
        )
        refresh, link = leads_to(response)
        assert refresh == link
        assert refresh.startswith("https://x.com/intent/tweet?text=")
        assert escape(refresh) in response.content.decode()
        assert "<b>" not in response.content.decode()
        assert "Next: x.com." in response.content.decode()


def test_a_post_another_site_made_is_not_moved_on_and_says_so(
    hketo: Campaign, release: DataRelease
) -> None:
    fields = {"target": "S000001", "channel": "email-form", "variant": "letter"}
    ours = Client(headers={"Sec-Fetch-Site": "same-origin"}).post("/c/hketo/act/go/", fields)
    theirs = Client(headers={"Sec-Fetch-Site": "cross-site"}).post("/c/hketo/act/go/", fields)
    assert "http-equiv" in ours.content.decode()
    assert "http-equiv" not in theirs.content.decode()
    assert "A page on another site sent you here" in theirs.content.decode()
    assert "Thank you: this is counted." in ours.content.decode()
    assert "Thank you: this is counted." not in theirs.content.decode()


def test_a_change_of_the_settings_the_form_quotes_shows_on_the_next_form(
    hketo: Campaign, settings: Any
) -> None:
    settings.URGE_SIGNUP_POW_BITS = 0
    assert "data-work-bits" not in Client().get("/c/hketo/join/").content.decode()
    settings.URGE_SIGNUP_POW_BITS = 12
    assert "data-work-bits" in Client().get("/c/hketo/join/").content.decode()
