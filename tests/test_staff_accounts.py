"""Staff accounts to ASVS level 2: sessions that end, an event log of every sign-in step,
throttling that never locks the owner out, passwords that are not on attackers' lists, and a
page to change one's own."""

from __future__ import annotations

import base64
import re
import time
from io import StringIO
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.people import (
    PASSWORD,
    code_for_secret,
    cohost_staffer,
    current_code,
    device_of,
    organiser,
    person,
    sign_in_verified,
)
from tests.services import production_environment, run_urge
from urge.accounts.authlog import SEEN, STARTED, account_key
from urge.accounts.models import AuthEvent, RecoveryCode
from urge.campaigns.models import Campaign
from urge.dashboard.models import StaffRole

SIGNIN = "/manage/signin/"
VERIFY = "/manage/verify/"
HOME = "/manage/"
NEW_KEY = Fernet.generate_key().decode()


@pytest.fixture
def staffer(hketo: Campaign) -> User:
    return organiser(hketo)


@pytest.fixture
def three_tries(settings: Any) -> None:
    settings.URGE_RATE_SIGNIN = (3, 1000000000)  # one window for the whole test run


def kinds(roles: bool = False) -> list[str]:
    """The kinds of event logged, in order (role changes, which fixtures make, only if asked)."""
    events = AuthEvent.objects.order_by("pk")
    if not roles:
        events = events.exclude(kind=AuthEvent.ROLE_CHANGED)
    return list(events.values_list("kind", flat=True))


def age_session(client: Client, **seconds_ago: float) -> None:
    session = client.session
    now = time.time()
    for key, ago in seconds_ago.items():
        session[{"started": STARTED, "seen": SEEN}[key]] = now - ago
    session.save()


def full_sign_in(client: Client, user: User, address: str = "192.0.2.10") -> int:
    """Password then code, as a browser does; the status of the code's answer."""
    client.post(SIGNIN, {"username": user.username, "password": PASSWORD}, REMOTE_ADDR=address)
    return client.post(VERIFY, {"code": current_code(user)}, REMOTE_ADDR=address).status_code


# Sessions


def test_an_idle_session_ends_after_the_idle_limit(
    client: Client, staffer: User, settings: Any
) -> None:
    sign_in_verified(client, staffer)
    assert client.get(HOME).status_code == 200
    age_session(client, seen=settings.URGE_STAFF_IDLE_MINUTES * 60 + 1)

    response = client.get(HOME)

    assert response.status_code == 302
    assert response["Location"].startswith(SIGNIN)
    assert kinds()[-1] == AuthEvent.SESSION_ENDED


def test_a_session_in_use_ends_at_the_absolute_limit(
    client: Client, staffer: User, settings: Any
) -> None:
    sign_in_verified(client, staffer)
    age_session(client, started=settings.URGE_STAFF_SESSION_HOURS * 3600 + 1, seen=5)

    assert client.get(HOME).status_code == 302


def test_a_session_in_use_carries_on_and_its_clock_moves(client: Client, staffer: User) -> None:
    sign_in_verified(client, staffer)
    age_session(client, started=3600, seen=20 * 60)

    assert client.get(HOME).status_code == 200
    assert time.time() - client.session[SEEN] < 5


def test_over_https_the_cookies_are_host_only_and_the_session_lasts_the_absolute_limit(
    tmp_path: Any,
) -> None:
    env = production_environment(tmp_path, URGE_HTTPS="true", URGE_STAFF_SESSION_HOURS="8")
    printed = run_urge(
        env,
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; from urge.accounts.throttle import "
        "device_cookie_name as d; print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, d(), "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_AGE)",
    )
    assert printed.split() == [
        "__Host-urge-session",
        "__Host-csrftoken",
        "__Host-urge-device",
        "True",
        "True",
        str(8 * 3600),
    ]


# The event log


def test_every_step_is_logged_with_hashes_never_what_was_typed(
    client: Client, staffer: User
) -> None:
    client.post(SIGNIN, {"username": "organiser", "password": "wrong-guess-1"})
    client.post(SIGNIN, {"username": "nobody-here", "password": "wrong-guess-2"})
    client.post(SIGNIN, {"username": "organiser", "password": PASSWORD})
    client.post(VERIFY, {"code": "000000"})
    # django-otp makes the next code wait after a wrong one; this test does not.
    TOTPDevice.objects.filter(user=staffer).update(throttling_failure_count=0)
    client.post(VERIFY, {"code": current_code(staffer)})
    client.post("/manage/signout/")

    assert kinds() == [
        AuthEvent.PASSWORD_FAILED,
        AuthEvent.PASSWORD_FAILED,
        AuthEvent.CODE_FAILED,
        AuthEvent.SIGNED_IN,
        AuthEvent.SIGNED_OUT,
    ]
    events = list(AuthEvent.objects.exclude(kind=AuthEvent.ROLE_CHANGED).order_by("pk"))
    assert events[0].user == staffer
    assert events[1].user is None  # a name that does not exist: its hash only
    assert events[0].account == events[2].account != events[1].account
    assert len({event.address for event in events}) == 1
    stored = " ".join(
        str(value) for event in events for value in (event.account, event.address, event.kind)
    )
    for typed in ("organiser", "nobody-here", "wrong-guess", PASSWORD, "127.0.0.1"):
        assert typed not in stored


def test_roles_given_and_taken_away_are_logged(hketo: Campaign) -> None:
    person = cohost_staffer(hketo, "hkdc")
    StaffRole.objects.filter(user=person).delete()

    assert kinds(roles=True) == [AuthEvent.ROLE_CHANGED, AuthEvent.ROLE_CHANGED]
    assert {event.account for event in AuthEvent.objects.all()} == {account_key(person.username)}


def test_an_account_with_roles_can_be_deleted_and_the_log_keeps_its_hash(hketo: Campaign) -> None:
    """The role's deletion is logged while the account itself is being deleted."""
    person = cohost_staffer(hketo, "hkdc")
    person.delete()
    connection.check_constraints()  # what the commit would check

    assert kinds(roles=True) == [AuthEvent.ROLE_CHANGED, AuthEvent.ROLE_CHANGED]
    assert AuthEvent.objects.filter(account=account_key("staff-of-hkdc")).count() == 2


def test_wrong_codes_never_lock_the_owner_out_of_their_authenticator(
    client: Client, staffer: User
) -> None:
    client.post(SIGNIN, {"username": "organiser", "password": PASSWORD})
    for _try in range(5):
        client.post(VERIFY, {"code": "000000"})
    owner = Client()
    owner.post(SIGNIN, {"username": "organiser", "password": PASSWORD})

    assert owner.post(VERIFY, {"code": current_code(staffer)}).status_code == 302


def test_only_the_sites_administrators_read_the_log(client: Client, hketo: Campaign) -> None:
    staff = cohost_staffer(hketo, "hkdc")
    User.objects.filter(pk=staff.pk).update(is_staff=True)
    sign_in_verified(client, User.objects.get(pk=staff.pk))
    assert client.get("/admin/accounts/authevent/").status_code == 403

    sign_in_verified(client, organiser(hketo))  # a superuser in these tests
    assert client.get("/admin/accounts/authevent/").status_code == 200


# Throttling


def test_guesses_from_everywhere_never_lock_the_owner_out_of_their_own_browser(
    staffer: User, three_tries: None
) -> None:
    owner = Client()
    assert full_sign_in(owner, staffer) == 302
    owner.post("/manage/signout/")

    attacker = Client()
    for number in range(6):
        attacker.post(
            SIGNIN,
            {"username": "organiser", "password": "guess"},
            REMOTE_ADDR=f"203.0.113.{number}",
        )

    # A new browser is slowed down for this account...
    assert (
        Client()
        .post(SIGNIN, {"username": "organiser", "password": PASSWORD}, REMOTE_ADDR="192.0.2.77")
        .status_code
        == 429
    )
    # ...the owner's, which completed both factors before, is not.
    TOTPDevice.objects.filter(user=staffer).update(last_t=-1)  # a code is good once: next one
    assert full_sign_in(owner, staffer) == 302
    assert owner.get(HOME).status_code == 200
    assert AuthEvent.SLOWED in kinds()


def test_many_names_from_one_address_are_slowed_down_even_from_a_known_browser(
    client: Client, staffer: User, three_tries: None
) -> None:
    assert full_sign_in(client, staffer, address="198.51.100.5") == 302
    client.post("/manage/signout/")
    for name in ("alice", "bob"):
        client.post(SIGNIN, {"username": name, "password": "x"}, REMOTE_ADDR="198.51.100.5")

    response = client.post(
        SIGNIN, {"username": "organiser", "password": PASSWORD}, REMOTE_ADDR="198.51.100.5"
    )

    assert response.status_code == 429


# Passwords


@pytest.mark.parametrize(
    "password", ["Passw0rd!", "password1234", "organiser2026", "qwertyuiop12", "short-7"]
)
def test_known_or_guessable_passwords_are_refused(staffer: User, password: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(password, staffer)


def test_a_few_unrelated_words_are_accepted(staffer: User) -> None:
    validate_password("tulip ferry quantum lantern", staffer)


def test_every_staff_member_can_change_their_own_password(client: Client, hketo: Campaign) -> None:
    staff = cohost_staffer(hketo, "hkdc")
    sign_in_verified(client, staff)
    page = client.get("/manage/password/")
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]

    weak = client.post(
        "/manage/password/",
        {"old_password": PASSWORD, "new_password1": "Passw0rd!", "new_password2": "Passw0rd!"},
    )
    assert "too easy to guess" in weak.content.decode()
    wrong = client.post(
        "/manage/password/",
        {"old_password": "not-it", "new_password1": "x", "new_password2": "x"},
    )
    assert wrong.status_code == 200

    new = "tulip ferry quantum lantern"
    done = client.post(
        "/manage/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )

    assert "Your password has been changed" in done.content.decode()
    assert client.get(HOME).status_code == 200  # still signed in here
    staff.refresh_from_db()
    assert staff.check_password(new)
    assert kinds()[-1] == AuthEvent.PASSWORD_CHANGED


def test_the_password_page_needs_both_factors(client: Client, staffer: User) -> None:
    client.post(SIGNIN, {"username": "organiser", "password": PASSWORD})
    response = client.get("/manage/password/")
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)


# Authenticator secrets at rest


def test_an_enrolled_secret_is_sealed_in_the_database(client: Client, db: None) -> None:
    newcomer = person("newcomer", enrolled=False)
    client.post(SIGNIN, {"username": "newcomer", "password": PASSWORD})
    page = client.get(VERIFY).content.decode()
    shown = page.split('<code class="enrol__secret">')[1].split("</code>")[0].replace(" ", "")
    secret = base64.b32decode(shown)

    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM otp_totp_totpdevice WHERE user_id = %s", [newcomer.pk])
        [(stored,)] = cursor.fetchall()
    assert stored.startswith("s1:")
    for form in (secret.hex(), shown, shown.lower()):
        assert form not in stored

    assert client.post(VERIFY, {"code": code_for_secret(secret)}).status_code == 200
    assert client.get(HOME).status_code == 200


def test_rotating_the_site_keys_seals_the_secrets_anew(staffer: User, settings: Any) -> None:
    before = device_of(staffer).key
    settings.URGE_ENCRYPTION_KEYS = [NEW_KEY, *settings.URGE_ENCRYPTION_KEYS]

    out = StringIO()
    call_command("rotatekeys", "--commit", stdout=out)

    assert "Sealed 1 authenticator secrets with the newest key." in out.getvalue()
    settings.URGE_ENCRYPTION_KEYS = [NEW_KEY]
    device = device_of(staffer)
    assert device.key != before
    client = Client()
    assert full_sign_in(client, staffer) == 302


# Recovery codes


def codes_on(page: str) -> list[str]:
    return re.findall(r"<li><code>([0-9a-z-]+)</code></li>", page)


def enrol(client: Client, username: str = "newcomer") -> tuple[User, list[str]]:
    newcomer = person(username, enrolled=False)
    client.post(SIGNIN, {"username": username, "password": PASSWORD})
    client.get(VERIFY)
    page = client.post(VERIFY, {"code": code_for_secret(device_of(newcomer).bin_key)})
    return newcomer, codes_on(page.content.decode())


def test_enrolling_shows_ten_recovery_codes_once_and_stores_none_of_them(
    client: Client, db: None
) -> None:
    _newcomer, codes = enrol(client)

    assert len(codes) == len(set(codes)) == 10
    stored = " ".join(RecoveryCode.objects.values_list("code_hash", flat=True))
    for code in codes:
        assert code not in stored
        assert code.replace("-", "") not in stored
    assert "10 unused recovery codes" in client.get("/manage/recovery/").content.decode()
    assert kinds()[-1] == AuthEvent.RECOVERY_MADE


def test_a_recovery_code_signs_in_once_in_place_of_the_app(db: None) -> None:
    _newcomer, codes = enrol(Client())
    lost_phone = Client()
    lost_phone.post(SIGNIN, {"username": "newcomer", "password": PASSWORD})

    typed = codes[3].upper().replace("-", " ")  # as read aloud from paper
    response = lost_phone.post(VERIFY, {"recovery": typed})

    assert response.status_code == 302
    assert response["Location"] == "/manage/recovery/"
    assert "9 unused recovery codes" in lost_phone.get("/manage/recovery/").content.decode()
    assert kinds()[-1] == AuthEvent.RECOVERY_USED
    again = Client()
    again.post(SIGNIN, {"username": "newcomer", "password": PASSWORD})
    refused = again.post(VERIFY, {"recovery": codes[3]})
    assert "That recovery code did not work" in refused.content.decode()
    assert again.get(HOME).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(client: Client, db: None) -> None:
    _newcomer, old = enrol(client)

    new = codes_on(client.post("/manage/recovery/").content.decode())

    assert len(new) == 10
    assert not set(new) & set(old)
    other = Client()
    other.post(SIGNIN, {"username": "newcomer", "password": PASSWORD})
    assert other.post(VERIFY, {"recovery": old[0]}).status_code == 200  # refused
    assert other.post(VERIFY, {"recovery": new[0]}).status_code == 302


def test_each_factor_gets_a_new_session_id(client: Client, staffer: User) -> None:
    client.get(SIGNIN)
    client.post(SIGNIN, {"username": "organiser", "password": PASSWORD})
    after_password = client.cookies["sessionid"].value
    client.post(VERIFY, {"code": current_code(staffer)})
    after_code = client.cookies["sessionid"].value

    assert after_password != after_code
    assert client.get(HOME).status_code == 200
