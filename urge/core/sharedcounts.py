"""Rate-limit counters in memory shared by every worker process that one server forked.

`urge serve` loads the app once in gunicorn's master (`--preload`), which makes this table
before forking: every worker then counts in the same memory, under one cross-process lock,
without a database write per request. Processes that were not forked from that master
(management commands, a second host) do not share it, which is why the limiter falls back
to the database without it, and to Redis across hosts.

Each slot holds a fingerprint of the key, the time window and the count. A key looks in a
few neighbouring slots; when all are taken by other keys of the current window, the first is
reused, which forgets someone's count (lenient) rather than ever merging two clients
(which could refuse an innocent one).
"""

from __future__ import annotations

import hashlib
import mmap
import multiprocessing
import struct
from multiprocessing.synchronize import Lock

SLOT = struct.Struct("<QQQ")  # fingerprint, window, count
PROBES = 4


class SharedCounts:
    def __init__(self, slots: int = 1 << 16) -> None:
        self.slots = slots
        self.memory = mmap.mmap(-1, slots * SLOT.size)  # anonymous: shared with forked children
        self.lock: Lock = multiprocessing.Lock()

    def hit(self, key: str, window: int) -> int:
        """Count one hit of `key` in `window`; the count so far, this one included."""
        digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
        fingerprint = int.from_bytes(digest, "little") or 1
        first = fingerprint % self.slots
        with self.lock:
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


_shared: SharedCounts | None = None


def share_across_forks() -> None:
    """Make the table now, in the process that will fork the workers."""
    global _shared
    _shared = SharedCounts()


def shared() -> SharedCounts | None:
    return _shared
