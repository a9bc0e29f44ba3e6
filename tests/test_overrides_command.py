"""`urge overrides load FILE`: a dry run unless --commit, every problem named by its line."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from urge.legislators.index import index_holder
from urge.legislators.models import ContactChange, ContactOverride, DataRelease

GOOD = """\
# Found by the DC4HK volunteers.
S000002:
  x:
    value: "@SaraTwo"
    source: https://x.com/SaraTwo
    date: 2026-01-10
  contact_form:
    value: https://s000002.example.gov/write
    source: Linked from the senator's home page
    date: 2026-01-11
S000003:
  bluesky:
    value: sara.three.example.social
    source: https://bsky.app/profile/sara.three.example.social
    date: 2026-01-12
"""


def overrides(*args: str) -> str:
    out = StringIO()
    call_command("overrides", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "overrides.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(CommandError) as raised:
        overrides("load", str(write(tmp_path, text)))
    assert not ContactOverride.objects.exists()
    message = str(raised.value)
    assert message.endswith("\nNothing was changed.")
    return message.splitlines()[:-1]


@pytest.mark.django_db
def test_a_dry_run_lists_what_it_would_add_and_writes_nothing(
    tmp_path: Path, release: DataRelease
) -> None:
    out = overrides("load", str(write(tmp_path, GOOD)))
    assert "3 entries: 3 created, 0 updated, 0 unchanged" in out
    assert "  line 3: S000002 X handle: add SaraTwo" in out
    assert "  line 12: S000003 Bluesky handle: add sara.three.example.social" in out
    assert "Dry run: nothing was written." in out
    assert not ContactOverride.objects.exists()


@pytest.mark.django_db
def test_commit_saves_each_entry_and_a_second_load_finds_nothing_to_do(
    tmp_path: Path, release: DataRelease
) -> None:
    path = write(tmp_path, GOOD)
    assert "Saved: 3 created, 0 updated, 0 unchanged." in overrides("load", str(path), "--commit")
    row = ContactOverride.objects.get(bioguide="S000002", field="contact_form")
    assert (row.value, row.source, row.checked_on) == (
        "https://s000002.example.gov/write",
        "Linked from the senator's home page",
        datetime.date(2026, 1, 11),
    )
    assert ContactChange.objects.filter(via="urge overrides load overrides.yaml").count() == 3
    index = index_holder.get()
    assert index is not None
    assert index.members["S000002"].twitter == "SaraTwo"
    again = overrides("load", str(path), "--commit")
    assert "3 entries: 0 created, 0 updated, 3 unchanged" in again
    assert ContactChange.objects.count() == 3


@pytest.mark.django_db
def test_every_problem_names_its_line_and_nothing_is_saved(tmp_path: Path) -> None:
    text = """\
S000002:
  x:
    value: Sara Two
    source: https://x.com/SaraTwo
    date: 2026-01-10
  twitter:
    value: SaraTwo
  threads:
    value: sara.two
    source: "https://exa mple.org"
    date: next week
  mastodon:
    value: "@sara@example.social"
    source: Their press office
    colour: blue
sara:
  x: {value: SaraTwo, source: note, date: 2026-01-10}
S000003:
  phone:
    value: 202-224-0003
S000003:
  x: []
"""
    found = problems(tmp_path, text)
    name = f"{tmp_path}/overrides.yaml"
    assert found == [
        f"{name}, line 3: S000002 x: 'Sara Two': An X handle is 1 to 15 letters, digits or "
        "underscores, such as @PattyMurray.",
        f"{name}, line 6: 'twitter' is not a detail an override can set: x (X handle), "
        "bluesky (Bluesky handle), threads (Threads handle), mastodon (Mastodon handle), "
        "contact_form (contact form), phone (phone number).",
        f"{name}, line 10: S000002 threads: the source 'https://exa mple.org' is not a web "
        "address.",
        f"{name}, line 11: S000002 threads: 'next week': A date is written as 2026-01-31.",
        f"{name}, line 12: S000002 mastodon: the date is missing.",
        f"{name}, line 15: S000002 mastodon: unknown key 'colour' (use value, source and date).",
        f"{name}, line 16: 'sara' is not a Bioguide ID, such as M001111.",
        f"{name}, line 19: S000003 phone: the source is missing.",
        f"{name}, line 19: S000003 phone: the date is missing.",
        f"{name}, line 21: 'S000003' appears twice in the file.",
    ]


@pytest.mark.django_db
def test_a_file_that_is_not_yaml_names_the_line(tmp_path: Path) -> None:
    [problem] = problems(tmp_path, "S000002:\n  x: [unclosed\n")
    assert problem.startswith(f"{tmp_path}/overrides.yaml, line 3: not valid YAML")


@pytest.mark.django_db
def test_it_says_when_an_id_is_not_in_the_active_data(tmp_path: Path, release: DataRelease) -> None:
    text = "Z999999:\n  x: {value: Someone, source: a note, date: 2026-01-10}\n"
    out = overrides("load", str(write(tmp_path, text)))
    assert "line 2: Z999999 is not in the active legislator data" in out


@pytest.mark.django_db
def test_dump_writes_a_file_that_loads_back(tmp_path: Path, release: DataRelease) -> None:
    overrides("load", str(write(tmp_path, GOOD)), "--commit")
    dumped = overrides("dump")
    assert '  x:\n    value: "SaraTwo"\n    source: "https://x.com/SaraTwo"\n' in dumped
    out = overrides("load", str(write(tmp_path, dumped)))
    assert "3 entries: 0 created, 0 updated, 3 unchanged" in out
