"""`urge check --deploy` warns of settings that look wrong for a public site: a proxy count
left at its default, encryption keys missing or not keys at all, and a task lease that a slow
mail server could outlast."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.checks import run_checks
from django.test import RequestFactory

from urge.core import proxies

PUBLIC = {"ALLOWED_HOSTS": ["urge.example.org"], "URGE_PROXY_COUNT": 0}


def deploy_warnings() -> dict[str, str]:
    return {m.id or "": m.msg for m in run_checks(include_deployment_checks=True)}


@pytest.fixture(autouse=True)
def _fresh_process() -> None:
    proxies.forget()


def test_it_warns_of_the_proxy_count_left_at_its_default_on_a_public_site(settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["urge.example.org"]
    settings.URGE_PROXY_COUNT, settings.URGE_PROXY_COUNT_GIVEN = 0, False
    assert "URGE_PROXY_COUNT is not set" in deploy_warnings()["urge.W001"]


def test_it_warns_of_it_over_https_too(settings: Any) -> None:
    settings.URGE_HTTPS = True
    settings.URGE_PROXY_COUNT, settings.URGE_PROXY_COUNT_GIVEN = 0, False
    assert "urge.W001" in deploy_warnings()


def test_it_trusts_a_count_given_explicitly_or_a_site_on_this_machine(settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["urge.example.org"]
    settings.URGE_PROXY_COUNT, settings.URGE_PROXY_COUNT_GIVEN = 0, True
    assert "urge.W001" not in deploy_warnings()
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    settings.URGE_PROXY_COUNT_GIVEN = False
    assert "urge.W001" not in deploy_warnings()


def test_a_forwarded_request_from_a_private_peer_with_no_proxy_count_is_told_once(
    settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.URGE_PROXY_COUNT, settings.URGE_PROXY_COUNT_GIVEN = 0, True
    factory = RequestFactory()
    middleware = proxies.ProxyCountMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    with caplog.at_level(logging.WARNING):
        for _ in range(3):
            middleware(factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9"))
    (said,) = [r.getMessage() for r in caplog.records if "URGE_PROXY_COUNT" in r.getMessage()]
    assert "203.0.113.9" not in said  # no visitor's address in the log
    assert "X-Forwarded-For" in deploy_warnings()["urge.W002"]


def test_a_forwarded_request_from_a_public_peer_is_not_a_proxy(settings: Any) -> None:
    settings.URGE_PROXY_COUNT = 0
    factory = RequestFactory()
    middleware = proxies.ProxyCountMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    middleware(factory.get("/", REMOTE_ADDR="9.9.9.9", HTTP_X_FORWARDED_FOR="203.0.113.9"))
    assert "urge.W002" not in deploy_warnings()


def test_it_warns_when_there_is_no_encryption_key(settings: Any) -> None:
    settings.URGE_ENCRYPTION_KEYS = []
    assert "URGE_ENCRYPTION_KEYS is not set" in deploy_warnings()["urge.W003"]


def test_it_warns_of_a_key_that_is_not_a_fernet_key_without_quoting_it(settings: Any) -> None:
    settings.URGE_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), "not-a-key-at-all"]
    said = deploy_warnings()["urge.W004"]
    assert "key 2 of 2" in said
    assert "not-a-key-at-all" not in said


def test_good_keys_pass(settings: Any) -> None:
    settings.URGE_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    found = deploy_warnings()
    assert "urge.W003" not in found
    assert "urge.W004" not in found


def test_it_warns_of_a_lease_a_slow_mail_server_could_outlast(settings: Any) -> None:
    settings.URGE_TASK_LEASE_SECONDS, settings.EMAIL_TIMEOUT = 120, 20
    said = deploy_warnings()["urge.W005"]
    assert "URGE_TASK_LEASE_SECONDS is 120, less than 10 times EMAIL_TIMEOUT (20)" in said


@pytest.mark.parametrize(("lease", "timeout"), [(300, 20), (200, 20), (60, 5)])
def test_a_lease_of_ten_timeouts_or_more_passes(settings: Any, lease: int, timeout: int) -> None:
    settings.URGE_TASK_LEASE_SECONDS, settings.EMAIL_TIMEOUT = lease, timeout
    assert "urge.W005" not in deploy_warnings()
