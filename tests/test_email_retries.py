"""A confirmation email the mail server does not take is tried again, later and later, a
bounded number of times; one that never went is a count on the organiser's dashboard, and
no page says an email went when it did not. The mail server is the real one of
tests/smtp.py, stopped and started."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests import smtp
from tests.people import organiser, sign_in_verified
from tests.smtp import SmtpServer
from tests.supporters import run_worker, sign_up
from urge.campaigns.models import Campaign
from urge.supporters.tasks import RETRY_MINUTES, TRIES

# The worker closes its connection after each task, as in production: committed data only.
pytestmark = pytest.mark.django_db(transaction=True)
smtp_server = smtp.smtp_server  # the fixture, where pytest looks for it


@pytest.fixture
def mail_server_down() -> Iterator[SmtpServer]:
    """Django's SMTP settings name a mail server that has stopped: its port refuses."""
    server = SmtpServer()
    server.start()
    settings = override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=server.port,
        EMAIL_TIMEOUT=5,
    )
    server.stop()
    with settings:
        yield server


def waiting() -> list[DBTaskResult[..., None]]:
    return list(DBTaskResult.objects.filter(status=TaskResultStatus.READY))


def time_passes() -> None:
    """The queue's clock reaches every try that was put off."""
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())


def test_it_tries_again_later_and_sends_once_the_mail_server_is_back(
    mail_server_down: SmtpServer, hketo: Campaign
) -> None:
    sign_up(hketo)
    before = timezone.now()
    run_worker()

    (retry,) = waiting()
    assert retry.run_after >= before + timedelta(minutes=RETRY_MINUTES[0])
    assert retry.run_after < before + timedelta(minutes=RETRY_MINUTES[0] + 1)

    back_up = SmtpServer()
    back_up.start()
    try:
        with override_settings(EMAIL_PORT=back_up.port):
            time_passes()
            run_worker()
            (message,) = back_up.wait_for(1)
    finally:
        back_up.stop()
    assert message["To"] == "ada@example.org"
    assert waiting() == []


def test_it_waits_longer_before_each_try_and_stops_after_the_last(
    mail_server_down: SmtpServer, hketo: Campaign
) -> None:
    sign_up(hketo)
    pauses = []
    for _ in range(TRIES):
        started = timezone.now()
        run_worker()
        for retry in waiting():
            pauses.append(round((retry.run_after - started).total_seconds() / 60))
        time_passes()

    assert pauses == list(RETRY_MINUTES)
    assert waiting() == []
    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == 1


def test_it_counts_emails_that_never_went_on_the_organisers_dashboard(
    mail_server_down: SmtpServer, hketo: Campaign, client: Client
) -> None:
    sign_up(hketo, email="grace@example.org")
    for _ in range(TRIES):
        run_worker()
        time_passes()

    page = sign_in_verified(client, organiser(hketo)).get("/manage/c/hketo/").text
    # Said, as fewer than 5: one more than a minute ago would point at a person.
    assert (
        "Fewer than 5 sign-ups are waiting for a confirmation email that could not be sent" in page
    )
    assert "grace" not in page


def test_a_mailbox_the_server_refuses_for_good_is_not_tried_again_but_counted(
    smtp_server: SmtpServer, hketo: Campaign, client: Client
) -> None:
    smtp_server.refused.add("nobody@example.org")  # 550: no such mailbox
    sign_up(hketo, email="nobody@example.org")
    run_worker()

    assert waiting() == []
    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == 1
    page = sign_in_verified(client, organiser(hketo)).get("/manage/c/hketo/").text
    # Said, as fewer than 5: one more than a minute ago would point at a person.
    assert (
        "Fewer than 5 sign-ups are waiting for a confirmation email that could not be sent" in page
    )


def test_a_person_asking_again_does_not_spend_the_addresss_email_allowance_on_retries(
    mail_server_down: SmtpServer, hketo: Campaign
) -> None:
    # Three emails an hour per address: retries of one email are not three more.
    sign_up(hketo)
    for _ in range(TRIES - 1):
        run_worker()
        time_passes()

    back_up = SmtpServer()
    back_up.start()
    try:
        with override_settings(EMAIL_PORT=back_up.port):
            run_worker()
            back_up.wait_for(1)
    finally:
        back_up.stop()


def test_the_thank_you_page_promises_an_email_rather_than_claiming_one_went(
    hketo: Campaign, client: Client
) -> None:
    page = client.get("/c/hketo/join/thanks/").text
    assert "We will email a link to the address you gave" in page
    assert "We have sent" not in page

    chinese = client.get("/zh-hant/c/hketo/join/thanks/").text
    assert "我們會把連結寄到你提供的電郵地址" in chinese
