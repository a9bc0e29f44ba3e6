"""Shared fixtures: the example campaign, as a folder and as loaded data."""

import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from urge.campaigns.folder import read_campaign_folder
from urge.campaigns.loading import save_campaign
from urge.campaigns.models import Campaign

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "campaigns" / "hketo"


@pytest.fixture
def campaign_folder(tmp_path: Path) -> Path:
    """A copy of the example campaign that a test may change."""
    folder = tmp_path / "hketo"
    shutil.copytree(EXAMPLE, folder)
    return folder


@pytest.fixture
def hketo(db: None) -> Campaign:
    return save_campaign(read_campaign_folder(EXAMPLE)).campaign


def pytest_sessionstart(session: pytest.Session) -> None:
    # The Traditional Chinese page needs the compiled catalogue; build it as `make` does.
    call_command("compilemessages", ignore_patterns=[".venv", "node_modules"], verbosity=0)
