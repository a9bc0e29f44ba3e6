"""Checks several browser tests make of pages: valid HTML, as html-validate reads it."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HTML_VALIDATE = ROOT / "node_modules" / ".bin" / "html-validate"


def assert_valid_html(files: list[str]) -> None:
    """Every saved page passes html-validate with the project's configuration."""
    result = subprocess.run(
        [
            str(HTML_VALIDATE),
            "--config",
            str(ROOT / ".htmlvalidate.json"),
            "--formatter=text",
            *files,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
