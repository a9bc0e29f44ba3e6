"""Erasure as an attacker would test it: in the raw files, with every key the server holds.

The app runs as `urge` runs it (its own process, production settings, SQLite on disk or a
scratch PostgreSQL database, the laptop outbox). Two people sign up and get their emails;
one changes their mind and is erased. Then everything the server keeps is read as bytes: the
database file and its WAL (on PostgreSQL the table's own pages, dead rows included), the
outbox, the data-key folder. Every encrypted token found is tried with the site's key and
with every data key that key opens. The one who stayed must still open (the scan is not
blind); nothing of the erased person may.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from cryptography.fernet import Fernet, InvalidToken

from tests.services import production_environment, run_urge, scratch_postgres

SITE_KEY = Fernet.generate_key().decode()
HASH_KEY = "h" * 50
TOKEN = re.compile(rb"gAAAAA[A-Za-z0-9_\-]+=*")

ERASED = {
    "email": "wing.yee.erased@example.org",
    "first_name": "Wing Yee",
    "last_name": "Lam-Erased",
    "phone": "206-555-0177",
}
STAYING = {
    "email": "kit.staying@example.org",
    "first_name": "Kit",
    "last_name": "Stays-Here",
    "phone": "206-555-0188",
}

SCRIPT = """
from urge.campaigns.models import Campaign
from urge.supporters import signup
from urge.supporters.emails import send_confirmation_email
from urge.supporters.erasure import erase

campaign = Campaign.objects.get()

def sign_up(person, last_name=None):
    row = signup.submit(campaign, signup.Submission(
        first_name=person["first_name"], last_name=last_name or person["last_name"],
        email=person["email"], zip_code="98104", phone=person["phone"], language="en",
        chosen=[signup.Wording("hkdc", "HKDC may email me.", "en")]))
    send_confirmation_email(str(row.ref))
    return row

for person in ({erased!r}, {staying!r}):
    signup.confirm(sign_up(person))
# A change awaiting confirmation, then the erasure.
erase(sign_up({erased!r}, last_name="Lam-Changed"))
"""


def test_an_erased_person_opens_with_no_key_the_server_holds(tmp_path: Path) -> None:
    env = production_environment(
        tmp_path / "var",
        URGE_HASH_KEY=HASH_KEY,
        URGE_EMAIL_OUTBOX=str(tmp_path / "var" / "outbox"),
        URGE_ENCRYPTION_KEYS=SITE_KEY,
    )
    with _database(env) as table_files:
        run_urge(env, "migrate", "--verbosity=0")
        run_urge(env, "load", "campaigns/hketo")
        run_urge(env, "shell", "-c", SCRIPT.format(erased=ERASED, staying=STAYING))
        raw = b"".join(path.read_bytes() for path in _files(tmp_path / "var"))
        raw += b"".join(path.read_bytes() for path in table_files())

    opened = _open_every_token(raw, tmp_path / "var" / "keys")

    assert any(STAYING["last_name"] in text for text in opened), "the scan opened nothing"
    assert any(STAYING["email"] in text for text in opened)
    for value in [*ERASED.values(), "Lam-Changed"]:
        assert value.encode() not in raw
        assert not [text for text in opened if value in text]
    if os.environ.get("DATABASE_URL"):
        # The dead row versions are there, sealed under the destroyed key: found, not opened.
        assert b"k1:" + _key_name(ERASED["email"]).encode() in raw
    outbox = list((tmp_path / "var" / "outbox").iterdir())
    assert len(outbox) == 1  # the email to the one who stayed
    assert STAYING["email"].encode() in outbox[0].read_bytes()


def _key_name(email: str) -> str:
    def keyed(value: str) -> str:
        return hmac.new(HASH_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()

    return keyed(f"data-key:1:{keyed('email:' + email)}")  # the only campaign: id 1


def _open_every_token(raw: bytes, key_folder: Path) -> list[str]:
    """Every token in `raw` that the site key or a data key opens, as text."""
    site = Fernet(SITE_KEY)
    keys = sorted(key_folder.iterdir()) if key_folder.exists() else []
    data_keys = [Fernet(site.decrypt(path.read_bytes())) for path in keys]
    opened = []
    for token in set(TOKEN.findall(raw)):
        for key in [site, *data_keys]:
            try:
                opened.append(key.decrypt(token).decode(errors="replace"))
            except InvalidToken:
                continue
    return opened


def _files(folder: Path) -> Iterator[Path]:
    return (path for path in folder.rglob("*") if path.is_file())


@contextmanager
def _database(env: dict[str, str]) -> Iterator[Callable[[], list[Path]]]:
    """SQLite in the var folder, or a scratch PostgreSQL database when the suite runs on one;
    yields a function that lists the supporters table's files on the server's disk."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        yield lambda: []
        return
    with scratch_postgres(url) as scratch:
        env["DATABASE_URL"] = scratch

        def table_files() -> list[Path]:
            with psycopg.connect(scratch, autocommit=True) as connection:
                connection.execute("CHECKPOINT")  # the pages, dead rows and all, on disk
                [(folder, relation)] = connection.execute(
                    "SELECT current_setting('data_directory'), "
                    "pg_relation_filepath('supporters_supporter')"
                ).fetchall()
            return sorted(Path(folder).glob(f"{relation}*"))

        yield table_files
