"""The locked dependencies against the advisories kept in docs/advisories.toml (offline)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
LOCKS = [ROOT / "requirements.lock", ROOT / "requirements-dev.lock"]
ADVISORIES = ROOT / "docs" / "advisories.toml"
PINNED = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s\\;]+)", re.MULTILINE)


@dataclass(frozen=True)
class Advisory:
    id: str
    package: str
    affected: SpecifierSet
    fixed: str

    def applies_to(self, package: str, version: str) -> bool:
        return package == self.package and Version(version) in self.affected


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name.split("[")[0]).lower()


def locked(text: str) -> dict[str, str]:
    return {canonical(name): version for name, version in PINNED.findall(text)}


def advisories() -> list[Advisory]:
    entries = tomllib.loads(ADVISORIES.read_text())["advisory"]
    return [
        Advisory(e["id"], canonical(e["package"]), SpecifierSet(e["affected"]), e["fixed"])
        for e in entries
    ]


def vulnerable(pins: dict[str, str], known: list[Advisory]) -> list[str]:
    return [
        f"{package}=={version}: {advisory.id} (fixed in {advisory.fixed})"
        for package, version in sorted(pins.items())
        for advisory in known
        if advisory.applies_to(package, version)
    ]


@pytest.mark.parametrize("lock", LOCKS, ids=lambda path: path.name)
def test_no_locked_package_has_a_known_advisory(lock: Path) -> None:
    pins = locked(lock.read_text())
    assert "django" in pins
    assert vulnerable(pins, advisories()) == []


def test_the_check_finds_an_affected_version() -> None:
    pins = locked("django==5.2.5 \\\n    --hash=sha256:00\nPyYAML==5.3.1 \\\n")
    assert vulnerable(pins, advisories()) == [
        "django==5.2.5: CVE-2025-57833 (fixed in 5.2.6)",
        "django==5.2.5: CVE-2025-59681 (fixed in 5.2.7)",
        "django==5.2.5: CVE-2025-59682 (fixed in 5.2.7)",
        "django==5.2.5: CVE-2025-64459 (fixed in 5.2.8)",
        "pyyaml==5.3.1: CVE-2020-14343 (fixed in 5.4)",
    ]


def test_every_advisory_names_a_fixed_version_outside_its_range() -> None:
    for advisory in advisories():
        assert Version(advisory.fixed) not in advisory.affected, advisory.id
