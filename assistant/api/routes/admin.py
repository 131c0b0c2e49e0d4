"""Admin: upload plan files and rebuild the index (X-Admin-Key required)."""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.concurrency import run_in_threadpool

from assistant.api.deps import AdminDep, StateDep
from assistant.api.errors import http_error
from assistant.api.routes.catalog import jsonable
from assistant.api.schemas import ERROR_RESPONSES

router = APIRouter(prefix="/v1/admin", tags=["admin"])

_SAFE_NAME = re.compile(r"[\w][\w.\-]{0,150}")


def _target_name(filename: str | None, allowed: list[str]) -> str:
    """The bare file name to write under plans_dir; any directory part a client sends is dropped,
    hidden names, NUL bytes, '..' and odd characters are refused."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    if not _SAFE_NAME.fullmatch(name) or ".." in name:
        raise http_error(400, f"Unsafe file name {filename!r}: use letters, digits, '-', '_', '.'.",
                         "bad_filename")
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in allowed:
        raise http_error(415, f"Cannot read {suffix or 'files without a suffix'}; "
                              f"supported: {', '.join(allowed)}.")
    return name


async def _save(upload: UploadFile, path: Path, limit: int) -> None:
    """Stream the upload to a hidden file beside `path`, refusing it past `limit` bytes."""
    tmp = path.with_name(f".{path.name}.upload")
    seen = 0
    try:
        with tmp.open("wb") as out:
            while chunk := await upload.read(1 << 20):
                seen += len(chunk)
                if seen > limit:
                    raise http_error(413, f"{path.name} is larger than {limit} bytes.")
                out.write(chunk)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@router.post("/ingest", responses=ERROR_RESPONSES | {401: {}, 403: {}, 415: {}},
             summary="Tải lên kế hoạch mới và cập nhật chỉ mục (cần X-Admin-Key)")
async def ingest(
    _: AdminDep,
    state: StateDep,
    files: Annotated[list[UploadFile], File(
        min_length=1, description="Một hoặc nhiều tệp kế hoạch (txt, docx, pdf, html)")],
) -> dict:
    """Files that fail to parse are reported in `summary.failed` and are not kept: a previous
    file of the same name is put back, so the index and plans_dir keep serving what they had."""
    from ingest.loaders import supported_suffixes
    from vectorstore.build_job import build_in_child

    plans_dir = state.settings.plans_dir
    plans_dir.mkdir(parents=True, exist_ok=True)
    plans_dir = plans_dir.resolve()  # build_index reports failures by resolved path
    allowed = supported_suffixes()
    names = [_target_name(f.filename, allowed) for f in files]  # validate all before writing any
    if len(set(names)) != len(names):
        raise http_error(400, "The same file name was uploaded twice.", "duplicate_file")
    async with state.ingest_lock:  # uploads of one name must not interleave
        paths = [plans_dir / name for name in names]
        try:
            for upload, path in zip(files, paths):
                await _save(upload, path, state.settings.max_upload_bytes)
        except BaseException:
            for path in paths:
                path.with_name(f".{path.name}.upload").unlink(missing_ok=True)
            raise
        backups = {}
        for path in paths:
            if path.exists():
                backups[path] = path.with_name(f".{path.name}.previous")
                os.replace(path, backups[path])
            os.replace(path.with_name(f".{path.name}.upload"), path)  # never half-written
        try:
            # a child process parses and embeds: an upload never grows or leaks into the server
            summary = await run_in_threadpool(build_in_child, state.settings, paths, False)
        except BaseException:
            _settle(paths, backups, failed={str(p) for p in paths})
            raise
        failed = {f for f, _ in summary.failed}
        _settle(paths, backups, failed)
        await run_in_threadpool(state.refresh, True)  # serve the new version from the next request
    return {"saved": [p.name for p in paths if str(p) not in failed], "summary": jsonable(summary)}


@router.get("/zalo/outbox", responses=ERROR_RESPONSES | {401: {}, 403: {}},
            summary="Hàng đợi trả lời Zalo: đang chờ, thất bại (cần X-Admin-Key)")
async def zalo_outbox(_: AdminDep, state: StateDep, status: str | None = None, limit: int = 100) -> dict:
    if status not in (None, "pending", "sending", "done", "failed"):
        raise http_error(422, "status must be one of pending, sending, done, failed.")
    limit = max(1, min(limit, 1000))
    counts = await run_in_threadpool(state.store.zalo_counts)
    items = await run_in_threadpool(state.store.zalo_messages, status, limit)
    return {"counts": counts, "messages": items}


@router.post("/zalo/outbox/retry", responses=ERROR_RESPONSES | {401: {}, 403: {}},
             summary="Gửi lại các trả lời Zalo đã thất bại (cần X-Admin-Key)")
async def zalo_retry_failed(_: AdminDep, state: StateDep, request: Request) -> dict:
    n = await run_in_threadpool(state.store.zalo_requeue_failed)
    delivery = request.app.state.zalo_delivery
    if delivery is not None:
        delivery.wake()
    return {"requeued": n}


def _settle(paths: list[Path], backups: dict[Path, Path], failed: set[str]) -> None:
    """Put back the previous file of every upload that failed; drop the backups of the rest."""
    for path in paths:
        backup = backups.get(path)
        if str(path) in failed:
            if backup:
                os.replace(backup, path)
            else:
                path.unlink(missing_ok=True)
        elif backup:
            backup.unlink(missing_ok=True)
