"""Browser tests: Debian's Chromium, driven by Playwright, against `urge serve`."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.server import served_site
from tests.smtp import SmtpServer

CHROMIUM = "/usr/bin/chromium"
# Without these, Chromium keeps trying to reach Google's services, which this machine
# (and a careful supporter's network) refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Chromium 156 starts an on-device AI model service for some pages; one CI run hung with
    # that service just started. Nothing here needs it (unknown names are ignored).
    "--disable-features=OptimizationGuideOnDeviceModel,OnDeviceModelService,AIPromptAPI,"
    "AISummarizationAPI,AIWriterAPI,AIRewriterAPI,TextSafetyClassifier,OptimizationHints",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def mail() -> Iterator[SmtpServer]:
    """The SMTP server the served site's queue worker sends its emails to."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, mail: SmtpServer) -> Iterator[str]:
    with served_site(tmp_path_factory.mktemp("served"), mail.port) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)"
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    yield context.new_page()
    context.close()
