"""`urge sync`: a dry run by default, one release at a time, and a way back."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from urge.legislators.models import DataRelease, Legislator, ZipDistrict


def sync(*args: str) -> str:
    out = StringIO()
    call_command("sync", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def edit_members(folder: Path, change: object) -> None:
    path = folder / "congress-legislators" / "legislators-current.json"
    members = json.loads(path.read_text())
    change(members)  # type: ignore[operator]
    path.write_text(json.dumps(members))


@pytest.mark.django_db
def test_a_dry_run_reports_and_writes_nothing(sample_data: Path) -> None:
    out = sync("--from", str(sample_data))
    assert "Compared with no release (first sync):" in out
    assert "legislators: 22 to create, 0 to update, 0 unchanged, 0 to retire" in out
    assert "ZIP districts: 12 rows (12 added, 0 removed)" in out
    assert "Dry run: nothing was written." in out
    assert not DataRelease.objects.exists()


@pytest.mark.django_db
def test_it_prints_the_validation_report(sample_data: Path) -> None:
    out = sync("--from", str(sample_data))
    assert "Validation report: 1 malformed-url, 44 senate-seats, 1 vacant-seat" in out
    assert "vacant-seat: CA-14: No current member holds California's district 14" in out
    assert "malformed-url: R000012 Rara R000012 (CA-12 representative): " in out
    assert "'hhttps://r000012.example.gov/contact' is not a web address" in out
    # The sample has senators in 6 states: the other 44 are summarised, not listed.
    assert "senate-seats: 44 findings, e.g. " in out


@pytest.mark.django_db
def test_commit_imports_and_activates_a_release_with_its_report(sample_data: Path) -> None:
    out = sync("--from", str(sample_data), "--commit")
    release = DataRelease.objects.get()
    assert f"Imported and activated release {release}." in out
    assert release.is_active
    assert release.counts["legislators"] == 22
    assert release.counts["senators"] == 12
    assert Legislator.objects.filter(release=release).count() == 22
    assert ZipDistrict.objects.filter(release=release).count() == 12
    assert {finding["kind"] for finding in release.report} == {
        "malformed-url",
        "senate-seats",
        "vacant-seat",
    }


@pytest.mark.django_db
def test_a_second_sync_compares_by_bioguide_and_lists_each_change(sample_data: Path) -> None:
    sync("--from", str(sample_data), "--commit")

    def change(members: list[dict[str, object]]) -> None:
        members[0]["terms"][0]["phone"] = "202-224-9999"  # type: ignore[index]
        members.pop(1)
        members.append(
            {
                "id": {"bioguide": "R000014"},
                "name": {"first": "New", "last": "Member", "official_full": "New Member"},
                "terms": [
                    {
                        "type": "rep",
                        "start": "2026-06-01",
                        "end": "2027-01-03",
                        "state": "CA",
                        "district": 14,
                        "party": "Democrat",
                        "phone": "202-225-0014",
                    }
                ],
            }
        )

    edit_members(sample_data, change)
    out = sync("--from", str(sample_data))
    assert "legislators: 1 to create, 1 to update, 20 unchanged, 1 to retire" in out
    assert "create: R000014 New Member" in out
    assert "update: S000001 Sara S000001" in out
    assert "retire: S000002 Sara S000002" in out


@pytest.mark.django_db
def test_commit_keeps_the_previous_release_and_rollback_returns_to_it(sample_data: Path) -> None:
    sync("--from", str(sample_data), "--commit")
    first = DataRelease.objects.get()
    edit_members(sample_data, lambda members: members.pop(0))
    sync("--from", str(sample_data), "--commit")
    second = DataRelease.objects.get(is_active=True)
    assert second != first
    assert Legislator.objects.filter(release=second).count() == 21

    out = sync("--rollback")
    assert f"Rolled back: release {first} is active again ({second} kept)." in out
    assert DataRelease.objects.get(is_active=True) == first
    assert DataRelease.objects.count() == 2


@pytest.mark.django_db
def test_it_keeps_only_a_few_old_releases(sample_data: Path) -> None:
    for _ in range(4):
        sync("--from", str(sample_data), "--commit")
    assert DataRelease.objects.count() == 3
    assert DataRelease.objects.filter(is_active=True).count() == 1


@pytest.mark.django_db
def test_rollback_with_nothing_to_return_to_says_so() -> None:
    with pytest.raises(CommandError, match="No release is active"):
        sync("--rollback")


@pytest.mark.django_db
def test_if_missing_does_nothing_when_a_release_is_active(sample_data: Path) -> None:
    assert "Imported" in sync("--from", str(sample_data), "--commit", "--if-missing")
    out = sync("--from", str(sample_data), "--commit", "--if-missing")
    assert "is active; nothing to do." in out
    assert DataRelease.objects.count() == 1


@pytest.mark.django_db
def test_a_folder_without_the_data_fails_clearly_and_changes_nothing(
    sample_data: Path, tmp_path: Path
) -> None:
    sync("--from", str(sample_data), "--commit")
    (tmp_path / "empty").mkdir()
    with pytest.raises(CommandError, match=r"No legislators-current.json or .yaml in .*\nNothing"):
        sync("--from", str(tmp_path / "empty"), "--commit")
    (sample_data / "zip-districts" / "zccd.csv").unlink()
    with pytest.raises(CommandError, match="No ZIP-district file"):
        sync("--from", str(sample_data), "--commit")
    assert DataRelease.objects.count() == 1


@pytest.mark.django_db
def test_malformed_upstream_json_fails_clearly(sample_data: Path) -> None:
    path = sample_data / "congress-legislators" / "legislators-current.json"
    path.write_text('[{"id": ')
    with pytest.raises(CommandError, match="could not be read"):
        sync("--from", str(sample_data), "--commit")
    assert not DataRelease.objects.exists()


@pytest.mark.django_db
def test_it_reads_the_data_dir_setting_when_no_folder_is_given(
    sample_data: Path, settings: object
) -> None:
    settings.URGE_DATA_DIR = str(sample_data)  # type: ignore[attr-defined]
    err = StringIO()
    call_command("sync", stdout=StringIO(), stderr=err)
    assert f"Reading legislator data from {sample_data}" in err.getvalue()


@pytest.mark.django_db
def test_it_is_silent_at_verbosity_0(sample_data: Path) -> None:
    out, err = StringIO(), StringIO()
    call_command("sync", "--from", str(sample_data), "--commit", "-v", "0", stdout=out, stderr=err)
    assert (out.getvalue(), err.getvalue()) == ("", "")
    assert DataRelease.objects.filter(is_active=True).exists()
