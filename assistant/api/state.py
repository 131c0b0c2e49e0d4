"""What the running app holds: settings, the index, the answerer, the app store.

The index may be missing at start (nothing ingested yet): the app still starts, /readyz says 503
and index-backed routes answer IndexNotReady until an admin ingest builds it. Components passed
to `create_app` are used as given; components the app creates itself are re-created after an
ingest so the new build is served.
"""
from __future__ import annotations

import asyncio
import logging
import threading
import uuid
from dataclasses import dataclass

from assistant.answer_types import Answer, Answerer
from assistant.errors import AssistantError, IndexNotReady
from assistant.settings import Settings
from assistant.storage import AppStore

log = logging.getLogger("assistant.api")


@dataclass
class AskResult:
    answer: Answer
    answer_id: str
    conversation_id: str

    def to_json(self) -> dict:
        return self.answer.to_json(id=self.answer_id) | {"conversation_id": self.conversation_id}


class AppState:
    def __init__(self, settings: Settings, assistant: Answerer | None = None, index=None,
                 store: AppStore | None = None):
        self.settings = settings
        self._own_index = index is None
        self._own_assistant = assistant is None
        self._index = index
        self._assistant = assistant
        self.store = store or AppStore(settings.app_db_path, settings.retention_days)
        self._lock = threading.Lock()
        self.ingest_lock = asyncio.Lock()  # one admin upload-and-build at a time
        self.load_error: str | None = None

    # components ----------------------------------------------------------------------------
    def load(self) -> None:
        """Open the index (if not injected); a missing index is not fatal."""
        if self._index is not None or not self._own_index:
            return
        from vectorstore.index import PlanIndex

        try:
            self._index = PlanIndex.open(self.settings)
            self.load_error = None
        except AssistantError as exc:  # IndexNotReady, EmbedderMismatch: serve, but not ready
            self.load_error = exc.message
            log.warning("index not ready: %s", exc.message)

    def reload(self) -> None:
        """After an ingest: reopen the index and rebuild the answerer we own."""
        with self._lock:
            if self._own_index:
                self._index = None
                self.load()
            if self._own_assistant:
                self._assistant = None

    @property
    def ready(self) -> bool:
        return self._index is not None

    @property
    def index(self):
        if self._index is None:
            self.load()
        if self._index is None:
            raise IndexNotReady(self.load_error or
                                "The index is not built yet: run `python -m assistant ingest`.")
        return self._index

    @property
    def assistant(self):
        if self._assistant is None:
            with self._lock:
                if self._assistant is None:
                    from assistant.assistant import PlanAssistant

                    self._assistant = PlanAssistant(self.settings, self.index)
        return self._assistant

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
        answer = self.assistant.answer(question, history or [])
        answer_id = uuid.uuid4().hex
        payload = answer.to_json(id=answer_id)
        store.add_turn(conversation_id, answer_id, question, answer.answer,
                       abstained=answer.abstained, citations=payload["citations"], channel=channel)
        return AskResult(answer, answer_id, conversation_id)
