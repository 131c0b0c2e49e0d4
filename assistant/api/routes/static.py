"""The citizen widget script and the demo portal page."""
from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, Response

STATIC = Path(__file__).resolve().parent.parent.parent / "static"

router = APIRouter(include_in_schema=False)


@router.get("/")
def demo_page() -> FileResponse:
    return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")


@router.get("/board")
def board_page() -> FileResponse:
    """The officials' task board (reads /v1/board)."""
    return FileResponse(STATIC / "board.html", media_type="text/html; charset=utf-8")


@router.get("/widget.js")
def widget() -> FileResponse:
    # Embedded on other origins: allow caching for a short while, the script is small.
    return FileResponse(STATIC / "widget.js", media_type="text/javascript; charset=utf-8",
                        headers={"Cache-Control": "public, max-age=300"})


@router.get("/favicon.ico")
def favicon() -> Response:
    return Response(status_code=204)  # no icon; keeps browser consoles free of 404 noise
