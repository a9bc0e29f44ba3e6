"""A co-host's hand-off in detail: the export's new columns, what counts as a change, when the
kept time moves, who is in the suppression file and who never is, the departures recorded
without anything personal, and the notice that says all this to supporters and staff."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.handoff import erases, joined, leaves, table, time_passes
from tests.people import cohost_staffer, organiser, sign_in_verified
from urge.campaigns.models import Campaign
from urge.dashboard import handoff
from urge.dashboard.export import member_id
from urge.dashboard.models import AuditEntry, HandOff
from urge.supporters import datakeys, signup
from urge.supporters.erasure import anonymise
from urge.supporters.models import Departure, Supporter

BASE = "/manage/c/hketo/dc4hk/"
EXPORT, CHANGES, SUPPRESSION, PAGE = (
    BASE + name for name in ("export.csv", "changes.csv", "suppression.csv", "handoff/")
)


@pytest.fixture
def staffer(hketo: Campaign) -> User:
    return cohost_staffer(hketo, "dc4hk")


@pytest.fixture
def as_staffer(client: Client, staffer: User) -> Client:
    return sign_in_verified(client, staffer)


def names(rows: list[dict[str, str]]) -> list[str]:
    return [row["first_name"] for row in rows]


def kept(hketo: Campaign) -> HandOff:
    return HandOff.objects.get(cohost=hketo.cohosts.get(slug="dc4hk"))


def test_the_export_gives_each_persons_language_referral_and_an_id_of_this_cohosts_own(
    hketo: Campaign, as_staffer: Client
) -> None:
    person = joined(
        hketo, "ah.ming@example.org", ["dc4hk", "hkdc"], language="zh-hant", referral="dc4hk"
    )
    [row] = table(as_staffer.get(EXPORT))
    assert (row["language"], row["referral"]) == ("zh-hant", "dc4hk")
    dc4hk, hkdc = hketo.cohosts.get(slug="dc4hk"), hketo.cohosts.get(slug="hkdc")
    assert row["urge_id"] == member_id(dc4hk, person.ref)
    assert member_id(hkdc, person.ref) != row["urge_id"]  # co-hosts cannot join their lists
    assert len(row["urge_id"]) == 32
    assert table(as_staffer.get(EXPORT))[0]["urge_id"] == row["urge_id"]  # stable


def test_the_first_changes_file_is_everyone(hketo: Campaign, as_staffer: Client) -> None:
    joined(hketo, "ada@example.org", ["dc4hk"], first_name="Ada")
    joined(hketo, "bo@example.org", ["hkdc"], first_name="Bo")
    assert names(table(as_staffer.get(CHANGES))) == ["Ada"]


def test_changes_are_new_consents_and_confirmed_sign_ups_since_the_last_export(
    hketo: Campaign, as_staffer: Client
) -> None:
    joined(hketo, "same@example.org", ["dc4hk"], first_name="Same")
    joined(hketo, "moved@example.org", ["dc4hk"], first_name="Moved")
    came_back = joined(hketo, "back@example.org", ["dc4hk"], first_name="Back")
    time_passes()  # a file includes the minute before the last one began, in case of late commits
    as_staffer.get(EXPORT)
    time_passes()
    joined(hketo, "moved@example.org", ["dc4hk"], first_name="Moved", zip_code="98104")
    leaves(came_back, "dc4hk")
    joined(hketo, "back@example.org", ["dc4hk"], first_name="Back")
    joined(hketo, "new@example.org", ["dc4hk"], first_name="New")
    joined(hketo, "elsewhere@example.org", ["hkdc"], first_name="Elsewhere")
    # Unconfirmed: nothing a co-host may have yet.
    signup.submit(hketo, signup.Submission("Waiting", "Chan", "w@example.org", "98101", "", "en"))

    assert names(table(as_staffer.get(CHANGES))) == ["Moved", "Back", "New"]
    assert names(table(as_staffer.get(EXPORT))) == ["Same", "Moved", "Back", "New"]


def test_a_file_that_could_not_be_made_moves_nothing_and_a_list_view_is_no_export(
    hketo: Campaign, as_staffer: Client, settings: object
) -> None:
    joined(hketo, "ada@example.org", ["dc4hk"])
    as_staffer.get(BASE + "supporters/")
    assert not HandOff.objects.exists()
    settings.URGE_ENCRYPTION_KEYS = []  # type: ignore[attr-defined]
    assert as_staffer.get(CHANGES).status_code == 503
    assert not HandOff.objects.exists()


def test_the_kept_time_is_when_the_file_began_and_never_goes_back(
    hketo: Campaign, as_staffer: Client
) -> None:
    before = timezone.now()
    as_staffer.get(EXPORT)
    first = kept(hketo).exported_at
    assert first is not None
    assert before <= first <= timezone.now()
    assert kept(hketo).suppression_at is None
    # A download that began earlier and ended later, a slow one, keeps nothing older.
    handoff.advance(hketo.cohosts.get(slug="dc4hk"), "exported_at", before - timedelta(minutes=5))
    assert kept(hketo).exported_at == first


def test_the_dashboard_shows_when_the_last_export_was(hketo: Campaign, as_staffer: Client) -> None:
    joined(hketo, "ada@example.org", ["dc4hk"])
    assert "Not exported yet" in as_staffer.get("/manage/c/hketo/").content.decode()
    assert "Nobody has exported this list yet." in as_staffer.get(PAGE).content.decode()
    as_staffer.get(EXPORT)
    at = kept(hketo).exported_at
    assert at is not None
    shown = f"{at:%Y-%m-%d %H:%M} UTC"
    assert f"Last export: {shown}" in as_staffer.get("/manage/c/hketo/").content.decode()
    page = as_staffer.get(PAGE).content.decode()
    assert f"Your last export: {shown}." in page
    assert "0 people are new or changed since then." in page


def test_the_handoff_page_counts_who_is_waiting_and_opens_nobodys_details(
    hketo: Campaign, as_staffer: Client
) -> None:
    ada = joined(hketo, "ada@example.org", ["dc4hk"])
    joined(hketo, "bo@example.org", ["dc4hk"], first_name="Bo")
    time_passes()
    as_staffer.get(EXPORT)
    time_passes()
    leaves(ada, "dc4hk")
    joined(hketo, "fay@example.org", ["dc4hk"], first_name="Fay")
    looks = AuditEntry.objects.count()
    html = as_staffer.get(PAGE).content.decode()
    assert "2 people may be contacted now." in html
    assert "1 person is new or changed since then." in html
    assert "1 person has left so far." in html
    assert "ada@example.org" not in html
    assert AuditEntry.objects.count() == looks


def test_the_suppression_file_leaves_out_who_came_back_and_who_left_before_any_look(
    hketo: Campaign, as_staffer: Client
) -> None:
    back = joined(hketo, "back@example.org", ["dc4hk"], first_name="Back")
    as_staffer.get(EXPORT)
    time_passes()
    leaves(back, "dc4hk")
    joined(hketo, "back@example.org", ["dc4hk"], first_name="Back")
    brief = joined(hketo, "brief@example.org", ["dc4hk"], first_name="Brief")
    erases(brief)
    assert table(as_staffer.get(SUPPRESSION)) == []


def test_a_list_seen_on_screen_hands_nobody_to_the_suppression_file(
    hketo: Campaign, as_staffer: Client
) -> None:
    """Only a downloaded file fills a co-host's list: a look at a page of the list must not
    make the address of someone who then leaves reach the co-host."""
    seen = joined(hketo, "seen@example.org", ["dc4hk"], first_name="Seen")
    assert as_staffer.get(BASE + "supporters/").status_code == 200
    time_passes()
    leaves(seen, "dc4hk")
    assert table(as_staffer.get(SUPPRESSION)) == []


def test_urges_own_purge_of_a_closed_campaign_tells_no_cohost_anyone_left(
    hketo: Campaign, as_staffer: Client
) -> None:
    joined(hketo, "ada@example.org", ["dc4hk"])
    as_staffer.get(EXPORT)
    anonymise(Supporter.objects.all())  # as `urge purge` does, past the retention time
    assert not Departure.objects.exists()
    assert table(as_staffer.get(SUPPRESSION)) == []


def test_someone_who_left_and_was_purged_since_is_named_by_id_alone(
    hketo: Campaign, as_staffer: Client
) -> None:
    ada = joined(hketo, "ada@example.org", ["dc4hk"])
    as_staffer.get(EXPORT)
    leaves(ada, "dc4hk")
    anonymise(Supporter.objects.all())
    [row] = table(as_staffer.get(SUPPRESSION))
    assert (row["email"], row["reason"]) == ("", "withdrew")
    assert row["urge_id"] == member_id(hketo.cohosts.get(slug="dc4hk"), ada.ref)


def test_a_sign_up_confirmed_without_a_cohost_is_a_withdrawal_from_it(
    hketo: Campaign, as_staffer: Client
) -> None:
    joined(hketo, "ada@example.org", ["dc4hk", "hkdc"])
    as_staffer.get(EXPORT)
    ada = joined(hketo, "ada@example.org", ["hkdc"])
    [row] = table(as_staffer.get(SUPPRESSION))
    assert (row["email"], row["reason"]) == ("ada@example.org", "withdrew")
    assert list(Departure.objects.values_list("supporter", "cohost__slug", "kind")) == [
        (ada.pk, "dc4hk", Departure.WITHDREW)
    ]


def test_an_erasure_is_recorded_for_every_cohost_ever_chosen_and_holds_nothing_personal(
    hketo: Campaign,
) -> None:
    eve = joined(hketo, "eve@example.org", ["dc4hk", "hkdc", "cfhk"], first_name="Eve")
    leaves(eve, "cfhk")
    erases(eve)
    recorded = Departure.objects.values_list("cohost__slug", "kind")
    assert sorted(recorded) == [  # cfhk too: it may keep her, unsubscribed, in its list
        ("cfhk", Departure.ERASED),
        ("cfhk", Departure.WITHDREW),
        ("dc4hk", Departure.ERASED),
        ("hkdc", Departure.ERASED),
    ]
    columns = {field.name for field in Departure._meta.get_fields()}
    assert columns == {"id", "supporter", "cohost", "kind", "at"}


def test_the_suppression_file_starts_on_the_day_asked_for_or_says_what_is_wrong(
    hketo: Campaign, as_staffer: Client
) -> None:
    ada = joined(hketo, "ada@example.org", ["dc4hk"])
    as_staffer.get(EXPORT)
    leaves(ada, "dc4hk")
    today = timezone.now().date()
    assert len(table(as_staffer.get(SUPPRESSION + f"?since={today.isoformat()}"))) == 1
    tomorrow = today + timedelta(days=1)
    assert table(as_staffer.get(SUPPRESSION + f"?since={tomorrow.isoformat()}")) == []
    wrong = as_staffer.get(SUPPRESSION + "?since=last-tuesday")
    assert wrong.status_code == 400
    assert "Content-Disposition" not in wrong
    assert "Enter a valid date." in wrong.content.decode()


def test_the_suppression_file_keeps_spreadsheets_from_running_an_address(
    hketo: Campaign, as_staffer: Client
) -> None:
    odd = joined(hketo, "=1+1@example.org", ["dc4hk"])
    as_staffer.get(EXPORT)
    leaves(odd, "dc4hk")
    assert table(as_staffer.get(SUPPRESSION))[0]["email"] == "'=1+1@example.org"


@pytest.mark.parametrize("name", ["changes.csv", "suppression.csv", "handoff/"])
def test_only_the_cohosts_own_staff_reach_its_handoff(hketo: Campaign, name: str) -> None:
    as_organiser = sign_in_verified(Client(), organiser(hketo))
    as_other = sign_in_verified(Client(), cohost_staffer(hketo, "hkdc"))
    for client in (as_organiser, as_other):
        assert client.get(BASE + name).status_code == 404
    assert Client().get(BASE + name).status_code == 302  # to the sign-in page
    # Nothing looked at, nothing handed off: the audit log holds the two refusals alone.
    assert list(AuditEntry.objects.values_list("what", flat=True)) == [AuditEntry.REFUSED] * 2


def test_the_privacy_notice_says_what_a_cohost_receives_in_both_languages(
    hketo: Campaign, client: Client
) -> None:
    english = client.get("/c/hketo/join/").content.decode()
    assert "only after you tick it and confirm by email" in english
    assert "When you leave its list, it receives that too" in english
    chinese = client.get("/zh-hant/c/hketo/join/").content.decode()
    for words in ("合辦機構只會在你剔選它並以電郵確認之後", "你退出它的名單時", "它也會收到通知"):
        assert words in chinese


def test_the_staff_pages_say_it_in_both_languages(hketo: Campaign, as_staffer: Client) -> None:
    for path in (PAGE, BASE + "supporters/"):
        english = as_staffer.get(path).content.decode()
        assert "You receive a person's details only after they tick DC4HK" in english
        assert "When they leave your list, or erase their details, you receive that" in english
        chinese = as_staffer.get("/zh-hant" + path).content.decode()
        assert "你只會在一個人於登記表格剔選DC4HK並以電郵確認之後" in chinese
        assert "他退出你的名單或刪除資料時" in chinese
        assert "你也會在退訂檔案中收到通知" in chinese


def test_purge_still_runs_with_departures_recorded(hketo: Campaign) -> None:
    eve = joined(hketo, "eve@example.org", ["dc4hk"])
    erases(eve)
    call_command("purge", "--commit", verbosity=0)
    assert Departure.objects.filter(supporter=eve, kind=Departure.ERASED).exists()


def test_a_key_gone_missing_blanks_that_address_alone(hketo: Campaign, as_staffer: Client) -> None:
    ada = joined(hketo, "ada@example.org", ["dc4hk"], first_name="Ada")
    bo = joined(hketo, "bo@example.org", ["dc4hk"], first_name="Bo")
    as_staffer.get(EXPORT)
    leaves(ada, "dc4hk")
    leaves(bo, "dc4hk")
    datakeys.destroy([ada.data_key_name()])
    rows = table(as_staffer.get(SUPPRESSION))
    assert [(row["email"], row["reason"]) for row in rows] == [
        ("", "withdrew"),
        ("bo@example.org", "withdrew"),
    ]
