"""App factory: `create_app(settings, assistant=None, index=None) -> FastAPI`.

Components are injected (tests pass the shared built index and a PlanAssistant); anything not
given is created from settings. Middleware order, outermost first: access log (redacted),
CORS allow-list, body size limit, per-IP rate limits (/v1/, and /zalo/ on its own budget), the
index generation pinned for the request. The lifespan watches for new index versions and runs
the Zalo delivery queue.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.staticfiles import StaticFiles

from assistant.answer_types import Answerer
from assistant.api.errors import install_error_handlers
from assistant.api.middleware import (AccessLogMiddleware, BodyLimitMiddleware, GenerationMiddleware,
                                      JsonCORSMiddleware, RateLimitMiddleware)
from assistant.api.routes import admin, ask, board, catalog, feedback, health, openai_compat, static, zalo
from assistant.service import AppState
from assistant.ratelimit import RateLimiter
from assistant.settings import Settings

DESCRIPTION = """Trợ lý ảo hỏi đáp về kế hoạch chuyển đổi số, kinh tế số, xã hội số của các tỉnh.
Mỗi câu trả lời kèm trích dẫn tới đoạn văn bản gốc (văn bản, mục, vị trí ký tự).

Mọi lỗi có cùng một dạng: `{"error": {"code": "...", "message": "...", "status": 4xx}}`."""


def create_app(settings: Settings | None = None, assistant: Answerer | None = None,
               index=None, zalo_client=None) -> FastAPI:
    settings = settings or Settings()
    # A request's thread and the event loop share the GIL: handing it over every 1 ms instead of
    # every 5 ms keeps a long answer from stalling the quick requests (health, cached answers).
    sys.setswitchinterval(0.001)
    state = AppState(settings, assistant=assistant, index=index)
    state.load()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        delivery = app.state.zalo_delivery
        if delivery is not None:  # pending replies of an earlier run are sent again from here
            delivery.start()
        await run_in_threadpool(state.warm)
        watcher = asyncio.get_running_loop().create_task(_watch_index(state), name="index-watch")
        logging.getLogger("assistant.api").info(
            "worker %d ready: index %s, store %s, rate limits %s, RSS %s MB", os.getpid(),
            state.version or "none", state.store.dialect,
            "redis" if settings.redis_url else "in memory", _rss_mb())
        try:
            yield
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
            if delivery is not None:
                await delivery.stop()
            state.close()

    app = FastAPI(title="Trợ lý kế hoạch chuyển đổi số", version="1.0", description=DESCRIPTION,
                  lifespan=lifespan)
    app.state.assistant_state = state
    app.state.zalo_bot, app.state.zalo_delivery = _zalo_bot(state, zalo_client)
    install_error_handlers(app)

    for module in (health, ask, openai_compat, board, catalog, feedback, admin, zalo, static):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=static.STATIC), name="static")

    limiter = RateLimiter(settings.rate_limit_per_minute, settings.redis_url, "v1")
    app.state.rate_limiter = limiter
    # add_middleware wraps: the last added runs first.
    app.add_middleware(GenerationMiddleware, state=state)
    app.add_middleware(RateLimitMiddleware, limiter=limiter, prefixes=("/v1/",))
    # the webhook has a budget of its own: Zalo's servers send bursts from few addresses
    app.add_middleware(RateLimitMiddleware, limiter=RateLimiter(settings.zalo_webhook_rate_per_minute,
                                                                 settings.redis_url, "zalo"),
                       prefixes=("/zalo/",))
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_request_bytes,
                       max_upload_bytes=settings.max_upload_bytes, upload_prefixes=("/v1/admin/",))
    app.add_middleware(JsonCORSMiddleware, allow_origins=list(settings.cors_origins),
                       allow_methods=["GET", "POST"], allow_headers=["Content-Type"], max_age=600)
    app.add_middleware(AccessLogMiddleware)
    return app


def _rss_mb() -> int | None:
    try:
        for line in open("/proc/self/status", encoding="ascii"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    except OSError:
        return None
    return None


async def _watch_index(state: AppState) -> None:
    """Look for a new index version (a CLI ingest, another replica's upload) and serve it; the
    opening runs in a worker thread, requests keep their generation until they end."""
    period = max(0.05, state.settings.index_watch_seconds)
    while True:
        await asyncio.sleep(period)
        try:
            await run_in_threadpool(state.refresh)
        except Exception as exc:  # a half-deleted folder, a full disk: keep serving, look again
            logging.getLogger("assistant.api").warning("index refresh failed: %s", exc)


def _zalo_bot(state: AppState, client):
    """(bot, delivery queue) of the Zalo channel, or (None, None) when it is not configured."""
    if not state.settings.zalo_oa_secret:
        return None, None
    from assistant.zalo.bot import ZaloBot
    from assistant.zalo.client import ZaloClient
    from assistant.zalo.delivery import Delivery

    client = client or ZaloClient(state.settings, state.store)
    bot = ZaloBot(state, client)
    return bot, Delivery(bot, state.store, client, state.settings)
