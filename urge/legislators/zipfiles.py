"""Parse the ZIP (ZCTA) to congressional district crosswalks: zccd.csv and the Census file."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass

from urge.legislators.records import Finding, ZipDistrictRecord
from urge.legislators.states import FIPS_TO_STATE
from urge.legislators.untrusted import _BadRecord, _whole_number

# Census codes the single seat of an at-large state as 00 and a non-voting delegate as 98.
_AT_LARGE_CODES = frozenset({"00", "98"})
_ZipKey = tuple[str, str, int]


def parse_zccd_csv(text: str) -> tuple[tuple[ZipDistrictRecord, ...], tuple[Finding, ...]]:
    """The us-zipcodes-congress zccd.csv: one row per (ZCTA, state, district)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    needed = {"state_fips", "state_abbr", "zcta", "cd"}
    if not needed <= set(reader.fieldnames or ()):
        message = f"The CSV header lacks the columns {', '.join(sorted(needed))}; nothing was read."
        return (), (Finding("bad-record", "ZCTA header", message),)
    keys: dict[_ZipKey, None] = {}
    findings: list[Finding] = []
    # Line 1 is the header.
    for line, row in enumerate(reader, start=2):
        key = _zccd_key(row)
        if key is None:
            findings.append(_bad_zip_row(f"ZCTA row {line}", row))
            continue
        keys[key] = None
    records = (ZipDistrictRecord(zcta, state, district, None) for zcta, state, district in keys)
    return tuple(sorted(records, key=_zip_sort_key)), tuple(findings)


def _zccd_key(row: Mapping[str, str | None]) -> _ZipKey | None:
    fips = (row.get("state_fips") or "").strip().zfill(2)
    state = (row.get("state_abbr") or "").strip().upper()
    zcta = _zcta((row.get("zcta") or "").strip())
    district = _whole_number(row.get("cd") or "")
    if FIPS_TO_STATE.get(fips) != state or zcta is None or district is None:
        return None
    # Upstream writes at-large seats as 0; a stray Census delegate code means the same.
    return zcta, state, 0 if district == 98 else district


def _zcta(value: str) -> str | None:
    # Spreadsheets strip leading zeros (New England ZCTAs start with 0).
    if not value.isdigit() or len(value) > 5:
        return None
    return value.zfill(5)


def _bad_zip_row(subject: str, row: object) -> Finding:
    return Finding("bad-record", subject, f"The row {row!r} is malformed; it was skipped.")


def _zip_sort_key(record: ZipDistrictRecord) -> tuple[str, str, int]:
    return record.zcta, record.state, record.district


@dataclass(frozen=True)
class _CensusColumns:
    district: int
    zcta: int
    zcta_land: int
    part_land: int


def parse_census_relationship(
    text: str,
) -> tuple[tuple[ZipDistrictRecord, ...], tuple[Finding, ...]]:
    """The Census congressional district to ZCTA relationship file (pipe-delimited)."""
    lines = text.lstrip("\ufeff").splitlines()
    columns = _census_columns(lines[0] if lines else "")
    if columns is None:
        message = "The Census header lacks the CD, ZCTA or land-area columns; nothing was read."
        return (), (Finding("bad-record", "Census header", message),)
    shares: dict[_ZipKey, float | None] = {}
    findings: list[Finding] = []
    for line_number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        try:
            row = _census_row(line.split("|"), columns)
        except _BadRecord as error:
            findings.append(Finding("bad-record", f"Census row {line_number}", f"The row {error}."))
            continue
        if row is not None:
            key, share = row
            shares[key] = _add_shares(shares[key], share) if key in shares else share
    records = (ZipDistrictRecord(*key, share) for key, share in shares.items())
    return tuple(sorted(records, key=_zip_sort_key)), tuple(findings)


def _census_columns(header: str) -> _CensusColumns | None:
    names = [name.strip() for name in header.split("|")]

    def first(prefix: str) -> int | None:
        return next((i for i, name in enumerate(names) if name.startswith(prefix)), None)

    # Prefixes, because the suffix names the Congress (CD119_20, CD120_20, ...).
    district, zcta = first("GEOID_CD"), first("GEOID_ZCTA5")
    zcta_land, part_land = first("AREALAND_ZCTA5"), first("AREALAND_PART")
    if district is None or zcta is None or zcta_land is None or part_land is None:
        return None
    return _CensusColumns(district, zcta, zcta_land, part_land)


def _census_row(fields: list[str], columns: _CensusColumns) -> tuple[_ZipKey, float | None] | None:
    """The row's key and land share; None for rows that map no land to a real district."""
    if len(fields) <= max(columns.district, columns.zcta, columns.zcta_land, columns.part_land):
        raise _BadRecord("has too few columns; it was skipped")
    geoid, zcta_text = fields[columns.district].strip(), fields[columns.zcta].strip()
    # ZZ is water or undefined; an empty ZCTA is land no ZIP code covers.
    if geoid.upper().endswith("ZZ") or not zcta_text:
        return None
    part, total = _area(fields[columns.part_land]), _area(fields[columns.zcta_land])
    if part == 0:
        return None
    state, district = _census_district(geoid)
    zcta = _zcta(zcta_text)
    if zcta is None or len(zcta_text) != 5:
        raise _BadRecord(f"has a malformed ZCTA {zcta_text!r}; it was skipped")
    return (zcta, state, district), (part / total if total else None)


def _area(value: str) -> int:
    area = _whole_number(value)
    if area is None:
        raise _BadRecord(f"has a malformed land area {value!r}; it was skipped")
    return area


def _census_district(geoid: str) -> tuple[str, int]:
    state = FIPS_TO_STATE.get(geoid[:2])
    code = geoid[2:]
    if state is None or len(geoid) != 4 or not code.isdigit():
        raise _BadRecord(f"has a malformed district GEOID {geoid!r}; it was skipped")
    return state, 0 if code in _AT_LARGE_CODES else int(code)


def _add_shares(first: float | None, second: float | None) -> float | None:
    if first is None or second is None:
        return first if second is None else second
    return first + second
