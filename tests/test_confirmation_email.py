"""The confirmation email: sent by the real queue worker over real SMTP, and its links followed."""

from __future__ import annotations

import logging
import re
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from tests import smtp
from tests.smtp import SmtpServer
from tests.supporters import run_worker, sign_up
from urge.campaigns.models import Campaign, CoHostName
from urge.supporters.emails import send_confirmation_email
from urge.supporters.erasure import erase
from urge.supporters.models import Supporter

# The worker closes its database connection after each task, as in production: that needs
# committed data, not the rolled-back transaction of an ordinary test.
pytestmark = pytest.mark.django_db(transaction=True)
smtp_server = smtp.smtp_server  # the fixture, where pytest looks for it

LINK = re.compile(r"^https?://\S+$", re.MULTILINE)


def body(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert isinstance(part, EmailMessage)
    return str(part.get_content()).replace("\r\n", "\n")


def links(message: EmailMessage) -> list[str]:
    return LINK.findall(body(message))


def link_after(message: EmailMessage, label: str) -> str:
    """The link on the line after `label`."""
    lines = body(message).splitlines()
    return lines[lines.index(label) + 1]


def path(url: str) -> str:
    return urlsplit(url).path


def test_it_emails_a_link_that_confirms_the_sign_up_only_when_the_button_is_pressed(
    smtp_server: SmtpServer, hketo: Campaign, client: Client
) -> None:
    supporter = sign_up(hketo, email="Ada@Example.org", cohosts=["dc4hk", "hkdc"])
    run_worker()

    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "ada@example.org"
    assert smtp_server.recipients == [["ada@example.org"]]
    assert message["Subject"] == (
        "Confirm your sign-up: Bring the HKETO Certification Act to a vote in the Senate"
    )
    text = body(message)
    assert text.startswith("Hello,\n")  # nothing the sender typed: not even a first name
    assert "Ada" not in text
    assert "    - DC4HK\n    - Hong Kong Democracy Council" in text
    assert "The link works for 7 days." in text
    assert "the sign-up is deleted after 14 days" in text
    confirm = next(url for url in links(message) if "/confirm/" in url)
    assert path(confirm).startswith("/c/hketo/confirm/")

    opened = client.get(path(confirm))
    assert opened.status_code == 200
    assert "Confirm my sign-up" in opened.text
    supporter.refresh_from_db()
    assert supporter.confirmed_at is None
    assert not supporter.consents.exists()

    pressed = client.post(path(confirm))
    assert pressed.status_code == 200
    assert "You are confirmed" in pressed.text
    supporter.refresh_from_db()
    assert supporter.confirmed_at is not None
    assert supporter.pending == ""
    consents = {c.cohost.slug: c.wording for c in supporter.consents.select_related("cohost")}
    assert consents == {
        "dc4hk": "dc4hk may email me about this campaign.",
        "hkdc": "hkdc may email me about this campaign.",
    }


def test_it_offers_mail_clients_one_click_to_leave_every_list(
    smtp_server: SmtpServer, hketo: Campaign, client: Client
) -> None:
    supporter = sign_up(hketo, cohosts=["dc4hk", "cfhk"])
    run_worker()
    (message,) = smtp_server.wait_for(1)
    client.post(path(next(url for url in links(message) if "/confirm/" in url)))

    header = message["List-Unsubscribe"].strip()  # folded: a long line continues
    assert re.fullmatch(r"<https?://\S+/c/hketo/leave/\S+/>", header)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    leave_all = header.strip("<>")
    assert leave_all == link_after(message, "Leave every co-host's list:")

    # A mail provider posts from its own servers: no browser headers at all.
    answer = client.post(path(leave_all), {"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    assert not supporter.consents.filter(withdrawn_at__isnull=True).exists()
    assert supporter.consents.count() == 2  # withdrawn, with the wording they agreed to


def test_it_gives_a_link_to_stop_each_cohost_by_name(
    smtp_server: SmtpServer, hketo: Campaign, client: Client
) -> None:
    supporter = sign_up(hketo, cohosts=["dc4hk", "hkdc"])
    run_worker()
    (message,) = smtp_server.wait_for(1)
    client.post(path(next(url for url in links(message) if "/confirm/" in url)))

    # The co-hosts chosen, by their English names as loaded from the folder; no others.
    names = dict(
        CoHostName.objects.filter(cohost__campaign=hketo, language="en").values_list(
            "cohost__slug", "name"
        )
    )
    stop = {
        slug: link_after(message, f"Stop {names[slug]} contacting me:")
        for slug in ("dc4hk", "hkdc")
    }
    assert len(set(stop.values())) == 2
    for slug in ("fight-for-freedom", "cfhk"):
        assert f"Stop {names[slug]} contacting me:" not in body(message)
    assert all(path(url).startswith("/c/hketo/leave/") for url in stop.values())
    assert path(link_after(message, "Erase everything you hold about me:")).startswith(
        "/c/hketo/erase/"
    )

    client.post(path(stop["hkdc"]))
    active = supporter.consents.filter(withdrawn_at__isnull=True).values_list("cohost__slug")
    assert list(active) == [("dc4hk",)]


def test_it_writes_to_a_chinese_sign_up_in_chinese_with_chinese_links(
    smtp_server: SmtpServer, hketo: Campaign, client: Client
) -> None:
    supporter = sign_up(hketo, cohosts=["fight-for-freedom"], language="zh-hant")
    run_worker()

    (message,) = smtp_server.wait_for(1)
    assert "促請參議院表決《香港經濟貿易辦事處認證法案》" in message["Subject"]
    assert message.get_content_charset() == "utf-8"
    text = body(message)
    assert "    - 重光團隊" in text
    assert text.count("重光團隊") == 2  # chosen, and its leave link, by its Chinese name
    assert "香港民主委員會" not in text  # a co-host not chosen has no leave link
    confirm = next(url for url in links(message) if "/confirm/" in url)
    assert path(confirm).startswith("/zh-hant/c/hketo/confirm/")
    assert all(path(url).startswith("/zh-hant/") for url in links(message))

    page = client.get(path(confirm))
    assert '<html lang="zh-Hant">' in page.text
    client.post(path(confirm))
    supporter.refresh_from_db()
    assert supporter.confirmed_at is not None


def test_it_sends_nothing_to_a_sign_up_erased_before_the_worker_ran(
    smtp_server: SmtpServer, hketo: Campaign
) -> None:
    erase(sign_up(hketo))
    run_worker()
    assert smtp_server.messages == []


def test_it_sends_nothing_once_there_is_nothing_to_confirm(
    smtp_server: SmtpServer, hketo: Campaign
) -> None:
    supporter = sign_up(hketo)
    Supporter.objects.filter(pk=supporter.pk).update(pending="", pending_since=None)
    send_confirmation_email(str(supporter.ref))
    Supporter.objects.filter(pk=supporter.pk).delete()
    send_confirmation_email(str(supporter.ref))
    assert smtp_server.messages == []


def test_it_never_logs_the_address(
    smtp_server: SmtpServer, hketo: Campaign, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    sign_up(hketo, email="secret-person@example.org", first_name="Secretname")
    run_worker(verbosity=2)
    smtp_server.wait_for(1)
    assert "state=SUCCESSFUL" in caplog.text
    assert "secret-person" not in caplog.text
    assert "Secretname" not in caplog.text


def test_it_keeps_the_address_out_of_the_log_when_the_mail_server_refuses_it(
    smtp_server: SmtpServer, hketo: Campaign, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    smtp_server.refused.add("secret-person@example.org")
    sign_up(hketo, email="secret-person@example.org")

    run_worker(verbosity=2)

    (task,) = DBTaskResult.objects.filter(status="FAILED")
    assert task.exception_class_path == "urge.supporters.emails.ConfirmationNotSent"
    assert "SMTPRecipientsRefused" in task.traceback
    assert "secret-person" not in task.traceback
    assert "Task id=" in caplog.text  # the failure is logged, without the address
    assert "secret-person" not in caplog.text
    assert smtp_server.messages == []


def test_sign_ups_committed_together_get_one_email_each_and_a_refusal_is_kept_apart(
    smtp_server: SmtpServer, hketo: Campaign
) -> None:
    from urge.supporters.tasks import send_confirmations

    smtp_server.refused.add("refused@example.org")
    people = [
        sign_up(hketo, email=address)
        for address in ("a@example.org", "refused@example.org", "b@example.org")
    ]
    DBTaskResult.objects.all().delete()  # as if the three had been written in one batch
    send_confirmations.enqueue([str(person.ref) for person in people])

    run_worker()

    assert sorted(r for rs in smtp_server.recipients for r in rs) == [
        "a@example.org",
        "b@example.org",
    ]
    (failed,) = DBTaskResult.objects.filter(status="FAILED")
    assert failed.args_kwargs["args"][0] == str(people[1].ref)  # queued again, on its own


def test_a_stranger_cannot_put_words_in_the_campaigns_email(
    smtp_server: SmtpServer, hketo: Campaign
) -> None:
    """The first name a submitter types never reaches an address that has not confirmed."""
    lure = "friend. URGENT: re-verify at https://hketo-verify.example/login"
    sign_up(hketo, email="victim@example.org", first_name=lure[:100])
    run_worker()
    (message,) = smtp_server.wait_for(1)
    assert "hketo-verify" not in body(message)
    assert "URGENT" not in body(message)


def test_an_address_gets_only_so_many_emails_whoever_signs_it_up(
    smtp_server: SmtpServer, hketo: Campaign
) -> None:
    for n in range(5):  # five sign-ups naming one address, as from five connections
        sign_up(hketo, email="victim@example.org", first_name=f"Name{n}")
        run_worker()
    sign_up(hketo, email="someone-else@example.org")
    run_worker()
    smtp_server.wait_for(4)
    assert smtp_server.recipients.count(["victim@example.org"]) == 3  # URGE_RATE_MAIL_HOUR
    assert ["someone-else@example.org"] in smtp_server.recipients
