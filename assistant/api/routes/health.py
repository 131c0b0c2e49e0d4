"""Liveness and readiness (GET and HEAD).

/healthz runs on the event loop, never in the worker threads, so it answers in milliseconds
whatever the threads are doing. /readyz tells the index version actually served and the Zalo
delivery queue (pending and failed replies).
"""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from assistant.api.deps import StateDep
from assistant.api.errors import error_response
from assistant.errors import IndexNotReady

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Tiến trình đang chạy")
@router.head("/healthz", include_in_schema=False)
async def healthz() -> dict:
    return {"status": "ok"}


@router.get("/readyz", summary="Chỉ mục đã sẵn sàng trả lời",
            responses={503: {"description": "Chưa có chỉ mục"}})
@router.head("/readyz", include_in_schema=False)
async def readyz(state: StateDep, request: Request):
    return await run_in_threadpool(_readiness, state, request.app.state.zalo_delivery is not None)


def _readiness(state, zalo: bool):
    if not state.ready:
        state.load()
    if not state.ready:
        return error_response(IndexNotReady(
            state.load_error or "The index is not built yet: run `python -m assistant ingest`."))
    index = state.index
    body = {"status": "ready", "version": getattr(index, "version", None), "documents": len(index.documents())}
    if zalo:
        counts = state.store.zalo_counts()
        body["zalo_outbox"] = {"pending": counts["pending"] + counts["sending"], "failed": counts["failed"]}
    return JSONResponse(body)
