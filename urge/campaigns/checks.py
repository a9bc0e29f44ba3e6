"""Checking campaign files: collecting every problem, each with its file and place."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from urge.campaigns.markdown import check_link

CAMPAIGN_FILE = "campaign.yaml"
# Campaign folders use BCP 47 tags; Django's language codes are their lower-case forms.
LANGUAGES = {"en": "en", "zh-Hant": "zh-hant"}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

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


class Reader:
    """Collects problems while pulling typed values out of the parsed YAML."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problems: list[Problem] = []
        self.languages: list[str] = []
        self.file = CAMPAIGN_FILE  # the file being read, named in each problem

    def problem(self, where: str, message: str, file: str | None = None) -> None:
        self.problems.append(
            Problem(str(self.folder / (self.file if file is None else file)), where, message)
        )

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
