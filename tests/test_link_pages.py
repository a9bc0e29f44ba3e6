"""The pages behind the email's links: opening one changes nothing, its button does the thing."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import signing
from django.test import Client

from tests.supporters import confirmed, sign_up
from urge.campaigns.models import Campaign
from urge.supporters import signup
from urge.supporters.links import (
    ALL_COHOSTS,
    CONFIRM,
    ERASE,
    UNSUBSCRIBE,
    LinkTarget,
    absolute_link,
    make_token,
)
from urge.supporters.models import Supporter

pytestmark = pytest.mark.django_db

CROSS_SITE = {"Sec-Fetch-Site": "cross-site"}
SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}


def link(purpose: str, supporter: Supporter, cohost: str = "", language: str = "en") -> str:
    """The path of the link the email gives for `purpose`."""
    waiting = Supporter.objects.get(pk=supporter.pk)
    submission = str((signup.pending_submission(waiting) or {}).get("submission", ""))
    target = LinkTarget(str(supporter.ref), cohost, submission if purpose == CONFIRM else "")
    url = absolute_link(purpose, target, "hketo", language)
    return urlsplit(url).path


class _SignedLongAgo(signing.TimestampSigner):
    """Signs as the real signer did a day more than the link's lifetime ago."""

    def timestamp(self) -> str:
        days = settings.URGE_CONFIRM_LINK_DAYS + 1
        return signing.b62_encode(int(time.time() - timedelta(days=days).total_seconds()))


def expired_confirm_link(supporter: Supporter) -> str:
    token = _SignedLongAgo(salt=CONFIRM).sign(str(supporter.ref))
    return f"/c/hketo/confirm/{token}/"


def active(supporter: Supporter) -> list[str]:
    consents = supporter.consents.filter(withdrawn_at__isnull=True).order_by("cohost__position")
    return list(consents.values_list("cohost__slug", flat=True))


def test_it_changes_nothing_when_a_confirm_link_is_opened(hketo: Campaign, client: Client) -> None:
    supporter = sign_up(hketo, cohosts=["dc4hk", "hkdc"])

    page = client.get(link(CONFIRM, supporter))

    assert page.status_code == 200
    assert '<form method="post">' in page.text
    assert "DC4HK" in page.text
    assert "Hong Kong Democracy Council" in page.text
    assert '<meta name="robots" content="noindex">' in page.text
    assert "no-store" in page["Cache-Control"]
    assert not page.cookies
    supporter.refresh_from_db()
    assert supporter.confirmed_at is None
    assert supporter.pending
    assert not supporter.consents.exists()


def test_it_confirms_when_the_button_is_pressed(hketo: Campaign, client: Client) -> None:
    supporter = sign_up(hketo, cohosts=["dc4hk", "hkdc"])

    answer = client.post(link(CONFIRM, supporter), headers=SAME_ORIGIN)

    assert answer.status_code == 200
    assert "You are confirmed" in answer.text
    assert "DC4HK" in answer.text
    assert "Hong Kong Democracy Council" in answer.text
    assert "Committee for Freedom" not in answer.text
    assert "no-store" in answer["Cache-Control"]
    assert not answer.cookies
    supporter.refresh_from_db()
    assert supporter.confirmed_at is not None
    assert active(supporter) == ["dc4hk", "hkdc"]


def test_it_says_so_when_a_sign_up_is_confirmed_twice(hketo: Campaign, client: Client) -> None:
    supporter = sign_up(hketo)
    client.post(link(CONFIRM, supporter))

    again = client.post(link(CONFIRM, supporter))
    opened = client.get(link(CONFIRM, supporter))

    assert again.status_code == 200
    assert "You are confirmed" in again.text
    assert "Already confirmed" in opened.text
    assert "<form" not in opened.text
    assert supporter.consents.count() == 1


def test_it_explains_an_expired_confirm_link_and_confirms_nothing(
    hketo: Campaign, client: Client
) -> None:
    supporter = sign_up(hketo)

    for answer in (
        client.get(expired_confirm_link(supporter)),
        client.post(expired_confirm_link(supporter)),
    ):
        assert answer.status_code == 410
        assert "This link has expired" in answer.text
        assert "/c/hketo/join/resend/" in answer.text
        assert "Sign up again" in answer.text
    supporter.refresh_from_db()
    assert supporter.confirmed_at is None


@pytest.mark.parametrize(
    "mangle",
    [
        lambda path: path[:-10] + "/",  # cut short when copied
        lambda path: path.replace("/confirm/", "/confirm/x"),  # a forged reference
    ],
)
def test_it_refuses_a_mangled_or_forged_link_plainly(
    hketo: Campaign, client: Client, mangle: Callable[[str], str]
) -> None:
    supporter = sign_up(hketo)
    path = mangle(link(CONFIRM, supporter))

    for answer in (client.get(path), client.post(path)):
        assert answer.status_code == 400
        assert "This link does not work" in answer.text
        assert "Traceback" not in answer.text
    supporter.refresh_from_db()
    assert supporter.confirmed_at is None


def test_it_refuses_a_link_made_for_another_purpose(hketo: Campaign, client: Client) -> None:
    supporter = sign_up(hketo)
    erase_token = make_token(ERASE, LinkTarget(str(supporter.ref)))
    leave_token = make_token(UNSUBSCRIBE, LinkTarget(str(supporter.ref), ALL_COHOSTS))

    assert client.post(f"/c/hketo/confirm/{erase_token}/").status_code == 400
    assert client.post(f"/c/hketo/erase/{leave_token}/").status_code == 400
    supporter.refresh_from_db()
    assert supporter.confirmed_at is None
    assert supporter.anonymised_at is None


def test_it_refuses_a_link_used_on_another_campaign(hketo: Campaign, client: Client) -> None:
    supporter = sign_up(hketo)
    token = make_token(CONFIRM, LinkTarget(str(supporter.ref)))

    assert client.post(f"/c/another/confirm/{token}/").status_code == 400
    supporter.refresh_from_db()
    assert supporter.confirmed_at is None


def test_it_refuses_a_button_pressed_on_another_site(
    hketo: Campaign, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    supporter = sign_up(hketo)

    answers = [
        client.post(link(CONFIRM, supporter), headers=CROSS_SITE),
        client.post(link(UNSUBSCRIBE, supporter, ALL_COHOSTS), headers=CROSS_SITE),
        client.post(link(ERASE, supporter), headers=CROSS_SITE),
    ]

    assert [answer.status_code for answer in answers] == [403, 403, 403]
    assert "Nothing has changed" in answers[0].text
    assert str(supporter.ref) not in caplog.text  # a working link must not land in a log
    supporter.refresh_from_db()
    assert supporter.confirmed_at is None
    assert supporter.anonymised_at is None


def test_it_stops_one_cohost_and_leaves_the_others(hketo: Campaign, client: Client) -> None:
    supporter = confirmed(hketo, cohosts=["dc4hk", "hkdc"])
    path = link(UNSUBSCRIBE, supporter, "hkdc")

    opened = client.get(path)
    assert opened.status_code == 200
    assert "Stop Hong Kong Democracy Council contacting you" in opened.text
    assert active(supporter) == ["dc4hk", "hkdc"]

    answer = client.post(path, headers=SAME_ORIGIN)
    assert answer.status_code == 200
    assert "Hong Kong Democracy Council may not contact you any more." in answer.text
    assert active(supporter) == ["dc4hk"]


def test_it_leaves_every_list_from_the_all_link(hketo: Campaign, client: Client) -> None:
    supporter = confirmed(hketo, cohosts=["dc4hk", "hkdc"])
    path = link(UNSUBSCRIBE, supporter, ALL_COHOSTS)

    assert "Leave every co-host" in client.get(path).text
    assert active(supporter) == ["dc4hk", "hkdc"]
    answer = client.post(path)

    assert "None of this campaign's co-hosts may contact you any more." in answer.text
    assert active(supporter) == []
    assert supporter.consents.count() == 2  # kept, withdrawn, as a record of what was agreed


def test_it_takes_a_mail_clients_one_click_post_from_anywhere(
    hketo: Campaign, client: Client
) -> None:
    supporter = confirmed(hketo, cohosts=["dc4hk", "hkdc"])
    path = link(UNSUBSCRIBE, supporter, ALL_COHOSTS)

    answer = client.post(path, {"List-Unsubscribe": "One-Click"}, headers=CROSS_SITE)

    assert answer.status_code == 200
    assert active(supporter) == []


def test_it_refuses_a_leave_link_for_a_cohost_the_campaign_does_not_have(
    hketo: Campaign, client: Client
) -> None:
    supporter = confirmed(hketo)

    assert client.post(link(UNSUBSCRIBE, supporter, "nobody")).status_code == 400
    assert active(supporter) == ["dc4hk"]


def test_it_erases_only_when_the_button_is_pressed(hketo: Campaign, client: Client) -> None:
    supporter = confirmed(hketo)
    path = link(ERASE, supporter)

    opened = client.get(path)
    assert opened.status_code == 200
    assert "Erase my details" in opened.text
    # It says exactly what stays (nothing that names the person) before the button.
    assert "which co-hosts they chose, with the words beside each box" in opened.text
    supporter.refresh_from_db()
    assert supporter.anonymised_at is None

    answer = client.post(path, headers=SAME_ORIGIN)
    assert answer.status_code == 200
    assert "Erased" in answer.text
    supporter.refresh_from_db()
    assert supporter.anonymised_at is not None
    assert supporter.email == ""
    assert active(supporter) == []
    # Pressed again, or after the purge: the same answer, nothing left to say.
    assert client.post(path).status_code == 200


def test_it_says_an_erased_sign_up_cannot_be_confirmed(hketo: Campaign, client: Client) -> None:
    supporter = sign_up(hketo)
    client.post(link(ERASE, supporter))

    answer = client.post(link(CONFIRM, supporter))

    assert answer.status_code == 404
    assert "Nothing to confirm" in answer.text
    supporter.refresh_from_db()
    assert supporter.confirmed_at is None


def test_it_shows_the_pages_in_chinese_on_chinese_links(hketo: Campaign, client: Client) -> None:
    supporter = confirmed(hketo, cohosts=["fight-for-freedom"], language="zh-hant")

    page = client.get(link(UNSUBSCRIBE, supporter, "fight-for-freedom", language="zh-hant"))

    assert page.status_code == 200
    assert '<html lang="zh-Hant">' in page.text
    assert "重光團隊" in page.text
    assert "促請參議院表決" in page.text
    assert 'hreflang="en"' in page.text  # the language switcher keeps the same link


def test_it_keeps_a_confirmed_supporters_consents_when_they_sign_up_again_unconfirmed(
    hketo: Campaign, client: Client
) -> None:
    supporter = confirmed(hketo, cohosts=["dc4hk"])
    sign_up(hketo, cohosts=["hkdc"])  # someone typed their address: nothing changes yet

    assert client.get(link(CONFIRM, supporter)).status_code == 200
    assert active(supporter) == ["dc4hk"]
    client.post(link(CONFIRM, supporter))
    assert active(supporter) == ["hkdc"]


def test_a_later_submission_cannot_ride_on_the_owners_confirm_link(
    hketo: Campaign, client: Client
) -> None:
    """Issue 11, finding 3: someone who knows the address resubmits it with their own details
    and every co-host; the owner then presses confirm in the first email."""
    owner = sign_up(hketo, email="mei@example.org", first_name="Mei", cohosts=["hkdc"])
    owners_link = link(CONFIRM, owner)
    sign_up(
        hketo,
        email="mei@example.org",
        first_name="Intruder",
        zip_code="10001",
        phone="212-555-0199",
        cohosts=["dc4hk", "fight-for-freedom", "hkdc", "cfhk"],
    )
    opened = client.get(owners_link)
    assert "A newer sign-up is waiting" in opened.text
    assert "Intruder" not in opened.text  # the owner's link shows nothing of the newer one
    pressed = client.post(owners_link)
    assert "A newer sign-up is waiting" in pressed.text
    owner.refresh_from_db()
    assert owner.confirmed_at is None
    assert not owner.consents.exists()
    # The newer submission's own link, in its own email, shows what it says before anything.
    newer = client.get(link(CONFIRM, owner)).text
    assert "Intruder Lovelace" in newer
    assert "10001" in newer
    assert "ending in 99" in newer
    assert "212-555-0199" not in newer
    assert "someone else used your address" in newer


def test_the_confirm_page_shows_what_would_be_stored_before_the_button(
    hketo: Campaign, client: Client
) -> None:
    supporter = sign_up(hketo, first_name="Ada", zip_code="98101", cohosts=["hkdc"])
    page = client.get(link(CONFIRM, supporter)).text
    assert page.index("Ada Lovelace") < page.index("Confirm my sign-up")
    assert page.index("98101") < page.index("Confirm my sign-up")
    assert "Hong Kong Democracy Council" in page
    chinese = client.get(link(CONFIRM, supporter, language="zh-hant")).text
    assert "除非你確認" in chinese
    assert "Ada Lovelace" in chinese


def test_emailed_links_still_open_after_the_secret_key_is_rotated(
    hketo: Campaign, client: Client, settings: Any
) -> None:
    supporter = sign_up(hketo)
    old = "the-old-secret-key-" + "o" * 40
    settings.SECRET_KEY = old
    emailed = link(ERASE, supporter)
    settings.SECRET_KEY = "the-new-secret-key-" + "n" * 40
    settings.SECRET_KEY_FALLBACKS = [old]  # URGE_SECRET_KEY_FALLBACKS
    assert client.get(emailed).status_code == 200
    settings.SECRET_KEY_FALLBACKS = []
    assert client.get(emailed).status_code == 400
