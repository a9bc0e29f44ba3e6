"""Each supporter's own data key, kept outside the database so that erasure can destroy it.

A database does not forget what it is told to blank: the old row stays in SQLite's WAL and
free pages, in PostgreSQL's dead row versions and WAL, and in every backup taken before. So a
supporter's personal fields are encrypted under a Fernet key of their own, and that key lives
here, one small file per supporter in URGE_KEY_DIR, itself encrypted under the site's keys
(URGE_ENCRYPTION_KEYS). Erasing a supporter overwrites and deletes their file: every copy of
their data, wherever it lies, is then ciphertext that no key opens.

Why files rather than a table or a key server: a deleted row lives on in the database's files
and backups, which is the very problem; one file per key can be removed for good, needs no
service, and is shared by several hosts through any shared filesystem. The folder is backed
up apart from the database, for a stated time (see the README): once the last backup of the
folder from before an erasure expires, the erasure reaches every database backup too.

A key's name is a keyed hash of the campaign and the address's hash, which never change for a
row: every value of a row, including a later submission written by another worker, is sealed
under the same key without reading the row first.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

from urge.core.hashing import keyed_hash
from urge.supporters.crypto import UndecryptableError, decrypt, encrypt, rotate

# A sealed value: "k1:<key name>:<Fernet token under that supporter's key>".
PREFIX = "k1:"
_NAME = re.compile(r"[0-9a-f]{64}")

# The key last opened for reading, as exporting reads one row's fields in a row. Writing
# never uses it: it always finds the key on disk, so nothing is sealed under a destroyed key.
# Remembered with the site's keys that opened it, which tests (and nothing else) change.
_last_read: tuple[str, tuple[str, ...], Fernet] | None = None


class DataKeyGone(UndecryptableError):
    """The supporter's data key is not in URGE_KEY_DIR: erased, or the folder is not the one
    the key was written to."""


def key_name(campaign_id: int, address_hash: str) -> str:
    return keyed_hash(f"data-key:{campaign_id}:{address_hash}")


def folder() -> Path:
    """URGE_KEY_DIR, made the first time this process needs it (four times a sign-up)."""
    path = _folders.get(settings.URGE_KEY_DIR)
    if path is None:
        path = Path(settings.URGE_KEY_DIR)
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        _folders[settings.URGE_KEY_DIR] = path
    return path


_folders: dict[str, Path] = {}


def _path(name: str) -> Path:
    if not _NAME.fullmatch(name):
        raise UndecryptableError("A sealed value names no valid data key.")
    return folder() / name


class KeyedRow(Protocol):
    """A row whose personal fields are sealed under one data key, named by the row."""

    def data_key_name(self) -> str: ...


def seal(row: KeyedRow, text: str) -> str:
    """`text` encrypted under the row's data key, made now if it is new."""
    name, key = _kept(row)
    return f"{PREFIX}{name}:{key.encrypt(text.encode()).decode()}"


def prepare(row: KeyedRow) -> Fernet:
    """The row's data key, found or made on disk once and then kept with the row (a row lives
    for one request or one task): sealing its six fields reads the folder once."""
    return _kept(row)[1]


# What a row keeps of its data key under "_data_key": the key's name, its file as read or
# written, the key itself, and the key ready to seal with.
Kept = tuple[str, bytes, bytes, Fernet]


def _kept(row: KeyedRow) -> tuple[str, Fernet]:
    """The row's key name and data key, read or made once and then kept with the row."""
    name = row.data_key_name()
    kept: Kept | None = vars(row).get("_data_key")
    if kept is None or kept[0] != name:
        key, wrapped = _open_or_make(name)
        kept = (name, wrapped, key, Fernet(key))
        vars(row)["_data_key"] = kept
    return kept[0], kept[3]


def still_current(row: KeyedRow) -> bool:
    """Whether the key the row was sealed under is still the one on disk. An erasure of the
    same address, committed between the sealing and the writing, takes the key away (see
    `doom`): the row must then be sealed again, under a new key. The key is compared, not
    only its file: `urge rotatekeys` writes every file again, the same key wrapped anew."""
    kept: Kept | None = vars(row).get("_data_key")
    if kept is None:
        return True
    try:
        wrapped = _wrapped(kept[0])
        return wrapped == kept[1] or _unwrap(wrapped) == kept[2]
    except DataKeyGone:
        return False


def forget_kept(row: KeyedRow) -> None:
    vars(row).pop("_data_key", None)


def unseal(value: str) -> str:
    """The text of a sealed value; values from before data keys open with the site's keys."""
    if not value.startswith(PREFIX):
        return decrypt(value)
    name, _, token = value.removeprefix(PREFIX).partition(":")
    try:
        return _for_reading(name).decrypt(token.encode()).decode()
    except InvalidToken:
        pass
    # The key remembered may be an erased one whose name a new sign-up of the same address
    # has taken since: read the folder again.
    try:
        return _for_reading(name, again=True).decrypt(token.encode()).decode()
    except InvalidToken:
        raise UndecryptableError("The data key does not open this value.") from None


def sealed_under(value: str) -> str | None:
    """The name of the key a stored value was sealed under (None: not sealed)."""
    if not value.startswith(PREFIX):
        return None
    return value.removeprefix(PREFIX).partition(":")[0]


def _for_reading(name: str, again: bool = False) -> Fernet:
    global _last_read
    site_keys = tuple(settings.URGE_ENCRYPTION_KEYS)
    last = _last_read
    if not again and last is not None and last[:2] == (name, site_keys):
        return last[2]
    key = _read(name)
    _last_read = (name, site_keys, key)
    return key


def _read(name: str) -> Fernet:
    return Fernet(_raw(name))


def _raw(name: str) -> bytes:
    return _unwrap(_wrapped(name))


def _wrapped(name: str) -> bytes:
    """The key's file: the key, encrypted under the site's keys."""
    try:
        return _path(name).read_bytes()
    except FileNotFoundError:
        raise DataKeyGone(
            "This supporter's data key is not in URGE_KEY_DIR: they were erased, or the "
            "folder is not the one their key was written to."
        ) from None


def _unwrap(wrapped: bytes) -> bytes:
    return decrypt(wrapped.decode()).encode()


def _open_or_make(name: str) -> tuple[bytes, bytes]:
    """The key named `name`, made now if there is none, and its file's bytes."""
    try:
        wrapped = _wrapped(name)
    except DataKeyGone:
        pass
    else:
        return _unwrap(wrapped), wrapped
    key = Fernet.generate_key()
    wrapped = encrypt(key.decode()).encode()
    final = _path(name)
    draft = final.with_name(f".{name}.{secrets.token_hex(4)}")
    _write_synced(draft, wrapped)
    try:
        os.link(draft, final)  # never replaces: another worker may have made it first
    except FileExistsError:
        wrapped = _wrapped(name)
        return _unwrap(wrapped), wrapped
    finally:
        draft.unlink()
    _sync_folder()
    return key, wrapped


# An erasure takes a key out of use inside its transaction, under a name no reader or writer
# looks for, and destroys it once the transaction commits: from that moment a sign-up of the
# same address makes a new key, never reusing the erased one, whatever happens after.
DOOMED = ".doomed."


def doom(names: Iterable[str]) -> list[Path]:
    """Take these keys out of use (renamed aside); the renamed files, to `destroy_files` once
    the erasure commits or `restore` if it does not."""
    global _last_read
    _last_read = None
    doomed = []
    for name in set(names):
        aside = folder() / f"{DOOMED}{name}.{secrets.token_hex(4)}"
        try:
            os.rename(_path(name), aside)
        except FileNotFoundError:
            continue
        doomed.append(aside)
    if doomed:
        _sync_folder()
    return doomed


def restore(doomed: Iterable[Path]) -> None:
    """Put keys taken aside back, unless a new key has taken the name since."""
    for aside in doomed:
        name = aside.name.removeprefix(DOOMED).rsplit(".", 1)[0]
        try:
            os.link(aside, _path(name))
        except FileExistsError:
            destroy_files([aside])
            continue
        except FileNotFoundError:
            continue
        aside.unlink()


def doomed_files(older_than_seconds: float = 0) -> Iterator[tuple[str, Path]]:
    """Keys taken aside and never destroyed or restored (a process died), by name."""
    cutoff = time.time() - older_than_seconds
    for entry in os.scandir(folder()):
        if entry.name.startswith(DOOMED) and entry.stat().st_mtime <= cutoff:
            name = entry.name.removeprefix(DOOMED).rsplit(".", 1)[0]
            if _NAME.fullmatch(name):
                yield name, Path(entry.path)


def destroy(names: Iterable[str]) -> int:
    """Overwrite and delete these data keys; returns how many existed."""
    global _last_read
    _last_read = None
    return destroy_files(_path(name) for name in set(names))


def destroy_files(paths: Iterable[Path]) -> int:
    """Overwrite and delete these key files; returns how many existed."""
    destroyed = 0
    for path in paths:
        try:
            descriptor = os.open(path, os.O_WRONLY)
        except FileNotFoundError:
            continue
        try:
            os.write(descriptor, b"\0" * os.fstat(descriptor).st_size)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        path.unlink(missing_ok=True)
        destroyed += 1
    if destroyed:
        _sync_folder()
    return destroyed


def names(older_than_seconds: float = 0) -> Iterator[str]:
    """The data keys in the folder, those written at least `older_than_seconds` ago."""
    cutoff = time.time() - older_than_seconds
    for entry in os.scandir(folder()):
        if _NAME.fullmatch(entry.name) and entry.stat().st_mtime <= cutoff:
            yield entry.name


def rewrap() -> int:
    """Encrypt every data key under the newest site key (for `urge rotatekeys`)."""
    count = 0
    for name in list(names()):
        path = _path(name)
        draft = path.with_name(f".{name}.{secrets.token_hex(4)}")
        try:
            _write_synced(draft, rotate(path.read_text()).encode())
        except FileNotFoundError:
            continue  # erased meanwhile
        if not path.exists():  # erased while the draft was written: never bring it back
            draft.unlink()
            continue
        draft.replace(path)
        count += 1
    _sync_folder()
    return count


def _write_synced(path: Path, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(descriptor, data)
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _sync_folder() -> None:
    descriptor = os.open(folder(), os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
