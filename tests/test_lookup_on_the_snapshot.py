"""The lookup over the real official snapshot in $URGE_DATA_DIR (../shared/data in CI)."""

import datetime
import os
from collections import Counter
from pathlib import Path

import pytest

from urge.legislators.index import LookupIndex, postal_zips
from urge.legislators.lookup import MILITARY_STATES, NO_SEATS, Status, ZipQuery, lookup
from urge.legislators.states import SENATE_STATES
from urge.legislators.sync import read_snapshot


@pytest.fixture(scope="module")
def index() -> LookupIndex:
    folder = Path(os.environ.get("URGE_DATA_DIR", ""))
    if not os.environ.get("URGE_DATA_DIR") or not (folder / "congress-legislators").is_dir():
        pytest.skip("URGE_DATA_DIR does not point at the official snapshot (../shared/data)")
    snapshot = read_snapshot(folder, lambda _: None)
    return LookupIndex.build(
        1, datetime.date(2026, 6, 15), snapshot.legislators, snapshot.zips, postal_zips()
    )


def test_every_senator_is_reachable_from_some_zip(index: LookupIndex) -> None:
    reached: set[str] = set()
    for zcta in index.zips:
        answer = lookup(index, ZipQuery(zcta))
        for state in answer.states:
            chosen = lookup(index, ZipQuery(zcta), state=state)
            reached.update(member.bioguide for member in chosen.senators)
    every = {member.bioguide for members in index.senators.values() for member in members}
    assert len(every) == 100
    assert reached == every


def test_every_zip_with_a_state_returns_its_two_senators_or_its_delegate(
    index: LookupIndex,
) -> None:
    outcomes: Counter[str] = Counter()
    for zip5, postal in index.postal.items():
        if postal.state in MILITARY_STATES or postal.state in NO_SEATS:
            assert lookup(index, ZipQuery(zip5)).status in (Status.MILITARY, Status.NO_MEMBERS)
            continue
        answer = lookup(index, ZipQuery(zip5))
        if answer.status == Status.CHOOSE_STATE:
            assert postal.state in answer.states, zip5
            answer = lookup(index, ZipQuery(zip5), state=postal.state)
        assert answer.status == Status.FOUND, zip5
        if answer.state in SENATE_STATES:
            assert len(answer.senators) == 2, zip5
            assert {member.state for member in answer.senators} == {answer.state}
            outcomes["two senators"] += 1
        else:
            delegates = [seat.member for seat in answer.house if seat.member]
            assert [member.district for member in delegates] == [0], zip5
            outcomes["a delegate"] += 1
    assert outcomes["two senators"] > 40000
    assert outcomes["a delegate"] > 300


def test_the_snapshots_vacant_house_seats_are_answered_as_vacant(index: LookupIndex) -> None:
    vacant = {
        (seat.state, seat.district)
        for zcta in index.zips
        for state in {area.state for area in index.zips[zcta]}
        for seat in lookup(index, ZipQuery(zcta), state=state).house
        if seat.member is None
    }
    assert vacant == {("CA", 14), ("FL", 20), ("GA", 13), ("TX", 23)}
