"""Group commit: many threads' small writes in one transaction, each caller still waiting for its
own write to be durable before it returns.

Every answer stores a turn. One transaction per turn costs ~1 ms of Python (SQLAlchemy) and, on
SQLite, a file lock that worker processes queue for; under load the writes become the ceiling
(measured: 270 answers/s with, 650 without). The first caller to find no write in progress
writes everything pending, again and again until nothing is left; callers arriving meanwhile
wait for the batch that holds their item. Read-after-write holds: a follow-up sent after an
answer returned always sees that answer's turn.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class _Slot(Generic[T]):
    __slots__ = ("item", "done", "error")

    def __init__(self, item: T):
        self.item = item
        self.done = threading.Event()
        self.error: BaseException | None = None


class GroupCommit(Generic[T]):
    def __init__(self, write_batch: Callable[[list[T]], None]):
        self._write_batch = write_batch
        self._lock = threading.Lock()
        self._pending: list[_Slot[T]] = []
        self._writing = False

    def submit(self, item: T) -> None:
        """Write `item` (with whatever else is pending); return once it is committed, or raise
        the error its batch failed with."""
        slot = _Slot(item)
        with self._lock:
            self._pending.append(slot)
            lead = not self._writing
            self._writing = True
        if lead:
            self._drain()
        slot.done.wait()
        if slot.error is not None:
            raise slot.error

    def _drain(self) -> None:
        while True:
            with self._lock:
                batch, self._pending = self._pending, []
                if not batch:
                    self._writing = False
                    return
            error = None
            try:
                self._write_batch([s.item for s in batch])
            except BaseException as exc:  # every caller of the batch learns it failed
                error = exc
            for s in batch:
                s.error = error
                s.done.set()
