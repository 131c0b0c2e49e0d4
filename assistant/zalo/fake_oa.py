"""A fake Zalo OA server on 127.0.0.1 for tests and offline demos (a real HTTP server in a thread).

Implements the two endpoints the bot uses, with Zalo's semantics from shared/docs/zalo.md:
- POST /v3.0/oa/message/cs: header access_token; error -216 for an unknown token, -32 while
  `rate_limited` > 0 (a count of calls) or until `rate_limit_for(seconds)` runs out, else records
  the message and answers {"error": 0, ...};
- POST /v4/oa/access_token: header secret_key, form refresh_token/app_id/grant_type; the refresh
  token is single-use (a reused one gets error -14014), and the old access token stops working.

    with FakeOA(app_secret="s", access_token="a0", refresh_token="r0") as oa:
        settings = Settings(zalo_api_base=oa.url, zalo_oauth_base=oa.url, ...)
"""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


class FakeOA:
    def __init__(self, app_id: str = "app-1", app_secret: str = "app-secret",
                 access_token: str = "access-0", refresh_token: str = "refresh-0"):
        self.app_id = app_id
        self.app_secret = app_secret
        self.valid_access = {access_token}
        self.valid_refresh = {refresh_token}
        self.rate_limited = 0  # answer -32 to this many message calls
        self.rate_limited_until = 0.0  # and to every message call before this time.monotonic()
        self.messages: list[dict] = []  # {"user_id", "text", "token"}
        self.refreshes: list[dict] = []  # form bodies of refresh calls
        self.errors: list[int] = []  # error codes sent
        self._n = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> "FakeOA":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def rate_limit_for(self, seconds: float) -> None:
        """Answer -32 to every message call for the next `seconds` (a burst Zalo refuses)."""
        with self._lock:
            self.rate_limited_until = time.monotonic() + seconds

    def expire(self) -> None:
        """Invalidate every access token (as after ~25 hours)."""
        with self._lock:
            self.valid_access.clear()

    # request handling ----------------------------------------------------------------------
    def _message(self, token: str | None, body: dict) -> dict:
        with self._lock:
            if token not in self.valid_access:
                self.errors.append(-216)
                return {"error": -216, "message": "Access token is invalid"}
            if self.rate_limited > 0 or time.monotonic() < self.rate_limited_until:
                self.rate_limited = max(0, self.rate_limited - 1)
                self.errors.append(-32)
                return {"error": -32, "message": "Request exceeds rate limit"}
            text = body["message"]["text"]
            if len(text) > 2000:
                self.errors.append(-201)
                return {"error": -201, "message": "text too long"}
            self.messages.append({"user_id": body["recipient"]["user_id"], "text": text, "token": token})
            return {"error": 0, "message": "Success", "data": {"message_id": f"m{len(self.messages)}"}}

    def _refresh(self, secret: str | None, form: dict) -> dict:
        with self._lock:
            self.refreshes.append(form)
            if secret != self.app_secret or form.get("app_id") != self.app_id:
                return {"error": -14002, "error_name": "Invalid app secret"}
            if form.get("grant_type") != "refresh_token" or form.get("refresh_token") not in self.valid_refresh:
                return {"error": -14014, "error_name": "Invalid refresh token"}
            self._n += 1
            self.valid_refresh = {f"refresh-{self._n}"}  # single use
            self.valid_access = {f"access-{self._n}"}
            return {"access_token": f"access-{self._n}", "refresh_token": f"refresh-{self._n}",
                    "expires_in": "90000"}

    def _handler(self):
        oa = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server API)
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path == "/v3.0/oa/message/cs":
                    out = oa._message(self.headers.get("access_token"), json.loads(raw))
                elif self.path == "/v4/oa/access_token":
                    form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                    out = oa._refresh(self.headers.get("secret_key"), form)
                else:
                    self.send_error(404)
                    return
                data = json.dumps(out).encode()
                self.send_response(200)  # Zalo reports errors in the body, with HTTP 200
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):  # quiet: tokens travel in headers
                pass

        return Handler
