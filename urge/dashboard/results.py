"""A campaign's results for its organisers: actions by week, channel, legislator and state,
and sign-ups, as charts with tables, and as CSV. Counts only, by whole weeks that have ended,
and none under the dashboard's minimum, by the same rule as the referral page
(urge/dashboard/tallies.py): a day's channels on a quiet campaign can be one person's, whom an
organiser who is a co-host's staff too can name."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from urge.actions.models import Channel
from urge.campaigns.models import Campaign
from urge.campaigns.names import campaign_title
from urge.dashboard.access import Access, Refused, staff_verified
from urge.dashboard.charts import Words, bar_chart, column_chart, tile_map
from urge.dashboard.export import safe_cell
from urge.dashboard.tallies import (
    MINIMUM,
    Period,
    Shown,
    Visible,
    Weeks,
    results_start,
    tally,
    total,
    visible,
    week_name,
    whole_weeks,
)
from urge.legislators.states import STATE_NAMES

# A chart of every legislator acted on would be pages long: it shows the first ones only.
CHART_ROWS = 20
# The days the date filter takes: outside them, a day is a typing slip (0001-01-01).
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)


def within_reason(day: date) -> None:
    if not EARLIEST <= day <= LATEST:
        raise forms.ValidationError(
            _("Pick a day from %(first)s to %(last)s.")
            % {"first": EARLIEST.isoformat(), "last": LATEST.isoformat()}
        )


class PeriodForm(forms.Form):
    """The page's date filter: two optional days, sent by GET so that a filtered page can
    be bookmarked and its CSV link carries the same filter."""

    def __init__(self, data: Any) -> None:
        super().__init__(data)
        # "from" is a Python keyword, so the fields are added here rather than declared.
        for name, label in (("from", gettext_lazy("From")), ("to", gettext_lazy("To"))):
            self.fields[name] = forms.DateField(
                label=label,
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
                validators=[within_reason],
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("from"), cleaned.get("to")
        if first and last and first > last:
            raise forms.ValidationError(_("The first day must come before the last."))
        return cleaned

    def period(self) -> Period:
        """The days asked for; the whole campaign while the filter is empty or wrong. The
        pages cut it to the campaign's life (tallies.py `whole_weeks`)."""
        if not self.is_valid():
            return Period()
        return Period(self.cleaned_data.get("from"), self.cleaned_data.get("to"))

    def query(self) -> str:
        """The filter as a query string, for the CSV link: valid days only."""
        period = self.period()
        days = (("from", period.first), ("to", period.last))
        return urlencode([(name, day.isoformat()) for name, day in days if day])


@dataclass(frozen=True)
class Figure:
    """One chart with the table of its numbers; a count of None reads "not counted"."""

    words: Words
    svg: SafeString
    heading: str  # the table's first column
    rows: list[tuple[str, Shown | None]]


def most(total: Shown, rows: list[tuple[str, Shown]], busiest_week: bool = False) -> str:
    """The sentence under a chart's title: the total and its largest part shown."""
    rows = [row for row in rows if not row[1].hidden]
    if not rows:
        return _("%(total)s actions in all; no count here reaches %(minimum)s.") % {
            "total": total,
            "minimum": MINIMUM,
        }
    label, count = max(rows, key=lambda row: row[1].count)
    values = {"total": str(total), "label": label, "count": str(count)}
    if busiest_week:
        return _("%(total)s actions in all; the busiest week: %(label)s, %(count)s.") % values
    return _("%(total)s actions in all; the most: %(label)s, %(count)s.") % values


def week_label(monday: date) -> str:
    """A week as the tables name it: "2025-W10, 2025-03-03 to 2025-03-09"."""
    return _("%(week)s, %(first)s to %(last)s") % {
        "week": week_name(monday),
        "first": monday.isoformat(),
        "last": Weeks([monday]).last.isoformat(),
    }


def channel_name(value: str) -> str:
    return str(Channel(value).label) if value in Channel.values else value


def target_name(bioguide: str, names: dict[str, str]) -> str:
    return names.get(bioguide, bioguide)


def state_name(code: str) -> str:
    return STATE_NAMES.get(code, code)


def others() -> tuple[str, Shown]:
    """The last row of a list that leaves out its hidden rows, whether it left out any."""
    return (_("Each of the others"), Shown(0, hidden=True))


def bars(words: Words, rows: list[tuple[str, Shown]]) -> SafeString:
    return bar_chart(words, [(label, n.count) for label, n in rows], [str(n) for _l, n in rows])


def action_figures(shown: Visible) -> list[Figure]:
    total = shown.actions
    weeks = [(week_label(monday), count) for monday, count in shown.by_week]
    channels = [(channel_name(value), count) for value, count in shown.by_channel]
    targets = [(target_name(code, shown.names), count) for code, count in shown.by_target]
    states = [(state_name(code), count) for code, count in shown.by_state.items()]
    by_week = Words("by-week", _("Actions by week"), most(total, weeks, busiest_week=True))
    by_channel = Words("by-channel", _("Actions by channel"), most(total, channels))
    by_target = Words("by-target", _("Actions by legislator"), most(total, targets))
    if len(targets) > CHART_ROWS:
        more = _("The chart shows the %(shown)s with the most actions; the table lists all.")
        by_target = replace(by_target, desc=f"{by_target.desc} {more % {'shown': CHART_ROWS}}")
    state_words = Words(
        "by-state",
        _("Actions by the legislator's state"),
        _("A map of the United States, one square per state, darker for more actions. %(most)s")
        % {"most": most(total, states)},
    )
    columns = [(monday, count.count) for monday, count in shown.by_week]
    hidden = f"<{MINIMUM}"
    state_counts = {code: count.count for code, count in shown.by_state.items()}
    return [
        Figure(by_week, column_chart(by_week, columns), _("Week (UTC)"), [*weeks]),
        Figure(by_channel, bars(by_channel, channels), _("Channel"), [*channels, others()]),
        Figure(
            by_target, bars(by_target, targets[:CHART_ROWS]), _("Legislator"), [*targets, others()]
        ),
        Figure(
            state_words,
            tile_map(state_words, state_counts, hidden, missing=hidden, lowest=MINIMUM),
            _("State"),
            [*states, others()],
        ),
    ]


def funnel_figure(shown: Visible) -> Figure:
    steps: list[tuple[str, Shown]] = [
        (_("Actions"), shown.actions),
        (_("Sign-ups"), shown.signups),
        (_("Sign-ups confirmed by email"), shown.confirmed),
    ]
    values = {
        "actions": str(shown.actions),
        "signups": str(shown.signups),
        "confirmed": str(shown.confirmed),
    }
    words = Words(
        "funnel",
        _("From lookup to action to sign-up"),
        _(
            "%(actions)s actions, %(signups)s sign-ups, %(confirmed)s of them confirmed. "
            "Lookups are not counted."
        )
        % values,
    )
    rows: list[tuple[str, Shown | None]] = [(_("Legislators looked up"), None), *steps]
    return Figure(words, bars(words, steps), _("Step"), rows)


def share_figure(shown: Visible) -> Figure:
    """Supporters sharing the campaign from the share step (urge/sharing/share.py), by
    platform: not actions on a legislator, so apart from them. Drawn once a platform's
    count is shown."""
    rows = [(channel_name(value), count) for value, count in shown.shares]
    label, count = max(rows, key=lambda row: row[1].count)
    words = Words(
        "shares",
        _("Shares of the campaign"),
        _("%(total)s shares in all; the most: %(label)s, %(count)s.")
        % {"total": total([*(n for _l, n in rows), others()[1]]), "label": label, "count": count},
    )
    return Figure(words, bars(words, rows), _("Platform"), [*rows, others()])


def organisers_only(access: Access) -> None:
    """Campaign-wide totals (sign-ups across every co-host above all) are the organisers':
    co-host staff get a 404, as for the audit log."""
    if not access.is_organiser:
        raise Refused


def weeks_for(campaign: Campaign, period: Period) -> Weeks:
    return whole_weeks(period, results_start(campaign), timezone.now().date())


@require_GET
@staff_verified
def results(request: HttpRequest, access: Access) -> HttpResponse:
    organisers_only(access)
    form = PeriodForm(request.GET)
    shown = visible(tally(access.campaign, weeks_for(access.campaign, form.period())))
    context = {
        "access": access,
        "title": campaign_title(access.campaign, translation.get_language()),
        "form": form,
        "weeks": shown.weeks,
        "shown": shown,
        "minimum": MINIMUM,
        "figures": action_figures(shown) if shown.actions.count else [],
        "funnel": funnel_figure(shown) if shown.weeks.mondays else None,
        "shares": share_figure(shown) if shown.shares else None,
        "csv_query": form.query(),
    }
    return render(request, "dashboard/results.html", context)


def csv_rows(shown: Visible) -> Iterator[list[str]]:
    """Every count on the page, one per row: what it counts, its key, its name in the
    page's language, the number ("<5" where hidden, ">=12" for a sum that leaves hidden
    counts out, empty where nothing is counted)."""
    yield ["section", "key", "name", "count"]
    for monday, count in shown.by_week:
        yield ["week", week_name(monday), week_label(monday), count.csv()]
    rest = [others()[0], others()[1].csv()]
    for value, count in shown.by_channel:
        yield ["channel", value, channel_name(value), count.csv()]
    yield ["channel", "others", *rest]
    for bioguide, count in shown.by_target:
        yield ["target", bioguide, target_name(bioguide, shown.names), count.csv()]
    yield ["target", "others", *rest]
    for code, count in shown.by_state.items():
        yield ["state", code, state_name(code), count.csv()]
    yield ["state", "others", *rest]
    yield ["funnel", "lookups", _("Legislators looked up"), ""]
    yield ["funnel", "actions", _("Actions"), shown.actions.csv()]
    yield ["funnel", "signups", _("Sign-ups"), shown.signups.csv()]
    yield ["funnel", "confirmed", _("Sign-ups confirmed by email"), shown.confirmed.csv()]
    skipped = str(Channel.CALL_SKIPPED.label)
    yield ["skipped", Channel.CALL_SKIPPED.value, skipped, shown.skipped_calls.csv()]
    for value, count in shown.shares:
        yield ["share", value, channel_name(value), count.csv()]
    yield ["share", "others", *rest]


def csv_filename(slug: str, weeks: Weeks) -> str:
    if not weeks.mondays:
        return f"{slug}-results-no-week.csv"
    return f"{slug}-results-{week_name(weeks.first)}-to-{week_name(weeks.mondays[-1])}.csv"


@require_GET
@staff_verified
def results_csv(request: HttpRequest, access: Access) -> HttpResponse:
    organisers_only(access)
    weeks = weeks_for(access.campaign, PeriodForm(request.GET).period())
    text = io.StringIO()
    writer = csv.writer(text)
    for row in csv_rows(visible(tally(access.campaign, weeks))):
        writer.writerow([safe_cell(cell) for cell in row])
    response = HttpResponse(text.getvalue(), content_type="text/csv; charset=utf-8")
    filename = csv_filename(access.campaign.slug, weeks)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
