"""Answering benchmark on a question file (default ../shared/eval/dev.jsonl), in-process.

    python bench/ask.py [FILE] [--no-baseline] [--calibrate]

Prints, in one run:
- retrieval: doc recall@k and answer recall@k (all `must` groups inside the top-k chunk texts)
  for weighted fusion at several dense weights and for RRF;
- the assistant's score (as `python -m assistant eval`) and per-question latency p50/p95;
- --calibrate: accuracy of the composer over a grid of abstention thresholds;
- the naive baseline: LangChain RecursiveCharacterTextSplitter 1000/200 chunks, the same
  embeddings, top-3 chunks returned as the answer, graded the same way.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.answer_types import Answer, AnswerCitation  # noqa: E402
from assistant.evaluation import contains, evaluate, load_questions, percentile, score_item  # noqa: E402


def retrieval_table(bot, items, ks=(3, 5, 8)) -> list[str]:
    from assistant.conversation import rewrite
    from assistant.understanding import understand

    configs = [("weighted", w) for w in (0.3, 0.4, 0.5, 0.6, 0.7)] + [("rrf", 0.0)]
    answerable = [i for i in items if not i.get("abstain")]
    lines = ["fusion           " + "  ".join(f"doc@{k} ans@{k}" for k in ks)]
    r = bot.retriever
    saved = (r.fusion, r.weight)
    for fusion, w in configs:
        r.fusion, r.weight = fusion, w
        doc_hits = {k: 0 for k in ks}
        ans_hits = {k: 0 for k in ks}
        for it in answerable:
            q = understand(rewrite(it["q"], it.get("history")))
            hits = r.retrieve(q, k=max(ks))
            for k in ks:
                top = hits[:k]
                doc_hits[k] += any(h.chunk.doc_id in it["docs"] for h in top)
                text = " ".join(h.chunk.text for h in top)
                ans_hits[k] += all(any(contains(text, a) for a in g) for g in it["must"])
        n = len(answerable)
        name = f"{fusion}" + (f" w={w}" if fusion == "weighted" else "")
        lines.append(f"{name:<16} " + "  ".join(f"{doc_hits[k] / n:.2f}  {ans_hits[k] / n:.2f} " for k in ks))
    r.fusion, r.weight = saved
    return lines


def calibrate(bot, items, grid=None) -> list[str]:
    from assistant.conversation import rewrite
    from assistant.understanding import understand

    grid = grid or [round(0.05 * i, 2) for i in range(2, 19)]
    prepared = []
    for it in items:
        q = understand(rewrite(it["q"], it.get("history")))
        prepared.append((it, q, bot.retriever.retrieve(q)))
    saved = bot.composer.threshold
    lines = []
    for t in grid:
        bot.composer.threshold = t
        res = [score_item(it, bot.composer.compose(q, hits)) for it, q, hits in prepared]
        ok = sum(r.correct for r in res)
        abst = sum(r.abstain_ok for r in res)
        lines.append(f"threshold {t:.2f}: correct {ok}/{len(res)}  abstention right {abst}/{len(res)}")
    bot.composer.threshold = saved
    return lines


class NaiveRag:
    """RecursiveCharacterTextSplitter 1000/200 + the same embeddings; top-3 chunks are the answer."""

    def __init__(self, settings, embedder):
        import numpy as np
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        from ingest.pipeline import corpus_files, parse_file

        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
        self.chunks: list[tuple[str, str]] = []
        for path in corpus_files(settings.plans_dir):
            text = parse_file(path).source_text
            self.chunks += [(path.stem, c) for c in splitter.split_text(text)]
        self.embedder = embedder
        self.matrix = np.array(embedder.embed_documents([c for _, c in self.chunks]), dtype="float32")

    def answer(self, question: str, history=None) -> Answer:
        import numpy as np

        q = " ".join([*(history or []), question])
        v = np.array(self.embedder.embed_query(q), dtype="float32")
        top = np.argsort(-(self.matrix @ v))[:3]
        cits = [AnswerCitation(n + 1, self.chunks[i][0], "", "", self.chunks[i][1][:80], 0, 0) for n, i in enumerate(top)]
        text = "\n\n".join(self.chunks[i][1] for i in top)
        return Answer(question=question, answer=text, abstained=False, language="vi", intent="general", citations=cits)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", nargs="?", default=str(ROOT.parent / "shared" / "eval" / "dev.jsonl"))
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--calibrate", action="store_true")
    args = ap.parse_args(argv)

    from assistant.assistant import PlanAssistant
    from assistant.settings import Settings

    settings = Settings()
    items = load_questions(args.file)
    t0 = time.perf_counter()
    bot = PlanAssistant(settings)
    print(f"load: {(time.perf_counter() - t0) * 1000:.0f} ms")
    bot.answer("Mục tiêu chuyển đổi số là gì?")  # warm-up (loads models), not a question of the set
    # latency first: later passes hit the query-embedding cache of the index
    report = evaluate(bot, items)
    print("assistant:")
    print(report.format())
    lat = [i.latency_ms for i in report.items]
    print(f"latency per question: p50 {percentile(lat, 50):.1f} ms  p95 {percentile(lat, 95):.1f} ms  max {max(lat):.1f} ms")
    print("\n".join(retrieval_table(bot, items)))
    if args.calibrate:
        print("\n".join(calibrate(bot, items)))
    if not args.no_baseline:
        base = NaiveRag(settings, bot.index.embedder)
        rep = evaluate(base, items)
        print("naive baseline (recursive 1000/200, top-3 chunks as the answer):")
        print(rep.format())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
