"""Compile the translations into the wheel, so that an installed `urge` speaks every language.

The catalogues are kept as .po text in locale/ (the compiled .mo is never committed). A wheel
carries only the `urge` package, so this hook compiles each catalogue with gettext's msgfmt (as
`urge compilemessages` does) into a folder of its own and adds the result to the wheel as
urge/locale/, where urge/settings.py looks first. An editable install reads the source tree's
locale/ instead, compiled by `make`, so it needs nothing from here.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.config import BuilderConfig
from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompiledTranslations(BuildHookInterface[BuilderConfig]):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version == "editable":
            return
        msgfmt = shutil.which("msgfmt")
        if msgfmt is None:
            raise RuntimeError("Building the wheel needs msgfmt: install gettext.")
        self._compiled = Path(tempfile.mkdtemp(prefix="urge-mo-"))
        source = Path(self.root) / "locale"
        for catalogue in sorted(source.glob("*/LC_MESSAGES/*.po")):
            relative = catalogue.relative_to(source).with_suffix(".mo")
            target = self._compiled / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run([msgfmt, "--check", "-o", str(target), str(catalogue)], check=True)  # noqa: S603
            build_data["force_include"][str(target)] = f"urge/locale/{relative.as_posix()}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        compiled = getattr(self, "_compiled", None)
        if compiled is not None:
            shutil.rmtree(compiled, ignore_errors=True)
