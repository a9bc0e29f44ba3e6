"""A co-host's supporters as CSV, in the column names Action Network's upload expects.

Besides the contact details: the language the person used, the referral code of the link
they came through, and `urge_id`, an id for this person at this co-host alone. The id stays
the same in every export and outlives an erasure, so the suppression file can name an erased
person, whose address Urge no longer has, by it (urge/dashboard/handoff.py).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from uuid import UUID

from urge.campaigns.models import CoHost
from urge.core.hashing import keyed_hash
from urge.dashboard.queries import consent_referral, consent_time
from urge.supporters.models import Supporter

HEADER = [
    "first_name",
    "last_name",
    "email",
    "zip_code",
    "phone_number",
    "consent_given_at",
    "language",
    "referral",
    "urge_id",
]

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


def member_id(cohost: CoHost, ref: UUID) -> str:
    """The person's id at this co-host: a keyed hash of the co-host and the supporter row's
    random ref, so that two co-hosts' ids for one person never match, and nobody without
    URGE_HASH_KEY can tell whose it is. 128 bits, in hex."""
    return keyed_hash(f"cohost-member:{cohost.pk}:{ref}")[:32]


def supporter_row(cohost: CoHost, supporter: Supporter) -> list[str]:
    cells = [
        supporter.first_name,
        supporter.last_name,
        supporter.email,
        supporter.zip_code,
        supporter.phone,
    ]
    return [
        *(safe_cell(str(cell)) for cell in cells),
        utc_iso(consent_time(supporter)),
        supporter.language,
        safe_cell(consent_referral(supporter)),
        member_id(cohost, supporter.ref),
    ]


class _Line:
    """A file-like object whose write() hands back the line, for a streamed csv.writer."""

    def write(self, line: str) -> str:
        return line


def csv_lines(cohost: CoHost, supporters: Iterable[Supporter]) -> Iterator[str]:
    return table_lines(HEADER, (supporter_row(cohost, supporter) for supporter in supporters))


def table_lines(header: list[str], rows: Iterable[list[str]]) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)
