"""PlanAssistant: the default Answerer (understand -> retrieve -> compose [-> checked LLM]).

Models (embedder, optional reranker, optional chat model) are loaded once, when the assistant is
created; `answer` is then cheap enough to serve in-process.
"""
from __future__ import annotations

from dataclasses import replace

from assistant.answer_types import Answer, merge_answers, with_context
from assistant.answers import Composer
from assistant.answers.records import Rec
from assistant.conversation import (ConversationStore, InMemoryConversationStore, agency_reference, latest_full,
                                    rewrite, with_agency)
from assistant.glossary import expand_province_initials
from assistant.llm import GenerativeAnswerer, chat_model
from assistant.retrieval import HybridRetriever, load_reranker
from assistant.understanding import split_compound, understand


# Questions of every kind, asked once at start: the first real question then finds every model,
# word segmenter, lookup table and per-document cache already loaded (no sample plan named).
WARM_UP_QUESTIONS = (
    "Ai chủ trì triển khai nền tảng chuyển đổi số?",
    "Chỉ tiêu năm 2025 về dịch vụ công trực tuyến là bao nhiêu?",
    "Sở Thông tin và Truyền thông chủ trì những nhiệm vụ nào?",
    "nhung nhiem vu nao den han nam 2025",
    "What is the 2030 target for the digital economy?",
)


class PlanAssistant:
    """Answers questions about the indexed plans, with citations, or abstains."""

    def __init__(self, settings, index=None, conversations: ConversationStore | None = None,
                 fusion: str = "weighted", weight: float = 0.5, threshold: float | None = None):
        if index is None:
            from vectorstore.index import PlanIndex

            index = PlanIndex.open(settings)
        self.settings = settings
        self.index = index
        self.retriever = HybridRetriever(index=index, fusion=fusion, weight=weight,
                                         reranker=load_reranker(settings.reranker))
        self.composer = Composer(index) if threshold is None else Composer(index, threshold)
        model = chat_model(settings)
        self.generator = GenerativeAnswerer(model) if model is not None else None
        self.conversations = conversations or InMemoryConversationStore()

    def understand(self, question: str):
        """Read a question with the agency names this index holds; English words the glossary does
        not translate go over the index's term bridge to the plans' own terms."""
        q = understand(question, self.composer.corpus.agencies)
        bank = getattr(self.index, "termbank", None)
        if q.language == "en" and q.foreign and bank is not None:
            bridged = bank.translate(q.foreign, self.index.embedder)
            extra = [t[0] for t in bridged.values() if t and t[0] not in q.expansions]
            q = replace(q, bridged=bridged, expansions=[*q.expansions, *extra])
        return q

    def with_places(self, text: str) -> str:
        """Province initials written out when one province the index holds has them ("KH CĐS TH")."""
        return expand_province_initials(text, list(self.composer.corpus.provinces().values()))

    def search(self, query: str, k: int = 8, doc_ids: list[str] | None = None,
               province: str | None = None):
        """Fused hits for a free-text query, optionally within documents or one province (the
        search command uses this: it ranks exactly as answering does)."""
        q = self.understand(query)
        if province:
            q = replace(q, provinces=[province])
        return self._retrieve(q, doc_ids=doc_ids, k=k)

    def _retrieve(self, q, doc_ids: list[str] | None = None, groups: list[list[str]] | None = None,
                  k: int | None = None):
        docs = self.retriever.invoke(q.text, question=q, doc_ids=doc_ids, groups=groups, k=k)
        return self.retriever.hits(docs)

    def answer(self, question: str, history: list[str] | None = None,
               conversation_id: str | None = None) -> Answer:
        if history is None and conversation_id:
            history = self.conversations.get(conversation_id)
        asked = question
        question = self.with_places(question)
        history = [self.with_places(h) for h in history] if history else history
        standalone = self._resolve_agency(question, history) or rewrite(question, history)
        parts = split_compound(standalone)
        if len(parts) > 1:  # "… chiếm bao nhiêu % GRDP, DVC mức độ 4 đạt bao nhiêu?": answer each part
            ans = merge_answers([self._answer_one(p) for p in with_context(parts, self.understand(standalone))])
        else:
            ans = self._answer_one(standalone)
        if self.generator is not None and not ans.abstained and ans.citations:
            ans = self.generator.generate(standalone, ans.citations, ans)
        ans.question = asked
        ans.standalone_question = standalone
        if conversation_id:
            self.conversations.append(conversation_id, asked)
        return ans

    def _resolve_agency(self, question: str, history: list[str] | None) -> str | None:
        """"Sở đó còn chủ trì những nhiệm vụ nào khác?": the agency is named only in the previous
        answer, so that answer is worked out again (the earlier questions are all a conversation
        keeps) and its lead takes the place of "sở đó"."""
        span = agency_reference(question) if history else None
        if span is None:
            return None
        i = latest_full(history)
        if i is None:
            return None
        earlier = rewrite(history[i], history[:i])
        leads = [lead for rec in self._answer_one(earlier).records for lead in Rec.of(rec).leads]
        if not leads:
            return None
        return with_agency(question, span, leads[0], earlier)

    def warm(self) -> None:
        """Answer the warm-up questions (without the chat model): what a question needs is loaded
        before the first user waits for it."""
        for question in WARM_UP_QUESTIONS:
            self._answer_one(question)

    def _answer_one(self, question: str) -> Answer:
        q = self.understand(question)
        scope = self.composer.scope(q)
        return self.composer.compose(q, self.retrieve(q, scope), scope)

    def retrieve(self, q, scope):
        """Passages for a question: within the documents it names; per jurisdiction when one topic
        has different figures or owners in different plans; per named province when it names several."""
        if q.intent == "greeting":
            return []
        if scope.doc_ids:
            return self._retrieve(q, doc_ids=scope.doc_ids)
        if q.intent in ("target", "owner", "deadline") and not q.provinces:
            return self._retrieve(q, groups=self.composer.corpus.scope_groups())
        if len(q.provinces) > 1:  # "… ở tỉnh A và tỉnh B": search each named province, then merge
            hits = []
            for province in q.provinces:
                hits += self._retrieve(replace(q, provinces=[province]))
            hits.sort(key=lambda h: (-h.score, h.chunk.id))
            return hits
        return self._retrieve(q)
