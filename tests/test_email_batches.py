"""Confirmation emails in batches: at most fifty a task, each batch over one connection to the
mail server, each email recorded as the server takes it, so that no retry and no task run
again after its worker died sends one twice, and claimed just before it is sent, so that two
runs of one task at once (its lease ran out on a slow worker) do not both send it. The mail
server is the real one of tests/smtp.py; the worker is the real `urge db_worker`, run until
the queue is empty. (tests/test_queue_workers.py runs several workers as processes, kills
one, and keeps one waiting past its lease.)"""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django import db
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests import smtp
from tests.smtp import SmtpServer
from tests.supporters import run_worker, sign_up
from urge.campaigns.models import Campaign
from urge.core.lease import MOST_CLAIMS, recover_lost_tasks
from urge.supporters.emails import (
    Queued,
    message_id,
    send_confirmation_emails,
    sent_key,
    within_mail_limits,
)
from urge.supporters.models import EmailClaim, SentEmail
from urge.supporters.tasks import (
    RETRY_MINUTES,
    queue_confirmations,
    send_confirmation,
    send_confirmations,
)

# The worker closes its connection after each task, as in production: committed data only.
pytestmark = pytest.mark.django_db(transaction=True)
smtp_server = smtp.smtp_server  # the fixture, where pytest looks for it


def signed_up(campaign: Campaign, count: int, name: str = "person") -> list[str]:
    """The refs of `count` sign-ups, with nothing queued yet: as if written together. Their
    addresses are NAME0@example.org and on (a name of its own for a test that counts a
    rate limit: the counts outlive a test)."""
    refs = [str(sign_up(campaign, email=f"{name}{n}@example.org").ref) for n in range(count)]
    DBTaskResult.objects.all().delete()
    return refs


def tasks() -> list[DBTaskResult[..., None]]:
    return list(DBTaskResult.objects.order_by("enqueued_at"))


def waiting() -> list[DBTaskResult[..., None]]:
    return [task for task in tasks() if task.status == TaskResultStatus.READY]


def addresses(server: SmtpServer) -> list[str]:
    return sorted(address for recipients in server.recipients for address in recipients)


def claimed_by_a_dead_worker(task: DBTaskResult[..., None], seconds_ago: float) -> None:
    """The state a worker leaves behind when it is killed while running `task`."""
    task.status = TaskResultStatus.RUNNING
    task.started_at = timezone.now() - timedelta(seconds=seconds_ago)
    task.worker_ids = [*task.worker_ids, "a-worker-that-was-killed"]
    task.save()


def test_a_large_group_commit_is_queued_in_batches_of_at_most_fifty(hketo: Campaign) -> None:
    refs = signed_up(hketo, 120)

    queue_confirmations(refs)

    batches = [task.args_kwargs["args"][0] for task in tasks()]
    assert [len(batch) for batch in batches] == [50, 50, 20]
    assert [ref for batch in batches for ref in batch] == refs
    assert {task.task_path for task in tasks()} == {send_confirmations.module_path}


def test_each_batch_goes_over_one_connection_and_each_person_gets_one_email(
    smtp_server: SmtpServer, hketo: Campaign
) -> None:
    queue_confirmations(signed_up(hketo, 120))

    run_worker()

    smtp_server.wait_for(120)
    assert addresses(smtp_server) == sorted(f"person{n}@example.org" for n in range(120))
    assert smtp_server.connections == 3
    assert SentEmail.objects.count() == 120
    assert {task.status for task in tasks()} == {TaskResultStatus.SUCCESSFUL}


def test_a_retry_sends_only_what_the_server_did_not_take(
    smtp_server: SmtpServer, hketo: Campaign
) -> None:
    refs = signed_up(hketo, 3)
    smtp_server.deferred.add("person1@example.org")  # "451: try again later"
    queue_confirmations(refs)

    run_worker()

    assert addresses(smtp_server) == ["person0@example.org", "person2@example.org"]
    (retry,) = waiting()
    assert retry.args_kwargs["args"][:2] == [[refs[1]], 2]  # the one not taken, its try 2
    assert retry.run_after > timezone.now() + timedelta(minutes=RETRY_MINUTES[0] - 1)

    smtp_server.deferred.clear()
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()

    smtp_server.wait_for(3)
    assert addresses(smtp_server) == [f"person{n}@example.org" for n in range(3)]
    assert waiting() == []


def test_when_the_mail_server_is_down_the_whole_batch_is_tried_again_later_together(
    hketo: Campaign,
) -> None:
    server = SmtpServer()
    server.start()
    server.stop()  # its port now refuses
    refs = signed_up(hketo, 3)
    queue_confirmations(refs)

    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=server.port,
        EMAIL_TIMEOUT=5,
    ):
        run_worker()

    (retry,) = waiting()
    assert retry.task_path == send_confirmations.module_path
    assert retry.args_kwargs["args"][:2] == [refs, 2]
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).exists()


def test_a_task_left_running_by_a_dead_worker_runs_again_and_skips_what_went(
    smtp_server: SmtpServer, hketo: Campaign
) -> None:
    refs = signed_up(hketo, 5)
    queue_confirmations(refs)
    (task,) = tasks()
    # The killed worker had got two emails out, and recorded them, before it died.
    lease = settings.URGE_TASK_LEASE_SECONDS
    claimed_by_a_dead_worker(task, seconds_ago=lease + 1)
    for ref in refs[:2]:
        SentEmail.objects.create(key=sent_key(str(task.pk), ref))

    run_worker()

    smtp_server.wait_for(3)
    assert addresses(smtp_server) == [f"person{n}@example.org" for n in (2, 3, 4)]
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert len(task.worker_ids) == 2  # the dead worker, then the one that finished it
    # Each email's Message-ID is made from its key: a copy sent twice would be the same.
    sent = {message["Message-ID"] for message in smtp_server.messages}
    assert sent == {message_id(sent_key(str(task.pk), ref)) for ref in refs[2:]}


def test_a_task_within_its_lease_is_left_running(hketo: Campaign) -> None:
    queue_confirmations(signed_up(hketo, 2))
    (task,) = tasks()
    claimed_by_a_dead_worker(task, seconds_ago=settings.URGE_TASK_LEASE_SECONDS - 30)

    assert recover_lost_tasks().requeued == 0
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING


def test_a_task_whose_every_worker_died_running_it_is_left_failed(hketo: Campaign) -> None:
    queue_confirmations(signed_up(hketo, 2))
    (task,) = tasks()
    for _ in range(MOST_CLAIMS):
        claimed_by_a_dead_worker(task, seconds_ago=settings.URGE_TASK_LEASE_SECONDS + 1)

    recovered = recover_lost_tasks()

    assert (recovered.requeued, recovered.failed) == (0, 1)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "urge.core.lease.WorkerLost"


def test_a_batch_begins_no_email_once_its_time_is_up(
    smtp_server: SmtpServer, hketo: Campaign
) -> None:
    refs = signed_up(hketo, 3)
    emails = [Queued(ref, sent_key("a-task", ref)) for ref in refs]

    unsent = send_confirmation_emails(emails, until=time.monotonic() - 1)

    assert [(u.ref, u.error) for u in unsent] == [(ref, None) for ref in refs]
    assert smtp_server.messages == []
    assert not SentEmail.objects.exists()


def test_recording_an_email_leaves_the_connections_durability_as_it_was(
    smtp_server: SmtpServer, hketo: Campaign
) -> None:
    (ref,) = signed_up(hketo, 1)
    before = durability()

    send_confirmation_emails([Queued(ref, sent_key("a-task", ref))])

    assert SentEmail.objects.filter(key=sent_key("a-task", ref)).exists()
    assert durability() == before


def durability() -> str:
    """How the connection's commits wait for the disk."""
    setting = (
        "SHOW synchronous_commit" if connection.vendor == "postgresql" else "PRAGMA synchronous"
    )
    with connection.cursor() as cursor:
        cursor.execute(setting)
        return str(cursor.fetchone()[0])


def test_a_batch_the_database_fails_midway_is_tried_again_whole_later(hketo: Campaign) -> None:
    refs = signed_up(hketo, 3)
    queue_confirmations(refs)
    with connection.schema_editor() as editor:
        editor.delete_model(SentEmail)  # a real database error, on the batch's first query
    try:
        run_worker()
    finally:
        with connection.schema_editor() as editor:
            editor.create_model(SentEmail)

    (retry,) = waiting()
    assert retry.args_kwargs["args"][:2] == [refs, 2]
    assert retry.run_after > timezone.now() + timedelta(minutes=RETRY_MINUTES[0] - 1)
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).exists()


def claimed_by_another_run(key: str, seconds_ago: float) -> None:
    """The claim a run of the same task took on an email, just before sending it."""
    EmailClaim.objects.create(
        key=key, run="another-run", claimed_at=timezone.now() - timedelta(seconds=seconds_ago)
    )


def test_an_email_another_run_is_sending_is_left_to_it_and_looked_at_once_its_claim_runs_out(
    smtp_server: SmtpServer, hketo: Campaign
) -> None:
    refs = signed_up(hketo, 3)
    queue_confirmations(refs)
    (task,) = tasks()
    key = sent_key(str(task.pk), refs[1])
    claimed_by_another_run(key, seconds_ago=10)

    run_worker()

    smtp_server.wait_for(2)
    assert addresses(smtp_server) == ["person0@example.org", "person2@example.org"]
    (again,) = waiting()
    assert again.args_kwargs["args"] == [[refs[1]], 1, str(task.pk)]  # not a failed try
    claim_runs_out = EmailClaim.objects.get(key=key).claimed_at + timedelta(
        seconds=settings.URGE_TASK_LEASE_SECONDS
    )
    assert again.run_after == claim_runs_out

    # The other run sends it, and records it: looked at again, it is not sent twice.
    SentEmail.objects.create(key=key)
    EmailClaim.objects.filter(key=key).delete()
    DBTaskResult.objects.filter(pk=again.pk).update(run_after=timezone.now())
    run_worker()

    assert len(smtp_server.messages) == 2
    assert waiting() == []
    assert not EmailClaim.objects.exists()


def test_an_email_whose_claim_ran_out_goes_as_its_worker_died_before_sending_it(
    smtp_server: SmtpServer, hketo: Campaign
) -> None:
    refs = signed_up(hketo, 3)
    queue_confirmations(refs)
    (task,) = tasks()
    key = sent_key(str(task.pk), refs[1])
    claimed_by_another_run(key, seconds_ago=settings.URGE_TASK_LEASE_SECONDS + 1)

    run_worker()

    smtp_server.wait_for(3)
    assert addresses(smtp_server) == [f"person{n}@example.org" for n in range(3)]
    assert SentEmail.objects.filter(key=key).exists()
    assert not EmailClaim.objects.exists()  # dropped with the record of each email sent
    assert waiting() == []


def test_an_email_another_run_sent_while_this_one_sent_others_is_not_sent_again(
    smtp_server: SmtpServer, hketo: Campaign
) -> None:
    """What went is read again at each email's turn: the batch's first look is old by then."""
    refs = signed_up(hketo, 3)
    keys = [sent_key("a-task", ref) for ref in refs]

    def record_the_second() -> None:
        SentEmail.objects.create(key=keys[1])
        db.connections.close_all()  # this thread's own

    def the_other_run_sends_the_second(taken: int) -> None:
        if taken == 1:  # this run's first email is in; the other run records the second
            other_run = threading.Thread(target=record_the_second)
            other_run.start()
            other_run.join()

    smtp_server.on_taken = the_other_run_sends_the_second

    emails = [Queued(ref, key) for ref, key in zip(refs, keys, strict=True)]
    assert send_confirmation_emails(emails) == []

    assert addresses(smtp_server) == ["person0@example.org", "person2@example.org"]
    assert not EmailClaim.objects.exists()


def test_an_email_not_taken_by_the_server_is_not_left_claimed(
    smtp_server: SmtpServer, hketo: Campaign
) -> None:
    refs = signed_up(hketo, 2)
    smtp_server.deferred.add("person0@example.org")  # "451: try again later"

    unsent = send_confirmation_emails([Queued(ref, sent_key("a-task", ref)) for ref in refs])

    assert [u.ref for u in unsent] == [refs[0]]
    assert not EmailClaim.objects.exists()  # its retry may claim it at once


def test_a_single_email_another_run_is_sending_is_looked_at_once_its_claim_runs_out(
    smtp_server: SmtpServer, hketo: Campaign
) -> None:
    (ref,) = signed_up(hketo, 1)
    send_confirmation.enqueue(ref)
    (task,) = tasks()
    claimed_by_another_run(sent_key(str(task.pk), ref), seconds_ago=10)

    run_worker()

    assert smtp_server.messages == []
    (again,) = waiting()
    assert again.task_path == send_confirmation.module_path
    assert again.args_kwargs["args"] == [ref, 1, str(task.pk)]
    assert again.run_after > timezone.now() + timedelta(
        seconds=settings.URGE_TASK_LEASE_SECONDS - 15
    )


# One confirmation email an hour per address: the address's allowance is a single email.
ONE_AN_HOUR = override_settings(URGE_RATE_MAIL_HOUR=(1, 3600))


def counted_by_another_run(address: str) -> None:
    """The count another run of the task made, against the address's allowance, just after
    claiming its email: the address's one email of the hour."""
    assert within_mail_limits(address)


@ONE_AN_HOUR
def test_an_email_looked_at_again_is_not_counted_again_against_its_address(
    smtp_server: SmtpServer, hketo: Campaign
) -> None:
    (ref,) = signed_up(hketo, 1, "looked-at-again")
    send_confirmation.enqueue(ref)
    (task,) = tasks()
    key = sent_key(str(task.pk), ref)
    claimed_by_another_run(key, seconds_ago=10)
    counted_by_another_run("looked-at-again0@example.org")

    run_worker()

    (again,) = waiting()
    assert again.args_kwargs == {"args": [ref, 1, str(task.pk)], "kwargs": {"counted": True}}
    # The other run did not send it ("try again later") and let go of its claim.
    EmailClaim.objects.filter(key=key).delete()
    DBTaskResult.objects.filter(pk=again.pk).update(run_after=timezone.now())
    run_worker()

    assert addresses(smtp_server) == ["looked-at-again0@example.org"]
    assert waiting() == []


@ONE_AN_HOUR
def test_a_batchs_emails_looked_at_again_are_not_counted_again_against_their_addresses(
    smtp_server: SmtpServer, hketo: Campaign
) -> None:
    refs = signed_up(hketo, 3, "batch-looked-at-again")
    queue_confirmations(refs)
    (task,) = tasks()
    key = sent_key(str(task.pk), refs[1])
    claimed_by_another_run(key, seconds_ago=10)
    counted_by_another_run("batch-looked-at-again1@example.org")

    run_worker()

    (again,) = waiting()
    assert again.args_kwargs == {"args": [[refs[1]], 1, str(task.pk)], "kwargs": {"counted": True}}
    EmailClaim.objects.filter(key=key).delete()  # the other run let go of it, unsent
    DBTaskResult.objects.filter(pk=again.pk).update(run_after=timezone.now())
    run_worker()

    smtp_server.wait_for(3)
    assert addresses(smtp_server) == [f"batch-looked-at-again{n}@example.org" for n in range(3)]
    assert waiting() == []


@ONE_AN_HOUR
def test_an_email_taken_over_from_a_worker_that_died_is_not_counted_again(
    smtp_server: SmtpServer, hketo: Campaign
) -> None:
    """The worker that died had claimed the email and counted it, but not sent it."""
    refs = signed_up(hketo, 3, "taken-over")
    queue_confirmations(refs)
    (task,) = tasks()
    claimed_by_another_run(
        sent_key(str(task.pk), refs[1]), seconds_ago=settings.URGE_TASK_LEASE_SECONDS + 1
    )
    counted_by_another_run("taken-over1@example.org")

    run_worker()

    smtp_server.wait_for(3)
    assert addresses(smtp_server) == [f"taken-over{n}@example.org" for n in range(3)]


def test_tasks_queued_with_the_arguments_of_before_still_run(
    smtp_server: SmtpServer, hketo: Campaign
) -> None:
    """Queued before a task took `counted`: (ref, attempt, origin) and (refs, attempt, origin)."""
    refs = signed_up(hketo, 3, "queued-before")
    send_confirmation.enqueue(refs[0], 1, "")
    send_confirmations.enqueue(refs[1:], 1, "")

    run_worker()

    smtp_server.wait_for(3)
    assert addresses(smtp_server) == [f"queued-before{n}@example.org" for n in range(3)]
    assert {task.status for task in tasks()} == {TaskResultStatus.SUCCESSFUL}
