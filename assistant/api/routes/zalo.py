"""Zalo OA webhook: verify, acknowledge at once, reply in the background."""
from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Request

from assistant.api.errors import http_error

router = APIRouter(tags=["zalo"])


@router.post("/zalo/webhook", summary="Webhook của Zalo Official Account (sự kiện người dùng gửi tin)",
             responses={401: {"description": "Chữ ký X-ZEvent-Signature không hợp lệ"}})
async def zalo_webhook(request: Request, background: BackgroundTasks) -> dict:
    bot = request.app.state.zalo_bot
    if bot is None:
        raise http_error(503, "The Zalo channel is not configured: set ASSISTANT_ZALO_OA_SECRET.",
                         "zalo_disabled")
    raw = await request.body()
    event = bot.accept(raw, request.headers.get("X-ZEvent-Signature"))
    if event is not None:
        background.add_task(bot.process, event)
    return {"ok": True}
