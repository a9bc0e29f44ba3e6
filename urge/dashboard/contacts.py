"""Organisers fill the gaps in legislators' official contact details (handles, contact form,
phone), each with a source and a date; every change is kept with who made it.

The details are site-wide: every campaign's posts and emails use them. So the organisers of
any campaign may edit them (co-host staff and people without a role may not), and the list
starts from the targets of the campaigns the person organises.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django import forms
from django.contrib.auth.models import User
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from urge.actions.targets import every_possible_target, rules_for
from urge.dashboard import audit
from urge.dashboard.access import is_site_admin, verified
from urge.dashboard.models import StaffRole
from urge.legislators import overrides
from urge.legislators.gaps import ESSENTIAL, missing
from urge.legislators.handles import (
    ATTRIBUTES,
    FIELDS,
    LABELS,
    PLATFORMS,
    InvalidContact,
    clean,
    handle_on,
)
from urge.legislators.index import LookupIndex, index_holder, record_from_row
from urge.legislators.models import ContactOverride, Legislator
from urge.legislators.records import LegislatorRecord
from urge.legislators.states import STATE_NAMES
from urge.legislators.untrusted import is_web_url

OrganiserView = Callable[..., HttpResponse]


def organiser_verified(view: OrganiserView) -> OrganiserView:
    """Both factors, then an organiser's role in some campaign; 404 for anybody else, as
    for the campaigns' own pages, and the refusal in the audit log."""

    @verified
    @wraps(view)
    def wrapper(request: HttpRequest, user: User, **kwargs: str) -> HttpResponseBase:
        if not StaffRole.objects.filter(user=user, role=StaffRole.ORGANISER).exists():
            audit.refused(request, user)
            raise Http404
        return view(request, user, **kwargs)

    return wrapper  # type: ignore[return-value]


@dataclass(frozen=True)
class Cell:
    field: str
    label: str
    value: str  # as shown: @handle, an address, a number; "" when missing
    added: bool  # by organisers, not in the official data


@dataclass(frozen=True)
class Row:
    member: LegislatorRecord
    cells: tuple[Cell, ...]
    essential_gaps: tuple[str, ...]


def shown(member: LegislatorRecord, field: str) -> str:
    if field in PLATFORMS:
        handle = handle_on(member, field)
        return f"@{handle}" if handle else ""
    return str(getattr(member, ATTRIBUTES[field]))


def row_for(member: LegislatorRecord, added: dict[str, str]) -> Row:
    gaps = missing(member)
    cells = tuple(
        Cell(
            field, str(LABELS[field]), "" if field in gaps else shown(member, field), field in added
        )
        for field in FIELDS
    )
    return Row(member, cells, tuple(field for field in gaps if field in ESSENTIAL))


def organised_targets(user: User, index: LookupIndex) -> dict[str, LegislatorRecord]:
    """Everyone the campaigns this person organises may ask supporters to contact."""
    found: dict[str, LegislatorRecord] = {}
    for role in StaffRole.objects.filter(user=user, role=StaffRole.ORGANISER).select_related(
        "campaign"
    ):
        for target in every_possible_target(rules_for(role.campaign), index):
            found[target.member.bioguide] = target.member
    return found


def _order(member: LegislatorRecord) -> tuple[bool, str, int, str]:
    state = STATE_NAMES.get(member.state, member.state)
    return (member.chamber != "senate", state, member.district or 0, member.last_name)


@require_GET
@organiser_verified
def contact_list(request: HttpRequest, user: User) -> HttpResponse:
    index = index_holder.get()
    everyone = request.GET.get("everyone") == "1"
    only_gaps = request.GET.get("gaps") == "1"
    rows: list[Row] = []
    if index is not None:
        members = index.members if everyone else organised_targets(user, index)
        added = overrides.current()
        rows = [
            row_for(member, added.get(member.bioguide, {}))
            for member in sorted(members.values(), key=_order)
        ]
    counts = {
        str(LABELS[field]): sum(1 for row in rows if not _cell(row, field).value)
        for field in FIELDS
    }
    context = {
        "data_loaded": index is not None,
        "rows": [row for row in rows if row.essential_gaps] if only_gaps else rows,
        "total": len(rows),
        "counts": counts,
        "labels": [LABELS[field] for field in FIELDS],
        "everyone": everyone,
        "only_gaps": only_gaps,
        "saved": request.GET.get("saved", ""),
        "unchanged": request.GET.get("unchanged", ""),
    }
    return render(request, "dashboard/contacts.html", context)


def _cell(row: Row, field: str) -> Cell:
    return next(cell for cell in row.cells if cell.field == field)


class DetailForm(forms.Form):
    """One detail of one legislator. Left empty, the organisers' value is removed and the
    official one (if any) shows again."""

    value = forms.CharField(label=_("Value"), required=False, max_length=300)
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=500,
        help_text=_("A web address where it can be checked, or a note (such as a phone call)."),
    )
    date = forms.DateField(label=_("Checked on"), required=False)

    def __init__(
        self, field: str, data: QueryDict | None, initial: dict[str, object], official: str
    ) -> None:
        super().__init__(data, prefix=field, initial=initial)
        self.field = field
        self.official = official  # shown beside the form
        self.label = LABELS[field]
        self.locked = False  # shown, not editable: only the site's administrators change it

    def clean_value(self) -> str:
        value: str = self.cleaned_data["value"].strip()
        if not value:
            return ""
        try:
            return clean(self.field, value)
        except InvalidContact as error:
            raise forms.ValidationError(str(error)) from None

    def clean_source(self) -> str:
        source: str = self.cleaned_data["source"].strip()
        if source.startswith(("http:", "https:")) and not is_web_url(source):
            raise forms.ValidationError(_("This is not a web address."))
        return source

    def clean_date(self) -> datetime.date | None:
        date: datetime.date | None = self.cleaned_data["date"]
        if date is not None and date > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return date

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("value"):
            if not data.get("source") and "source" not in self.errors:
                self.add_error("source", _("Say where this comes from."))
            if not data.get("date") and "date" not in self.errors:
                self.add_error("date", _("Give the date it was checked."))
        return data

    def entry(self, bioguide: str) -> overrides.Entry | None:
        """The override to save, or None to remove it."""
        data = self.cleaned_data
        if not data["value"]:
            return None
        return overrides.Entry(bioguide, self.field, data["value"], data["source"], data["date"])


# Where every campaign on the site sends its supporters (the contact form a letter is pasted
# into, the number they call): one campaign's organiser must not be able to change them for
# all the others, so only the site's administrators may. Handles only shape a post's text.
SITE_ADMINS_ONLY = {"contact_form", "phone"}


def detail_forms(
    data: QueryDict | None,
    stored: dict[str, ContactOverride],
    official: LegislatorRecord | None,
    site_admin: bool = False,
) -> list[DetailForm]:
    today = timezone.localdate()
    made = []
    for field in FIELDS:
        row = stored.get(field)
        initial: dict[str, object] = {"date": today}
        if row is not None:
            value = f"@{row.value}" if field in PLATFORMS else row.value
            initial = {"value": value, "source": row.source, "date": row.checked_on}
        form = DetailForm(field, data, initial, shown(official, field) if official else "")
        if field in SITE_ADMINS_ONLY and not site_admin:
            form.locked = True
            for bound in form.fields.values():
                bound.disabled = True  # what is posted for it is ignored
        made.append(form)
    return made


def official_record(bioguide: str) -> LegislatorRecord | None:
    row = Legislator.objects.filter(release__is_active=True, bioguide=bioguide).first()
    return record_from_row(row) if row is not None else None


@require_http_methods(["GET", "POST"])
@organiser_verified
def contact_edit(request: HttpRequest, user: User, bioguide: str) -> HttpResponse:
    index = index_holder.get()
    member = index.members.get(bioguide) if index is not None else None
    if member is None:
        raise Http404
    stored = overrides.overrides_of(bioguide)
    made = detail_forms(
        request.POST or None, stored, official_record(bioguide), site_admin=is_site_admin(user)
    )
    if request.method == "POST" and all(form.is_valid() for form in made):
        with transaction.atomic():
            changed = [_apply(form, bioguide, user) for form in made if not form.locked]
        index_holder.recheck()
        url = reverse("urge-dashboard-contacts")
        outcome = "saved" if any(changed) else "unchanged"
        return redirect(f"{url}?{outcome}={bioguide}#contact-{bioguide}")
    context = {
        "member": member,
        "forms": made,
        "changes": overrides.changes_of(bioguide),
        "via_dashboard": VIA_DASHBOARD,
    }
    return render(request, "dashboard/contact_edit.html", context)


VIA_DASHBOARD = "dashboard"


def _apply(form: DetailForm, bioguide: str, user: User) -> bool:
    """Save or remove one detail; whether anything changed."""
    entry = form.entry(bioguide)
    if entry is None:
        outcome = overrides.remove(bioguide, form.field, user, VIA_DASHBOARD)
    else:
        outcome = overrides.save(entry, user, VIA_DASHBOARD)
    return outcome != "unchanged"
