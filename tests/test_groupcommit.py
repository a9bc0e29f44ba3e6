"""Group commit: concurrent writes share transactions, and each is answered only once durable."""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, OperationalError, connection, connections
from django.utils import timezone

from tests.conftest import EXAMPLE
from urge.actions.models import ActionEvent
from urge.campaigns.folder import read_campaign_folder
from urge.campaigns.loading import save_campaign
from urge.core import groupcommit
from urge.core.groupcommit import GroupCommit, take_turn
from urge.supporters.models import Supporter

# The writer thread has its own connection: it must see committed data, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _writer_thread(settings: Any) -> None:
    settings.URGE_GROUP_COMMIT = True


def event(campaign_id: int, n: int) -> ActionEvent:
    return ActionEvent(
        campaign_id=campaign_id,
        channel="post-x",
        target=f"S{n:06d}",
        variant="ask-for-a-vote",
        target_state="WA",
        hour=timezone.now().replace(minute=0, second=0, microsecond=0),
    )


def run_together(jobs: list[Any]) -> list[Any]:
    answers: list[Any] = [None] * len(jobs)
    start = threading.Barrier(len(jobs))

    def run(i: int) -> None:
        start.wait()
        try:
            answers[i] = jobs[i]()
        except Exception as error:
            answers[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def test_concurrent_writes_share_transactions_and_all_are_stored() -> None:
    campaign = save_campaign(read_campaign_folder(EXAMPLE)).campaign
    batches: list[int] = []

    def write(events: Sequence[ActionEvent]) -> list[ActionEvent]:
        batches.append(len(events))
        return ActionEvent.objects.bulk_create(events)

    group: GroupCommit[ActionEvent, ActionEvent] = GroupCommit(write)
    answers = run_together([lambda n=n: group.submit(event(campaign.pk, n)) for n in range(40)])
    assert all(isinstance(answer, ActionEvent) and answer.pk for answer in answers)
    assert ActionEvent.objects.count() == 40
    assert sum(batches) == 40
    group.stop()
    assert len(batches) < 40  # some requests shared a commit


def test_a_failed_transaction_fails_every_request_in_it_and_stores_none(
    transactional_db: None,
) -> None:
    campaign = save_campaign(read_campaign_folder(EXAMPLE)).campaign
    group: GroupCommit[ActionEvent, ActionEvent] = GroupCommit(ActionEvent.objects.bulk_create)
    missing = campaign.pk + 1000  # no such campaign: the foreign key refuses the batch
    with pytest.raises(DatabaseError, match="group commit failed"):
        group.submit(event(missing, 1))
    assert ActionEvent.objects.count() == 0
    assert group.submit(event(campaign.pk, 2)).pk  # the writer carries on
    group.stop()


def test_concurrent_sign_ups_are_stored_once_per_address_with_their_emails_queued() -> None:
    from django_tasks_db.models import DBTaskResult

    from urge.supporters import signup

    campaign = save_campaign(read_campaign_folder(EXAMPLE)).campaign

    def sign_up(n: int) -> Any:
        return signup.submit(
            campaign,
            signup.Submission(
                first_name="Kit",
                last_name="Lau",
                email=f"person{n % 15}@example.org",  # five of them sign up twice
                zip_code="98104",
                phone="",
                language="en",
            ),
        )

    answers = run_together([lambda n=n: sign_up(n) for n in range(20)])
    signup._signups.stop()
    assert all(answer.pk for answer in answers)
    assert Supporter.objects.count() == 15
    for n in range(5):
        assert answers[n].ref == answers[n + 15].ref  # the same person, the same row
    queued: list[str] = []
    for task in DBTaskResult.objects.all():
        first = task.args_kwargs["args"][0]
        queued += first if isinstance(first, list) else [first]
    assert set(queued) == {str(answer.ref) for answer in answers}  # everyone gets the email
    assert len(queued) <= 20


def test_a_writer_that_cannot_take_its_turn_in_time_fails_instead_of_waiting_on(
    tmp_path: Path,
) -> None:
    """On SQLite the writers of the server's processes take turns by a file lock; one kept
    too long makes the batch fail within a bound, so its requests hear the truth in time."""
    path = tmp_path / "urge.sqlite3-writers"
    holder = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    waiter = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)
        with pytest.raises(OperationalError, match="kept its turn too long"):
            take_turn(waiter, time.monotonic() + 0.2)
        fcntl.flock(holder, fcntl.LOCK_UN)
        take_turn(waiter, time.monotonic() + 0.2)  # free again: taken at once
    finally:
        os.close(holder)
        os.close(waiter)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own timeouts")
def test_on_postgresql_a_batch_held_up_by_a_lock_fails_in_time_and_stores_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 11, finding 7: told "nothing was stored" after a long lock, a sign-up was stored
    15 s later. A batch now gives up within STATEMENT_SECONDS, before anyone is answered."""
    monkeypatch.setattr(groupcommit, "STATEMENT_SECONDS", 1)
    campaign = save_campaign(read_campaign_folder(EXAMPLE)).campaign
    group: GroupCommit[ActionEvent, ActionEvent] = GroupCommit(ActionEvent.objects.bulk_create)
    other = connections.create_connection("default")
    other.set_autocommit(False)
    with other.cursor() as cursor:
        cursor.execute("LOCK TABLE actions_actionevent IN ACCESS EXCLUSIVE MODE")
    try:
        started = time.monotonic()
        with pytest.raises(DatabaseError, match="group commit failed"):
            group.submit(event(campaign.pk, 1))
        assert time.monotonic() - started < 10
    finally:
        other.rollback()
        other.close()
    group.stop()
    time.sleep(1)
    assert ActionEvent.objects.count() == 0
