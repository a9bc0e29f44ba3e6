"""Sessions, sign-in and messages are the staff's: on the public pages their middleware stays
in the chain and passes requests on untouched (urge/core/staffonly.py); staff pages get all
of it."""

from __future__ import annotations

from django.conf import settings
from django.test import Client

from tests.people import organiser, sign_in_verified
from urge.campaigns.models import Campaign


def test_a_signed_in_organiser_uses_the_public_pages_and_stays_signed_in(
    hketo: Campaign,
) -> None:
    staff = sign_in_verified(Client(), organiser(hketo))
    session = staff.cookies[settings.SESSION_COOKIE_NAME].value

    pages = [staff.get("/c/hketo/"), staff.get("/c/hketo/join/"), staff.get("/zh-hant/c/hketo/")]
    answer = staff.post("/c/hketo/act/go/", {"channel": "nothing-known"})

    assert [page.status_code for page in pages] == [200, 200, 200]
    assert answer.status_code == 400  # the view's own refusal, not a 500
    for response in [*pages, answer]:
        assert "Set-Cookie" not in response
        assert "Cookie" not in response.get("Vary", "")
    assert staff.get("/manage/").status_code == 200
    assert staff.cookies[settings.SESSION_COOKIE_NAME].value == session


def test_staff_pages_still_have_sessions_and_sign_in(hketo: Campaign) -> None:
    anyone = Client()
    assert anyone.get("/manage/")["Location"].startswith("/manage/signin/")
    assert "csrftoken" in anyone.get("/manage/signin/").cookies
    assert anyone.get("/zh-hant/manage/")["Location"].startswith("/zh-hant/manage/signin/")


def test_a_public_page_sets_no_session_even_for_a_visitor_who_has_one(hketo: Campaign) -> None:
    visitor = Client()
    visitor.cookies[settings.SESSION_COOKIE_NAME] = "not-a-session-anyone-has"
    response = visitor.get("/c/hketo/join/")
    assert response.status_code == 200
    assert "Set-Cookie" not in response
