"""Counting referrals: a number per (campaign, code, day, kind), added to in the database.

Never a row per visit: each step adds 1 to its counter with one upsert, so the table holds
as many rows as there are codes, days and kinds, however many people come. Under a spike,
concurrent steps share a transaction (urge/core/groupcommit.py) and the same counter is
written once per batch with the batch's sum. An action's count goes into the very
transaction that stores the action (urge/actions/recording.py): one commit, one wait.
"""

from __future__ import annotations

import functools
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import DatabaseError, connection
from django.utils import timezone

from urge.campaigns.models import Campaign
from urge.core.groupcommit import GroupCommit
from urge.sharing.models import ReferralCount
from urge.sharing.referrals import known_ref

logger = logging.getLogger(__name__)

LOOKUP = ReferralCount.LOOKUP
SIGNUP = ReferralCount.SIGNUP


@dataclass(frozen=True, order=True)
class Increment:
    """One more of `kind` through `code`, on `day` (UTC)."""

    campaign_id: int
    code: str
    day: date
    kind: str


def increment(campaign: Campaign, ref: object, kind: str) -> Increment | None:
    """The increment for `ref`, or None when it names none of the campaign's codes."""
    code = known_ref(campaign, ref)
    if not code:
        return None
    return Increment(campaign.pk, code, timezone.now().date(), kind)


@functools.cache
def _upsert() -> str:
    quote = connection.ops.quote_name
    table = quote(ReferralCount._meta.db_table)
    key = ", ".join(quote(name) for name in ("campaign_id", "code", "day", "kind"))
    total = quote("total")
    # Names from the model and placeholders only; PostgreSQL and SQLite (3.24+) alike.
    return (
        f"INSERT INTO {table} ({key}, {total}) VALUES (%s, %s, %s, %s, %s) "  # noqa: S608
        f"ON CONFLICT ({key}) DO UPDATE SET {total} = {table}.{total} + excluded.{total}"
    )


def write_increments(increments: Sequence[Increment]) -> None:
    """Add every increment to its counter, in the caller's transaction: one statement per
    distinct counter, in a fixed order, so that two writers never wait on each other's
    rows crosswise."""
    if not increments:
        return
    sums = sorted(Counter(increments).items())
    adapt = connection.ops.adapt_datefield_value
    rows = [(i.campaign_id, i.code, adapt(i.day), i.kind, n) for i, n in sums]
    with connection.cursor() as cursor:
        cursor.executemany(_upsert(), rows)


def _write(batch: Sequence[Increment]) -> list[None]:
    write_increments(batch)
    return [None] * len(batch)


# One per process, for the steps that store nothing else: lookups and sign-ups.
_counts: GroupCommit[Increment, None] = GroupCommit(_write)


def count(campaign: Campaign, ref: object, kind: str) -> None:
    """Count one `kind` for `ref` if it is one of the campaign's codes; nothing otherwise.

    A count the database refuses is lost, and said so in the log; the visitor's answer
    never waits on it failing. Inside a transaction of the caller's (a sign-up being
    confirmed), it is written in that transaction and fails with it.
    """
    found = increment(campaign, ref, kind)
    if found is None:
        return
    if connection.in_atomic_block:
        write_increments([found])
        return
    if getattr(connection, "pool", None) is not None:
        # This thread's pooled connection goes back while it waits for the writer, which
        # needs one: as many waiting requests as the pool holds would leave it none.
        connection.close()
    try:
        _counts.submit(found)
    except DatabaseError as error:
        logger.warning("A referral count was not stored: %s", type(error).__name__)
