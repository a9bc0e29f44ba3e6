"""Organisers can see each data release, its counts and its validation report (read only)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from urge.legislators.models import ContactChange, ContactOverride, DataRelease, Legislator


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Releases change only through `urge sync`, which checks and records them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(DataRelease)
class DataReleaseAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "is_active", "activated_at", "source", "findings"]
    fields = ("created_at", "activated_at", "is_active", "source", "counts", "report_table")
    readonly_fields = fields

    @admin.display(description=_("findings"))
    def findings(self, release: DataRelease) -> int:
        return len(release.report)

    @admin.display(description=_("validation report"))
    def report_table(self, release: DataRelease) -> SafeString:
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((item["kind"], item["subject"], item["message"]) for item in release.report),
        )
        return format_html("<table><tbody>{}</tbody></table>", rows)


@admin.register(Legislator)
class LegislatorAdmin(ReadOnlyAdmin):
    list_display = ["name", "chamber", "state", "district", "party", "release"]
    list_filter = ["release__is_active", "chamber", "state"]
    search_fields = ["name", "bioguide"]


@admin.register(ContactOverride)
class ContactOverrideAdmin(ReadOnlyAdmin):
    """Changed only through the dashboard or `urge overrides load`, which check each value
    and record every change; read only here."""

    list_display = ["bioguide", "field", "value", "checked_on", "changed_at", "changed_by"]
    list_filter = ["field"]
    search_fields = ["bioguide", "value"]


@admin.register(ContactChange)
class ContactChangeAdmin(ReadOnlyAdmin):
    list_display = ["at", "bioguide", "field", "old_value", "new_value", "by", "via"]
    list_filter = ["field"]
    search_fields = ["bioguide"]
