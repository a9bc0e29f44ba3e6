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


def read_stances(reader: Reader, data: dict[str, Any]) -> tuple[StanceSpec, ...]:
    if "stances" not in data:
        return ()
    stances: list[StanceSpec] = []
    for index, item in enumerate(reader.sequence(data, "stances", "stances")):
        where = f"stances[{index}]"
        entry = reader.mapping(item, where)
        reader.unknown_fields(entry, {"bioguide", "stance", "source", "date"}, f"{where}.")
        bioguide = _bioguide(reader, entry, f"{where}.bioguide")
        if bioguide and bioguide in {stance.bioguide for stance in stances}:
            reader.problem(f"{where}.bioguide", f"{bioguide} has another stance above")
        stance = reader.string(entry, "stance", f"{where}.stance")
        if stance and stance not in STANCES:
            reader.problem(f"{where}.stance", f"{stance!r} is not one of: {', '.join(STANCES)}")
        source = reader.url(entry, "source", f"{where}.source")
        date = reader.date(entry, "date", f"{where}.date")
        stances.append(StanceSpec(bioguide, stance, source, date or datetime.date.min))
    return tuple(stances)
