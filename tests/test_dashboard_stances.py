"""Organisers record legislators' stances in the dashboard: only organisers, every change kept
with who made it, public pages told through the campaign's version, and a stance recorded
there kept by `urge load` until `urge load --force`."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from tests.people import cohost_staffer, organiser, outsider, sign_in_verified
from urge.campaigns.models import Campaign, Stance, StanceChange
from urge.legislators.models import DataRelease

STANCES = "/manage/c/hketo/stances/"
EDIT = "/manage/c/hketo/stances/S000001/"
SOURCE = "https://www.congress.gov/member/ara/S000001"
FOLDER_STANCE = """
stances:
  - bioguide: S000001
    stance: undecided
    source: https://example.org/folder-says
    date: 2025-05-01
  - bioguide: S000003
    stance: opposes
    source: https://example.org/folder-says-too
    date: 2025-05-02
"""


@pytest.fixture
def as_organiser(client: Client, hketo: Campaign, release: DataRelease) -> Client:
    return sign_in_verified(client, organiser(hketo))


def record(client: Client, stance: str = "cosponsor", date: str = "2025-06-01") -> object:
    return client.post(EDIT, {"stance": stance, "source": SOURCE, "date": date})


def load(folder: Path, *options: str) -> str:
    out = StringIO()
    call_command("load", str(folder), *options, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_an_organiser_records_a_stance_and_sees_it_listed(as_organiser: Client) -> None:
    assert as_organiser.get(EDIT).status_code == 200
    response = record(as_organiser)
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert response["Location"] == f"{STANCES}?saved=S000001#stance-S000001"  # type: ignore[index]
    stance = Stance.objects.get(bioguide="S000001")
    assert (stance.stance, stance.source, str(stance.date)) == ("cosponsor", SOURCE, "2025-06-01")
    assert stance.origin == Stance.FROM_DASHBOARD
    html = as_organiser.get(STANCES + "?saved=S000001").content.decode()
    assert "Saved. Public pages show the new stance within 20 seconds." in html
    assert f'<a href="{SOURCE}">cosponsor</a>' in html
    assert "only urge load --force replaces it" in html  # which wins over campaign.yaml


def test_it_keeps_every_change_with_who_made_it_and_shows_them(as_organiser: Client) -> None:
    record(as_organiser, "undecided", "2025-05-01")
    record(as_organiser, "supports-vote", "2025-06-02")
    first, second = StanceChange.objects.order_by("pk")
    assert (first.old_stance, first.new_stance) == ("", "undecided")
    assert (second.old_stance, second.new_stance) == ("undecided", "supports-vote")
    assert str(second.old_date) == "2025-05-01"
    assert {change.user.username for change in (first, second)} == {"organiser"}  # type: ignore[union-attr]
    assert {change.via for change in (first, second)} == {StanceChange.BY_DASHBOARD}
    html = as_organiser.get(STANCES).content.decode()
    rows = html.split('id="history"', 1)[1].split("<tbody>", 1)[1].split("</tr>")
    assert all("<td>organiser</td>" in row for row in rows[:2])
    # Newest first, each with what was recorded before and after.
    assert "undecided</a>, 2025-05-01</td>" in rows[0]
    assert "publicly supports a vote</a>, 2025-06-02</td>" in rows[0]
    assert "<td>none recorded</td>" in rows[1]


def test_saving_the_same_stance_again_records_no_change(as_organiser: Client) -> None:
    record(as_organiser)
    response = record(as_organiser)
    assert "unchanged=S000001" in response["Location"]  # type: ignore[index]
    assert StanceChange.objects.count() == 1


def test_a_stance_change_makes_a_new_version_of_the_campaign(
    as_organiser: Client, hketo: Campaign
) -> None:
    before = Campaign.objects.get(pk=hketo.pk).updated_at
    record(as_organiser)
    assert Campaign.objects.get(pk=hketo.pk).updated_at > before
    # ...which the public pages, remembered per version, show at their next render.
    assert "Stance: cosponsor" in Client().get("/c/hketo/act/?t=S000001").content.decode()


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"stance": "fan", "source": SOURCE, "date": "2025-06-01"}, "Select a valid choice"),
        ({"stance": "opposes", "source": "not a link", "date": "2025-06-01"}, "Enter a valid URL"),
        ({"stance": "opposes", "source": SOURCE, "date": "2999-01-01"}, "cannot be in the future"),
    ],
)
def test_it_refuses_a_stance_it_cannot_show_honestly(
    as_organiser: Client, fields: dict[str, str], error: str
) -> None:
    response = as_organiser.post(EDIT, fields)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Stance.objects.exists()
    assert not StanceChange.objects.exists()


def test_it_answers_404_for_a_legislator_the_campaign_does_not_target(
    as_organiser: Client,
) -> None:
    # R000007 sits in the House; the example campaign asks only for senators.
    assert as_organiser.get("/manage/c/hketo/stances/R000007/").status_code == 404


def test_cohost_staff_and_outsiders_get_404(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    for person in (cohost_staffer(hketo, "dc4hk"), outsider()):
        sign_in_verified(client, person)
        assert client.get(STANCES).status_code == 404
        assert client.get(EDIT).status_code == 404
        fields = {"stance": "opposes", "source": SOURCE, "date": "2025-06-01"}
        assert client.post(EDIT, fields).status_code == 404
    assert not Stance.objects.exists()


def test_only_organisers_see_the_link_to_the_stances(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    sign_in_verified(client, organiser(hketo))
    assert STANCES in client.get("/manage/c/hketo/").content.decode()
    sign_in_verified(client, cohost_staffer(hketo, "dc4hk"))
    assert STANCES not in client.get("/manage/c/hketo/").content.decode()


def test_a_stance_recorded_in_the_dashboard_wins_until_load_force(
    as_organiser: Client, campaign_folder: Path
) -> None:
    yaml = campaign_folder / "campaign.yaml"
    yaml.write_text(yaml.read_text() + FOLDER_STANCE)
    load(campaign_folder)
    assert Stance.objects.get(bioguide="S000001").stance == "undecided"

    record(as_organiser, "cosponsor")
    output = load(campaign_folder)
    assert "Kept 1 stance(s) recorded in the dashboard; --force replaces them" in output
    assert Stance.objects.get(bioguide="S000001").stance == "cosponsor"
    assert Stance.objects.get(bioguide="S000003").stance == "opposes"  # the folder's own

    load(campaign_folder, "--force")
    replaced = Stance.objects.get(bioguide="S000001")
    assert (replaced.stance, replaced.origin) == ("undecided", Stance.FROM_FOLDER)
    last = StanceChange.objects.filter(bioguide="S000001").latest("pk")
    assert (last.old_stance, last.new_stance, last.via) == (
        "cosponsor",
        "undecided",
        StanceChange.BY_FORCED_LOAD,
    )
    assert last.user is None


@pytest.mark.django_db
def test_loading_the_folder_again_records_only_what_changed(campaign_folder: Path) -> None:
    yaml = campaign_folder / "campaign.yaml"
    yaml.write_text(yaml.read_text() + FOLDER_STANCE)
    load(campaign_folder)
    load(campaign_folder)
    assert StanceChange.objects.count() == 2  # the two stances, once each
    yaml.write_text(yaml.read_text().replace("stance: opposes", "stance: undecided"))
    load(campaign_folder)
    change = StanceChange.objects.latest("pk")
    assert (change.bioguide, change.old_stance, change.new_stance, change.via) == (
        "S000003",
        "opposes",
        "undecided",
        StanceChange.BY_LOAD,
    )
