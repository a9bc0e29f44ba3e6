"""Browser tests: Debian's Chromium, driven by Playwright, against `urge serve`."""

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.server import served_site_and_environment
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
    # No --disable-features here: Chromium reads only the last such switch, and Playwright
    # passes its own list (features it turns off so that pages close and navigate reliably).
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
def served(
    tmp_path_factory: pytest.TempPathFactory, mail: SmtpServer
) -> Iterator[tuple[str, dict[str, str]]]:
    """The served site's base URL, and its environment, for `urge` commands on its database."""
    with served_site_and_environment(tmp_path_factory.mktemp("served"), mail.port) as found:
        yield found


@pytest.fixture(scope="session")
def site(served: tuple[str, dict[str, str]]) -> str:
    return served[0]


# Package scope: Playwright's sync API leaves its event loop marked as running in this thread
# until it stops, and Django refuses database work in a thread with a running loop
# (SynchronousOnlyOperation), so the browser stops when the browser tests are done.
@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)"
        )
    with _driver_debug():
        playwright = sync_playwright().start()
    try:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
    finally:
        playwright.stop()


@contextmanager
def _driver_debug() -> Iterator[None]:
    """PLAYWRIGHT_DEBUG=pw:api logs each Playwright call (Playwright reads DEBUG, which Django's
    settings read as a boolean, so it is set only while the driver starts)."""
    wanted = os.environ.get("PLAYWRIGHT_DEBUG")
    if not wanted:
        yield
        return
    before = os.environ.get("DEBUG")
    os.environ["DEBUG"] = wanted
    try:
        yield
    finally:
        if before is None:
            del os.environ["DEBUG"]
        else:
            os.environ["DEBUG"] = before


# A browser test that takes longer than this is stuck: Playwright's calls that wait on
# Chromium (new_page, close) have no timeout of their own.
STUCK_SECONDS = float(os.environ.get("URGE_TEST_STUCK_SECONDS", "240"))


@pytest.fixture(autouse=True)
def _unstick(request: pytest.FixtureRequest) -> Iterator[None]:
    """If a browser test is stuck, print the browser's processes, then kill the browser, so
    that the test fails with Playwright's "closed" error instead of holding the run."""
    if "browser" not in request.node.keywords:
        yield
        return
    timer = threading.Timer(STUCK_SECONDS, _kill_our_chromium, args=(request.node.nodeid,))
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def _kill_our_chromium(nodeid: str) -> None:
    # (Debian's /usr/bin/chromium is a script that runs /usr/lib/chromium/chromium.)
    ours = [
        pid
        for pid in _descendants(os.getpid())
        if Path(_command(pid).split(" ", 1)[0]).name == "chromium"
    ]
    print(f"\n{nodeid} is stuck after {STUCK_SECONDS} s; Chromium's processes:", file=sys.stderr)
    for pid in ours:
        print(f"  {pid}: {_command(pid)[:200]}", file=sys.stderr)
    for pid in ours:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with suppress(OSError, IndexError, ValueError):
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry.name))
    found, waiting = [], [root]
    while waiting:
        for child in children.get(waiting.pop(), []):
            found.append(child)
            waiting.append(child)
    return found


def _command(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    yield context.new_page()
    context.close()
