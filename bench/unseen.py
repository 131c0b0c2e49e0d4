"""Generalization check on plans this project was not developed on (bench/unseen): real public
documents of other issuers and layouts (a Government resolution, a National Assembly Party
delegation plan, a Politburo resolution, a Government Party office letter, provincial, district
and news pages), and naturally phrased questions about the sample plans.

Each part is indexed beside the sample plans *without* catalog entries (metadata from the headers),
then its questions are scored like the dev set:

    python bench/unseen.py                 # both parts, documents and natural questions
    python bench/unseen.py --part dev      # one part

The "round 1" sets were written from the texts before the assistant was run on them; their scores
before and after the issue-8 work are in the issue note. A part that has been developed on is no
longer unseen: write a fresh set for the next honest measurement.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HERE = Path(__file__).resolve().parent / "unseen"


# The documents of a part are indexed beside the sample plans; its question files are scored there.
# Round 2 (issue 19): five 2025 documents of other issuers and layouts, and 100 natural questions
# on the sample plans, written blind by helpers that read only the plan texts; each file split in
# halves by a hash of the question id: develop on *_dev, keep *_holdout unread.
QUESTION_FILES = {
    "dev": ["docs_round1_dev.jsonl", "natural_round1_dev.jsonl"],
    "holdout": ["docs_round1_holdout.jsonl", "natural_round1_holdout.jsonl"],
    "round2": ["docs_round2_dev.jsonl", "natural_round2_dev.jsonl", "docs_round2_holdout.jsonl",
               "natural_round2_holdout.jsonl"],
}


def run_part(part: str, cache: Path) -> None:
    from assistant.assistant import PlanAssistant
    from assistant.evaluation import evaluate, load_questions
    from assistant.settings import Settings
    from vectorstore.build import build_index

    sources = [e for e in json.loads((HERE / "sources.json").read_text(encoding="utf-8")) if e["part"] == part]
    with tempfile.TemporaryDirectory() as tmp:
        plans = Path(tmp) / "plans"
        shutil.copytree(ROOT / "data" / "plans", plans)
        for e in sources:
            shutil.copy(HERE / "docs" / e["file"], plans / e["file"])
        settings = Settings(plans_dir=plans, catalog=plans / "catalog.json", index_dir=Path(tmp) / "index",
                            embed_cache=cache, db_path=Path(tmp) / "app.sqlite")
        t0 = time.monotonic()
        summary = build_index(settings)
        print(f"[{part}] indexed {summary.documents} documents, {summary.chunks} chunks in {time.monotonic() - t0:.1f} s")
        bot = PlanAssistant(settings)
        for name in QUESTION_FILES[part]:
            report = evaluate(bot, load_questions(HERE / name))
            failed = [i.id for i in report.items if not i.correct] if "holdout" not in name else ["(unread)"]
            print(f"[{part}] {name}: {sum(i.correct for i in report.items)}/{len(report.items)} "
                  f"({report.overall:.3f}), p50 {report.latency(50):.0f} ms, p95 {report.latency(95):.0f} ms")
            print(f"    failed: {', '.join(failed) or '-'}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--part", choices=["dev", "holdout", "round2", "all"], default="all")
    ap.add_argument("--cache", type=Path, default=ROOT / "var" / "index" / "embed-cache.sqlite",
                    help="embedding cache shared with the main index (vectors of the sample plans)")
    args = ap.parse_args()
    for part in (list(QUESTION_FILES) if args.part == "all" else [args.part]):
        run_part(part, args.cache)


if __name__ == "__main__":
    main()
