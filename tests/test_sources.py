"""Reading the official legislator, committee and ZIP-district files, and cross-checking them."""

import datetime
import json
import os
from pathlib import Path
from typing import Any

import pytest

from urge.legislators.checks import validate
from urge.legislators.committees import parse_committees
from urge.legislators.records import (
    Finding,
    LegislatorRecord,
    Office,
    ParsedLegislators,
    ZipDistrictRecord,
)
from urge.legislators.sources import parse_legislators
from urge.legislators.states import FIPS_TO_STATE, SENATE_STATES, STATE_NAMES
from urge.legislators.zipfiles import parse_census_relationship, parse_zccd_csv


def member(
    bioguide: str,
    kind: str,
    state: str,
    district: int | None = None,
    *,
    name: dict[str, str] | None = None,
    **term: Any,
) -> dict[str, Any]:
    """A legislators-current record with one earlier term and the current one."""
    current: dict[str, Any] = {
        "type": kind,
        "start": "2025-01-03",
        "end": "2027-01-03",
        "state": state,
        "party": "Democrat",
        "url": f"https://{bioguide.lower()}.house.gov",
        "contact_form": f"https://{bioguide.lower()}.house.gov/contact",
        "address": "1 Capitol Hill Washington DC 20515",
        "phone": "202-225-0000",
    }
    if district is not None:
        current["district"] = district
    current.update(term)
    first, last = bioguide.lower(), "member"
    return {
        "id": {"bioguide": bioguide, "govtrack": 1},
        "name": name or {"first": first, "last": last, "official_full": f"{first} {last}"},
        "terms": [
            {"type": "rep", "start": "2019-01-03", "end": "2021-01-03", "state": "ZZ"},
            current,
        ],
    }


def parse(*records: dict[str, Any], social: Any = (), offices: Any = ()) -> ParsedLegislators:
    return parse_legislators(list(records), list(social), list(offices))


def only(parsed: ParsedLegislators) -> LegislatorRecord:
    (record,) = parsed.legislators
    return record


def kinds(findings: tuple[Finding, ...]) -> list[str]:
    return [finding.kind for finding in findings]


def test_it_takes_the_current_term_from_the_last_entry_of_terms() -> None:
    record = only(
        parse(
            member(
                "S000001", "sen", "WA", start="2025-01-03", end="2031-01-03", state_rank="junior"
            )
        )
    )
    assert record.chamber == "senate"
    assert record.state == "WA"
    assert record.term_start == datetime.date(2025, 1, 3)
    assert record.term_end == datetime.date(2031, 1, 3)
    assert record.state_rank == "junior"


def test_it_tells_senators_from_representatives() -> None:
    parsed = parse(member("S000001", "sen", "OH"), member("R000001", "rep", "OH", 7))
    senator, representative = parsed.legislators
    assert (senator.chamber, senator.district) == ("senate", None)
    assert (representative.chamber, representative.district) == ("house", 7)
    assert representative.state_rank == ""


def test_it_gives_at_large_seats_and_delegates_district_zero() -> None:
    parsed = parse(
        member("W000001", "rep", "WY", 0),
        member("D000001", "rep", "DC", 0),
        member("P000001", "rep", "PR"),
    )
    assert [(r.state, r.district) for r in parsed.legislators] == [("WY", 0), ("DC", 0), ("PR", 0)]
    assert parsed.findings == ()


def test_it_leaves_out_a_malformed_url_and_reports_it() -> None:
    bad = "hhttps://fine.house.gov/contact"
    record = only(parse(member("F000484", "rep", "FL", 6, contact_form=bad, url="www.fine.gov")))
    assert record.contact_form == ""
    assert record.website == ""
    assert f"malformed contact form URL {bad!r} left out" in record.flags
    assert "malformed website URL 'www.fine.gov' left out" in record.flags


def test_it_reports_each_malformed_url_as_a_finding_about_the_member() -> None:
    bad = "hhttps://fine.house.gov/contact"
    parsed = parse(member("F000484", "rep", "FL", 6, contact_form=bad))
    (finding,) = parsed.findings
    assert finding.kind == "malformed-url"
    assert finding.subject == "F000484 f000484 member (FL-6 representative)"
    assert bad in finding.message


def test_it_flags_a_missing_phone_contact_form_and_official_name() -> None:
    record = member("G000607", "rep", "CA", 1, name={"first": "James", "last": "Gallagher"})
    del record["terms"][-1]["phone"]
    del record["terms"][-1]["contact_form"]
    parsed = parse(record)
    gallagher = only(parsed)
    assert gallagher.name == "James Gallagher"
    assert gallagher.phone == ""
    assert set(gallagher.flags) == {
        "no official name (built from first and last name)",
        "no phone number",
        "no contact form",
    }
    assert sorted(kinds(parsed.findings)) == ["no-contact-form", "no-name", "no-phone"]
    assert {f.subject for f in parsed.findings} == {"G000607 James Gallagher (CA-1 representative)"}


def test_it_skips_bad_records_with_a_finding_and_keeps_the_rest() -> None:
    no_state = member("B000001", "rep", "TX", 2)
    del no_state["terms"][-1]["state"]
    no_terms = member("B000002", "rep", "TX", 3) | {"terms": []}
    no_bioguide = member("B000003", "rep", "TX", 4) | {"id": {"govtrack": 3}}
    no_type = member("B000004", "rep", "TX", 5, type="")
    good = member("G000001", "rep", "TX", 6)
    parsed = parse(no_state, no_terms, no_bioguide, no_type, "not a record", good)  # type: ignore[arg-type]
    assert [r.bioguide for r in parsed.legislators] == ["G000001"]
    assert kinds(parsed.findings) == ["bad-record"] * 5
    assert "B000001" in parsed.findings[0].subject
    assert "state" in parsed.findings[0].message


def test_it_joins_social_media_and_district_offices_by_bioguide() -> None:
    social = [
        {"id": {"bioguide": "J000001"}, "social": {"twitter": "RepJ", "youtube_id": "UCabc"}},
        {"id": {"bioguide": "X999999"}, "social": {"twitter": "Stranger"}},
    ]
    offices = [
        {
            "id": {"bioguide": "J000001"},
            "offices": [
                {
                    "city": "Jasper",
                    "address": "1710 Alabama Ave.",
                    "suite": 247,
                    "building": "Carl Elliott Building",
                    "state": "AL",
                    "zip": "35501",
                    "phone": "205-221-2310",
                },
                {"city": "Oakland", "state": "CA", "zip": "94612"},
            ],
        }
    ]
    parsed = parse(member("J000001", "rep", "AL", 4), social=social, offices=offices)
    record = only(parsed)
    assert (record.twitter, record.youtube, record.facebook) == ("RepJ", "UCabc", "")
    assert record.offices == (
        Office(
            "Jasper",
            "1710 Alabama Ave., 247, Carl Elliott Building, Jasper, AL 35501",
            "205-221-2310",
        ),
        Office("Oakland", "Oakland, CA 94612", ""),
    )
    assert parsed.findings == ()


def test_it_accepts_dates_already_decoded_by_yaml() -> None:
    record = only(
        parse(member("Y000001", "rep", "NY", 3, start=datetime.date(2025, 1, 3), end="2027-01-03"))
    )
    assert record.term_start == datetime.date(2025, 1, 3)


ZCCD = """state_fips,state_abbr,zcta,cd
9,CT,6001,1
09,CT,06001,1
56,WY,82001,0
11,DC,20001,0
01,AL,3500x,3
01,TX,35004,3
01,AL,35004
"""


def test_it_reads_the_zccd_csv_keeping_leading_zeros() -> None:
    records, findings = parse_zccd_csv(ZCCD)
    assert records == (
        ZipDistrictRecord("06001", "CT", 1, None),
        ZipDistrictRecord("20001", "DC", 0, None),
        ZipDistrictRecord("82001", "WY", 0, None),
    )
    assert [f.subject for f in findings] == ["ZCTA row 6", "ZCTA row 7", "ZCTA row 8"]
    assert kinds(findings) == ["bad-record"] * 3


CENSUS = (
    "\ufeffOID_CD119_20|GEOID_CD119_20|NAMELSAD_CD119_20|AREALAND_CD119_20|AREAWATER_CD119_20"
    "|MTFCC_CD119_20|FUNCSTAT_CD119_20|OID_ZCTA5_20|GEOID_ZCTA5_20|NAMELSAD_ZCTA5_20"
    "|AREALAND_ZCTA5_20|AREAWATER_ZCTA5_20|MTFCC_ZCTA5_20|CLASSFP_ZCTA5_20|FUNCSTAT_ZCTA5_20"
    "|AREALAND_PART|AREAWATER_PART\n"
    "1|0101|Congressional District 1|900|0|G5200|N|11|36507|ZCTA5 36507|4000|0|G6350|B5|S|3000|0\n"
    "2|0102|Congressional District 2|900|0|G5200|N|11|36507|ZCTA5 36507|4000|0|G6350|B5|S|1000|0\n"
    "3|01ZZ|Congressional Districts not defined|0|50|G5200|N|11|36507|ZCTA5 36507|4000|0|G6350"
    "|B5|S|0|50\n"
    "4|0102|Congressional District 2|900|0|G5200|N|||||||||20|0\n"
    "5|0102|Congressional District 2|900|0|G5200|N|12|36502|ZCTA5 36502|2000|0|G6350|B5|S|0|10\n"
    "6|5600|Congressional District (at Large)|900|0|G5200|N|13|82001|ZCTA5 82001|5000|0|G6350"
    "|B5|S|5000|0\n"
    "7|1198|Delegate District (at Large)|900|0|G5200|N|14|20001|ZCTA5 20001|600|0|G6350|B5|S"
    "|600|0\n"
    "8|0901|Congressional District 1|900|0|G5200|N|15|06001|ZCTA5 06001|800|0|G6350|B5|S|500|0\n"
    "9|0901|Congressional District 1|900|0|G5200|N|15|06001|ZCTA5 06001|800|0|G6350|B5|S|300|0\n"
    "10|9901|Congressional District 1|900|0|G5200|N|16|99999|ZCTA5 99999|10|0|G6350|B5|S|10|0\n"
    "11|0102|Congressional District 2|900|0|G5200|N|17|36000|ZCTA5 36000|0|0|G6350|B5|S|5|0\n"
)


def test_it_reads_census_land_shares_and_skips_water_empty_and_zero_area_rows() -> None:
    records, findings = parse_census_relationship(CENSUS)
    assert records == (
        ZipDistrictRecord("06001", "CT", 1, 1.0),
        ZipDistrictRecord("20001", "DC", 0, 1.0),
        ZipDistrictRecord("36000", "AL", 2, None),
        ZipDistrictRecord("36507", "AL", 1, 0.75),
        ZipDistrictRecord("36507", "AL", 2, 0.25),
        ZipDistrictRecord("82001", "WY", 0, 1.0),
    )
    assert findings == (
        Finding(
            "bad-record",
            "Census row 11",
            "The row has a malformed district GEOID '9901'; it was skipped.",
        ),
    )


def test_it_finds_census_columns_by_prefix_for_a_later_congress() -> None:
    later = CENSUS.replace("CD119_20", "CD121_20")
    assert parse_census_relationship(later) == parse_census_relationship(CENSUS)


def test_it_reads_nothing_from_a_census_file_without_the_expected_columns() -> None:
    records, findings = parse_census_relationship("a|b|c\n1|2|3\n")
    assert records == ()
    assert kinds(findings) == ["bad-record"]


COMMITTEES = [
    {
        "type": "senate",
        "name": "Committee on Foreign Relations",
        "thomas_id": "SSFR",
        "subcommittees": [
            {"name": "Africa and Global Health Policy", "thomas_id": "09"},
            {"thomas_id": "10"},
        ],
    },
    {"type": "joint", "name": "Joint Economic Committee", "thomas_id": "JSEC"},
    {"type": "cabal", "name": "Secret Committee", "thomas_id": "XXXX"},
]
MEMBERSHIP = {
    "SSFR": [
        {"name": "Jim Risch", "rank": 1, "title": "Chairman", "bioguide": "R000584"},
        {"name": "Jeanne Shaheen", "rank": 1, "title": "Ranking Member", "bioguide": "S001181"},
        {"name": "Nobody", "rank": 2},
    ],
    "SSFR09": [{"name": "Jim Risch", "rank": "x", "bioguide": "R000584"}],
    "JSEC": [{"name": "Former Member", "rank": 3, "bioguide": "F000001"}],
    "SSZZ": [{"name": "Jim Risch", "rank": 1, "bioguide": "R000584"}],
}


def test_it_reads_committees_with_subcommittee_codes_and_chambers() -> None:
    committees, _, findings = parse_committees(COMMITTEES, MEMBERSHIP)
    assert [(c.code, c.chamber, c.parent_code) for c in committees] == [
        ("SSFR", "senate", None),
        ("SSFR09", "senate", "SSFR"),
        ("JSEC", "joint", None),
    ]
    assert committees[1].name == "Africa and Global Health Policy"
    subjects = [f.subject for f in findings]
    assert "committee SSFR" in subjects  # the subcommittee without a name
    assert "committee #3 XXXX" in subjects  # the unknown chamber


def test_it_reads_memberships_with_rank_and_title_and_skips_malformed_ones() -> None:
    _, members, findings = parse_committees(COMMITTEES, MEMBERSHIP)
    assert [(m.committee_code, m.bioguide, m.rank, m.title) for m in members] == [
        ("SSFR", "R000584", 1, "Chairman"),
        ("SSFR", "S001181", 1, "Ranking Member"),
        ("SSFR09", "R000584", None, ""),
        ("JSEC", "F000001", 3, ""),
    ]
    subjects = [f.subject for f in findings]
    assert "committee SSFR member #3" in subjects
    assert "committee SSZZ" in subjects


def test_it_leaves_out_memberships_of_people_who_are_not_current_members() -> None:
    _, members, findings = parse_committees(
        COMMITTEES, MEMBERSHIP, known_bioguides={"R000584", "S001181"}
    )
    assert "F000001" not in {m.bioguide for m in members}
    assert [f.subject for f in findings if f.kind == "unknown-member"] == [
        "committee JSEC member F000001"
    ]


def full_senate(*, leave_out: str = "") -> list[dict[str, Any]]:
    senators = []
    for state in sorted(SENATE_STATES):
        for seat in (1, 2):
            if f"{state}{seat}" != leave_out:
                senators.append(member(f"{state}{seat}0000", "sen", state))
    return senators


def test_it_finds_no_problem_when_every_seat_is_filled() -> None:
    house = [
        member("C000001", "rep", "CA", 14),
        member("W000001", "rep", "WY", 0),
        member("D000001", "rep", "DC", 0),
    ]
    zips = [
        ZipDistrictRecord("94520", "CA", 14, None),
        ZipDistrictRecord("82001", "WY", 0, None),
        ZipDistrictRecord("20001", "DC", 0, None),
    ]
    assert validate(parse(*full_senate(), *house).legislators, zips) == ()


def test_it_reports_vacant_house_seats_that_zip_codes_map_to() -> None:
    house = [member("P000001", "rep", "PR")]
    zips = [
        ZipDistrictRecord("94520", "CA", 14, None),
        ZipDistrictRecord("82001", "WY", 0, None),
        ZipDistrictRecord("20001", "DC", 0, None),
        ZipDistrictRecord("00601", "PR", 0, None),
    ]
    findings = validate(parse(*full_senate(), *house).legislators, zips)
    assert [(f.kind, f.subject) for f in findings] == [
        ("vacant-seat", "CA-14"),
        ("vacant-seat", "DC-AL"),
        ("vacant-seat", "WY-AL"),
    ]
    assert "District of Columbia" in findings[1].message


def test_it_reports_a_state_without_two_senators() -> None:
    senators = parse(*full_senate(leave_out="OH2")).legislators
    findings = validate(senators, [])
    assert [(f.kind, f.subject) for f in findings] == [("senate-seats", "state OH")]
    assert "Ohio has 1 senator(s)" in findings[0].message


def test_it_knows_the_states_territories_and_their_fips_codes() -> None:
    assert len(SENATE_STATES) == 50
    assert {"DC", "PR", "GU"}.isdisjoint(SENATE_STATES)
    assert SENATE_STATES.issubset(STATE_NAMES)
    assert len(STATE_NAMES) == 62
    assert set(FIPS_TO_STATE.values()) == SENATE_STATES | {"DC", "PR", "AS", "GU", "MP", "VI"}
    assert (FIPS_TO_STATE["11"], FIPS_TO_STATE["72"], FIPS_TO_STATE["06"]) == ("DC", "PR", "CA")


def snapshot_dir() -> Path:
    configured = os.environ.get("URGE_DATA_DIR")
    if not configured:
        pytest.skip("URGE_DATA_DIR is not set; it names the folder holding the data snapshot")
    folder = Path(configured)
    if not (folder / "congress-legislators").is_dir() or not (folder / "zip-districts").is_dir():
        pytest.skip(f"URGE_DATA_DIR={configured} has no congress-legislators and zip-districts")
    return folder


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def test_it_reads_and_cross_checks_the_real_snapshot() -> None:
    folder = snapshot_dir()
    upstream = folder / "congress-legislators"
    parsed = parse_legislators(
        read_json(upstream / "legislators-current.json"),
        read_json(upstream / "legislators-social-media.json"),
        read_json(upstream / "legislators-district-offices.json"),
    )
    zips, zip_findings = parse_zccd_csv((folder / "zip-districts" / "zccd.csv").read_text())
    assert len(parsed.legislators) == 537
    assert sum(r.chamber == "senate" for r in parsed.legislators) == 100
    assert any("'hhttps://" in f.message for f in parsed.findings if f.kind == "malformed-url")
    assert zip_findings == ()
    findings = validate(parsed.legislators, zips)
    vacant = {f.subject for f in findings if f.kind == "vacant-seat"}
    assert vacant == {"CA-14", "FL-20", "GA-13", "TX-23"}
    assert "senate-seats" not in kinds(findings)
