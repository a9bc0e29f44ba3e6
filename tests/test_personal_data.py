"""Personal data at rest: encrypted with keys from the environment, rotatable, never searchable."""

import sqlite3
from io import StringIO
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

from tests.services import production_environment, run_urge
from urge.campaigns.models import Campaign
from urge.supporters import datakeys
from urge.supporters.crypto import (
    UndecryptableError,
    _fernet,
    decrypt,
    email_hash,
    encrypt,
    normalise_email,
)
from urge.supporters.datakeys import DataKeyGone
from urge.supporters.models import Supporter

NEW_KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def _keys_read_afresh() -> None:
    _fernet.cache_clear()


def supporter(campaign: Campaign, email: str = "Ah.Ming@Example.org") -> Supporter:
    return Supporter.objects.create(
        campaign=campaign,
        email_hash=email_hash(email),
        email=email,
        first_name="Ah Ming",
        last_name="Chan",
        zip_code="98104",
        phone="206-555-0123",
        language="zh-hant",
    )


def stored(column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM supporters_supporter WHERE id = %s", [pk])  # noqa: S608
        value: str = cursor.fetchone()[0]
    return value


def test_it_stores_ciphertext_and_reads_back_the_text(hketo: Campaign) -> None:
    person = supporter(hketo)
    for column, plain in (("email", "Ah.Ming@Example.org"), ("last_name", "Chan")):
        assert plain not in stored(column, person.pk)
    again = Supporter.objects.get(pk=person.pk)
    assert (again.email, again.first_name, again.phone) == (
        "Ah.Ming@Example.org",
        "Ah Ming",
        "206-555-0123",
    )


def test_the_same_address_written_differently_has_one_hash() -> None:
    assert normalise_email("  AH.MING@example.ORG ") == "ah.ming@example.org"
    assert email_hash("Ah.Ming@Example.org") == email_hash(" ah.ming@example.org")
    assert email_hash("ah.ming@example.org") != email_hash("ah.ming@example.com")


def test_a_keyed_hash_depends_on_the_key() -> None:
    first = email_hash("ah.ming@example.org")
    with override_settings(URGE_HASH_KEY="another-key"):
        assert email_hash("ah.ming@example.org") != first


def test_encrypted_fields_cannot_be_searched(hketo: Campaign) -> None:
    supporter(hketo)
    with pytest.raises(TypeError, match="cannot be searched"):
        Supporter.objects.filter(email="Ah.Ming@Example.org").exists()


def test_rotation_reencrypts_under_the_new_key_so_the_old_one_can_go(
    hketo: Campaign, settings: object
) -> None:
    old_keys = list(settings.URGE_ENCRYPTION_KEYS)  # type: ignore[attr-defined]
    person = supporter(hketo)
    settings.URGE_ENCRYPTION_KEYS = [NEW_KEY, *old_keys]  # type: ignore[attr-defined]
    _fernet.cache_clear()
    dry = StringIO()
    call_command("rotatekeys", stdout=dry)
    assert "would be re-encrypted with the newest key" in dry.getvalue()
    assert "1 supporters' 6 personal fields sealed anew" in dry.getvalue()
    out = StringIO()
    call_command("rotatekeys", "--commit", stdout=out)
    assert out.getvalue().endswith("sealed 1 supporters' fields anew.\n")
    settings.URGE_ENCRYPTION_KEYS = [NEW_KEY]  # type: ignore[attr-defined]
    _fernet.cache_clear()
    datakeys.destroy([])  # forgets the key it read last: the next read is from the file
    assert Supporter.objects.get(pk=person.pk).email == "Ah.Ming@Example.org"


def test_each_supporter_has_a_key_of_their_own(hketo: Campaign) -> None:
    ada = supporter(hketo, "ada@example.org")
    ming = supporter(hketo, "ming@example.org")
    names = {datakeys.sealed_under(stored(column, ada.pk)) for column in ("email", "phone")}
    assert names == {ada.data_key_name()}
    assert ada.data_key_name() != ming.data_key_name()

    datakeys.destroy([ada.data_key_name()])

    with pytest.raises(DataKeyGone):
        Supporter.objects.get(pk=ada.pk)
    assert Supporter.objects.get(pk=ming.pk).first_name == "Ah Ming"


def test_data_from_before_data_keys_is_read_and_sealed_by_rotation(hketo: Campaign) -> None:
    person = supporter(hketo)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE supporters_supporter SET last_name = %s WHERE id = %s",
            [encrypt("Chan-Before"), person.pk],
        )
    assert Supporter.objects.get(pk=person.pk).last_name == "Chan-Before"

    call_command("rotatekeys", "--commit", stdout=StringIO())

    assert datakeys.sealed_under(stored("last_name", person.pk)) == person.data_key_name()
    assert Supporter.objects.get(pk=person.pk).last_name == "Chan-Before"


def test_encrypted_fields_are_written_by_save_and_only_blanked_by_update(
    hketo: Campaign,
) -> None:
    person = supporter(hketo)
    with pytest.raises(TypeError, match="only blank it"), transaction.atomic():
        Supporter.objects.filter(pk=person.pk).update(phone="206-555-0199")
    Supporter.objects.filter(pk=person.pk).update(phone="")
    assert Supporter.objects.get(pk=person.pk).phone == ""


def test_data_from_a_dropped_key_fails_loudly(settings: object) -> None:
    token = encrypt("secret")
    settings.URGE_ENCRYPTION_KEYS = [NEW_KEY]  # type: ignore[attr-defined]
    _fernet.cache_clear()
    with pytest.raises(UndecryptableError):
        decrypt(token)


def test_without_keys_nothing_personal_can_be_stored(settings: object) -> None:
    settings.URGE_ENCRYPTION_KEYS = []  # type: ignore[attr-defined]
    with pytest.raises(ImproperlyConfigured, match="URGE_ENCRYPTION_KEYS is not set"):
        encrypt("x")
    settings.URGE_ENCRYPTION_KEYS = ["not-a-key"]  # type: ignore[attr-defined]
    _fernet.cache_clear()
    with pytest.raises(ImproperlyConfigured, match="not a Fernet key"):
        encrypt("x")


def test_no_email_address_is_in_the_database_files(tmp_path: Path) -> None:
    """The real thing: a SQLite database on disk, written by the app, read back as bytes."""
    env = production_environment(tmp_path, URGE_ENCRYPTION_KEYS=NEW_KEY)

    def urge(*args: str) -> None:
        run_urge(env, *args)

    urge("migrate", "--verbosity=0")
    urge("load", "campaigns/hketo")
    urge(
        "shell",
        "-c",
        "from urge.campaigns.models import Campaign; from urge.supporters import signup;"
        "s = signup.submit(Campaign.objects.get(), signup.Submission("
        "first_name='Ah Ming', last_name='Chan', email='ah.ming.chan@example.org',"
        "zip_code='98104', phone='206-555-0143', language='en',"
        "chosen=[signup.Wording('hkdc', 'HKDC may email me.', 'en')]));"
        "signup.confirm(s);"
        "signup.submit(Campaign.objects.get(), signup.Submission("
        "first_name='Ah Ming', last_name='Chan-Wong', email='ah.ming.chan@example.org',"
        "zip_code='98104', phone='206-555-0143', language='en'))",
    )
    files = sorted(tmp_path.glob("urge.sqlite3*"))
    assert files
    everything = b"".join(path.read_bytes() for path in files)
    assert b"ah.ming.chan@example.org" not in everything
    for secret in (b"Ah Ming", b"Chan-Wong", b"206-555-0143", b"98104"):
        assert secret not in everything
    with sqlite3.connect(tmp_path / "urge.sqlite3") as database:
        [(count, pending)] = database.execute(
            "SELECT COUNT(*), COUNT(NULLIF(pending, '')) FROM supporters_supporter"
        ).fetchall()
        [(consents,)] = database.execute("SELECT COUNT(*) FROM supporters_consent").fetchall()
    assert (count, pending, consents) == (1, 1, 1)
