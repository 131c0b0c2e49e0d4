"""Admin: upload plan files and rebuild the index (X-Admin-Key required)."""
from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, File, UploadFile
from fastapi.concurrency import run_in_threadpool

from assistant.api.deps import AdminDep, StateDep
from assistant.api.errors import http_error
from assistant.api.routes.catalog import jsonable
from assistant.api.schemas import ERROR_RESPONSES

router = APIRouter(prefix="/v1/admin", tags=["admin"])

_SAFE_NAME = re.compile(r"^[\w][\w.\-]{0,150}$")


def _target_name(filename: str | None, allowed: list[str]) -> str:
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    if not _SAFE_NAME.match(name) or ".." in name:
        raise http_error(400, f"Unsafe file name {filename!r}: use letters, digits, '-', '_', '.'.",
                         "bad_filename")
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in allowed:
        raise http_error(415, f"Cannot read {suffix or 'files without a suffix'}; "
                              f"supported: {', '.join(allowed)}.")
    return name


@router.post("/ingest", responses=ERROR_RESPONSES | {401: {}, 403: {}, 415: {}},
             summary="Tải lên kế hoạch mới và cập nhật chỉ mục (cần X-Admin-Key)")
async def ingest(
    _: AdminDep,
    state: StateDep,
    files: Annotated[list[UploadFile], File(description="Một hoặc nhiều tệp kế hoạch (txt, docx, pdf, html)")],
) -> dict:
    from ingest.loaders import supported_suffixes
    from vectorstore.index import build_index

    plans_dir = state.settings.plans_dir
    plans_dir.mkdir(parents=True, exist_ok=True)
    allowed = supported_suffixes()
    names = [_target_name(f.filename, allowed) for f in files]  # validate all before writing any
    if len(set(names)) != len(names):
        raise http_error(400, "The same file name was uploaded twice.", "duplicate_file")
    saved = []
    for upload, name in zip(files, names):
        path = plans_dir / name
        tmp = path.with_name(f".{name}.upload")
        with tmp.open("wb") as out:
            while chunk := await upload.read(1 << 20):
                out.write(chunk)
        tmp.replace(path)  # a reader never sees a half-written plan
        saved.append(path)
    summary = await run_in_threadpool(build_index, state.settings, saved, False)
    state.reload()
    return {"saved": names, "summary": jsonable(summary)}
