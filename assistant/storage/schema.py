"""The app database's tables and their migrations, one definition for SQLite and PostgreSQL.

Migrations are numbered steps recorded in `schema_migrations`; `migrate(engine)` applies the
missing ones in order, each in its own transaction, under a lock so that replicas starting
together do not race (an advisory lock on PostgreSQL; SQLite's write lock). Add a step at the end
of MIGRATIONS, never edit one that has shipped.
"""
from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy import (Column, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text,
                        CheckConstraint, text)
from sqlalchemy.engine import Connection, Engine

metadata = MetaData()

conversations = Table(
    "conversations", metadata,
    Column("id", String(200), primary_key=True),
    Column("channel", String(32), nullable=False),
    Column("created", Float, nullable=False),
    Column("updated", Float, nullable=False),
)

turns = Table(
    "turns", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conversation_id", String(200), ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False),
    Column("answer_id", String(64), nullable=False, unique=True),
    Column("question", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("abstained", Integer, nullable=False),
    Column("citations", Text, nullable=False),
    Column("created", Float, nullable=False),
    Index("turns_conv", "conversation_id", "id"),
)

feedback = Table(
    "feedback", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("answer_id", String(64)),
    Column("conversation_id", String(200)),
    Column("rating", String(8), CheckConstraint("rating IN ('up', 'down')"), nullable=False),
    Column("comment", Text),
    Column("created", Float, nullable=False),
)

zalo_inbox = Table(
    "zalo_inbox", metadata,
    Column("msg_id", String(200), primary_key=True),
    Column("user_id", String(200), nullable=False),
    Column("text", Text, nullable=False),
    Column("reply", Text),
    Column("sent_parts", Integer, nullable=False, server_default=text("0")),
    Column("status", String(16), CheckConstraint("status IN ('pending', 'sending', 'done', 'failed')"),
           nullable=False, server_default=text("'pending'")),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("next_attempt", Float, nullable=False),
    Column("last_error", Text),
    Column("created", Float, nullable=False),
    Column("updated", Float, nullable=False),
    Index("zalo_inbox_due", "status", "next_attempt"),
)

# One row (id = 1): the OA token pair. Zalo's refresh token is single-use, so every replica reads
# and refreshes it here, one at a time (see AppStore.refresh_zalo_token).
zalo_token = Table(
    "zalo_token", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("access_token", Text),
    Column("refresh_token", Text),
    Column("expires_at", Float),
    Column("updated", Float, nullable=False),
)

schema_migrations = Table(
    "schema_migrations", metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("description", Text, nullable=False),
    Column("applied", Float, nullable=False),
)


def _create(*tables: Table) -> Callable[[Connection], None]:
    def step(conn: Connection) -> None:
        for table in tables:
            table.create(conn, checkfirst=True)  # a database from before migrations has them already
    return step


MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "conversations, turns, feedback, zalo_inbox", _create(conversations, turns, feedback, zalo_inbox)),
    (2, "zalo_token: the OA token pair shared by every replica", _create(zalo_token)),
    (3, "zalo_inbox_user: a user's earlier messages are found quickly",
     lambda conn: conn.execute(text("CREATE INDEX IF NOT EXISTS zalo_inbox_user ON zalo_inbox (user_id, created)"))),
    (4, "indexes for the retention purge", lambda conn: [conn.execute(text(sql)) for sql in (
        "CREATE INDEX IF NOT EXISTS turns_created ON turns (created)",
        "CREATE INDEX IF NOT EXISTS conversations_updated ON conversations (updated)",
        "CREATE INDEX IF NOT EXISTS feedback_created ON feedback (created)",
        "CREATE INDEX IF NOT EXISTS zalo_inbox_updated ON zalo_inbox (status, updated)")]),
]

_LOCK_KEY = 7_401_202  # PostgreSQL advisory lock held while migrating


def migrate(engine: Engine) -> int:
    """Apply the missing migrations; returns the schema version."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
        schema_migrations.create(conn, checkfirst=True)
        done = {row[0] for row in conn.execute(schema_migrations.select().with_only_columns(schema_migrations.c.version))}
        for version, description, step in MIGRATIONS:
            if version in done:
                continue
            step(conn)
            conn.execute(schema_migrations.insert().values(version=version, description=description,
                                                           applied=time.time()))
    return MIGRATIONS[-1][0]
