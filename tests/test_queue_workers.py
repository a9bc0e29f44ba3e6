"""Queue workers as production runs them: several `urge db_worker` processes on one queue, and
one killed with SIGKILL in the middle of a batch, or one kept so long by a slow mail server
that its task is given to another while it still sends. Every email arrives once; the one
exception is an email the mail server took in the instant before the killed worker could
record it, which goes again, as the same message (the same Message-ID). On SQLite, or on a
scratch PostgreSQL database when DATABASE_URL is set; the mail server is tests/smtp.py's."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator

import pytest

from tests import smtp
from tests.smtp import SmtpServer
from tests.workers import (
    QueueState,
    mail_to,
    queue_state,
    scratch_site,
    sign_up,
    start_worker,
    stop,
)

# A short lease, so that a killed worker's task is put back within seconds.
LEASE = "2"
smtp_server = smtp.smtp_server  # the fixture, where pytest looks for it


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    var = tmp_path_factory.mktemp("queue") / "var"
    with scratch_site(var, os.environ.get("DATABASE_URL", "")) as env:
        yield env


def arrivals(server: SmtpServer, prefix: str) -> Counter[str]:
    """How many times each address of this test got an email."""
    return Counter(a for rs in server.recipients for a in rs if a.startswith(prefix))


def everyone(prefix: str, count: int) -> Counter[str]:
    return Counter(f"{prefix}{n}@example.org" for n in range(count))


def kill(worker: subprocess.Popen[bytes]) -> None:
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)


def test_several_workers_share_the_batches_and_each_email_goes_once(
    site: dict[str, str], smtp_server: SmtpServer
) -> None:
    env = mail_to(site, smtp_server.port, URGE_TASK_LEASE_SECONDS="120")
    sign_up(env, 200, "many")  # four batches of fifty
    workers = [start_worker(env) for _ in range(3)]
    try:
        smtp_server.wait_for(200, timeout=60)
    finally:
        stop(workers)

    assert arrivals(smtp_server, "many") == everyone("many", 200)
    assert smtp_server.connections == 4
    state = queue_state(env)
    assert (state.unfinished, state.failed, state.most_claims) == (0, 0, 1)
    assert len(state.workers) >= 2


def test_a_worker_killed_mid_batch_leaves_its_task_to_another_that_sends_the_rest_once(
    site: dict[str, str], smtp_server: SmtpServer
) -> None:
    env = mail_to(site, smtp_server.port, URGE_TASK_LEASE_SECONDS=LEASE)
    sign_up(env, 120, "killed")  # batches of 50, 50 and 20
    first = start_worker(env)

    def kill_while_it_waits_for_the_server(taken: int) -> None:
        if taken == 20 and first.poll() is None:  # naming the 21st recipient
            kill(first)

    smtp_server.on_recipient = kill_while_it_waits_for_the_server
    first.wait(timeout=30)
    assert first.returncode == -signal.SIGKILL
    second = start_worker(env)
    try:
        smtp_server.wait_for(120, timeout=30)
    finally:
        stop([second])

    assert arrivals(smtp_server, "killed") == everyone("killed", 120)
    state = queue_state(env)
    assert (state.unfinished, state.failed, state.most_claims) == (0, 0, 2)


def test_a_worker_killed_after_the_server_took_an_email_but_before_recording_it(
    site: dict[str, str], smtp_server: SmtpServer
) -> None:
    """SMTP's old gap (RFC 1047): the server has the message, the sender never hears "250".
    That one email goes twice, as one message; none other does."""
    env = mail_to(site, smtp_server.port, URGE_TASK_LEASE_SECONDS=LEASE)
    sign_up(env, 60, "gap")
    first = start_worker(env)

    def kill_before_the_answer(taken: int) -> None:
        if taken == 20 and first.poll() is None:
            kill(first)

    smtp_server.on_taken = kill_before_the_answer
    first.wait(timeout=30)
    second = start_worker(env)
    try:
        smtp_server.wait_for(61, timeout=30)
    finally:
        stop([second])

    got = arrivals(smtp_server, "gap")
    twice = [address for address, times in got.items() if times == 2]
    assert len(twice) == 1
    assert got == everyone("gap", 60) + Counter(twice)
    # Both copies carry one Message-ID.
    (_one_id,) = {m["Message-ID"] for m in smtp_server.messages if m["To"] == twice[0]}
    assert queue_state(env).unfinished == 0


def drained(env: dict[str, str], timeout: float) -> QueueState:
    """The queue's state once no task is waiting or running; fails the test after `timeout`."""
    deadline = time.monotonic() + timeout
    while (state := queue_state(env)).unfinished and time.monotonic() < deadline:
        time.sleep(0.5)
    assert state.unfinished == 0, "the queue was not emptied in time"
    return state


def test_a_worker_too_slow_for_its_lease_and_the_one_given_its_task_send_each_email_once(
    site: dict[str, str], smtp_server: SmtpServer
) -> None:
    """A mail server keeps the first worker waiting on one email past its task's lease, and
    another worker runs the same batch meanwhile: it leaves that email to the worker that
    claimed it, sends the rest, and looks at it again once the claim could have run out."""
    lease = 12  # the batch begins no email after 6 s; the lease is checked every 3 s
    env = mail_to(site, smtp_server.port, URGE_TASK_LEASE_SECONDS=str(lease), EMAIL_TIMEOUT="20")
    sign_up(env, 8, "slow")
    # A second and a half per email for the first three, so that the fourth is claimed some
    # 4.5 s into the task: before the batch's time is up, and late enough that its claim
    # still holds when the task is given to the other worker, 12 to 15 s in. The fourth
    # waits for the other worker to name the fifth: without claims, it would have sent the
    # fourth itself.
    smtp_server.slow = {f"slow{n}@example.org": 1.5 for n in range(3)}
    smtp_server.held = {"slow3@example.org": "slow4@example.org"}
    before = queue_state(env)  # the module's other tests share the site
    workers = [start_worker(env) for _ in range(2)]
    try:
        smtp_server.wait_for(8, timeout=60)
        state = drained(env, timeout=3 * lease)
    finally:
        stop(workers)

    assert arrivals(smtp_server, "slow") == everyone("slow", 8)
    assert state.reclaimed > before.reclaimed  # the task was given to the other worker
    assert state.failed == before.failed
