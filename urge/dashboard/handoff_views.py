"""The hand-off pages of a co-host's staff: its export, the changes since its last export, its
suppression file, and the page that explains them (urge/dashboard/handoff.py says what each
file holds). Every file is recorded in the audit log before it is sent, and moves the
co-host's kept time only once it has been made in full."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django import forms
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from urge.campaigns.models import CoHost
from urge.campaigns.names import cohost_name
from urge.dashboard import audit, handoff
from urge.dashboard.access import Access, staff_verified
from urge.dashboard.export import csv_lines
from urge.dashboard.models import AuditEntry
from urge.dashboard.queries import exportable
from urge.dashboard.views import KEYS_DO_NOT_OPEN, keys_do_not_open
from urge.supporters.models import Supporter


class SinceForm(forms.Form):
    """The suppression file's first day, sent by GET; empty means since the last one."""

    since = forms.DateField(
        label=_("Since (UTC)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def day(self) -> date | None:
        return self.cleaned_data.get("since") if self.is_valid() else None


@require_GET
@staff_verified
def export(request: HttpRequest, access: Access, cohost_slug: str) -> HttpResponse:
    """Everyone this co-host may contact now."""
    cohost = access.cohost(cohost_slug)
    return _supporters_file(request, access, cohost, exportable(cohost), AuditEntry.EXPORTED)


@require_GET
@staff_verified
def changes(request: HttpRequest, access: Access, cohost_slug: str) -> HttpResponse:
    """Only those new or changed since this co-host's last export (everyone before it)."""
    cohost = access.cohost(cohost_slug)
    since = handoff.starting_from(handoff.kept(cohost).exported_at)
    people = handoff.changed_since(cohost, since)
    return _supporters_file(request, access, cohost, people, AuditEntry.CHANGES_EXPORTED)


def _supporters_file(
    request: HttpRequest,
    access: Access,
    cohost: CoHost,
    people: QuerySet[Supporter],
    what: str,
) -> HttpResponse:
    started = timezone.now()
    try:
        # Every row opened before anything is recorded or sent: a key that does not open
        # them gives a page that says so, never a file with a header line alone.
        lines = list(csv_lines(cohost, people.iterator(chunk_size=500)))
    except KEYS_DO_NOT_OPEN:
        return keys_do_not_open(request, access)
    with transaction.atomic():
        audit.record(access.user, access.campaign, what, cohost=cohost, rows=len(lines) - 1)
        handoff.advance(cohost, "exported_at", started)
    kind = "changes" if what == AuditEntry.CHANGES_EXPORTED else "supporters"
    return _attachment(access, cohost, kind, lines)


@require_GET
@staff_verified
def suppression(request: HttpRequest, access: Access, cohost_slug: str) -> HttpResponse:
    """Everyone who left this co-host's list or erased themselves since the day asked for,
    or, without one, since the co-host's last suppression file."""
    cohost = access.cohost(cohost_slug)
    form = SinceForm(request.GET)
    if not form.is_valid():
        return _page(request, access, cohost, form, status=400)
    day = form.day()
    kept = handoff.kept(cohost).suppression_at
    since = handoff.start_of(day) if day else handoff.starting_from(kept)
    started = timezone.now()
    try:
        lines = list(handoff.suppression_lines(cohost, since))
    except KEYS_DO_NOT_OPEN:
        return keys_do_not_open(request, access)
    with transaction.atomic():
        audit.record(
            access.user, access.campaign, AuditEntry.SUPPRESSION, cohost=cohost, rows=len(lines) - 1
        )
        handoff.advance(cohost, "suppression_at", started)
    return _attachment(access, cohost, "suppression", lines)


def _attachment(access: Access, cohost: CoHost, kind: str, lines: Iterable[str]) -> HttpResponse:
    response = HttpResponse("".join(lines), content_type="text/csv; charset=utf-8")
    day = timezone.now().date().isoformat()
    filename = f"{access.campaign.slug}-{cohost.slug}-{kind}-{day}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@staff_verified
def page(request: HttpRequest, access: Access, cohost_slug: str) -> HttpResponse:
    """What the co-host has downloaded and when, how many are waiting, and the three files.
    Counts only: nothing here opens anyone's details, so nothing is recorded."""
    cohost = access.cohost(cohost_slug)
    return _page(request, access, cohost, SinceForm())


def _page(
    request: HttpRequest, access: Access, cohost: CoHost, form: SinceForm, status: int = 200
) -> HttpResponse:
    kept = handoff.kept(cohost)
    context: dict[str, Any] = {
        "access": access,
        "cohost": cohost,
        "name": cohost_name(cohost, translation.get_language()),
        "kept": kept,
        "form": form,
        "opted_in": exportable(cohost).count(),
        # Since the very moment, as the page says; the files start a minute earlier.
        "changed": handoff.changed_since(cohost, kept.exported_at).count(),
        "leaving": len(handoff.leavers(cohost, kept.suppression_at)),
    }
    return render(request, "dashboard/handoff.html", context, status=status)
