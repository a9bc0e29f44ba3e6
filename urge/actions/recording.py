"""Recording an action: durable before the supporter's browser is sent on."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime

from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from urge.actions.models import ActionEvent, Channel
from urge.campaigns.models import Campaign
from urge.core.groupcommit import GroupCommit
from urge.sharing.counting import Increment, increment, write_increments

TOTALS_SECONDS = 30


COLUMNS = ("campaign_id", "channel", "target", "variant", "target_state", "hour")
Row = tuple[int, str, str, str, str, str | datetime | None]


@functools.cache
def _insert() -> str:
    """One statement for a whole batch, built once: while the writer holds the database's
    write lock, it does as little as it can (the ORM's bulk_create took most of that time)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in COLUMNS)
    marks = ", ".join(["%s"] * len(COLUMNS))
    table = quote(ActionEvent._meta.db_table)
    # Names from the model and placeholders only: no value is ever part of the text.
    return f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608


# An action's row, and the referral count it adds to (or None): written in one transaction,
# yet the row never says which referral it came by.
Item = tuple[Row, Increment | None]


def _write(items: Sequence[Item]) -> list[None]:
    with connection.cursor() as cursor:
        cursor.executemany(_insert(), [row for row, _referral in items])
    write_increments([referral for _row, referral in items if referral is not None])
    return [None] * len(items)


# One per process: under a spike, concurrent actions share a transaction.
_events: GroupCommit[Item, None] = GroupCommit(_write)


def record(
    campaign: Campaign,
    channel: Channel,
    target: str,
    variant: str,
    state: str,
    ref: str = "",
) -> None:
    """Store one action, and count it for the referral code `ref` if that is one of the
    campaign's (urge/sharing/counting.py); returns once both are committed."""
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    row = (
        campaign.pk,
        str(channel),
        target,
        variant,
        state,
        connection.ops.adapt_datetimefield_value(hour),
    )
    _events.submit((row, increment(campaign, ref, str(channel))))


def totals(campaign: Campaign) -> dict[str, int]:
    """Actions so far by kind (post, email, call), cached briefly: the page shows them to all."""
    key = f"urge:totals:{campaign.pk}"
    found: dict[str, int] | None = cache.get(key)
    if found is None:
        found = {"post": 0, "email": 0, "call": 0}
        rows = ActionEvent.objects.filter(campaign=campaign).values("channel")
        for row in rows.annotate(count=Count("id")):
            kind = Channel(row["channel"]).kind
            if row["channel"] != Channel.CALL_SKIPPED and kind in found:
                found[kind] += row["count"]  # shares are no action on a legislator
        found["all"] = found["post"] + found["email"] + found["call"]
        cache.set(key, found, TOTALS_SECONDS)
    return found
