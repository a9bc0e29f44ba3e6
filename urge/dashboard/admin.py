"""The admin: staff roles for site admins to manage, the audit log to read, and a second factor.

Every change made here is in the audit log (urge/core/adminlog.py), and so is every page
refused to a person signed in with both factors."""

from __future__ import annotations

from functools import wraps
from importlib import import_module
from typing import Any

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import Resolver404, resolve, reverse
from django_otp.admin import OTPAdminSite
from django_otp.plugins.otp_totp.models import TOTPDevice

from urge.accounts.models import AuthEvent
from urge.core.adminlog import AuditedAdmin
from urge.dashboard import audit
from urge.dashboard.access import View, is_site_admin, is_verified, signed_in_user
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
        wanted = request.GET.get(REDIRECT_FIELD_NAME) or index
        if self.has_permission(request):
            return HttpResponseRedirect(index)
        user = signed_in_user(request)
        if user is not None and is_verified(user):
            # Both factors, but not staff: signing in again won't help.
            audit.refused(request, user, route=route_of(wanted))
            raise PermissionDenied
        step = "urge-verify" if request.user.is_authenticated else "urge-signin"
        return redirect_to_login(wanted, reverse(step))

    def admin_view(self, view: View, cacheable: bool = False) -> View:
        """Every admin page, for staff with both factors; a 403 goes into the audit log."""

        @wraps(view)
        def refusals_audited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            try:
                response = view(request, *args, **kwargs)
            except PermissionDenied:
                _refused(request)
                raise
            if response.status_code == 403:
                _refused(request)
            return response

        wrapped: View = super().admin_view(refusals_audited, cacheable)
        return wrapped


def _refused(request: HttpRequest) -> None:
    user = signed_in_user(request)
    if user is not None:
        audit.refused(request, user)


def route_of(path: str) -> str:
    """The name of the route a path leads to, never the path itself."""
    try:
        return resolve(path.split("?")[0]).view_name
    except Resolver404:
        return ""


@admin.register(StaffRole)
class StaffRoleAdmin(AuditedAdmin[StaffRole]):
    list_display = ["user", "campaign", "role", "cohost"]
    list_filter = ["campaign", "role"]
    list_select_related = ["user", "campaign", "cohost"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    """Read only: an audit log that its readers could edit would prove nothing. For site admins
    alone, whatever permissions an account holds: it names the staff of every campaign, and
    each campaign's organisers read their own entries on its dashboard page."""

    list_display = [
        "at",
        "user",
        "campaign",
        "what",
        "cohost",
        "supporter_id",
        "subject",
        "route",
        "rows",
    ]
    list_filter = ["campaign", "what"]
    list_select_related = ["user", "campaign", "cohost"]
    date_hierarchy = "at"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_site_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return is_site_admin(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False


@admin.register(AuthEvent)
class AuthEventAdmin(admin.ModelAdmin[AuthEvent]):
    """Read only, and for the site's administrators alone: the accounts it lists are theirs
    to look after."""

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
        return is_site_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: AuthEvent | None = None) -> bool:
        return is_site_admin(request.user)

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
class AuthenticatorAdmin(AuditedAdmin[SealedTOTPDevice]):
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


# Accounts and groups as Django shows them, with every change audited. (Django's own
# registrations are imported first, as above, so that there is something to replace.)
import_module("django.contrib.auth.admin")
admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class AccountAdmin(AuditedAdmin[User], UserAdmin[User]):
    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        # Another site admin deletes an account, never its own: the audit entry of the
        # deletion names who deleted it, which must outlive the deletion.
        if obj is not None and obj.pk == request.user.pk:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Group)
class GroupsAdmin(AuditedAdmin[Group], GroupAdmin):
    pass
