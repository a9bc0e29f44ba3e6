"""The overrides file: organisers' contact details in YAML, checked with errors naming the line.

    # Contact details the official data lacks, by Bioguide ID.
    M001111:
      bluesky:
        value: "@pattymurray.bsky.social"
        source: https://bsky.app/profile/pattymurray.bsky.social
        date: 2026-01-10

The file is read as YAML nodes rather than loaded, so that every error can name its line,
and so that YAML's own guesses (a date, a number, `no`) never change what was written.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from urge.legislators.handles import FIELDS, LABELS, InvalidContact, clean, clean_date
from urge.legislators.models import ContactOverride
from urge.legislators.overrides import Entry
from urge.legislators.untrusted import is_web_url

BIOGUIDE = re.compile(r"[A-Z][0-9]{6}")
KEYS = ("value", "source", "date")
MAX_SOURCE = 500


class OverrideFileError(Exception):
    """The file cannot be used; `problems` holds one line per problem, each naming its line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Located:
    entry: Entry
    line: int


def read_file(path: Path) -> list[Located]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise OverrideFileError([f"{path}: cannot be read ({error})."]) from None
    return parse(text, str(path))


def parse(text: str, name: str) -> list[Located]:
    """Every entry of the file, or OverrideFileError listing every problem found."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        reason = getattr(error, "problem", None) or str(error)
        raise OverrideFileError([f"{name}{where}: not valid YAML ({reason})."]) from None
    if root is None:
        return []
    reader = _Reader(name)
    entries = reader.read(root)
    if reader.problems:
        ordered = sorted(reader.problems, key=lambda problem: problem[0])
        raise OverrideFileError([f"{name}, line {line}: {message}" for line, message in ordered])
    return entries


class _Reader:
    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[tuple[int, str]] = []  # in file order once sorted

    def problem(self, node: yaml.Node, message: str) -> None:
        self.problems.append((node.start_mark.line + 1, message))

    def read(self, root: yaml.Node) -> list[Located]:
        entries: list[Located] = []
        for key, details in self.pairs(root, "the file") or []:
            bioguide = key.value
            if not BIOGUIDE.fullmatch(bioguide):
                self.problem(key, f"{bioguide!r} is not a Bioguide ID, such as M001111.")
                continue
            for detail, fields in self.pairs(details, bioguide) or []:
                entry = self.entry(bioguide, detail, fields)
                if entry is not None:
                    entries.append(Located(entry, detail.start_mark.line + 1))
        return entries

    def pairs(self, node: yaml.Node, what: str) -> list[tuple[yaml.ScalarNode, yaml.Node]] | None:
        """A mapping's keys and values, keys as plain text, each key once."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"Expected a mapping of names to values in {what}.")
            return None
        seen: set[str] = set()
        found = []
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                self.problem(key, f"A key in {what} should be plain text.")
            elif key.value in seen:
                self.problem(key, f"{key.value!r} appears twice in {what}.")
            else:
                seen.add(key.value)
                found.append((key, value))
        return found

    def entry(self, bioguide: str, detail: yaml.ScalarNode, node: yaml.Node) -> Entry | None:
        field, where = detail.value, f"{bioguide} {detail.value}"
        if field not in FIELDS:
            self.problem(detail, f"{field!r} is not a detail an override can set: {_fields()}.")
            return None
        given = {key.value: value for key, value in self.pairs(node, where) or []}
        if not isinstance(node, yaml.MappingNode):
            return None
        for key, node_given in given.items():
            if key not in KEYS:
                self.problem(
                    node_given, f"{where}: unknown key {key!r} (use value, source and date)."
                )
        texts = {key: self.text(given[key], f"{where} {key}") for key in KEYS if key in given}
        for key in KEYS:
            if not texts.get(key):
                self.problem(detail, f"{where}: the {key} is missing.")
        if len(texts) < len(KEYS) or not all(texts.values()):
            return None
        value, checked_on = self.checked(field, texts, given, where)
        if self.bad_source(texts["source"], given["source"], where):
            return None
        if not value or checked_on is None:
            return None
        return Entry(bioguide, field, value, texts["source"], checked_on)

    def checked(
        self, field: str, texts: dict[str, str], given: dict[str, yaml.Node], where: str
    ) -> tuple[str, datetime.date | None]:
        value, checked_on = "", None
        try:
            value = clean(field, texts["value"])
        except InvalidContact as error:
            self.problem(given["value"], f"{where}: {texts['value']!r}: {error}")
        try:
            checked_on = clean_date(texts["date"])
        except InvalidContact as error:
            self.problem(given["date"], f"{where}: {texts['date']!r}: {error}")
        return value, checked_on

    def bad_source(self, source: str, node: yaml.Node, where: str) -> bool:
        if len(source) > MAX_SOURCE:
            self.problem(node, f"{where}: the source is longer than {MAX_SOURCE} characters.")
            return True
        if source.startswith(("http:", "https:")) and not is_web_url(source):
            self.problem(node, f"{where}: the source {source!r} is not a web address.")
            return True
        return False

    def text(self, node: yaml.Node, what: str) -> str:
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, f"{what} should be plain text.")
            return ""
        return str(node.value).strip()


def _fields() -> str:
    return ", ".join(f"{field} ({LABELS[field]})" for field in FIELDS)


def dump() -> str:
    """Every override now stored, in the file's own format (to keep, move or edit)."""
    lines = ["# Contact details organisers added, by Bioguide ID (urge overrides load FILE)."]
    last = ""
    for row in ContactOverride.objects.order_by("bioguide", "field"):
        if row.bioguide != last:
            lines.append(f"{row.bioguide}:")
            last = row.bioguide
        lines.append(f"  {row.field}:")
        lines.append(f"    value: {_quoted(row.value)}")
        lines.append(f"    source: {_quoted(row.source)}")
        lines.append(f"    date: {row.checked_on.isoformat()}")
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    return yaml.safe_dump(text, default_style='"', width=10_000).strip()
