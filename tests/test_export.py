"""A co-host's supporters, as a list page and a CSV for Action Network: only those who agreed
to hear from that co-host, safe to open in a spreadsheet, and every look on the audit log."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from tests.people import cohost_staffer, organiser, sign_in_verified
from urge.campaigns.models import Campaign, CoHost
from urge.dashboard import views
from urge.dashboard.export import HEADER, safe_cell
from urge.dashboard.models import AuditEntry
from urge.dashboard.queries import exportable
from urge.supporters.crypto import email_hash
from urge.supporters.models import Consent, Supporter

EXPORT = "/manage/c/hketo/dc4hk/export.csv"
LIST = "/manage/c/hketo/dc4hk/supporters/"
DAY = datetime(2026, 11, 25, tzinfo=UTC)


def at(hour: int) -> datetime:
    return DAY.replace(hour=hour)


def supporter(
    campaign: Campaign,
    first_name: str,
    *,
    last_name: str = "Chan",
    email: str = "",
    phone: str = "",
    confirmed: bool = True,
    anonymised: bool = False,
) -> Supporter:
    email = email or f"{first_name.lower().replace(' ', '.')}@example.org"
    return Supporter.objects.create(
        campaign=campaign,
        email_hash=email_hash(email),
        email=email,
        first_name=first_name,
        last_name=last_name,
        zip_code="98104",
        phone=phone,
        language="en",
        confirmed_at=DAY if confirmed else None,
        anonymised_at=DAY if anonymised else None,
    )


def consent(
    person: Supporter, cohost_slug: str, given_at: datetime, withdrawn: bool = False
) -> Consent:
    return Consent.objects.create(
        supporter=person,
        cohost=CoHost.objects.get(campaign=person.campaign, slug=cohost_slug),
        wording="Yes, DC4HK may contact me.",
        wording_version="1",
        language="en",
        given_at=given_at,
        confirmed_at=given_at,
        withdrawn_at=given_at.replace(minute=30) if withdrawn else None,
    )


def signed_up(
    campaign: Campaign,
    first_name: str,
    hour: int,
    *,
    last_name: str = "Chan",
    email: str = "",
    phone: str = "",
) -> Supporter:
    person = supporter(campaign, first_name, last_name=last_name, email=email, phone=phone)
    consent(person, "dc4hk", at(hour))
    return person


@pytest.fixture
def staffer(hketo: Campaign) -> User:
    return cohost_staffer(hketo, "dc4hk")


@pytest.fixture
def as_staffer(client: Client, staffer: User) -> Client:
    return sign_in_verified(client, staffer)


def body_of(response: object) -> bytes:
    assert isinstance(response, HttpResponse)
    return bytes(response.content)


def rows_of(response: object) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body_of(response).decode("utf-8"))))


def test_it_exports_only_confirmed_supporters_who_agreed_to_hear_from_this_cohost(
    hketo: Campaign, as_staffer: Client
) -> None:
    signed_up(hketo, "Wing", 9)
    consent(supporter(hketo, "Unconfirmed", confirmed=False), "dc4hk", at(9))
    consent(supporter(hketo, "Anonymised", anonymised=True), "dc4hk", at(9))
    consent(supporter(hketo, "Withdrawn"), "dc4hk", at(9), withdrawn=True)
    consent(supporter(hketo, "Elsewhere"), "hkdc", at(9))
    came_back = supporter(hketo, "Returned")
    consent(came_back, "dc4hk", at(8), withdrawn=True)
    consent(came_back, "dc4hk", at(10))

    rows = rows_of(as_staffer.get(EXPORT))

    assert [row[0] for row in rows[1:]] == ["Wing", "Returned"]


def test_it_writes_action_network_columns_and_utc_consent_times(
    hketo: Campaign, as_staffer: Client
) -> None:
    signed_up(
        hketo, "Ka Yan", 14, last_name="Lee", email="ka.yan@example.org", phone="206-555-0123"
    )
    response = as_staffer.get(EXPORT)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = rows_of(response)
    assert rows[0] == [
        "first_name",
        "last_name",
        "email",
        "zip_code",
        "phone_number",
        "consent_given_at",
        "language",
        "referral",
        "urge_id",
    ]
    assert rows[1][:8] == [
        "Ka Yan",
        "Lee",
        "ka.yan@example.org",
        "98104",
        "206-555-0123",
        "2026-11-25T14:00:00Z",
        "en",
        "",
    ]
    assert len(rows) == 2
    assert rows[0] == HEADER


def test_it_starts_the_file_without_a_byte_order_mark(hketo: Campaign, as_staffer: Client) -> None:
    assert body_of(as_staffer.get(EXPORT)).startswith(b"first_name,")


def test_it_lists_supporters_in_the_order_they_consented(
    hketo: Campaign, as_staffer: Client
) -> None:
    for name, hour in (("Late", 20), ("Early", 6), ("Middle", 12)):
        signed_up(hketo, name, hour)
    assert [row[0] for row in rows_of(as_staffer.get(EXPORT))[1:]] == ["Early", "Middle", "Late"]


def test_it_keeps_spreadsheets_from_running_what_supporters_typed(
    hketo: Campaign, as_staffer: Client
) -> None:
    signed_up(
        hketo,
        '=HYPERLINK("https://evil.example","x")',
        9,
        last_name="+cmd|' /C calc'!A0",
        email="@evil.example",
        phone="+1 (206) 555-0123",
    )
    row = rows_of(as_staffer.get(EXPORT))[1]
    assert row[:5] == [
        '\'=HYPERLINK("https://evil.example","x")',
        "'+cmd|' /C calc'!A0",
        "'@evil.example",
        "98104",
        "+1 (206) 555-0123",  # a plain phone number stays as typed
    ]


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("=1+1", "'=1+1"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Ah Ming", "Ah Ming"),
        ("a=b", "a=b"),
        ("+44 20 7946 0958", "+44 20 7946 0958"),
        ("-", "-"),
        ("", ""),
    ],
)
def test_it_quotes_cells_a_spreadsheet_would_read_as_formulas(typed: str, written: str) -> None:
    assert safe_cell(typed) == written


def test_it_sends_the_file_as_a_dated_attachment_kept_out_of_caches(
    hketo: Campaign, as_staffer: Client
) -> None:
    signed_up(hketo, "Wing", 9)
    response = as_staffer.get(EXPORT)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.now().date().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="hketo-dc4hk-supporters-{today}.csv"'
    )
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("keys", [["bm90LXRoZS1rZXktdGhhdC1vcGVuZWQtdGhlbS0wMDA="], []])
def test_keys_that_do_not_open_the_rows_give_a_clear_page_no_file_and_no_record(
    hketo: Campaign, as_staffer: Client, settings: object, keys: list[str]
) -> None:
    """Issue 11, finding 8: a wrong key answered 500 on the list and a CSV with a header alone
    on the export, which the audit log recorded as an export."""
    signed_up(hketo, "Wing", 9)
    settings.URGE_ENCRYPTION_KEYS = keys  # type: ignore[attr-defined]
    for url in (EXPORT, LIST):
        response = as_staffer.get(url)
        assert response.status_code == 503
        assert "cannot be opened" in response.content.decode()
        assert "Content-Disposition" not in response
    assert not AuditEntry.objects.exists()


def test_it_records_the_export_and_its_row_count_before_sending_a_byte(
    hketo: Campaign, staffer: User, as_staffer: Client
) -> None:
    signed_up(hketo, "Wing", 9)
    signed_up(hketo, "Ka Yan", 10)
    response = as_staffer.get(EXPORT)
    entry = AuditEntry.objects.get()  # before the body has been read
    assert (entry.user, entry.campaign, entry.what) == (staffer, hketo, AuditEntry.EXPORTED)
    assert entry.cohost is not None
    assert (entry.cohost.slug, entry.rows) == ("dc4hk", 2)
    assert len(rows_of(response)) == 3


def test_it_shows_the_list_with_each_supporters_details(
    hketo: Campaign, as_staffer: Client
) -> None:
    signed_up(hketo, "Ka Yan", 14, last_name="Lee", phone="206-555-0123")
    response = as_staffer.get(LIST)
    html = response.content.decode()
    for shown in ("Ka Yan", "Lee", "ka.yan@example.org", "98104", "206-555-0123"):
        assert shown in html
    assert "2026-11-25 14:00 UTC" in html
    assert "no-store" in response["Cache-Control"]


def test_it_records_each_list_page_with_the_rows_shown(
    hketo: Campaign, staffer: User, as_staffer: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for name, hour in (("One", 1), ("Two", 2), ("Three", 3)):
        signed_up(hketo, name, hour)
    first = as_staffer.get(LIST).content.decode()
    second = as_staffer.get(LIST + "?page=2").content.decode()
    assert "One" in first
    assert "Three" not in first
    assert "Three" in second
    entries = AuditEntry.objects.order_by("pk")
    assert [(entry.what, entry.rows) for entry in entries] == [
        (AuditEntry.LIST_VIEWED, 2),
        (AuditEntry.LIST_VIEWED, 1),
    ]
    assert all(entry.user == staffer for entry in entries)


def test_it_shows_organisers_the_audit_log_newest_first(
    hketo: Campaign, as_staffer: Client
) -> None:
    as_staffer.get(LIST)
    as_staffer.get(EXPORT)
    as_organiser = sign_in_verified(Client(), organiser(hketo))
    page = as_organiser.get("/manage/c/hketo/audit/").content.decode()
    assert page.index("exported") < page.index("viewed a list")
    assert "staff-of-dc4hk" in page


def test_it_picks_exportable_supporters_by_their_consents(hketo: Campaign) -> None:
    wing = signed_up(hketo, "Wing", 9)
    consent(supporter(hketo, "Withdrawn"), "dc4hk", at(9), withdrawn=True)
    dc4hk = hketo.cohosts.get(slug="dc4hk")
    assert list(exportable(dc4hk).values_list("pk", flat=True)) == [wing.pk]
