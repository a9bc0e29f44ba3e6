"""The action records, counted per target, channel, wording and day, for site admins alone.

Each record is one person's action at its hour, finer than the counts organisers are
promised; the dashboard's results page gives them those, with its minimum of 5. So this page
answers only a site admin, whatever permissions an account was given (organisers made before
`urge addstaff` stopped granting `view_actionevent` had it; migration 0004 takes it back)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.http import HttpRequest, HttpResponse

from urge.actions.models import ActionEvent
from urge.core.adminlog import AuditedAdmin


def asked_by_site_admin(request: HttpRequest) -> bool:
    """The site-admin role, as urge/dashboard/access.py `is_site_admin` defines it (that
    module is on a layer above this one: tests/test_import_direction.py)."""
    return bool(request.user.is_active and request.user.is_superuser)


@admin.register(ActionEvent)
class ActionEventAdmin(AuditedAdmin[ActionEvent]):
    list_display = ["hour", "campaign", "channel", "target", "target_state", "variant"]
    list_filter = ["campaign", "channel", "variant", "target_state"]
    date_hierarchy = "hour"
    change_list_template = "admin/actions/actionevent/change_list.html"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return asked_by_site_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: ActionEvent | None = None) -> bool:
        return asked_by_site_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ActionEvent | None = None) -> bool:
        return asked_by_site_admin(request) and super().has_delete_permission(request, obj)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None)
        if context and "cl" in context:
            context["summaries"] = summaries(context["cl"].queryset)
        return response


def summaries(events: QuerySet[ActionEvent]) -> list[tuple[str, list[tuple[str, int]]]]:
    """The filtered actions counted four ways, largest first (by day: newest first)."""
    events = events.order_by()
    by_day = (
        events.annotate(day=TruncDate("hour"))
        .values_list("day")
        .annotate(count=Count("id"))
        .order_by("-day")
    )
    return [
        ("target", _counted(events, "target")),
        ("channel", _counted(events, "channel")),
        ("wording", _counted(events, "variant")),
        ("day", [(str(day), count) for day, count in by_day]),
    ]


def _counted(events: QuerySet[ActionEvent], field: str) -> list[tuple[str, int]]:
    rows = events.values_list(field).annotate(count=Count("id")).order_by("-count", field)
    return [(str(value), count) for value, count in rows]
