"""The audit log: one entry for every look at personal data, written before the data is shown;
for every role given and every change made in the admin; and for every page refused to a
person signed in with both factors."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from urge.campaigns.models import Campaign, CoHost
from urge.dashboard.models import AuditEntry, StaffRole


def record(
    user: User,
    campaign: Campaign,
    what: str,
    cohost: CoHost | None = None,
    rows: int | None = None,
    supporter_id: int | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        user=user,
        campaign=campaign,
        cohost=cohost,
        what=what,
        rows=rows,
        supporter_id=supporter_id,
    )


def role_given(role: StaffRole) -> AuditEntry:
    """A role in a campaign given on the command line (`urge addstaff`)."""
    return AuditEntry.objects.create(
        campaign=role.campaign,
        cohost=role.cohost,
        what=AuditEntry.ROLE_GIVEN,
        model=role._meta.label_lower,
        object_id=str(role.pk),
    )


def site_admin_made(user: User) -> AuditEntry:
    """The site-admin role given on the command line (`urge addstaff --site-admin`)."""
    return AuditEntry.objects.create(
        what=AuditEntry.ROLE_GIVEN, model=user._meta.label_lower, object_id=str(user.pk)
    )


def admin_changes(user: User, what: str, changed: Iterable[Model]) -> list[AuditEntry]:
    """Records added, changed or deleted in the admin: each by its kind and id, under the
    campaign (and co-host) it belongs to, where its organisers read it; the rest (accounts,
    groups, authenticators) are the whole site's, for its admins alone."""
    deleted = what == AuditEntry.ADMIN_DELETED
    return AuditEntry.objects.bulk_create(
        AuditEntry(
            user=user,
            what=what,
            model=row._meta.label_lower,
            object_id=str(row.pk),
            **_owners(row, deleted),
        )
        for row in changed
    )


def _owners(row: Model, deleted: bool) -> dict[str, int | None]:
    """The campaign and co-host a record belongs to, by id: a campaign itself, its parts,
    co-hosts, roles, codes and action records. Not a campaign or co-host being deleted: no
    entry can point at what is gone (nor, pointing at it, let it go)."""
    if isinstance(row, Campaign):
        return {"campaign_id": None if deleted else row.pk}
    if isinstance(row, CoHost):
        return {"campaign_id": row.campaign_id, "cohost_id": None if deleted else row.pk}
    return {
        "campaign_id": getattr(row, "campaign_id", None),
        "cohost_id": getattr(row, "cohost_id", None),
    }


def refused(
    request: HttpRequest,
    user: User,
    campaign: Campaign | None = None,
    cohost: CoHost | None = None,
    route: str = "",
) -> AuditEntry:
    """A page refused to a person signed in with both factors: by its route, never its path
    (which may hold a token)."""
    match = request.resolver_match
    return AuditEntry.objects.create(
        user=user,
        campaign=campaign,
        cohost=cohost,
        what=AuditEntry.REFUSED,
        route=route or (match.view_name if match is not None else ""),
    )


def entries_for(campaign: Campaign) -> QuerySet[AuditEntry]:
    """The campaign's entries. Those of no campaign (accounts, site admins made, the admin's
    refusals, pages of campaigns that do not exist) say who works where, across campaigns:
    only site admins read them, in the admin."""
    return (
        AuditEntry.objects.filter(campaign=campaign)
        .select_related("user", "cohost")
        .order_by("-at", "-pk")
    )
