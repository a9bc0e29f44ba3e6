"""What the referral page shows of each code: its counts by ISO week, each hidden under the
dashboard's minimum, and its sums over the weeks asked for. By whole weeks that have ended, as
the results page counts: urge/dashboard/tallies.py says why.

The unit that is shown or hidden is one kind of step (lookups, one channel, sign-ups) through
one code in one week. Every larger number (a code's actions, a sum over several weeks) adds up
only the weekly counts that are shown: so no sum, less the numbers beside it, and no two
periods compared, give back a count the page hides.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Min, Sum
from django.db.models.functions import TruncWeek

from urge.actions.models import SHARES, Channel
from urge.campaigns.models import Campaign
from urge.dashboard.tallies import (
    Counts,
    Period,
    Shown,
    Weeks,
    shown,
    summed,
    total,
    week_name,
    whole_weeks,
)
from urge.sharing.models import ReferralCount

NOT_ACTIONS = frozenset({Channel.CALL_SKIPPED, *SHARES})
ACTIONS = [channel for channel in Channel if channel not in NOT_ACTIONS]
SHARING = [channel for channel in Channel if channel in SHARES]


def counted_weeks(campaign: Campaign, period: Period, today: date) -> Weeks:
    """The weeks the period touches that have ended by `today`, from the campaign's opening
    (or its first count, if earlier)."""
    return whole_weeks(period, _campaign_start(campaign), today)


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


def tally_of(counts: Counts, weeks: Weeks) -> Tally:
    """A code's weekly counts, hidden where small, and summed from what is shown."""
    by_channel = {channel: total(_cells(counts, weeks, channel)) for channel in Channel}
    every_week = [
        Week(
            monday,
            lookups=summed(counts, [monday], [ReferralCount.LOOKUP]),
            actions=summed(counts, [monday], ACTIONS),
            shares=summed(counts, [monday], SHARING),
            signups=summed(counts, [monday], [ReferralCount.SIGNUP]),
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
