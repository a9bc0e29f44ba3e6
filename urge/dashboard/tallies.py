"""The counts behind a campaign's results page: actions by day, channel, target and state,
and sign-ups; and the one rule by which the dashboard shows any count (`shown`, `total`).
Only aggregates: no row here is about a person."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from urge.actions.models import SHARES, ActionEvent, Channel
from urge.campaigns.models import Campaign
from urge.legislators.models import Legislator
from urge.supporters.models import Supporter

# Beyond this many days, the by-day counts list only the days with actions, rather than
# a zero for every quiet day of a long period.
MAX_FILLED_DAYS = 400

# The smallest count the dashboard shows as a number, to anyone. A small count can stand for
# one person: one sign-up by a co-host's code in a week, and that co-host's list names who
# came by the code and when they agreed, so a "1" beside "call" says that they called.
MINIMUM = 5


@dataclass(frozen=True)
class Shown:
    """A count as the dashboard shows it. One under MINIMUM (none included: the difference
    between none and one is the very thing to keep) is hidden, shown as "<5".

    A total adds up only the counts that are shown (`total`), never the hidden ones: were it
    the true sum, the total less the counts beside it would give the hidden ones back. It is
    `partial` when it left some out, and hidden too when nothing in it was shown."""

    count: int  # the number shown; 0 when hidden
    hidden: bool = False
    partial: bool = False

    def __str__(self) -> str:
        """The words for the page, in its language."""
        if self.hidden:
            return f"<{MINIMUM}"
        number = number_format(self.count, force_grouping=True)
        return _("at least %(count)s") % {"count": number} if self.partial else number

    def csv(self) -> str:
        """The same in a CSV file, in no language: "<5", "12" or ">=12"."""
        if self.hidden:
            return f"<{MINIMUM}"
        return f">={self.count}" if self.partial else str(self.count)


def shown(count: int) -> Shown:
    """One count, as the dashboard may show it."""
    return Shown(count) if count >= MINIMUM else Shown(0, hidden=True)


def total(parts: Iterable[Shown]) -> Shown:
    """The sum of the parts that are shown: what the page already says, and nothing more."""
    parts = list(parts)
    count = sum(part.count for part in parts)
    partial = any(part.hidden or part.partial for part in parts)
    if count == 0 and partial:
        return Shown(0, hidden=True, partial=True)
    return Shown(count, partial=partial)


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
    days_filled: bool = True  # by_day has every day of the period, quiet ones included


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
    days = by_day(events, period)
    return Tallies(
        by_day=days,
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
        days_filled=_filled(period, days),
    )


def _filled(period: Period, days: list[tuple[date, int]]) -> bool:
    """Whether `by_day` listed every day, quiet ones too, as it does up to MAX_FILLED_DAYS."""
    if not days:
        return True
    first, last = period.first or days[0][0], period.last or days[-1][0]
    return (last - first).days + 1 <= MAX_FILLED_DAYS


@dataclass(frozen=True)
class Visible:
    """The results as the dashboard shows them: each count under MINIMUM hidden.

    A row of a list that names only what happened (a channel, a legislator, a state, a
    platform) is left out when its count is hidden, since being listed at all would say it
    is one or more; the days of a period are listed each, quiet ones too, hidden or not.
    No chart's rows add up to the actions in all, if any is hidden, so `actions` is the
    largest sum of one chart's shown rows, exact when one chart shows every row."""

    by_day: list[tuple[date, Shown]]  # every day of the period; over MAX_FILLED_DAYS, shown
    by_channel: list[tuple[str, Shown]]  # each only when shown, largest first
    by_target: list[tuple[str, Shown]]
    by_state: dict[str, Shown]
    shares: list[tuple[str, Shown]]
    actions: Shown
    skipped_calls: Shown
    signups: Shown
    confirmed: Shown
    names: dict[str, str]


def _kept(rows: Iterable[tuple[str, int]]) -> list[tuple[str, Shown]]:
    return [(key, shown(count)) for key, count in rows if count >= MINIMUM]


def _best(sums: list[Shown]) -> Shown:
    exact = [found for found in sums if not found.partial and found.count]
    if exact:
        return exact[0]
    largest = max(sums, key=lambda found: found.count)
    return largest if largest.count else Shown(0, hidden=True, partial=True)


def visible(tallies: Tallies) -> Visible:
    days = [(day, shown(count)) for day, count in tallies.by_day]
    if not tallies.days_filled:
        days = [(day, count) for day, count in days if not count.hidden]
    hidden = Shown(0, hidden=True)
    # The lists leave out their hidden rows: each counts as one hidden part of its sum.
    lists = [tallies.by_channel, tallies.by_target, list(tallies.by_state.items())]
    sums = [
        total([*(count for _day, count in days), *([] if tallies.days_filled else [hidden])]),
        *(total([*(count for _key, count in _kept(rows)), hidden]) for rows in lists),
    ]
    unconfirmed = tallies.signups - tallies.confirmed
    return Visible(
        by_day=days,
        by_channel=_kept(tallies.by_channel),
        by_target=_kept(tallies.by_target),
        by_state=dict(_kept(tallies.by_state.items())),
        shares=_kept(tallies.shares),
        actions=_best(sums),
        skipped_calls=shown(tallies.skipped_calls),
        signups=total([shown(tallies.confirmed), shown(unconfirmed)]),
        confirmed=shown(tallies.confirmed),
        names=tallies.names,
    )
