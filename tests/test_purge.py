"""`urge purge`: what is kept past its time goes, counted; a dry run changes nothing."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.supporters import confirmed, sign_up
from urge.campaigns.models import Campaign
from urge.supporters import datakeys
from urge.supporters.erasure import BLANKED, ORPHAN_AGE_SECONDS
from urge.supporters.management.commands.purge import Command
from urge.supporters.models import EmailClaim, Supporter

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("settings_for_purge"),
]


@pytest.fixture
def settings_for_purge() -> Iterator[None]:
    with override_settings(URGE_UNCONFIRMED_DAYS=14, URGE_RETENTION_DAYS=90):
        yield


def purge(*args: str) -> list[str]:
    out = StringIO()
    call_command("purge", *args, stdout=out)
    return out.getvalue().splitlines()


def age(supporter: Supporter, days: int, *fields: str) -> None:
    then = timezone.now() - timedelta(days=days)
    Supporter.objects.filter(pk=supporter.pk).update(**dict.fromkeys(fields, then))


def finish(task: DBTaskResult[..., Any], status: str, days_ago: int) -> None:
    finished_at = timezone.now() - timedelta(days=days_ago)
    DBTaskResult.objects.filter(pk=task.pk).update(status=status, finished_at=finished_at)


@dataclass
class People:
    never_confirmed: Supporter  # signed up 20 days ago, never confirmed: deleted
    just_signed_up: Supporter
    signed_up_again: Supporter  # first 20 days ago, again yesterday: its link still works
    stale_change: Supporter  # confirmed; a change typed 20 days ago, never confirmed: cleared
    fresh_change: Supporter


@pytest.fixture
def people(hketo: Campaign) -> People:
    Campaign.objects.filter(pk=hketo.pk).update(closes_on=None)  # still running
    found = People(
        never_confirmed=sign_up(hketo, email="old@example.org", first_name="Oldname"),
        just_signed_up=sign_up(hketo, email="new@example.org"),
        signed_up_again=sign_up(hketo, email="again@example.org"),
        stale_change=confirmed(hketo, email="stale@example.org", cohosts=["dc4hk"]),
        fresh_change=confirmed(hketo, email="fresh@example.org"),
    )
    age(found.never_confirmed, 20, "created_at", "pending_since")
    age(found.signed_up_again, 20, "created_at")
    age(found.signed_up_again, 1, "pending_since")
    sign_up(hketo, email="stale@example.org", cohosts=["hkdc"])
    age(found.stale_change, 20, "pending_since")
    sign_up(hketo, email="fresh@example.org", cohosts=["hkdc"])

    tasks = list(DBTaskResult.objects.order_by("enqueued_at"))
    finish(tasks[0], "SUCCESSFUL", days_ago=10)
    finish(tasks[1], "FAILED", days_ago=8)
    finish(tasks[2], "SUCCESSFUL", days_ago=1)
    # A claim the failed task's run left on its email, and one a run holds now.
    EmailClaim.objects.create(key="left-by-a-failed-run", run="gone")
    EmailClaim.objects.filter(key="left-by-a-failed-run").update(
        claimed_at=timezone.now() - timedelta(days=8)
    )
    EmailClaim.objects.create(key="held-now", run="running")
    return found


def snapshot() -> list[object]:
    supporters = Supporter.objects.order_by("pk")
    return [
        [(s.pk, s.pending, s.pending_since, s.email, s.anonymised_at) for s in supporters],
        list(DBTaskResult.objects.order_by("pk").values_list("pk", "status")),
        list(EmailClaim.objects.order_by("key").values_list("key", flat=True)),
    ]


def test_it_counts_what_it_would_do_and_changes_nothing(people: People) -> None:
    before = snapshot()

    assert purge() == [
        "Would destroy 0 data keys of erased or deleted supporters",
        "Would delete 1 unconfirmed sign-ups older than 14 days",
        "Would anonymise 0 supporters of campaigns closed more than 90 days ago",
        "Would clear 1 unconfirmed changes to confirmed sign-ups older than 14 days",
        "Would delete 0 staff sign-in events older than 365 days",
        "Would delete 2 finished background tasks older than 7 days",
        "Would delete 0 records of emails sent more than 7 days ago",
        "Would delete 1 claims on emails left more than 7 days ago",
        "Dry run: nothing was changed. Run again with --commit to do it.",
    ]
    assert snapshot() == before


def test_it_removes_exactly_what_is_past_its_time(people: People) -> None:
    output = purge("--commit")

    assert output == [
        "Destroyed 0 data keys of erased or deleted supporters",
        "Deleted 1 unconfirmed sign-ups older than 14 days",
        "Anonymised 0 supporters of campaigns closed more than 90 days ago",
        "Cleared 1 unconfirmed changes to confirmed sign-ups older than 14 days",
        "Deleted 0 staff sign-in events older than 365 days",
        "Deleted 2 finished background tasks older than 7 days",
        "Deleted 0 records of emails sent more than 7 days ago",
        "Deleted 1 claims on emails left more than 7 days ago",
    ]
    assert not Supporter.objects.filter(pk=people.never_confirmed.pk).exists()
    assert Supporter.objects.count() == 4
    stale = Supporter.objects.get(pk=people.stale_change.pk)
    assert (stale.pending, stale.pending_since) == ("", None)
    assert list(stale.consents.values_list("cohost__slug", "withdrawn_at")) == [("dc4hk", None)]
    assert Supporter.objects.get(pk=people.fresh_change.pk).pending
    assert Supporter.objects.get(pk=people.signed_up_again.pk).pending
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1
    assert not DBTaskResult.objects.filter(status="FAILED").exists()
    assert list(EmailClaim.objects.values_list("key", flat=True)) == ["held-now"]
    # Done once, there is nothing more to do.
    assert [line.split()[2] for line in purge()[:-1]] == ["0", "0", "0", "0", "0", "0", "0", "0"]


@pytest.mark.parametrize(("closed_days_ago", "anonymised"), [(91, 2), (89, 0)])
def test_it_anonymises_supporters_once_the_campaign_has_been_closed_long_enough(
    hketo: Campaign, closed_days_ago: int, anonymised: int
) -> None:
    closes_on = timezone.localdate() - timedelta(days=closed_days_ago)
    Campaign.objects.filter(pk=hketo.pk).update(closes_on=closes_on)
    supporter = confirmed(hketo, email="ada@example.org", cohosts=["dc4hk", "hkdc"])
    sign_up(hketo, email="bob@example.org")
    never_confirmed = sign_up(hketo, email="old@example.org")
    age(never_confirmed, 20, "created_at", "pending_since")

    assert purge()[1:3] == [
        "Would delete 1 unconfirmed sign-ups older than 14 days",
        f"Would anonymise {anonymised} supporters of campaigns closed more than 90 days ago",
    ]
    assert purge("--commit")[2] == (
        f"Anonymised {anonymised} supporters of campaigns closed more than 90 days ago"
    )

    assert Supporter.objects.count() == 2  # kept for the counts
    assert Supporter.objects.filter(anonymised_at__isnull=False).count() == anonymised
    withdrawn = supporter.consents.filter(withdrawn_at__isnull=False).count()
    assert withdrawn == (2 if anonymised else 0)


def test_it_prints_no_personal_data(people: People) -> None:
    printed = "\n".join(purge() + purge("--commit"))

    assert "@" not in printed
    for secret in ("Oldname", "Ada", "Lovelace", "98101", str(people.never_confirmed.ref)):
        assert secret not in printed


def test_it_explains_itself_in_its_help() -> None:
    text = Command().create_parser("urge", "purge").format_help()

    assert "--commit" in text
    assert "dry run" in text.lower()
    assert "URGE_UNCONFIRMED_DAYS" in text


def test_the_keys_of_deleted_and_anonymised_supporters_go_when_it_commits(
    people: People, django_capture_on_commit_callbacks: Any
) -> None:
    Campaign.objects.filter(pk=people.fresh_change.campaign_id).update(
        closes_on=timezone.localdate() - timedelta(days=91)
    )
    gone = people.never_confirmed.data_key_name()
    anonymised = people.fresh_change.data_key_name()
    assert {gone, anonymised} <= set(datakeys.names())

    with django_capture_on_commit_callbacks(execute=True):
        purge("--commit")

    assert not {gone, anonymised} & set(datakeys.names())


def test_it_destroys_a_key_an_interrupted_erasure_left_behind_once_an_hour_old(
    hketo: Campaign,
) -> None:
    left = sign_up(hketo, email="left@example.org")
    young = sign_up(hketo, email="young@example.org")
    live = sign_up(hketo, email="live@example.org")
    Supporter.objects.filter(pk__in=[left.pk, young.pk]).update(
        anonymised_at=timezone.now(), **BLANKED
    )  # as if the process died before destroying the keys
    an_hour_ago = time.time() - ORPHAN_AGE_SECONDS - 1
    for row in (left, live):
        os.utime(Path(settings.URGE_KEY_DIR) / row.data_key_name(), (an_hour_ago, an_hour_ago))

    assert purge()[0] == "Would destroy 1 data keys of erased or deleted supporters"
    assert purge("--commit")[0] == "Destroyed 1 data keys of erased or deleted supporters"

    assert set(datakeys.names()) == {young.data_key_name(), live.data_key_name()}
    assert Supporter.objects.get(pk=live.pk).email == "live@example.org"
