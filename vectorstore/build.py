"""Building an index version: incremental, versioned, switched atomically.

A build writes a fresh version folder beside the live one (vectorstore/versions.py): unchanged
files (same sha256) are copied from the live version's store without parsing, changed/new files
are parsed, every chunk is embedded through the cache (so only new texts cost model time), then
CURRENT is switched. A failure before the switch deletes the half-built folder and leaves the
live version serving.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import vocabulary
from ingest.errors import AssistantError
from ingest.pipeline import file_hash
from vectorstore.chroma_store import ChromaStore, collection_name, make_client
from vectorstore.dense import write_snapshot
from vectorstore.embedders import CachedEmbedder, Embedder, make_embedder
from vectorstore.lexical import LexicalIndex
from vectorstore.parse_pool import parse_all, processes_for
from vectorstore.recordstore import RecordStore
from vectorstore.termbank import TermBank, corpus_terms
from vectorstore.versions import (FORMAT_VERSION, current_version, index_lock, new_version_name,
                                  read_manifest, remove_old_versions, versions_dir, write_atomic)

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class IngestSummary:
    version: str = ""
    documents: int = 0
    sections: int = 0
    records: dict[str, int] = field(default_factory=dict)
    chunks: int = 0
    embedded: int = 0
    cached: int = 0
    parsed: list[str] = field(default_factory=list)  # doc ids parsed in this build (new or changed)
    skipped: int = 0  # files unchanged since the previous version
    removed: list[str] = field(default_factory=list)  # doc ids dropped (--prune)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)

    def format(self) -> str:
        recs = ", ".join(f"{k}: {v}" for k, v in sorted(self.records.items())) or "none"
        lines = [
            f"index version {self.version}",
            f"documents: {self.documents} (parsed {len(self.parsed)}, unchanged {self.skipped}, "
            f"removed {len(self.removed)})",
            f"sections: {self.sections}; records: {recs}",
            f"chunks: {self.chunks} (embedded {self.embedded}, from cache {self.cached})",
            f"time: {self.seconds:.1f} s",
        ]
        lines += [f"failed: {f}: {reason}" for f, reason in self.failed]
        return "\n".join(lines)


def pipeline_fingerprint() -> str:
    """Hash of the code that turns a file into stored rows (ingest/*, chunker, analyzer, store):
    when it changes, an unchanged file must still be parsed again (its vectors stay cached)."""
    import ingest
    import vectorstore

    h = hashlib.sha256(str(FORMAT_VERSION).encode())
    files = sorted(Path(ingest.__file__).parent.rglob("*.py"))
    vs = Path(vectorstore.__file__).parent
    files += [vs / n for n in ("chunks.py", "lexical.py", "aliases.py", "recordstore.py", "termbank.py", "dense.py")]
    files += vocabulary.data_files()  # agency aliases and abbreviations shape the records
    for f in files:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _embedder_info(emb: Embedder) -> dict:
    return {"backend": emb.name, "model": emb.model, "dim": emb.dim, "id": emb.model_id}


# -- build --------------------------------------------------------------------------------
def _input_files(paths, settings, failed: list) -> list[Path]:
    from ingest.pipeline import corpus_files

    files: list[Path] = []
    for p in paths or [settings.plans_dir]:
        p = Path(p)
        if p.is_dir():
            files += corpus_files(p)
        elif p.is_file():
            files.append(p)
        else:
            failed.append((str(p), "no such file or folder"))
    return list(dict.fromkeys(f.resolve() for f in files))


def _catalog(settings) -> dict:
    """The catalog at settings.catalog_path ({} when absent or unreadable: headers then decide)."""
    from ingest.catalog import load_catalog

    try:
        return load_catalog(settings.catalog_path)
    except AssistantError:
        return {}


def build_index(settings, paths=None, prune: bool = False, progress: Progress | None = None,
                embedder: Embedder | None = None, rebuild: bool = False) -> IngestSummary:
    """Build a new index version from `paths` (default settings.plans_dir) and switch to it.

    Unchanged files are reused, changed ones replaced; documents whose files were not among the
    scanned inputs are kept unless `prune`. A file that fails is reported in `failed` and, if an
    earlier version had it, that earlier data is kept. `rebuild` (or a change of the ingest code,
    see `pipeline_fingerprint`) parses every scanned file again."""
    from ingest.catalog import entry_fingerprint

    t0 = time.monotonic()
    index_dir = Path(settings.index_dir)
    summary = IngestSummary()
    with index_lock(index_dir):
        prev = current_version(index_dir)
        prev_dir = versions_dir(index_dir) / prev if prev else None
        prev_manifest = read_manifest(prev_dir) if prev_dir else {}
        prev_store = RecordStore(prev_dir / "store.sqlite", readonly=True) if prev_dir else None
        prev_files: dict = prev_manifest.get("files", {})
        prev_entries: dict = prev_manifest.get("catalog_entries", {})  # path -> entry fingerprint
        entries: dict[str, str] = {}
        prev_docs: dict = prev_manifest.get("docs", {})  # path -> doc_id
        prev_backend = (prev_manifest.get("embedder") or {}).get("backend")
        fingerprint = pipeline_fingerprint()
        reusable = not rebuild and prev_manifest.get("pipeline") == fingerprint
        emb = embedder or make_embedder(settings, prefer=prev_backend)
        cached_emb = emb if isinstance(emb, CachedEmbedder) else CachedEmbedder(emb, settings.embed_cache_path)
        cached_emb.reset_counts()

        failed: list[tuple[str, str]] = []
        files = _input_files(paths, settings, failed)
        catalog = _catalog(settings)
        keep: dict[str, tuple[str, str]] = {}  # doc_id -> (path, sha) copied from prev
        parsed: dict[str, tuple[str, str]] = {}  # doc_id -> (path, sha) parsed and stored
        scanned: set[str] = set()
        todo: list[tuple[str, str, str | None]] = []  # (path, sha, doc_id it had) to parse
        for path in files:
            key = str(path)
            scanned.add(key)
            try:
                sha = file_hash(path)
            except OSError as exc:
                failed.append((key, f"cannot read file ({exc.strerror})"))
                continue
            entries[key] = entry_fingerprint(catalog.get(path.stem))
            old_id = prev_docs.get(key)
            if (reusable and old_id and prev_files.get(key) == sha
                    and prev_entries.get(key, "") == entries[key]  # an edited catalog entry re-reads the file
                    and prev_store.document_row(old_id) is not None):
                keep[old_id] = (key, sha)
                summary.skipped += 1
                continue
            todo.append((key, sha, old_id))
        skipped = len(files) - len(todo)

        version = new_version_name()
        vdir = versions_dir(index_dir) / version
        vdir.mkdir(parents=True)
        store = None
        chroma = None
        try:
            store = RecordStore(vdir / "store.sqlite")
            results = parse_all([key for key, _, _ in todo], catalog,
                                processes_for(len(todo), settings.parse_processes),
                                progress=(lambda d, t: progress("parse", skipped + d, len(files))) if progress else None)
            for (key, sha, old_id), result in zip(todo, results):
                if result.error is not None:
                    failed.append((key, result.error))
                    if old_id:  # keep serving the previous parse of this file
                        keep[old_id] = (key, prev_files[key])
                    continue
                doc_id = result.doc.doc_id
                other = parsed.get(doc_id)
                if other is not None:
                    failed.append((key, f"doc_id {doc_id!r} is already used by {other[0]}"))
                    continue
                # stored as it arrives: memory holds one parsed document, not the corpus
                store.add_document(result.doc, key, result.chunks, result.tokens)
                parsed[doc_id] = (key, sha)
            if progress:
                progress("parse", len(files), len(files))
            # Documents of the previous version that were not scanned this time.
            for key, doc_id in prev_docs.items():
                if key in scanned or doc_id in keep or doc_id in parsed:
                    continue
                if prune:
                    summary.removed.append(doc_id)
                else:
                    keep[doc_id] = (key, prev_files.get(key, ""))
            for doc_id in parsed:
                keep.pop(doc_id, None)  # a re-parsed document replaces its old copy
            if not keep and not parsed:
                reasons = "; ".join(f"{f}: {r}" for f, r in failed) or "no supported documents found"
                raise AssistantError(f"nothing to index ({reasons})", code="nothing_to_index", status=422)
            if paths and failed and not parsed and not summary.removed and summary.skipped == 0:
                # every file given was refused: the live version stays as it is, no new one is built
                reasons = "; ".join(f"{Path(f).name}: {r}" for f, r in failed)
                raise AssistantError(f"none of the files could be read, the index is unchanged ({reasons})",
                                     code="nothing_accepted", status=422)
            for doc_id in sorted(keep):
                store.copy_document(prev_store, doc_id)
            store.commit()

            pairs = store.chunks()
            chunks = [c for c, _ in pairs]
            vectors = cached_emb.embed_documents(
                [c.embed_text for c in chunks],
                progress=(lambda d, t: progress("embed", d, t)) if progress else None)
            chunk_counts = (cached_emb.embedded, cached_emb.cached)  # the term bank's are not chunks
            step = (lambda n: progress("index", n, 4)) if progress else (lambda n: None)
            step(0)
            client = make_client(vdir / "chroma", settings.chroma_url)
            chroma = ChromaStore(client, collection_name(version), create=True)
            chroma.add(chunks, vectors)
            step(1)
            write_snapshot(vdir, chunks, vectors)  # what serving reads (a local Chroma rewrites on open)
            step(2)
            LexicalIndex.build([c.id for c in chunks], [t for _, t in pairs]).save(vdir / "lexical")
            step(3)
            terms = corpus_terms([t for _, t in pairs], set(vocabulary.stopwords("vi")))
            TermBank.build(terms, cached_emb, sorted(vocabulary.glossary())).save(vdir)
            step(4)

            docs_map = {key: doc_id for doc_id, (key, _) in keep.items()}
            docs_map.update({key: doc_id for doc_id, (key, _) in parsed.items()})
            files_map = {key: sha for _, (key, sha) in keep.items()}
            files_map.update({key: sha for _, (key, sha) in parsed.items()})
            summary.version = version
            summary.documents = len(docs_map)
            summary.sections = store.count("sections")
            summary.records = store.counts_by_kind()
            summary.chunks = len(chunks)
            summary.embedded, summary.cached = chunk_counts
            summary.parsed = sorted(parsed)
            summary.failed = failed
            manifest = {
                "format": FORMAT_VERSION,
                "pipeline": fingerprint,
                "version": version,
                "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "embedder": _embedder_info(cached_emb),
                "chroma": {"mode": "server" if settings.chroma_url else "local",
                           "url": settings.chroma_url, "collection": collection_name(version)},
                "files": files_map,
                "catalog_entries": {k: entries.get(k, prev_entries.get(k, "")) for k in files_map},
                "docs": docs_map,
                "counts": {"documents": summary.documents, "sections": summary.sections,
                           "records": summary.records, "chunks": summary.chunks},
            }
            store.close()
            store = None
            write_atomic(vdir / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
            write_atomic(index_dir / "CURRENT", version + "\n")  # the switch
        except BaseException:
            if store is not None:
                store.close()
            if chroma is not None and settings.chroma_url:
                chroma.drop()
            shutil.rmtree(vdir, ignore_errors=True)
            raise
        finally:
            if prev_store:
                prev_store.close()
            if embedder is None:
                cached_emb.close()
        remove_old_versions(index_dir, settings, keep_names={version, prev} - {None})
    summary.seconds = round(time.monotonic() - t0, 2)
    return summary
