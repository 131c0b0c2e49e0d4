"""Per-client token-bucket rate limiting (in memory, thread-safe).

Each client key (the caller's IP) owns a bucket of `capacity` tokens refilled at
`rate_per_minute / 60` tokens a second; a request takes one token. An empty bucket means
"429, retry after N seconds". Buckets are bounded: the least recently used ones are dropped
when there are more than `max_keys`, so a flood of spoofed addresses cannot grow memory.
"""
from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable


class RateLimiter:
    def __init__(
        self,
        rate_per_minute: int,
        capacity: int | None = None,
        max_keys: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ):
        if rate_per_minute < 1:
            raise ValueError("rate_per_minute must be at least 1")
        self.rate = rate_per_minute / 60.0
        self.capacity = float(capacity or rate_per_minute)
        self.max_keys = max_keys
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, t)
        self._lock = threading.Lock()

    def take(self, key: str) -> tuple[bool, int]:
        """Take one token for `key`: (allowed, retry_after_seconds)."""
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.pop(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            allowed = tokens >= 1.0
            if allowed:
                tokens -= 1.0
            self._buckets[key] = (tokens, now)
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
        if allowed:
            return True, 0
        return False, max(1, math.ceil((1.0 - tokens) / self.rate))
