"""Rate-limit counters in a memory-mapped file shared by every worker process of one server.

`urge serve` makes a fresh table file (in /dev/shm when there is one) and names it to its
workers in URGE_SHARED_COUNTS; each worker maps the same file, so all of them count in the
same memory, without a database write per request. A lock on the file orders the
processes, and a lock in each process orders its threads. Processes not started by
`urge serve` (management commands, tests, a second host) have no table: the limiter then
counts in the database, or in Redis across hosts.

Each slot holds a fingerprint of the key, the time window and the count. A key looks in a
few neighbouring slots; when all are taken by other keys of the current window, the first is
reused, which forgets someone's count (lenient) rather than ever merging two clients (which
could refuse an innocent one).
"""

from __future__ import annotations

import fcntl
import hashlib
import mmap
import os
import struct
import threading
from pathlib import Path

SLOT = struct.Struct("<QQQ")  # fingerprint, window, count
PROBES = 4
SLOTS = 1 << 16
ENVIRONMENT = "URGE_SHARED_COUNTS"


class SharedCounts:
    def __init__(self, path: Path, slots: int = SLOTS) -> None:
        self.slots = slots
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        size = slots * SLOT.size
        if os.fstat(self.fd).st_size < size:
            os.ftruncate(self.fd, size)
        self.memory = mmap.mmap(self.fd, size)
        self.threads = threading.Lock()

    def hit(self, key: str, window: int) -> int:
        """Count one hit of `key` in `window`; the count so far, this one included."""
        digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
        fingerprint = int.from_bytes(digest, "little") or 1
        first = fingerprint % self.slots
        with self.threads:
            fcntl.flock(self.fd, fcntl.LOCK_EX)
            try:
                return self._count(fingerprint, first, window)
            finally:
                fcntl.flock(self.fd, fcntl.LOCK_UN)

    def _count(self, fingerprint: int, first: int, window: int) -> int:
        free = None
        for probe in range(PROBES):
            offset = ((first + probe) % self.slots) * SLOT.size
            owner, slot_window, count = SLOT.unpack_from(self.memory, offset)
            if owner == fingerprint and slot_window == window:
                SLOT.pack_into(self.memory, offset, owner, window, count + 1)
                return int(count) + 1
            if free is None and slot_window != window:
                free = offset
        offset = free if free is not None else first * SLOT.size
        SLOT.pack_into(self.memory, offset, fingerprint, window, 1)
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


def attach_from_environment() -> None:
    """Map the table `urge serve` named, if it named one (each worker does this at start)."""
    global _shared
    path = os.environ.get(ENVIRONMENT)
    _shared = SharedCounts(Path(path)) if path else None


def shared() -> SharedCounts | None:
    return _shared
