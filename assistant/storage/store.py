"""The app store: conversations, feedback, the Zalo inbox and the Zalo token, in SQLite (the
embedded default, a file beside the index) or PostgreSQL (`ASSISTANT_DATABASE_URL`), through one
code path (SQLAlchemy Core).

Privacy rules live here so no caller can forget them:
- every question, answer, reply and error text is passed through `assistant.redact.redact`
  before it is written;
- rows older than `retention_days` are deleted on every write (no separate cron job needed).

Several workers and replicas share one store: a conversation continues on whichever serves the
follow-up; a Zalo message is claimed by one worker at a time (a conditional update, so two
claims of one row cannot both win); the single-use Zalo refresh token is traded by one process
at a time (a row lock on PostgreSQL, the database write lock on SQLite).
"""
from __future__ import annotations

import contextlib
import json
import os
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy import and_, create_engine, delete, event, exists, func, insert, or_, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from assistant.errors import AssistantError, NotFound
from assistant.redact import redact
from assistant.storage.group_commit import GroupCommit
from assistant.storage.schema import (conversations, feedback, migrate, turns, zalo_inbox,
                                      zalo_token)

MAX_HISTORY = 6  # earlier user turns handed to the answerer; older ones rarely matter
SEEN_TTL_SECONDS = 7 * 24 * 3600  # done messages kept for dedupe; events older than minutes are refused anyway
LIVE = ("pending", "sending")
PURGE_EVERY_SECONDS = 60.0  # expired rows go at most a minute after their time, without a scan per write


def database_url(target: str | Path) -> str:
    """A SQLAlchemy URL for a file path or a URL ("postgresql://" uses psycopg 3)."""
    text = str(target)
    if "://" not in text:
        return f"sqlite:///{Path(text)}"
    if text.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + text.split("://", 1)[1]
    return text


def make_engine(target: str | Path) -> Engine:
    url = database_url(target)
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():  # conversations and the Zalo token: readable by the service only
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn, _record):
            dbapi_conn.isolation_level = None  # transactions are begun below, explicitly
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")  # WAL: consistent after a crash, no fsync per answer
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            # A writing transaction takes the write lock at once (IMMEDIATE): two processes'
            # read-then-write transactions (a claim, a token refresh) run one after the other
            # instead of failing midway. Reads take no lock (WAL readers never wait).
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


class AppStore:
    def __init__(self, target: str | Path, retention_days: int = 90, clock: Callable[[], float] = time.time):
        if retention_days < 1:
            raise ValueError("retention_days must be at least 1")
        self.url = database_url(target)
        self.path = Path(self.url[len("sqlite:///"):]) if self.url.startswith("sqlite:///") else None
        self.retention_seconds = retention_days * 86400
        self._clock = clock
        self._purged_at = float("-inf")
        self.engine = make_engine(target)
        self.schema_version = migrate(self.engine)
        self._turn_writes: GroupCommit[dict] = GroupCommit(self._write_turns)

    @contextlib.contextmanager
    def _tx(self, write: bool = False) -> Iterator[Connection]:
        """A transaction; `write` ones lock at once on SQLite (see make_engine)."""
        with self.engine.connect() as conn:
            if write:
                conn.execution_options(write=True)
            with conn.begin():
                yield conn

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    # conversations -------------------------------------------------------------------------
    def new_conversation_id(self) -> str:
        return uuid.uuid4().hex

    def exists(self, conversation_id: str) -> bool:
        with self._tx() as conn:
            return conn.execute(select(conversations.c.id).where(conversations.c.id == conversation_id)).first() is not None

    def history(self, conversation_id: str, limit: int = MAX_HISTORY) -> list[str]:
        """Earlier user questions of a conversation (redacted), oldest first."""
        with self._tx() as conn:
            rows = conn.execute(select(turns.c.question).where(turns.c.conversation_id == conversation_id)
                                .order_by(turns.c.id.desc()).limit(limit)).all()
        return [r.question for r in reversed(rows)]

    def add_turn(self, conversation_id: str, answer_id: str, question: str, answer: str,
                 abstained: bool = False, citations: list[dict] | None = None, channel: str = "web") -> None:
        now = self._clock()
        cites = [{"n": c.get("n"), "doc_id": c.get("doc_id"), "section": c.get("section")}
                 for c in (citations or [])]
        self._turn_writes.submit({
            "conversation_id": conversation_id, "answer_id": answer_id, "question": redact(question),
            "answer": redact(answer), "abstained": int(abstained),
            "citations": json.dumps(cites, ensure_ascii=False), "created": now, "channel": channel})

    def _write_turns(self, rows: list[dict]) -> None:
        """One transaction for the turns of many answers (see group_commit)."""
        with self._tx(write=True) as conn:
            for row in rows:
                self._upsert_conversation(conn, row["conversation_id"], row["channel"], row["created"])
            conn.execute(insert(turns), [{k: v for k, v in row.items() if k != "channel"} for row in rows])
            self._purge(conn, max(row["created"] for row in rows))

    def _upsert_conversation(self, conn: Connection, conversation_id: str, channel: str, now: float) -> None:
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as upsert
        else:
            from sqlalchemy.dialects.sqlite import insert as upsert
        stmt = upsert(conversations).values(id=conversation_id, channel=channel, created=now, updated=now)
        conn.execute(stmt.on_conflict_do_update(index_elements=["id"], set_={"updated": now}))

    def turns(self, conversation_id: str) -> list[dict]:
        with self._tx() as conn:
            rows = conn.execute(select(turns.c.answer_id, turns.c.question, turns.c.answer, turns.c.abstained,
                                       turns.c.citations, turns.c.created)
                                .where(turns.c.conversation_id == conversation_id).order_by(turns.c.id)).all()
        return [dict(r._mapping) | {"citations": json.loads(r.citations)} for r in rows]

    # feedback ------------------------------------------------------------------------------
    def add_feedback(self, rating: str, answer_id: str | None = None, conversation_id: str | None = None,
                     comment: str | None = None) -> int:
        if rating not in ("up", "down"):
            raise AssistantError("rating must be 'up' or 'down'", code="invalid_rating")
        if not answer_id and not conversation_id:
            raise AssistantError("Give answer_id or conversation_id of the answer you rate.", code="missing_target")
        now = self._clock()
        with self._tx(write=True) as conn:
            if answer_id:
                row = conn.execute(select(turns.c.conversation_id).where(turns.c.answer_id == answer_id)).first()
                if row is None:
                    raise NotFound(f"No answer with id {answer_id!r} (it may have expired).")
                conversation_id = conversation_id or row.conversation_id
            elif conn.execute(select(conversations.c.id).where(conversations.c.id == conversation_id)).first() is None:
                raise NotFound(f"No conversation with id {conversation_id!r}.")
            new_id = conn.execute(insert(feedback).values(
                answer_id=answer_id, conversation_id=conversation_id, rating=rating,
                comment=redact(comment) if comment else None, created=now).returning(feedback.c.id)).scalar_one()
            self._purge(conn, now)
        return int(new_id)

    def feedback(self) -> list[dict]:
        with self._tx() as conn:
            return [dict(r._mapping) for r in conn.execute(select(feedback).order_by(feedback.c.id))]

    # Zalo inbox and outbox ---------------------------------------------------------------------
    # A user message is stored when it arrives and marked done only after Zalo accepted the whole
    # reply; until then it is retried with backoff, across restarts. The msg_id key is also the
    # dedupe: a redelivery of a message already stored is dropped, done or not, on any replica.
    def enqueue_zalo(self, msg_id: str, user_id: str, text: str) -> bool:
        """Store an incoming message; False when it was already stored (a redelivery)."""
        now = self._clock()
        try:
            with self._tx(write=True) as conn:
                conn.execute(delete(zalo_inbox).where(zalo_inbox.c.status == "done",
                                                      zalo_inbox.c.updated < now - SEEN_TTL_SECONDS))
                conn.execute(insert(zalo_inbox).values(msg_id=msg_id, user_id=user_id, text=redact(text),
                                                       next_attempt=now, created=now, updated=now))
        except IntegrityError:
            return False
        return True

    def claim_zalo(self, limit: int, lease_seconds: float = 120.0, msg_id: str | None = None) -> list[dict]:
        """Take up to `limit` due messages (pending, or a 'sending' lease that ran out: its worker
        died) and lease them. A claim is a conditional update, so of two workers (or replicas)
        claiming one message only one gets it; a user's next message is due only after the one
        before it is done or failed (a follow-up needs the answer before it)."""
        now = self._clock()
        earlier = zalo_inbox.alias("earlier")
        waiting_behind = exists().where(
            earlier.c.user_id == zalo_inbox.c.user_id, earlier.c.status.in_(LIVE),
            or_(earlier.c.created < zalo_inbox.c.created,
                and_(earlier.c.created == zalo_inbox.c.created, earlier.c.msg_id < zalo_inbox.c.msg_id)))
        query = (select(zalo_inbox).where(zalo_inbox.c.status.in_(LIVE), zalo_inbox.c.next_attempt <= now,
                                          ~waiting_behind)
                 .order_by(zalo_inbox.c.next_attempt).limit(max(1, limit)))
        if msg_id:
            query = query.where(zalo_inbox.c.msg_id == msg_id)
        claimed = []
        with self._tx(write=True) as conn:
            for row in conn.execute(query).all():
                won = conn.execute(update(zalo_inbox).where(
                    zalo_inbox.c.msg_id == row.msg_id, zalo_inbox.c.status.in_(LIVE),
                    zalo_inbox.c.next_attempt == row.next_attempt,
                ).values(status="sending", next_attempt=now + lease_seconds, updated=now)).rowcount
                if won == 1:
                    claimed.append(dict(row._mapping))
        return claimed

    def zalo_progress(self, msg_id: str, reply: str | None = None, sent_parts: int | None = None) -> None:
        """Keep the computed reply and how many of its parts Zalo accepted (a retry resumes there)."""
        values: dict = {"updated": self._clock()}
        if reply is not None:
            values["reply"] = redact(reply)
        if sent_parts is not None:
            values["sent_parts"] = sent_parts
        with self._tx(write=True) as conn:
            conn.execute(update(zalo_inbox).where(zalo_inbox.c.msg_id == msg_id).values(**values))

    def zalo_done(self, msg_id: str) -> None:
        with self._tx(write=True) as conn:
            conn.execute(update(zalo_inbox).where(zalo_inbox.c.msg_id == msg_id)
                         .values(status="done", last_error=None, updated=self._clock()))

    def zalo_retry(self, msg_id: str, error: str, delay: float, give_up_after: float) -> str:
        """Schedule another attempt in `delay` seconds, or mark the message failed once it is older
        than `give_up_after` seconds. Returns the new status."""
        now = self._clock()
        with self._tx(write=True) as conn:
            created = conn.execute(select(zalo_inbox.c.created).where(zalo_inbox.c.msg_id == msg_id)).scalar()
            status = "failed" if created is None or now - created > give_up_after else "pending"
            conn.execute(update(zalo_inbox).where(zalo_inbox.c.msg_id == msg_id).values(
                status=status, attempts=zalo_inbox.c.attempts + 1, next_attempt=now + delay,
                last_error=redact(error)[:500], updated=now))
        return status

    def zalo_fail(self, msg_id: str, error: str) -> None:
        with self._tx(write=True) as conn:
            conn.execute(update(zalo_inbox).where(zalo_inbox.c.msg_id == msg_id).values(
                status="failed", attempts=zalo_inbox.c.attempts + 1, last_error=redact(error)[:500],
                updated=self._clock()))

    def zalo_counts(self) -> dict[str, int]:
        with self._tx() as conn:
            rows = conn.execute(select(zalo_inbox.c.status, func.count()).group_by(zalo_inbox.c.status)).all()
        out = {"pending": 0, "sending": 0, "done": 0, "failed": 0}
        out.update({status: n for status, n in rows})
        return out

    def zalo_messages(self, status: str | None = None, limit: int = 100) -> list[dict]:
        """Stored messages (redacted), newest first: what an operator inspects."""
        c = zalo_inbox.c
        query = select(c.msg_id, c.user_id, c.status, c.attempts, c.sent_parts, c.last_error, c.created, c.updated)
        if status:
            query = query.where(c.status == status)
        with self._tx() as conn:
            return [dict(r._mapping) for r in conn.execute(query.order_by(c.created.desc()).limit(limit))]

    def zalo_requeue_failed(self) -> int:
        """Give failed messages another round of attempts (an operator's decision)."""
        now = self._clock()
        with self._tx(write=True) as conn:
            return conn.execute(update(zalo_inbox).where(zalo_inbox.c.status == "failed")
                                .values(status="pending", next_attempt=now, created=now, updated=now)).rowcount

    # Zalo token ----------------------------------------------------------------------------------
    def zalo_token(self) -> dict | None:
        """{"access_token", "refresh_token", "expires_at"} of the OA, None before the first one."""
        with self._tx() as conn:
            row = conn.execute(select(zalo_token).where(zalo_token.c.id == 1)).first()
        return dict(row._mapping) if row else None

    def seed_zalo_token(self, access_token: str | None, refresh_token: str | None,
                        expires_at: float | None = None) -> None:
        """The first pair (from the environment or an older token file); a stored pair wins, since
        after the first refresh the one in the environment is spent."""
        if not (access_token or refresh_token):
            return
        try:
            with self._tx(write=True) as conn:
                conn.execute(insert(zalo_token).values(id=1, access_token=access_token, refresh_token=refresh_token,
                                                       expires_at=expires_at, updated=self._clock()))
        except IntegrityError:
            pass

    def refresh_zalo_token(self, failed_access_token: str | None,
                           trade: Callable[[str | None], tuple[str, str, float | None]]) -> dict:
        """Single-flight refresh across threads, workers and replicas: lock the token row; when
        another process already replaced `failed_access_token`, return its pair; otherwise call
        `trade(refresh_token) -> (access, refresh, expires_at)` (the HTTP refresh) and store the
        new pair before the lock is released, so the spent refresh token is never used again."""
        with self._tx(write=True) as conn:
            row = conn.execute(select(zalo_token).where(zalo_token.c.id == 1).with_for_update()).first()
            current = dict(row._mapping) if row else {"access_token": None, "refresh_token": None, "expires_at": None}
            if row is not None and current["access_token"] != failed_access_token:
                return current  # refreshed meanwhile by someone else
            access, refresh, expires_at = trade(current["refresh_token"])
            values = {"access_token": access, "refresh_token": refresh, "expires_at": expires_at,
                      "updated": self._clock()}
            if row is None:
                conn.execute(insert(zalo_token).values(id=1, **values))
            else:
                conn.execute(update(zalo_token).where(zalo_token.c.id == 1).values(**values))
        return values

    # retention -----------------------------------------------------------------------------
    def _purge(self, conn: Connection, now: float) -> None:
        if abs(now - self._purged_at) < PURGE_EVERY_SECONDS:
            return
        self._purged_at = now
        cutoff = now - self.retention_seconds
        conn.execute(delete(feedback).where(feedback.c.created < cutoff))
        conn.execute(delete(turns).where(turns.c.created < cutoff))
        conn.execute(delete(conversations).where(conversations.c.updated < cutoff))
