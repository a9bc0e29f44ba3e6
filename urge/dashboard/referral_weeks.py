"""What the referral page shows of each code: its counts by ISO week, each hidden under the
dashboard's minimum (urge/dashboard/tallies.py), and its sums over the weeks asked for.

Why weeks, and only weeks that have ended. The counters are kept per day (urge/sharing/
counting.py), but a co-host's list names each person who came by its code and when they
agreed to hear from it (urge/dashboard/export.py), and on a quiet code one day is often one
person: a day's "1 call" beside a consent given that day says who called. A week pools
seven days of a code's visitors, and the minimum hides whatever a week still leaves small.
Weeks are ISO weeks, Monday to Sunday in UTC (the days the counters keep), so that every
page, every person and every filter cuts the same weeks; a filter's dates widen to the whole
weeks they fall in. The week in progress is left out until it ends: a count that grew while
one watched would tell the day all over again, a page view apart.

The unit that is shown or hidden is one kind of step (lookups, one channel, sign-ups) through
one code in one week. Every larger number (a code's actions, a sum over several weeks) adds up
only the weekly counts that are shown: so no sum, less the numbers beside it, and no two
periods compared, give back a count the page hides.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Min, Sum
from django.db.models.functions import TruncWeek
from django.utils.translation import gettext as _

from urge.actions.models import SHARES, Channel
from urge.campaigns.models import Campaign
from urge.dashboard.tallies import Period, Shown, shown, total
from urge.sharing.models import ReferralCount

NOT_ACTIONS = frozenset({Channel.CALL_SKIPPED, *SHARES})
ACTIONS = [channel for channel in Channel if channel not in NOT_ACTIONS]
SHARING = [channel for channel in Channel if channel in SHARES]
WEEK = timedelta(days=7)

# (Monday of the week, kind): the week's count of that kind, for one code.
Counts = dict[tuple[date, str], int]


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_name(monday: date) -> str:
    year, week, _weekday = monday.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class Weeks:
    """The whole weeks counted: Mondays, oldest first. Empty when none of them has ended."""

    mondays: list[date]

    @property
    def first(self) -> date:
        return self.mondays[0]

    @property
    def last(self) -> date:
        """The last week's Sunday."""
        return self.mondays[-1] + timedelta(days=6)

    def describe(self) -> str:
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


def counted_weeks(campaign: Campaign, period: Period, today: date) -> Weeks:
    """The weeks the period touches that have ended by `today`. Without a first day, from
    the campaign's opening (or its first count, if earlier)."""
    last = monday_of(today) - WEEK
    if period.last is not None:
        last = min(last, monday_of(period.last))
    first = monday_of(period.first or _campaign_start(campaign))
    count = (last - first).days // 7 + 1
    return Weeks([first + WEEK * n for n in range(max(count, 0))])


def _campaign_start(campaign: Campaign) -> date:
    earliest = ReferralCount.objects.filter(campaign=campaign).aggregate(day=Min("day"))["day"]
    return min(campaign.opens_on, earliest) if earliest else campaign.opens_on


def weekly_counts(campaign: Campaign, codes: list[str], weeks: Weeks) -> dict[str, Counts]:
    """Each code's counts by week and kind, summed from the daily counters in the database."""
    if not weeks.mondays:
        return {}
    rows = (
        ReferralCount.objects.filter(
            campaign=campaign, code__in=codes, day__gte=weeks.first, day__lte=weeks.last
        )
        .order_by()
        .annotate(week=TruncWeek("day"))
        .values_list("code", "week", "kind")
        .annotate(n=Sum("total"))
    )
    found: dict[str, Counts] = {}
    for code, week, kind, count in rows:  # a date column's week is a date on either database
        found.setdefault(code, {})[week, kind] = count
    return found


@dataclass(frozen=True)
class Week:
    """One week of one code: each number shown or hidden."""

    monday: date
    lookups: Shown
    actions: Shown
    shares: Shown
    signups: Shown

    @property
    def name(self) -> str:
        return week_name(self.monday)

    @property
    def shows_any(self) -> bool:
        return any(n.count for n in (self.lookups, self.actions, self.shares, self.signups))


@dataclass(frozen=True)
class Tally:
    """A code's numbers over the weeks counted."""

    lookups: Shown
    actions: Shown
    shares: Shown
    signups: Shown
    channels: list[tuple[str, Shown]]  # each channel with a number shown, named
    weeks: list[Week]  # the weeks with a number shown, newest first


def _cells(counts: Counts, weeks: Weeks, kind: str) -> list[Shown]:
    return [shown(counts.get((monday, kind), 0)) for monday in weeks.mondays]


def _sum(counts: Counts, mondays: Iterable[date], kinds: Iterable[str]) -> Shown:
    kinds = list(kinds)
    return total(shown(counts.get((monday, kind), 0)) for monday in mondays for kind in kinds)


def tally_of(counts: Counts, weeks: Weeks) -> Tally:
    """A code's weekly counts, hidden where small, and summed from what is shown."""
    by_channel = {channel: total(_cells(counts, weeks, channel)) for channel in Channel}
    every_week = [
        Week(
            monday,
            lookups=_sum(counts, [monday], [ReferralCount.LOOKUP]),
            actions=_sum(counts, [monday], ACTIONS),
            shares=_sum(counts, [monday], SHARING),
            signups=_sum(counts, [monday], [ReferralCount.SIGNUP]),
        )
        for monday in weeks.mondays
    ]
    return Tally(
        lookups=total(_cells(counts, weeks, ReferralCount.LOOKUP)),
        actions=total(by_channel[channel] for channel in ACTIONS),
        shares=total(by_channel[channel] for channel in SHARING),
        signups=total(_cells(counts, weeks, ReferralCount.SIGNUP)),
        channels=[
            (str(channel.label), by_channel[channel])
            for channel in Channel
            if by_channel[channel].count
        ],
        weeks=[week for week in reversed(every_week) if week.shows_any],
    )
