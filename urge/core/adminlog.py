"""AuditedAdmin: a model admin whose every logged change is also told to the audit log.

Django logs each change made in the admin through `log_addition`, `log_change` and
`log_deletions`, the last for "delete selected" too; this announces the same rows with the
`admin_changed` signal, which the dashboard (on a layer above every app) records. Every
model admin that can change anything is an AuditedAdmin (tests/test_admin_audit.py checks).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from urge.core.signals import admin_changed

ADDED = "added"
CHANGED = "changed"
DELETED = "deleted"

_M = TypeVar("_M", bound=Model)


class AuditedAdmin(admin.ModelAdmin[_M]):
    def log_addition(self, request: HttpRequest, obj: _M, message: Any) -> LogEntry:
        logged = super().log_addition(request, obj, message)
        _announce(request, ADDED, [obj])
        return logged

    def log_change(self, request: HttpRequest, obj: _M, message: Any) -> LogEntry:
        logged = super().log_change(request, obj, message)
        _announce(request, CHANGED, [obj])
        return logged

    def log_deletions(self, request: HttpRequest, queryset: QuerySet[_M]) -> list[LogEntry]:
        # Called before the rows go, so that their ids are still there to read.
        logged = super().log_deletions(request, queryset)
        _announce(request, DELETED, queryset)
        return logged


def _announce(request: HttpRequest, action: str, objects: Iterable[Model]) -> None:
    admin_changed.send(AuditedAdmin, user=request.user, action=action, objects=list(objects))
