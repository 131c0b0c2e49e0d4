"""One JSON error shape for every error the API returns: AssistantError.to_json().

Validation errors (422), unknown routes (404), wrong methods (405), oversized bodies (413),
rate limits (429) and our own AssistantErrors all leave as
{"error": {"code": ..., "message": ..., "status": ...}}. Unexpected exceptions become a 500 of
the same shape without internals (they are logged, redacted, server-side).
"""
from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.errors import AssistantError

log = logging.getLogger("assistant.api")

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    503: "unavailable",
}


# The OpenAI-compatible routes answer errors in OpenAI's shape too (its SDKs read error.type and
# error.message): the same object with "type" and "param" added, so both readers are served.
OPENAI_PATHS = ("/v1/chat/", "/v1/models")
_OPENAI_TYPES = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
                 404: "not_found_error", 413: "invalid_request_error", 422: "invalid_request_error",
                 429: "rate_limit_error"}


def error_response(err: AssistantError, headers: dict[str, str] | None = None,
                   path: str | None = None) -> JSONResponse:
    body = err.to_json()
    if path and path.startswith(OPENAI_PATHS):
        body["error"] |= {"type": _OPENAI_TYPES.get(err.status, "server_error"), "param": None}
    return JSONResponse(body, status_code=err.status, headers=headers)


def http_error(status: int, message: str, code: str | None = None) -> AssistantError:
    return AssistantError(message, status=status, code=code or _HTTP_CODES.get(status, "error"))


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for e in exc.errors()[:5]:
        where = ".".join(str(p) for p in e.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {e.get('msg', 'invalid')}")
    return "Invalid request. " + "; ".join(parts)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AssistantError)
    async def _assistant_error(request: Request, exc: AssistantError):
        return error_response(exc, path=request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        return error_response(http_error(422, _validation_message(exc)), path=request.url.path)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else "Request failed."
        if exc.status_code == 404 and message == "Not Found":
            message = f"No route {request.url.path}. See /docs for the API."
        elif exc.status_code == 400 and message == "There was an error parsing the body":
            message = "The request body could not be read: send JSON encoded as UTF-8."
        elif exc.status_code == 405:
            message = f"Method {request.method} is not allowed on {request.url.path}."
        return error_response(http_error(exc.status_code, message), headers=exc.headers, path=request.url.path)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(http_error(500, "Internal error; it has been logged.", "internal_error"),
                              path=request.url.path)
