"""Organisers can edit what `urge load` wrote, through the Django admin, once signed in with
a password and a code from their authenticator app; the accounts, roles, audit log and action
records there are a site admin's alone."""

from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission, User
from django.test import Client

from tests.people import (
    cohost_staffer,
    organiser_made_by_addstaff,
    sign_in_verified,
    site_admin,
)
from urge.campaigns.models import Campaign, Section
from urge.dashboard.audit import record
from urge.dashboard.models import AuditEntry

ACTION_RECORDS = "/admin/actions/actionevent/"


@pytest.fixture
def organiser(hketo: Campaign) -> User:
    return organiser_made_by_addstaff(hketo)


@pytest.fixture
def as_organiser(client: Client, organiser: User) -> Client:
    return sign_in_verified(client, organiser)


@pytest.fixture
def admin(db: None) -> User:
    return site_admin()


@pytest.fixture
def as_site_admin(admin: User) -> Client:
    return sign_in_verified(Client(), admin)


def section_form(campaign: Campaign, section: Section, body: str) -> dict[str, str]:
    """The campaign change form as the admin page posts it, with one section's body changed."""
    data = {
        "slug": campaign.slug,
        "is_default": "on",
        "opens_on": str(campaign.opens_on),
        "closes_on": str(campaign.closes_on or ""),
        "bill_number": campaign.bill_number,
        "bill_congress": str(campaign.bill_congress),
        "bill_url": campaign.bill_url,
        "bill_status_as_of": str(campaign.bill_status_as_of),
        "bill_status_source": campaign.bill_status_source,
    }
    for prefix, rows, fields in (
        ("texts", campaign.texts.all(), ["language", "title", "ask", "bill_name", "bill_status"]),
        ("steps", campaign.steps.all(), ["language", "position", "title", "detail"]),
        (
            "sections",
            campaign.sections.all(),
            ["language", "key", "position", "title", "body_markdown"],
        ),
    ):
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(rows))
        for index, row in enumerate(rows):
            data[f"{prefix}-{index}-id"] = str(row.pk)
            data[f"{prefix}-{index}-campaign"] = str(campaign.pk)
            for field in fields:
                value = body if row == section and field == "body_markdown" else getattr(row, field)
                data[f"{prefix}-{index}-{field}"] = str(value)
    return data


def test_it_lists_and_opens_the_loaded_campaign(as_organiser: Client, hketo: Campaign) -> None:
    assert as_organiser.get("/admin/campaigns/campaign/").status_code == 200
    page = as_organiser.get(f"/admin/campaigns/campaign/{hketo.pk}/change/")
    assert page.status_code == 200
    assert "H.R. 2661" in page.content.decode()
    assert as_organiser.get("/admin/campaigns/cohost/").status_code == 200


def test_it_saves_an_edited_section_and_renders_its_markdown(
    as_organiser: Client, hketo: Campaign
) -> None:
    section = hketo.sections.get(key="bill", language="en")
    form = section_form(hketo, section, "Now with **news**.")
    response = as_organiser.post(f"/admin/campaigns/campaign/{hketo.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    section.refresh_from_db()
    assert section.body_html == "<p>Now with <strong>news</strong>.</p>\n"
    assert "Now with <strong>news</strong>." in as_organiser.get("/").content.decode()


def test_it_refuses_markdown_that_would_break_the_page(
    as_organiser: Client, hketo: Campaign
) -> None:
    section = hketo.sections.get(key="bill", language="en")
    form = section_form(hketo, section, "See [the bill](hhttps://congress.gov).")
    response = as_organiser.post(f"/admin/campaigns/campaign/{hketo.pk}/change/", form)
    assert response.status_code == 200
    assert "is not a full http(s) address" in response.content.decode()
    section.refresh_from_db()
    assert "hhttps" not in section.body_markdown


def test_it_keeps_outsiders_out(client: Client, hketo: Campaign) -> None:
    response = client.get(f"/admin/campaigns/campaign/{hketo.pk}/change/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login/")


def test_it_signs_people_in_through_the_dashboard_with_its_rate_limits(
    client: Client, db: None
) -> None:
    response = client.get("/admin/login/?next=/admin/campaigns/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/manage/signin/?next=/admin/campaigns/"


def test_it_asks_an_organiser_with_only_a_password_for_their_code(
    client: Client, organiser: User, hketo: Campaign
) -> None:
    client.force_login(organiser)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/manage/verify/?next=/admin/"


def test_it_refuses_verified_people_who_are_not_staff(client: Client, hketo: Campaign) -> None:
    sign_in_verified(client, cohost_staffer(hketo, "dc4hk"))
    assert client.get("/admin/", follow=True).status_code == 403


def test_it_lets_site_admins_read_the_audit_log_but_never_change_it(
    as_site_admin: Client, organiser: User, hketo: Campaign
) -> None:
    entry = record(organiser, hketo, AuditEntry.EXPORTED, rows=3)
    assert as_site_admin.get("/admin/dashboard/auditentry/").status_code == 200
    page = as_site_admin.get(f"/admin/dashboard/auditentry/{entry.pk}/change/")
    assert page.status_code == 200
    assert 'type="submit"' not in page.content.decode().split('id="content-main"')[1]
    assert as_site_admin.get("/admin/dashboard/auditentry/add/").status_code == 403
    assert as_site_admin.get(f"/admin/dashboard/auditentry/{entry.pk}/delete/").status_code == 403
    as_site_admin.post(f"/admin/dashboard/auditentry/{entry.pk}/change/", {"rows": "0"})
    entry.refresh_from_db()
    assert entry.rows == 3


def test_it_lists_staff_roles_for_site_admins_to_manage(
    as_site_admin: Client, hketo: Campaign
) -> None:
    cohost_staffer(hketo, "dc4hk")
    html = as_site_admin.get("/admin/dashboard/staffrole/").content.decode()
    assert "staff-of-dc4hk" in html
    assert as_site_admin.get("/admin/dashboard/staffrole/add/").status_code == 200


def test_site_admins_see_actions_counted_by_target_channel_wording_and_day(
    as_site_admin: Client, hketo: Campaign
) -> None:
    from django.utils import timezone

    from urge.actions.models import ActionEvent

    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    for channel, target in (
        ("post-x", "M001111"),
        ("post-x", "C000127"),
        ("call-reached", "M001111"),
    ):
        ActionEvent.objects.create(
            campaign=hketo,
            channel=channel,
            target=target,
            variant="ask",
            target_state="WA",
            hour=hour,
        )
    html = as_site_admin.get(ACTION_RECORDS).content.decode()
    assert "Actions by target" in html
    assert "<td>M001111</td><td>2</td>" in html
    assert "<td>post-x</td><td>2</td>" in html
    assert "<td>ask</td><td>3</td>" in html
    assert f"<td>{hour.date()}</td><td>3</td>" in html
    filtered = as_site_admin.get("/admin/actions/actionevent/?channel__exact=call-reached")
    assert "<td>M001111</td><td>1</td>" in filtered.content.decode()


@pytest.mark.parametrize(
    "page",
    ["/admin/dashboard/auditentry/", "/admin/dashboard/staffrole/", ACTION_RECORDS],
)
def test_organisers_open_neither_the_audit_log_nor_the_roles_nor_the_action_records(
    as_organiser: Client, page: str
) -> None:
    """An organiser reads the audit log and the counts of actions on the dashboard, where
    each count is at least 5; not here."""
    assert as_organiser.get(page).status_code == 403
    index = as_organiser.get("/admin/").content.decode()
    assert page not in index
    assert "/admin/campaigns/campaign/" in index


def test_an_organiser_made_before_reads_no_action_records_with_the_permission_they_kept(
    as_organiser: Client, organiser: User, hketo: Campaign
) -> None:
    # As `urge addstaff --organiser` granted it before: still in the database.
    organiser.user_permissions.add(Permission.objects.get(codename="view_actionevent"))
    assert as_organiser.get(ACTION_RECORDS).status_code == 403
    assert ACTION_RECORDS not in as_organiser.get("/admin/").content.decode()


def test_the_audit_log_in_the_admin_is_for_site_admins_whatever_permission_an_account_holds(
    as_organiser: Client, organiser: User
) -> None:
    # It names the staff of every campaign: a permission given by mistake must not open it.
    organiser.user_permissions.add(Permission.objects.get(codename="view_auditentry"))
    assert as_organiser.get("/admin/dashboard/auditentry/").status_code == 403
    assert "/admin/dashboard/auditentry/" not in as_organiser.get("/admin/").content.decode()


def test_the_migration_takes_the_permission_back_from_accounts_and_groups(
    organiser: User, admin: User
) -> None:
    view = Permission.objects.get(codename="view_actionevent")
    others = Permission.objects.filter(content_type__app_label="campaigns")
    organiser.user_permissions.add(view)
    group = Group.objects.create(name="old organisers")
    group.permissions.add(view, *others)
    organiser.groups.add(group)
    kept = set(organiser.user_permissions.exclude(pk=view.pk))

    migration = import_module("urge.actions.migrations.0004_organisers_read_no_action_records")
    migration.take_back(apps, None)

    organiser = User.objects.get(pk=organiser.pk)  # no cached permissions
    assert not organiser.has_perm("actions.view_actionevent")
    assert set(organiser.user_permissions.all()) == kept
    assert set(group.permissions.all()) == set(others)
    assert organiser.has_perm("campaigns.change_campaign")
    assert User.objects.get(pk=admin.pk).has_perm("actions.view_actionevent")  # a superuser
