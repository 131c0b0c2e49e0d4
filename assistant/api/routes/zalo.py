"""Zalo OA webhook: verify, store, acknowledge at once; the delivery queue answers."""
from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Request

from assistant.api.errors import http_error

router = APIRouter(tags=["zalo"])


@router.post("/zalo/webhook", summary="Webhook của Zalo Official Account (sự kiện người dùng gửi tin)",
             responses={400: {"description": "Sự kiện quá cũ hoặc từ tương lai (chống phát lại)"},
                        401: {"description": "Chữ ký X-ZEvent-Signature không hợp lệ"}})
async def zalo_webhook(request: Request, background: BackgroundTasks) -> dict:
    bot = request.app.state.zalo_bot
    if bot is None:
        raise http_error(503, "The Zalo channel is not configured: set ASSISTANT_ZALO_OA_SECRET.",
                         "zalo_disabled")
    raw = await request.body()
    msg_id = bot.accept(raw, request.headers.get("X-ZEvent-Signature"))
    if msg_id is not None:
        delivery = request.app.state.zalo_delivery
        background.add_task(delivery.deliver_now, msg_id)  # at once; failures stay queued
        delivery.wake()
    return {"ok": True}
