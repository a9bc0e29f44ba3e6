"""Signing in to the dashboard: a password, then a code from an authenticator app; enrolling
that app on the first visit; and a limit on guesses of either."""

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.people import PASSWORD, code_for_secret, current_code, organiser, person
from urge.campaigns.models import Campaign
from urge.dashboard.models import SealedTOTPDevice

SIGNIN = "/manage/signin/"
VERIFY = "/manage/verify/"


@pytest.fixture
def staffer(hketo: Campaign) -> User:
    return organiser(hketo)


@pytest.fixture
def three_tries(settings: Any) -> None:
    # A window of ~30 years: no test run straddles two windows.
    settings.URGE_RATE_SIGNIN = (3, 1000000000)


def sign_in_with_password(client: Client, username: str, password: str = PASSWORD) -> str:
    response = client.post(SIGNIN, {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return str(response["Location"])


def errors_on(page: str) -> list[str]:
    return re.findall(r'class="field__error"[^>]*>(.*?)</p>', page)


def secret_on(page: str) -> str:
    return page.split('<code class="enrol__secret">')[1].split("</code>")[0]


def test_it_signs_in_with_a_password_then_a_code(client: Client, staffer: User) -> None:
    assert sign_in_with_password(client, "organiser") == "/manage/verify/?next=%2Fmanage%2F"
    page = client.get(VERIFY).content.decode()
    assert "Enter your code" in page
    assert "<svg" not in page  # an enrolled person is never offered a new device
    assert client.get("/manage/").status_code == 302  # the password alone opens nothing
    response = client.post(VERIFY, {"code": current_code(staffer), "next": "/manage/"})
    assert response.status_code == 302
    assert response["Location"] == "/manage/"
    assert client.get("/manage/").status_code == 200


def test_it_refuses_a_wrong_code(client: Client, staffer: User) -> None:
    sign_in_with_password(client, "organiser")
    right = current_code(staffer)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 200
    assert "That code did not work." in response.content.decode()
    assert client.get("/manage/").status_code == 302


def test_it_gives_a_wrong_password_and_an_unknown_name_the_same_answer(
    client: Client, staffer: User
) -> None:
    wrong_password = client.post(SIGNIN, {"username": "organiser", "password": "nope"})
    unknown_name = client.post(SIGNIN, {"username": "nobody", "password": "nope"})
    assert wrong_password.status_code == unknown_name.status_code == 200
    assert errors_on(wrong_password.content.decode()) == errors_on(unknown_name.content.decode())
    assert errors_on(wrong_password.content.decode()) == [
        "Please enter a correct username and password. Note that both fields may be case-sensitive."
    ]


def test_it_enrols_an_authenticator_with_an_inline_svg_qr_code(client: Client, db: None) -> None:
    newcomer = person("newcomer", enrolled=False)
    sign_in_with_password(client, "newcomer")
    page = client.get(VERIFY).content.decode()
    device = SealedTOTPDevice.objects.get(user=newcomer)
    assert not device.confirmed
    assert "Set up your authenticator app" in page
    assert '<svg width="' in page
    assert "data:" not in page
    assert 'style="' not in page
    assert len(secret_on(page).replace(" ", "")) == 32  # 20 bytes in base32

    response = client.post(VERIFY, {"code": code_for_secret(device.bin_key)})
    assert response.status_code == 200  # the recovery codes, shown this once
    assert "Your recovery codes" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/manage/").status_code == 200


def test_it_keeps_showing_the_same_key_until_the_app_is_confirmed(client: Client, db: None) -> None:
    newcomer = person("newcomer", enrolled=False)
    sign_in_with_password(client, "newcomer")
    first = client.get(VERIFY).content.decode()
    second = client.get(VERIFY).content.decode()
    assert SealedTOTPDevice.objects.filter(user=newcomer).count() == 1
    assert secret_on(first) == secret_on(second)


def test_it_refuses_a_wrong_code_while_enrolling(client: Client, db: None) -> None:
    newcomer = person("newcomer", enrolled=False)
    sign_in_with_password(client, "newcomer")
    client.get(VERIFY)
    device = SealedTOTPDevice.objects.get(user=newcomer)
    right = code_for_secret(device.bin_key)
    response = client.post(VERIFY, {"code": f"{(int(right) + 1) % 1_000_000:06d}"})
    assert response.status_code == 200
    assert "That code did not work." in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/manage/").status_code == 302


@pytest.mark.parametrize(
    ("wanted", "landing"),
    [
        ("/manage/c/hketo/", "/manage/c/hketo/"),
        ("https://evil.example/steal", "/manage/"),
        ("//evil.example/steal", "/manage/"),
    ],
)
def test_it_goes_on_to_next_only_when_it_stays_on_this_site(
    client: Client, staffer: User, wanted: str, landing: str
) -> None:
    client.post(SIGNIN, {"username": "organiser", "password": PASSWORD, "next": wanted})
    response = client.post(VERIFY, {"code": current_code(staffer), "next": wanted})
    assert response["Location"] == landing


def test_it_sends_verify_to_sign_in_first(client: Client, db: None) -> None:
    response = client.get(VERIFY)
    assert response.status_code == 302
    assert response["Location"].startswith(SIGNIN)


def test_it_refuses_more_tries_for_one_username_from_many_addresses(
    client: Client, staffer: User, three_tries: None
) -> None:
    for number in range(3):
        address = f"203.0.113.{number}"
        response = client.post(
            SIGNIN, {"username": "Organiser", "password": "guess"}, REMOTE_ADDR=address
        )
        assert response.status_code == 200
    # Not even the right password gets through now, and nothing says that it was right.
    response = client.post(
        SIGNIN, {"username": "organiser", "password": PASSWORD}, REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code == 429
    assert "Too many tries" in response.content.decode()
    assert client.get("/manage/").status_code == 302


def test_it_refuses_more_tries_from_one_address_for_many_usernames(
    client: Client, staffer: User, three_tries: None
) -> None:
    for name in ("alice", "bob", "carol"):
        assert client.post(SIGNIN, {"username": name, "password": "guess"}).status_code == 200
    response = client.post(SIGNIN, {"username": "organiser", "password": PASSWORD})
    assert response.status_code == 429


def test_it_gives_the_same_429_whether_or_not_the_account_exists(
    client: Client, staffer: User, three_tries: None
) -> None:
    answers = {}
    for name in ("organiser", "nobody"):
        for number in range(4):
            response = client.post(
                SIGNIN, {"username": name, "password": "guess"}, REMOTE_ADDR=f"198.51.100.{number}"
            )
        answers[name] = response
    assert answers["organiser"].status_code == answers["nobody"].status_code == 429
    assert answers["organiser"].content == answers["nobody"].content


def test_it_limits_tries_at_the_code_too(client: Client, staffer: User, three_tries: None) -> None:
    sign_in_with_password(client, "organiser")
    for _try in range(3):
        assert client.post(VERIFY, {"code": "000000"}).status_code == 200
    response = client.post(VERIFY, {"code": current_code(staffer)})
    assert response.status_code == 429
    assert client.get("/manage/").status_code == 302


def test_it_signs_out_only_by_post(client: Client, staffer: User) -> None:
    sign_in_with_password(client, "organiser")
    client.post(VERIFY, {"code": current_code(staffer)})
    assert client.get("/manage/signout/").status_code == 405
    response = client.post("/manage/signout/")
    assert response.status_code == 302
    assert client.get("/manage/").status_code == 302


def test_it_keeps_the_sign_in_pages_out_of_caches(client: Client, db: None) -> None:
    person("newcomer", enrolled=False)
    assert "no-store" in client.get(SIGNIN)["Cache-Control"]
    sign_in_with_password(client, "newcomer")
    assert "no-store" in client.get(VERIFY)["Cache-Control"]
