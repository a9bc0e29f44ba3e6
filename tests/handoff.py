"""Helpers for the hand-off tests: people who join, leave and erase themselves through the
real form code and the real links in their emails, time that passes, and the CSV files read
back as a co-host's CRM would read them."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import timedelta
from urllib.parse import urlsplit

from django.db.models import F
from django.http import HttpResponse
from django.test import Client

from tests.supporters import wording
from urge.campaigns.models import Campaign
from urge.dashboard.models import AuditEntry, HandOff
from urge.supporters import signup
from urge.supporters.links import ERASE, UNSUBSCRIBE, LinkTarget, absolute_link
from urge.supporters.models import Consent, Departure, Supporter
from urge.supporters.signup import Submission


def joined(
    campaign: Campaign,
    email: str,
    cohosts: Sequence[str],
    *,
    first_name: str = "Ada",
    zip_code: str = "98101",
    language: str = "en",
    referral: str = "",
) -> Supporter:
    """Signed up with the form's fields (and the link's referral code), and confirmed."""
    submission = Submission(
        first_name=first_name,
        last_name="Chan",
        email=email,
        zip_code=zip_code,
        phone="",
        language=language,
        chosen=[wording(slug, language) for slug in cohosts],
        referral=referral,
    )
    supporter = signup.submit(campaign, submission)
    signup.confirm(supporter)
    supporter.refresh_from_db()
    return supporter


def press(purpose: str, supporter: Supporter, cohost: str = "") -> None:
    """The button behind a link in the supporter's email, pressed."""
    url = absolute_link(purpose, LinkTarget(str(supporter.ref), cohost), "hketo", "en")
    answer = Client().post(urlsplit(url).path, headers={"Sec-Fetch-Site": "same-origin"})
    assert answer.status_code == 200


def leaves(supporter: Supporter, cohost: str) -> None:
    press(UNSUBSCRIBE, supporter, cohost)


def erases(supporter: Supporter) -> None:
    press(ERASE, supporter)


def time_passes(hours: int = 1) -> None:
    """Everything recorded so far moves `hours` into the past, as if that long went by."""
    delta = timedelta(hours=hours)
    Supporter.objects.update(
        created_at=F("created_at") - delta,
        confirmed_at=F("confirmed_at") - delta,
        updated_at=F("updated_at") - delta,
        anonymised_at=F("anonymised_at") - delta,
    )
    Consent.objects.update(
        given_at=F("given_at") - delta,
        confirmed_at=F("confirmed_at") - delta,
        withdrawn_at=F("withdrawn_at") - delta,
    )
    Departure.objects.update(at=F("at") - delta)
    AuditEntry.objects.update(at=F("at") - delta)
    HandOff.objects.update(
        exported_at=F("exported_at") - delta, suppression_at=F("suppression_at") - delta
    )


def table(response: object) -> list[dict[str, str]]:
    """A downloaded CSV file, one dict per line, as a CRM's import reads it."""
    assert isinstance(response, HttpResponse)
    assert response.status_code == 200, response.status_code
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
