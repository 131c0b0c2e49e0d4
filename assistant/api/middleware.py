"""Protection middleware: request size limits, per-client rate limits, CORS, redacted access log;
and the index generation a request is answered from.

All of them answer with the one JSON error shape (413, 429, refused CORS preflight), so a widget
or client never has to parse a plain-text error.
"""
from __future__ import annotations

import logging
import re
import time
from urllib.parse import unquote_plus

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.api.errors import error_response, http_error
from assistant.ratelimit import RateLimiter
from assistant.redact import redact

access_log = logging.getLogger("assistant.access")

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _escape(text: str) -> str:
    """Control characters (a %0A in a path) as escapes: one request can never forge log lines."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class BodyLimitMiddleware:
    """413 for bodies over the limit: checked on Content-Length, or counted while reading a
    chunked body (no Content-Length). Upload paths get the larger upload limit.

    Kept rather than FastAPI's `max_body_size`: that answers an oversized Content-Length with a
    plain-text 413 from outside the exception handlers, not in the one JSON error shape."""

    def __init__(self, app: ASGIApp, max_bytes: int, max_upload_bytes: int, upload_prefixes=()):
        self.app = app
        self.max_bytes = max_bytes
        self.max_upload_bytes = max_upload_bytes
        self.upload_prefixes = tuple(upload_prefixes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        upload = scope["path"].startswith(self.upload_prefixes)
        limit = self.max_upload_bytes if upload else self.max_bytes
        too_large = http_error(413, f"Request body is larger than {limit} bytes.")
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    if int(value) > limit:
                        return await error_response(too_large, path=scope["path"])(scope, receive, send)
                except ValueError:
                    return await error_response(http_error(400, "Bad Content-Length."), path=scope["path"])(
                        scope, receive, send)
        if not any(name == b"content-length" for name, _ in scope.get("headers", [])) \
                and scope.get("method") in ("POST", "PUT", "PATCH"):
            # Chunked body: read it here, up to the limit (FastAPI turns errors raised while it
            # reads a body into a generic 400), then replay it to the app.
            chunks, seen = [], 0
            while True:
                message = await receive()
                if message["type"] != "http.request":
                    return  # client went away
                chunks.append(message.get("body", b""))
                seen += len(chunks[-1])
                if seen > limit:
                    return await error_response(too_large, path=scope["path"])(scope, receive, send)
                if not message.get("more_body"):
                    break
            body = b"".join(chunks)
            replayed = False

            async def replay() -> Message:
                nonlocal replayed
                if not replayed:
                    replayed = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()

            return await self.app(scope, replay, send)
        await self.app(scope, receive, send)


class RateLimitMiddleware:
    """Token bucket per client IP on paths under `prefixes`; 429 with Retry-After."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter, prefixes=("/v1/",)):
        self.app = app
        self.limiter = limiter
        self.prefixes = tuple(prefixes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(self.prefixes) \
                and scope.get("method") != "OPTIONS":
            client = scope.get("client")
            allowed, retry_after = self.limiter.take(client[0] if client else "unknown")
            if not allowed:
                err = http_error(429, f"Too many requests; try again in {retry_after} s.")
                resp = error_response(err, headers={"Retry-After": str(retry_after)}, path=scope["path"])
                return await resp(scope, receive, send)
        await self.app(scope, receive, send)


class GenerationMiddleware:
    """Each request is answered from one index generation from start to end, and a generation
    replaced meanwhile is closed only after its last request (see AppState.pin)."""

    def __init__(self, app: ASGIApp, state):
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        with self.state.pin():
            await self.app(scope, receive, send)


class JsonCORSMiddleware(CORSMiddleware):
    """Starlette's CORS allow-list, but a refused preflight gets the JSON error shape."""

    def preflight_response(self, request_headers):
        resp = super().preflight_response(request_headers)
        if resp.status_code == 400:
            detail = resp.body.decode("utf-8", "replace")
            err = http_error(403, f"{detail}; allowed origins are configured in ASSISTANT_CORS_ORIGINS.",
                             "cors_refused")
            return error_response(err)
        return resp


class AccessLogMiddleware:
    """One log line per request, with the query string redacted (questions travel in ?q=).
    Uvicorn's own access log is turned off by the serve command for that reason."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        t0 = time.perf_counter()
        status = 0

        async def tracked_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, tracked_send)
        finally:
            query = scope.get("query_string", b"").decode("latin-1")
            # the path too: "/v1/documents/0912345678" carries what a user typed
            path = redact(scope["path"]) + (("?" + redact(unquote_plus(query))) if query else "")
            path = _escape(path[:2000])
            client = scope.get("client")
            access_log.info("%s %s %s %d %.0fms", client[0] if client else "-", scope.get("method"),
                            path, status, (time.perf_counter() - t0) * 1000)
