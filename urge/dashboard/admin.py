"""The admin: staff roles for organisers to manage, the audit log to read, and a second factor."""

from __future__ import annotations

from importlib import import_module

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_otp.admin import OTPAdminSite
from django_otp.plugins.otp_totp.models import TOTPDevice

from urge.accounts.models import AuthEvent
from urge.dashboard.access import is_verified
from urge.dashboard.models import AuditEntry, SealedTOTPDevice, StaffRole


class SecondFactorAdminSite(OTPAdminSite):  # type: ignore[misc]
    """django-otp's admin site (staff *and* verified), signing in through the dashboard.

    The admin's own login form would be a second password form without the dashboard's rate
    limits, and one that tells a right password from a wrong one; so it sends people to
    /manage/signin/ and back.
    """

    def login(
        self, request: HttpRequest, extra_context: dict[str, object] | None = None
    ) -> HttpResponse:
        index = reverse("admin:index", current_app=self.name)
        if self.has_permission(request):
            return HttpResponseRedirect(index)
        if is_verified(request.user):
            raise PermissionDenied  # both factors, but not staff: signing in again won't help
        step = "urge-verify" if request.user.is_authenticated else "urge-signin"
        return redirect_to_login(request.GET.get(REDIRECT_FIELD_NAME) or index, reverse(step))


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin[StaffRole]):
    list_display = ["user", "campaign", "role", "cohost"]
    list_filter = ["campaign", "role"]
    list_select_related = ["user", "campaign", "cohost"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    """Read only: an audit log that its readers could edit would prove nothing."""

    list_display = ["at", "user", "campaign", "what", "cohost", "rows", "supporter_id"]
    list_filter = ["campaign", "what"]
    list_select_related = ["user", "campaign", "cohost"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False


@admin.register(AuthEvent)
class AuthEventAdmin(admin.ModelAdmin[AuthEvent]):
    """Read only, and for the site's administrators (superusers) alone: the accounts it
    lists are theirs to look after."""

    list_display = ["at", "kind", "user", "account_hint", "address_hint"]
    list_filter = ["kind"]
    list_select_related = ["user"]
    date_hierarchy = "at"

    @admin.display(description="account (hash)")
    def account_hint(self, event: AuthEvent) -> str:
        return event.account[:12]

    @admin.display(description="address (hash)")
    def address_hint(self, event: AuthEvent) -> str:
        return event.address[:12]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: AuthEvent | None = None) -> bool:
        return bool(request.user.is_superuser)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuthEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuthEvent | None = None) -> bool:
        return False


# django-otp's own page for TOTP devices shows each secret and its QR code: a site
# administrator can remove a lost authenticator (its owner enrols again), and see no secret.
# (Its admin module is imported first, so that its registration is there to undo.)
import_module("django_otp.plugins.otp_totp.admin")
admin.site.unregister(TOTPDevice)


@admin.register(SealedTOTPDevice)
class AuthenticatorAdmin(admin.ModelAdmin[SealedTOTPDevice]):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_select_related = ["user"]
    fields = ["user", "name", "confirmed"]
    readonly_fields = ["user", "name", "confirmed"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: SealedTOTPDevice | None = None
    ) -> bool:
        return False
