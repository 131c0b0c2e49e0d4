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
CREATE TABLE IF NOT EXISTS seen_messages (
    msg_id TEXT PRIMARY KEY,
    created REAL NOT NULL
);
"""

MAX_HISTORY = 6  # earlier user turns handed to the answerer; older ones rarely matter
SEEN_TTL_SECONDS = 7 * 24 * 3600  # Zalo retries within minutes; a week is ample


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

    # Zalo delivery dedupe ------------------------------------------------------------------
    def first_seen(self, msg_id: str) -> bool:
        """Mark a message id as seen; True only the first time (Zalo retries deliveries)."""
        now = self._clock()
        with self._lock:
            self._db.execute("DELETE FROM seen_messages WHERE created < ?", (now - SEEN_TTL_SECONDS,))
            cur = self._db.execute(
                "INSERT OR IGNORE INTO seen_messages(msg_id, created) VALUES (?, ?)", (msg_id, now)
            )
        return cur.rowcount == 1

    # retention -----------------------------------------------------------------------------
    def _purge(self, now: float) -> None:
        cutoff = now - self.retention_seconds
        self._db.execute("DELETE FROM feedback WHERE created < ?", (cutoff,))
        self._db.execute("DELETE FROM conversations WHERE updated < ?", (cutoff,))
        self._db.execute("DELETE FROM turns WHERE created < ?", (cutoff,))
