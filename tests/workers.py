"""Queue workers as processes, for tests and the email benchmark (no Django import here).

A scratch site (its own var folder, SQLite on disk or a scratch PostgreSQL database) with the
example campaign; sign-ups stored through `signup.submit` and their emails queued the way a
group commit queues them (`queue_confirmations`, batches of at most 50); `urge db_worker`
processes sending to a local SMTP server; and the queue's state read back afterwards.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet

from tests.services import ROOT, production_environment, run_urge, scratch_postgres

# Each group of sign-ups is queued as one group commit of this many would queue it.
GROUP = 500

SIGN_UP = """
from django_tasks_db.models import DBTaskResult
from urge.campaigns.models import Campaign
from urge.supporters import signup
from urge.supporters.tasks import queue_confirmations

campaign = Campaign.objects.get()
chosen = [signup.Wording("hkdc", "HKDC may email me.", "en")]
refs = [
    str(signup.submit(campaign, signup.Submission(
        first_name="Test", last_name="Person", email=f"{prefix}{{n}}@example.org",
        zip_code="98104", phone="", language="en", chosen=chosen)).ref)
    for n in range({count})
]
# Each sign-up queued its own email; queue them as group commits of {group} would instead.
DBTaskResult.objects.filter(status="READY").delete()
for start in range(0, len(refs), {group}):
    queue_confirmations(refs[start:start + {group}])
"""

STATE = """
import json
from django_tasks_db.models import DBTaskResult
from urge.supporters.models import SentEmail

rows = list(DBTaskResult.objects.values_list("status", "worker_ids"))
print(json.dumps({
    "unfinished": sum(status in ("READY", "RUNNING") for status, _ids in rows),
    "failed": sum(status == "FAILED" for status, _ids in rows),
    "workers": sorted({ids[-1] for status, ids in rows if status == "SUCCESSFUL"}),
    "most_claims": max((len(ids) for _status, ids in rows), default=0),
    "reclaimed": sum(len(ids) > 1 for _status, ids in rows),
    "recorded": SentEmail.objects.count(),
}))
"""


@dataclass(frozen=True)
class QueueState:
    unfinished: int  # tasks READY or RUNNING
    failed: int
    workers: list[str]  # the ids of the workers that finished tasks
    most_claims: int  # the most workers that claimed one task
    reclaimed: int  # tasks claimed again after their worker died
    recorded: int  # emails recorded as sent


@contextmanager
def scratch_site(var: Path, database_url: str = "", **settings: str) -> Iterator[dict[str, str]]:
    """The environment of a migrated site with the example campaign loaded, on a scratch
    PostgreSQL database when `database_url` names a server, else SQLite in `var`."""
    env = production_environment(
        var,
        URGE_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        URGE_GROUP_COMMIT="false",  # each sign-up alone; the script queues them in groups
        URGE_GEOCODER="false",
        # The rate-limit table its workers share, as under `urge serve`.
        URGE_SHARED_COUNTS=str(var / "shared-counts"),
        LOG_LEVEL="WARNING",
        **settings,
    )
    var.mkdir(parents=True, exist_ok=True)
    with scratch_postgres(database_url) if database_url else _nothing() as scratch:
        if scratch:
            env["DATABASE_URL"] = scratch
        run_urge(env, "migrate", "--verbosity=0")
        run_urge(env, "load", "campaigns/hketo")
        yield env


def mail_to(env: dict[str, str], port: int, **settings: str) -> dict[str, str]:
    """`env`, sending by SMTP to 127.0.0.1:`port`, with `settings` on top."""
    return {
        **env,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_TIMEOUT": "10",
        **settings,
    }


def sign_up(env: dict[str, str], count: int, prefix: str, group: int = GROUP) -> None:
    """`count` sign-ups, addresses `<prefix><n>@example.org`, their emails queued as group
    commits of `group` queue them (1: a task of its own for each, as a quiet site's)."""
    script = SIGN_UP.format(count=count, group=group, prefix=prefix)
    run_urge(env, "shell", "--no-imports", "-c", script)


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    """`urge db_worker` as `urge serve` starts it, looking for work five times a second."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "urge.cli",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval=0.2",
            "--verbosity=0",
        ],
        env=env,
        cwd=ROOT,
    )


def stop(workers: list[subprocess.Popen[bytes]]) -> None:
    """Stop each worker as `urge serve` does: SIGTERM, and it finishes the task in hand."""
    for worker in workers:
        if worker.poll() is None:
            worker.terminate()
    for worker in workers:
        worker.wait(timeout=60)


def queue_state(env: dict[str, str]) -> QueueState:
    output = run_urge(env, "shell", "--no-imports", "-c", STATE)
    return QueueState(**json.loads(output.strip().splitlines()[-1]))


@contextmanager
def _nothing() -> Iterator[str]:
    yield ""
