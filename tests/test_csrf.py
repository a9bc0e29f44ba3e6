"""Staff forms are protected by Django's own CSRF checks; with `Referrer-Policy: same-origin`,
browsers send what those checks need (the Origin, and over HTTPS the Referer)."""

import pytest
from django.contrib.auth.models import User
from django.test import Client


@pytest.fixture
def browser_like(db: None) -> Client:
    User.objects.create_superuser("organiser", "organiser@example.org", "a-long-passphrase")
    client = Client(enforce_csrf_checks=True)
    client.get("/manage/signin/")  # sets the CSRF cookie, as the login page does
    return client


def sign_in(client: Client, secure: bool = False, **headers: str) -> int:
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/manage/signin/",
        {"username": "organiser", "password": "a-long-passphrase", "csrfmiddlewaretoken": token},
        headers=headers,
        secure=secure,
    )
    return response.status_code


def test_pages_tell_browsers_to_keep_the_referrer_on_the_site(browser_like: Client) -> None:
    assert browser_like.get("/manage/signin/")["Referrer-Policy"] == "same-origin"


def test_it_accepts_a_post_from_its_own_page(browser_like: Client) -> None:
    assert sign_in(browser_like, origin="http://testserver") == 302


def test_it_accepts_a_post_over_https_with_the_origin_and_referer_a_browser_sends(
    browser_like: Client,
) -> None:
    assert (
        sign_in(
            browser_like,
            secure=True,
            origin="https://testserver",
            referer="https://testserver/manage/signin/",
        )
        == 302
    )


def test_it_refuses_a_post_from_another_site(browser_like: Client) -> None:
    assert sign_in(browser_like, origin="https://evil.example") == 403
    assert sign_in(browser_like, origin="null") == 403


def test_it_still_requires_the_token(browser_like: Client) -> None:
    response = browser_like.post(
        "/manage/signin/",
        {"username": "organiser", "password": "a-long-passphrase"},
        headers={"origin": "http://testserver"},
    )
    assert response.status_code == 403


def test_it_refuses_an_https_post_that_proves_nothing_about_where_it_came_from(
    browser_like: Client,
) -> None:
    assert sign_in(browser_like, secure=True) == 403
