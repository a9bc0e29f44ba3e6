"""Reading and checking a campaign folder: campaign.yaml plus Markdown per language.

Reading never stops at the first problem: every problem found is reported with
the file and the place in it, so an organiser can fix them all in one go.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from urge.campaigns.checks import (
    CAMPAIGN_FILE,
    LANGUAGES,
    SLUG,
    FolderError,
    Reader,
    Text,
)
from urge.campaigns.folder_messages import TemplateSpec, read_messages
from urge.campaigns.folder_targets import (
    StanceKindSpec,
    StanceSpec,
    TargetRules,
    read_stance_kinds,
    read_stances,
    read_targets,
)
from urge.campaigns.markdown import check_markdown
from urge.campaigns.origins import origin_problems

REQUIRED_LANGUAGE = "en"
TOP_LEVEL = {
    "slug",
    "default",
    "languages",
    "opens",
    "closes",
    "targets",
    "stances",
    "stance_kinds",
    "title",
    "ask",
    "steps",
    "bill",
    "cohosts",
    "sections",
    "embed_origins",
}
BILL_FIELDS = {"name", "number", "congress", "url", "status", "status_as_of", "status_source"}


@dataclass(frozen=True)
class StepSpec:
    title: Text
    detail: Text


@dataclass(frozen=True)
class BillSpec:
    name: Text
    number: str
    congress: int
    url: str
    status: Text
    status_as_of: datetime.date
    status_source: str


@dataclass(frozen=True)
class CoHostSpec:
    slug: str
    name: Text
    url: str


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: Text
    body: Text


@dataclass(frozen=True)
class CampaignSpec:
    slug: str
    default: bool
    languages: list[str]
    opens: datetime.date
    closes: datetime.date | None
    targets: TargetRules
    title: Text
    ask: Text
    steps: list[StepSpec]
    bill: BillSpec
    cohosts: list[CoHostSpec]
    sections: list[SectionSpec] = field(default_factory=list)
    stances: tuple[StanceSpec, ...] = ()
    # The stances the campaign adds to the four every campaign has.
    stance_kinds: tuple[StanceKindSpec, ...] = ()
    messages: tuple[TemplateSpec, ...] = ()
    # The sites that may show the action in a frame (urge/campaigns/origins.py).
    embed_origins: tuple[str, ...] = ()


def read_campaign_folder(folder: Path) -> CampaignSpec:
    """The campaign described by `folder`, or FolderError listing every problem in it."""
    reader = Reader(folder)
    if not folder.is_dir():
        reader.problem("", "is not a folder", file="")
        raise FolderError(reader.problems)
    data = _load_yaml(reader)
    if data is None:
        raise FolderError(reader.problems)

    reader.unknown_fields(data, TOP_LEVEL, "")
    _read_languages(reader, data)
    opens = reader.date(data, "opens", "opens")
    closes = reader.date(data, "closes", "closes") if "closes" in data else None
    if opens and closes and closes < opens:
        reader.problem("closes", f"{closes} is before the opening date {opens}")
    default = data.get("default", False)
    if not isinstance(default, bool):
        reader.problem("default", f"must be true or false, not {default!r}")
    kinds = read_stance_kinds(reader, data)
    spec = CampaignSpec(
        slug=reader.slug(data, "slug", "slug"),
        default=default is True,
        languages=[LANGUAGES[tag] for tag in reader.languages],
        opens=opens or datetime.date.min,
        closes=closes,
        targets=read_targets(reader, data),
        title=reader.text(data, "title", "title"),
        ask=reader.text(data, "ask", "ask"),
        steps=_read_steps(reader, data),
        bill=_read_bill(reader, data),
        cohosts=_read_cohosts(reader, data),
        sections=_read_sections(reader, data),
        stances=read_stances(reader, data, kinds),
        stance_kinds=kinds,
        messages=read_messages(reader, kinds),
        embed_origins=_read_embed_origins(reader, data),
    )
    if reader.problems:
        raise FolderError(reader.problems)
    return spec


def _load_yaml(reader: Reader) -> dict[str, Any] | None:
    path = reader.folder / CAMPAIGN_FILE
    if not path.is_file():
        reader.problem("", "missing (every campaign folder needs one)")
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        reader.problem("", "is not UTF-8 text")
        return None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        reader.problem(where, f"is not valid YAML ({getattr(error, 'problem', error)})")
        return None
    if not isinstance(data, dict):
        reader.problem("", "must be a mapping of fields (slug, title, ...)")
        return None
    return data


def _read_languages(reader: Reader, data: dict[str, Any]) -> None:
    tags = reader.sequence(data, "languages", "languages")
    for index, tag in enumerate(tags):
        if tag not in LANGUAGES:
            reader.problem(f"languages[{index}]", f"unknown language {tag!r}; {reader.known()}")
        elif tag in reader.languages:
            reader.problem(f"languages[{index}]", f"{tag!r} is listed twice")
        else:
            reader.languages.append(tag)
    if tags and REQUIRED_LANGUAGE not in reader.languages:
        reader.problem("languages", f"must include {REQUIRED_LANGUAGE!r}, the site's default")


def _read_steps(reader: Reader, data: dict[str, Any]) -> list[StepSpec]:
    steps = []
    for index, item in enumerate(reader.sequence(data, "steps", "steps")):
        where = f"steps[{index}]"
        step = reader.mapping(item, where)
        reader.unknown_fields(step, {"title", "detail"}, f"{where}.")
        steps.append(
            StepSpec(
                title=reader.text(step, "title", f"{where}.title"),
                detail=reader.text(step, "detail", f"{where}.detail"),
            )
        )
    return steps


def _read_bill(reader: Reader, data: dict[str, Any]) -> BillSpec:
    bill = reader.mapping(data.get("bill"), "bill") if "bill" in data else {}
    if "bill" not in data:
        reader.problem("bill", "missing field")
    reader.unknown_fields(bill, BILL_FIELDS, "bill.")
    return BillSpec(
        name=reader.text(bill, "name", "bill.name") if bill else {},
        number=reader.string(bill, "number", "bill.number") if bill else "",
        congress=reader.integer(bill, "congress", "bill.congress") if bill else 0,
        url=reader.url(bill, "url", "bill.url") if bill else "",
        status=reader.text(bill, "status", "bill.status") if bill else {},
        status_as_of=(reader.date(bill, "status_as_of", "bill.status_as_of") if bill else None)
        or datetime.date.min,
        status_source=reader.url(bill, "status_source", "bill.status_source") if bill else "",
    )


def _read_cohosts(reader: Reader, data: dict[str, Any]) -> list[CoHostSpec]:
    cohosts: list[CoHostSpec] = []
    for index, item in enumerate(reader.sequence(data, "cohosts", "cohosts")):
        where = f"cohosts[{index}]"
        cohost = reader.mapping(item, where)
        reader.unknown_fields(cohost, {"slug", "name", "url"}, f"{where}.")
        slug = reader.slug(cohost, "slug", f"{where}.slug")
        if slug and slug in {other.slug for other in cohosts}:
            reader.problem(f"{where}.slug", f"{slug!r} is used by another co-host")
        cohosts.append(
            CoHostSpec(
                slug=slug,
                name=reader.text(cohost, "name", f"{where}.name"),
                url=reader.url(cohost, "url", f"{where}.url"),
            )
        )
    return cohosts


def _read_embed_origins(reader: Reader, data: dict[str, Any]) -> tuple[str, ...]:
    """Optional: without it, no other site may embed the action."""
    values = data.get("embed_origins", [])
    problems = origin_problems(values)
    for index, message in problems:
        reader.problem("embed_origins" if index is None else f"embed_origins[{index}]", message)
    return () if problems else tuple(values)


def _read_sections(reader: Reader, data: dict[str, Any]) -> list[SectionSpec]:
    keys: list[str] = []
    for index, key in enumerate(reader.sequence(data, "sections", "sections")):
        where = f"sections[{index}]"
        if not isinstance(key, str) or not SLUG.match(key):
            reader.problem(where, f"{key!r} is not a section name (the Markdown file's name)")
        elif key in keys:
            reader.problem(where, f"{key!r} is listed twice")
        else:
            keys.append(key)
    sections = [_read_section(reader, key) for key in keys]
    _report_strays(reader, set(keys))
    return sections


def _read_section(reader: Reader, key: str) -> SectionSpec:
    titles: Text = {}
    bodies: Text = {}
    for tag in reader.languages:
        relative = f"{tag}/{key}.md"
        path = reader.folder / relative
        if not path.is_file():
            reader.problem("", "missing (the section is listed in campaign.yaml)", file=relative)
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            reader.problem("", "is not UTF-8 text", file=relative)
            continue
        title, body = split_title(text)
        if not title:
            reader.problem("line 1", "must start with the section title as `# Title`", relative)
        if not body.strip():
            reader.problem("", "has a title but no text", file=relative)
        for message in check_markdown(body):
            reader.problem("", _offset_line(message, 1 if title else 0), file=relative)
        titles[LANGUAGES[tag]] = title
        bodies[LANGUAGES[tag]] = body
    return SectionSpec(key=key, title=titles, body=bodies)


def split_title(text: str) -> tuple[str, str]:
    """The `# Title` on the first line, and the Markdown after it."""
    first, _newline, rest = text.lstrip("\ufeff").partition("\n")
    if first.startswith("# "):
        return first[2:].strip(), rest
    return "", text


def _offset_line(message: str, offset: int) -> str:
    # check_markdown counts lines in the body; authors count them in the file.
    match = re.match(r"line (\d+): ", message)
    if not match:
        return message
    return f"line {int(match[1]) + offset}: {message[match.end() :]}"


def _report_strays(reader: Reader, keys: set[str]) -> None:
    for child in sorted(reader.folder.iterdir()):
        if child.is_dir() and not child.name.startswith("."):
            if child.name not in LANGUAGES:
                reader.problem("", f"unknown language folder; {reader.known()}", file=child.name)
            elif child.name in reader.languages:
                for markdown in sorted(child.glob("*.md")):
                    if markdown.stem not in keys:
                        reader.problem(
                            "",
                            "is not listed under `sections` in campaign.yaml",
                            file=f"{child.name}/{markdown.name}",
                        )
