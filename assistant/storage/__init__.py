"""The app database (conversations, feedback, the Zalo inbox and token): SQLite by default,
PostgreSQL with ASSISTANT_DATABASE_URL. See store.py; tables and migrations in schema.py."""
from assistant.storage.store import MAX_HISTORY, AppStore, database_url

__all__ = ["AppStore", "MAX_HISTORY", "database_url"]
