"""Per-client rate limits with the `limits` library: at most `rate_per_minute` requests in any
60-second window (moving window).

Storage is in memory by default (one process) or Redis (`ASSISTANT_REDIS_URL`), which every
worker and replica shares, so a client's 61st request of a minute is refused whichever process it
reaches. If Redis cannot be reached the limiter lets requests through and logs it: a limiter
outage must not take the service down with it.
"""
from __future__ import annotations

import logging
import math
import time

from limits import RateLimitItemPerMinute
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

log = logging.getLogger("assistant.ratelimit")


class RateLimiter:
    def __init__(self, rate_per_minute: int, storage_uri: str | None = None, namespace: str = "v1"):
        if rate_per_minute < 1:
            raise ValueError("rate_per_minute must be at least 1")
        self.item = RateLimitItemPerMinute(rate_per_minute)
        self.namespace = f"assistant:{namespace}"
        self.shared = bool(storage_uri)
        self.storage = storage_from_string(storage_uri or "memory://")
        self.strategy = MovingWindowRateLimiter(self.storage)
        self._warned = 0.0

    def take(self, key: str) -> tuple[bool, int]:
        """Count one request of `key`: (allowed, retry_after_seconds)."""
        try:
            if self.strategy.hit(self.item, self.namespace, key):
                return True, 0
            reset_at, _ = self.strategy.get_window_stats(self.item, self.namespace, key)
        except Exception as exc:  # Redis down or unreachable: serve, and say so now and then
            if time.monotonic() - self._warned > 60:
                self._warned = time.monotonic()
                log.warning("rate limit storage unavailable, requests are not limited: %s", type(exc).__name__)
            return True, 0
        return False, max(1, math.ceil(reset_at - time.time()))
