"""A campaign defines stances of its own beside the four every campaign has: `urge load`
checks and stores them, the scoreboard shows each as its own group in both languages, the
dashboard offers them, and the action page words them like the stance each follows."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tests.people import organiser, sign_in_verified
from urge.campaigns.models import Campaign, Stance, StanceKind
from urge.legislators.models import DataRelease

KINDS = """
stance_kinds:
  - slug: leads-senate-bill
    label: {en: leads the Senate bill, zh-Hant: 領銜提出參議院法案}
    follows: cosponsor
  - slug: wants-changes
    label: {en: wants changes first, zh-Hant: 要求先作修改}
    follows: undecided
stances:
  - bioguide: S000001
    stance: leads-senate-bill
    source: https://example.org/leads
    date: 2025-05-01
  - bioguide: S000002
    stance: wants-changes
    source: https://example.org/changes
    date: 2025-05-02
"""
BOARD = "/c/hketo/scoreboard/"
ACT = "/c/hketo/act/?t=S000001%2CS000002&state=WA"


def load(folder: Path, *options: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("load", str(folder), *options, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def problems(folder: Path) -> list[str]:
    err = StringIO()
    with pytest.raises(CommandError, match="nothing loaded"):
        call_command("load", str(folder), stdout=StringIO(), stderr=err)
    return err.getvalue().splitlines()


@pytest.fixture
def folder(campaign_folder: Path) -> Path:
    yaml = campaign_folder / "campaign.yaml"
    yaml.write_text(yaml.read_text() + KINDS)
    return campaign_folder


@pytest.fixture
def loaded(folder: Path, release: DataRelease) -> Campaign:
    load(folder)
    return Campaign.objects.get(slug="hketo")


def panel_of(html: str, bioguide: str) -> str:
    start = html.index(f'id="target-{bioguide}"')
    end = html.find('class="target panel"', start)
    return html[start : end if end > 0 else len(html)]


def section(html: str, stance: str) -> str:
    return html.split(f'<section id="stance-{stance}"', 1)[1].split("</section>", 1)[0]


def test_load_stores_the_campaigns_own_stances_and_the_stances_of_that_kind(
    loaded: Campaign,
) -> None:
    kinds = [(kind.slug, kind.follows, kind.label) for kind in StanceKind.objects.all()]
    assert kinds == [
        (
            "leads-senate-bill",
            "cosponsor",
            {"en": "leads the Senate bill", "zh-hant": "領銜提出參議院法案"},
        ),
        ("wants-changes", "undecided", {"en": "wants changes first", "zh-hant": "要求先作修改"}),
    ]
    assert Stance.objects.get(bioguide="S000001").stance == "leads-senate-bill"


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        (
            "  - slug: cosponsor\n    label: {en: a, zh-Hant: b}\n    follows: cosponsor\n",
            "stance_kinds[0].slug: 'cosponsor' is a stance every campaign has already",
        ),
        (
            "  - slug: Leads\n    label: {en: a, zh-Hant: b}\n    follows: cosponsor\n",
            "stance_kinds[0].slug: 'Leads' is not a slug (lower-case letters, digits, hyphens)",
        ),
        (
            "  - slug: leads\n    label: {en: a}\n    follows: cosponsor\n",
            "stance_kinds[0].label: missing the zh-Hant text",
        ),
        (
            "  - slug: leads\n    label: {en: a, zh-Hant: b}\n    follows: fan\n",
            "stance_kinds[0].follows: 'fan' is not one of: cosponsor, supports-vote, undecided, "
            "opposes (the stance whose wording it takes: cosponsor or supports-vote to thank, "
            "undecided or opposes to press)",
        ),
        (
            "  - slug: leads\n    label: {en: a, zh-Hant: b}\n",
            "stance_kinds[0].follows: missing field",
        ),
        (
            "  - slug: leads\n    label: {en: a, zh-Hant: b}\n    follows: cosponsor\n"
            "  - slug: leads\n    label: {en: c, zh-Hant: d}\n    follows: opposes\n",
            "stance_kinds[1].slug: 'leads' is defined twice",
        ),
        (
            "  - slug: a-very-long-stance-name\n    label: {en: a, zh-Hant: b}\n"
            "    follows: cosponsor\n",
            "stance_kinds[0].slug: 'a-very-long-stance-name' is longer than 20 characters",
        ),
        (
            "  - slug: leads\n    label: {en: a, zh-Hant: b}\n    follows: cosponsor\n"
            "    colour: red\n",
            "stance_kinds[0].colour: unknown field",
        ),
    ],
)
def test_load_names_the_file_and_place_of_each_mistake_in_the_kinds(
    campaign_folder: Path, db: None, kinds: str, expected: str
) -> None:
    yaml = campaign_folder / "campaign.yaml"
    yaml.write_text(yaml.read_text() + "stance_kinds:\n" + kinds)
    assert problems(campaign_folder) == [f"{yaml}: {expected}"]
    assert not Campaign.objects.exists()


def test_stances_and_messages_may_name_only_kinds_the_campaign_has(
    campaign_folder: Path, db: None
) -> None:
    yaml = campaign_folder / "campaign.yaml"
    yaml.write_text(
        yaml.read_text()
        + "stances:\n  - bioguide: S000001\n    stance: leads-senate-bill\n"
        + "    source: https://example.org/leads\n    date: 2025-05-01\n"
    )
    messages = campaign_folder / "messages.yaml"
    messages.write_text(messages.read_text().replace("[cosponsor, supports-vote]", "[fans]", 1))
    assert problems(campaign_folder) == [
        f"{yaml}: stances[0].stance: 'leads-senate-bill' is not one of: cosponsor, "
        "supports-vote, undecided, opposes",
        f"{campaign_folder / 'messages.yaml'}: post[2] (thank-you).stances: must be a list of: "
        "cosponsor, supports-vote, undecided, opposes, unknown",
    ]


def test_the_scoreboard_shows_each_kind_as_its_own_group_after_the_one_it_follows(
    client: Client, loaded: Campaign
) -> None:
    html = client.get(BOARD).content.decode()
    groups = re.findall(r'<section id="stance-([\w-]+)"', html)
    assert groups == [
        "cosponsor",
        "leads-senate-bill",
        "supports-vote",
        "undecided",
        "wants-changes",
        "opposes",
        "unknown",
    ]
    leads = section(html, "leads-senate-bill")
    assert 'leads the Senate bill <span class="count">(1)</span></h2>' in leads
    assert 'id="m-S000001"' in leads
    assert "Stance: leads the Senate bill (as of May 1, 2025)" in leads
    assert 'id="m-S000002"' in section(html, "wants-changes")
    assert "S000001" not in section(html, "cosponsor")

    chinese = client.get("/zh-hant" + BOARD).content.decode()
    assert '領銜提出參議院法案 <span class="count">(1)</span></h2>' in section(
        chinese, "leads-senate-bill"
    )
    assert "要求先作修改" in section(chinese, "wants-changes")


def test_the_action_page_thanks_or_presses_each_kind_like_the_stance_it_follows(
    client: Client, loaded: Campaign
) -> None:
    html = client.get(ACT).content.decode()
    leads, changes = panel_of(html, "S000001"), panel_of(html, "S000002")
    assert "Stance: leads the Senate bill (as of May 1, 2025)" in leads
    assert 'name="variant" value="thank-you"' in leads  # thanked, as a cosponsor is
    assert 'name="variant" value="ask-for-a-vote"' not in leads
    assert "Stance: wants changes first (as of May 2, 2025)" in changes
    assert 'name="variant" value="ask-for-a-vote"' in changes  # pressed, as the undecided are
    assert 'name="variant" value="thank-you"' not in changes
    chinese = client.get("/zh-hant" + ACT).content.decode()
    assert "領銜提出參議院法案" in panel_of(chinese, "S000001")


def test_a_template_that_names_a_kind_is_its_wording_rather_than_the_followed_ones(
    folder: Path, release: DataRelease, client: Client
) -> None:
    messages = folder / "messages.yaml"
    text = messages.read_text()
    messages.write_text(
        text.replace("stances: [undecided, opposes, unknown]", "stances: [wants-changes]", 1)
    )
    load(folder)
    changes = panel_of(client.get(ACT).content.decode(), "S000002")
    # The first post (ask-for-a-vote) names the kind: the other press posts are not offered.
    assert 'name="variant" value="ask-for-a-vote"' in changes
    assert "post=privileges" not in changes  # no link to another wording
    assert 'value="privileges"' not in changes


def test_an_organiser_chooses_a_kind_of_the_campaign_in_the_dashboard(
    client: Client, loaded: Campaign
) -> None:
    sign_in_verified(client, organiser(loaded))
    form = client.get("/manage/c/hketo/stances/S000003/").content.decode()
    options = re.findall(r'<option value="([\w-]+)"', form)
    assert options == [
        "cosponsor",
        "leads-senate-bill",
        "supports-vote",
        "undecided",
        "wants-changes",
        "opposes",
    ]
    assert '<option value="leads-senate-bill">leads the Senate bill</option>' in form
    fields = {"stance": "wants-changes", "source": "https://example.org/s3", "date": "2025-06-01"}
    assert client.post("/manage/c/hketo/stances/S000003/", fields).status_code == 302
    assert Stance.objects.get(bioguide="S000003").stance == "wants-changes"
    listed = client.get("/manage/c/hketo/stances/").content.decode()
    assert '<a href="https://example.org/s3">wants changes first</a>' in listed
    chinese = client.get("/zh-hant/manage/c/hketo/stances/S000003/").content.decode()
    assert '<option value="wants-changes" selected>要求先作修改</option>' in chinese


def test_load_keeps_a_kind_the_dashboard_still_records_until_load_force(
    client: Client, loaded: Campaign, folder: Path
) -> None:
    sign_in_verified(client, organiser(loaded))
    fields = {"stance": "wants-changes", "source": "https://example.org/s3", "date": "2025-06-01"}
    client.post("/manage/c/hketo/stances/S000003/", fields)
    yaml = folder / "campaign.yaml"
    yaml.write_text(yaml.read_text().replace(KINDS, ""))
    assert problems(folder) == [
        f"{yaml}: stance_kinds: 'wants-changes' is no longer defined, but the dashboard "
        "records it for S000003: define it again, record their stances anew in the dashboard, "
        "or load with --force (the folder's stances then replace every stance recorded in the "
        "dashboard)"
    ]
    assert StanceKind.objects.count() == 2
    load(folder, "--force")
    assert not StanceKind.objects.exists()
    assert not Stance.objects.exists()


def test_the_four_stances_every_campaign_has_need_no_definition(
    campaign_folder: Path, release: DataRelease, client: Client
) -> None:
    load(campaign_folder)
    assert not StanceKind.objects.exists()
    groups = re.findall(r'<section id="stance-([\w-]+)"', client.get(BOARD).content.decode())
    assert groups == ["cosponsor", "supports-vote", "undecided", "opposes", "unknown"]
