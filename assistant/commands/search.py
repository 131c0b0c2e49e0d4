"""`python -m assistant search "…"`: ranked chunks with dense, lexical and fused scores."""
from __future__ import annotations

import json


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "search", help="search the index (hybrid: dense + lexical), print ranked chunks",
        description="Search indexed chunks with the dense (Chroma) and lexical (BM25) legs and a "
                    "weighted fusion of their normalized scores. Accentless and abbreviated "
                    "queries work (\"chu ky so\", \"Sở TT&TT\").")
    p.add_argument("query", help="the search text")
    p.add_argument("--k", type=int, default=10, help="number of results (default 10)")
    p.add_argument("--doc", default=None, metavar="ID", help="only this document (doc_id = file stem)")
    p.add_argument("--province", default=None, metavar="P", help="only this province (accents optional)")
    p.add_argument("--leg", choices=["fused", "dense", "lexical"], default="fused",
                   help="which ranking to show (default fused)")
    p.add_argument("--json", action="store_true", help="print JSON lines, one hit per line")
    p.set_defaults(func=run)


def run(args, settings) -> int:
    from assistant.assistant import PlanAssistant

    assistant = PlanAssistant(settings)
    if args.leg == "fused":  # the assistant's own ranking: what answering reads
        hits = assistant.search(args.query, k=args.k, doc_ids=[args.doc] if args.doc else None,
                                province=args.province)
    else:
        where = {"doc_id": args.doc, "province": args.province}
        leg = {"dense": assistant.index.search_dense, "lexical": assistant.index.search_lexical}[args.leg]
        hits = leg(args.query, k=args.k, where=where)
    for n, h in enumerate(hits, 1):
        c = h.chunk
        if args.json:
            print(json.dumps({"rank": n, **h.to_dict()}, ensure_ascii=False))
            continue
        scores = " ".join(f"{k}={v:.3f}" for k, v in h.scores.items())
        print(f"{n:>2}. [{scores}] {c.doc_id} › {c.section or '(đầu văn bản)'}  ({c.kind}, {c.start}-{c.end})")
        print("    " + " ".join(c.text.split())[:300])
    if not hits and not args.json:
        print("no results")
    return 0
