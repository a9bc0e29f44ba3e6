"""The counts behind a campaign's results page: actions by day, channel, target and state,
and sign-ups. Only aggregates: no row here is about a person."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate

from urge.actions.models import SHARES, ActionEvent, Channel
from urge.campaigns.models import Campaign
from urge.legislators.models import Legislator
from urge.supporters.models import Supporter

# Beyond this many days, the by-day counts list only the days with actions, rather than
# a zero for every quiet day of a long period.
MAX_FILLED_DAYS = 400


@dataclass(frozen=True)
class Period:
    """Whole days in UTC (the time the actions are stored in), both ends included; None:
    no limit on that side."""

    first: date | None = None
    last: date | None = None

    def within(self, name: str) -> dict[str, datetime]:
        """Filter arguments that keep a datetime field `name` inside the period."""
        found = {}
        if self.first is not None:
            found[f"{name}__gte"] = datetime.combine(self.first, time.min, tzinfo=UTC)
        if self.last is not None:
            end = datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=UTC)
            found[f"{name}__lt"] = end
        return found


@dataclass(frozen=True)
class Tallies:
    by_day: list[tuple[date, int]]
    by_channel: list[tuple[str, int]]  # channel value, count; largest first
    by_target: list[tuple[str, int]]  # Bioguide ID, count; largest first
    by_state: dict[str, int]
    actions: int
    skipped_calls: int
    signups: int
    confirmed: int
    names: dict[str, str] = field(default_factory=dict)  # Bioguide ID: legislator's name
    shares: list[tuple[str, int]] = field(default_factory=list)  # share channel, count


def actions_in(campaign: Campaign, period: Period) -> QuerySet[ActionEvent]:
    """The campaign's actions in the period. A skipped call is not an action (the public
    totals leave it out too, urge/actions/recording.py), nor is sharing the campaign:
    both are counted apart."""
    return ActionEvent.objects.filter(campaign=campaign, **period.within("hour")).exclude(
        channel__in=[Channel.CALL_SKIPPED, *SHARES]
    )


def shares_in(campaign: Campaign, period: Period) -> QuerySet[ActionEvent]:
    return ActionEvent.objects.filter(
        campaign=campaign, channel__in=list(SHARES), **period.within("hour")
    )


def counted(events: QuerySet[ActionEvent], name: str) -> list[tuple[str, int]]:
    """Counts by one column, largest first, ties in the column's order."""
    rows = events.order_by().values_list(name).annotate(n=Count("id")).order_by("-n", name)
    return [(str(value), count) for value, count in rows]


def by_day(events: QuerySet[ActionEvent], period: Period) -> list[tuple[date, int]]:
    """Counts per UTC day, with a zero for each quiet day from the period's first day (or
    the first action) to its last (or the last action)."""
    rows = (
        events.order_by()
        .annotate(day=TruncDate("hour", tzinfo=UTC))
        .values_list("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    found: dict[date, int] = dict(rows)
    if not found:
        return []
    first = period.first or min(found)
    last = period.last or max(found)
    span = (last - first).days + 1
    if span > MAX_FILLED_DAYS:
        return sorted(found.items())
    return [(day, found.get(day, 0)) for day in (first + timedelta(n) for n in range(span))]


def legislator_names(bioguides: list[str]) -> dict[str, str]:
    """Each member's name in the newest release that holds them: a target who has since
    left Congress keeps the name they had."""
    rows = Legislator.objects.filter(bioguide__in=bioguides).order_by("release_id")
    return dict(rows.values_list("bioguide", "name"))


def signups_in(campaign: Campaign, period: Period) -> QuerySet[Supporter]:
    """Sign-ups made in the period; anonymised ones still count, as erasure intends."""
    return Supporter.objects.filter(campaign=campaign, **period.within("created_at"))


def tally(campaign: Campaign, period: Period) -> Tallies:
    events = actions_in(campaign, period)
    by_target = counted(events, "target")
    signups = signups_in(campaign, period)
    return Tallies(
        by_day=by_day(events, period),
        by_channel=counted(events, "channel"),
        by_target=by_target,
        by_state=dict(counted(events, "target_state")),
        actions=events.count(),
        skipped_calls=ActionEvent.objects.filter(
            campaign=campaign, channel=Channel.CALL_SKIPPED, **period.within("hour")
        ).count(),
        signups=signups.count(),
        confirmed=signups.filter(confirmed_at__isnull=False).count(),
        names=legislator_names([bioguide for bioguide, _count in by_target]),
        shares=counted(shares_in(campaign, period), "channel"),
    )
