"""/manage/contacts/: organisers of any campaign fill the gaps in legislators' contact
details, site-wide; co-host staff, outsiders and anyone without both factors cannot."""

import datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.people import cohost_staffer, organiser, outsider, sign_in_verified
from tests.test_folder import edit
from urge.campaigns.folder import read_campaign_folder
from urge.campaigns.loading import save_campaign
from urge.campaigns.models import Campaign
from urge.legislators.index import index_holder
from urge.legislators.models import ContactChange, ContactOverride, DataRelease

LIST = "/manage/contacts/"
EDIT = "/manage/contacts/S000002/"


def filled(**changes: str) -> dict[str, str]:
    """The edit form as posted: every detail empty but the ones given."""
    today = datetime.date.today().isoformat()
    data = {}
    for field in ("x", "bluesky", "threads", "mastodon", "contact_form", "phone"):
        data.update({f"{field}-value": "", f"{field}-source": "", f"{field}-date": today})
    data.update(changes)
    return data


@pytest.fixture
def as_organiser(client: Client, hketo: Campaign, release: DataRelease) -> Client:
    return sign_in_verified(client, organiser(hketo))


def test_it_lists_the_campaigns_targets_with_their_gaps(as_organiser: Client) -> None:
    html = as_organiser.get(LIST).content.decode()
    assert "12 legislators. Missing:" in html  # the sample's senators: HKETO targets the Senate
    assert "X handle 11" in html
    assert 'id="contact-S000002"' in html
    assert 'id="contact-R000007"' not in html
    assert "@SenatorAra" in html
    assert "@ara@example.social" in html
    everyone = as_organiser.get(LIST, {"everyone": "1"}).content.decode()
    assert 'id="contact-R000007"' in everyone


def test_it_can_show_only_those_missing_a_handle_or_a_form(as_organiser: Client) -> None:
    html = as_organiser.get(LIST, {"gaps": "1"}).content.decode()
    assert 'id="contact-S000002"' in html
    assert 'id="contact-S000001"' not in html  # has both


def test_an_organiser_adds_a_handle_and_the_change_is_recorded_with_their_name(
    as_organiser: Client,
) -> None:
    response = as_organiser.post(
        EDIT,
        filled(
            **{
                "x-value": "@SaraTwo",
                "x-source": "https://x.com/SaraTwo",
                "threads-value": "sara.two",
                "threads-source": "Linked from the senator's website",
            }
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?saved=S000002#contact-S000002"
    index = index_holder.get()
    assert index is not None
    assert (index.members["S000002"].twitter, index.members["S000002"].threads) == (
        "SaraTwo",
        "sara.two",
    )
    change = ContactChange.objects.get(field="x")
    assert (change.by.get_username(), change.via, change.new_value) == (  # type: ignore[union-attr]
        "organiser",
        "dashboard",
        "SaraTwo",
    )
    html = as_organiser.get(LIST).content.decode()
    assert '@SaraTwo <span class="fine">(added by organisers)</span>' in html
    page = as_organiser.get(EDIT).content.decode()
    assert 'value="@SaraTwo"' in page
    assert "<td>organiser</td>" in page  # the history: who, then the source and date
    assert f"https://x.com/SaraTwo, {datetime.date.today().isoformat()}" in page


def test_an_invalid_handle_is_shown_next_to_its_field_and_nothing_is_saved(
    as_organiser: Client,
) -> None:
    response = as_organiser.post(
        EDIT,
        filled(
            **{
                "x-value": "Sara Two",
                "x-source": "https://x.com/SaraTwo",
                "bluesky-value": "sara.example.social",
                "bluesky-source": "",
            }
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="x-value-error">An X handle is 1 to 15 letters' in html
    assert 'id="bluesky-source-error">Say where this comes from.' in html
    assert 'value="Sara Two"' in html  # what was typed is kept
    assert not ContactOverride.objects.exists()


def test_emptying_a_value_removes_the_override(as_organiser: Client) -> None:
    as_organiser.post(EDIT, filled(**{"phone-value": "202-224-0002", "phone-source": "a call"}))
    assert ContactOverride.objects.filter(field="phone").exists()
    response = as_organiser.post(EDIT, filled())
    assert response["Location"] == f"{LIST}?saved=S000002#contact-S000002"
    assert not ContactOverride.objects.exists()
    assert [c.new_value for c in ContactChange.objects.order_by("id")] == ["202-224-0002", ""]
    again = as_organiser.post(EDIT, filled())
    assert again["Location"] == f"{LIST}?unchanged=S000002#contact-S000002"


def test_a_legislator_not_in_the_data_is_not_found(as_organiser: Client) -> None:
    assert as_organiser.get("/manage/contacts/Z999999/").status_code == 404


@pytest.mark.parametrize("who", ["staffer", "outsider"])
def test_only_organisers_may_see_or_change_the_details(
    client: Client, hketo: Campaign, release: DataRelease, who: str
) -> None:
    user = cohost_staffer(hketo, "dc4hk") if who == "staffer" else outsider()
    signed_in = sign_in_verified(client, user)
    assert signed_in.get(LIST).status_code == 404
    assert signed_in.get(EDIT).status_code == 404
    posted = signed_in.post(EDIT, filled(**{"x-value": "SaraTwo", "x-source": "note"}))
    assert posted.status_code == 404
    assert not ContactOverride.objects.exists()


def test_the_organiser_of_another_campaign_may_edit_too(
    client: Client, campaign_folder: Path, release: DataRelease
) -> None:
    edit(campaign_folder / "campaign.yaml", "slug: hketo", "slug: other")
    edit(campaign_folder / "campaign.yaml", "default: true", "default: false")
    other = save_campaign(read_campaign_folder(campaign_folder)).campaign
    signed_in = sign_in_verified(client, organiser(other))
    assert signed_in.get(EDIT).status_code == 200


def test_without_both_factors_it_asks_to_sign_in(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    assert client.get(LIST)["Location"].startswith("/manage/signin/")
    password_only = organiser(hketo)
    client.force_login(password_only)
    assert client.post(EDIT, filled())["Location"].startswith("/manage/verify/")
    assert not ContactChange.objects.exists()
    assert isinstance(password_only, User)


def test_an_organiser_who_is_not_a_site_admin_changes_handles_but_not_where_supporters_go(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    """A contact form or phone number is where every campaign sends its supporters: one
    campaign's organiser must not be able to point them all somewhere else."""
    plain = organiser(hketo)
    User.objects.filter(pk=plain.pk).update(is_superuser=False, is_staff=False)
    signed_in = sign_in_verified(client, User.objects.get(pk=plain.pk))
    assert "only the site" in signed_in.get(EDIT).content.decode()

    signed_in.post(
        EDIT,
        filled(
            **{
                "bluesky-value": "@sara.bsky.social",
                "bluesky-source": "https://bsky.app/profile/sara.bsky.social",
                "contact_form-value": "https://phish.example/form",
                "contact_form-source": "a note",
                "phone-value": "202-555-0199",
                "phone-source": "a note",
            }
        ),
    )

    saved = set(ContactOverride.objects.values_list("field", "value"))
    assert saved == {("bluesky", "sara.bsky.social")}
