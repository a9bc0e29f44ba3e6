"""A small, made-up release in the upstream formats: one of every case the lookup must handle."""

import json
from pathlib import Path
from typing import Any

from urge.legislators.index import PostalZip


def _member(
    bioguide: str, kind: str, state: str, district: int | None = None, rank: str = ""
) -> dict[str, Any]:
    first, last = bioguide[:1] + "ara", bioguide.title()
    term: dict[str, Any] = {
        "type": kind,
        "start": "2025-01-03",
        "end": "2031-01-03" if kind == "sen" else "2027-01-03",
        "state": state,
        "party": "Independent",
        "url": f"https://{bioguide.lower()}.example.gov",
        "contact_form": f"https://{bioguide.lower()}.example.gov/contact",
        "address": "1 Capitol Hill Washington DC 20510",
        "phone": "202-224-0001",
    }
    if district is not None:
        term["district"] = district
    if rank:
        term["state_rank"] = rank
    return {
        "id": {"bioguide": bioguide},
        "name": {"first": first, "last": last, "official_full": f"{first} {last}"},
        "terms": [term],
    }


LEGISLATORS = [
    _member("S000001", "sen", "WA", rank="senior"),
    _member("S000002", "sen", "WA", rank="junior"),
    _member("R000007", "rep", "WA", 7),
    _member("R000009", "rep", "WA", 9),
    _member("S000003", "sen", "SD", rank="senior"),
    _member("S000004", "sen", "SD", rank="junior"),
    _member("R000100", "rep", "SD", 0),
    _member("S000005", "sen", "AZ", rank="senior"),
    _member("S000006", "sen", "AZ", rank="junior"),
    _member("R000200", "rep", "AZ", 2),
    _member("S000007", "sen", "NM", rank="senior"),
    _member("S000008", "sen", "NM", rank="junior"),
    _member("R000300", "rep", "NM", 3),
    _member("S000009", "sen", "CA", rank="senior"),
    _member("S000010", "sen", "CA", rank="junior"),
    _member("R000012", "rep", "CA", 12),  # CA-14 has no member: vacant
    _member("S000011", "sen", "TX", rank="senior"),
    _member("S000012", "sen", "TX", rank="junior"),
    _member("R000400", "rep", "TX", 10),
    _member("R000401", "rep", "TX", 37),
    _member("D000001", "rep", "DC", 0),
    _member("D000002", "rep", "GU", 0),
]
LEGISLATORS[15]["terms"][0]["contact_form"] = "hhttps://r000012.example.gov/contact"

ZCCD = """state_fips,state_abbr,zcta,cd
53,WA,98101,7
53,WA,98101,9
53,WA,98104,7
46,SD,57701,0
04,AZ,86515,2
35,NM,86515,3
06,CA,94544,14
06,CA,94544,12
06,CA,94577,14
48,TX,78701,10
48,TX,78701,37
11,DC,20500,0
"""

SOCIAL = [
    {
        "id": {"bioguide": "S000001"},
        "social": {"twitter": "SenatorAra", "mastodon": "@ara@example.social"},
    }
]
OFFICES = [
    {
        "id": {"bioguide": "S000001"},
        "offices": [
            {
                "id": "S000001-seattle",
                "address": "1 Main St",
                "city": "Seattle",
                "state": "WA",
                "zip": "98101",
                "phone": "206-555-0100",
            }
        ],
    }
]
COMMITTEES = [
    {
        "type": "senate",
        "name": "Committee on Foreign Relations",
        "thomas_id": "SSFR",
        "subcommittees": [],
    }
]
MEMBERSHIP = {
    "SSFR": [
        {"bioguide": "S000001", "rank": 1, "title": "Chair"},
        {"bioguide": "S000005", "rank": 2},
    ]
}


# The ZIP codes the tests use, as the Postal Service knows them (a subset of `zipcodes`).
POSTAL_ZIPS = {
    "98101": PostalZip("WA", "STANDARD"),
    "98104": PostalZip("WA", "STANDARD"),
    "57701": PostalZip("SD", "STANDARD"),
    "57709": PostalZip("SD", "PO BOX"),
    "86515": PostalZip("AZ", "STANDARD"),
    "94544": PostalZip("CA", "STANDARD"),
    "94577": PostalZip("CA", "STANDARD"),
    "78701": PostalZip("TX", "STANDARD"),
    "73301": PostalZip("TX", "UNIQUE"),
    "20500": PostalZip("DC", "STANDARD"),
    "96910": PostalZip("GU", "STANDARD"),
    "09001": PostalZip("AE", "MILITARY"),
    "96941": PostalZip("FM", "STANDARD"),
}


def write_sample(folder: Path) -> Path:
    """Write the sample in the layout of URGE_DATA_DIR; return the folder."""
    legislators = folder / "congress-legislators"
    legislators.mkdir(parents=True, exist_ok=True)
    (folder / "zip-districts").mkdir(exist_ok=True)
    for name, data in (
        ("legislators-current.json", LEGISLATORS),
        ("legislators-social-media.json", SOCIAL),
        ("legislators-district-offices.json", OFFICES),
        ("committees-current.json", COMMITTEES),
        ("committee-membership-current.json", MEMBERSHIP),
    ):
        (legislators / name).write_text(json.dumps(data), encoding="utf-8")
    (folder / "zip-districts" / "zccd.csv").write_text(ZCCD, encoding="utf-8")
    return folder
