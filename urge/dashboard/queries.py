"""What the dashboard reads: who holds which role, and which supporters a co-host may contact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import OuterRef, QuerySet, Subquery
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from urge.campaigns.models import Campaign, CoHost
from urge.campaigns.names import cohost_name
from urge.dashboard.models import StaffRole
from urge.supporters.models import Consent, Supporter
from urge.supporters.tasks import send_confirmation


def roles_for(user: User, campaign: Campaign) -> list[StaffRole]:
    return list(StaffRole.objects.filter(user=user, campaign=campaign).select_related("cohost"))


def all_roles(user: User) -> QuerySet[StaffRole]:
    return (
        StaffRole.objects.filter(user=user)
        .select_related("campaign", "cohost")
        .order_by("campaign__slug", "role", "cohost__position")
    )


def counted_cohosts(campaign: Campaign, roles: list[StaffRole]) -> list[CoHost]:
    """The co-hosts whose counts a person sees: every one for an organiser, else their own."""
    if any(role.role == StaffRole.ORGANISER for role in roles):
        return list(campaign.cohosts.all())
    return detailed_cohosts(campaign, roles)


def detailed_cohosts(campaign: Campaign, roles: list[StaffRole]) -> list[CoHost]:
    """The co-hosts whose supporters' details a person sees: only those they work for, as
    the privacy notice says. Being an organiser gives counts, never names."""
    own = {role.cohost_id for role in roles if role.role == StaffRole.COHOST}
    return [cohost for cohost in campaign.cohosts.all() if cohost.pk in own]


def exportable(cohost: CoHost) -> QuerySet[Supporter]:
    """Supporters this co-host may contact, oldest consent first, each with the consent's
    `consent_given_at`, `consent_confirmed_at` and `consent_referral`.

    Confirmed, not anonymised, with a consent to this co-host that was never withdrawn. A
    subquery rather than a join, so that a supporter appears once however many consents
    they hold.
    """
    active = Consent.objects.filter(
        supporter=OuterRef("pk"), cohost=cohost, withdrawn_at__isnull=True
    ).order_by("given_at")
    return (
        Supporter.objects.filter(
            campaign_id=cohost.campaign_id, confirmed_at__isnull=False, anonymised_at__isnull=True
        )
        .annotate(
            consent_given_at=Subquery(active.values("given_at")[:1]),
            consent_confirmed_at=Subquery(active.values("confirmed_at")[:1]),
            consent_referral=Subquery(active.values("referral")[:1]),
        )
        .filter(consent_given_at__isnull=False)
        .order_by("consent_given_at", "pk")
    )


def unconfirmed_count(campaign: Campaign) -> int:
    """Sign-ups still waiting for their email link. Their choice of co-hosts is encrypted
    until then, so they cannot be counted per co-host."""
    return Supporter.objects.filter(
        campaign=campaign, confirmed_at__isnull=True, anonymised_at__isnull=True
    ).count()


def unsent_count(campaign: Campaign) -> int:
    """Sign-ups still waiting for a confirmation email that failed on its every try
    (urge/supporters/tasks.py). Failed tasks are kept until `urge purge` prunes them."""
    failed = DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED, task_path=send_confirmation.module_path
    ).values_list("args_kwargs", flat=True)
    refs = {str(arguments["args"][0]) for arguments in failed if arguments.get("args")}
    return Supporter.objects.filter(
        campaign=campaign, ref__in=refs, pending_since__isnull=False, anonymised_at__isnull=True
    ).count()


@dataclass(frozen=True)
class CoHostCount:
    cohost: CoHost
    name: str
    opted_in: int


def cohost_counts(cohosts: list[CoHost], language: str) -> list[CoHostCount]:
    return [
        CoHostCount(cohost, cohost_name(cohost, language), exportable(cohost).count())
        for cohost in cohosts
    ]


def consent_time(supporter: Supporter) -> datetime:
    """The consent time that `exportable` annotated onto the supporter."""
    given_at: datetime = supporter.consent_given_at  # type: ignore[attr-defined]
    return given_at


def consent_referral(supporter: Supporter) -> str:
    """The referral code, if any, that `exportable` annotated onto the supporter."""
    return str(getattr(supporter, "consent_referral", "") or "")
