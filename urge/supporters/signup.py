"""Storing a sign-up, and applying it once its email link is confirmed.

A sign-up is stored whole or not at all: the supporter row, their pending choices and the
queued confirmation email go in one transaction. Nothing the form says takes effect until
the address's owner confirms, so the answer to a submission is the same whether or not the
address was known, and nobody can change another person's choices by knowing their address.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from urge.campaigns.models import Campaign, CoHost
from urge.core.groupcommit import GroupCommit
from urge.sharing.counting import SIGNUP, count
from urge.sharing.referrals import known_ref
from urge.supporters import datakeys, departures
from urge.supporters.crypto import UndecryptableError, email_hash, normalise_email
from urge.supporters.models import Consent, Supporter


@dataclass(frozen=True)
class Wording:
    """The exact words beside one co-host's checkbox, as the person saw them."""

    cohost: str  # the co-host's slug
    text: str
    language: str

    @property
    def version(self) -> str:
        digest = hashlib.sha256(f"{self.language}\n{self.text}".encode()).hexdigest()
        return digest[:16]


@dataclass(frozen=True)
class Submission:
    first_name: str
    last_name: str
    email: str
    zip_code: str
    phone: str
    language: str
    chosen: list[Wording] = field(default_factory=list)  # the co-hosts ticked, with wording
    referral: str = ""


def submit(campaign: Campaign, submission: Submission) -> Supporter:
    """Store the submission as pending and queue its confirmation email, all or nothing.

    Returns once committed; under load, with other sign-ups of this worker in the same
    transaction (urge/core/groupcommit.py).
    """
    now = timezone.now()
    row = Supporter(
        campaign=campaign,
        email_hash=email_hash(submission.email),
        email=normalise_email(submission.email),
        first_name=submission.first_name,
        last_name=submission.last_name,
        zip_code=submission.zip_code,
        phone=submission.phone,
        language=submission.language,
        pending=_pending_json(submission, now),
        pending_since=now,
    )
    datakeys.prepare(row)  # found or made here, so that the shared writer only seals
    return _signups.submit(row)


def _write(rows: Sequence[Supporter]) -> list[Supporter]:
    """One statement for the whole batch: new addresses become rows; for known ones (and
    for one written by another worker a moment ago) only the pending submission changes.
    Then queued tasks email them, in batches (urge/supporters/tasks.py)."""
    from urge.supporters.tasks import queue_confirmations

    latest = {(row.campaign_id, row.email_hash): row for row in rows}  # the last one wins
    Supporter.objects.bulk_create(
        latest.values(),
        update_conflicts=True,
        unique_fields=["campaign", "email_hash"],
        update_fields=["pending", "pending_since"],
    )
    stored = {
        (s.campaign_id, s.email_hash): s
        for s in Supporter.objects.filter(
            campaign_id__in={key[0] for key in latest}, email_hash__in={key[1] for key in latest}
        ).only("id", "ref", "campaign_id", "email_hash")
    }
    _seal_again_if_erased_meanwhile(latest, stored)
    queue_confirmations([str(stored[key].ref) for key in latest])
    return [stored[(row.campaign_id, row.email_hash)] for row in rows]


def _seal_again_if_erased_meanwhile(
    written: dict[tuple[int, str | None], Supporter],
    stored: dict[tuple[int, str | None], Supporter],
) -> None:
    """A row sealed under a key that an erasure of the same address took away before this
    transaction wrote it (possible on PostgreSQL, where the erasure holds no global lock) is
    sealed again, under a new key: the erased key is destroyed, and the erased person's old
    copies must never open with one a newcomer uses."""
    for key, row in written.items():
        if datakeys.still_current(row):
            continue
        datakeys.forget_kept(row)
        row.pk = stored[key].pk
        row.save(update_fields=["email", "first_name", "last_name", "zip_code", "phone", "pending"])


# One per process: concurrent sign-ups share a transaction, each answered once committed.
_signups: GroupCommit[Supporter, Supporter] = GroupCommit(_write)


def _pending_json(submission: Submission, now: datetime) -> str:
    data = asdict(submission)
    del data["email"]  # the address is what identifies the row; it never changes
    # Its own name: the link emailed for it confirms it and no later submission.
    data["submission"] = secrets.token_hex(8)
    data["chosen"] = [{**asdict(w), "version": w.version} for w in submission.chosen]
    data["submitted_at"] = now.isoformat()
    return json.dumps(data, ensure_ascii=False)


def pending_submission(supporter: Supporter) -> dict[str, Any] | None:
    """The submission awaiting confirmation, as sent, or None."""
    return json.loads(supporter.pending) if supporter.pending else None


def confirm(supporter: Supporter, submission: str | None = None) -> bool:
    """Apply the pending sign-up; False when there was nothing waiting (already confirmed),
    or when `submission` names another than the one waiting (a later one replaced it: only
    its own link, in its own email, applies it)."""
    with transaction.atomic():
        supporter = Supporter.objects.select_for_update().get(pk=supporter.pk)
        if not supporter.pending:
            return False
        now = timezone.now()
        data = json.loads(supporter.pending)
        if submission is not None and data.get("submission", "") != submission:
            return False
        for name in ("first_name", "last_name", "zip_code", "phone", "language"):
            setattr(supporter, name, data[name])
        supporter.confirmed_at = supporter.confirmed_at or now
        supporter.updated_at = now
        supporter.pending = ""
        supporter.pending_since = None
        supporter.save()
        _apply_choices(supporter, data, now)
        if supporter.confirmed_at == now:  # the first confirmation: one more sign-up
            count(supporter.campaign, data.get("referral", ""), SIGNUP)
    return True


def _apply_choices(supporter: Supporter, data: dict[str, object], now: datetime) -> None:
    chosen = {str(w["cohost"]): w for w in data["chosen"]}  # type: ignore[attr-defined]
    given_at = datetime.fromisoformat(str(data["submitted_at"]))
    active = {c.cohost.slug: c for c in active_consents(supporter).select_related("cohost")}
    left = [consent for slug, consent in active.items() if slug not in chosen]
    for consent in left:
        consent.withdrawn_at = now
        consent.save(update_fields=["withdrawn_at"])
    departures.record_withdrawals(supporter.pk, [c.cohost_id for c in left], now)
    cohosts = {c.slug: c for c in CoHost.objects.filter(campaign=supporter.campaign_id)}
    for slug, wording in chosen.items():
        if slug in active or slug not in cohosts:
            continue
        Consent.objects.create(
            supporter=supporter,
            cohost=cohosts[slug],
            wording=wording["text"],
            wording_version=wording["version"],
            language=wording["language"],
            # Only one of the campaign's codes: a made-up `ref` would reach the co-host's
            # export, and could carry anything a link's author put there.
            referral=known_ref(supporter.campaign, data.get("referral", "")),
            given_at=given_at,
            confirmed_at=now,
        )


def active_consents(supporter: Supporter) -> QuerySet[Consent]:
    return supporter.consents.filter(withdrawn_at__isnull=True)


def withdraw(supporter: Supporter, cohost_slug: str) -> int:
    """Take back consent for one co-host, or every co-host with links.ALL_COHOSTS.

    A choice still waiting for confirmation is dropped too: leaving a list from the
    confirmation email and confirming afterwards must not sign the person up again.
    """
    from urge.supporters.links import ALL_COHOSTS

    with transaction.atomic():
        locked = Supporter.objects.select_for_update().filter(pk=supporter.pk)
        try:
            supporter = locked.only("pk", "campaign_id", "email_hash", "pending").get()
            pending = supporter.pending
        except UndecryptableError:
            # Sealed under a key that is gone: nothing waiting in it can ever apply.
            supporter = locked.only("pk", "campaign_id", "email_hash").get()
            locked.update(pending="", pending_since=None)
            pending = ""
        if pending:
            data = json.loads(pending)
            data["chosen"] = [
                w for w in data["chosen"] if cohost_slug not in (ALL_COHOSTS, w["cohost"])
            ]
            supporter.pending = json.dumps(data, ensure_ascii=False)
            supporter.save(update_fields=["pending"])
        consents = active_consents(supporter)
        if cohost_slug != ALL_COHOSTS:
            consents = consents.filter(cohost__slug=cohost_slug)
        now = timezone.now()
        departures.record_withdrawals(
            supporter.pk, consents.values_list("cohost_id", flat=True), now
        )
        return consents.update(withdrawn_at=now)
