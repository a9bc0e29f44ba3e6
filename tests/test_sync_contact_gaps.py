"""`urge sync` lists who still lacks an X handle or a contact form once organisers'
additions are counted, so that somebody can fill the gaps."""

import copy
import datetime
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from urge.legislators import overrides


def sync(*args: str) -> str:
    out = StringIO()
    call_command("sync", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def add(bioguide: str, field: str, value: str) -> None:
    entry = overrides.Entry(bioguide, field, value, "a note", datetime.date(2026, 1, 10))
    overrides.save(entry, None, "test")


def without_a_form(folder: Path, index: int) -> Path:
    path = folder / "congress-legislators" / "legislators-current.json"
    members = json.loads(path.read_text())
    del members[index]["terms"][0]["contact_form"]
    path.write_text(json.dumps(members))
    return folder


@pytest.mark.django_db
def test_it_counts_each_gap_and_lists_each_senator_missing_a_handle_or_form(
    sample_data: Path,
) -> None:
    out = sync("--from", str(without_a_form(sample_data, 1)))
    assert (
        "  Senate (12 members), missing: X handle 11, Bluesky handle 12, Threads handle 12, "
        "Mastodon handle 11, contact form 1, phone number 0"
    ) in out
    assert "    S000002 Sara S000002 (WA): no X handle, no contact form" in out
    assert "    S000003 Sara S000003 (SD): no X handle" in out
    assert "S000001 Sara S000001" not in out.split("Contact details still missing")[1]
    assert "    R000012 Rara R000012 (CA-12): no X handle, no contact form" in out


@pytest.mark.django_db
def test_the_gaps_organisers_filled_are_no_longer_listed(sample_data: Path) -> None:
    add("S000002", "x", "SaraTwo")
    add("S000002", "contact_form", "https://s000002.example.gov/write")
    out = sync("--from", str(without_a_form(sample_data, 1)))
    assert "1 legislator(s) with organisers' additions" in out
    assert "X handle 10," in out
    assert "S000002 Sara S000002" not in out.split("Contact details still missing")[1]


@pytest.mark.django_db
def test_it_names_overrides_upstream_caught_up_with_or_for_members_who_left(
    sample_data: Path,
) -> None:
    add("S000001", "x", "SenatorAra")  # the official data has it too
    add("Z000001", "x", "Gone")
    out = sync("--from", str(sample_data))
    assert "Overrides for members not in this data: Z000001" in out
    assert "Overrides the official data now matches (remove them?): S000001 x" in out


@pytest.mark.django_db
def test_a_long_house_list_waits_for_verbosity_2(sample_data: Path) -> None:
    path = sample_data / "congress-legislators" / "legislators-current.json"
    members = json.loads(path.read_text())
    eleventh = copy.deepcopy(members[2])  # R000007, WA-7
    eleventh["id"]["bioguide"] = "R000008"
    eleventh["terms"][0]["district"] = 8
    path.write_text(json.dumps([*members, eleventh]))
    out = sync("--from", str(sample_data))
    assert "    11 members, listed with --verbosity 2" in out
    assert "R000007" not in out.split("Contact details still missing")[1]
    assert "R000007 Rara R000007 (WA-7): no X handle" in sync(
        "--from", str(sample_data), "--verbosity", "2"
    )
