"""`urge purge`: remove personal data kept past its time (a dry run unless --commit)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from urge.accounts.models import AuthEvent
from urge.core.joblock import running_alone
from urge.supporters.erasure import anonymise, delete, destroy_orphan_keys
from urge.supporters.models import EmailClaim, SentEmail, Supporter

TASK_RESULT_DAYS = 7


@dataclass(frozen=True)
class Chore:
    """One kind of thing to remove: how to describe it, and what doing it means."""

    verb: str  # past tense, "Deleted"
    dry_verb: str  # "Would delete"
    description: str  # after the count, "unconfirmed sign-ups older than 14 days"
    count: Callable[[], int]
    do: Callable[[], object]

    @classmethod
    def of(
        cls,
        verb: str,
        dry_verb: str,
        description: str,
        queryset: QuerySet[Any],
        do: Callable[[QuerySet[Any]], object],
    ) -> Chore:
        return cls(verb, dry_verb, description, queryset.count, lambda: do(queryset))


class Command(BaseCommand):
    help = (
        "Remove personal data that is kept no longer than promised: unconfirmed sign-ups and "
        "unconfirmed changes older than URGE_UNCONFIRMED_DAYS, the supporters of campaigns "
        "closed more than URGE_RETENTION_DAYS ago (anonymised: counts stay), expired rate-limit "
        "counters, finished background tasks and the records of emails sent older than "
        f"{TASK_RESULT_DAYS} days, and the data keys no supporter uses any more. "
        "Prints counts, never personal data. A dry run unless --commit; one transaction. "
        "A --commit run while another holds the job's lock in the database (on any host) "
        "logs that and ends without doing anything."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--commit", action="store_true", help="Delete and anonymise.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["commit"]:
            self._purge(options)
            return
        # Once across hosts: every host's `urge serve` runs this each hour (urge/core/joblock.py).
        with running_alone("purge") as mine:
            if mine:
                self._purge(options)

    def _purge(self, options: dict[str, Any]) -> None:
        commit = options["commit"]
        with transaction.atomic():
            # Counted first, in the order they are done, so the dry run's counts are the
            # commit's: the sets do not overlap.
            for chore in chores():
                count = chore.count()
                if commit:
                    chore.do()
                verb = chore.verb if commit else chore.dry_verb
                if count or options["verbosity"] > 0:  # the hourly run logs only what it did
                    self.stdout.write(f"{verb} {count} {chore.description}")
        if not commit:
            self.stdout.write("Dry run: nothing was changed. Run again with --commit to do it.")


def chores() -> list[Chore]:
    now = timezone.now()
    days = settings.URGE_UNCONFIRMED_DAYS
    retention = settings.URGE_RETENTION_DAYS
    cutoff = now - timedelta(days=days)
    # Never confirmed, and not submitted again within the period either.
    unconfirmed = Q(confirmed_at__isnull=True, created_at__lt=cutoff) & ~Q(
        pending_since__gte=cutoff
    )
    closed = (
        Q(
            campaign__closes_on__lt=timezone.localdate() - timedelta(days=retention),
            anonymised_at__isnull=True,
        )
        & ~unconfirmed
    )
    stale = Q(confirmed_at__isnull=False, pending_since__lt=cutoff) & ~closed
    tasks = DBTaskResult.objects.finished().filter(
        finished_at__lt=now - timedelta(days=TASK_RESULT_DAYS)
    )
    return [
        # First, so that it counts the same in a dry run: keys that an erasure interrupted
        # before its end left behind. (The keys of the supporters erased or deleted below
        # are destroyed when this run commits.)
        Chore(
            "Destroyed",
            "Would destroy",
            "data keys of erased or deleted supporters",
            lambda: destroy_orphan_keys(dry_run=True),
            destroy_orphan_keys,
        ),
        Chore.of(
            "Deleted",
            "Would delete",
            f"unconfirmed sign-ups older than {days} days",
            Supporter.objects.filter(unconfirmed),
            delete,
        ),
        Chore.of(
            "Anonymised",
            "Would anonymise",
            f"supporters of campaigns closed more than {retention} days ago",
            Supporter.objects.filter(closed),
            anonymise,
        ),
        Chore.of(
            "Cleared",
            "Would clear",
            f"unconfirmed changes to confirmed sign-ups older than {days} days",
            Supporter.objects.filter(stale),
            _clear_pending,
        ),
        Chore.of(
            "Deleted",
            "Would delete",
            f"staff sign-in events older than {settings.URGE_AUTH_LOG_DAYS} days",
            AuthEvent.objects.filter(at__lt=now - timedelta(days=settings.URGE_AUTH_LOG_DAYS)),
            _delete,
        ),
        Chore.of(
            "Deleted",
            "Would delete",
            f"finished background tasks older than {TASK_RESULT_DAYS} days",
            tasks,
            _delete,
        ),
        # Needed only while a task that asked for the email may run again (urge/core/lease.py).
        Chore.of(
            "Deleted",
            "Would delete",
            f"records of emails sent more than {TASK_RESULT_DAYS} days ago",
            SentEmail.objects.filter(sent_at__lt=now - timedelta(days=TASK_RESULT_DAYS)),
            _delete,
        ),
        # A claim is dropped when its email goes or fails; one is left only by a run that
        # ended without either (its task failed, or its worker died and nobody took it over).
        Chore.of(
            "Deleted",
            "Would delete",
            f"claims on emails left more than {TASK_RESULT_DAYS} days ago",
            EmailClaim.objects.filter(claimed_at__lt=now - timedelta(days=TASK_RESULT_DAYS)),
            _delete,
        ),
    ]


def _delete(queryset: QuerySet[Any]) -> object:
    return queryset.delete()


def _clear_pending(queryset: QuerySet[Any]) -> object:
    return queryset.update(pending="", pending_since=None)
