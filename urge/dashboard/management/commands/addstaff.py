"""`urge addstaff USERNAME`: give a person a role in a campaign, or make them a site admin,
creating their account if new. Every role given is written to the audit log."""

from __future__ import annotations

import secrets
import sys
from typing import Any, TextIO

from django.contrib.auth.models import Permission, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from urge.accounts.authlog import record
from urge.accounts.models import AuthEvent
from urge.campaigns.models import Campaign, CoHost
from urge.dashboard import audit
from urge.dashboard.models import StaffRole


def find_campaign(slug: str) -> Campaign:
    try:
        return Campaign.objects.get(slug=slug)
    except Campaign.DoesNotExist:
        known = ", ".join(Campaign.objects.order_by("slug").values_list("slug", flat=True))
        raise CommandError(f"No campaign {slug!r}. Campaigns: {known or 'none loaded'}.") from None


def find_cohost(campaign: Campaign, slug: str) -> CoHost:
    try:
        return campaign.cohosts.get(slug=slug)
    except CoHost.DoesNotExist:
        known = ", ".join(campaign.cohosts.values_list("slug", flat=True))
        raise CommandError(
            f"Campaign {campaign.slug!r} has no co-host {slug!r}. Its co-hosts: {known}."
        ) from None


def new_user(username: str, email: str, password: str | None) -> tuple[User, str]:
    """A new account, and the password to hand over: the one given, else a random one."""
    user = User(username=username, email=email)
    chosen = password if password is not None else secrets.token_urlsafe(18)
    if password is not None:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
    user.set_password(chosen)
    user.save()
    return user, chosen


def grant(user: User, campaign: Campaign, cohost: CoHost | None) -> bool:
    """Add the role; False when the person already had it."""
    kind = StaffRole.COHOST if cohost else StaffRole.ORGANISER
    role, created = StaffRole.objects.get_or_create(
        user=user, campaign=campaign, cohost=cohost, defaults={"role": kind}
    )
    if cohost is None:
        # Organisers write the campaign in the admin: its texts, steps, stances and messages;
        # they read the counts of actions on the dashboard's results page. Never accounts,
        # roles, devices, action records or supporters: a site admin is made on purpose, with
        # --site-admin.
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.user_permissions.add(*organiser_permissions())
    if created:
        audit.role_given(role)
    return created


def make_site_admin(user: User) -> bool:
    """The site-admin role (urge/dashboard/access.py `is_site_admin`); False when the person
    already had it."""
    if user.is_staff and user.is_superuser:
        return False
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    audit.site_admin_made(user)
    record(AuthEvent.ROLE_CHANGED, user=user)  # as a role in a campaign is (dashboard/signals.py)
    return True


def role_words(campaign: Campaign | None, cohost: CoHost | None) -> str:
    if campaign is None:
        return "a site admin"
    what = f"staff of co-host {cohost.slug!r}" if cohost else "organiser"
    return f"{what} of campaign {campaign.slug!r}"


def organiser_permissions() -> list[Permission]:
    # Everything about a campaign's content except deleting a whole campaign. Not the action
    # records: each is one person's action at its hour, finer than the counts organisers are
    # promised; the dashboard's results page gives them those, with its minimum of 5.
    return list(
        Permission.objects.filter(content_type__app_label="campaigns").exclude(
            codename="delete_campaign"
        )
    )


class Command(BaseCommand):
    help = (
        "Give USERNAME a role in a campaign: --organiser (counts for every co-host, the audit "
        "log, and the campaign's content in the admin; never supporters' details, never a "
        "superuser) or --cohost SLUG (that co-host's supporters only); or make them a "
        "--site-admin, who runs the whole site in the admin (accounts, roles, devices, "
        "campaigns; no campaign's supporters without a co-host role), every change there "
        "in the audit log. A new account gets a random password, printed once, unless "
        "--password-stdin. They set up an authenticator app the first time they sign in "
        "at /manage/signin/."
    )
    stealth_options = ("stdin",)  # for tests, as in createsuperuser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--campaign", metavar="SLUG", help="For --organiser and --cohost.")
        role = parser.add_mutually_exclusive_group(required=True)
        role.add_argument("--organiser", action="store_true")
        role.add_argument("--cohost", metavar="SLUG")
        role.add_argument("--site-admin", action="store_true")
        parser.add_argument("--email", default="", help="Only for a new account.")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read a new account's password from standard input instead of making one.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        campaign, cohost = self._place(options)
        username: str = options["username"]
        user = User.objects.filter(username=username).first()
        if user is not None and options["password_stdin"]:
            raise CommandError(f"{username!r} already has an account; its password stays as it is.")
        password = self._read_password(options) if options["password_stdin"] else None
        with transaction.atomic():
            if user is None:
                user, handed_over = new_user(username, options["email"], password)
                self.stdout.write(f"Created account {username!r}.")
                if password is None:
                    self.stdout.write(f"Password (shown only now): {handed_over}")
            # No campaign: the site-admin role (see _place).
            created = make_site_admin(user) if campaign is None else grant(user, campaign, cohost)
        verb = "is now" if created else "already was"
        self.stdout.write(f"{username!r} {verb} {role_words(campaign, cohost)}.")

    def _place(self, options: dict[str, Any]) -> tuple[Campaign | None, CoHost | None]:
        """The campaign and co-host of the role; neither for a site admin, who runs them all."""
        if options["site_admin"]:
            if options["campaign"]:
                raise CommandError("A site admin runs every campaign: leave out --campaign.")
            return None, None
        if not options["campaign"]:
            raise CommandError("--organiser and --cohost need --campaign SLUG.")
        campaign = find_campaign(options["campaign"])
        cohost = find_cohost(campaign, options["cohost"]) if options["cohost"] else None
        return campaign, cohost

    def _read_password(self, options: dict[str, Any]) -> str:
        stdin: TextIO = options.get("stdin") or sys.stdin
        password = stdin.readline().rstrip("\r\n")
        if not password:
            raise CommandError("No password on standard input.")
        return password
