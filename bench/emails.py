"""The email benchmark: confirmation emails sent per second by 1 and then 4 queue workers.

A scratch site as `urge` runs it in production (SQLite on disk, or a scratch database on the
PostgreSQL server DATABASE_URL names), URGE_BENCH_EMAILS sign-ups (2,000 unless set) stored
through `signup.submit` and their emails queued as group commits of 500 queue them (batches
of 50), then `urge db_worker` processes sending to a local SMTP server (aiosmtpd, the one the
tests use, in this process). The rate is counted from the first email the server takes to the
last, so the workers' start is left out. Every run checks that each address got exactly one
email. First, for comparison, a quarter as many emails queued each as a task of its own (as
a quiet site's single sign-ups are, and as every email went before batches). Last, a fault
run: two workers, and KILLS times one of them killed with SIGKILL at a random moment and
another started in its place (as `urge serve` does), and the emails counted again (a copy is
possible only if a kill falls between the server taking an email and the worker recording
it; it then carries the same Message-ID).

Before each run the server's ceiling is measured: smtplib sending one prepared message over
and over on one connection, the most this server takes on this machine at that moment; on a
busy machine the ratio to it says more than the rate. Prints a table and writes it to
bench/results/.
"""

from __future__ import annotations

import datetime
import logging
import os
import random
import signal
import smtplib
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.smtp import SmtpServer  # noqa: E402
from tests.workers import (  # noqa: E402
    GROUP,
    mail_to,
    queue_state,
    scratch_site,
    sign_up,
    start_worker,
    stop,
)

EMAILS = int(os.environ.get("URGE_BENCH_EMAILS", "2000"))
WORKERS = (1, 4)
CEILING_MESSAGES = 1000
FAULT_LEASE = "5"  # seconds: the killed worker's task is put back this soon
KILLS = 5
STALLED = 120.0  # seconds without an email arriving


@dataclass(frozen=True)
class Run:
    name: str
    workers: int
    emails: int
    seconds: float
    connections: int
    ceiling: float  # emails/s the server took from smtplib alone, just before
    once: bool  # every address got exactly one email
    copies: int  # emails that arrived more than once
    missing: int
    kills: int  # workers killed with SIGKILL during the run

    @property
    def rate(self) -> float:
        return (self.emails - 1) / self.seconds if self.seconds else 0.0


class Clock:
    """When the mail server took its first and its latest message."""

    def __init__(self) -> None:
        self.first = 0.0
        self.last = 0.0

    def __call__(self, _taken: int) -> None:
        now = time.monotonic()
        self.first = self.first or now
        self.last = now


def sending(
    name: str,
    site: dict[str, str],
    workers: int,
    prefix: str,
    emails: int = EMAILS,
    lease: str = "300",
    kills: int = 0,
    group: int = GROUP,
) -> Run:
    top = ceiling()
    server = SmtpServer()
    server.start()
    clock = Clock()
    server.on_taken = clock
    env = mail_to(site, server.port, URGE_TASK_LEASE_SECONDS=lease)
    try:
        sign_up(env, emails, prefix, group)
        running = [start_worker(env) for _ in range(workers)]
        killed: list[int] = []
        killer = threading.Thread(
            target=_kill_now_and_then,
            args=(running, env, server, emails, kills, killed),
            daemon=True,
        )
        killer.start()
        try:
            _wait_until_done(server, env, running, emails)
        finally:
            killer.join()
            stop(running)
        got = Counter(a for rs in server.recipients for a in rs)
        expected = {f"{prefix}{n}@example.org" for n in range(emails)}
        copies = sum(times - 1 for times in got.values())
        _same_message_ids(server, got)
        return Run(
            name=name,
            workers=workers,
            emails=len(server.messages),
            seconds=clock.last - clock.first,
            connections=server.connections,
            ceiling=top,
            once=set(got) == expected and copies == 0,
            copies=copies,
            missing=len(expected - set(got)),
            kills=len(killed),
        )
    finally:
        server.stop()


def _kill_now_and_then(
    running: list[subprocess.Popen[bytes]],
    env: dict[str, str],
    server: SmtpServer,
    emails: int,
    kills: int,
    killed: list[int],
) -> None:
    """`kills` times, at a random moment while emails are going, SIGKILL one of the workers
    and start another in its place; the process ids killed go in `killed`."""
    while len(killed) < kills and len(server.messages) < emails:
        time.sleep(random.uniform(0.5, 1.5))  # noqa: S311
        alive = [worker for worker in running if worker.poll() is None]
        if len(server.messages) >= emails or not alive:
            return
        victim = random.choice(alive)  # noqa: S311
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait()
        running[running.index(victim)] = start_worker(env)
        killed.append(victim.pid)


def _wait_until_done(
    server: SmtpServer, env: dict[str, str], running: list[subprocess.Popen[bytes]], emails: int
) -> None:
    """Until every email has arrived and the queue has nothing left to run; exits, saying
    what it saw, when nothing arrives for STALLED seconds."""
    seen, since = 0, time.monotonic()
    while len(server.messages) < emails or queue_state(env).unfinished:
        time.sleep(0.5)
        if len(server.messages) > seen:
            seen, since = len(server.messages), time.monotonic()
        elif time.monotonic() - since > STALLED:
            exits = [worker.poll() for worker in running]
            sys.exit(
                f"stalled: {seen} of {emails} emails arrived; workers' exit codes {exits}; "
                f"{queue_state(env)}"
            )


def _same_message_ids(server: SmtpServer, got: Counter[str]) -> None:
    for address, times in got.items():
        if times > 1:
            ids = {m["Message-ID"] for m in server.messages if m["To"] == address}
            if len(ids) != 1:
                sys.exit(f"an email went {times} times as different messages")


def ceiling() -> float:
    """Messages per second the local server takes from smtplib over one connection."""
    server = SmtpServer()
    server.start()
    message = EmailMessage()
    message["From"] = "urge@localhost"
    message["To"] = "ceiling@example.org"
    message["Subject"] = "Confirm your sign-up: a campaign"
    message.set_content("A line of a confirmation email, with a link or two.\n" * 40)
    try:
        with smtplib.SMTP("127.0.0.1", server.port, timeout=10) as client:
            started = time.monotonic()
            for _ in range(CEILING_MESSAGES):
                client.send_message(message)
            seconds = time.monotonic() - started
    finally:
        server.stop()
    return CEILING_MESSAGES / seconds


def table(runs: list[Run]) -> list[str]:
    lines = [
        "| run | workers | emails | seconds | emails/s | x server alone | connections "
        "| exactly once |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in runs:
        verdict = "yes" if r.once else f"NO: {r.copies} copies, {r.missing} missing"
        lines.append(
            f"| {r.name} | {r.workers} | {r.emails:,} | {r.seconds:.1f} | {r.rate:,.0f} "
            f"| {r.rate / r.ceiling:.2f} | {r.connections:,} | {verdict} |"
        )
    return lines


def main() -> None:
    # The server's own log quotes every line received, addresses included.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    database_url = os.environ.get("DATABASE_URL", "")
    database = "PostgreSQL" if database_url else "SQLite"
    started = time.monotonic()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        print(f"Setting up on {database}: migrate, load the campaign...")
        with scratch_site(Path(tmp) / "var", database_url) as site:
            few = max(EMAILS // 4, 10)
            print(f"{few:,} sign-ups, each email a task of its own, then 1 worker...")
            runs = [sending("a task per email (as before)", site, 1, "single-", few, group=1)]
            for workers in WORKERS:
                print(f"{EMAILS:,} sign-ups, then {workers} worker(s) sending...")
                runs.append(sending("batches of 50", site, workers, f"w{workers}-"))
            print(f"{EMAILS:,} sign-ups, then 2 workers, killed now and then with SIGKILL...")
            fault = sending(
                "batches, workers killed", site, 2, "fault-", lease=FAULT_LEASE, kills=KILLS
            )
            state = queue_state(site)
    lines = [
        f"Urge email benchmark, {datetime.date.today()}, {os.cpu_count()} cores, {database}, "
        f"confirmation emails to a local SMTP server (aiosmtpd, in the benchmark's process) "
        f"on the same machine; load average {load:.1f} at the start",
        "",
        *table([*runs, fault]),
        "",
        "x server alone: the rate over what the same server took just before from smtplib "
        f"sending one message {CEILING_MESSAGES:,} times over one connection (the most it "
        "takes on this machine at that moment)",
        f"fault run: {fault.kills} times a worker killed with SIGKILL at a random moment and "
        f"another started; {state.reclaimed} tasks the killed ones held were put back after the "
        f"lease ({FAULT_LEASE} s here, URGE_TASK_LEASE_SECONDS) and finished by another worker: "
        f"{fault.missing} missing, {fault.copies} sent twice (each copy the same message, "
        "with the same Message-ID)",
        f"queue afterwards: {state.unfinished} unfinished, {state.failed} failed tasks",
        f"whole run: {time.monotonic() - started:.0f} s",
    ]
    print("\n".join(lines))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    name = f"{datetime.date.today()}-{os.cpu_count()}cores-emails-{database.lower()}.md"
    (out / name).write_text("\n".join(lines) + "\n")
    print(f"\nwritten to bench/results/{name}")


if __name__ == "__main__":
    main()
