"""A copy of the database is not a login: sessions are stored under a hash of their key, so
the key in a staff member's cookie is nowhere in the database (issue 11, finding 5)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from tests.people import organiser, sign_in_verified
from urge.campaigns.models import Campaign


def test_the_cookies_key_is_not_in_the_database_and_a_copied_row_opens_nothing(
    hketo: Campaign,
) -> None:
    staff = sign_in_verified(Client(), organiser(hketo))
    assert staff.get("/manage/").status_code == 200
    key = staff.cookies[settings.SESSION_COOKIE_NAME].value
    assert not Session.objects.filter(session_key=key).exists()
    (row,) = Session.objects.all()

    attacker = Client()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = row.session_key  # from a copy of the disk
    answer = attacker.get("/manage/")
    assert answer.status_code == 302
    assert "/manage/signin/" in answer["Location"]


def test_signing_out_removes_the_stored_session(hketo: Campaign) -> None:
    staff = sign_in_verified(Client(), organiser(hketo))
    assert Session.objects.count() == 1
    staff.post("/manage/signout/")
    assert Session.objects.count() == 0
