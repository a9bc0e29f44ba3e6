"""The email that asks a supporter to confirm their sign-up, with links to leave or erase."""

from __future__ import annotations

import json
import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from urge.campaigns.models import Campaign
from urge.campaigns.names import campaign_title, cohost_names
from urge.core.hashing import keyed_hash
from urge.core.ratelimit import hit, limit
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
    """

    def __init__(self, summary: str, transient: bool) -> None:
        super().__init__(summary)
        self.transient = transient


@dataclass(frozen=True)
class LeaveLink:
    name: str
    url: str


def send_confirmation_email(ref: str, counted: bool = True) -> None:
    """Send the confirmation email, unless the sign-up is gone, erased or already confirmed.
    `counted`: whether it counts against the address's allowance (a retry does not)."""
    supporter = (
        Supporter.objects.select_related("campaign")
        .filter(ref=ref, anonymised_at__isnull=True)
        .first()
    )
    if supporter is None or not supporter.pending:
        return
    if counted and not within_mail_limits(supporter.email):
        # However many sign-ups name an address, it gets only so many emails; the page
        # said the same either way. Nothing about the address goes to the log.
        logger.info("A confirmation email was not sent: its address reached its limit.")
        return
    try:
        confirmation_email(supporter).send()
    except (smtplib.SMTPException, OSError) as error:
        # The worker logs a failed task's exception and stores its traceback: neither may
        # hold the server's reply ("<ada@example.org>: Recipient address rejected").
        codes = smtp_codes(error)
        summary = " ".join([type(error).__name__, *map(str, codes)])
        transient = all(400 <= code < 500 for code in codes)  # no code: no answer at all
        raise ConfirmationNotSent(summary, transient) from None


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


def confirmation_email(supporter: Supporter) -> EmailMessage:
    pending = json.loads(supporter.pending)
    # The language of the latest submission: the person reading this email just used it.
    language = _known_language(str(pending.get("language") or supporter.language))
    campaign = supporter.campaign
    names = cohost_names(campaign, language)

    def link(purpose: str, cohost: str = "") -> str:
        target = LinkTarget(str(supporter.ref), cohost, str(pending.get("submission", "")))
        return absolute_link(purpose, target, campaign.slug, language)

    leave_all = link(UNSUBSCRIBE, ALL_COHOSTS)
    title = campaign_title(campaign, language)
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
        },
    )


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
