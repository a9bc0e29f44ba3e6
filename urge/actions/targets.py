"""Whom a supporter is asked to contact: the campaign's rules applied to their legislators."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from urge.campaigns.folder_targets import UNKNOWN_STANCE
from urge.campaigns.models import Campaign
from urge.campaigns.stance_kinds import kinds_of
from urge.campaigns.targeting import in_scope
from urge.core.memo import per_version
from urge.legislators.index import LookupIndex
from urge.legislators.records import LegislatorRecord


@dataclass(frozen=True)
class StanceInfo:
    stance: str = UNKNOWN_STANCE
    source: str = ""
    date: datetime.date | None = None
    # For a stance the campaign defined (urge/campaigns/stance_kinds.py): the built-in stance
    # whose wording it takes where no template names it. Empty for the built-in ones.
    follows: str = ""


@dataclass(frozen=True)
class Rules:
    senate: bool = True
    house: bool = True
    states: frozenset[str] = frozenset()
    committee: str = ""
    extra: tuple[tuple[str, dict[str, str]], ...] = ()  # (bioguide, note per language)
    stances: dict[str, StanceInfo] = field(default_factory=dict)

    def includes(self, member: LegislatorRecord, index: LookupIndex) -> bool:
        """Whether one of a supporter's own legislators is a target of the campaign."""
        return in_scope(
            member,
            index,
            senate=self.senate,
            house=self.house,
            states=self.states,
            committee=self.committee,
        )


@dataclass(frozen=True)
class Target:
    member: LegislatorRecord
    stance: StanceInfo
    note: str = ""  # why an extra target is on everyone's list
    own: bool = True  # the supporter's own legislator

    @property
    def title(self) -> str:
        if self.member.chamber == "senate":
            return "Senator"
        if self.member.state == "PR":
            return "Resident Commissioner"
        if self.member.district == 0 and self.member.state in {"DC", "GU", "VI", "AS", "MP"}:
            return "Delegate"
        return "Representative"

    @property
    def title_label(self) -> str:
        """The title in the page's language; `title` stays English for the messages."""
        return str(TITLE_LABELS[self.title])


# Marked for translation here, so that `title` can stay the English word the offices read.
TITLE_LABELS = {
    "Senator": _("Senator"),
    "Representative": _("Representative"),
    "Delegate": _("Delegate"),
    "Resident Commissioner": _("Resident Commissioner"),
}


@per_version
def rules_for(campaign: Campaign) -> Rules:
    kinds = kinds_of(campaign)
    return Rules(
        senate=campaign.targets_senate,
        house=campaign.targets_house,
        states=frozenset(campaign.target_states),
        committee=campaign.target_committee,
        extra=tuple((extra.bioguide, extra.note) for extra in campaign.extra_targets.all()),
        stances={
            stance.bioguide: StanceInfo(
                stance.stance, stance.source, stance.date, kinds.follows(stance.stance)
            )
            for stance in campaign.stances.all()
        },
    )


def targets_for(
    rules: Rules, own: Iterable[LegislatorRecord], index: LookupIndex, language: str
) -> list[Target]:
    """The supporter's own legislators the campaign targets, then its extra targets."""
    found = [
        Target(member, rules.stances.get(member.bioguide, StanceInfo()))
        for member in own
        if rules.includes(member, index)
    ]
    seen = {target.member.bioguide for target in found}
    for bioguide, note in rules.extra:
        member = index.members.get(bioguide)
        if member is None or bioguide in seen:
            continue  # retired since the campaign was written: the sync report says so
        text = note.get(language) or note.get("en", "")
        found.append(Target(member, rules.stances.get(bioguide, StanceInfo()), text, own=False))
    return found


def every_possible_target(rules: Rules, index: LookupIndex) -> list[Target]:
    """Everyone some supporter could be asked to contact, for checks at load time."""
    own = [member for member in index.members.values() if rules.includes(member, index)]
    return targets_for(rules, own, index, "en")
