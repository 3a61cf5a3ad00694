"""The throttle of wrong update tokens, per client address (one per app, in
``server.endpoint.EndpointState``)."""

from __future__ import annotations

import collections
import logging
import threading
import time

__all__ = ["TokenThrottle"]

log = logging.getLogger("peninsula.security")


class TokenThrottle:
    """Wrong update tokens per client address: each is logged (the address, never the
    token), and past ``per_minute`` in the last minute the address is refused (429) until
    its oldest failure is a minute old."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = max(1, per_minute)
        self._failures: dict[str, collections.deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, address: str, now: float) -> collections.deque[float]:
        times = self._failures.setdefault(address, collections.deque())
        while times and times[0] <= now - 60.0:
            times.popleft()
        return times

    def retry_after(self, address: str) -> int:
        """Seconds the address must wait, or 0 when it may try a token."""
        now = time.monotonic()
        with self._lock:
            times = self._recent(address, now)
            if len(times) < self.per_minute:
                if not times:
                    self._failures.pop(address, None)
                return 0
            return max(1, int(times[0] + 60.0 - now) + 1)

    def failed(self, address: str, path: str) -> None:
        now = time.monotonic()
        with self._lock:
            times = self._recent(address, now)
            times.append(now)
            count = len(times)
            if len(self._failures) > 10_000:  # bounded: forget the quietest addresses
                for key in [k for k, v in self._failures.items() if len(v) < 2][:5_000]:
                    del self._failures[key]
        log.warning(
            "wrong or missing update token from %s on %s (%d in the last minute%s)",
            address,
            path,
            count,
            "; refusing it for a minute" if count >= self.per_minute else "",
        )
