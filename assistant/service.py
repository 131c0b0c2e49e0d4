"""What a running service holds (the web app and the Zalo bot share it): settings, the served index generation, the app store.

The index may be missing at start (nothing ingested yet): the app still starts, /readyz says 503
and index-backed routes answer IndexNotReady until an ingest builds it.

Index versions change under a running server (a CLI ingest, another replica's admin upload, this
server's own upload). `refresh()` notices a new CURRENT, opens it beside the old one and swaps
between requests: each request pins the generation it started with (`pin()`, done by
GenerationMiddleware), and a retired generation is closed, releasing its files and its lease,
once the last request using it ends. Components passed to `create_app` are served as given.
"""
from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from assistant.answer_cache import AnswerCache, cache_key
from assistant.answer_types import Answer, Answerer
from assistant.errors import AssistantError, EmbedderMismatch, IndexNotReady
from assistant.settings import Settings
from assistant.storage import AppStore

log = logging.getLogger("assistant.api")


@dataclass
class AskResult:
    answer: Answer
    answer_id: str
    conversation_id: str
    cached: bool = False  # served from the answer cache

    def to_json(self) -> dict:
        return self.answer.to_json(id=self.answer_id) | {"conversation_id": self.conversation_id}


class Generation:
    """One opened index version and the answerer over it, with the count of requests using it."""

    def __init__(self, settings: Settings, index, assistant: Answerer | None, owned: bool):
        self.settings = settings
        self.index = index
        self.version = getattr(index, "version", None)
        self._assistant = assistant
        self.owned = owned  # opened by the app (closed when retired), not injected
        self.users = 0
        self.retired = False
        self.warmed = False
        self._lock = threading.Lock()

    @property
    def assistant(self) -> Answerer:
        if self._assistant is None:
            with self._lock:
                if self._assistant is None:
                    from assistant.assistant import PlanAssistant

                    self._assistant = PlanAssistant(self.settings, self.index)
        return self._assistant

    def warm(self) -> None:
        """Build the answerer and let it load what its first question would wait for (once)."""
        if self.warmed:
            return
        warm = getattr(self.assistant, "warm", None)
        if callable(warm):
            warm()
        self.warmed = True

    def close(self) -> None:
        if self.owned and hasattr(self.index, "close"):
            self.index.close()
        self._assistant = None


class AppState:
    def __init__(self, settings: Settings, assistant: Answerer | None = None, index=None,
                 store: AppStore | None = None):
        self.settings = settings
        self._own_index = index is None
        self._injected_assistant = assistant
        self._gen: Generation | None = None
        if index is not None:
            self._gen = Generation(settings, index, assistant, owned=False)
        self._pinned: contextvars.ContextVar[Generation | None] = contextvars.ContextVar(
            f"generation-{id(self)}", default=None)
        self.store = store or AppStore(settings.app_database, settings.retention_days)
        self._answering = threading.BoundedSemaphore(max(1, settings.answer_concurrency))
        self.cache = AnswerCache(settings.answer_cache_size, settings.answer_cache_seconds, settings.redis_url)
        self._lock = threading.Lock()  # swaps and reference counts
        self._open_lock = threading.Lock()  # one index opened at a time
        self._checked = 0.0
        self.ingest_lock = asyncio.Lock()  # one admin upload-and-build at a time
        self.load_error: str | None = None

    # generations ---------------------------------------------------------------------------
    def load(self) -> None:
        """Open the current index if none is served yet; a missing index is not fatal."""
        if self._gen is None:
            self.refresh(force=True)

    def refresh(self, force: bool = False) -> bool:
        """Serve the newest built version if it changed (looked at most every
        `index_watch_seconds` unless forced); True when a new generation was swapped in."""
        if not self._own_index:
            return False
        now = time.monotonic()
        if not force and now - self._checked < self.settings.index_watch_seconds:
            return False
        from vectorstore.index import PlanIndex
        from vectorstore.versions import current_version

        with self._open_lock:
            self._checked = time.monotonic()
            current = self._gen
            if current is not None:
                current.index.lease.touch()
            version = current_version(Path(self.settings.index_dir))
            if version is None or (current is not None and current.version == version):
                return False
            try:
                embedder = current.index.embedder if current is not None else None
                try:
                    index = PlanIndex.open(self.settings, embedder=embedder)
                except EmbedderMismatch:
                    if embedder is None:
                        raise
                    index = PlanIndex.open(self.settings)  # rebuilt with another model
            except AssistantError as exc:  # IndexNotReady, EmbedderMismatch: keep what is served
                self.load_error = exc.message
                log.warning("index %s not opened: %s", version, exc.message)
                return False
            self.load_error = None
            gen = Generation(self.settings, index, self._injected_assistant, owned=True)
            try:  # warmed before it is served: requests stay on the old version meanwhile
                gen.warm()
            except Exception:  # a warm-up failure is not a reason to keep serving the old version
                log.exception("warm-up of index %s failed", index.version)
            self._swap(gen)
            log.info("serving index version %s", index.version)
            return True

    def _swap(self, new: Generation) -> None:
        with self._lock:
            old, self._gen = self._gen, new
            if old is not None:
                old.retired = True
                idle = old.users == 0
        if old is not None and idle:
            old.close()

    @contextlib.contextmanager
    def pin(self):
        """Hold the served generation for the duration of a request (None when nothing is built);
        nested pins keep the outer one, so a request sees one version from start to end."""
        outer = self._pinned.get()
        if outer is not None:
            yield outer
            return
        with self._lock:
            gen = self._gen
            if gen is not None:
                gen.users += 1
        if gen is not None and gen.owned:
            gen.index.lease.touch()  # cheap unless a minute passed: the version stays ours
        token = self._pinned.set(gen)
        try:
            yield gen
        finally:
            self._pinned.reset(token)
            if gen is not None:
                with self._lock:
                    gen.users -= 1
                    idle = gen.retired and gen.users == 0
                if idle:
                    gen.close()

    def close(self) -> None:
        """At shutdown: let go of an index the app opened (injected components stay served)."""
        with self._lock:
            gen = self._gen
            if gen is None or not gen.owned:
                return
            self._gen = None
        gen.close()

    def _generation(self) -> Generation:
        gen = self._pinned.get() or self._gen
        if gen is None:
            self.load()
            gen = self._gen
        if gen is None:
            raise IndexNotReady(self.load_error or
                                "The index is not built yet: run `python -m assistant ingest`.")
        return gen

    def warm(self) -> None:
        """Load what the first question would otherwise wait for (a generation opened by
        `refresh` is warmed there; an injected one here): a worker starts taking requests warm."""
        try:
            gen = self._generation()
        except AssistantError:
            return
        gen.warm()

    @property
    def ready(self) -> bool:
        return self._gen is not None

    @property
    def version(self) -> str | None:
        """The index version served to new requests."""
        gen = self._gen
        return gen.version if gen is not None else None

    @property
    def index(self):
        return self._generation().index

    @property
    def assistant(self):
        return self._generation().assistant

    # conversations -------------------------------------------------------------------------
    def ask(self, question: str, history: list[str] | None = None,
            conversation_id: str | None = None, channel: str = "web") -> AskResult:
        """Answer with server-side follow-ups: the stored turns of `conversation_id` are the
        history unless the caller sends its own. Unknown ids start a fresh conversation (an
        expired id from a browser's storage should not be an error)."""
        store = self.store
        if conversation_id and (channel != "web" or store.exists(conversation_id)):
            if history is None:
                history = store.history(conversation_id)
        else:
            conversation_id = store.new_conversation_id()
        with self.pin():
            gen = self._generation()
            key = cache_key(gen.version, question, history)
            cached = self.cache.get(key)
            if cached is not None:
                answer = Answer.from_json(cached)
            else:
                with self._answering:  # a few at a time: twenty threads fighting for the GIL finish later
                    answer = gen.assistant.answer(question, history or [])
                self.cache.put(key, answer.to_json())
        answer_id = uuid.uuid4().hex
        payload = answer.to_json(id=answer_id)
        store.add_turn(conversation_id, answer_id, question, answer.answer,
                       abstained=answer.abstained, citations=payload["citations"], channel=channel)
        return AskResult(answer, answer_id, conversation_id, cached=cached is not None)
