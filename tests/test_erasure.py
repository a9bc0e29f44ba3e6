"""Erasure: nothing personal is left, the anonymous fact of a sign-up stays for the counts."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.supporters import confirmed, sign_up
from urge.campaigns.models import Campaign
from urge.supporters import datakeys, signup
from urge.supporters.crypto import email_hash
from urge.supporters.emails import resend_confirmation
from urge.supporters.erasure import (
    BLANKED,
    ORPHAN_AGE_SECONDS,
    anonymise,
    destroy_orphan_keys,
    erase,
)
from urge.supporters.models import Supporter
from urge.supporters.tasks import resend_if_waiting, send_confirmation

pytestmark = pytest.mark.django_db

PERSONAL = ["email", "first_name", "last_name", "zip_code", "phone", "pending"]


def stored(supporter: Supporter) -> dict[str, object]:
    """The row as the database holds it, ciphertext and all."""
    columns = [*PERSONAL, "email_hash", "pending_since"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM supporters_supporter WHERE id = %s",  # noqa: S608
            [supporter.pk],
        )
        row = cursor.fetchone()
    return dict(zip(columns, row, strict=True))


def test_it_blanks_every_personal_field_in_the_database(hketo: Campaign) -> None:
    supporter = sign_up(hketo, email="ada@example.org", phone="+1 206 555 0100")
    signup.confirm(supporter)
    sign_up(hketo, email="ada@example.org", cohosts=["hkdc"])  # a change awaiting confirmation
    assert all(stored(supporter).values())

    erase(supporter)

    assert stored(supporter) == {
        "email": "",
        "first_name": "",
        "last_name": "",
        "zip_code": "",
        "phone": "",
        "pending": "",
        "email_hash": None,
        "pending_since": None,
    }
    assert supporter.anonymised_at is not None


def test_it_keeps_what_the_counts_need(hketo: Campaign) -> None:
    supporter = confirmed(hketo, language="zh-hant")
    kept = (supporter.campaign_id, supporter.created_at, supporter.confirmed_at)

    erase(supporter)

    supporter.refresh_from_db()
    assert (supporter.campaign_id, supporter.created_at, supporter.confirmed_at) == kept
    assert supporter.language == "zh-hant"
    assert Supporter.objects.filter(campaign=hketo, confirmed_at__isnull=False).count() == 1


def test_it_withdraws_every_consent_and_keeps_the_record_of_it(hketo: Campaign) -> None:
    supporter = confirmed(hketo, cohosts=["dc4hk", "hkdc"])

    erase(supporter)

    consents = list(supporter.consents.all())
    assert len(consents) == 2
    assert all(consent.withdrawn_at == supporter.anonymised_at for consent in consents)


def test_it_leaves_the_address_unfindable_and_free_to_sign_up_again(hketo: Campaign) -> None:
    supporter = confirmed(hketo, email="ada@example.org")

    erase(supporter)

    assert not Supporter.objects.filter(email_hash=email_hash("ada@example.org")).exists()
    again = sign_up(hketo, email="ada@example.org")
    assert again.pk != supporter.pk
    assert again.confirmed_at is None


def test_it_takes_the_unsent_confirmation_email_out_of_the_queue(hketo: Campaign) -> None:
    supporter = sign_up(hketo, email="ada@example.org")
    other = sign_up(hketo, email="bob@example.org")

    erase(supporter)

    waiting = DBTaskResult.objects.filter(task_path=send_confirmation.module_path)
    assert [task.args_kwargs["args"] for task in waiting] == [[str(other.ref)]]


def test_it_takes_a_waiting_resend_out_of_the_queue_with_the_addresss_hash(
    hketo: Campaign,
) -> None:
    supporter = sign_up(hketo, email="ada@example.org")
    other = sign_up(hketo, email="bob@example.org")
    resend_confirmation(hketo, "ada@example.org")
    resend_confirmation(hketo, "bob@example.org")

    erase(supporter)

    waiting = DBTaskResult.objects.filter(task_path=resend_if_waiting.module_path)
    assert [task.args_kwargs["args"][1] for task in waiting] == [other.email_hash]


def test_it_counts_only_the_supporters_it_anonymised(hketo: Campaign) -> None:
    first = confirmed(hketo, email="ada@example.org")
    confirmed(hketo, email="bob@example.org")
    erase(first)

    assert anonymise(Supporter.objects.all()) == 1
    assert anonymise(Supporter.objects.all()) == 0
    assert Supporter.objects.filter(anonymised_at__isnull=True).count() == 0


def test_it_forgets_the_referral_a_consent_was_given_through(hketo: Campaign) -> None:
    """Issue 11, finding 8: the erase page said only a date remained, while the referral code
    (which may be one person's own link) stayed on each consent."""
    supporter = confirmed(hketo, email="ada@example.org")
    supporter.consents.update(referral="ada-personal-invite")

    erase(supporter)

    consents = list(supporter.consents.values_list("referral", "withdrawn_at"))
    assert consents
    assert all(referral == "" and withdrawn for referral, withdrawn in consents)


def test_it_destroys_the_data_key_once_the_blanking_commits(
    hketo: Campaign, django_capture_on_commit_callbacks: Any
) -> None:
    erased = confirmed(hketo, email="ada@example.org")
    kept = confirmed(hketo, email="bob@example.org")
    name = erased.data_key_name()

    with django_capture_on_commit_callbacks(execute=False) as waiting:
        erase(erased)
    # Out of use at once (a sign-up of the address now gets a new key), destroyed on commit.
    assert name not in set(datakeys.names())
    assert [found for found, _path in datakeys.doomed_files()] == [name]
    for callback in waiting:
        callback()

    assert not list(datakeys.doomed_files())
    assert not (Path(settings.URGE_KEY_DIR) / name).exists()
    assert Supporter.objects.get(pk=kept.pk).email == "bob@example.org"


def test_an_erasure_rolled_back_leaves_its_key_for_purge_to_put_back(hketo: Campaign) -> None:
    """Django has no hook for a rollback: a key taken aside by an erasure whose transaction
    an outer one rolled back waits, unused, for `urge purge` to put it back."""
    person = confirmed(hketo, email="ada@example.org")
    name = person.data_key_name()

    def erase_then_fail() -> None:
        with transaction.atomic():
            anonymise(Supporter.objects.filter(pk=person.pk))
            raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        erase_then_fail()
    [(doomed, path)] = datakeys.doomed_files()
    assert doomed == name
    an_hour_ago = time.time() - ORPHAN_AGE_SECONDS - 1
    os.utime(path, (an_hour_ago, an_hour_ago))

    assert destroy_orphan_keys() == 0

    assert name in set(datakeys.names())
    assert Supporter.objects.get(pk=person.pk).email == "ada@example.org"


def a_new_sign_up(campaign: Campaign, email: str, *details: str) -> Supporter:
    """A submission's row as the form makes it: `details` are the first and last names, the
    ZIP code and the phone."""
    first_name, last_name, zip_code, phone = details
    return Supporter(
        campaign=campaign,
        email_hash=email_hash(email),
        email=email,
        first_name=first_name,
        last_name=last_name,
        zip_code=zip_code,
        phone=phone,
        language="en",
        pending="{}",
        pending_since=timezone.now(),
    )


def a_later_sign_up(campaign: Campaign, email: str) -> Supporter:
    """An unconfirmed submission for `email` by someone else."""
    return a_new_sign_up(campaign, email, "Mallory", "NotTheOwner", "10001", "555-0100")


def test_a_sign_up_sealed_before_an_erasure_of_its_address_is_sealed_again_under_a_new_key(
    hketo: Campaign, django_capture_on_commit_callbacks: Any
) -> None:
    """The race on PostgreSQL: the request seals under the key, the erasure of the same
    address commits, then the shared writer writes."""
    erased = confirmed(hketo, email="ada@example.org")
    old_name = erased.data_key_name()
    old_key = (Path(settings.URGE_KEY_DIR) / old_name).read_bytes()
    row = a_new_sign_up(hketo, "ada@example.org", "Ada", "Again", "98101", "")
    sealed = signup.sealed(row)  # as submit() does, in the request thread

    with django_capture_on_commit_callbacks(execute=True):
        erase(erased)
    [again] = signup._write([sealed])

    fresh = Supporter.objects.get(pk=again.pk)
    assert fresh.last_name == "Again"
    assert (Path(settings.URGE_KEY_DIR) / old_name).read_bytes() != old_key


def owners_details(supporter: Supporter) -> tuple[str, ...]:
    fresh = Supporter.objects.get(pk=supporter.pk)
    return (fresh.email, fresh.first_name, fresh.last_name, fresh.zip_code, fresh.phone)


def test_a_key_rotation_during_a_sign_up_changes_nothing_its_owner_confirmed(
    hketo: Campaign,
) -> None:
    """`urge rotatekeys` writes every key file again between a sign-up's sealing and its
    writing: the same key, wrapped anew, so nothing needs sealing again."""
    owner = confirmed(hketo, email="ada@example.org")
    before = owners_details(owner)
    sealed = signup.sealed(a_later_sign_up(hketo, "ada@example.org"))
    assert datakeys.rewrap() >= 1
    signup._write([sealed])
    assert owners_details(owner) == before
    assert Supporter.objects.get(pk=owner.pk).pending  # the submission waits for its link


def test_a_sign_up_sealed_again_never_overwrites_what_a_confirmed_owner_gave(
    hketo: Campaign,
) -> None:
    """Whatever made a sign-up's key out of date by its writing, sealing it again rewrites
    its pending submission alone on a confirmed row, as the upsert itself does."""
    owner = confirmed(hketo, email="ada@example.org")
    before = owners_details(owner)
    sealed = signup.sealed(a_later_sign_up(hketo, "ada@example.org"))
    name = sealed.row.data_key_name()
    vars(sealed.row)["_data_key"] = (name, b"another file", b"another key", None)
    [stored] = signup._write([sealed])
    assert stored.pk == owner.pk
    assert owners_details(owner) == before


def test_purge_puts_back_a_key_whose_erasure_never_committed_and_destroys_the_rest(
    hketo: Campaign,
) -> None:
    live = confirmed(hketo, email="live@example.org")
    gone = confirmed(hketo, email="gone@example.org")
    aside = datakeys.doom([live.data_key_name(), gone.data_key_name()])
    Supporter.objects.filter(pk=gone.pk).update(anonymised_at=timezone.now(), **BLANKED)
    an_hour_ago = time.time() - ORPHAN_AGE_SECONDS - 1
    for path in aside:
        os.utime(path, (an_hour_ago, an_hour_ago))

    assert destroy_orphan_keys() == 1

    assert not list(datakeys.doomed_files())
    assert set(datakeys.names()) == {live.data_key_name()}
    assert Supporter.objects.get(pk=live.pk).email == "live@example.org"
