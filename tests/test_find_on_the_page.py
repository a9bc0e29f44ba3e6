"""The ZIP form on the campaign page: it posts, without scripts; a plain answer goes straight
to the action page, and one that needs a choice or a note is answered on a page of its own."""

from django.test import Client

from tests.httpserver import LocalServer
from urge.campaigns.models import Campaign
from urge.legislators.models import DataRelease


def find(client: Client, url: str = "/", **fields: str) -> str:
    """The answer page, for answers that need one."""
    response = client.post(url, fields)
    assert response.status_code == 200
    assert response.cookies == {}  # the form needs no CSRF cookie: it changes nothing
    assert "private" in response["Cache-Control"]  # it shows what this visitor typed
    return response.content.decode()


def found(client: Client, url: str = "/", **fields: str) -> str:
    """Where a plain answer sends the browser: the action page, by a 303."""
    response = client.post(url, fields)
    assert response.status_code == 303
    assert response.cookies == {}
    return str(response["Location"])


def test_the_page_offers_the_zip_form_once_data_is_loaded(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    html = client.get("/").content.decode()
    assert '<form class="lookup" method="post" action="#find"' in html
    assert 'inputmode="numeric"' in html
    assert 'autocomplete="postal-code"' in html
    assert "Official legislator data as of" in html


def test_a_zip_with_two_senators_goes_straight_to_writing_to_them(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    # The example campaign targets senators only: no House question for a split ZIP.
    location = found(client, zip="98101")
    assert location == "/c/hketo/act/?t=S000001%2CS000002&state=WA"
    html = client.get(location).content.decode()
    assert html.index("Sara S000001") < html.index("Sara S000002")
    assert 'href="tel:+12022240001"' in html
    assert "Rara R000007" not in html


def test_for_a_house_campaign_it_names_the_candidate_districts(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    Campaign.objects.filter(pk=hketo.pk).update(targets_house=True)
    html = find(client, zip="98101")
    assert "Which is your House district?" in html
    assert "Rara R000007" in html
    assert "Rara R000009" in html
    assert "enter your street address" in html
    picked = client.get(found(client, zip="98101", state="WA", district="9")).content.decode()
    assert "Rara R000009" in picked
    assert "Rara R000007" not in picked


def test_it_asks_which_state_for_a_zip_across_a_state_line(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    html = find(client, zip="86515")
    assert "ZIP code 86515 crosses a state line. Which state do you live in?" in html
    assert 'value="AZ"' in html
    assert 'value="NM"' in html
    assert found(client, zip="86515", state="NM").endswith("&state=NM")


def test_it_asks_a_military_voter_for_their_state(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    html = find(client, zip="09001")
    assert "Which state do you vote in?" in html
    assert found(client, zip="09001", state="WA").endswith("&state=WA")


def test_dc_has_no_senators_and_shows_its_delegate(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    html = find(client, zip="20500")
    assert "Washington, DC and the US territories have no senators." in html
    assert "Dara D000001" in html


def test_a_vacant_house_seat_is_said_to_be_vacant(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    Campaign.objects.filter(pk=hketo.pk).update(targets_house=True)
    assert "The House seat for CA district 14 is vacant." in find(client, zip="94577")


def test_a_wrong_zip_gets_an_error_next_to_the_field_keeping_what_was_typed(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    html = find(client, zip="9810")
    assert "A ZIP code has 5 digits" in html
    assert 'value="9810"' in html
    assert 'aria-invalid="true"' in html
    unknown = find(client, zip="00000")
    assert "We do not know the ZIP code 00000." in unknown
    assert 'value="00000"' in unknown


def test_the_page_answers_in_traditional_chinese_too(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    location = found(client, "/zh-hant/", zip="98101")
    assert location.startswith("/zh-hant/c/hketo/act/")
    html = client.get(location).content.decode()
    assert '<html lang="zh-Hant">' in html
    assert "Sara S000001" in html
    unclear = find(client, "/zh-hant/", zip="86515")
    assert '<html lang="zh-Hant">' in unclear
    assert "Which state do you live in?" not in unclear  # the question is translated


def test_a_senators_only_campaign_sends_no_street_address_anywhere(
    client: Client, hketo: Campaign, release: DataRelease, settings: object
) -> None:
    with LocalServer() as census:
        settings.URGE_GEOCODER_URL = census.base_url  # type: ignore[attr-defined]
        location = found(client, zip="98101", address="1 Main St, Seattle WA")
        assert census.requests == []
    assert location.endswith("&state=WA")


def test_the_address_field_says_where_an_address_goes_before_it_is_sent(
    client: Client, hketo: Campaign, release: DataRelease, settings: object
) -> None:
    Campaign.objects.filter(pk=hketo.pk).update(targets_house=True)
    page = client.get("/c/hketo/?notice=1").content.decode()
    assert "sent to the US Census Bureau&#x27;s geocoder; this site keeps no copy" in page
    chinese = client.get("/zh-hant/c/hketo/?notice=1").content.decode()
    assert "美國人口普查局" in chinese
    settings.URGE_GEOCODER = False  # type: ignore[attr-defined]
    assert "never leaves it" in client.get("/c/hketo/?notice=2").content.decode()
