"""The embeddable action: only the campaign's listed sites may frame it, only its own routes
say so, and it is the same page for everyone who asks for the same URL, referral included."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client

from tests.browser.checks import assert_valid_html
from tests.people import cohost_staffer, organiser, outsider, person, sign_in_verified
from tests.test_admin import section_form
from tests.wsgi import Answer, request
from urge.actions.models import ActionEvent
from urge.campaigns.models import Campaign
from urge.core.httpcache import HttpCache
from urge.legislators.models import DataRelease

CO_HOST = "https://www.dc4hk.org"
TESTING = "http://localhost:8123"
EMBED = "/c/hketo/embed/?ref=dc4hk"
EMBED_ACT = "/c/hketo/embed/act/?t=S000001%2CS000002&state=WA&ref=dc4hk"
# Pages that must not be framed by anyone, however the campaign is set up.
NEVER_FRAMED = [
    "/",
    "/c/hketo/?ref=dc4hk",
    "/zh-hant/c/hketo/",
    "/c/hketo/act/?t=S000001%2CS000002&state=WA&ref=dc4hk",
    "/c/hketo/join/?ref=dc4hk",
    "/c/hketo/scoreboard/",
    "/manage/signin/",
]


@pytest.fixture(autouse=True)
def _production(settings: Any) -> None:
    assert settings.URGE_PAGE_CACHE_SECONDS > 0  # pages are shared, as `urge serve` runs
    cache.clear()


@pytest.fixture
def embeddable(hketo: Campaign, release: DataRelease) -> Campaign:
    hketo.embed_origins = [CO_HOST, TESTING]
    hketo.save()
    return hketo


def post(site: HttpCache, path: str, **fields: str) -> Answer:
    return request(site, path, "POST", urlencode(fields).encode())


def frame_ancestors(answer: Answer) -> str:
    policy = answer.headers["Content-Security-Policy"]
    found = re.search(r"frame-ancestors ([^;]*)", policy)
    assert found is not None, policy
    return found[1]


def assert_framed_only_by_the_campaigns_sites(answer: Answer) -> None:
    assert frame_ancestors(answer) == f"'self' {CO_HOST} {TESTING}"
    assert "X-Frame-Options" not in answer.headers
    assert "Set-Cookie" not in answer.headers
    # The rest of the policy is the site's: scripts, styles and forms from this site only.
    # (Directives in any order: a policy is a set of them.)
    policy = answer.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert directives["form-action"] == "'self'"


def test_the_embed_pages_name_the_campaigns_sites_and_set_no_cookie(
    embeddable: Campaign, site: HttpCache
) -> None:
    for path in (EMBED, "/zh-hant/c/hketo/embed/", EMBED_ACT):
        answer = request(site, path)
        assert answer.status == 200, path
        assert_framed_only_by_the_campaigns_sites(answer)
        assert "public" in answer.headers["Cache-Control"]
    lookup = post(site, EMBED, zip="98101", ref="dc4hk")
    assert lookup.status == 303
    assert_framed_only_by_the_campaigns_sites(lookup)
    choice = post(site, EMBED, zip="86515", ref="dc4hk")  # across a state line: which state?
    assert choice.status == 200
    assert_framed_only_by_the_campaigns_sites(choice)
    assert "private" in choice.headers["Cache-Control"]


def test_every_other_page_stays_unframeable(embeddable: Campaign, site: HttpCache) -> None:
    for path in NEVER_FRAMED:
        answer = request(site, path)
        assert answer.status in (200, 302), path
        assert frame_ancestors(answer) == "'none'", path
        assert answer.headers["X-Frame-Options"] == "DENY", path
    sent = post(site, "/c/hketo/act/go/", channel="call-reached", target="S000001", variant="x")
    assert sent.headers["X-Frame-Options"] == "DENY"


def test_a_campaign_that_lists_no_site_is_framed_only_by_this_one(
    hketo: Campaign, release: DataRelease, site: HttpCache
) -> None:
    answer = request(site, EMBED)
    assert frame_ancestors(answer) == "'self'"  # the dashboard's preview
    assert "X-Frame-Options" not in answer.headers


def test_each_referral_gets_its_own_page_from_the_cache(
    embeddable: Campaign, site: HttpCache
) -> None:
    for _ in range(2):  # the second round is answered from the cache
        for ref in ("dc4hk", "hkdc"):
            page = request(site, f"/c/hketo/embed/?ref={ref}")
            assert set(re.findall(r"[?&;]ref=([\w-]+)", page.text)) == {ref}
            assert f'<input type="hidden" name="ref" value="{ref}">' in page.text
            act = request(site, f"/c/hketo/embed/act/?t=S000001&state=WA&ref={ref}")
            assert set(re.findall(r'name="ref" value="([\w-]+)"', act.text)) == {ref}
        for plain in ("/c/hketo/embed/", "/c/hketo/embed/?ref=nobody"):  # none, or unknown
            page = request(site, plain)
            assert not re.search(r"[?&;]ref=", page.text)
            assert 'name="ref"' not in page.text
    assert "Age" in request(site, "/c/hketo/embed/?ref=hkdc").headers  # served from the cache


def test_the_referral_goes_from_the_lookup_through_the_actions(
    embeddable: Campaign, site: HttpCache
) -> None:
    lookup = post(site, EMBED, zip="98101", ref="dc4hk")
    assert lookup.headers["Location"] == EMBED_ACT
    page = request(site, EMBED_ACT)
    assert 'href="/c/hketo/embed/?ref=dc4hk"' in page.text  # look up another ZIP code
    assert page.text.count('<input type="hidden" name="embedded" value="1">') == 2  # the calls
    assert 'href="http://testserver/zh-hant/c/hketo/embed/act/?t=' in page.text
    call = post(
        site,
        "/c/hketo/act/go/",
        channel="call-reached",
        target="S000001",
        variant="ask-for-a-vote",
        t="S000001,S000002",
        state="WA",
        ref="dc4hk",
        embedded="1",
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert call.status == 303
    assert call.headers["Location"] == (
        "/c/hketo/embed/act/?t=S000001%2CS000002&state=WA&ref=dc4hk"
        "&done=call-reached&done_for=S000001#target-S000001"
    )
    assert "Set-Cookie" not in call.headers
    assert ActionEvent.objects.count() == 1


def test_the_lookup_posted_from_the_frame_needs_no_cookie_or_token(
    embeddable: Campaign, site: HttpCache
) -> None:
    """A form inside the frame is on this site's origin: the browser says same-origin."""
    answer = request(
        site,
        EMBED,
        "POST",
        b"zip=98101&ref=dc4hk",
        HTTP_ORIGIN="http://testserver",
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert answer.status == 303
    assert answer.headers["Location"] == EMBED_ACT


def test_links_out_of_the_frame_open_a_new_tab(embeddable: Campaign, site: HttpCache) -> None:
    page = request(site, EMBED)
    assert re.search(
        r'<a href="/c/hketo/join/\?ref=dc4hk" target="_blank" rel="noopener">', page.text
    )
    assert re.search(r'<a href="/c/hketo/\?ref=dc4hk" target="_blank" rel="noopener">', page.text)
    act = request(site, EMBED_ACT)
    outside = re.findall(r'<a href="(https?://[^"]+)"([^>]*)>', act.text)
    assert outside
    assert [href for href, attributes in outside if 'target="_blank"' not in attributes] == [
        href for href, _attributes in outside if href.startswith("http://testserver/")
    ]


def test_it_loads_nothing_from_another_origin(embeddable: Campaign, site: HttpCache) -> None:
    for path in (EMBED, EMBED_ACT):
        html = request(site, path).text
        loaded = re.findall(
            r'<(?:script|img|iframe|source|link)\b[^>]*?(?:src|href)="([^"]+)"', html
        )
        assert "/static/embed/frame.js" in loaded
        assert [url for url in loaded if re.match(r"(https?:)?//", url)] == [
            url for url in loaded if url.startswith("http://testserver/")
        ]


def test_origins_are_checked_when_an_organiser_edits_them(hketo: Campaign) -> None:
    hketo.embed_origins = ["https://www.dc4hk.org/", "http://www.dc4hk.org", CO_HOST, CO_HOST]
    with pytest.raises(ValidationError) as caught:
        hketo.full_clean()
    assert caught.value.message_dict["embed_origins"] == [
        "[0]: 'https://www.dc4hk.org/' is not an origin: write 'https://www.dc4hk.org'",
        "[1]: 'http://www.dc4hk.org' must use https (http only for localhost or 127.0.0.1, "
        "to test)",
        "[3]: 'https://www.dc4hk.org' is listed twice",
    ]
    hketo.embed_origins = [CO_HOST, TESTING, "http://127.0.0.1:8000"]
    hketo.full_clean()


def test_organisers_edit_the_sites_in_the_admin_and_it_checks_them(
    client: Client, hketo: Campaign
) -> None:
    admin = sign_in_verified(client, person("admin", superuser=True))
    url = f"/admin/campaigns/campaign/{hketo.pk}/change/"
    assert 'name="embed_origins"' in admin.get(url).content.decode()
    section = hketo.sections.all()[0]
    form = section_form(hketo, section, section.body_markdown)  # the change form, as posted
    refused = admin.post(url, {**form, "embed_origins": '["https://www.dc4hk.org/"]'})
    assert refused.status_code == 200
    assert "is not an origin: write &#x27;https://www.dc4hk.org&#x27;" in refused.content.decode()
    saved = admin.post(url, {**form, "embed_origins": f'["{CO_HOST}"]'})
    assert saved.status_code == 302
    hketo.refresh_from_db()
    assert hketo.embed_origins == [CO_HOST]


def with_origins(folder: Path, line: str) -> Path:
    yaml = folder / "campaign.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    return yaml


@pytest.mark.django_db
def test_urge_load_keeps_the_sites_the_folder_lists(campaign_folder: Path) -> None:
    with_origins(campaign_folder, f"embed_origins: [{CO_HOST}, {TESTING}]")
    call_command("load", str(campaign_folder), stdout=StringIO())
    assert Campaign.objects.get(slug="hketo").embed_origins == [CO_HOST, TESTING]


@pytest.mark.django_db
def test_urge_load_names_each_site_it_refuses_and_loads_nothing(campaign_folder: Path) -> None:
    yaml = with_origins(
        campaign_folder,
        "embed_origins:\n"
        "  - https://www.dc4hk.org/join\n"
        "  - HTTPS://WWW.DC4HK.ORG\n"
        "  - https://*.dc4hk.org\n"
        "  - http://www.dc4hk.org\n"
        "  - https://www.dc4hk.org:443\n"
        "  - https://www.dc4hk.org; script-src *\n"
        "  - 12\n"
        "  - http://localhost:8123\n"
        "  - http://localhost:8123",
    )
    err = StringIO()
    with pytest.raises(CommandError, match=r"^8 problems found; nothing loaded\.$"):
        call_command("load", str(campaign_folder), stdout=StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        f"{yaml}: embed_origins[0]: 'https://www.dc4hk.org/join' is not an origin: "
        "write 'https://www.dc4hk.org'",
        f"{yaml}: embed_origins[1]: 'HTTPS://WWW.DC4HK.ORG' is not an origin: "
        "write 'https://www.dc4hk.org'",
        f"{yaml}: embed_origins[2]: 'https://*.dc4hk.org' is not an origin such as "
        "https://www.example.org (https, a host name, no path)",
        f"{yaml}: embed_origins[3]: 'http://www.dc4hk.org' must use https "
        "(http only for localhost or 127.0.0.1, to test)",
        f"{yaml}: embed_origins[4]: 'https://www.dc4hk.org:443' names the default port: "
        "write 'https://www.dc4hk.org'",
        f"{yaml}: embed_origins[5]: 'https://www.dc4hk.org; script-src *' is not an origin "
        "such as https://www.example.org (https, a host name, no path)",
        f"{yaml}: embed_origins[6]: must be a site's address, such as https://www.example.org, "
        "not 12",
        f"{yaml}: embed_origins[8]: 'http://localhost:8123' is listed twice",
    ]
    assert not Campaign.objects.exists()


@pytest.mark.django_db
def test_urge_load_wants_a_list(campaign_folder: Path) -> None:
    yaml = with_origins(campaign_folder, f"embed_origins: {CO_HOST}")
    err = StringIO()
    with pytest.raises(CommandError, match="1 problem found"):
        call_command("load", str(campaign_folder), stdout=StringIO(), stderr=err)
    assert err.getvalue() == (
        f"{yaml}: embed_origins: must be a list of sites' addresses, such as "
        "[https://www.example.org]\n"
    )


SNIPPET_PAGE = "/manage/c/hketo/dc4hk/embed/"


def test_a_cohosts_staff_find_their_snippet_and_a_preview(
    client: Client, embeddable: Campaign, settings: Any
) -> None:
    settings.URGE_SITE_URL = "https://act.example.org"
    staffer = sign_in_verified(client, cohost_staffer(embeddable, "dc4hk"))
    assert SNIPPET_PAGE in staffer.get("/manage/c/hketo/").content.decode()
    response = staffer.get(SNIPPET_PAGE)
    html = response.content.decode()
    assert (
        "&lt;iframe src=&quot;https://act.example.org/c/hketo/embed/?ref=dc4hk&quot; "
        "title=&quot;Bring the HKETO Certification Act to a vote in the Senate&quot;"
    ) in html
    assert (
        "&lt;script src=&quot;https://act.example.org/static/embed/urge-embed.js&quot; "
        "async&gt;&lt;/script&gt;"
    ) in html
    assert "https://act.example.org/zh-hant/c/hketo/embed/?ref=dc4hk" in html
    assert "Your website, https://www.dc4hk.org, is on the list." in html
    assert '<iframe class="embed-preview" src="/c/hketo/embed/?ref=dc4hk"' in html
    assert '<script src="/static/embed/urge-embed.js" async></script>' in html
    policy = response.headers["Content-Security-Policy"]
    assert "frame-src 'self'" in policy  # for the preview
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert staffer.get("/manage/c/hketo/hkdc/embed/").status_code == 404


def test_a_cohost_not_on_the_list_is_told_to_ask_the_organisers(
    client: Client, hketo: Campaign
) -> None:
    staffer = sign_in_verified(client, cohost_staffer(hketo, "dc4hk"))
    html = staffer.get(SNIPPET_PAGE).content.decode()
    assert "Your website, https://www.dc4hk.org, is not on the list" in html


def test_organisers_see_every_cohosts_snippet_and_strangers_none(
    client: Client, hketo: Campaign
) -> None:
    as_organiser = sign_in_verified(client, organiser(hketo))
    assert as_organiser.get("/manage/c/hketo/hkdc/embed/").status_code == 200
    assert as_organiser.get("/manage/c/hketo/nope/embed/").status_code == 404
    as_outsider = sign_in_verified(Client(), outsider())
    assert as_outsider.get(SNIPPET_PAGE).status_code == 404
    assert Client().get(SNIPPET_PAGE).status_code == 302  # to sign in


def test_the_pages_are_valid_html(
    client: Client, embeddable: Campaign, site: HttpCache, tmp_path: Path
) -> None:
    answers = [
        request(site, EMBED),
        request(site, "/zh-hant/c/hketo/embed/?ref=dc4hk"),
        request(site, EMBED_ACT),
        post(site, EMBED, zip="86515", ref="dc4hk"),  # which state?
    ]
    staffer = sign_in_verified(client, cohost_staffer(embeddable, "dc4hk"))
    pages = [answer.text for answer in answers] + [staffer.get(SNIPPET_PAGE).content.decode()]
    files = []
    for number, html in enumerate(pages):
        saved = tmp_path / f"embed-{number}.html"
        saved.write_text(html, encoding="utf-8")
        files.append(str(saved))
    assert_valid_html(files)
