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

from urge.campaigns.markdown import check_link, check_markdown

CAMPAIGN_FILE = "campaign.yaml"
# Campaign folders use BCP 47 tags; Django's language codes are their lower-case forms.
LANGUAGES = {"en": "en", "zh-Hant": "zh-hant"}
REQUIRED_LANGUAGE = "en"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TOP_LEVEL = {
    "slug",
    "default",
    "languages",
    "opens",
    "closes",
    "chambers",
    "title",
    "ask",
    "steps",
    "bill",
    "cohosts",
    "sections",
}
CHAMBERS = ("senate", "house")
BILL_FIELDS = {"name", "number", "congress", "url", "status", "status_as_of", "status_source"}

Text = dict[str, str]  # Django language code -> text


@dataclass(frozen=True)
class Problem:
    file: str
    where: str
    message: str

    def __str__(self) -> str:
        place = f"{self.file}: {self.where}" if self.where else self.file
        return f"{place}: {self.message}"


class FolderError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


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
    chambers: tuple[str, ...]
    title: Text
    ask: Text
    steps: list[StepSpec]
    bill: BillSpec
    cohosts: list[CoHostSpec]
    sections: list[SectionSpec] = field(default_factory=list)


class _Reader:
    """Collects problems while pulling typed values out of the parsed YAML."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problems: list[Problem] = []
        self.languages: list[str] = []

    def problem(self, where: str, message: str, file: str = CAMPAIGN_FILE) -> None:
        self.problems.append(Problem(str(self.folder / file), where, message))

    def string(self, data: dict[str, Any], key: str, where: str) -> str:
        value = data.get(key)
        if value is None:
            self.problem(where, "missing field")
            return ""
        if not isinstance(value, str | int) or isinstance(value, bool) or str(value).strip() == "":
            self.problem(where, f"must be a non-empty text, not {value!r}")
            return ""
        return str(value).strip()

    def slug(self, data: dict[str, Any], key: str, where: str) -> str:
        value = self.string(data, key, where)
        if value and not SLUG.match(value):
            self.problem(where, f"{value!r} is not a slug (lower-case letters, digits, hyphens)")
        return value

    def url(self, data: dict[str, Any], key: str, where: str) -> str:
        value = self.string(data, key, where)
        if value and (reason := check_link(value)):
            self.problem(where, f"{value!r} is not a valid URL ({reason})")
        return value

    def date(self, data: dict[str, Any], key: str, where: str) -> datetime.date | None:
        value = data.get(key)
        if value is None:
            self.problem(where, "missing field")
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            self.problem(where, f"{value!r} is not a date (write it as YYYY-MM-DD)")
            return None

    def integer(self, data: dict[str, Any], key: str, where: str) -> int:
        value = data.get(key)
        if value is None:
            self.problem(where, "missing field")
            return 0
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            self.problem(where, f"must be a positive whole number, not {value!r}")
            return 0
        return value

    def text(self, data: dict[str, Any], key: str, where: str) -> Text:
        """A translatable value: one non-empty text for every language of the campaign."""
        value = data.get(key)
        if value is None:
            self.problem(where, "missing field")
            return {}
        if not isinstance(value, dict):
            self.problem(where, "must give a text per language, e.g. `en: ...` and `zh-Hant: ...`")
            return {}
        texts: Text = {}
        for tag, text in value.items():
            if tag not in LANGUAGES:
                self.problem(f"{where}.{tag}", f"unknown language {tag!r}; {self.known()}")
            elif tag not in self.languages:
                self.problem(f"{where}.{tag}", f"{tag!r} is not in the campaign's languages")
            elif not isinstance(text, str) or not text.strip():
                self.problem(f"{where}.{tag}", "must be a non-empty text")
            else:
                texts[LANGUAGES[tag]] = text.strip()
        for tag in self.languages:
            if tag not in value:
                self.problem(where, f"missing the {tag} text")
        return texts

    def mapping(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.problem(where, "must be a mapping of fields")
            return {}
        return value

    def sequence(self, data: dict[str, Any], key: str, where: str) -> list[Any]:
        value = data.get(key)
        if value is None:
            self.problem(where, "missing field")
            return []
        if not isinstance(value, list) or not value:
            self.problem(where, "must be a non-empty list")
            return []
        return value

    def unknown_fields(self, data: dict[str, Any], known: set[str], where: str) -> None:
        for key in data:
            if key not in known:
                self.problem(f"{where}{key}", "unknown field")

    @staticmethod
    def known() -> str:
        return "known languages: " + ", ".join(LANGUAGES)


def read_campaign_folder(folder: Path) -> CampaignSpec:
    """The campaign described by `folder`, or FolderError listing every problem in it."""
    reader = _Reader(folder)
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
    spec = CampaignSpec(
        slug=reader.slug(data, "slug", "slug"),
        default=default is True,
        languages=[LANGUAGES[tag] for tag in reader.languages],
        opens=opens or datetime.date.min,
        closes=closes,
        chambers=_read_chambers(reader, data),
        title=reader.text(data, "title", "title"),
        ask=reader.text(data, "ask", "ask"),
        steps=_read_steps(reader, data),
        bill=_read_bill(reader, data),
        cohosts=_read_cohosts(reader, data),
        sections=_read_sections(reader, data),
    )
    if reader.problems:
        raise FolderError(reader.problems)
    return spec


def _load_yaml(reader: _Reader) -> dict[str, Any] | None:
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


def _read_languages(reader: _Reader, data: dict[str, Any]) -> None:
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


def _read_chambers(reader: _Reader, data: dict[str, Any]) -> tuple[str, ...]:
    """Which of the supporter's own legislators the campaign targets (both unless said)."""
    if "chambers" not in data:
        return CHAMBERS
    chambers = reader.sequence(data, "chambers", "chambers")
    for index, chamber in enumerate(chambers):
        if chamber not in CHAMBERS:
            reader.problem(f"chambers[{index}]", f"{chamber!r} is not one of: senate, house")
    return tuple(chamber for chamber in CHAMBERS if chamber in chambers)


def _read_steps(reader: _Reader, data: dict[str, Any]) -> list[StepSpec]:
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


def _read_bill(reader: _Reader, data: dict[str, Any]) -> BillSpec:
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


def _read_cohosts(reader: _Reader, data: dict[str, Any]) -> list[CoHostSpec]:
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


def _read_sections(reader: _Reader, data: dict[str, Any]) -> list[SectionSpec]:
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


def _read_section(reader: _Reader, key: str) -> SectionSpec:
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


def _report_strays(reader: _Reader, keys: set[str]) -> None:
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
