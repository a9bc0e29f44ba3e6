"""Who sees what, page by page, as the privacy notice says: "Only the co-hosts you tick can see
and contact you, and only after you confirm by email. Nobody else gets your details."

One supporter has signed up, confirmed and ticked co-host A (dc4hk) only; another ticked A
but never confirmed, and is on no page. Seven people open every page of the dashboard
(urge/dashboard/urls.py) and the admin's lists of supporters, consents, accounts and roles;
the table below says what each gets, and whether the page holds the confirmed supporter's
name, email, phone number or ZIP. Only the staff of A do, organiser or not: an organiser sees
counts, a site admin runs the site, and neither opens a supporter by that alone.
"""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.test import Client
from django.urls import URLPattern, reverse
from django.utils import translation

from tests.people import sign_in_verified
from tests.supporters import sign_up
from urge.campaigns.models import Campaign
from urge.dashboard import urls as dashboard_urls
from urge.dashboard.models import AuditEntry, SealedTOTPDevice
from urge.legislators.models import DataRelease
from urge.supporters import signup

A, B = "dc4hk", "hkdc"
FIRST, LAST, EMAIL = "Wilhelmina", "Quokkaberg", "w.quokkaberg@example.org"
PHONE, ZIP = "(206) 555-0173", "98388"  # a number and a ZIP no page holds by chance
DETAILS = (FIRST, LAST, EMAIL, PHONE, ZIP)
# Signed up and ticked A too, but never pressed the email's button: on no page at all.
UNCONFIRMED = (
    "Ottoline",
    "Wombatstone",
    "o.wombatstone@example.org",
    "(509) 555-0161",
    "99362",
)
BIOGUIDE = "S000001"  # a senator the campaign targets, in the sample release

# What each role gets. A status; "+" after it when the page holds the supporter's name,
# email, phone number or ZIP; or where a redirect goes: "→in" the sign-in page, "→code" the
# page asking for the authenticator's code, "→admin" the admin's sign-in, "→home" the
# dashboard's first page.
# "404" and "403" are refusals, each written to the audit log; "none" is the admin's 404 for
# a list it does not have (no admin shows supporters or consents), which refuses nobody.
#
# outsider: not signed in. password: the organiser of the last two columns, signed in with
# the password but not yet the code. staff-A, staff-B: co-host staff of A, of B.
# organiser: `urge addstaff --organiser`. organiser+A: an organiser given A's staff role too.
# site-admin: `urge addstaff --site-admin`, with no role in the campaign.
MATRIX = """
page                         outsider password staff-A staff-B organiser organiser+A site-admin
urge-dashboard               →in      →code    200     200     200       200         200
urge-signin                  200      200      200     200     200       200         200
urge-verify                  →in      200      →home   →home   →home     →home       →home
urge-signout                 405      405      405     405     405       405         405
urge-password                →in      →code    200     200     200       200         200
urge-recovery                →in      →code    200     200     200       200         200
urge-dashboard-campaign      →in      →code    200     200     200       200         404
urge-dashboard-audit         →in      →code    404     404     200       200         404
urge-dashboard-supporters:A  →in      →code    200+    404     404       200+        404
urge-dashboard-supporters:B  →in      →code    404     200     404       404         404
urge-dashboard-export:A      →in      →code    200+    404     404       200+        404
urge-dashboard-export:B      →in      →code    404     200     404       404         404
urge-dashboard-changes:A     →in      →code    200+    404     404       200+        404
urge-dashboard-changes:B     →in      →code    404     200     404       404         404
urge-dashboard-suppression:A →in      →code    200     404     404       200         404
urge-dashboard-suppression:B →in      →code    404     200     404       404         404
urge-dashboard-handoff:A     →in      →code    200     404     404       200         404
urge-dashboard-handoff:B     →in      →code    404     200     404       404         404
urge-dashboard-embed:A       →in      →code    200     404     200       200         404
urge-dashboard-embed:B       →in      →code    404     200     200       200         404
urge-dashboard-results       →in      →code    404     404     200       200         404
urge-dashboard-referrals     →in      →code    200     200     200       200         404
urge-dashboard-results-csv   →in      →code    404     404     200       200         404
urge-dashboard-stances       →in      →code    404     404     200       200         404
urge-dashboard-stance        →in      →code    404     404     200       200         404
urge-dashboard-contacts      →in      →code    404     404     200       200         404
urge-dashboard-contact       →in      →code    404     404     200       200         404
admin/supporters             →admin   →admin   →admin  →admin  none      none        none
admin/consents               →admin   →admin   →admin  →admin  none      none        none
admin/users                  →admin   →admin   →admin  →admin  403       403         200
admin/roles                  →admin   →admin   →admin  →admin  403       403         200
"""

ADMIN_LISTS = {
    "admin/supporters": "/admin/supporters/supporter/",
    "admin/consents": "/admin/supporters/consent/",
    "admin/users": "/admin/auth/user/",
    "admin/roles": "/admin/dashboard/staffrole/",
}
REDIRECTS = {
    "/manage/signin/": "→in",
    "/manage/verify/": "→code",
    "/admin/login/": "→admin",
}


def table() -> tuple[list[str], dict[str, dict[str, str]]]:
    """The roles, and each page's expected cell for each role."""
    header, *rows = [line.split() for line in MATRIX.strip().splitlines()]
    roles = header[1:]
    return roles, {row[0]: dict(zip(roles, row[1:], strict=True)) for row in rows}


ROLES, EXPECTED = table()


def url_of(page: str) -> str:
    if page in ADMIN_LISTS:
        return ADMIN_LISTS[page]
    name, _, cohost = page.partition(":")
    pattern = next(p for p in dashboard_urls.urlpatterns if p.name == name)
    wanted = {"slug": "hketo", "cohost_slug": A if cohost == "A" else B, "bioguide": BIOGUIDE}
    return reverse(name, kwargs={key: wanted[key] for key in pattern.pattern.converters})


def body(response: HttpResponseBase) -> str:
    if isinstance(response, StreamingHttpResponse):
        return b"".join(response.streaming_content).decode()  # type: ignore[arg-type]
    assert isinstance(response, HttpResponse)
    return response.content.decode()


def cell(response: HttpResponseBase, text: str) -> str:
    if response.status_code == 302:
        location = response["Location"]
        if location == "/manage/":
            return "→home"
        return next((to for path, to in REDIRECTS.items() if location.startswith(path)), location)
    shows_supporter = any(detail in text for detail in DETAILS)
    return f"{response.status_code}{'+' if shows_supporter else ''}"


def audited(got: str, refused: int) -> str:
    """The cell with what the audit log says: every 404 or 403 once, nothing else; a 404
    that refuses nobody is "none"."""
    if got == "404" and refused == 0:
        return "none"
    if refused != int(got in ("404", "403")):
        return f"{got}, with {refused} refusals in the audit log"
    return got


def refusals() -> int:
    return AuditEntry.objects.filter(what=AuditEntry.REFUSED).count()


def addstaff(username: str, *options: str) -> User:
    call_command("addstaff", username, *options, stdout=StringIO())
    user = User.objects.get(username=username)
    SealedTOTPDevice.objects.get_or_create(user=user, defaults={"name": "phone", "confirmed": True})
    return user


def organiser_and_staff_of_a() -> User:
    addstaff("both", "--campaign=hketo", "--organiser")
    return addstaff("both", "--campaign=hketo", f"--cohost={A}")


PEOPLE: dict[str, Callable[[], User]] = {
    "password": organiser_and_staff_of_a,
    "staff-A": lambda: addstaff("staff-a", "--campaign=hketo", f"--cohost={A}"),
    "staff-B": lambda: addstaff("staff-b", "--campaign=hketo", f"--cohost={B}"),
    "organiser": lambda: addstaff("organiser", "--campaign=hketo", "--organiser"),
    "organiser+A": organiser_and_staff_of_a,
    "site-admin": lambda: addstaff("site-admin", "--site-admin"),
}


def client_for(role: str) -> Client:
    client = Client()
    if role == "outsider":
        return client
    user = PEOPLE[role]()
    if role == "password":
        client.force_login(user)  # and no code
        return client
    return sign_in_verified(client, user)


@pytest.fixture
def supporter_of_a(hketo: Campaign, release: DataRelease) -> None:
    supporter = sign_up(
        hketo,
        email=EMAIL,
        cohosts=(A,),
        first_name=FIRST,
        last_name=LAST,
        phone=PHONE,
        zip_code=ZIP,
    )
    assert signup.confirm(supporter)
    first, last, email, phone, zip_code = UNCONFIRMED
    sign_up(
        hketo,
        email=email,
        cohosts=(A,),
        first_name=first,
        last_name=last,
        phone=phone,
        zip_code=zip_code,
    )


def test_the_table_covers_every_dashboard_page() -> None:
    routes = {
        pattern.name for pattern in dashboard_urls.urlpatterns if isinstance(pattern, URLPattern)
    }
    assert {page.partition(":")[0] for page in EXPECTED if page not in ADMIN_LISTS} == routes


def test_only_staff_of_the_cohost_the_supporter_ticked_see_them() -> None:
    """The table itself says what the notice says: the name and email are on A's pages, for
    the people holding A's staff role, and nowhere else."""
    shown = {
        (page, role) for page, row in EXPECTED.items() for role, got in row.items() if "+" in got
    }
    assert {role for _page, role in shown} == {"staff-A", "organiser+A"}
    assert all(page.endswith(":A") for page, _role in shown)


@pytest.mark.parametrize("language", ["en", "zh-hant"])
def test_the_notice_promises_it_in_both_languages(language: str) -> None:
    promise = {
        "en": "Only the co-hosts you tick can see and contact you",
        "zh-hant": "只有你剔選的合辦機構才可以查看你的資料及聯絡你",
    }[language]
    with translation.override(language):
        notice = render_to_string(
            "supporters/_privacy.html", {"retention_days": 30, "unconfirmed_days": 14}
        )
    assert promise in notice


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_table_says(role: str, supporter_of_a: None) -> None:
    client = client_for(role)
    got, unconfirmed_on = {}, []
    for page in EXPECTED:
        # Each page from the same start: an export moves the co-host's "last export".
        with transaction.atomic():
            before = refusals()
            response = client.get(url_of(page))
            text = body(response)
            got[page] = audited(cell(response, text), refusals() - before)
            transaction.set_rollback(True)
        if any(detail in text for detail in UNCONFIRMED):
            unconfirmed_on.append(page)
    assert got == {page: row[role] for page, row in EXPECTED.items()}
    assert unconfirmed_on == []
