"""The public scoreboard: every legislator a campaign targets, grouped by public stance, with
how many actions each has had (counts only, never who), optionally for one state."""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from urge.actions.counts import NO_ACTIONS, TargetCounts, counts_by_target
from urge.actions.targets import Target, every_possible_target, rules_for
from urge.campaigns.facts import campaign_or_404, languages_of
from urge.campaigns.folder_targets import UNKNOWN_STANCE
from urge.campaigns.models import Campaign, Stance
from urge.campaigns.page import campaign_page
from urge.campaigns.stance_kinds import BUILT_IN_ONLY, Kinds, kinds_of
from urge.core.caching import shared_by_everyone
from urge.core.languages import Alternate, alternates
from urge.legislators.index import index_holder
from urge.legislators.states import STATE_NAMES

# The groups in the order the page shows them: the allies first, those to win over last.
# A stance the campaign defined comes right after the one it follows, titled by its label.
GROUPS = [
    (Stance.COSPONSOR, _("Cosponsors")),
    (Stance.SUPPORTS_VOTE, _("Publicly support a vote")),
    (Stance.UNDECIDED, _("Undecided")),
    (Stance.OPPOSES, _("Oppose")),
    (UNKNOWN_STANCE, _("No public position found yet")),
]


@dataclass(frozen=True)
class Card:
    target: Target
    actions: TargetCounts


@dataclass(frozen=True)
class Group:
    stance: str
    title: str
    cards: list[Card]


def group_titles(kinds: Kinds) -> list[tuple[str, str]]:
    """Every group's stance and title, in the page's order."""
    titles = {stance: str(title) for stance, title in GROUPS}
    return [
        (stance, titles.get(stance) or kinds.label(stance))
        for stance in (*kinds.slugs(), UNKNOWN_STANCE)
    ]


def groups_for(
    targets: list[Target],
    counts: dict[str, TargetCounts],
    state: str = "",
    kinds: Kinds = BUILT_IN_ONLY,
) -> list[Group]:
    """The targets (of one state, if given) by stance, each group by state and name; every
    group is listed, empty or not, so that the page always reads the same way."""
    shown = [target for target in targets if not state or target.member.state == state]
    shown.sort(key=lambda target: (_state_name(target.member.state), target.member.last_name))
    titles = group_titles(kinds)
    known = {stance for stance, _title in titles}

    def group_of(target: Target) -> str:
        # A stance of a kind the campaign no longer defines goes with the unknown ones rather
        # than off the page (`urge load` refuses to drop a kind the dashboard still records).
        return target.stance.stance if target.stance.stance in known else UNKNOWN_STANCE

    return [
        Group(
            stance=stance,
            title=title,
            cards=[
                Card(target, counts.get(target.member.bioguide, NO_ACTIONS))
                for target in shown
                if group_of(target) == stance
            ],
        )
        for stance, title in titles
    ]


def states_of(targets: list[Target]) -> list[tuple[str, str]]:
    """The states the targets serve, as (code, name) in the order of their names."""
    codes = {target.member.state for target in targets}
    return sorted(((code, _state_name(code)) for code in codes), key=lambda pair: pair[1])


def _state_name(code: str) -> str:
    return STATE_NAMES.get(code, code)


def scoreboard_targets(campaign: Campaign) -> list[Target]:
    index = index_holder.get()
    if index is None:
        return []
    return every_possible_target(rules_for(campaign), index)


def _alternates(request: HttpRequest, campaign: Campaign, state: str) -> list[Alternate]:
    """The page in each language, for the same state."""
    found = alternates(request, "urge-scoreboard", {"slug": campaign.slug}, languages_of(campaign))
    query = f"?{urlencode({'state': state})}" if state else ""
    return [replace(alternate, url=alternate.url + query) for alternate in found]


@require_GET
def scoreboard(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = campaign_or_404(slug)
    page = campaign_page(campaign, translation.get_language())
    if page is None:  # not written in this language: the site's own
        with translation.override(settings.LANGUAGE_CODE):
            return redirect(reverse("urge-scoreboard", kwargs={"slug": slug}))
    targets = scoreboard_targets(campaign)
    states = states_of(targets)
    state = request.GET.get("state", "")
    # A state no target serves shows every state: the page is the same as without one.
    state = state if state in dict(states) else ""
    groups = groups_for(targets, counts_by_target(campaign), state, kinds_of(campaign))
    context = {
        "page": page,
        "alternates": _alternates(request, campaign, state),
        "data_loaded": index_holder.get() is not None,
        "groups": groups,
        "shown": sum(len(group.cards) for group in groups),
        "states": states,
        "state": state,
        "state_name": _state_name(state) if state else "",
    }
    # Made from the URL alone (the campaign, the language, the state): the same for everyone.
    return shared_by_everyone(render(request, "pages/scoreboard.html", context))
