"""App factory: `create_app(settings, assistant=None, index=None) -> FastAPI`.

Components are injected (tests pass the shared built index and a PlanAssistant); anything not
given is created from settings. Middleware order, outermost first: access log (redacted),
CORS allow-list, body size limit, per-IP rate limit on /v1/.
"""
from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from assistant.answer_types import Answerer
from assistant.api.errors import install_error_handlers
from assistant.api.middleware import (AccessLogMiddleware, BodyLimitMiddleware, JsonCORSMiddleware,
                                      RateLimitMiddleware)
from assistant.api.routes import admin, ask, catalog, feedback, health, static, zalo
from assistant.api.state import AppState
from assistant.ratelimit import RateLimiter
from assistant.settings import Settings

DESCRIPTION = """Trợ lý ảo hỏi đáp về kế hoạch chuyển đổi số, kinh tế số, xã hội số của các tỉnh.
Mỗi câu trả lời kèm trích dẫn tới đoạn văn bản gốc (văn bản, mục, vị trí ký tự).

Mọi lỗi có cùng một dạng: `{"error": {"code": "...", "message": "...", "status": 4xx}}`."""


def create_app(settings: Settings | None = None, assistant: Answerer | None = None,
               index=None, zalo_client=None) -> FastAPI:
    settings = settings or Settings()
    state = AppState(settings, assistant=assistant, index=index)
    state.load()

    app = FastAPI(title="Trợ lý kế hoạch chuyển đổi số", version="1.0", description=DESCRIPTION)
    app.state.assistant_state = state
    app.state.zalo_bot = _zalo_bot(state, zalo_client)
    install_error_handlers(app)

    for module in (health, ask, catalog, feedback, admin, zalo, static):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=static.STATIC), name="static")

    limiter = RateLimiter(settings.rate_limit_per_minute)
    app.state.rate_limiter = limiter
    # add_middleware wraps: the last added runs first.
    app.add_middleware(RateLimitMiddleware, limiter=limiter, prefixes=("/v1/",))
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_request_bytes,
                       max_upload_bytes=settings.max_upload_bytes, upload_prefixes=("/v1/admin/",))
    app.add_middleware(JsonCORSMiddleware, allow_origins=list(settings.cors_origins),
                       allow_methods=["GET", "POST"], allow_headers=["Content-Type"], max_age=600)
    app.add_middleware(AccessLogMiddleware)
    return app


def _zalo_bot(state: AppState, client):
    if not state.settings.zalo_oa_secret:
        return None
    from assistant.zalo.bot import ZaloBot
    from assistant.zalo.client import ZaloClient

    return ZaloBot(state, client or ZaloClient(state.settings))
