"""PlanAssistant: the default Answerer (understand -> retrieve -> compose [-> checked LLM]).

Models (embedder, optional reranker, optional chat model) are loaded once, when the assistant is
created; `answer` is then cheap enough to serve in-process.
"""
from __future__ import annotations

from dataclasses import replace

from assistant.answer_types import Answer
from assistant.composer import Composer
from assistant.conversation import ConversationStore, InMemoryConversationStore, rewrite
from assistant.llm import GenerativeAnswerer, chat_model
from assistant.retrieval import HybridRetriever, load_reranker
from assistant.understanding import understand


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

    def search(self, query: str, k: int = 8):
        """Fused hits for a free-text query (the search command and the API use this)."""
        return self.retriever.retrieve(understand(query), k=k)

    def answer(self, question: str, history: list[str] | None = None,
               conversation_id: str | None = None) -> Answer:
        if history is None and conversation_id:
            history = self.conversations.get(conversation_id)
        standalone = rewrite(question, history)
        q = understand(standalone)
        if q.intent == "greeting":
            hits = []
        elif q.intent == "target" and not q.provinces and not q.doc_hints:
            # one topic, different figures per province: look in every province, the composer
            # then writes one line per province and plan
            hits = self.retriever.retrieve_per_province(q)
        elif len(q.provinces) > 1:
            # "… ở Hải Dương và Thanh Hóa": search each named province, then merge
            hits = []
            for province in q.provinces:
                hits += self.retriever.retrieve(replace(q, provinces=[province]))
            hits.sort(key=lambda h: (-h.score, h.chunk.id))
        else:
            hits = self.retriever.retrieve(q)
        ans = self.composer.compose(q, hits)
        if self.generator is not None and not ans.abstained and ans.citations:
            ans = self.generator.generate(standalone, ans.citations, ans)
        ans.question = question
        ans.standalone_question = standalone
        if conversation_id:
            self.conversations.append(conversation_id, question)
        return ans
