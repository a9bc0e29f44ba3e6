"""Referral links and their results: per code, the lookups, the actions by channel and the
confirmed sign-ups that came by it, by week, for the weeks asked for.

Counts only, kept per code and day and never per person (urge/sharing/counting.py), so a
look at this page is no look at personal data and goes in no audit log, like the results
page. But a small count can still point at a person a co-host's list names, so the page
shows whole weeks that have ended, and no count under the dashboard's minimum
(urge/dashboard/referral_weeks.py says why). Every role sees it, each to its own measure:
organisers see every co-host's link and every code, and make new codes; a co-host's staff
see their co-host's link and the codes made for it, and nothing of the other co-hosts'.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from urge.campaigns.facts import languages_of
from urge.campaigns.models import Campaign, CoHost
from urge.campaigns.names import campaign_title, cohost_name
from urge.dashboard.access import Access, Refused, staff_verified
from urge.dashboard.charts import Words, bar_chart
from urge.dashboard.referral_weeks import Tally, counted_weeks, tally_of, weekly_counts
from urge.dashboard.results import Figure, PeriodForm
from urge.dashboard.tallies import MINIMUM, Weeks, total
from urge.sharing.models import ReferralCode
from urge.sharing.referrals import campaign_link


@dataclass(frozen=True)
class Code:
    """A code this person may see, and what it stands for in the page's language."""

    code: str
    label: str
    cohost: str = ""  # the co-host's name when it is theirs (their own link, or made for them)
    made: bool = False  # made by organisers, rather than a co-host's own link


@dataclass(frozen=True)
class CodeResult:
    code: Code
    links: list[tuple[str, str]]  # (language name, the campaign's link with this code)
    # Its numbers in the weeks counted. Actions are on legislators, as the results page
    # counts them: no skipped call, no share.
    tally: Tally


def visible_codes(access: Access) -> list[Code]:
    """Every co-host's link and every code for an organiser; for co-host staff, their own."""
    language = translation.get_language()
    cohosts = access.counted_cohosts()
    names = {cohost.pk: cohost_name(cohost, language) for cohost in cohosts}
    found = [Code(cohost.slug, names[cohost.pk], names[cohost.pk]) for cohost in cohosts]
    made = ReferralCode.objects.filter(campaign=access.campaign).order_by("code")
    if not access.is_organiser:
        made = made.filter(cohost__in=cohosts)
    for row in made:
        cohost = names.get(row.cohost_id, "") if row.cohost_id else ""
        found.append(Code(row.code, row.label or row.code, cohost, made=True))
    return found


def links_for(campaign: Campaign, code: str) -> list[tuple[str, str]]:
    """The campaign's link with `code`, in each language it is written in."""
    found = []
    for language in languages_of(campaign):
        with translation.override(language):
            name = translation.get_language_info(language)["name_local"]
            found.append((name, campaign_link(campaign, code)))
    return found


def results_for(access: Access, weeks: Weeks) -> list[CodeResult]:
    codes = visible_codes(access)
    counts = weekly_counts(access.campaign, [code.code for code in codes], weeks)
    return [
        CodeResult(
            code, links_for(access.campaign, code.code), tally_of(counts.get(code.code, {}), weeks)
        )
        for code in codes
    ]


def actions_figure(results: list[CodeResult]) -> Figure:
    rows = [(result.code.label, result.tally.actions) for result in results]
    words = Words(
        "by-code",
        _("Actions by referral link"),
        _("Actions that came by these links: %(total)s.")
        % {"total": total(count for _label, count in rows)},
    )
    chart = bar_chart(
        words,
        [(label, count.count) for label, count in rows],
        [str(count) for _label, count in rows],
    )
    return Figure(words, chart, _("Link"), [*rows])


class CodeForm(forms.Form):
    code = forms.SlugField(
        label=gettext_lazy("Referral code"),
        max_length=64,
        help_text=gettext_lazy(
            "Lower-case letters, digits and hyphens, as the link will show it, "
            "e.g. spring-newsletter."
        ),
    )
    label = forms.CharField(
        label=gettext_lazy("What it is for"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("e.g. the April newsletter; shown to staff only."),
    )
    cohost = forms.ChoiceField(
        label=gettext_lazy("Whose results"),
        required=False,
        help_text=gettext_lazy(
            "A co-host's staff see the results of their own link and of the codes made for "
            "their co-host; organisers see all."
        ),
    )

    def __init__(self, campaign: Campaign, data: object = None) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        self.campaign = campaign
        language = translation.get_language()
        cohosts = list(campaign.cohosts.prefetch_related("names"))
        self.cohosts = {cohost.slug: cohost for cohost in cohosts}
        choice = self.fields["cohost"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = [
            ("", _("The organisers only")),
            *((cohost.slug, cohost_name(cohost, language)) for cohost in cohosts),
        ]

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if code != code.lower():
            raise forms.ValidationError(_("Use lower-case letters only."))
        taken = code in self.cohosts or self.campaign.referral_codes.filter(code=code).exists()
        if taken:
            raise forms.ValidationError(_("This campaign has that code already."))
        return code

    def chosen_cohost(self) -> CoHost | None:
        return self.cohosts.get(self.cleaned_data.get("cohost") or "")


def _made(form: CodeForm, access: Access) -> bool:
    """The new code stored; False, with the form saying why, when another took it first."""
    try:
        with transaction.atomic():
            ReferralCode.objects.create(
                campaign=access.campaign,
                code=form.cleaned_data["code"],
                label=form.cleaned_data["label"],
                cohost=form.chosen_cohost(),
                created_by=access.user,
            )
    except IntegrityError:
        form.add_error("code", _("This campaign has that code already."))
        return False
    return True


@require_http_methods(["GET", "POST"])
@staff_verified
def referrals(request: HttpRequest, access: Access) -> HttpResponse:
    form = CodeForm(access.campaign, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not access.is_organiser:
            raise Refused  # codes are the organisers' to make
        if form.is_valid() and _made(form, access):
            url = reverse("urge-dashboard-referrals", kwargs={"slug": access.campaign.slug})
            return redirect(
                f"{url}?made={form.cleaned_data['code']}#code-{form.cleaned_data['code']}"
            )
    period_form = PeriodForm(request.GET)
    weeks = counted_weeks(access.campaign, period_form.period(), timezone.now().date())
    results = results_for(access, weeks)
    context = {
        "access": access,
        "title": campaign_title(access.campaign, translation.get_language()),
        "form": period_form,
        "code_form": form if access.is_organiser else None,
        "weeks": weeks,
        "minimum": MINIMUM,
        "results": results,
        "figure": actions_figure(results) if any(r.tally.actions.count for r in results) else None,
        "made": request.GET.get("made", ""),
    }
    return render(request, "dashboard/referrals.html", context)
