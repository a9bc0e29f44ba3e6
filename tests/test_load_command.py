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
    summary = "2 languages, 4 steps, 3 sections, 4 co-hosts, 7 message templates.\n"
    unchecked = "Post lengths not checked: no legislator data is loaded yet.\n"
    assert first == f"{unchecked}Created campaign 'hketo': {summary}"
    assert second == f"{unchecked}Updated campaign 'hketo': {summary}"
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
    assert out.endswith("hketo: no problems found.\n")
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


@pytest.mark.django_db
def test_it_checks_post_lengths_against_every_current_target(
    campaign_folder: Path, release: object
) -> None:
    out, _ = load("--check", str(campaign_folder))
    assert "Post lengths not checked" not in out
    messages = campaign_folder / "messages.yaml"
    padding = " Hong Kong" * 25
    messages.write_text(
        messages.read_text().replace(
            "this time. {campaign_url}", f"this time.{padding} {{campaign_url}}", 1
        )
    )
    err = StringIO()
    with pytest.raises(CommandError, match=r"problems? found; nothing loaded"):
        call_command("load", str(campaign_folder), stdout=StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith(
        "hketo/messages.yaml: post[0] (ask-for-a-vote): longer than X's 280 for 12 target(s): "
        "Senator Sara S000001 ("
    )
    assert lines[0].endswith(" and 7 more")
    assert not Campaign.objects.exists()
