"""Organisers record each targeted legislator's public stance, with its source and date; every
change is kept and shown (urge/campaigns/stances.py says which wins over campaign.yaml)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from urge.actions.targets import every_possible_target, rules_for
from urge.campaigns.models import Campaign, Stance
from urge.campaigns.stance_kinds import BUILT_IN_ONLY, Kinds, kinds_of
from urge.campaigns.stances import StanceValue, changes_for, record_stance
from urge.dashboard.access import Access, Refused, staff_verified
from urge.legislators.index import index_holder
from urge.legislators.records import LegislatorRecord
from urge.legislators.states import STATE_NAMES

HISTORY_PAGE_SIZE = 50


class StanceForm(forms.Form):
    # The built-in stances and the campaign's own (urge/campaigns/stance_kinds.py).
    stance = forms.ChoiceField(label=_("Stance"), choices=Stance.CHOICES)
    source = forms.URLField(
        label=_("Source"),
        assume_scheme="https",
        max_length=200,
        help_text=_("A public page where the legislator's position can be checked."),
    )
    date = forms.DateField(
        label=_("As of"),
        help_text=_("The date the legislator took this position, or the source says so."),
    )

    def __init__(self, *args: Any, kinds: Kinds = BUILT_IN_ONLY, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stance"].choices = kinds.choices()  # type: ignore[attr-defined]

    def clean_date(self) -> datetime.date:
        date: datetime.date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return date

    def value(self) -> StanceValue:
        data = self.cleaned_data
        return StanceValue(data["stance"], data["source"], data["date"])


@dataclass(frozen=True)
class Row:
    """One targeted legislator and what is recorded about them."""

    member: LegislatorRecord
    stance: Stance | None


def organiser_only(access: Access) -> None:
    """Stances are the organisers' to record; to anybody else the page does not exist."""
    if not access.is_organiser:
        raise Refused


def targeted(campaign: Campaign) -> dict[str, LegislatorRecord]:
    """Every legislator the campaign asks supporters to contact, by Bioguide ID."""
    index = index_holder.get()
    if index is None:
        return {}
    targets = every_possible_target(rules_for(campaign), index)
    return {target.member.bioguide: target.member for target in targets}


def rows_for(campaign: Campaign) -> list[Row]:
    recorded = {row.bioguide: row for row in campaign.stances.all()}
    members = sorted(
        targeted(campaign).values(),
        key=lambda member: (STATE_NAMES.get(member.state, member.state), member.last_name),
    )
    return [Row(member, recorded.get(member.bioguide)) for member in members]


@require_GET
@staff_verified
def stance_list(request: HttpRequest, access: Access) -> HttpResponse:
    organiser_only(access)
    history = Paginator(changes_for(access.campaign), HISTORY_PAGE_SIZE)
    context = {
        "access": access,
        "rows": rows_for(access.campaign),
        "data_loaded": index_holder.get() is not None,
        "page": history.get_page(request.GET.get("page")),
        "saved": request.GET.get("saved", ""),
        "unchanged": request.GET.get("unchanged", ""),
    }
    return render(request, "dashboard/stances.html", context)


@require_http_methods(["GET", "POST"])
@staff_verified
def edit_stance(request: HttpRequest, access: Access, bioguide: str) -> HttpResponse:
    organiser_only(access)
    member = targeted(access.campaign).get(bioguide)
    if member is None:
        raise Http404
    current = access.campaign.stances.filter(bioguide=bioguide).first()
    initial: dict[str, object] = {"date": timezone.localdate()}
    if current is not None:
        initial = {"stance": current.stance, "source": current.source, "date": current.date}
    form = StanceForm(request.POST or None, initial=initial, kinds=kinds_of(access.campaign))
    if request.method == "POST" and form.is_valid():
        changed = record_stance(access.campaign, bioguide, form.value(), access.user)
        url = reverse("urge-dashboard-stances", kwargs={"slug": access.campaign.slug})
        outcome = "saved" if changed else "unchanged"
        return redirect(f"{url}?{outcome}={bioguide}#stance-{bioguide}")
    context = {"access": access, "member": member, "current": current, "form": form}
    return render(request, "dashboard/stance_edit.html", context)
