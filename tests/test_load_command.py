"""`urge load`: the organiser's way to publish a campaign folder."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import EXAMPLE
from urge.campaigns.models import Campaign, CampaignText, CoHost, Section, Step


def load(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("load", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_it_creates_the_campaign_then_updates_it_without_duplicating() -> None:
    first, _ = load(str(EXAMPLE))
    second, _ = load(str(EXAMPLE))
    assert first == "Created campaign 'hketo': 2 languages, 4 steps, 3 sections, 4 co-hosts.\n"
    assert second == "Updated campaign 'hketo': 2 languages, 4 steps, 3 sections, 4 co-hosts.\n"
    assert Campaign.objects.count() == 1
    assert CampaignText.objects.count() == 2
    assert Step.objects.count() == 8
    assert Section.objects.count() == 6
    assert CoHost.objects.count() == 4


@pytest.mark.django_db
def test_it_applies_changes_from_the_folder(campaign_folder: Path) -> None:
    load(str(campaign_folder))
    cohost_ids = set(CoHost.objects.values_list("id", flat=True))
    bill = campaign_folder / "en" / "bill.md"
    bill.write_text("# What the bill does\n\nIt makes the State Department *decide*.\n")
    load(str(campaign_folder))
    section = Section.objects.get(key="bill", language="en")
    assert section.body_html == "<p>It makes the State Department <em>decide</em>.</p>\n"
    assert set(CoHost.objects.values_list("id", flat=True)) == cohost_ids


@pytest.mark.django_db
def test_it_writes_nothing_when_the_folder_has_problems(campaign_folder: Path) -> None:
    yaml = campaign_folder / "campaign.yaml"
    yaml.write_text(yaml.read_text().replace("https://www.hkdc.us/", "hhttps://www.hkdc.us/"))
    (campaign_folder / "zh-Hant" / "bill.md").unlink()
    with pytest.raises(CommandError, match=r"^2 problems found; nothing loaded\.$"):
        load(str(EXAMPLE), str(campaign_folder))
    assert not Campaign.objects.exists()


@pytest.mark.django_db
def test_it_prints_each_problem_on_its_own_line(campaign_folder: Path) -> None:
    (campaign_folder / "zh-Hant" / "bill.md").unlink()
    err = StringIO()
    with pytest.raises(CommandError, match="1 problem found"):
        call_command("load", str(campaign_folder), stderr=err)
    assert err.getvalue() == (
        f"{campaign_folder}/zh-Hant/bill.md: missing (the section is listed in campaign.yaml)\n"
    )


@pytest.mark.django_db
def test_it_only_checks_when_asked() -> None:
    out, _ = load("--check", str(EXAMPLE))
    assert out == "hketo: no problems found.\n"
    assert not Campaign.objects.exists()


@pytest.mark.django_db
def test_it_keeps_a_single_default_campaign(campaign_folder: Path) -> None:
    load(str(EXAMPLE))
    yaml = campaign_folder / "campaign.yaml"
    yaml.write_text(yaml.read_text().replace("slug: hketo", "slug: second"))
    load(str(campaign_folder))
    assert list(Campaign.objects.filter(is_default=True).values_list("slug", flat=True)) == [
        "second"
    ]
