"""Liveness and readiness."""
from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from assistant.api.deps import StateDep
from assistant.api.errors import error_response
from assistant.errors import IndexNotReady

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Tiến trình đang chạy")
def healthz() -> dict:
    return {"status": "ok"}


@router.get("/readyz", summary="Chỉ mục đã sẵn sàng trả lời",
            responses={503: {"description": "Chưa có chỉ mục"}})
def readyz(state: StateDep):
    if not state.ready:
        state.load()
    if not state.ready:
        return error_response(IndexNotReady(
            state.load_error or "The index is not built yet: run `python -m assistant ingest`."))
    return JSONResponse({"status": "ready", "version": getattr(state.index, "version", None),
                         "documents": len(state.index.documents())})
