"""The `targets` and `stances` of campaign.yaml: whom supporters are asked to contact."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from urge.campaigns.checks import Reader, Text

CHAMBERS = ("senate", "house")
STANCES = ("cosponsor", "supports-vote", "undecided", "opposes")
UNKNOWN_STANCE = "unknown"  # no stance recorded for this legislator
BIOGUIDE = re.compile(r"^[A-Z]\d{6}$")
STATE = re.compile(r"^[A-Z]{2}$")
COMMITTEE = re.compile(r"^[A-Z]{4}(\d{2})?$")


@dataclass(frozen=True)
class ExtraTargetSpec:
    """A legislator every supporter is asked to contact, whoever represents them."""

    bioguide: str
    note: Text  # why this person, per language


@dataclass(frozen=True)
class TargetRules:
    chambers: tuple[str, ...] = CHAMBERS
    states: tuple[str, ...] = ()  # empty: every state
    committee: str = ""  # only members of this committee (thomas id, e.g. SSFR)
    extra: tuple[ExtraTargetSpec, ...] = field(default=())


@dataclass(frozen=True)
class StanceKindSpec:
    """A stance the campaign defines: `follows` is the built-in stance whose wording it
    takes on the action page (thanked like a cosponsor, pressed like the undecided)."""

    slug: str
    label: Text
    follows: str


@dataclass(frozen=True)
class StanceSpec:
    bioguide: str
    stance: str
    source: str
    date: datetime.date


def read_targets(reader: Reader, data: dict[str, Any]) -> TargetRules:
    if "targets" not in data:
        return TargetRules()
    targets = reader.mapping(data["targets"], "targets")
    reader.unknown_fields(targets, {"chambers", "states", "committee", "extra"}, "targets.")
    return TargetRules(
        chambers=_chambers(reader, targets),
        states=_states(reader, targets),
        committee=_committee(reader, targets),
        extra=_extra(reader, targets),
    )


def _chambers(reader: Reader, targets: dict[str, Any]) -> tuple[str, ...]:
    if "chambers" not in targets:
        return CHAMBERS
    chambers = targets["chambers"]
    if not isinstance(chambers, list):
        reader.problem("targets.chambers", "must be a list, e.g. [senate] or [senate, house]")
        return CHAMBERS
    for index, chamber in enumerate(chambers):
        if chamber not in CHAMBERS:
            reader.problem(f"targets.chambers[{index}]", f"{chamber!r} is not senate or house")
    return tuple(chamber for chamber in CHAMBERS if chamber in chambers)


def _states(reader: Reader, targets: dict[str, Any]) -> tuple[str, ...]:
    states = targets.get("states", [])
    if not isinstance(states, list):
        reader.problem("targets.states", "must be a list of state codes, e.g. [WA, OR]")
        return ()
    for index, state in enumerate(states):
        if not isinstance(state, str) or not STATE.match(state):
            reader.problem(f"targets.states[{index}]", f"{state!r} is not a state code like WA")
    return tuple(state for state in states if isinstance(state, str))


def _committee(reader: Reader, targets: dict[str, Any]) -> str:
    committee = targets.get("committee", "")
    if committee and (not isinstance(committee, str) or not COMMITTEE.match(committee)):
        reader.problem("targets.committee", f"{committee!r} is not a committee code like SSFR")
        return ""
    return str(committee or "")


def _extra(reader: Reader, targets: dict[str, Any]) -> tuple[ExtraTargetSpec, ...]:
    if "extra" not in targets:
        return ()
    found = []
    for index, item in enumerate(reader.sequence(targets, "extra", "targets.extra")):
        where = f"targets.extra[{index}]"
        entry = reader.mapping(item, where)
        reader.unknown_fields(entry, {"bioguide", "note"}, f"{where}.")
        bioguide = _bioguide(reader, entry, f"{where}.bioguide")
        found.append(ExtraTargetSpec(bioguide, reader.text(entry, "note", f"{where}.note")))
    return tuple(found)


def _bioguide(reader: Reader, entry: dict[str, Any], where: str) -> str:
    bioguide = reader.string(entry, "bioguide", where)
    if bioguide and not BIOGUIDE.match(bioguide):
        reader.problem(where, f"{bioguide!r} is not a Bioguide ID like M001111")
    return bioguide


# Where a stance's slug is stored (Stance.stance, StanceChange.old_stance and new_stance).
MAX_KIND_LENGTH = 20


def read_stance_kinds(reader: Reader, data: dict[str, Any]) -> tuple[StanceKindSpec, ...]:
    """Optional: the stances the campaign adds to the four every campaign has."""
    if "stance_kinds" not in data:
        return ()
    kinds: list[StanceKindSpec] = []
    for index, item in enumerate(reader.sequence(data, "stance_kinds", "stance_kinds")):
        where = f"stance_kinds[{index}]"
        entry = reader.mapping(item, where)
        reader.unknown_fields(entry, {"slug", "label", "follows"}, f"{where}.")
        slug = _kind_slug(reader, entry, f"{where}.slug", kinds)
        follows = reader.string(entry, "follows", f"{where}.follows")
        if follows and follows not in STANCES:
            reader.problem(
                f"{where}.follows",
                f"{follows!r} is not one of: {', '.join(STANCES)} (the stance whose wording "
                "it takes: cosponsor or supports-vote to thank, undecided or opposes to press)",
            )
        kinds.append(StanceKindSpec(slug, reader.text(entry, "label", f"{where}.label"), follows))
    return tuple(kinds)


def _kind_slug(
    reader: Reader, entry: dict[str, Any], where: str, before: list[StanceKindSpec]
) -> str:
    slug = reader.slug(entry, "slug", where)
    if slug in (*STANCES, UNKNOWN_STANCE):
        reader.problem(where, f"{slug!r} is a stance every campaign has already")
    elif slug in {kind.slug for kind in before}:
        reader.problem(where, f"{slug!r} is defined twice")
    elif len(slug) > MAX_KIND_LENGTH:
        reader.problem(where, f"{slug!r} is longer than {MAX_KIND_LENGTH} characters")
    return slug


def read_stances(
    reader: Reader, data: dict[str, Any], kinds: tuple[StanceKindSpec, ...] = ()
) -> tuple[StanceSpec, ...]:
    if "stances" not in data:
        return ()
    allowed = (*STANCES, *(kind.slug for kind in kinds if kind.slug))
    stances: list[StanceSpec] = []
    for index, item in enumerate(reader.sequence(data, "stances", "stances")):
        where = f"stances[{index}]"
        entry = reader.mapping(item, where)
        reader.unknown_fields(entry, {"bioguide", "stance", "source", "date"}, f"{where}.")
        bioguide = _bioguide(reader, entry, f"{where}.bioguide")
        if bioguide and bioguide in {stance.bioguide for stance in stances}:
            reader.problem(f"{where}.bioguide", f"{bioguide} has another stance above")
        stance = reader.string(entry, "stance", f"{where}.stance")
        if stance and stance not in allowed:
            reader.problem(f"{where}.stance", f"{stance!r} is not one of: {', '.join(allowed)}")
        source = reader.url(entry, "source", f"{where}.source")
        date = reader.date(entry, "date", f"{where}.date")
        stances.append(StanceSpec(bioguide, stance, source, date or datetime.date.min))
    return tuple(stances)
