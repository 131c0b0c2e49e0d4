"""A short-lived cache of answers: many people ask the same thing on the same day.

The key is the index version, the question and the history it was asked with (all exactly as
answered, whitespace collapsed), so a new index version never serves an old answer and a
follow-up never gets a first question's answer. Values are `Answer.to_json()` dicts. In memory
(an LRU of `answer_cache_size` entries, `answer_cache_seconds` old at most) by default, in Redis
(shared by every worker and replica, with the same lifetime) when ASSISTANT_REDIS_URL is set. A
cache that cannot be reached is a miss, never an error.
"""
from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections import OrderedDict

log = logging.getLogger("assistant.cache")


def cache_key(version: str | None, question: str, history: list[str] | None) -> str:
    norm = [version or "", " ".join(question.split()), [" ".join(h.split()) for h in history or []]]
    return hashlib.sha256(json.dumps(norm, ensure_ascii=False).encode()).hexdigest()


class AnswerCache:
    def __init__(self, size: int = 1024, ttl_seconds: float = 300.0, redis_url: str | None = None,
                 clock=time.monotonic):
        self.size = size
        self.ttl = ttl_seconds
        self._clock = clock
        self._items: OrderedDict[str, tuple[float, dict]] = OrderedDict()
        self._lock = threading.Lock()
        self._redis = None
        self._warned = 0.0
        self.hits = self.misses = 0
        if redis_url and size > 0:
            import redis

            self._redis = redis.Redis.from_url(redis_url, socket_timeout=0.5, socket_connect_timeout=0.5)

    @property
    def enabled(self) -> bool:
        return self.size > 0 and self.ttl > 0

    def get(self, key: str) -> dict | None:
        value = self._get(key) if self.enabled else None
        with self._lock:
            if value is None:
                self.misses += 1
            else:
                self.hits += 1
        return value

    def _get(self, key: str) -> dict | None:
        if self._redis is not None:
            try:
                raw = self._redis.get("assistant:answer:" + key)
            except Exception as exc:
                self._warn(exc)
                return None
            return json.loads(raw) if raw else None
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            if self._clock() - item[0] > self.ttl:
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return item[1]

    def put(self, key: str, value: dict) -> None:
        if not self.enabled:
            return
        if self._redis is not None:
            try:
                self._redis.set("assistant:answer:" + key, json.dumps(value, ensure_ascii=False),
                                ex=int(max(1, self.ttl)))
            except Exception as exc:
                self._warn(exc)
            return
        with self._lock:
            self._items[key] = (self._clock(), value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def stats(self) -> dict:
        with self._lock:
            total = self.hits + self.misses
            return {"hits": self.hits, "misses": self.misses,
                    "hit_rate": round(self.hits / total, 3) if total else None,
                    "storage": "redis" if self._redis is not None else "memory"}

    def _warn(self, exc: Exception) -> None:
        if time.monotonic() - self._warned > 60:
            self._warned = time.monotonic()
            log.warning("answer cache unavailable, answering without it: %s", type(exc).__name__)
