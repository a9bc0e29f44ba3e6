"""A circuit breaker: stop calling an outside service that keeps failing, for a while.

A service that hangs holds one of the worker's threads for its whole timeout on every call;
a few dozen visitors then hold them all, and every page waits. After `failures` failures
within `within` seconds the breaker opens: callers skip the service for `pause` seconds.
Then one call is let through to try it; a success closes the breaker, a failure (or no
word at all) keeps it open for another pause.

One breaker is shared by the threads of one process, not across processes or hosts: each
worker finds out on its own, after `failures` calls of its own, which is few enough.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable

logger = logging.getLogger(__name__)


class Breaker:
    def __init__(
        self,
        service: str,
        *,
        failures: int = 3,
        within: float = 30.0,
        pause: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.service = service  # named in the log: never anything a visitor sent
        self.failures = failures
        self.within = within
        self.pause = pause
        self.clock = clock
        self._lock = threading.Lock()
        self._recent: deque[float] = deque()
        self._open_until: float | None = None

    @property
    def is_open(self) -> bool:
        with self._lock:
            return self._open_until is not None

    def allows(self) -> bool:
        """Whether to call the service now; False while the breaker is open."""
        now = self.clock()
        with self._lock:
            if self._open_until is None:
                return True
            if now < self._open_until:
                return False
            # The pause is over: this caller tries the service, and the others keep away
            # for another pause unless it reports a success. A trial whose thread never
            # reports back (killed, or stuck) thus costs one pause, not the breaker.
            self._open_until = now + self.pause
            return True

    def reset(self) -> None:
        """Closed, with no failure remembered: as the process started (tests start so)."""
        with self._lock:
            self._open_until = None
            self._recent.clear()

    def succeeded(self) -> None:
        with self._lock:
            was_open = self._open_until is not None
            self._open_until = None
            self._recent.clear()
        if was_open:
            logger.warning("%s answers again: calling it again.", self.service)

    def failed(self) -> None:
        now = self.clock()
        with self._lock:
            if self._open_until is not None:
                self._open_until = now + self.pause  # the trial failed
                opened = False
            else:
                self._recent.append(now)
                while self._recent and self._recent[0] <= now - self.within:
                    self._recent.popleft()
                opened = len(self._recent) >= self.failures
                if opened:
                    self._open_until = now + self.pause
                    self._recent.clear()
        if opened:
            logger.warning(
                "%s failed %d times within %g seconds: not calling it for %g seconds.",
                self.service,
                self.failures,
                self.within,
                self.pause,
            )
