"""Forms keep working under `Referrer-Policy: no-referrer`, and stay protected from other sites."""

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


def test_it_accepts_a_post_from_its_own_page_sent_without_referrer(browser_like: Client) -> None:
    assert sign_in(browser_like, origin="null", sec_fetch_site="same-origin") == 302


def test_it_accepts_a_post_over_https_with_no_referer_header(browser_like: Client) -> None:
    assert sign_in(browser_like, secure=True, origin="null", sec_fetch_site="same-origin") == 302


def test_it_refuses_a_post_from_another_site(browser_like: Client) -> None:
    assert sign_in(browser_like, origin="null", sec_fetch_site="cross-site") == 403
    assert sign_in(browser_like, origin="https://evil.example") == 403


def test_it_still_requires_the_token(browser_like: Client) -> None:
    response = browser_like.post(
        "/manage/signin/",
        {"username": "organiser", "password": "a-long-passphrase"},
        headers={"origin": "null", "sec_fetch_site": "same-origin"},
    )
    assert response.status_code == 403


def test_it_refuses_an_https_post_that_proves_nothing_about_where_it_came_from(
    browser_like: Client,
) -> None:
    assert sign_in(browser_like, secure=True) == 403
