"""`inspect`: look at what ingest extracts, straight from the plan files (no index needed).

    python -m assistant inspect records [--kind task|target|project|assignment] [--doc ID]
                                        [--agency NAME] [--dir PATH] [--json]
    python -m assistant inspect sections --doc ID [--dir PATH] [--json]
"""
from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path

from assistant.errors import NotFound

KINDS = ("task", "target", "project", "assignment")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "inspect", help="show records or the section tree that ingest extracts from the plans",
        description="Parse the plan files (no index needed) and show what ingest extracts.")
    sub = p.add_subparsers(dest="what", metavar="WHAT")
    p.set_defaults(func=lambda args, settings: (p.print_help(), 1)[1])

    r = sub.add_parser("records", help="tasks, targets, projects and assignments, filtered",
                       description="List extracted records as a table or as JSON lines.")
    r.add_argument("--kind", choices=KINDS, help="only records of this kind")
    r.add_argument("--doc", metavar="ID", help="only this document (file stem)")
    r.add_argument("--agency", metavar="NAME",
                   help="only records this agency leads, owns or partners (abbreviations and "
                        "accentless spellings work: 'so tt&tt')")
    r.add_argument("--dir", type=Path, metavar="PATH", help="plans folder (default: settings.plans_dir)")
    r.add_argument("--json", action="store_true", help="one JSON object per line")
    r.set_defaults(func=run_records)

    s = sub.add_parser("sections", help="the section tree of one document",
                       description="Print the section tree of one document.")
    s.add_argument("--doc", metavar="ID", required=True, help="document id (file stem)")
    s.add_argument("--dir", type=Path, metavar="PATH", help="plans folder (default: settings.plans_dir)")
    s.add_argument("--json", action="store_true", help="one JSON object per section")
    s.set_defaults(func=run_sections)


def _docs(args, settings):
    from ingest.pipeline import parse_corpus

    folder = args.dir or settings.plans_dir
    docs, errors = parse_corpus(folder)
    for err in errors:
        print(f"warning: {err.message}", file=sys.stderr)
    if getattr(args, "doc", None):
        docs = [d for d in docs if d.doc_id == args.doc]
        if not docs:
            raise NotFound(f"no document '{args.doc}' in {folder}; run `python -m assistant inspect "
                           f"records` to see the document ids")
    return docs


def _owners(rec) -> list[str]:
    if rec.kind == "task":
        return [*rec.lead, *rec.partners]
    if rec.kind == "target":
        return [*rec.owners, *rec.partners]
    if rec.kind == "project":
        return list(rec.owner)
    return [rec.agency]


def agency_matcher(name: str):
    """Predicate on a list of agency names: canonical/alias match, accent-insensitive."""
    from ingest.agencies import agency_aliases, canonical_agency
    from ingest.normalize import fold

    canon = canonical_agency(name)
    keys = {fold(k) for k in [name, canon, *agency_aliases(canon)] if k}

    def match(names: list[str]) -> bool:
        for n in names:
            fn = fold(n)
            if fn in keys or fold(canonical_agency(n)) in keys or any(len(k) >= 6 and k in fn for k in keys):
                return True
        return False

    return match


def record_row(doc_id: str, rec) -> dict:
    """All record fields plus doc_id, kind, section, start, end (JSON-ready)."""
    from ingest.records import record_to_dict

    d = record_to_dict(rec)
    d["doc_id"] = doc_id
    d["kind"] = rec.kind
    d.setdefault("section", "; ".join(getattr(rec, "section_paths", [])))
    return d


def _summary(rec) -> tuple[str, str, str]:
    if rec.kind == "task":
        return rec.text, ", ".join(rec.lead), rec.timeframe or ""
    if rec.kind == "target":
        vals = ", ".join(f"{k}: {v}" for k, v in rec.values.items())
        return rec.indicator, ", ".join(rec.owners), vals
    if rec.kind == "project":
        return rec.name, ", ".join(rec.owner), ""
    return rec.sentence, rec.agency, f"{rec.role} → " + "; ".join(p.split(" › ")[-1] for p in rec.section_paths)


def _cut(s: str, n: int) -> str:
    s = " ".join(str(s).split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _pipe_safe(fn):
    """Stop quietly when the reader goes away (`… | head`)."""
    @functools.wraps(fn)
    def wrapper(args, settings) -> int:
        try:
            return fn(args, settings)
        except BrokenPipeError:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
    return wrapper


@_pipe_safe
def run_records(args, settings) -> int:
    match = agency_matcher(args.agency) if args.agency else None
    out = sys.stdout
    rows = 0
    for doc in _docs(args, settings):
        for rec in doc.records:
            if args.kind and rec.kind != args.kind:
                continue
            if match and not match(_owners(rec)):
                continue
            rows += 1
            if args.json:
                out.write(json.dumps(record_row(doc.doc_id, rec), ensure_ascii=False) + "\n")
                continue
            text, lead, extra = _summary(rec)
            section = getattr(rec, "section", "") or "; ".join(getattr(rec, "section_paths", []))
            out.write(f"{rec.kind:<10} {_cut(doc.doc_id, 28):<28} {(getattr(rec, 'row', None) or '-'):<5} "
                      f"{_cut(section.split(' › ')[-1] if section else '', 28):<28} {_cut(text, 60):<60} "
                      f"{_cut(lead, 36):<36} {_cut(extra, 40)}\n")
    if not args.json:
        print(f"{rows} record(s)", file=sys.stderr)
    return 0


@_pipe_safe
def run_sections(args, settings) -> int:
    (doc,) = _docs(args, settings)
    for s in doc.sections:
        if args.json:
            row = {k: getattr(s, k) for k in ("id", "number", "title", "kind", "level", "path",
                                               "parent_id", "start", "end", "children")}
            print(json.dumps({"doc_id": doc.doc_id, **row}, ensure_ascii=False))
        elif s.kind == "root":
            print(f"{doc.doc_id}: {doc.meta.title}")
        else:
            label = f"{s.number})" if s.kind == "letter" else (s.number if s.kind == "bullet" else f"{s.number}.")
            print(f"{'  ' * s.level}{label} {_cut(s.title, 90)}  [{s.start}-{s.end}]")
    return 0
