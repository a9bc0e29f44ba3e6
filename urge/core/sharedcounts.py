"""Rate-limit counters in memory shared by every worker process of one server.

`urge serve` makes a fresh table file (in /dev/shm when there is one) and names it to its
workers in URGE_SHARED_COUNTS; each worker maps the same file, so all of them count in the
same memory, without a database write per request. A lock on the file orders the
processes, and a lock in each process orders its threads. A process that `urge serve` did
not start (a management command, a test) counts in a table of its own in memory. Across
hosts, Redis counts instead (urge/core/ratelimit.py).

Why a module of our own: no maintained library counts across processes on one host without
a server (the `limits` package and django-ratelimit need Redis or memcached to share), and a
database write per action would cost more than the action itself.

Each slot holds a fingerprint of the key, the moment its window ends, and the count. A slot
whose window has ended is free, whatever limit it counted for, so limits of different
windows never overwrite each other's live counts. A key looks in a few neighbouring slots;
when all hold live counts of other keys, the one ending soonest is reused: that forgets
someone's count (lenient) rather than ever merging two clients (which could refuse an
innocent one).

The table has two parts of its own: rate-limit counts, and one-time tokens spent (a sign-up
form's stamp, kept for hours). A flood of sign-ups fills only the second, so it can never
push a sign-in's count out of the first.
"""

from __future__ import annotations

import fcntl
import hashlib
import mmap
import os
import struct
import threading
from pathlib import Path

SLOT = struct.Struct("<QQQ")  # fingerprint, window end (Unix seconds), count
PROBES = 8
SLOTS = 1 << 17  # per part: 3 MB each, in memory only
COUNTS = 0  # the part for rate limits
TOKENS = 1  # the part for one-time tokens spent
PARTS = 2
ENVIRONMENT = "URGE_SHARED_COUNTS"


class SharedCounts:
    def __init__(self, path: Path | None, slots: int = SLOTS) -> None:
        """A table in the file at `path`, shared with every process that maps it; None: one
        in this process's memory alone."""
        self.slots = slots
        size = PARTS * slots * SLOT.size
        self.fd: int | None = None
        if path is None:
            self.memory = mmap.mmap(-1, size)
        else:
            self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            if os.fstat(self.fd).st_size < size:
                os.ftruncate(self.fd, size)
            self.memory = mmap.mmap(self.fd, size)
        self.threads = threading.Lock()

    def hit(self, key: str, ends: int, now: int, part: int = COUNTS) -> int:
        """Count one hit of `key` in the window ending at `ends`, in the table's `part`; the
        count so far, this one included. `now` says which slots' windows are over."""
        digest = hashlib.blake2b(f"{key}@{ends}".encode(), digest_size=8).digest()
        fingerprint = int.from_bytes(digest, "little") or 1
        first = fingerprint % self.slots
        base = part * self.slots
        with self.threads:
            if self.fd is None:
                return self._count(fingerprint, base, first, ends, now)
            fcntl.flock(self.fd, fcntl.LOCK_EX)
            try:
                return self._count(fingerprint, base, first, ends, now)
            finally:
                fcntl.flock(self.fd, fcntl.LOCK_UN)

    def _count(self, fingerprint: int, base: int, first: int, ends: int, now: int) -> int:
        """The count in the part starting at slot `base`, probing from its slot `first`."""
        free = None
        soonest = None
        for probe in range(PROBES):
            offset = (base + (first + probe) % self.slots) * SLOT.size
            owner, slot_ends, count = SLOT.unpack_from(self.memory, offset)
            if owner == fingerprint and slot_ends == ends and ends > now:
                SLOT.pack_into(self.memory, offset, owner, ends, count + 1)
                return int(count) + 1
            if slot_ends <= now:
                free = offset if free is None else free
            elif soonest is None or slot_ends < soonest[0]:
                soonest = (slot_ends, offset)
        if free is None:
            free = soonest[1] if soonest is not None else (base + first) * SLOT.size
        SLOT.pack_into(self.memory, free, fingerprint, ends, 1)
        return 1


def table_folder(var_dir: Path) -> Path:
    """Memory-backed /dev/shm where there is one: the table never touches a disk."""
    shm = Path("/dev/shm")  # noqa: S108
    return shm if shm.is_dir() else var_dir


def table_path(folder: Path) -> Path:
    """A new, empty table file for this run of the server; tables of servers gone are removed."""
    for old in folder.glob("urge-counts-*"):
        pid = old.name.removeprefix("urge-counts-")
        if pid.isdigit() and not _alive(int(pid)):
            old.unlink(missing_ok=True)
    path = folder / f"urge-counts-{os.getpid()}"
    path.unlink(missing_ok=True)
    return path


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_shared: SharedCounts | None = None
_attach = threading.Lock()


def shared() -> SharedCounts:
    """This process's table: the server's, or one of its own."""
    global _shared
    if _shared is None:
        with _attach:
            if _shared is None:
                path = os.environ.get(ENVIRONMENT)
                _shared = SharedCounts(Path(path) if path else None)
    return _shared


def forget() -> None:
    """Drop this process's table; the next hit starts a new one (for tests)."""
    global _shared
    _shared = None
