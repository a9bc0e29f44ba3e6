"""Organisers' contact details survive every `urge sync` and rollback, and reach the pages.

They are kept apart from the releases and laid over whichever one is active as the lookup
index is built (urge/legislators/overrides.py), so nothing here re-applies them."""

import datetime
import json
import re
from html import unescape
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from tests.people import organiser
from urge.campaigns.models import Campaign
from urge.legislators import overrides
from urge.legislators.index import index_holder
from urge.legislators.models import ContactChange, DataRelease, Legislator

CHECKED = datetime.date(2026, 1, 10)
ACT = "/c/hketo/act/?t=S000001%2CS000002&state=WA"


def add(bioguide: str, field: str, value: str) -> str:
    entry = overrides.Entry(bioguide, field, value, "https://example.org/found-it", CHECKED)
    return overrides.save(entry, None, "test")


def member(bioguide: str = "S000002"):  # type: ignore[no-untyped-def]
    index = index_holder.get()
    assert index is not None
    return index.members[bioguide]


def sync(*args: str) -> str:
    out = StringIO()
    call_command("sync", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_an_override_fills_the_gap_without_touching_the_official_row(
    release: DataRelease,
) -> None:
    assert member().twitter == ""
    assert add("S000002", "x", "@SaraTwo") == "created"
    assert add("S000002", "bluesky", "sara.example.social") == "created"
    assert (member().twitter, member().bluesky) == ("SaraTwo", "sara.example.social")
    assert member().name == "Sara S000002"  # the rest is the official data's
    assert Legislator.objects.get(bioguide="S000002").twitter == ""
    # In the senators of the state and the members by ID alike.
    index = index_holder.get()
    assert index is not None
    assert [senator.twitter for senator in index.senators["WA"]] == ["SenatorAra", "SaraTwo"]


@pytest.mark.django_db
def test_it_survives_a_new_release_and_a_rollback(sample_data: Path) -> None:
    sync("--from", str(sample_data), "--commit")
    add("S000002", "contact_form", "https://sara.example.gov/write")
    path = sample_data / "congress-legislators" / "legislators-current.json"
    members = json.loads(path.read_text())
    members[1]["name"]["official_full"] = "Sara Renamed"
    path.write_text(json.dumps(members))

    sync("--from", str(sample_data), "--commit")
    assert DataRelease.objects.count() == 2
    assert (member().name, member().contact_form) == (
        "Sara Renamed",
        "https://sara.example.gov/write",
    )
    sync("--rollback")
    assert (member().name, member().contact_form) == (
        "Sara S000002",
        "https://sara.example.gov/write",
    )


@pytest.mark.django_db
def test_a_running_process_sees_an_edit_without_rebuilding_its_zip_data(
    release: DataRelease,
) -> None:
    before = index_holder.get()
    assert before is not None
    add("S000003", "threads", "senator.three")
    after = index_holder.get()  # tests recheck at once; production every 30 seconds
    assert after is not None
    assert after.members["S000003"].threads == "senator.three"
    assert after.zips is before.zips
    overrides.remove("S000003", "threads", None, "test")
    assert member("S000003").threads == ""


@pytest.mark.django_db
def test_saving_the_same_again_changes_nothing_and_every_change_is_recorded(
    release: DataRelease,
) -> None:
    assert add("S000002", "x", "SaraTwo") == "created"
    assert add("S000002", "x", "@SaraTwo") == "unchanged"
    assert add("S000002", "x", "SaraTheSecond") == "updated"
    assert overrides.remove("S000002", "x", None, "test") == "removed"
    assert overrides.remove("S000002", "x", None, "test") == "unchanged"
    assert [
        (change.old_value, change.new_value) for change in ContactChange.objects.order_by("id")
    ] == [("", "SaraTwo"), ("SaraTwo", "SaraTheSecond"), ("SaraTheSecond", "")]


@pytest.mark.django_db
def test_an_invalid_value_is_refused_even_outside_the_forms(release: DataRelease) -> None:
    with pytest.raises(ValueError, match="X handle"):
        add("S000002", "x", "Sara Two")
    assert not ContactChange.objects.exists()


@pytest.mark.django_db
def test_the_action_page_mentions_the_added_handle_and_opens_the_added_form(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    html = client.get(ACT).content.decode()
    assert "Senator Sara S000002, the House passed" in html
    add("S000002", "x", "SaraTwo")
    add("S000002", "contact_form", "https://sara.example.gov/write")
    html = unescape(client.get(ACT).content.decode())
    assert ".@SaraTwo, the House passed the HKETO Certification Act" in html
    response = client.post(
        "/c/hketo/act/go/", {"target": "S000002", "channel": "email-form", "variant": "letter"}
    )
    refresh = re.search(r'content="0;url=([^"]+)"', response.content.decode())
    assert refresh is not None
    assert unescape(refresh[1]) == "https://sara.example.gov/write"


@pytest.mark.django_db
def test_the_lookup_api_lists_the_added_handles(client: Client, release: DataRelease) -> None:
    add("S000002", "bluesky", "sara.example.social")
    answer = client.get("/api/lookup", {"zip": "98104"}).json()
    [sara] = [m for m in answer["legislators"] if m["bioguide"] == "S000002"]
    assert sara["social"] == {"bluesky": "sara.example.social"}


@pytest.mark.django_db
def test_an_organiser_who_edited_a_detail_is_kept_in_its_history(
    hketo: Campaign, release: DataRelease
) -> None:
    person = organiser(hketo)
    overrides.save(
        overrides.Entry("S000002", "phone", "202-224-0002", "Called the office", CHECKED),
        person,
        "dashboard",
    )
    [change] = overrides.changes_of("S000002")
    assert (change.by, change.via, change.new_value) == (person, "dashboard", "202-224-0002")
