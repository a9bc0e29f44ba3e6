"""Everything done in the admin is in Urge's audit log: each record added, changed or deleted
(one by one or selected in bulk) by its kind and id, never by a name; and every page the
admin refuses to a person signed in with both factors."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client, RequestFactory

from tests.people import PASSWORD, cohost_staffer, person, sign_in_verified
from tests.test_admin import section_form
from urge.campaigns.folder import read_campaign_folder
from urge.campaigns.loading import save_campaign
from urge.campaigns.models import Campaign
from urge.core.adminlog import AuditedAdmin
from urge.dashboard.models import AuditEntry, SealedTOTPDevice, StaffRole

ROLES = "/admin/dashboard/staffrole/"


@pytest.fixture
def site_admin(db: None) -> User:
    call_command("addstaff", "root", "--site-admin", "--email=root@example.org", stdout=StringIO())
    user = User.objects.get(username="root")
    SealedTOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


@pytest.fixture
def as_site_admin(client: Client, site_admin: User) -> Client:
    return sign_in_verified(client, site_admin)


def admin_entries() -> list[tuple[str, str, str]]:
    return [
        (entry.what, entry.model, entry.object_id)
        for entry in AuditEntry.objects.exclude(what=AuditEntry.ROLE_GIVEN).order_by("pk")
    ]


def test_every_model_the_admin_can_change_is_audited(site_admin: User) -> None:
    request = RequestFactory().get("/admin/")
    request.user = site_admin
    unaudited = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, AuditedAdmin)
        and (
            model_admin.has_add_permission(request)
            or model_admin.has_change_permission(request)
            or model_admin.has_delete_permission(request)
        )
    ]
    assert unaudited == []


def test_a_role_added_changed_and_deleted_in_the_admin_is_audited_by_id(
    as_site_admin: Client, site_admin: User, hketo: Campaign
) -> None:
    staffer = person("mei")
    dc4hk, hkdc = (hketo.cohosts.get(slug=slug).pk for slug in ("dc4hk", "hkdc"))
    form = {"user": staffer.pk, "campaign": hketo.pk, "role": StaffRole.COHOST, "cohost": dc4hk}
    assert as_site_admin.post(f"{ROLES}add/", form).status_code == 302
    role = StaffRole.objects.get(user=staffer)
    changed = as_site_admin.post(f"{ROLES}{role.pk}/change/", {**form, "cohost": hkdc})
    assert changed.status_code == 302
    deleted = as_site_admin.post(f"{ROLES}{role.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302

    assert admin_entries() == [
        (AuditEntry.ADMIN_ADDED, "dashboard.staffrole", str(role.pk)),
        (AuditEntry.ADMIN_CHANGED, "dashboard.staffrole", str(role.pk)),
        (AuditEntry.ADMIN_DELETED, "dashboard.staffrole", str(role.pk)),
    ]
    assert {entry.user for entry in AuditEntry.objects.exclude(what=AuditEntry.ROLE_GIVEN)} == {
        site_admin
    }


def test_a_bulk_delete_is_audited_row_by_row(as_site_admin: Client, hketo: Campaign) -> None:
    roles = [
        StaffRole.objects.get(user=cohost_staffer(hketo, slug)).pk for slug in ("dc4hk", "hkdc")
    ]
    response = as_site_admin.post(
        ROLES, {"action": "delete_selected", "_selected_action": roles, "post": "yes"}
    )
    assert response.status_code == 302
    assert not StaffRole.objects.exists()
    assert sorted(admin_entries()) == sorted(
        (AuditEntry.ADMIN_DELETED, "dashboard.staffrole", str(pk)) for pk in roles
    )


def test_accounts_groups_devices_and_campaigns_changed_in_the_admin_are_audited(
    as_site_admin: Client, hketo: Campaign
) -> None:
    added = as_site_admin.post(
        "/admin/auth/user/add/",
        {"username": "newcomer", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert added.status_code == 302, added.content.decode()[:3000]
    newcomer = User.objects.get(username="newcomer")
    new_password = {"password1": PASSWORD + "!", "password2": PASSWORD + "!"}
    password = as_site_admin.post(f"/admin/auth/user/{newcomer.pk}/password/", new_password)
    assert password.status_code == 302
    assert as_site_admin.post("/admin/auth/group/add/", {"name": "helpers"}).status_code == 302
    device = SealedTOTPDevice.objects.create(user=newcomer, name="phone", confirmed=True)
    gone = as_site_admin.post(
        f"/admin/dashboard/sealedtotpdevice/{device.pk}/delete/", {"post": "yes"}
    )
    assert gone.status_code == 302
    section = hketo.sections.get(key="bill", language="en")
    edited = as_site_admin.post(
        f"/admin/campaigns/campaign/{hketo.pk}/change/", section_form(hketo, section, "News.")
    )
    assert edited.status_code == 302

    group = newcomer.groups.model.objects.get(name="helpers")
    assert admin_entries() == [
        (AuditEntry.ADMIN_ADDED, "auth.user", str(newcomer.pk)),
        (AuditEntry.ADMIN_CHANGED, "auth.user", str(newcomer.pk)),
        (AuditEntry.ADMIN_ADDED, "auth.group", str(group.pk)),
        (AuditEntry.ADMIN_DELETED, "dashboard.sealedtotpdevice", str(device.pk)),
        (AuditEntry.ADMIN_CHANGED, "campaigns.campaign", str(hketo.pk)),
    ]


def test_an_entry_names_no_one(as_site_admin: Client, hketo: Campaign) -> None:
    staffer = cohost_staffer(hketo, "dc4hk")
    as_site_admin.post(
        f"/admin/auth/user/{staffer.pk}/password/",
        {"password1": PASSWORD + "!", "password2": PASSWORD + "!"},
    )
    entry = AuditEntry.objects.get(what=AuditEntry.ADMIN_CHANGED)
    stored = [str(value) for value in vars(entry).values()]
    assert not [value for value in stored if "staff-of-dc4hk" in value or "@" in value]


def test_a_site_admin_cannot_delete_their_own_account(
    as_site_admin: Client, site_admin: User, hketo: Campaign
) -> None:
    """The audit log names who deleted an account: never the account itself."""
    response = as_site_admin.post(f"/admin/auth/user/{site_admin.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert User.objects.filter(pk=site_admin.pk).exists()

    other = person("leaving")
    assert (
        as_site_admin.post(f"/admin/auth/user/{other.pk}/delete/", {"post": "yes"}).status_code
        == 302
    )
    assert not User.objects.filter(pk=other.pk).exists()
    assert (AuditEntry.ADMIN_DELETED, "auth.user", str(other.pk)) in admin_entries()


def test_a_403_in_the_admin_is_audited_by_route(client: Client, hketo: Campaign) -> None:
    call_command("addstaff", "mei", "--campaign=hketo", "--organiser", stdout=StringIO())
    organiser = User.objects.get(username="mei")
    SealedTOTPDevice.objects.create(user=organiser, name="phone", confirmed=True)
    sign_in_verified(client, organiser)

    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get(f"/admin/auth/user/{organiser.pk}/change/").status_code == 403

    refused = AuditEntry.objects.filter(what=AuditEntry.REFUSED).order_by("pk")
    assert [(entry.user, entry.route, entry.campaign) for entry in refused] == [
        (organiser, "admin:auth_user_changelist", None),
        (organiser, "admin:auth_user_change", None),
    ]


def test_a_verified_person_who_is_not_staff_is_refused_and_audited(
    client: Client, hketo: Campaign
) -> None:
    staffer = cohost_staffer(hketo, "dc4hk")
    sign_in_verified(client, staffer)
    assert client.get("/admin/auth/user/", follow=True).status_code == 403
    entry = AuditEntry.objects.get(what=AuditEntry.REFUSED)
    assert (entry.user, entry.route) == (staffer, "admin:auth_user_changelist")


def test_nobody_half_signed_in_is_audited(client: Client, site_admin: User) -> None:
    client.force_login(site_admin)
    assert client.get("/admin/auth/user/").status_code == 302
    assert not AuditEntry.objects.filter(what=AuditEntry.REFUSED).exists()


def test_organisers_read_the_admins_changes_on_the_campaigns_audit_page(
    as_site_admin: Client, hketo: Campaign
) -> None:
    role = StaffRole.objects.get(user=cohost_staffer(hketo, "hkdc"))
    as_site_admin.post(f"{ROLES}{role.pk}/delete/", {"post": "yes"})
    as_site_admin.get("/manage/c/hketo/")  # a site admin opens no campaign by that alone
    call_command("addstaff", "mei", "--campaign=hketo", "--organiser", stdout=StringIO())
    organiser = User.objects.get(username="mei")
    SealedTOTPDevice.objects.create(user=organiser, name="phone", confirmed=True)

    as_organiser = sign_in_verified(Client(), organiser)
    chinese = as_organiser.get("/zh-hant/manage/c/hketo/audit/").content.decode()
    assert "在管理介面刪除" in chinese
    assert "命令列" in chinese
    html = as_organiser.get("/manage/c/hketo/audit/").content.decode()
    assert "deleted in the admin" in html
    assert f"staff role #{role.pk}" in html
    assert "was refused a page" in html
    assert "<code>urge-dashboard-campaign</code>" in html
    assert "gave a role (urge addstaff)" in html
    assert "the command line" in html
    assert html.index("gave a role") < html.index("deleted in the admin")  # newest first


def test_an_organiser_reads_their_own_campaigns_entries_and_no_other(
    as_site_admin: Client, site_admin: User, hketo: Campaign, campaign_folder: Path
) -> None:
    """Who works on another campaign, and what they were refused, is not for this campaign's
    organisers: entries of no campaign are the site admins', in the admin."""
    text = (campaign_folder / "campaign.yaml").read_text()
    other = text.replace("slug: hketo", "slug: secretcamp", 1).replace(
        "default: true", "default: false", 1
    )
    (campaign_folder / "campaign.yaml").write_text(other)
    secret = save_campaign(read_campaign_folder(campaign_folder)).campaign
    call_command(
        "addstaff", "secret-lead", "--campaign=secretcamp", "--organiser", stdout=StringIO()
    )
    lead = User.objects.get(username="secret-lead")
    SealedTOTPDevice.objects.create(user=lead, name="phone", confirmed=True)
    as_lead = sign_in_verified(Client(), lead)
    assert as_lead.get("/admin/auth/user/").status_code == 403
    assert as_lead.get("/manage/c/no-such-campaign/").status_code == 404

    def role_added(campaign: Campaign) -> StaffRole:
        staffer = person(f"staff-{campaign.slug}")
        cohost = campaign.cohosts.get(slug="dc4hk")
        form = {
            "user": staffer.pk,
            "campaign": campaign.pk,
            "role": StaffRole.COHOST,
            "cohost": cohost.pk,
        }
        assert as_site_admin.post(f"{ROLES}add/", form).status_code == 302
        return StaffRole.objects.get(user=staffer)

    theirs, ours = role_added(secret), role_added(hketo)
    call_command("addstaff", "mei", "--campaign=hketo", "--organiser", stdout=StringIO())
    organiser = User.objects.get(username="mei")
    SealedTOTPDevice.objects.create(user=organiser, name="phone", confirmed=True)

    html = sign_in_verified(Client(), organiser).get("/manage/c/hketo/audit/").content.decode()
    assert "secret-lead" not in html
    assert f"staff role #{theirs.pk}<" not in html
    assert f"user #{site_admin.pk}<" not in html  # the site admin made
    assert "admin:auth_user_changelist" not in html
    row = next(row for row in html.split("<tr>") if f"staff role #{ours.pk}<" in row)
    assert "added in the admin" in row
    assert "<td>dc4hk</td>" in row
    # The site's admins read all of it, in the admin.
    listed = as_site_admin.get("/admin/dashboard/auditentry/?what__exact=refused").content.decode()
    assert listed.count("secret-lead") == 2
