"""Made-up supporters for tests: signed up through the real `signup.submit`, and confirmed."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.management import call_command

from urge.campaigns.models import Campaign
from urge.supporters import signup
from urge.supporters.models import Supporter
from urge.supporters.signup import Submission, Wording


def wording(cohost: str, language: str = "en") -> Wording:
    return Wording(
        cohost=cohost, text=f"{cohost} may email me about this campaign.", language=language
    )


def sign_up(
    campaign: Campaign,
    email: str = "ada@example.org",
    cohosts: Sequence[str] = ("dc4hk",),
    language: str = "en",
    first_name: str = "Ada",
    last_name: str = "Lovelace",
    zip_code: str = "98101",
    phone: str = "",
) -> Supporter:
    """A sign-up awaiting confirmation, its email queued, as the form would store it."""
    submission = Submission(
        first_name=first_name,
        last_name=last_name,
        email=email,
        zip_code=zip_code,
        phone=phone,
        language=language,
        chosen=[wording(slug, language) for slug in cohosts],
    )
    return signup.submit(campaign, submission)


def confirmed(
    campaign: Campaign,
    email: str = "ada@example.org",
    cohosts: Sequence[str] = ("dc4hk",),
    language: str = "en",
) -> Supporter:
    """A supporter who signed up and pressed the button in the email."""
    supporter = sign_up(campaign, email=email, cohosts=cohosts, language=language)
    signup.confirm(supporter)
    supporter.refresh_from_db()
    return supporter


def run_worker(verbosity: int = 0) -> None:
    """The queue worker, as `urge serve` runs it, until the queue is empty."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=verbosity)
