"""The one rule by which the dashboard shows any count (`shown`, `total`, `least`), the whole
weeks it counts by, and the counts behind a campaign's results page. Only aggregates: no row
here is about a person.

Why whole weeks, and only weeks that have ended (the referral page counts the same way,
urge/dashboard/referral_weeks.py). A co-host's list names each person who came by its code and
when they agreed to hear from it (urge/dashboard/export.py), and an organiser may be a co-host's
staff too; on a quiet campaign one day is often one person, so a day's "1 call" beside a consent
given that day says who called. A week pools seven days, and the minimum hides whatever a week
still leaves small. Weeks are ISO weeks, Monday to Sunday in UTC (the time the actions are
stored in), so that every page and every filter cuts the same weeks: dates picked widen to the
whole weeks they fall in, and no two periods differ by less than a week. The week in progress
is left out until it ends: a count that grew while one watched would tell the day all over
again, a page view apart.

The unit that is shown or hidden is one thing (a channel, a legislator, a state, a platform, a
funnel step) in one week. Every larger number adds up only the units that are shown; so no sum,
less the numbers beside it, and no two periods compared, give back a count the page hides.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Min, QuerySet
from django.db.models.functions import TruncWeek
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from urge.actions.models import SHARES, ActionEvent, Channel
from urge.campaigns.models import Campaign
from urge.legislators.models import Legislator
from urge.supporters.models import Supporter

# The smallest count the dashboard shows as a number, to anyone. A small count can stand for
# one person: one sign-up by a co-host's code in a week, and that co-host's list names who
# came by the code and when they agreed, so a "1" beside "call" says that they called.
MINIMUM = 5
WEEK = timedelta(days=7)


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


HIDDEN = Shown(0, hidden=True)


def shown(count: int) -> Shown:
    """One count, as the dashboard may show it."""
    return Shown(count) if count >= MINIMUM else HIDDEN


def total(parts: Iterable[Shown]) -> Shown:
    """The sum of the parts that are shown: what the page already says, and nothing more."""
    parts = list(parts)
    count = sum(part.count for part in parts)
    partial = any(part.hidden or part.partial for part in parts)
    if count == 0 and partial:
        return Shown(0, hidden=True, partial=True)
    return Shown(count, partial=partial)


def least(sums: Iterable[Shown]) -> Shown:
    """Several sums of the same actions, cut different ways (by channel, by legislator...),
    each of shown counts only: the smallest. No sum beside it falls short of it, so none of
    them, less it, says anything of what they hide. Exact only when every one is."""
    sums = list(sums)
    smallest = min(sums, key=lambda found: found.count)
    partial = any(found.hidden or found.partial for found in sums)
    if smallest.count == 0 and partial:
        return Shown(0, hidden=True, partial=True)
    return Shown(smallest.count, partial=partial)


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
        if self.last is not None and self.last < date.max:  # no day follows the last one
            end = datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=UTC)
            found[f"{name}__lt"] = end
        return found


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_name(monday: date) -> str:
    year, week, _weekday = monday.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class Weeks:
    """The whole weeks counted: Mondays, oldest first. Empty when none of them has ended, or
    when the dates asked for end before the campaign's first week (`too_early`)."""

    mondays: list[date]
    too_early: bool = False

    @property
    def first(self) -> date:
        return self.mondays[0]

    @property
    def last(self) -> date:
        """The last week's Sunday."""
        return self.mondays[-1] + timedelta(days=6)

    def period(self) -> Period:
        return Period(self.first, self.last) if self.mondays else Period()

    def describe(self) -> str:
        if self.too_early:
            return _("These dates end before the campaign's first week, so nothing is counted.")
        if not self.mondays:
            return _("No week in these dates has ended yet, so nothing is counted.")
        values = {
            "first": week_name(self.first),
            "last": week_name(self.mondays[-1]),
            "first_day": self.first.isoformat(),
            "last_day": self.last.isoformat(),
        }
        if len(self.mondays) == 1:
            return _("The week counted: %(first)s, %(first_day)s to %(last_day)s.") % values
        return (
            _("The weeks counted: %(first)s to %(last)s, %(first_day)s to %(last_day)s.") % values
        )


def whole_weeks(period: Period, start: date, today: date) -> Weeks:
    """The weeks the period touches within the campaign's life: from the week of `start` (its
    first day counted) to the last week that has ended by `today`. A period reaching further
    either way is cut there, so that far-off dates cost nothing."""
    last = monday_of(today) - WEEK
    if period.last is not None:
        last = min(last, monday_of(period.last))
    first = monday_of(start)
    if period.first is not None:
        first = max(first, monday_of(period.first))
    count = (last - first).days // 7 + 1
    too_early = period.last is not None and period.last < first
    return Weeks([first + WEEK * n for n in range(max(count, 0))], too_early=too_early)


# (Monday of the week, key): the week's count of that key (a channel, a legislator...).
Counts = dict[tuple[date, str], int]


def summed(counts: Counts, mondays: Iterable[date], keys: Iterable[str]) -> Shown:
    """The keys' weekly counts over the weeks, each hidden where small, summed as shown."""
    keys = list(keys)
    return total(shown(counts.get((monday, key), 0)) for monday in mondays for key in keys)


def weekly(rows: QuerySet[Any], moment: str, column: str | None = None) -> Counts:
    """Rows counted by the ISO week (UTC) of their datetime field `moment`, and by `column`;
    with no column, under the key ""."""
    names = ["week", column] if column else ["week"]
    found = (
        rows.order_by()
        .annotate(week=TruncWeek(moment, tzinfo=UTC))
        .values_list(*names)
        .annotate(n=Count("pk"))
    )
    counts: Counts = {}
    for week, *key, count in found:
        counts[_day(week), str(key[0]) if key else ""] = count
    return counts


def _day(week: date | datetime) -> date:
    return week.date() if isinstance(week, datetime) else week


@dataclass(frozen=True)
class Tallies:
    """A campaign's counts in whole weeks, each by its week and a key."""

    weeks: Weeks
    channels: Counts  # actions by channel
    targets: Counts  # by Bioguide ID
    states: Counts  # by the legislator's state
    shares: Counts  # shares of the campaign by platform
    skipped_calls: Counts  # under ""
    signups: Counts  # under "confirmed" and "unconfirmed"
    names: dict[str, str] = field(default_factory=dict)  # Bioguide ID: legislator's name


CONFIRMED, UNCONFIRMED = "confirmed", "unconfirmed"


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


def signups_in(campaign: Campaign, period: Period) -> QuerySet[Supporter]:
    """Sign-ups made in the period; anonymised ones still count, as erasure intends."""
    return Supporter.objects.filter(campaign=campaign, **period.within("created_at"))


def results_start(campaign: Campaign) -> date:
    """The campaign's first day counted on the results page: its opening, or its first
    action or sign-up if earlier (a campaign tried out before it opened)."""
    days = [campaign.opens_on]
    for rows, moment in (
        (ActionEvent.objects.filter(campaign=campaign), "hour"),
        (Supporter.objects.filter(campaign=campaign), "created_at"),
    ):
        earliest = rows.aggregate(at=Min(moment))["at"]
        if earliest is not None:
            days.append(earliest.astimezone(UTC).date())
    return min(days)


def legislator_names(bioguides: Iterable[str]) -> dict[str, str]:
    """Each member's name in the newest release that holds them: a target who has since
    left Congress keeps the name they had."""
    rows = Legislator.objects.filter(bioguide__in=list(bioguides)).order_by("release_id")
    return dict(rows.values_list("bioguide", "name"))


def tally(campaign: Campaign, weeks: Weeks) -> Tallies:
    if not weeks.mondays:
        return Tallies(weeks, {}, {}, {}, {}, {}, {})
    period = weeks.period()
    events = actions_in(campaign, period)
    signups = signups_in(campaign, period)
    targets = weekly(events, "hour", "target")
    return Tallies(
        weeks=weeks,
        channels=weekly(events, "hour", "channel"),
        targets=targets,
        states=weekly(events, "hour", "target_state"),
        shares=weekly(shares_in(campaign, period), "hour", "channel"),
        skipped_calls=weekly(
            ActionEvent.objects.filter(
                campaign=campaign, channel=Channel.CALL_SKIPPED, **period.within("hour")
            ),
            "hour",
        ),
        signups={
            **_under(weekly(signups.filter(confirmed_at__isnull=False), "created_at"), CONFIRMED),
            **_under(weekly(signups.filter(confirmed_at__isnull=True), "created_at"), UNCONFIRMED),
        },
        names=legislator_names({bioguide for _monday, bioguide in targets}),
    )


def _under(counts: Counts, key: str) -> Counts:
    return {(monday, key): count for (monday, _key), count in counts.items()}


@dataclass(frozen=True)
class Visible:
    """The results as the dashboard shows them: each week's count of each thing under
    MINIMUM hidden, and every other number a sum of the weekly counts shown.

    A row of a list that names only what happened (a channel, a legislator, a state, a
    platform) is there once one of its weeks is shown, and left out while none is: being
    listed at all would say it is one or more. So no list is known to be whole, and its sum
    counts one hidden part more. The actions of a week, and in all, are the smallest of the
    lists' sums (`least`): no list's shown rows add up to less, so none, less the total, gives
    a hidden row back."""

    weeks: Weeks
    by_week: list[tuple[date, Shown]]  # every week counted, oldest first
    by_channel: list[tuple[str, Shown]]  # each with a week shown, largest first
    by_target: list[tuple[str, Shown]]
    by_state: dict[str, Shown]
    shares: list[tuple[str, Shown]]
    actions: Shown
    skipped_calls: Shown
    signups: Shown
    confirmed: Shown
    names: dict[str, str]


def _listed(counts: Counts, mondays: list[date]) -> list[tuple[str, Shown]]:
    """Each key with a week shown, its weekly counts summed as shown; largest first."""
    sums = {key: summed(counts, mondays, [key]) for key in sorted({key for _m, key in counts})}
    found = [(key, count) for key, count in sums.items() if count.count]
    return sorted(found, key=lambda row: -row[1].count)


def _open_sum(rows: Iterable[Shown]) -> Shown:
    """A list's sum: its rows, and the rows it leaves out, each one hidden part."""
    return total([*rows, HIDDEN])


def _by_week(tallies: Tallies) -> list[tuple[date, Shown]]:
    """Each week's actions: the smallest of its channels', legislators' and states' sums."""
    rows: dict[date, list[list[Shown]]] = {monday: [[], [], []] for monday in tallies.weeks.mondays}
    for place, counts in enumerate((tallies.channels, tallies.targets, tallies.states)):
        for (monday, _key), count in counts.items():
            rows[monday][place].append(shown(count))
    return [(monday, least(_open_sum(parts) for parts in lists)) for monday, lists in rows.items()]


def visible(tallies: Tallies) -> Visible:
    mondays = tallies.weeks.mondays
    if not mondays:  # nothing counted: nothing to show, not even a 0
        return Visible(tallies.weeks, [], [], [], {}, [], HIDDEN, HIDDEN, HIDDEN, HIDDEN, {})
    by_week = _by_week(tallies)
    by_channel = _listed(tallies.channels, mondays)
    by_target = _listed(tallies.targets, mondays)
    by_state = _listed(tallies.states, mondays)
    charts = [by_channel, by_target, by_state]
    return Visible(
        weeks=tallies.weeks,
        by_week=by_week,
        by_channel=by_channel,
        by_target=by_target,
        by_state=dict(by_state),
        shares=_listed(tallies.shares, mondays),
        # The same actions summed four ways: by week, channel, legislator and state.
        actions=least(
            [
                total(n for _monday, n in by_week),
                *(_open_sum(n for _k, n in rows) for rows in charts),
            ]
        ),
        skipped_calls=summed(tallies.skipped_calls, mondays, [""]),
        signups=summed(tallies.signups, mondays, [CONFIRMED, UNCONFIRMED]),
        confirmed=summed(tallies.signups, mondays, [CONFIRMED]),
        names=tallies.names,
    )
