"""`urge addstaff`: an operator gives a person a role in a campaign from the command line."""

import re
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from tests.people import PASSWORD
from urge.accounts.authlog import account_key
from urge.accounts.models import AuthEvent
from urge.campaigns.models import Campaign
from urge.dashboard.access import is_site_admin
from urge.dashboard.management.commands import changepassword
from urge.dashboard.models import AuditEntry, StaffRole


def addstaff(*args: str, stdin: str | None = None) -> str:
    out = StringIO()
    options = {"stdin": StringIO(stdin)} if stdin is not None else {}
    call_command("addstaff", *args, stdout=out, **options)
    return out.getvalue()


def test_it_creates_an_organiser_with_a_password_shown_once(hketo: Campaign) -> None:
    output = addstaff("mei", "--campaign=hketo", "--organiser", "--email=mei@example.org")
    password = output.split("Password (shown only now): ")[1].split()[0]
    user = User.objects.get(username="mei")
    assert user.check_password(password)
    # Issue 11, finding 4: an organiser writes the campaign in the admin, never runs the site.
    assert (user.email, user.is_staff, user.is_superuser) == ("mei@example.org", True, False)
    assert user.has_perm("campaigns.change_campaigntext")
    assert user.has_perm("campaigns.change_stance")
    assert not user.has_perm("campaigns.delete_campaign")
    assert not user.has_perm("auth.add_user")
    assert not user.has_perm("dashboard.change_staffrole")
    assert not user.has_perm("otp_totp.view_totpdevice")
    assert not user.has_perm("supporters.view_supporter")
    # Each action record is one person's action at its hour: organisers get counts instead.
    assert not user.has_perm("actions.view_actionevent")
    assert StaffRole.objects.get(user=user).role == StaffRole.ORGANISER
    assert "'mei' is now organiser of campaign 'hketo'." in output


def test_it_gives_cohost_staff_their_cohost_and_no_admin(hketo: Campaign) -> None:
    output = addstaff("pat", "--campaign=hketo", "--cohost=dc4hk")
    user = User.objects.get(username="pat")
    role = StaffRole.objects.get(user=user)
    assert (role.role, role.cohost and role.cohost.slug) == (StaffRole.COHOST, "dc4hk")
    assert not user.is_staff
    assert "'pat' is now staff of co-host 'dc4hk' of campaign 'hketo'." in output


def test_it_adds_a_role_to_an_existing_account_once(hketo: Campaign) -> None:
    addstaff("pat", "--campaign=hketo", "--cohost=dc4hk")
    output = addstaff("pat", "--campaign=hketo", "--cohost=dc4hk")
    assert "Password" not in output
    assert "'pat' already was staff of co-host 'dc4hk'" in output
    assert "is now staff of co-host 'hkdc'" in addstaff("pat", "--campaign=hketo", "--cohost=hkdc")
    assert StaffRole.objects.filter(user__username="pat").count() == 2


def test_it_reads_a_password_from_standard_input(hketo: Campaign) -> None:
    output = addstaff(
        "mei", "--campaign=hketo", "--organiser", "--password-stdin", stdin="a-fine-passphrase\n"
    )
    assert "Password" not in output
    assert User.objects.get(username="mei").check_password("a-fine-passphrase")


def test_it_refuses_a_weak_password(hketo: Campaign) -> None:
    with pytest.raises(CommandError, match="too short"):
        addstaff("mei", "--campaign=hketo", "--organiser", "--password-stdin", stdin="abc\n")
    assert not User.objects.filter(username="mei").exists()


def test_it_leaves_an_existing_password_alone(hketo: Campaign) -> None:
    addstaff("mei", "--campaign=hketo", "--organiser")
    with pytest.raises(CommandError, match="already has an account"):
        addstaff("mei", "--campaign=hketo", "--organiser", "--password-stdin", stdin="x-y-z-1-2\n")


def test_it_names_the_campaigns_and_cohosts_there_are(hketo: Campaign) -> None:
    with pytest.raises(CommandError, match=re.escape("No campaign 'nope'. Campaigns: hketo.")):
        addstaff("mei", "--campaign=nope", "--organiser")
    with pytest.raises(CommandError, match="Its co-hosts: dc4hk, fight-for-freedom, hkdc, cfhk"):
        addstaff("mei", "--campaign=hketo", "--cohost=nope")
    assert not User.objects.filter(username="mei").exists()


def test_it_makes_a_site_admin_only_when_asked(hketo: Campaign) -> None:
    """Issue 11, finding 4: running the site is a role of its own, given on purpose."""
    output = addstaff("root", "--site-admin", "--email=root@example.org")
    user = User.objects.get(username="root")
    assert (user.is_staff, user.is_superuser) == (True, True)
    assert is_site_admin(user)
    assert not StaffRole.objects.filter(user=user).exists()  # no campaign's supporters
    assert "'root' is now a site admin." in output
    assert "'root' already was a site admin." in addstaff("root", "--site-admin")
    assert AuthEvent.objects.filter(kind=AuthEvent.ROLE_CHANGED, user=user).count() == 1


def test_a_site_admin_runs_every_campaign_and_the_other_roles_name_one(hketo: Campaign) -> None:
    with pytest.raises(CommandError, match="leave out --campaign"):
        addstaff("root", "--site-admin", "--campaign=hketo")
    with pytest.raises(CommandError, match="not allowed with argument"):
        addstaff("root", "--site-admin", "--organiser")
    with pytest.raises(CommandError, match="need --campaign"):
        addstaff("mei", "--organiser")
    assert not User.objects.exists()


def test_every_role_given_is_in_the_audit_log(hketo: Campaign) -> None:
    addstaff("mei", "--campaign=hketo", "--organiser")
    addstaff("pat", "--campaign=hketo", "--cohost=dc4hk")
    addstaff("pat", "--campaign=hketo", "--cohost=dc4hk")  # had it already: nothing given
    addstaff("root", "--site-admin")
    organiser, staff = (StaffRole.objects.get(user__username=name) for name in ("mei", "pat"))
    root = User.objects.get(username="root")

    entries = AuditEntry.objects.order_by("pk")
    assert [
        (e.what, e.user, e.campaign, e.cohost and e.cohost.slug, e.model, e.object_id)
        for e in entries
    ] == [
        (AuditEntry.ROLE_GIVEN, None, hketo, None, "dashboard.staffrole", str(organiser.pk)),
        (AuditEntry.ROLE_GIVEN, None, hketo, "dc4hk", "dashboard.staffrole", str(staff.pk)),
        (AuditEntry.ROLE_GIVEN, None, None, None, "auth.user", str(root.pk)),
    ]


def test_createsuperuser_points_to_the_site_admin_role(db: None) -> None:
    with pytest.raises(CommandError, match="addstaff NAME --site-admin"):
        call_command("createsuperuser", stdout=StringIO())
    assert not User.objects.exists()


def test_changepassword_writes_the_change_to_the_sign_in_log(
    hketo: Campaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    addstaff("mei", "--campaign=hketo", "--organiser")
    new = PASSWORD + " again"
    # The terminal's two prompts, answered: Django's command reads them with getpass.
    monkeypatch.setattr(changepassword.Command, "_get_pass", lambda self, prompt="": new)
    call_command("changepassword", "mei", stdout=StringIO())
    user = User.objects.get(username="mei")
    assert user.check_password(new)
    changed = AuthEvent.objects.filter(kind=AuthEvent.PASSWORD_CHANGED)
    assert [(event.user, event.account) for event in changed] == [(user, account_key("mei"))]

    with pytest.raises(CommandError, match="does not exist"):
        call_command("changepassword", "nobody", stdout=StringIO())
    assert changed.count() == 1
