"""Signing up on the campaign page: every outcome of the form, in both languages."""

from __future__ import annotations

import hashlib
import logging
import re
import time
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django_tasks_db.models import DBTaskResult

from urge.campaigns.models import Campaign
from urge.core.groupcommit import GroupCommitTimeout
from urge.core.sharedcounts import shared
from urge.supporters import bots, signup
from urge.supporters.models import Supporter

PERSON = {
    "first_name": "Ah Ming",
    "last_name": "Chan",
    "email": "ah.ming.chan@example.org",
    "zip_code": "98104",
    "phone": "206-555-0143",
    "cohost_dc4hk": "on",
    "cohost_hkdc": "on",
}


@pytest.fixture(autouse=True)
def _no_wait(settings: Any) -> None:
    settings.URGE_SIGNUP_MIN_SECONDS = 0


def post(client: Client, path: str = "/c/hketo/join/", **changes: str | None) -> Any:
    data = {**PERSON, "stamp": bots.new_stamp(), "website": "", **changes}
    return client.post(path, {k: v for k, v in data.items() if v is not None})


def queued() -> int:
    return DBTaskResult.objects.count()


def test_the_campaign_page_leads_to_the_form_carrying_its_referral(hketo: Campaign) -> None:
    assert 'href="/c/hketo/join/"' in Client().get("/c/hketo/").content.decode()
    shared = Client().get("/c/hketo/?ref=partner-a").content.decode()
    assert 'href="/c/hketo/join/?ref=partner-a"' in shared
    form = Client().get("/c/hketo/join/?ref=partner-a").content.decode()
    assert 'name="ref" value="partner-a"' in form


def test_it_shows_the_form_with_every_box_unticked(hketo: Campaign) -> None:
    page = Client().get("/c/hketo/join/").content.decode()
    assert 'action="/c/hketo/join/"' in page
    for name in ("first_name", "last_name", "email", "zip_code", "phone", "cohost_cfhk"):
        assert f'name="{name}"' in page
    assert "checked" not in page
    assert "What happens to your details" in page
    assert 'autocomplete="email"' in page


@pytest.mark.parametrize(
    ("prefix", "unconfirmed", "access"),
    [
        ("", "If you do not confirm by email within 5 days", "every look at your details"),
        ("/zh-hant", "如果你在 5 天內沒有透過電郵確認", "每次查看你的資料"),
    ],
)
def test_the_notice_says_how_long_an_unconfirmed_sign_up_is_kept_and_that_access_is_recorded(
    hketo: Campaign, settings: Any, prefix: str, unconfirmed: str, access: str
) -> None:
    settings.URGE_UNCONFIRMED_DAYS = 5  # what `urge purge` deletes them after
    page = Client().get(f"{prefix}/c/hketo/join/").content.decode()
    assert unconfirmed in page
    assert access in page


def test_it_shows_the_form_in_chinese_with_the_cohosts_chinese_names(hketo: Campaign) -> None:
    page = Client().get("/zh-hant/c/hketo/join/").content.decode()
    assert 'action="/zh-hant/c/hketo/join/"' in page
    assert "香港民主委員會" in page


def test_it_stores_a_signup_and_queues_its_confirmation(hketo: Campaign) -> None:
    response = post(Client(), ref="spring-mailing")
    assert response.status_code == 303
    assert response["Location"] == "/c/hketo/join/thanks/"
    supporter = Supporter.objects.get()
    assert supporter.email == "ah.ming.chan@example.org"
    assert (supporter.first_name, supporter.last_name, supporter.zip_code) == (
        "Ah Ming",
        "Chan",
        "98104",
    )
    assert supporter.confirmed_at is None
    assert '"spring-mailing"' in supporter.pending
    assert supporter.consents.count() == 0  # consent counts once the email is confirmed
    assert queued() == 1


def test_the_thank_you_page_says_to_check_the_email(hketo: Campaign) -> None:
    page = Client().get("/c/hketo/join/thanks/").content.decode()
    assert "Now check your email" in page
    assert "/c/hketo/join/resend/" in page


def test_it_answers_in_chinese_from_the_chinese_page(hketo: Campaign) -> None:
    response = post(Client(), path="/zh-hant/c/hketo/join/")
    assert response["Location"] == "/zh-hant/c/hketo/join/thanks/"
    assert Supporter.objects.get().language == "zh-hant"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", "", "Enter your first name."),
        ("last_name", "  ", "Enter your last name."),
        ("email", "ah.ming.chan", "Enter an email address like name@example.org."),
        ("email", "", "Enter your email address."),
        ("zip_code", "9810", "A ZIP code has 5 digits"),
        ("zip_code", "", "Enter your ZIP code."),
        ("phone", "call me", "Enter a phone number with its area code"),
    ],
)
def test_it_explains_a_wrong_field_and_keeps_everything_typed(
    hketo: Campaign, field: str, value: str, message: str
) -> None:
    response = post(Client(), **{field: value})
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert 'aria-invalid="true"' in page
    for name, typed in PERSON.items():
        if name != field and not name.startswith("cohost_"):
            assert f'value="{typed}"' in page
    assert 'id="id_cohost_dc4hk" checked' in page
    assert 'id="id_cohost_cfhk" checked' not in page
    assert Supporter.objects.count() == 0
    assert queued() == 0


def test_it_accepts_zip_plus_four_and_full_width_digits(hketo: Campaign) -> None:
    post(Client(), zip_code="\uff19\uff18\uff11\uff10\uff14 \uff13\uff12\uff11\uff10", phone="")
    supporter = Supporter.objects.get()
    assert supporter.zip_code == "98104-3210"
    assert supporter.phone == ""


def test_the_same_person_again_is_one_supporter_with_new_choices_pending(
    hketo: Campaign,
) -> None:
    post(Client())
    post(Client(), email="  AH.MING.CHAN@Example.ORG ", cohost_dc4hk=None, cohost_cfhk="on")
    supporter = Supporter.objects.get()
    assert '"cfhk"' in supporter.pending
    assert '"dc4hk"' not in supporter.pending
    assert queued() == 2


def test_a_known_address_gets_the_same_answer_as_a_new_one(hketo: Campaign) -> None:
    first = post(Client())
    again = post(Client())
    other = post(Client(), email="someone.else@example.org")
    answers = {(r.status_code, r["Location"], r.content) for r in (first, again, other)}
    assert len(answers) == 1


def test_a_filled_honeypot_gets_the_thank_you_and_nothing_is_stored(hketo: Campaign) -> None:
    response = post(Client(), website="http://spam.example")
    assert (response.status_code, response["Location"]) == (303, "/c/hketo/join/thanks/")
    assert Supporter.objects.count() == 0
    assert queued() == 0


def test_a_form_sent_faster_than_a_person_types_asks_to_press_once_more(
    hketo: Campaign, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A browser that fills the form in for its owner is fast: never a fake success."""
    settings.URGE_SIGNUP_MIN_SECONDS = 3
    response = post(Client())
    page = response.content.decode()
    assert response.status_code == 400
    assert "press Sign up once more" in page
    assert 'value="ah.ming.chan@example.org"' in page
    assert 'id="id_cohost_hkdc" checked' in page
    assert Supporter.objects.count() == 0
    stamp = re.search(r'name="stamp" value="([^"]+)"', page)
    assert stamp is not None
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 4)  # the person reads, then presses
    assert post(Client(), stamp=stamp[1]).status_code == 303
    assert Supporter.objects.count() == 1


def test_in_chinese_the_request_to_press_once_more_is_in_chinese(
    hketo: Campaign, settings: Any
) -> None:
    settings.URGE_SIGNUP_MIN_SECONDS = 3
    response = post(Client(), "/zh-hant/c/hketo/join/")
    assert response.status_code == 400
    assert "然後再按一次「登記」" in response.content.decode()


def test_a_forged_stamp_asks_to_send_again_keeping_the_details(hketo: Campaign) -> None:
    response = post(Client(), stamp="made-up:stamp:value")
    page = response.content.decode()
    assert response.status_code == 400
    assert "send it again" in page
    assert 'value="ah.ming.chan@example.org"' in page
    assert Supporter.objects.count() == 0


def test_a_stamp_is_spent_by_the_sign_up_that_uses_it(hketo: Campaign) -> None:
    """One stamp once: a script cannot reuse one page's stamp for sign-up after sign-up,
    and a person who sends the form twice is asked, with what they typed kept, to press
    again on the fresh form, never told their second sending worked."""
    stamp = bots.new_stamp()
    assert post(Client(), stamp=stamp).status_code == 303
    again = post(Client(), stamp=stamp, email="someone.else@example.org")
    page = again.content.decode()
    assert again.status_code == 400
    assert "This form was sent once already" in page
    assert 'value="someone.else@example.org"' in page
    fresh = re.search(r'name="stamp" value="([^"]+)"', page)
    assert fresh is not None
    assert fresh[1] != stamp
    assert Supporter.objects.count() == 1
    assert post(Client(), stamp=fresh[1], email="someone.else@example.org").status_code == 303
    assert Supporter.objects.count() == 2


def test_in_chinese_a_spent_stamp_is_explained_in_chinese(hketo: Campaign) -> None:
    stamp = bots.new_stamp()
    assert post(Client(), "/zh-hant/c/hketo/join/", stamp=stamp).status_code == 303
    again = post(Client(), "/zh-hant/c/hketo/join/", stamp=stamp)
    assert again.status_code == 400
    assert "這份表格已經送出過一次" in again.content.decode()


def test_a_form_sent_back_for_a_mistake_keeps_a_stamp_that_works(hketo: Campaign) -> None:
    stamp = bots.new_stamp()
    assert post(Client(), stamp=stamp, zip_code="9810").status_code == 400
    assert post(Client(), stamp=stamp).status_code == 303


def test_a_stamp_lasts_hours_not_a_day(hketo: Campaign, monkeypatch: pytest.MonkeyPatch) -> None:
    stamp = bots.new_stamp()
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 2 * 3600 + 1)
    response = post(Client(), stamp=stamp)
    assert response.status_code == 400
    assert "send it again" in response.content.decode()
    assert Supporter.objects.count() == 0


def test_it_limits_signups_from_one_connection(hketo: Campaign, settings: Any) -> None:
    settings.URGE_RATE_SIGNUP = (2, 3600)
    client = Client(REMOTE_ADDR="203.0.113.9")
    assert post(client, email="one@example.org").status_code == 303
    assert post(client, email="two@example.org").status_code == 303
    refused = post(client, email="three@example.org")
    page = refused.content.decode()
    assert refused.status_code == 429
    assert "Too many sign-ups" in page
    assert 'value="three@example.org"' in page
    assert post(Client(REMOTE_ADDR="203.0.113.10"), email="four@example.org").status_code == 303
    assert Supporter.objects.count() == 3
    assert b"203.0.113" not in bytes(shared().memory)  # counted by keyed hash only


def refuse_inserts_into(table: str) -> None:
    """Make the real database refuse writes to one table, as a full disk or a failover would."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"CREATE TRIGGER refuse BEFORE INSERT ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
            )
        else:
            cursor.execute(
                "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$"
            )
            cursor.execute(
                f"CREATE TRIGGER refuse BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION refuse()"
            )


def test_a_database_failure_stores_nothing_and_keeps_the_form(
    hketo: Campaign, caplog: pytest.LogCaptureFixture
) -> None:
    refuse_inserts_into("supporters_supporter")
    with caplog.at_level(logging.INFO):
        response = post(Client())
    page = response.content.decode()
    assert response.status_code == 503
    assert "nothing was stored" in page
    assert 'value="Ah Ming"' in page
    assert 'id="id_cohost_hkdc" checked' in page
    assert Supporter.objects.count() == 0
    assert "A sign-up was not stored" in caplog.text
    assert "ah.ming" not in caplog.text.lower()


def test_a_sign_up_whose_outcome_is_not_known_in_time_is_never_told_nothing_was_stored(
    hketo: Campaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    def too_slow(*args: object) -> None:
        raise GroupCommitTimeout

    monkeypatch.setattr(signup, "submit", too_slow)
    response = post(Client())
    page = response.content.decode()
    assert response.status_code == 503
    assert "could not tell just now whether your sign-up was saved" in page
    assert "nothing was stored" not in page
    assert 'value="Ah Ming"' in page


def test_a_sign_up_whose_email_cannot_be_queued_is_not_stored_either(hketo: Campaign) -> None:
    refuse_inserts_into(DBTaskResult._meta.db_table)
    response = post(Client())
    assert response.status_code == 503
    assert Supporter.objects.count() == 0


def test_it_refuses_a_post_the_browser_says_came_from_another_site(hketo: Campaign) -> None:
    response = Client(headers={"Sec-Fetch-Site": "cross-site"}).post(
        "/c/hketo/join/", {**PERSON, "stamp": bots.new_stamp()}
    )
    assert response.status_code == 403
    assert Supporter.objects.count() == 0


def test_signing_up_sets_no_cookie(hketo: Campaign) -> None:
    client = Client()
    client.get("/c/hketo/")
    post(client)
    client.get("/c/hketo/join/thanks/")
    assert not client.cookies


def test_a_closed_campaign_takes_no_signups(hketo: Campaign) -> None:
    Campaign.objects.filter(pk=hketo.pk).update(closes_on="2020-01-01")
    assert 'name="email"' not in Client().get("/c/hketo/").content.decode()
    response = post(Client())
    assert response.status_code == 410
    assert Supporter.objects.count() == 0


def solve(stamp: str, email: str, bits: int) -> str:
    nonce = 0
    while not bots.work_is_done(stamp, email, str(nonce), bits):
        nonce += 1
    return str(nonce)


def test_with_proof_of_work_on_the_form_needs_the_puzzle_solved(
    hketo: Campaign, settings: Any
) -> None:
    settings.URGE_SIGNUP_POW_BITS = 8
    assert 'data-work-bits="8"' in Client().get("/c/hketo/join/").content.decode()
    unsolved = post(Client())
    assert unsolved.status_code == 400
    assert "needs JavaScript" in unsolved.content.decode()
    stamp = bots.new_stamp()
    wrong = str(int(solve(stamp, PERSON["email"], 8)) + 1)
    while bots.work_is_done(stamp, PERSON["email"], wrong, 8):
        wrong = str(int(wrong) + 1)
    assert post(Client(), stamp=stamp, work=wrong).status_code == 303
    assert Supporter.objects.count() == 0  # a wrong answer is a bot, answered as a person
    assert post(Client(), stamp=stamp, work=solve(stamp, PERSON["email"], 8)).status_code == 303
    assert Supporter.objects.count() == 1


def test_leading_zero_bits_counts_bits_not_bytes() -> None:
    assert bots.leading_zero_bits(bytes([0, 0b00010000])) == 11
    assert bots.leading_zero_bits(hashlib.sha256(b"").digest()) == 0


def test_leaving_a_list_before_confirming_drops_that_choice(hketo: Campaign) -> None:
    from urge.supporters import signup

    post(Client())
    supporter = Supporter.objects.get()
    signup.withdraw(supporter, "hkdc")
    signup.confirm(supporter)
    assert [c.cohost.slug for c in supporter.consents.all()] == ["dc4hk"]
