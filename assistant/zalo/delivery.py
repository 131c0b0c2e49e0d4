"""Durable delivery of Zalo replies: no message a user sent is lost because a call failed.

The webhook stores each message (the app store's zalo_inbox, keyed by msg_id) and returns 200 at
once. `Delivery` answers stored messages and sends the replies: a message is marked done only
after Zalo accepted every part of its reply. A rate limit (-32), a refused token refresh, a
transport error or a crash leaves it pending with exponential backoff (`zalo_backoff_seconds`
doubling up to `zalo_backoff_max_seconds`), across restarts; after `zalo_delivery_hours` it is
marked failed and shown by /readyz and GET /v1/admin/zalo/outbox, where an operator can retry.

Nothing here sleeps in a thread: waiting is `asyncio` on the event loop, and the blocking parts
(answering, one HTTP send) run in worker threads for a moment each, `zalo_concurrency` at a time.
During a rate limit every send pauses, so a burst is not hammered into Zalo.

Retries are rows with a next-attempt time, not a retry library's loop (tenacity retries inside
one call in one process; these must survive a restart and be claimed by any replica).
"""
from __future__ import annotations

import asyncio
import logging
import time


from assistant.redact import redact
from assistant.zalo.client import ZaloError, ZaloRetryable

log = logging.getLogger("assistant.zalo")

POLL_SECONDS = 1.0  # how often the queue looks for due messages when nothing wakes it
LEASE_SECONDS = 120.0  # a claimed message goes back to the queue if its worker vanished


class Delivery:
    def __init__(self, bot, store, client, settings):
        self.bot = bot
        self.store = store
        self.client = client
        self.base = max(0.001, settings.zalo_backoff_seconds)
        self.cap = max(self.base, settings.zalo_backoff_max_seconds)
        self.give_up = settings.zalo_delivery_hours * 3600
        self.concurrency = max(1, settings.zalo_concurrency)
        self._paused_until = 0.0  # a rate limit pauses every send until then
        self._wake: asyncio.Event | None = None
        self._sem: asyncio.Semaphore | None = None
        self._task: asyncio.Task | None = None

    # lifecycle -----------------------------------------------------------------------------------
    def start(self) -> None:
        """Run the queue on the current event loop (the app's lifespan calls this)."""
        if self._task is None or self._task.done():
            self._wake = asyncio.Event()
            self._sem = asyncio.Semaphore(self.concurrency)
            self._task = asyncio.get_running_loop().create_task(self._run(), name="zalo-delivery")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None

    def wake(self) -> None:
        if self._wake is not None:
            self._wake.set()

    # the queue ----------------------------------------------------------------------------------
    async def _run(self) -> None:
        running: set[asyncio.Task] = set()
        while True:
            try:
                wait = self._paused_until - time.time()
                if wait <= 0:
                    free = self.concurrency - len(running)
                    rows = await asyncio.to_thread(self.store.claim_zalo, free, LEASE_SECONDS) if free > 0 else []
                    for row in rows:
                        task = asyncio.get_running_loop().create_task(self._deliver(row))
                        running.add(task)
                        task.add_done_callback(running.discard)
                self._wake.clear()
                try:
                    await asyncio.wait_for(self._wake.wait(), timeout=max(0.05, min(POLL_SECONDS, wait)
                                                                          if wait > 0 else POLL_SECONDS))
                except asyncio.TimeoutError:
                    pass
            except asyncio.CancelledError:
                for task in running:
                    task.cancel()
                raise
            except Exception as exc:  # the queue must outlive any one failure (a locked database …)
                log.error("zalo delivery loop: %s", redact(f"{type(exc).__name__}: {exc}"))
                await asyncio.sleep(POLL_SECONDS)

    async def deliver_now(self, msg_id: str) -> None:
        """Try one just-stored message at once (the webhook's background task); a failure leaves it
        to the queue."""
        if time.time() < self._paused_until:
            return
        rows = await asyncio.to_thread(self.store.claim_zalo, 1, LEASE_SECONDS, msg_id)
        for row in rows:
            await self._deliver(row)

    async def _deliver(self, row: dict) -> None:
        sem = self._sem or asyncio.Semaphore(1)
        async with sem:
            msg_id, user = row["msg_id"], row["user_id"]
            try:
                reply = row.get("reply")
                if not reply:
                    reply = await asyncio.to_thread(self.bot.reply_text, user, row["text"])
                    await asyncio.to_thread(self.store.zalo_progress, msg_id, reply)
                sent = row.get("sent_parts") or 0
                await asyncio.to_thread(self.client.send_reply, user, reply, sent,
                                        lambda n: self.store.zalo_progress(msg_id, None, n))
                await asyncio.to_thread(self.store.zalo_done, msg_id)
            except ZaloRetryable as exc:
                await self._retry(row, exc, rate_limited=exc.zalo_code == -32)
            except ZaloError as exc:
                if exc.zalo_code is None or exc.zalo_code in (-216, -220) or exc.zalo_code <= -14000:
                    await self._retry(row, exc)  # a token problem an operator can fix: keep the message
                else:  # -213 not a follower, -201 bad parameter …: Zalo will never accept it
                    log.warning("zalo reply refused for good: %s", redact(exc.message))
                    await asyncio.to_thread(self.store.zalo_fail, msg_id, exc.message)
            except Exception as exc:  # an answering bug must not lose the message either
                await self._retry(row, exc)

    async def _retry(self, row: dict, exc: Exception, rate_limited: bool = False) -> None:
        delay = min(self.cap, self.base * (2 ** min(row.get("attempts") or 0, 30)))
        if rate_limited:
            self._paused_until = max(self._paused_until, time.time() + delay)
        error = f"{type(exc).__name__}: {getattr(exc, 'message', None) or exc}"
        status = await asyncio.to_thread(self.store.zalo_retry, row["msg_id"], error, delay, self.give_up)
        log.info("zalo delivery %s, next try in %.1fs: %s", status, delay, redact(error))
