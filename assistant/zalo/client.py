"""Zalo OA message client: send text, refresh the access token.

Facts from shared/docs/zalo.md: errors come with HTTP 200 and `error != 0`; -216 (invalid token)
and -220 (expired) mean "refresh, then retry once"; -32 is a rate limit. The refresh token is
single-use, so the new pair is written to disk (mode 0600) BEFORE it is used, and only one refresh
runs at a time. Tokens and secrets never reach a log line.

A send is one attempt: a rate limit or a transport failure raises `ZaloRetryable`, and the
delivery queue (assistant.zalo.delivery) decides when to try again, without holding a thread
asleep meanwhile.
"""
from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from assistant.errors import AssistantError
from assistant.settings import Settings
from assistant.zalo.text import split_message

log = logging.getLogger("assistant.zalo")

TOKEN_ERRORS = {-216, -220}
RATE_LIMITED = -32
EXPIRY_MARGIN = 300  # refresh this many seconds before the known expiry


class ZaloError(AssistantError):
    status = 502
    code = "zalo_error"

    def __init__(self, message: str, zalo_code: int | None = None):
        super().__init__(message)
        self.zalo_code = zalo_code


class ZaloRetryable(ZaloError):
    """Worth another attempt later: a rate limit (-32), a transport error or a server error."""


class TokenStore:
    """The current access/refresh token pair, persisted as JSON (0600) at `path`.

    The file wins over the settings once it exists: after the first refresh the refresh token in
    the environment has been used up."""

    def __init__(self, path: Path, access_token: str | None = None,
                 refresh_token: str | None = None, clock: Callable[[], float] = time.time):
        self.path = Path(path)
        self._clock = clock
        self.access_token = access_token
        self.refresh_token = refresh_token
        self.expires_at: float | None = None
        if self.path.exists():
            data = json.loads(self.path.read_text("utf-8"))
            self.access_token = data.get("access_token") or self.access_token
            self.refresh_token = data.get("refresh_token") or self.refresh_token
            self.expires_at = data.get("expires_at")

    def save(self, access_token: str, refresh_token: str, expires_in: int | None) -> None:
        expires_at = self._clock() + expires_in if expires_in else None
        data = {"access_token": access_token, "refresh_token": refresh_token,
                "expires_at": expires_at, "saved_at": self._clock()}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o600)  # in case the file pre-existed with wider permissions
        os.replace(tmp, self.path)
        self.access_token, self.refresh_token, self.expires_at = access_token, refresh_token, expires_at

    def expiring(self) -> bool:
        return self.expires_at is not None and self._clock() > self.expires_at - EXPIRY_MARGIN


class ZaloClient:
    def __init__(self, settings: Settings, http: httpx.Client | None = None):
        self.settings = settings
        self.http = http or httpx.Client(timeout=15.0)
        self.tokens = TokenStore(settings.zalo_token_path, settings.zalo_access_token,
                                 settings.zalo_refresh_token)
        self._refresh_lock = threading.Lock()

    # sending -------------------------------------------------------------------------------
    def send_reply(self, user_id: str, text: str, skip: int = 0,
                   progress: Callable[[int], None] | None = None) -> int:
        """Send `text` to a follower, split into messages of at most 2,000 characters; the first
        `skip` parts were sent by an earlier attempt. `progress(n)` is told after each accepted
        part. Returns the number of parts."""
        parts = split_message(text)
        for n, part in enumerate(parts[skip:], skip + 1):
            self.send_text(user_id, part)
            if progress:
                progress(n)
        return len(parts)

    def send_text(self, user_id: str, text: str) -> dict:
        """One message, one attempt (after a token refresh, once more)."""
        body = {"recipient": {"user_id": user_id}, "message": {"text": text}}
        url = self.settings.zalo_api_base.rstrip("/") + "/v3.0/oa/message/cs"
        refreshed = False
        if self.tokens.expiring():
            self.refresh(self.tokens.access_token)
        while True:
            token = self.tokens.access_token
            if not token:
                raise ZaloError("No Zalo access token: set ASSISTANT_ZALO_ACCESS_TOKEN and "
                                "ASSISTANT_ZALO_REFRESH_TOKEN (see README).")
            try:
                resp = self.http.post(url, headers={"access_token": token}, json=body)
                data = resp.json() if resp.status_code < 500 else {"error": -500, "message": f"HTTP {resp.status_code}"}
            except (httpx.HTTPError, ValueError) as exc:
                raise ZaloRetryable(f"Zalo message API unreachable ({type(exc).__name__})", -500) from None
            try:
                err = int(data.get("error", 0) or 0) if isinstance(data, dict) else -500
            except (TypeError, ValueError):
                err = -500
            if err == 0:
                return data
            if err in TOKEN_ERRORS and not refreshed:
                log.info("zalo token rejected (error %s); refreshing", err)
                self.refresh(token)
                refreshed = True
                continue
            message = str(data.get("message", "")) if isinstance(data, dict) else ""
            if err in (RATE_LIMITED, -500):
                raise ZaloRetryable(f"Zalo message API error {err}: {message}", err)
            raise ZaloError(f"Zalo message API error {err}: {message}", err)

    # token refresh -------------------------------------------------------------------------
    def refresh(self, failed_token: str | None) -> None:
        """Trade the single-use refresh token for a new pair; one refresh at a time. A caller
        whose token was already replaced by another thread's refresh just uses the new one."""
        with self._refresh_lock:
            if self.tokens.access_token != failed_token:
                return
            s = self.settings
            if not (self.tokens.refresh_token and s.zalo_app_id and s.zalo_app_secret):
                raise ZaloError("Cannot refresh the Zalo token: set ASSISTANT_ZALO_APP_ID, "
                                "ASSISTANT_ZALO_APP_SECRET and a refresh token.")
            url = s.zalo_oauth_base.rstrip("/") + "/v4/oa/access_token"
            try:
                resp = self.http.post(url, headers={"secret_key": s.zalo_app_secret}, data={
                    "refresh_token": self.tokens.refresh_token, "app_id": s.zalo_app_id,
                    "grant_type": "refresh_token"})
                data = resp.json()
            except (httpx.HTTPError, ValueError) as exc:
                raise ZaloError(f"Zalo token refresh failed: {type(exc).__name__}") from None
            if not data.get("access_token") or not data.get("refresh_token"):
                raise ZaloError(f"Zalo token refresh refused: error {data.get('error')} "
                                f"{data.get('error_name') or data.get('message') or ''}".strip(),
                                data.get("error"))
            try:
                expires_in = int(data.get("expires_in") or 0) or None
            except ValueError:
                expires_in = None
            # Store first: the old refresh token is spent, losing the new one locks us out.
            self.tokens.save(data["access_token"], data["refresh_token"], expires_in)
            log.info("zalo token refreshed; expires in %s s", expires_in)
