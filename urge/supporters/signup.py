"""Storing a sign-up, and applying it once its email link is confirmed.

A sign-up is stored whole or not at all: the supporter row, their pending choices and the
queued confirmation email go in one transaction. Nothing the form says takes effect until
the address's owner confirms, so the answer to a submission is the same whether or not the
address was known, and nobody can change another person's choices by knowing their address.
"""

from __future__ import annotations

import functools
import hashlib
import json
import secrets
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Field, QuerySet
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
    return _signups.submit(sealed(row))


@dataclass(frozen=True)
class Sealed:
    """A sign-up's row, and its columns as the database takes them, personal fields sealed."""

    row: Supporter
    columns: tuple[Any, ...]


@functools.cache
def _inserted_fields() -> list[Field[Any, Any]]:
    return [f for f in Supporter._meta.concrete_fields if not f.primary_key]


def sealed(row: Supporter) -> Sealed:
    """The row's data key found or made, and what an INSERT of the row sends, made as
    Django's own INSERT makes it (pre_save, which seals the personal fields, then each
    value's database form). Done in the request's thread: the shared writer, which holds the
    database's write lock, then only sends it."""
    datakeys.prepare(row)
    columns = (f.get_db_prep_save(f.pre_save(row, True), connection) for f in _inserted_fields())
    return Sealed(row, tuple(columns))


@functools.cache
def _upsert() -> str:
    """New addresses become rows; for a known one (or one another worker wrote a moment
    ago), only the pending submission changes. Names from the model and placeholders only."""
    columns = ", ".join(_column(field.name) for field in _inserted_fields())
    marks = ", ".join(["%s"] * len(_inserted_fields()))
    unique = ", ".join(_column(name) for name in ("campaign", "email_hash"))
    changed = ", ".join(
        f"{_column(name)} = EXCLUDED.{_column(name)}" for name in ("pending", "pending_since")
    )
    return (
        f"INSERT INTO {_table()} ({columns}) VALUES ({marks}) "  # noqa: S608
        f"ON CONFLICT ({unique}) DO UPDATE SET {changed}"
    )


def _table() -> str:
    return connection.ops.quote_name(Supporter._meta.db_table)


def _column(name: str) -> str:
    """The quoted column of Supporter's field `name`."""
    column = getattr(Supporter._meta.get_field(name), "column", None)
    if not isinstance(column, str):
        raise TypeError(f"Supporter.{name} has no column")
    return connection.ops.quote_name(column)


def _write(batch: Sequence[Sealed]) -> list[Supporter]:
    """One statement for each address in the batch. Then queued tasks email them, in
    batches (urge/supporters/tasks.py)."""
    from urge.supporters.tasks import queue_confirmations

    rows = [item.row for item in batch]
    latest = {(item.row.campaign_id, item.row.email_hash): item for item in batch}  # last wins
    with connection.cursor() as cursor:
        cursor.executemany(_upsert(), [item.columns for item in latest.values()])
    stored = _stored(list(latest))
    _seal_again_if_erased_meanwhile({key: item.row for key, item in latest.items()}, stored)
    queue_confirmations([str(stored[key].ref) for key in latest])
    return [stored[(row.campaign_id, row.email_hash)] for row in rows]


_STORED = ("id", "campaign_id", "ref", "email_hash")  # in the model's order, as from_db wants


def _stored(keys: list[tuple[int, str | None]]) -> dict[tuple[int, str | None], Supporter]:
    """The rows of these (campaign, address hash) pairs, with only the fields above: one
    plain query (the ORM's own building of it cost as much as the batch's upsert)."""
    columns = ", ".join(_column(name) for name in _STORED)
    campaigns = sorted({key[0] for key in keys})
    hashes = sorted({str(key[1]) for key in keys})
    sql = (
        f"SELECT {columns} FROM {_table()} "  # noqa: S608 (names and marks only)
        f"WHERE {_column('campaign')} IN ({', '.join(['%s'] * len(campaigns))}) "
        f"AND {_column('email_hash')} IN ({', '.join(['%s'] * len(hashes))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*campaigns, *hashes])
        rows = cursor.fetchall()
    ref = Supporter._meta.get_field("ref")
    found = {}
    for pk, campaign_id, stored_ref, hashed in rows:
        values = (pk, campaign_id, ref.to_python(stored_ref), hashed)
        found[(campaign_id, hashed)] = Supporter.from_db(connection.alias, list(_STORED), values)
    return found


def _seal_again_if_erased_meanwhile(
    written: dict[tuple[int, str | None], Supporter],
    stored: dict[tuple[int, str | None], Supporter],
) -> None:
    """A row sealed under a key that an erasure of the same address took away before this
    transaction wrote it (possible on PostgreSQL, where the erasure holds no global lock) is
    sealed again, under a new key: the erased key is destroyed, and the erased person's old
    copies must never open with one a newcomer uses. Only what the upsert could have written
    is written again: for a confirmed row, the pending submission alone, so that nothing of
    an unconfirmed sign-up ever takes the place of what its address's owner confirmed."""
    for key, row in written.items():
        if datakeys.still_current(row):
            continue
        datakeys.forget_kept(row)
        row.pk = stored[key].pk
        if Supporter.objects.filter(pk=row.pk, confirmed_at__isnull=False).exists():
            row.save(update_fields=["pending"])
        else:
            fields = ["email", "first_name", "last_name", "zip_code", "phone", "pending"]
            row.save(update_fields=fields)


# One per process: concurrent sign-ups share a transaction, each answered once committed.
_signups: GroupCommit[Sealed, Supporter] = GroupCommit(_write)


def _pending_json(submission: Submission, now: datetime) -> str:
    # Field by field: asdict() would copy `chosen` deeply, only for it to be replaced below.
    data = {f.name: getattr(submission, f.name) for f in fields(submission)}
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
