"""Asking for the confirmation email again: the same answer for every address, within limits."""

from __future__ import annotations

import re

import pytest
from django.core.mail import EmailMessage
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from tests.supporters import confirmed, run_worker, sign_up
from urge.campaigns.models import Campaign
from urge.supporters.tasks import resend_if_waiting

pytestmark = pytest.mark.django_db

URL = "/c/hketo/join/resend/"
SENT = "If this address signed up and has not confirmed yet, we have sent the link again."


def checks() -> int:
    """Resend requests waiting for the queue worker to decide."""
    return DBTaskResult.objects.filter(task_path=resend_if_waiting.module_path).count()


def test_it_shows_a_form_that_works_without_javascript(hketo: Campaign, client: Client) -> None:
    page = client.get(URL)

    assert page.status_code == 200
    assert '<form method="post" novalidate>' in page.text
    assert '<label for="id_email">Email address</label>' in page.text
    assert 'type="email" name="email"' in page.text
    assert 'autocomplete="email"' in page.text
    assert "<script" not in page.text
    assert '<meta name="robots" content="noindex">' in page.text
    assert not page.cookies


# The queue worker closes its connections, as in production: committed data only.
@pytest.mark.django_db(transaction=True)
def test_it_sends_the_link_again_to_an_address_awaiting_confirmation(
    hketo: Campaign, client: Client, mailoutbox: list[EmailMessage]
) -> None:
    sign_up(hketo, email="ada@example.org")
    run_worker()  # the first email
    mailoutbox.clear()

    answer = client.post(URL, {"email": " Ada@Example.org "})
    assert answer.status_code == 200
    assert SENT in answer.text
    assert checks() == 1
    run_worker()
    assert [message.to for message in mailoutbox] == [["ada@example.org"]]


# The queue worker closes its connections, as in production: committed data only.
@pytest.mark.django_db(transaction=True)
def test_it_answers_the_same_whether_or_not_the_address_is_known(
    hketo: Campaign, client: Client, mailoutbox: list[EmailMessage]
) -> None:
    sign_up(hketo, email="waiting@example.org")
    confirmed(hketo, email="done@example.org")
    run_worker()  # the first emails
    mailoutbox.clear()

    answers = []
    statements: list[list[str]] = []
    for address in ("waiting@example.org", "done@example.org", "nobody@example.org"):
        with CaptureQueriesContext(connection) as queries:
            answers.append(client.post(URL, {"email": address}))
        # The same statements for every address: nothing to time (issue 11, finding 8).
        statements.append([re.sub(r"'[^']*'|\d+", "?", q["sql"]) for q in queries])

    waiting, done, unknown = answers
    assert waiting.status_code == done.status_code == unknown.status_code == 200
    assert waiting.content == done.content == unknown.content
    assert statements[0] == statements[1] == statements[2]
    assert checks() == 3
    run_worker()
    # Only the one awaiting confirmation gets an email.
    assert [message.to for message in mailoutbox] == [["waiting@example.org"]]


def test_it_sends_nothing_for_a_sign_up_on_another_campaign(
    hketo: Campaign, client: Client
) -> None:
    sign_up(hketo, email="ada@example.org")

    assert client.post("/c/other/join/resend/", {"email": "ada@example.org"}).status_code == 404
    assert checks() == 0


def test_it_shows_a_mistyped_address_beside_the_field_as_typed(
    hketo: Campaign, client: Client
) -> None:
    answer = client.post(URL, {"email": "ada@@example"})

    assert answer.status_code == 400
    assert "Enter an email address like name@example.org." in answer.text
    assert 'value="ada@@example"' in answer.text
    assert 'aria-invalid="true"' in answer.text


@override_settings(URGE_RATE_RESEND=(2, 3600))
def test_it_limits_requests_from_one_connection_and_keeps_what_was_typed(
    hketo: Campaign, client: Client
) -> None:
    for n in range(2):
        assert client.post(URL, {"email": f"person{n}@example.org"}).status_code == 200

    answer = client.post(URL, {"email": "person9@example.org"})

    assert answer.status_code == 429
    assert "Too many requests" in answer.text
    assert 'value="person9@example.org"' in answer.text


@override_settings(URGE_RATE_RESEND=(2, 3600))
def test_it_limits_requests_for_one_address_from_many_connections(
    hketo: Campaign, client: Client
) -> None:
    sign_up(hketo, email="ada@example.org")
    answers = [
        client.post(URL, {"email": "ada@example.org"}, REMOTE_ADDR=f"192.0.2.{n}")
        for n in range(1, 4)
    ]

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert checks() == 2


def test_it_refuses_a_post_from_another_site(hketo: Campaign, client: Client) -> None:
    sign_up(hketo, email="ada@example.org")

    answer = client.post(
        URL, {"email": "ada@example.org"}, headers={"Sec-Fetch-Site": "cross-site"}
    )

    assert answer.status_code == 403
    assert checks() == 0
