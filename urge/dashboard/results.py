"""A campaign's results for its staff: actions by day, channel, legislator and state, and
sign-ups, as charts with tables, and as CSV. Counts only, so every role in the campaign
may see them."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from urge.actions.models import Channel
from urge.campaigns.names import campaign_title
from urge.dashboard.access import Access, staff_verified
from urge.dashboard.charts import Words, bar_chart, column_chart, tile_map
from urge.dashboard.export import safe_cell
from urge.dashboard.tallies import Period, Tallies, tally
from urge.legislators.states import STATE_NAMES

# A chart of every legislator acted on would be pages long: it shows the first ones only.
CHART_ROWS = 20


class PeriodForm(forms.Form):
    """The page's date filter: two optional days, sent by GET so that a filtered page can
    be bookmarked and its CSV link carries the same filter."""

    def __init__(self, data: Any) -> None:
        super().__init__(data)
        # "from" is a Python keyword, so the fields are added here rather than declared.
        for name, label in (("from", gettext_lazy("From")), ("to", gettext_lazy("To"))):
            self.fields[name] = forms.DateField(
                label=label, required=False, widget=forms.DateInput(attrs={"type": "date"})
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("from"), cleaned.get("to")
        if first and last and first > last:
            raise forms.ValidationError(_("The first day must come before the last."))
        return cleaned

    def period(self) -> Period:
        """The days asked for; the whole campaign while the filter is empty or wrong."""
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
    rows: list[tuple[str, int | None]]


def count_text(count: int) -> str:
    return number_format(count, force_grouping=True)


def most(total: int, rows: list[tuple[str, int]], busiest_day: bool = False) -> str:
    """The sentence under a chart's title: the total and its largest part."""
    if not rows:
        return _("No actions.")
    label, count = max(rows, key=lambda row: row[1])
    values = {"total": count_text(total), "label": label, "count": count_text(count)}
    if busiest_day:
        return _("%(total)s actions in all; the busiest day: %(label)s, %(count)s.") % values
    return _("%(total)s actions in all; the most: %(label)s, %(count)s.") % values


def channel_name(value: str) -> str:
    return str(Channel(value).label) if value in Channel.values else value


def target_name(bioguide: str, names: dict[str, str]) -> str:
    return names.get(bioguide, bioguide)


def state_name(code: str) -> str:
    return STATE_NAMES.get(code, code)


def action_figures(tallies: Tallies) -> list[Figure]:
    total = tallies.actions
    days = [(day.isoformat(), count) for day, count in tallies.by_day]
    channels = [(channel_name(value), count) for value, count in tallies.by_channel]
    targets = [(target_name(code, tallies.names), count) for code, count in tallies.by_target]
    states = [(state_name(code), count) for code, count in tallies.by_state.items()]
    by_day = Words("by-day", _("Actions by day"), most(total, days, busiest_day=True))
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
    return [
        Figure(by_day, column_chart(by_day, tallies.by_day), _("Day (UTC)"), [*days]),
        Figure(by_channel, bar_chart(by_channel, channels), _("Channel"), [*channels]),
        Figure(by_target, bar_chart(by_target, targets[:CHART_ROWS]), _("Legislator"), [*targets]),
        Figure(
            state_words,
            tile_map(state_words, tallies.by_state, _("none")),
            _("State"),
            [*states],
        ),
    ]


def funnel_figure(tallies: Tallies) -> Figure:
    steps: list[tuple[str, int]] = [
        (_("Actions"), tallies.actions),
        (_("Sign-ups"), tallies.signups),
        (_("Sign-ups confirmed by email"), tallies.confirmed),
    ]
    values = {
        "actions": count_text(tallies.actions),
        "signups": count_text(tallies.signups),
        "confirmed": count_text(tallies.confirmed),
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
    rows: list[tuple[str, int | None]] = [(_("Legislators looked up"), None), *steps]
    return Figure(words, bar_chart(words, steps), _("Step"), rows)


def share_figure(tallies: Tallies) -> Figure:
    """Supporters sharing the campaign from the share step (urge/sharing/share.py), by
    platform: not actions on a legislator, so apart from them."""
    rows = [(channel_name(value), count) for value, count in tallies.shares]
    total = sum(count for _label, count in rows)
    words = Words(
        "shares",
        _("Shares of the campaign"),
        _("%(total)s shares in all; the most: %(label)s, %(count)s.")
        % {
            "total": count_text(total),
            "label": max(rows, key=lambda row: row[1])[0] if rows else "",
            "count": count_text(max((count for _label, count in rows), default=0)),
        },
    )
    return Figure(words, bar_chart(words, rows), _("Platform"), [*rows])


def organisers_only(access: Access) -> None:
    """Campaign-wide totals (sign-ups across every co-host above all) are the organisers':
    co-host staff get a 404, as for the audit log."""
    if not access.is_organiser:
        raise Http404


@require_GET
@staff_verified
def results(request: HttpRequest, access: Access) -> HttpResponse:
    organisers_only(access)
    form = PeriodForm(request.GET)
    tallies = tally(access.campaign, form.period())
    context = {
        "access": access,
        "title": campaign_title(access.campaign, translation.get_language()),
        "form": form,
        "tallies": tallies,
        "figures": action_figures(tallies) if tallies.actions else [],
        "funnel": funnel_figure(tallies),
        "shares": share_figure(tallies) if tallies.shares else None,
        "csv_query": form.query(),
    }
    return render(request, "dashboard/results.html", context)


def csv_rows(tallies: Tallies) -> Iterator[list[str]]:
    """Every count on the page, one per row: what it counts, its key, its name in the
    page's language, the number (empty where nothing is counted)."""
    yield ["section", "key", "name", "count"]
    for day, count in tallies.by_day:
        yield ["day", day.isoformat(), day.isoformat(), str(count)]
    for value, count in tallies.by_channel:
        yield ["channel", value, channel_name(value), str(count)]
    for bioguide, count in tallies.by_target:
        yield ["target", bioguide, target_name(bioguide, tallies.names), str(count)]
    for code, count in tallies.by_state.items():
        yield ["state", code, state_name(code), str(count)]
    yield ["funnel", "lookups", _("Legislators looked up"), ""]
    yield ["funnel", "actions", _("Actions"), str(tallies.actions)]
    yield ["funnel", "signups", _("Sign-ups"), str(tallies.signups)]
    yield ["funnel", "confirmed", _("Sign-ups confirmed by email"), str(tallies.confirmed)]
    skipped = str(Channel.CALL_SKIPPED.label)
    yield ["skipped", Channel.CALL_SKIPPED.value, skipped, str(tallies.skipped_calls)]
    for value, count in tallies.shares:
        yield ["share", value, channel_name(value), str(count)]


def csv_filename(slug: str, period: Period) -> str:
    def day(value: date | None) -> str:
        return value.isoformat() if value else "all"

    return f"{slug}-results-{day(period.first)}-to-{day(period.last)}.csv"


@require_GET
@staff_verified
def results_csv(request: HttpRequest, access: Access) -> HttpResponse:
    organisers_only(access)
    period = PeriodForm(request.GET).period()
    text = io.StringIO()
    writer = csv.writer(text)
    for row in csv_rows(tally(access.campaign, period)):
        writer.writerow([safe_cell(cell) for cell in row])
    response = HttpResponse(text.getvalue(), content_type="text/csv; charset=utf-8")
    filename = csv_filename(access.campaign.slug, period)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
