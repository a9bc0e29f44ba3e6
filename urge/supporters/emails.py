"""The email that asks a supporter to confirm their sign-up, with links to leave or erase.

Emails go out in batches over one SMTP connection: opening one (TCP, greeting, EHLO, TLS,
login) costs more than the message. Each email the server takes is recorded at once, on its
own, as a SentEmail row named by a key of the request that asked for it, so that a task run
again (a worker killed mid-batch and its task put back, see urge/core/lease.py) sends only
what has not gone. What is left is the moment between the server's "250 accepted" and that
row's commit: a worker killed exactly then sends that one email again. Its Message-ID is
made from the same key, so the copy is recognisably the same message (some providers fold
such copies into one).

A task's lease can also run out while its worker is alive but slow (a mail server that
times out again and again), and then two workers run the same batch at once. So each email
is claimed (an EmailClaim row, committed: urge/supporters/claims.py) just before it is sent,
after which the record of what went is read again: a run finds an email sent, or claimed by
the other run and leaves it to that one; only one of them sends it. A claim runs out with
the lease, so an email whose worker died between claiming and sending it is sent by
whichever run comes next.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import smtplib
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from urge.campaigns.models import Campaign
from urge.campaigns.names import campaign_title, cohost_names
from urge.core.hashing import keyed_hash
from urge.core.ratelimit import hit, limit
from urge.supporters.claims import (
    Claim,
    already_sent,
    claim_runs_out,
    claimed,
    record_sent,
    release,
)
from urge.supporters.crypto import email_hash, normalise_email
from urge.supporters.links import (
    ALL_COHOSTS,
    CONFIRM,
    ERASE,
    UNSUBSCRIBE,
    LinkTarget,
    absolute_link,
)
from urge.supporters.models import Supporter

logger = logging.getLogger(__name__)


class ConfirmationNotSent(Exception):
    """The mail server did not take the email. Why is left out: it can quote the address.

    `transient`: worth trying again later. A server that did not answer, or answered with a
    4xx code ("try again later"), is; a 5xx refusal ("no such mailbox") is final.
    `connection_lost`: the connection to the server cannot carry another email.
    """

    def __init__(self, summary: str, transient: bool, connection_lost: bool = False) -> None:
        super().__init__(summary)
        self.transient = transient
        self.connection_lost = connection_lost


@dataclass(frozen=True)
class LeaveLink:
    name: str
    url: str


@dataclass(frozen=True)
class Queued:
    """One confirmation email a task asks for: whose, and the key it is recorded under once
    sent ("" to keep no record, as a direct call does)."""

    ref: str
    key: str = ""


class ClaimedElsewhere(Exception):
    """Another run of the same task is sending this email now: look again once its claim
    could have run out (`until`)."""

    def __init__(self, until: datetime) -> None:
        super().__init__("claimed by another run")
        self.until = until


@dataclass(frozen=True)
class Unsent:
    """An email of a batch that did not go: the server did not take it (`error`), or the
    batch's time ran out before its turn (`error` None: nothing was tried or counted), or
    another run holds its claim until `held_until` (nothing tried or counted here either)."""

    ref: str
    error: ConfirmationNotSent | None
    held_until: datetime | None = None


def sent_key(origin: str, ref: str) -> str:
    """The key of the email to `ref` asked for by the task `origin` (the id of the first task
    of its chain of retries): the same in every retry and every run again of that task."""
    return hashlib.sha256(f"{origin}/{ref}".encode()).hexdigest()[:32]


def send_confirmation_email(ref: str, counted: bool = True, key: str = "") -> None:
    """Send the confirmation email, unless the sign-up is gone, erased or already confirmed,
    or the email under `key` was sent before. `counted`: whether it counts against the
    address's allowance (a retry does not, nor one an earlier run counted). Raises
    ConfirmationNotSent, or ClaimedElsewhere when another run of the same task holds its
    claim."""
    for unsent in send_confirmation_emails([Queued(ref, key)], counted):
        if unsent.held_until is not None:
            raise ClaimedElsewhere(unsent.held_until)
        if unsent.error is not None:
            raise unsent.error


def send_confirmation_emails(
    emails: Sequence[Queued], counted: bool = True, until: float = float("inf")
) -> list[Unsent]:
    """Send each email that is due over one connection to the mail server, recording each
    as it goes; what did not go is returned. None is begun after `until` (time.monotonic()):
    the rest are returned untried. After a failure of the connection itself, the rest are
    returned with that error, each counted as if tried (a retry does not count them)."""
    done = already_sent([email.key for email in emails if email.key])
    smtp = get_connection()
    words = CampaignWords()
    run = uuid.uuid4().hex  # this run's mark on the claims it takes
    unsent: list[Unsent] = []
    broken: ConfirmationNotSent | None = None
    try:
        for index, email in enumerate(emails):
            if time.monotonic() > until:
                unsent.extend(Unsent(rest.ref, None) for rest in emails[index:])
                break
            if email.key in done:
                continue
            if broken is not None:
                if _due(email.ref, counted) is not None:
                    unsent.append(Unsent(email.ref, broken))
                continue
            claim = claimed(email.key, run)
            if claim is Claim.HELD:
                unsent.append(Unsent(email.ref, None, held_until=claim_runs_out(email.key)))
                continue
            # An email taken over from a run whose lease ran out was counted by that run.
            fresh = counted and claim is Claim.MINE
            supporter = None if claim is Claim.SENT else _due(email.ref, fresh)
            if supporter is None:
                release(email.key, run)
                continue
            try:
                _send(smtp, confirmation_email(supporter, email.key, words))
            except ConfirmationNotSent as error:
                release(email.key, run)
                unsent.append(Unsent(email.ref, error))
                if error.connection_lost:
                    broken = error
            else:
                record_sent(email.key, run)
    finally:
        # The server's goodbye may fail too, once everything that could go has gone.
        with contextlib.suppress(smtplib.SMTPException, OSError):
            smtp.close()
    return unsent


def _due(ref: str, counted: bool) -> Supporter | None:
    """The sign-up to email, read afresh; None when it is gone, erased, already confirmed,
    or its address has had its allowance of emails (counted here when `counted`)."""
    supporter = (
        Supporter.objects.select_related("campaign")
        .filter(ref=ref, anonymised_at__isnull=True)
        .first()
    )
    if supporter is None or not supporter.pending:
        return None
    if counted and not within_mail_limits(supporter.email):
        # However many sign-ups name an address, it gets only so many emails; the page
        # said the same either way. Nothing about the address goes to the log.
        logger.info("A confirmation email was not sent: its address reached its limit.")
        return None
    return supporter


def _send(smtp: BaseEmailBackend, message: EmailMessage) -> None:
    """Send over `smtp`, opened by the first email and kept open for the next."""
    try:
        opened = False
        smtp.open()
        opened = True
        smtp.send_messages([message])
    except (smtplib.SMTPException, OSError) as error:
        raise _not_sent(error, opened) from None


def _not_sent(error: smtplib.SMTPException | OSError, opened: bool) -> ConfirmationNotSent:
    # The worker logs a failed task's exception and stores its traceback: neither may hold
    # the server's reply ("<ada@example.org>: Recipient address rejected").
    codes = smtp_codes(error)
    summary = " ".join([type(error).__name__, *map(str, codes)])
    transient = all(400 <= code < 500 for code in codes)  # no code: no answer at all
    # Not opened (no answer, or a refused login), no answer, or 421 ("closing the
    # channel"): there is no connection to carry the next email.
    lost = not opened or not codes or 421 in codes
    return ConfirmationNotSent(summary, transient, lost)


def smtp_codes(error: Exception) -> list[int]:
    """The reply codes in the mail server's answer; none when it did not answer."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return sorted({int(code) for code, _reply in error.recipients.values()})
    code = getattr(error, "smtp_code", None)
    return [int(code)] if isinstance(code, int) else []


def within_mail_limits(address: str) -> bool:
    """Count one email to `address` (by a keyed hash of its own) per hour and per day; False
    once either limit is reached."""
    key = keyed_hash("mail:" + normalise_email(address))
    within_hour = hit(limit("mail-hour"), key)
    within_day = hit(limit("mail-day"), key)
    return within_hour and within_day


class CampaignWords:
    """Campaigns' titles and co-hosts' names by language, each read once: a batch's emails
    are mostly of one campaign in one or two languages."""

    def __init__(self) -> None:
        self._titles: dict[tuple[int, str], str] = {}
        self._names: dict[tuple[int, str], dict[str, str]] = {}

    def title(self, campaign: Campaign, language: str) -> str:
        key = (campaign.pk, language)
        if key not in self._titles:
            self._titles[key] = campaign_title(campaign, language)
        return self._titles[key]

    def names(self, campaign: Campaign, language: str) -> dict[str, str]:
        key = (campaign.pk, language)
        if key not in self._names:
            self._names[key] = cohost_names(campaign, language)
        return self._names[key]


def confirmation_email(
    supporter: Supporter, key: str = "", words: CampaignWords | None = None
) -> EmailMessage:
    words = words or CampaignWords()
    pending = json.loads(supporter.pending)
    # The language of the latest submission: the person reading this email just used it.
    language = _known_language(str(pending.get("language") or supporter.language))
    campaign = supporter.campaign
    names = words.names(campaign, language)

    def link(purpose: str, cohost: str = "") -> str:
        target = LinkTarget(str(supporter.ref), cohost, str(pending.get("submission", "")))
        return absolute_link(purpose, target, campaign.slug, language)

    leave_all = link(UNSUBSCRIBE, ALL_COHOSTS)
    title = words.title(campaign, language)
    hears_from = _chosen_or_active(supporter)
    context = {
        "title": title,
        "chosen": [names[slug] for slug in pending_choices(supporter) if slug in names],
        "confirm_url": link(CONFIRM),
        "confirm_days": settings.URGE_CONFIRM_LINK_DAYS,
        "unconfirmed_days": settings.URGE_UNCONFIRMED_DAYS,
        # A "stop" link for each co-host this person chose or already hears from, no other.
        "leave_links": [
            LeaveLink(name, link(UNSUBSCRIBE, slug))
            for slug, name in names.items()
            if slug in hears_from
        ],
        "leave_all_url": leave_all,
        "erase_url": link(ERASE),
    }
    with translation.override(language):
        subject = gettext("Confirm your sign-up: %(title)s") % {"title": title}
        body = render_to_string("supporters/email/confirm.txt", context)
    return EmailMessage(
        subject=subject,
        body=body,
        to=[supporter.email],
        headers={
            # RFC 8058: mail clients offer one-click unsubscribe, which posts to this URL.
            "List-Unsubscribe": f"<{leave_all}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # RFC 3834: out-of-office replies should not answer it.
            "Auto-Submitted": "auto-generated",
            **({"Message-ID": message_id(key)} if key else {}),
        },
    )


def message_id(key: str) -> str:
    """The same on every host and every try of one email (its key is no personal data)."""
    return f"<{key}@{urlsplit(settings.URGE_SITE_URL).hostname or 'localhost'}>"


def _chosen_or_active(supporter: Supporter) -> set[str]:
    active = supporter.consents.filter(withdrawn_at__isnull=True)
    return {*pending_choices(supporter), *active.values_list("cohost__slug", flat=True)}


def pending_choices(supporter: Supporter) -> list[str]:
    """The slugs of the co-hosts ticked in the sign-up awaiting confirmation."""
    if not supporter.pending:
        return []
    return [str(wording["cohost"]) for wording in json.loads(supporter.pending)["chosen"]]


def resend_confirmation(campaign: Campaign, email: str) -> None:
    """Queue a check, for the queue worker, of whether this address has a sign-up awaiting its
    email: the same work here for every address (urge/supporters/tasks.py decides)."""
    from urge.supporters.tasks import resend_if_waiting

    resend_if_waiting.enqueue(campaign.pk, email_hash(email))


def _known_language(language: str) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    return language if language in codes else settings.LANGUAGE_CODE
