"""Conversations, feedback and seen Zalo message ids in one small SQLite file.

Privacy rules live here so no caller can forget them:
- every question and answer text is passed through `assistant.redact.redact` before it is written;
- rows older than `retention_days` are deleted on every write (no separate cron job needed).

The store serves server-side follow-ups: `history(conversation_id)` returns the earlier user
turns, oldest first, in the form `Answerer.answer(question, history)` takes.
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from pathlib import Path

from assistant.errors import AssistantError, NotFound
from assistant.redact import redact

_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    channel TEXT NOT NULL,
    created REAL NOT NULL,
    updated REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS turns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    answer_id TEXT NOT NULL UNIQUE,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    abstained INTEGER NOT NULL,
    citations TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS turns_conv ON turns(conversation_id, id);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    answer_id TEXT,
    conversation_id TEXT,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS zalo_inbox (
    msg_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    text TEXT NOT NULL,
    reply TEXT,
    sent_parts INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'done', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt REAL NOT NULL,
    last_error TEXT,
    created REAL NOT NULL,
    updated REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS zalo_inbox_due ON zalo_inbox(status, next_attempt);
"""

MAX_HISTORY = 6  # earlier user turns handed to the answerer; older ones rarely matter
SEEN_TTL_SECONDS = 7 * 24 * 3600  # done messages kept for dedupe; events older than minutes are refused anyway


class AppStore:
    def __init__(self, path: Path, retention_days: int = 90, clock=time.time):
        if retention_days < 1:
            raise ValueError("retention_days must be at least 1")
        self.path = Path(path)
        self.retention_seconds = retention_days * 86400
        self._clock = clock
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # conversations -------------------------------------------------------------------------
    def new_conversation_id(self) -> str:
        return uuid.uuid4().hex

    def exists(self, conversation_id: str) -> bool:
        with self._lock:
            row = self._db.execute(
                "SELECT 1 FROM conversations WHERE id = ?", (conversation_id,)
            ).fetchone()
        return row is not None

    def history(self, conversation_id: str, limit: int = MAX_HISTORY) -> list[str]:
        """Earlier user questions of a conversation (redacted), oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT question FROM turns WHERE conversation_id = ? ORDER BY id DESC LIMIT ?",
                (conversation_id, limit),
            ).fetchall()
        return [r["question"] for r in reversed(rows)]

    def add_turn(
        self,
        conversation_id: str,
        answer_id: str,
        question: str,
        answer: str,
        abstained: bool = False,
        citations: list[dict] | None = None,
        channel: str = "web",
    ) -> None:
        now = self._clock()
        cites = [{"n": c.get("n"), "doc_id": c.get("doc_id"), "section": c.get("section")}
                 for c in (citations or [])]
        with self._lock:
            self._db.execute("BEGIN")
            try:
                self._db.execute(
                    "INSERT INTO conversations(id, channel, created, updated) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT(id) DO UPDATE SET updated = excluded.updated",
                    (conversation_id, channel, now, now),
                )
                self._db.execute(
                    "INSERT INTO turns(conversation_id, answer_id, question, answer, abstained,"
                    " citations, created) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (conversation_id, answer_id, redact(question), redact(answer),
                     int(abstained), json.dumps(cites, ensure_ascii=False), now),
                )
                self._purge(now)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def turns(self, conversation_id: str) -> list[dict]:
        with self._lock:
            rows = self._db.execute(
                "SELECT answer_id, question, answer, abstained, citations, created FROM turns"
                " WHERE conversation_id = ? ORDER BY id", (conversation_id,)
            ).fetchall()
        return [dict(r) | {"citations": json.loads(r["citations"])} for r in rows]

    # feedback ------------------------------------------------------------------------------
    def add_feedback(
        self,
        rating: str,
        answer_id: str | None = None,
        conversation_id: str | None = None,
        comment: str | None = None,
    ) -> int:
        if rating not in ("up", "down"):
            raise AssistantError("rating must be 'up' or 'down'", code="invalid_rating")
        if not answer_id and not conversation_id:
            raise AssistantError(
                "Give answer_id or conversation_id of the answer you rate.", code="missing_target"
            )
        now = self._clock()
        with self._lock:
            if answer_id:
                row = self._db.execute(
                    "SELECT conversation_id FROM turns WHERE answer_id = ?", (answer_id,)
                ).fetchone()
                if row is None:
                    raise NotFound(f"No answer with id {answer_id!r} (it may have expired).")
                conversation_id = conversation_id or row["conversation_id"]
            elif not self._db.execute(
                "SELECT 1 FROM conversations WHERE id = ?", (conversation_id,)
            ).fetchone():
                raise NotFound(f"No conversation with id {conversation_id!r}.")
            self._db.execute("BEGIN")
            try:
                cur = self._db.execute(
                    "INSERT INTO feedback(answer_id, conversation_id, rating, comment, created)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (answer_id, conversation_id, rating, redact(comment) if comment else None, now),
                )
                self._purge(now)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return int(cur.lastrowid)

    def feedback(self) -> list[dict]:
        with self._lock:
            rows = self._db.execute("SELECT * FROM feedback ORDER BY id").fetchall()
        return [dict(r) for r in rows]

    # Zalo inbox and outbox ---------------------------------------------------------------------
    # A user message is stored when it arrives and marked done only after Zalo accepted the whole
    # reply; until then it is retried with backoff, across restarts. The msg_id key is also the
    # dedupe: a redelivery of a message already stored is dropped, done or not.
    def enqueue_zalo(self, msg_id: str, user_id: str, text: str) -> bool:
        """Store an incoming message; False when it was already stored (a redelivery)."""
        now = self._clock()
        with self._lock:
            self._db.execute("DELETE FROM zalo_inbox WHERE status = 'done' AND updated < ?",
                             (now - SEEN_TTL_SECONDS,))
            cur = self._db.execute(
                "INSERT OR IGNORE INTO zalo_inbox(msg_id, user_id, text, next_attempt, created, updated)"
                " VALUES (?, ?, ?, ?, ?, ?)", (msg_id, user_id, redact(text), now, now, now))
        return cur.rowcount == 1

    def claim_zalo(self, limit: int, lease_seconds: float = 120.0, msg_id: str | None = None) -> list[dict]:
        """Take up to `limit` due messages (pending, or a 'sending' lease that ran out: its worker
        died) and lease them; one message is never delivered by two workers at once, and a user's
        next message only after the one before it is done or failed."""
        now = self._clock()
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                where = "msg_id = ? AND " if msg_id else ""
                args = (msg_id,) if msg_id else ()
                # a user's messages are answered in the order they came (a follow-up needs the
                # answer before it): one waiting behind an earlier one of the same user is not due
                rows = self._db.execute(
                    f"SELECT * FROM zalo_inbox z WHERE {where}status IN ('pending', 'sending') AND next_attempt <= ?"
                    " AND NOT EXISTS (SELECT 1 FROM zalo_inbox e WHERE e.user_id = z.user_id"
                    " AND e.status IN ('pending', 'sending')"
                    " AND (e.created < z.created OR (e.created = z.created AND e.rowid < z.rowid)))"
                    " ORDER BY next_attempt LIMIT ?", (*args, now, limit)).fetchall()
                for r in rows:
                    self._db.execute("UPDATE zalo_inbox SET status = 'sending', next_attempt = ?, updated = ?"
                                     " WHERE msg_id = ?", (now + lease_seconds, now, r["msg_id"]))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return [dict(r) for r in rows]

    def zalo_progress(self, msg_id: str, reply: str | None = None, sent_parts: int | None = None) -> None:
        """Keep the computed reply and how many of its parts Zalo accepted (a retry resumes there)."""
        with self._lock:
            if reply is not None:
                self._db.execute("UPDATE zalo_inbox SET reply = ?, updated = ? WHERE msg_id = ?",
                                 (redact(reply), self._clock(), msg_id))
            if sent_parts is not None:
                self._db.execute("UPDATE zalo_inbox SET sent_parts = ?, updated = ? WHERE msg_id = ?",
                                 (sent_parts, self._clock(), msg_id))

    def zalo_done(self, msg_id: str) -> None:
        with self._lock:
            self._db.execute("UPDATE zalo_inbox SET status = 'done', last_error = NULL, updated = ? WHERE msg_id = ?",
                             (self._clock(), msg_id))

    def zalo_retry(self, msg_id: str, error: str, delay: float, give_up_after: float) -> str:
        """Schedule another attempt in `delay` seconds, or mark the message failed once it is older
        than `give_up_after` seconds. Returns the new status."""
        now = self._clock()
        with self._lock:
            row = self._db.execute("SELECT created FROM zalo_inbox WHERE msg_id = ?", (msg_id,)).fetchone()
            status = "failed" if row is None or now - row["created"] > give_up_after else "pending"
            self._db.execute(
                "UPDATE zalo_inbox SET status = ?, attempts = attempts + 1, next_attempt = ?, last_error = ?,"
                " updated = ? WHERE msg_id = ?", (status, now + delay, redact(error)[:500], now, msg_id))
        return status

    def zalo_fail(self, msg_id: str, error: str) -> None:
        with self._lock:
            self._db.execute("UPDATE zalo_inbox SET status = 'failed', attempts = attempts + 1, last_error = ?,"
                             " updated = ? WHERE msg_id = ?", (redact(error)[:500], self._clock(), msg_id))

    def zalo_counts(self) -> dict[str, int]:
        with self._lock:
            rows = self._db.execute("SELECT status, COUNT(*) AS n FROM zalo_inbox GROUP BY status").fetchall()
        out = {"pending": 0, "sending": 0, "done": 0, "failed": 0}
        out.update({r["status"]: r["n"] for r in rows})
        return out

    def zalo_messages(self, status: str | None = None, limit: int = 100) -> list[dict]:
        """Stored messages (redacted), newest first: what an operator inspects."""
        with self._lock:
            sql = "SELECT msg_id, user_id, status, attempts, sent_parts, last_error, created, updated FROM zalo_inbox"
            args: tuple = ()
            if status:
                sql += " WHERE status = ?"
                args = (status,)
            rows = self._db.execute(sql + " ORDER BY created DESC LIMIT ?", (*args, limit)).fetchall()
        return [dict(r) for r in rows]

    def zalo_requeue_failed(self) -> int:
        """Give failed messages another round of attempts (an operator's decision)."""
        now = self._clock()
        with self._lock:
            cur = self._db.execute("UPDATE zalo_inbox SET status = 'pending', next_attempt = ?, created = ?,"
                                   " updated = ? WHERE status = 'failed'", (now, now, now))
        return cur.rowcount

    # retention -----------------------------------------------------------------------------
    def _purge(self, now: float) -> None:
        cutoff = now - self.retention_seconds
        self._db.execute("DELETE FROM feedback WHERE created < ?", (cutoff,))
        self._db.execute("DELETE FROM conversations WHERE updated < ?", (cutoff,))
        self._db.execute("DELETE FROM turns WHERE created < ?", (cutoff,))
