"""`messages.yaml`: the campaign's message templates, per channel, stance and page language."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from urge.campaigns.checks import CAMPAIGN_FILE, LANGUAGES, Reader
from urge.campaigns.folder_targets import STANCES, UNKNOWN_STANCE, StanceKindSpec
from urge.campaigns.placeholders import TemplateSyntaxProblem, unknown_fields

MESSAGES_FILE = "messages.yaml"
CHANNELS = ("post", "email", "call")
# The template's own text field per channel (email also has a subject).
TEXT_FIELD = {"post": "text", "email": "body", "call": "script"}


@dataclass(frozen=True)
class TemplateSpec:
    channel: str
    key: str
    text: str  # the post, the email body or the call script: always English
    subject: str = ""  # email only
    stances: tuple[str, ...] = ()  # empty: any stance
    languages: tuple[str, ...] = ()  # page languages it is offered on; empty: all
    # What the message says, for readers of the page's other languages.
    rendering: dict[str, dict[str, str]] = field(default_factory=dict)


def read_messages(
    reader: Reader, kinds: tuple[StanceKindSpec, ...] = ()
) -> tuple[TemplateSpec, ...]:
    """The templates of messages.yaml; their `stances` may name the campaign's own `kinds`."""
    path = reader.folder / MESSAGES_FILE
    if not path.is_file():
        return ()
    reader.file = MESSAGES_FILE
    try:
        allowed = (*STANCES, *(kind.slug for kind in kinds if kind.slug), UNKNOWN_STANCE)
        return _read(reader, path.read_text(encoding="utf-8"), allowed)
    finally:
        reader.file = CAMPAIGN_FILE


def _read(reader: Reader, text: str, stances: tuple[str, ...]) -> tuple[TemplateSpec, ...]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        reader.problem(f"line {mark.line + 1}" if mark else "", f"is not valid YAML ({error})")
        return ()
    data = reader.mapping(data, "")
    reader.unknown_fields(data, set(CHANNELS), "")
    templates: list[TemplateSpec] = []
    for channel in CHANNELS:
        if channel not in data:
            continue
        for index, item in enumerate(reader.sequence(data, channel, channel)):
            template = _template(reader, channel, f"{channel}[{index}]", item, stances)
            if template.key in {t.key for t in templates if t.channel == channel}:
                reader.problem(f"{channel}[{index}].id", f"{template.key!r} is used twice")
            templates.append(template)
    return tuple(templates)


def _template(
    reader: Reader, channel: str, where: str, item: Any, stances: tuple[str, ...]
) -> TemplateSpec:
    entry = reader.mapping(item, where)
    text_field = TEXT_FIELD[channel]
    known = {"id", text_field, "stances", "languages", "rendering"}
    if channel == "email":
        known.add("subject")
    reader.unknown_fields(entry, known, f"{where}.")
    key = reader.slug(entry, "id", f"{where}.id")
    label = f"{where} ({key})" if key else where
    text = reader.string(entry, text_field, f"{label}.{text_field}")
    _check_placeholders(reader, f"{label}.{text_field}", text)
    subject = ""
    if channel == "email":
        subject = reader.string(entry, "subject", f"{label}.subject")
        _check_placeholders(reader, f"{label}.subject", subject)
    return TemplateSpec(
        channel=channel,
        key=key,
        text=text,
        subject=subject,
        stances=_stances(reader, entry, label, stances),
        languages=_languages(reader, entry, label),
        rendering=_rendering(reader, entry, label, channel),
    )


def _check_placeholders(reader: Reader, where: str, text: str) -> None:
    try:
        unknown = unknown_fields(text)
    except TemplateSyntaxProblem as error:
        reader.problem(where, str(error))
        return
    for name in unknown:
        reader.problem(where, f"unknown placeholder {{{name}}}")


def _stances(
    reader: Reader, entry: dict[str, Any], label: str, allowed: tuple[str, ...]
) -> tuple[str, ...]:
    stances = entry.get("stances", [])
    if not isinstance(stances, list) or any(stance not in allowed for stance in stances):
        reader.problem(f"{label}.stances", f"must be a list of: {', '.join(allowed)}")
        return ()
    return tuple(stances)


def _languages(reader: Reader, entry: dict[str, Any], label: str) -> tuple[str, ...]:
    tags = entry.get("languages", [])
    if not isinstance(tags, list) or any(tag not in reader.languages for tag in tags):
        reader.problem(f"{label}.languages", f"must be a list of: {', '.join(reader.languages)}")
        return ()
    return tuple(LANGUAGES[tag] for tag in tags)


def _rendering(
    reader: Reader, entry: dict[str, Any], label: str, channel: str
) -> dict[str, dict[str, str]]:
    """The template in the page's other languages, so supporters know what they send."""
    raw = entry.get("rendering", {})
    if not isinstance(raw, dict):
        reader.problem(f"{label}.rendering", "must give a text per language, e.g. zh-Hant: ...")
        return {}
    rendering: dict[str, dict[str, str]] = {}
    for tag, value in raw.items():
        if tag not in reader.languages or tag == "en":
            reader.problem(
                f"{label}.rendering.{tag}", "is not one of the campaign's other languages"
            )
            continue
        if channel == "email":
            parts = value if isinstance(value, dict) else {}
            if not isinstance(parts.get("subject"), str) or not isinstance(parts.get("body"), str):
                reader.problem(f"{label}.rendering.{tag}", "must give a subject and a body")
                continue
            _check_placeholders(reader, f"{label}.rendering.{tag}.subject", parts["subject"])
            _check_placeholders(reader, f"{label}.rendering.{tag}.body", parts["body"])
            rendering[LANGUAGES[tag]] = {"subject": parts["subject"], "text": parts["body"]}
        elif isinstance(value, str) and value.strip():
            _check_placeholders(reader, f"{label}.rendering.{tag}", value)
            rendering[LANGUAGES[tag]] = {"subject": "", "text": value}
        else:
            reader.problem(f"{label}.rendering.{tag}", "must be a non-empty text")
    for tag in reader.languages:
        if tag != "en" and tag not in raw:
            reader.problem(f"{label}.rendering", f"missing the {tag} rendering")
    return rendering
