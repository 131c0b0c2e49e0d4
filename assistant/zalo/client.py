"""Zalo OA message client: send text, refresh the access token.

Facts from shared/docs/zalo.md: errors come with HTTP 200 and `error != 0`; -216 (invalid token)
and -220 (expired) mean "refresh, then retry once"; -32 is a rate limit. The refresh token is
single-use, so the new pair is stored in the app store (SQLite file 0600, or PostgreSQL) BEFORE it
is used, and only one refresh runs at a time across threads, workers and replicas. Tokens and
secrets never reach a log line.

A send is one attempt: a rate limit or a transport failure raises `ZaloRetryable`, and the
delivery queue (assistant.zalo.delivery) decides when to try again, without holding a thread
asleep meanwhile.
"""
from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from assistant.errors import AssistantError
from assistant.settings import Settings
from assistant.storage import AppStore
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


class ZaloClient:
    """Sends OA messages with the token pair kept in the app store (shared by every worker and
    replica; see AppStore.refresh_zalo_token for the single-flight refresh)."""

    def __init__(self, settings: Settings, store: AppStore, http: httpx.Client | None = None,
                 clock: Callable[[], float] = time.time):
        self.settings = settings
        self.store = store
        self.http = http or httpx.Client(timeout=15.0)
        self._clock = clock
        self._refresh_lock = threading.Lock()  # threads of this process wait here, not on the database
        legacy = _token_file(settings.zalo_token_path)  # a pair saved by an earlier version
        if legacy:
            store.seed_zalo_token(legacy.get("access_token"), legacy.get("refresh_token"), legacy.get("expires_at"))
        store.seed_zalo_token(settings.zalo_access_token, settings.zalo_refresh_token)

    def token(self) -> dict:
        return self.store.zalo_token() or {"access_token": None, "refresh_token": None, "expires_at": None}

    def _expiring(self, token: dict) -> bool:
        expires_at = token.get("expires_at")
        return expires_at is not None and self._clock() > expires_at - EXPIRY_MARGIN

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
        current = self.token()
        if self._expiring(current):
            self.refresh(current["access_token"])
        while True:
            token = self.token()["access_token"]
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
        """Trade the single-use refresh token for a new pair. One refresh at a time across threads,
        workers and replicas; a caller whose token was already replaced meanwhile uses the new one."""
        s = self.settings
        if not (s.zalo_app_id and s.zalo_app_secret):
            raise ZaloError("Cannot refresh the Zalo token: set ASSISTANT_ZALO_APP_ID, "
                            "ASSISTANT_ZALO_APP_SECRET and a refresh token.")
        with self._refresh_lock:
            self.store.refresh_zalo_token(failed_token, self._trade)

    def _trade(self, refresh_token: str | None) -> tuple[str, str, float | None]:
        """The HTTP refresh (runs while the token row is locked)."""
        s = self.settings
        if not refresh_token:
            raise ZaloError("Cannot refresh the Zalo token: no refresh token is stored; set "
                            "ASSISTANT_ZALO_REFRESH_TOKEN.")
        url = s.zalo_oauth_base.rstrip("/") + "/v4/oa/access_token"
        try:
            resp = self.http.post(url, headers={"secret_key": s.zalo_app_secret}, data={
                "refresh_token": refresh_token, "app_id": s.zalo_app_id, "grant_type": "refresh_token"})
            data = resp.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise ZaloError(f"Zalo token refresh failed: {type(exc).__name__}") from None
        if not isinstance(data, dict) or not data.get("access_token") or not data.get("refresh_token"):
            data = data if isinstance(data, dict) else {}
            raise ZaloError(f"Zalo token refresh refused: error {data.get('error')} "
                            f"{data.get('error_name') or data.get('message') or ''}".strip(),
                            data.get("error"))
        try:
            expires_in = int(data.get("expires_in") or 0) or None
        except (TypeError, ValueError):
            expires_in = None
        log.info("zalo token refreshed; expires in %s s", expires_in)
        # stored by the caller before the row lock is released: the old refresh token is spent
        return data["access_token"], data["refresh_token"], (self._clock() + expires_in) if expires_in else None


def _token_file(path: Path) -> dict | None:
    """The pair an earlier version kept in var/zalo-token.json (read once, then the store wins)."""
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
