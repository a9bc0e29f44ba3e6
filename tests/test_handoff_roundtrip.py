"""A co-host's hand-off, imported back: the files a co-host downloads over two rounds, read as
its CRM would read them, and checked line by line against Urge's consent records. Whoever
left is in the suppression file, whoever is new or changed is in the changes, and nobody
who never chose this co-host appears in any of its files."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.handoff import erases, joined, leaves, table, time_passes
from tests.people import cohost_staffer, sign_in_verified
from urge.campaigns.models import Campaign, CoHost
from urge.dashboard.export import member_id
from urge.dashboard.models import AuditEntry
from urge.supporters.models import Consent, Departure, Supporter

FILES = "/manage/c/hketo/{cohost}/{name}"


def download(client: Client, cohost: str, name: str, query: str = "") -> list[dict[str, str]]:
    return table(client.get(FILES.format(cohost=cohost, name=name) + query))


def staff_of(campaign: Campaign, cohost: str) -> Client:
    return sign_in_verified(Client(), cohost_staffer(campaign, cohost))


def ever_chose(cohost: CoHost) -> set[int]:
    """Supporters with any consent to this co-host, past or present."""
    return set(Consent.objects.filter(cohost=cohost).values_list("supporter_id", flat=True))


def by_id(cohost: CoHost) -> dict[str, Supporter]:
    """Every supporter of the campaign by the id this co-host knows them by."""
    return {
        member_id(cohost, person.ref): person
        for person in Supporter.objects.filter(campaign=cohost.campaign)
    }


def check_against_the_consents(cohost: CoHost, rows: list[dict[str, str]]) -> None:
    """Each exported line is a confirmed person with a standing consent to this co-host, in
    their language and with the referral code of that consent."""
    people = by_id(cohost)
    for row in rows:
        person = people[row["urge_id"]]
        consent = Consent.objects.get(supporter=person, cohost=cohost, withdrawn_at__isnull=True)
        assert person.anonymised_at is None
        assert row["email"] == person.email
        assert (row["first_name"], row["zip_code"]) == (person.first_name, person.zip_code)
        assert row["language"] == person.language
        assert row["referral"] == consent.referral


@pytest.fixture
def people(hketo: Campaign) -> dict[str, Supporter]:
    return {
        "ada": joined(hketo, "ada@example.org", ["dc4hk"], first_name="Ada"),
        "bo": joined(hketo, "bo@example.org", ["dc4hk", "hkdc"], first_name="Bo"),
        "chan": joined(hketo, "chan@example.org", ["hkdc"], first_name="Chan"),
        "dee": joined(
            hketo,
            "dee@example.org",
            ["dc4hk"],
            first_name="Dee",
            language="zh-hant",
            referral="newsletter-nov",
        ),
        "eve": joined(hketo, "eve@example.org", ["dc4hk", "hkdc"], first_name="Eve"),
    }


def test_a_cohost_imports_its_exports_and_suppression_file_and_they_match_the_consents(
    hketo: Campaign, people: dict[str, Supporter]
) -> None:
    dc4hk, hkdc = hketo.cohosts.get(slug="dc4hk"), hketo.cohosts.get(slug="hkdc")
    as_dc4hk, as_hkdc = staff_of(hketo, "dc4hk"), staff_of(hketo, "hkdc")

    # Round one, a day after they signed up: each co-host takes everyone.
    time_passes(hours=24)
    first = download(as_dc4hk, "dc4hk", "export.csv")
    assert [row["first_name"] for row in first] == ["Ada", "Bo", "Dee", "Eve"]
    check_against_the_consents(dc4hk, first)
    assert [row["first_name"] for row in download(as_hkdc, "hkdc", "export.csv")] == [
        "Bo",
        "Chan",
        "Eve",
    ]
    known = {row["urge_id"]: row["email"] for row in first}

    time_passes()
    # Between the rounds: Gus joins DC4HK and leaves before it ever looks; later, Bo leaves
    # DC4HK's list (and stays with HKDC), Eve erases herself, Chan leaves HKDC's, Ada signs
    # up again with a new ZIP code, and Fay is new.
    gus = joined(hketo, "gus@example.org", ["dc4hk"], first_name="Gus")
    leaves(gus, "dc4hk")
    time_passes()
    leaves(people["bo"], "dc4hk")
    erases(people["eve"])
    leaves(people["chan"], "hkdc")
    joined(hketo, "ada@example.org", ["dc4hk"], first_name="Ada", zip_code="98104")
    joined(hketo, "fay@example.org", ["dc4hk"], first_name="Fay", referral="dc4hk")

    time_passes()
    # Round two, for DC4HK: the changes, then the suppression file.
    changes = download(as_dc4hk, "dc4hk", "changes.csv")
    assert [row["first_name"] for row in changes] == ["Ada", "Fay"]
    check_against_the_consents(dc4hk, changes)
    assert changes[0]["zip_code"] == "98104"
    assert changes[0]["urge_id"] in known  # the same person, updated in place
    assert changes[1]["referral"] == "dc4hk"

    suppressed = download(as_dc4hk, "dc4hk", "suppression.csv")
    assert [(row["email"], row["reason"]) for row in suppressed] == [
        ("bo@example.org", "withdrew"),
        ("", "erased"),
    ]
    bo, eve = (by_id(dc4hk)[row["urge_id"]] for row in suppressed)
    assert (bo, eve) == (people["bo"], people["eve"])
    assert known[suppressed[1]["urge_id"]] == "eve@example.org"  # found by the id alone
    assert Consent.objects.get(supporter=bo, cohost=dc4hk).withdrawn_at is not None
    assert Consent.objects.get(supporter=bo, cohost=hkdc).withdrawn_at is None
    eve.refresh_from_db()
    assert eve.anonymised_at is not None
    assert eve.email == ""
    for row, kind in zip(suppressed, (Departure.WITHDREW, Departure.ERASED), strict=True):
        departure = Departure.objects.get(supporter=by_id(dc4hk)[row["urge_id"]], cohost=dc4hk)
        assert departure.kind == kind
        assert row["left_on"] == departure.at.date().isoformat()

    # HKDC's round two: Chan and Eve left it; Bo did not, and DC4HK's people never show.
    hkdc_changes = download(as_hkdc, "hkdc", "changes.csv")
    assert hkdc_changes == []
    hkdc_suppressed = download(as_hkdc, "hkdc", "suppression.csv")
    assert [(row["email"], row["reason"]) for row in hkdc_suppressed] == [
        ("", "erased"),
        ("chan@example.org", "withdrew"),
    ]
    assert {row["urge_id"] for row in hkdc_suppressed}.isdisjoint(known)

    # Nobody who never chose a co-host is in any of its files, under any id.
    for cohost, rows in (
        (dc4hk, first + changes + suppressed),
        (hkdc, hkdc_changes + hkdc_suppressed),
    ):
        assert {by_id(cohost)[row["urge_id"]].pk for row in rows} <= ever_chose(cohost)

    # Round three, an hour on: nothing new, and nobody left since the last file.
    time_passes()
    assert download(as_dc4hk, "dc4hk", "changes.csv") == []
    assert download(as_dc4hk, "dc4hk", "suppression.csv") == []
    # Asked from a day, the suppression file starts there instead.
    day = bo.consents.get(cohost=dc4hk).withdrawn_at
    assert day is not None
    again = download(as_dc4hk, "dc4hk", "suppression.csv", f"?since={day.date().isoformat()}")
    assert [row["email"] for row in again] == ["bo@example.org", ""]


def test_every_file_is_in_the_audit_log_with_its_rows(
    hketo: Campaign, people: dict[str, Supporter]
) -> None:
    as_dc4hk = staff_of(hketo, "dc4hk")
    time_passes()
    download(as_dc4hk, "dc4hk", "export.csv")
    time_passes()
    leaves(people["bo"], "dc4hk")
    joined(hketo, "fay@example.org", ["dc4hk"], first_name="Fay")
    download(as_dc4hk, "dc4hk", "changes.csv")
    download(as_dc4hk, "dc4hk", "suppression.csv")
    entries = AuditEntry.objects.order_by("at", "pk")
    assert [(entry.what, entry.rows, entry.cohost) for entry in entries] == [
        (AuditEntry.EXPORTED, 4, hketo.cohosts.get(slug="dc4hk")),
        (AuditEntry.CHANGES_EXPORTED, 1, hketo.cohosts.get(slug="dc4hk")),
        (AuditEntry.SUPPRESSION, 1, hketo.cohosts.get(slug="dc4hk")),
    ]
    staffer = User.objects.get(username="staff-of-dc4hk")
    assert all(entry.user == staffer for entry in entries)
