"""Shared fixtures: the example campaign, as a folder and as loaded data."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections
from django.test import override_settings
from django.utils import translation

from tests.legislator_sample import POSTAL_ZIPS, write_sample
from urge.campaigns.folder import read_campaign_folder
from urge.campaigns.loading import save_campaign
from urge.campaigns.models import Campaign
from urge.core import sharedcounts
from urge.core.httpcache import HttpCache
from urge.core.memo import forget_all
from urge.core.unreadable import WSGIHandler
from urge.legislators.answers import GEOCODER_BREAKER
from urge.legislators.index import index_holder
from urge.legislators.models import DataRelease
from urge.legislators.sync import commit_release, read_snapshot

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


@pytest.fixture
def sample_data(tmp_path: Path) -> Path:
    """The made-up release of tests/legislator_sample.py, as files."""
    return write_sample(tmp_path / "data")


@pytest.fixture
def release(db: None, sample_data: Path) -> Iterator[DataRelease]:
    """The sample release, imported and active; each process's index forgets it afterwards."""
    index_holder.forget()
    snapshot = read_snapshot(sample_data, lambda _message: None, POSTAL_ZIPS)
    yield commit_release(snapshot, lambda _message: None)
    index_holder.forget()


def pytest_sessionstart(session: pytest.Session) -> None:
    # The Traditional Chinese page needs the compiled catalogue; build it as `make` does.
    call_command("compilemessages", ignore_patterns=[".venv", "node_modules"], verbosity=0)


@pytest.fixture(autouse=True)
def _nothing_remembered_between_tests(tmp_path: Path) -> Iterator[None]:
    # Each test's supporters' data keys in a folder of its own: rotating or destroying keys
    # in one test touches no other.
    with override_settings(URGE_KEY_DIR=str(tmp_path / "keys")):
        yield
    forget_all()
    sharedcounts.forget()
    GEOCODER_BREAKER.reset()
    # A request to a /zh-hant/ page leaves its language active in the thread, as it does in a
    # server's (where the next request sets its own); the next test starts in English.
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def site() -> Iterator[HttpCache]:
    """The production stack. As Django's test client does, requests leave the test's own
    connection open (on PostgreSQL, closing it would end the test's transaction)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield HttpCache(WSGIHandler())  # urge/wsgi.py's handler
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)
