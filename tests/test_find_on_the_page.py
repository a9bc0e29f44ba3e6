"""The ZIP form on the campaign page: it posts, and the page answers in place, without scripts."""

from django.test import Client

from urge.campaigns.models import Campaign
from urge.legislators.models import DataRelease


def find(client: Client, url: str = "/", **fields: str) -> str:
    response = client.post(url, fields)
    assert response.status_code == 200
    assert response.cookies == {}  # the form needs no CSRF cookie: it changes nothing
    return response.content.decode()


def test_the_page_offers_the_zip_form_once_data_is_loaded(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    html = client.get("/").content.decode()
    assert '<form class="lookup" method="post" action="#find"' in html
    assert 'inputmode="numeric"' in html
    assert 'autocomplete="postal-code"' in html
    assert "Official legislator data as of" in html


def test_it_shows_the_two_senators_for_a_zip(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    html = find(client, zip="98101")
    assert "Your senators for Washington" in html
    assert html.index("Sara S000001") < html.index("Sara S000002")
    assert "Senior senator for Washington" in html
    assert 'href="tel:+12022240001"' in html
    assert 'href="https://s000001.example.gov/contact"' in html
    # The example campaign targets senators only: no House question for a split ZIP.
    assert "Which is your House district?" not in html
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
    picked = find(client, zip="98101", state="WA", district="9")
    assert "Your representative" in picked
    assert "Which is your House district?" not in picked


def test_it_asks_which_state_for_a_zip_across_a_state_line(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    html = find(client, zip="86515")
    assert "ZIP code 86515 crosses a state line. Which state do you live in?" in html
    assert 'value="AZ"' in html
    assert 'value="NM"' in html
    assert "Your senators for New Mexico" in find(client, zip="86515", state="NM")


def test_it_asks_a_military_voter_for_their_state(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    html = find(client, zip="09001")
    assert "Which state do you vote in?" in html
    assert "Your senators for Washington" in find(client, zip="09001", state="WA")


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
    html = find(client, "/zh-hant/", zip="98101")
    assert '<html lang="zh-Hant">' in html
    assert "Sara S000001" in html
    assert "Your senators for" not in html  # the label is translated
