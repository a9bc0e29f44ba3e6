"""Asking for the confirmation email again: the same answer for every address, within limits."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django_tasks_db.models import DBTaskResult

from tests.supporters import confirmed, sign_up
from urge.campaigns.models import Campaign
from urge.supporters.tasks import send_confirmation

pytestmark = pytest.mark.django_db

URL = "/c/hketo/join/resend/"
SENT = "If this address signed up and has not confirmed yet, we have sent the link again."


def queued() -> list[str]:
    """The refs of confirmation emails waiting in the queue."""
    tasks = DBTaskResult.objects.filter(task_path=send_confirmation.module_path, status="READY")
    return [task.args_kwargs["args"][0] for task in tasks.order_by("enqueued_at")]


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


def test_it_sends_the_link_again_to_an_address_awaiting_confirmation(
    hketo: Campaign, client: Client
) -> None:
    supporter = sign_up(hketo, email="ada@example.org")
    before = queued()

    answer = client.post(URL, {"email": " Ada@Example.org "})

    assert answer.status_code == 200
    assert SENT in answer.text
    assert queued() == [*before, str(supporter.ref)]


def test_it_answers_the_same_whether_or_not_the_address_is_known(
    hketo: Campaign, client: Client
) -> None:
    sign_up(hketo, email="waiting@example.org")
    confirmed(hketo, email="done@example.org")
    before = queued()

    waiting = client.post(URL, {"email": "waiting@example.org"})
    done = client.post(URL, {"email": "done@example.org"})
    unknown = client.post(URL, {"email": "nobody@example.org"})

    assert waiting.status_code == done.status_code == unknown.status_code == 200
    assert waiting.content == done.content == unknown.content
    assert len(queued()) == len(before) + 1  # only the one awaiting confirmation


def test_it_sends_nothing_for_a_sign_up_on_another_campaign(
    hketo: Campaign, client: Client
) -> None:
    sign_up(hketo, email="ada@example.org")
    before = queued()

    assert client.post("/c/other/join/resend/", {"email": "ada@example.org"}).status_code == 404
    assert queued() == before


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
    supporter = sign_up(hketo, email="ada@example.org")
    before = queued()
    answers = [
        client.post(URL, {"email": "ada@example.org"}, REMOTE_ADDR=f"192.0.2.{n}")
        for n in range(1, 4)
    ]

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert queued() == [*before, str(supporter.ref), str(supporter.ref)]


def test_it_refuses_a_post_from_another_site(hketo: Campaign, client: Client) -> None:
    sign_up(hketo, email="ada@example.org")
    before = queued()

    answer = client.post(
        URL, {"email": "ada@example.org"}, headers={"Sec-Fetch-Site": "cross-site"}
    )

    assert answer.status_code == 403
    assert queued() == before
