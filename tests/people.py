"""The people of the dashboard tests: an organiser, a co-host's staffer, an outsider and a
site admin.

Each has a password and a confirmed authenticator (TOTP device), as after their first
sign-in; `current_code` reads the authenticator as their phone would. (`organiser` is a
superuser too, for the dashboard's tests; `organiser_made_by_addstaff` and `site_admin` are
made exactly as `urge addstaff` makes them.)
"""

from io import StringIO

from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP

from urge.campaigns.models import Campaign
from urge.dashboard.models import SealedTOTPDevice, StaffRole

PASSWORD = "correct-horse-battery-staple-7"


def person(username: str, *, superuser: bool = False, enrolled: bool = True) -> User:
    user = User.objects.create_user(
        username,
        f"{username}@example.org",
        PASSWORD,
        is_staff=superuser,
        is_superuser=superuser,
    )
    if enrolled:
        SealedTOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def organiser(campaign: Campaign) -> User:
    user = person("organiser", superuser=True)
    StaffRole.objects.create(user=user, campaign=campaign, role=StaffRole.ORGANISER)
    return user


def organiser_made_by_addstaff(campaign: Campaign, username: str = "organiser") -> User:
    """An organiser as `urge addstaff NAME --campaign SLUG --organiser` makes one: staff, with
    the campaign's content in the admin; never a superuser."""
    return _addstaff(username, f"--campaign={campaign.slug}", "--organiser")


def site_admin(username: str = "site-admin") -> User:
    """A site admin as `urge addstaff NAME --site-admin` makes one: no role in any campaign."""
    return _addstaff(username, "--site-admin")


def _addstaff(username: str, *options: str) -> User:
    call_command(
        "addstaff",
        username,
        *options,
        f"--email={username}@example.org",
        "--password-stdin",
        stdin=StringIO(PASSWORD + "\n"),
        stdout=StringIO(),
    )
    user = User.objects.get(username=username)
    SealedTOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def cohost_staffer(campaign: Campaign, cohost_slug: str) -> User:
    user = person(f"staff-of-{cohost_slug}")
    StaffRole.objects.create(
        user=user,
        campaign=campaign,
        role=StaffRole.COHOST,
        cohost=campaign.cohosts.get(slug=cohost_slug),
    )
    return user


def outsider() -> User:
    return person("outsider")


def device_of(user: User) -> SealedTOTPDevice:
    device: SealedTOTPDevice = SealedTOTPDevice.objects.filter(user=user).latest("pk")
    return device


def code_for_secret(secret: bytes) -> str:
    """The six digits an authenticator app shows now for this secret."""
    return f"{TOTP(secret).token():06d}"


def code_for_key(hex_key: str) -> str:
    """The same for a secret in hex."""
    return code_for_secret(bytes.fromhex(hex_key))


def current_code(user: User) -> str:
    return code_for_secret(device_of(user).bin_key)


def sign_in_verified(client: Client, user: User) -> Client:
    """Signed in with both factors, as /manage/verify/ leaves a session (django_otp.login).

    The code itself is tested in test_dashboard_signin.py; setting the session here keeps
    other tests free of the rule that each code works only once.
    """
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device_of(user).persistent_id
    session.save()
    return client
