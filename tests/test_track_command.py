"""`urge track`: the campaign's bills read from Congress.gov (a real local server replaying
hand-written answers), cosponsors recorded as stances, organisers' stances kept."""

from __future__ import annotations

import datetime
import io
import json
import logging
from collections.abc import Iterator

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from tests.congress_answers import (
    HOUSE_BILL,
    JSON,
    SECRET_KEY,
    SENATE_BILL,
    recorded,
    serve_both_bills,
)
from tests.httpserver import LocalServer
from tests.people import organiser
from urge.bills.models import Cosponsorship, TrackedBill
from urge.campaigns.folder_targets import StanceSpec
from urge.campaigns.models import Campaign, Stance, StanceChange, StanceKind
from urge.campaigns.stances import StanceValue, load_folder_stances, record_stance
from urge.core.management.commands.serve import TRACK_EVERY, chores
from urge.legislators.models import DataRelease

SENATE_PAGE = "https://www.congress.gov/bill/119th-congress/senate-bill/900"


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        serve_both_bills(running)
        yield running


@pytest.fixture
def tracking(server: LocalServer, hketo: Campaign) -> Iterator[Campaign]:
    """The example campaign tracking the House bill and its Senate companion."""
    with override_settings(URGE_CONGRESS_API_KEY=SECRET_KEY, URGE_CONGRESS_API_URL=server.base_url):
        track("--campaign", "hketo", "--add", "119/hr/2661", "--add", "119/s/900")
        yield hketo


def track(*args: str) -> str:
    out = io.StringIO()
    call_command("track", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def stances(campaign: Campaign) -> dict[str, tuple[str, str, datetime.date, str]]:
    return {
        row.bioguide: (row.stance, row.source, row.date, row.origin)
        for row in Stance.objects.filter(campaign=campaign).order_by("bioguide")
    }


def cosponsor(day: int, month: int = 5) -> tuple[str, str, datetime.date, str]:
    return ("cosponsor", SENATE_PAGE, datetime.date(2025, month, day), Stance.FROM_TRACKER)


def test_it_records_a_cosponsor_stance_for_each_targeted_cosponsor(
    tracking: Campaign, release: DataRelease
) -> None:
    printed = track("--commit")

    # A senators-only campaign: the House bill's sponsors are not its targets, nor is a
    # cosponsor who withdrew (S000011), nor one no longer in Congress (X000999).
    assert stances(tracking) == {
        "S000001": cosponsor(1),
        "S000003": cosponsor(15),
        "S000007": cosponsor(1),  # the sponsor
    }
    assert "hketo: cosponsor stances 3 created, 0 changed, 0 removed; 0 recorded" in printed
    assert "hketo: S. 900, latest action on 2025-06-12: Committee on Foreign Relations." in printed
    changes = StanceChange.objects.filter(campaign=tracking)
    assert {(change.bioguide, change.via, change.new_stance) for change in changes} == {
        ("S000001", StanceChange.BY_TRACKER, "cosponsor"),
        ("S000003", StanceChange.BY_TRACKER, "cosponsor"),
        ("S000007", StanceChange.BY_TRACKER, "cosponsor"),
    }


def test_it_stores_each_bills_latest_action_and_cosponsors(
    tracking: Campaign, release: DataRelease
) -> None:
    track("--commit")

    house = TrackedBill.objects.get(campaign=tracking, bill_type="hr")
    assert house.latest_action_date == datetime.date(2025, 4, 7)
    assert house.latest_action_text.startswith("Referred to the Committee on Foreign Affairs")
    assert house.checked_at is not None
    assert list(
        Cosponsorship.objects.filter(bill=house).values_list("bioguide", "withdrawn_on", "sponsor")
    ) == [
        ("R000007", None, True),
        ("R000009", None, False),
        ("R000200", datetime.date(2025, 6, 1), False),
        ("R000100", None, False),
    ]


def test_it_keeps_the_stances_organisers_recorded_in_the_dashboard(
    tracking: Campaign, release: DataRelease
) -> None:
    said = StanceValue("supports-vote", "https://example.org/statement", datetime.date(2025, 3, 1))
    record_stance(tracking, "S000003", said, organiser(tracking))
    # A folder stance gives way to the official record.
    folder = StanceSpec("S000001", "undecided", "https://example.org/a", datetime.date(2025, 1, 2))
    load_folder_stances(tracking, [folder], force=False)

    printed = track("--commit")

    found = stances(tracking)
    assert found["S000003"] == (
        "supports-vote",
        "https://example.org/statement",
        datetime.date(2025, 3, 1),
        Stance.FROM_DASHBOARD,
    )
    assert found["S000001"] == cosponsor(1)
    assert "1 created, 1 changed, 0 removed; 1 recorded in the dashboard and 0 of" in printed


LEADS = ("leads-senate-bill", "https://example.org/leads", datetime.date(2025, 5, 20))


def leads_the_senate_bill(campaign: Campaign) -> StanceSpec:
    """One of the campaign's own kinds, as README's campaign.yaml example defines it (it
    follows "cosponsor"), given in the folder to a senator who cosponsors the bill."""
    StanceKind.objects.create(
        campaign=campaign,
        slug=LEADS[0],
        follows=Stance.COSPONSOR,
        label={"en": "leads the Senate bill"},
        position=0,
    )
    return StanceSpec("S000001", *LEADS)


def test_it_keeps_a_folder_stance_of_the_campaigns_own_kind(
    tracking: Campaign, release: DataRelease
) -> None:
    load_folder_stances(tracking, [leads_the_senate_bill(tracking)], force=False)

    printed = track("--commit")

    assert stances(tracking)["S000001"] == (*LEADS, Stance.FROM_FOLDER)
    assert stances(tracking)["S000003"] == cosponsor(15)  # the others are recorded
    assert "2 created, 0 changed, 0 removed; 0 recorded in the dashboard and 1 of the " in printed
    assert not StanceChange.objects.filter(bioguide="S000001", via=StanceChange.BY_TRACKER)


def test_the_folder_gives_its_own_kind_to_a_cosponsor_the_tracker_recorded(
    tracking: Campaign, release: DataRelease
) -> None:
    """As when the campaign's own kind is written into the folder after the tracker read the
    cosponsorship (or was replaced by a tracker that did not yet keep it)."""
    track("--commit")
    assert stances(tracking)["S000001"] == cosponsor(1)

    load_folder_stances(tracking, [leads_the_senate_bill(tracking)], force=False)
    assert stances(tracking)["S000001"] == (*LEADS, Stance.FROM_FOLDER)
    track("--commit")

    assert stances(tracking)["S000001"] == (*LEADS, Stance.FROM_FOLDER)
    assert stances(tracking)["S000003"] == cosponsor(15)  # no own kind: the tracker's


def test_a_second_run_changes_nothing(tracking: Campaign, release: DataRelease) -> None:
    track("--commit")
    first = stances(tracking)
    logged = StanceChange.objects.count()

    printed = track("--commit")

    assert stances(tracking) == first
    assert StanceChange.objects.count() == logged
    assert "0 created, 0 changed, 0 removed" in printed
    assert Cosponsorship.objects.count() == 9  # 4 on the House bill, 5 on the Senate one


def test_a_withdrawn_cosponsorship_removes_the_trackers_stance(
    tracking: Campaign, server: LocalServer, release: DataRelease
) -> None:
    track("--commit")
    answer = json.loads(recorded("s-900-cosponsors.json"))
    answer["cosponsors"][0]["sponsorshipWithdrawnDate"] = "2025-07-01"  # S000001
    answer["pagination"]["count"] = 2
    server.serve(f"{SENATE_BILL}/cosponsors", json.dumps(answer).encode(), headers=JSON)

    printed = track("--commit")

    assert "S000001" not in stances(tracking)
    assert "0 created, 0 changed, 1 removed" in printed


def test_urge_load_keeps_the_trackers_stances(tracking: Campaign, release: DataRelease) -> None:
    track("--commit")

    load_folder_stances(tracking, [], force=False)
    assert set(stances(tracking)) == {"S000001", "S000003", "S000007"}

    load_folder_stances(tracking, [], force=True)
    assert stances(tracking) == {}


def test_a_dry_run_writes_nothing(tracking: Campaign, release: DataRelease) -> None:
    printed = track()

    assert "3 created" in printed
    assert "Dry run: nothing was written." in printed
    assert stances(tracking) == {}
    assert not TrackedBill.objects.filter(checked_at__isnull=False).exists()


@pytest.mark.parametrize(
    ("path", "status", "body"),
    [
        (f"{SENATE_BILL}/cosponsors", 500, b"oops"),
        (SENATE_BILL, 200, b"not json"),
        (f"{HOUSE_BILL}/cosponsors", 403, b'{"error": "API_KEY_INVALID"}'),
    ],
)
def test_a_failed_answer_changes_nothing_and_never_shows_the_key(
    tracking: Campaign,
    server: LocalServer,
    release: DataRelease,
    caplog: pytest.LogCaptureFixture,
    path: str,
    status: int,
    body: bytes,
) -> None:
    server.serve(path, body, status=status, headers=JSON)
    caplog.set_level(logging.DEBUG)

    with pytest.raises(CommandError) as raised:
        track("--commit")

    assert "Nothing was changed." in str(raised.value)
    assert SECRET_KEY not in str(raised.value)
    assert SECRET_KEY not in caplog.text
    assert stances(tracking) == {}
    assert not TrackedBill.objects.filter(checked_at__isnull=False).exists()


def test_it_records_no_stance_without_legislator_data(tracking: Campaign) -> None:
    printed = track("--commit")

    assert "no legislator data is active" in printed
    assert stances(tracking) == {}
    assert TrackedBill.objects.filter(checked_at__isnull=False).count() == 2


def test_it_needs_a_key(hketo: Campaign) -> None:
    with (
        override_settings(URGE_CONGRESS_API_KEY=None),
        pytest.raises(CommandError, match="URGE_CONGRESS_API_KEY is not set"),
    ):
        track("--commit")


def test_it_tells_a_mistyped_bill(hketo: Campaign) -> None:
    with pytest.raises(CommandError, match="is not a bill"):
        track("--campaign", "hketo", "--add", "HR 2661")


def test_a_check_makes_a_new_version_of_the_campaign(
    tracking: Campaign, release: DataRelease
) -> None:
    before = Campaign.objects.get(pk=tracking.pk).updated_at

    track("--commit")

    assert Campaign.objects.get(pk=tracking.pk).updated_at > before


def test_urge_serve_checks_the_bills_daily_only_with_a_key() -> None:
    urge = ["python", "-m", "urge.cli"]
    with override_settings(URGE_CONGRESS_API_KEY=None):
        assert [chore.argv[3] for chore in chores(urge)] == ["purge"]
    with override_settings(URGE_CONGRESS_API_KEY=SECRET_KEY):
        found = chores(urge)
    assert [list(chore.argv[3:]) for chore in found] == [
        ["purge", "--commit", "--verbosity=0"],
        ["track", "--commit", "--verbosity=0"],
    ]
    assert found[1].every == TRACK_EVERY == 86400
    # The key reaches the chore through the environment, never on its command line.
    assert all(SECRET_KEY not in part for chore in found for part in chore.argv)
