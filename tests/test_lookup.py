"""Finding legislators: what people type is read generously; every case gets a deliberate answer."""

import datetime

import pytest

from tests.legislator_sample import write_sample
from urge.legislators.geocoder import GeocodedDistrict, GeocoderUnavailable
from urge.legislators.index import LookupIndex, postal_zips
from urge.legislators.lookup import (
    AddressQuery,
    Note,
    QueryError,
    Status,
    ZipQuery,
    lookup,
    parse_query,
)
from urge.legislators.sync import read_snapshot


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> LookupIndex:
    snapshot = read_snapshot(write_sample(tmp_path_factory.mktemp("data")), lambda _: None)
    return LookupIndex.build(
        1, datetime.date(2026, 11, 1), snapshot.legislators, snapshot.zips, postal_zips()
    )


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("98101", ZipQuery("98101")),
        ("  98101 ", ZipQuery("98101")),
        ("98101-", ZipQuery("98101")),
        ("98101-1234", ZipQuery("98101", "1234")),
        ("981011234", ZipQuery("98101", "1234")),
        ("98101 1234", ZipQuery("98101", "1234")),
        ("\uff19\uff18\uff11\uff10\uff11", ZipQuery("98101")),  # full-width digits
        ("98101\uff0d1234", ZipQuery("98101", "1234")),  # full-width hyphen
        ("98101\u20131234", ZipQuery("98101", "1234")),  # en dash
        (
            "1600 Pennsylvania Ave NW, Washington DC",
            AddressQuery("1600 Pennsylvania Ave NW, Washington DC"),
        ),
        ("1 Main  St,\tSeattle", AddressQuery("1 Main St, Seattle")),
    ],
)
def test_it_reads_what_people_type(typed: str, expected: object) -> None:
    assert parse_query(typed) == expected


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("9810", "bad-zip"),
        ("981012", "bad-zip"),
        ("98-101", "bad-zip"),
        ("Seattle", "not-an-address"),
        ("1 " + "x" * 300, "too-long"),
    ],
)
def test_it_names_what_is_wrong_with_the_input(typed: str, code: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(typed)
    assert caught.value.code == code


def names(members: object) -> list[str]:
    return [member.bioguide for member in members]  # type: ignore[attr-defined]


def test_a_zip_in_one_state_and_one_district_is_exact(index: LookupIndex) -> None:
    answer = lookup(index, ZipQuery("98104"))
    assert answer.status == Status.FOUND
    assert answer.state == "WA"
    assert names(answer.senators) == ["S000001", "S000002"]  # senior first
    assert answer.exact
    assert [seat.member.bioguide for seat in answer.house if seat.member] == ["R000007"]
    assert answer.notes == ()


def test_a_zip_split_between_districts_gives_senators_and_named_candidates(
    index: LookupIndex,
) -> None:
    answer = lookup(index, ZipQuery("98101"))
    assert names(answer.senators) == ["S000001", "S000002"]
    assert not answer.exact
    assert answer.districts == (7, 9)
    assert [seat.member.name for seat in answer.house if seat.member] == [
        "Rara R000007",
        "Rara R000009",
    ]
    assert Note.HOUSE_CANDIDATES in answer.notes


def test_the_person_can_pick_their_district_among_the_candidates(index: LookupIndex) -> None:
    answer = lookup(index, ZipQuery("98101"), state="WA", district=9)
    assert answer.exact
    assert answer.districts == (9,)
    picked_elsewhere = lookup(index, ZipQuery("98101"), state="WA", district=3)
    assert picked_elsewhere.districts == (7, 9)  # a district the ZIP is not in is ignored


def test_a_zip_across_a_state_line_asks_which_state(index: LookupIndex) -> None:
    answer = lookup(index, ZipQuery("86515"))
    assert answer.status == Status.CHOOSE_STATE
    assert answer.states == ("AZ", "NM")
    assert answer.senators == ()
    chosen = lookup(index, ZipQuery("86515"), state="NM")
    assert names(chosen.senators) == ["S000007", "S000008"]
    assert chosen.districts == (3,)


def test_a_po_box_zip_that_is_no_zcta_gets_its_senators_and_asks_for_the_address(
    index: LookupIndex,
) -> None:
    answer = lookup(index, ZipQuery("73301"))  # the IRS in Austin: a unique ZIP
    assert answer.status == Status.FOUND
    assert answer.state == "TX"
    assert names(answer.senators) == ["S000011", "S000012"]
    assert answer.house == ()
    assert Note.HOUSE_NEEDS_ADDRESS in answer.notes


def test_an_at_large_state_has_one_seat_whatever_the_zip(index: LookupIndex) -> None:
    assert lookup(index, ZipQuery("57701")).districts == (0,)
    po_box = lookup(index, ZipQuery("57709"))  # Rapid City PO boxes, no ZCTA
    assert po_box.exact
    assert names(seat.member for seat in po_box.house) == ["R000100"]


def test_dc_and_the_territories_have_no_senators_but_a_delegate(index: LookupIndex) -> None:
    for zip5, delegate in (("20500", "D000001"), ("96910", "D000002")):
        answer = lookup(index, ZipQuery(zip5))
        assert answer.status == Status.FOUND
        assert answer.senators == ()
        assert Note.NO_SENATORS in answer.notes
        assert names(seat.member for seat in answer.house) == [delegate]


def test_a_military_zip_asks_where_the_person_votes(index: LookupIndex) -> None:
    answer = lookup(index, ZipQuery("09001"))
    assert answer.status == Status.MILITARY
    voting_in_washington = lookup(index, ZipQuery("09001"), state="WA")
    assert names(voting_in_washington.senators) == ["S000001", "S000002"]
    assert Note.HOUSE_NEEDS_ADDRESS in voting_in_washington.notes


def test_a_vacant_seat_is_said_to_be_vacant(index: LookupIndex) -> None:
    answer = lookup(index, ZipQuery("94577"))
    assert answer.exact
    [seat] = answer.house
    assert (seat.state, seat.district, seat.member) == ("CA", 14, None)


def test_a_zip_that_does_not_exist_is_unknown(index: LookupIndex) -> None:
    assert lookup(index, ZipQuery("00000")).status == Status.UNKNOWN_ZIP


def test_a_zip_with_no_seat_in_congress_says_so(index: LookupIndex) -> None:
    answer = lookup(index, ZipQuery("96941"))  # Micronesia
    assert answer.status == Status.NO_MEMBERS
    assert answer.state == "FM"


def test_zip_plus_4_is_said_not_to_narrow_a_split_zip(index: LookupIndex) -> None:
    assert Note.ZIP_PLUS4_NOT_USED in lookup(index, ZipQuery("98101", "1234")).notes
    assert Note.ZIP_PLUS4_NOT_USED not in lookup(index, ZipQuery("98104", "1234")).notes


def test_a_geocoded_address_gives_the_exact_district(index: LookupIndex) -> None:
    def geocode(address: str) -> GeocodedDistrict:
        return GeocodedDistrict("WA", 9, "1 MAIN ST, SEATTLE, WA, 98101")

    answer = lookup(index, AddressQuery("1 Main St, Seattle WA 98101"), geocode=geocode)
    assert answer.exact
    assert answer.districts == (9,)
    assert answer.notes == ()


@pytest.mark.parametrize("outcome", ["no match", "unavailable", "turned off"])
def test_an_address_that_cannot_be_placed_falls_back_to_its_zip(
    index: LookupIndex, outcome: str
) -> None:
    def geocode(address: str) -> GeocodedDistrict | None:
        if outcome == "unavailable":
            raise GeocoderUnavailable("the geocoder did not answer")
        return None

    answer = lookup(
        index,
        AddressQuery("1 Main St, Seattle WA 98101"),
        geocode=None if outcome == "turned off" else geocode,
    )
    assert answer.notes[0] == Note.ADDRESS_FALLBACK
    assert answer.districts == (7, 9)


def test_an_address_without_a_zip_that_cannot_be_placed_is_an_error(index: LookupIndex) -> None:
    with pytest.raises(QueryError) as caught:
        lookup(index, AddressQuery("1 Nowhere Lane"), geocode=lambda _address: None)
    assert caught.value.code == "address-not-found"
