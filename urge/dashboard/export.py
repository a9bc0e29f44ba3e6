"""A co-host's supporters as CSV, in the column names Action Network's upload expects."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from urge.dashboard.queries import consent_time
from urge.supporters.models import Supporter

HEADER = ["first_name", "last_name", "email", "zip_code", "phone_number", "consent_given_at"]

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A phone number such as +1 (206) 555-0123 holds no function call, so it is left as typed:
# a quote in front would spoil it for the CRM that imports the file.
PLAIN_NUMBER = re.compile(r"[+-]?[0-9 ().-]+")


def safe_cell(value: str) -> str:
    if value.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def utc_iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def supporter_row(supporter: Supporter) -> list[str]:
    cells = [
        supporter.first_name,
        supporter.last_name,
        supporter.email,
        supporter.zip_code,
        supporter.phone,
    ]
    return [*(safe_cell(str(cell)) for cell in cells), utc_iso(consent_time(supporter))]


class _Line:
    """A file-like object whose write() hands back the line, for a streamed csv.writer."""

    def write(self, line: str) -> str:
        return line


def csv_lines(supporters: Iterable[Supporter]) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield writer.writerow(HEADER)
    for supporter in supporters:
        yield writer.writerow(supporter_row(supporter))
