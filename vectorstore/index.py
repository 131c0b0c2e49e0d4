"""The plan index: versioned, incremental builds and the read API the assistant uses.

Layout of settings.index_dir:
    CURRENT                  name of the live version (switched atomically with os.replace)
    ingest.lock              fcntl lock: one ingest at a time
    embed-cache.sqlite       vectors by sha256(model id + text) (settings.embed_cache)
    versions/<version>/      manifest.json, store.sqlite (RecordStore), lexical/ (BM25), chroma/

A build writes a fresh version folder beside the live one: unchanged files (same sha256) are
copied from the live version's store without parsing, changed/new files are parsed, every chunk
is embedded through the cache (so only new texts cost model time), then CURRENT is switched. A
failure before the switch deletes the half-built folder and leaves the live version serving.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import socket
import sqlite3
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import vocabulary
from ingest.errors import AssistantError, NotFound
from vectorstore.errors import EmbedderMismatch, IndexLocked, IndexNotReady
from vectorstore.chroma_store import ChromaStore, collection_name, make_client
from vectorstore.chunks import Chunk, chunk_document
from vectorstore.dense import DenseSnapshot, write_snapshot
from vectorstore.embedders import CachedEmbedder, Embedder, make_embedder
from vectorstore.lexical import LexicalIndex, analyze
from vectorstore.recordstore import RecordStore
from vectorstore.termbank import TermBank, corpus_terms

FORMAT_VERSION = 1
KEEP_VERSIONS = 2
Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class Hit:
    chunk: Chunk
    score: float
    leg: str  # "dense" | "lexical" | "fused"
    scores: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"chunk": self.chunk.to_dict(), "score": self.score, "leg": self.leg, "scores": self.scores}


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


# -- folders, manifest, lock ----------------------------------------------------------------
def versions_dir(index_dir: Path) -> Path:
    return Path(index_dir) / "versions"


def current_version(index_dir: Path) -> str | None:
    try:
        name = (Path(index_dir) / "CURRENT").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return name if name and (versions_dir(index_dir) / name / "manifest.json").exists() else None


def read_manifest(version_dir: Path) -> dict:
    return json.loads((Path(version_dir) / "manifest.json").read_text(encoding="utf-8"))


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


@contextlib.contextmanager
def index_lock(index_dir: Path):
    """Exclusive, non-blocking lock on the index folder (released when the process dies)."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    path = index_dir / "ingest.lock"
    f = open(path, "a+")
    try:
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IndexLocked(f"another ingest is running on {index_dir} (lock {path} is held); "
                              "wait for it to finish, then retry") from None
        f.seek(0)
        f.truncate()
        f.write(str(os.getpid()))
        f.flush()
        yield
    finally:
        f.close()  # closing the descriptor releases the flock


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


def _new_version_name() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f") + "-" + uuid.uuid4().hex[:6]


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


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def build_index(settings, paths=None, prune: bool = False, progress: Progress | None = None,
                embedder: Embedder | None = None, rebuild: bool = False) -> IngestSummary:
    """Build a new index version from `paths` (default settings.plans_dir) and switch to it.

    Unchanged files are reused, changed ones replaced; documents whose files were not among the
    scanned inputs are kept unless `prune`. A file that fails is reported in `failed` and, if an
    earlier version had it, that earlier data is kept. `rebuild` (or a change of the ingest code,
    see `pipeline_fingerprint`) parses every scanned file again."""
    from ingest.catalog import entry_fingerprint
    from ingest.errors import IngestError
    from ingest.pipeline import parse_file

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
        parsed: dict[str, tuple[str, str, object]] = {}  # doc_id -> (path, sha, ParsedDocument)
        scanned: set[str] = set()
        for n, path in enumerate(files):
            key = str(path)
            scanned.add(key)
            if progress:
                progress("parse", n, len(files))
            try:
                sha = _sha256(path)
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
            try:
                doc = parse_file(path, catalog=catalog)
            except IngestError as exc:
                failed.append((key, exc.reason))
                if old_id:  # keep serving the previous parse of this file
                    keep[old_id] = (key, prev_files[key])
                continue
            except Exception as exc:  # a bug on one file must not sink the build
                failed.append((key, f"{type(exc).__name__}: {exc}"))
                if old_id:
                    keep[old_id] = (key, prev_files[key])
                continue
            other = parsed.get(doc.doc_id)
            if other is not None:
                failed.append((key, f"doc_id {doc.doc_id!r} is already used by {other[0]}"))
                continue
            parsed[doc.doc_id] = (key, sha, doc)
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
            if prev_store:
                prev_store.close()
            reasons = "; ".join(f"{f}: {r}" for f, r in failed) or "no supported documents found"
            raise AssistantError(f"nothing to index ({reasons})", code="nothing_to_index", status=422)
        if paths and failed and not parsed and not summary.removed and summary.skipped == 0:
            # every file given was refused: the live version stays as it is, no new one is built
            if prev_store:
                prev_store.close()
            reasons = "; ".join(f"{Path(f).name}: {r}" for f, r in failed)
            raise AssistantError(f"none of the files could be read, the index is unchanged ({reasons})",
                                 code="nothing_accepted", status=422)

        version = _new_version_name()
        vdir = versions_dir(index_dir) / version
        vdir.mkdir(parents=True)
        store = None
        chroma = None
        try:
            store = RecordStore(vdir / "store.sqlite")
            for doc_id in sorted(keep):
                store.copy_document(prev_store, doc_id)
            for doc_id, (key, sha, doc) in parsed.items():
                chunks = chunk_document(doc)
                store.add_document(doc, key, chunks, [analyze(c.embed_text) for c in chunks])
            store.commit()

            pairs = store.chunks()
            chunks = [c for c, _ in pairs]
            vectors = cached_emb.embed_documents(
                [c.embed_text for c in chunks],
                progress=(lambda d, t: progress("embed", d, t)) if progress else None)
            chunk_counts = (cached_emb.embedded, cached_emb.cached)  # the term bank's are not chunks
            client = make_client(vdir / "chroma", settings.chroma_url)
            chroma = ChromaStore(client, collection_name(version), create=True)
            chroma.add(chunks, vectors)
            write_snapshot(vdir, chunks, vectors)  # what serving reads (a local Chroma rewrites on open)
            LexicalIndex.build([c.id for c in chunks], [t for _, t in pairs]).save(vdir / "lexical")
            terms = corpus_terms([t for _, t in pairs], set(vocabulary.stopwords("vi")))
            TermBank.build(terms, cached_emb, sorted(vocabulary.glossary())).save(vdir)

            docs_map = {key: doc_id for doc_id, (key, _) in keep.items()}
            docs_map.update({key: doc_id for doc_id, (key, _, _) in parsed.items()})
            files_map = {key: sha for _, (key, sha) in keep.items()}
            files_map.update({key: sha for _, (key, sha, _) in parsed.items()})
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
            _write_atomic(vdir / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
            _write_atomic(index_dir / "CURRENT", version + "\n")  # the switch
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
        _cleanup(index_dir, settings, keep_names={version, prev} - {None})
    summary.seconds = round(time.monotonic() - t0, 2)
    return summary


# -- leases: a version some process reads is never deleted ------------------------------------------
LEASE_TTL = 600.0  # a lease not touched for this long belongs to a process that died without closing


class Lease:
    """A file in <version>/leases/ saying "this process reads this version". Touched while in use,
    removed on close; builds never delete a version with a live lease (another worker or replica
    may still be answering from it)."""

    def __init__(self, version_dir: Path):
        folder = Path(version_dir) / "leases"
        folder.mkdir(exist_ok=True)
        self.path = folder / f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.path.write_text(str(time.time()), encoding="utf-8")
        self._touched = time.monotonic()

    def touch(self, every: float = 60.0) -> None:
        if time.monotonic() - self._touched >= every:
            with contextlib.suppress(OSError):
                os.utime(self.path)
            self._touched = time.monotonic()

    def release(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink()


def _leased(version_dir: Path) -> bool:
    """Does a live process hold a lease on this version? Leases of dead local processes and leases
    left untouched past LEASE_TTL are removed."""
    folder = Path(version_dir) / "leases"
    if not folder.is_dir():
        return False
    host = socket.gethostname()
    live = False
    for lease in folder.iterdir():
        try:
            age = time.time() - lease.stat().st_mtime
        except OSError:
            continue
        name_host, _, rest = lease.name.rpartition("-")[0].rpartition("-")
        dead = name_host == host and rest.isdigit() and not _alive(int(rest))
        if dead or age > LEASE_TTL:
            with contextlib.suppress(OSError):
                lease.unlink()
        else:
            live = True
    return live


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _cleanup(index_dir: Path, settings, keep_names: set[str]) -> None:
    """Delete versions beyond the last KEEP_VERSIONS (the new one and the one it replaced), except
    those a live process still reads (leases)."""
    vroot = versions_dir(index_dir)
    for d in sorted(p for p in vroot.iterdir() if p.is_dir()):
        if d.name in keep_names or _leased(d):
            continue
        if settings.chroma_url:
            with contextlib.suppress(Exception):
                make_client(None, settings.chroma_url).delete_collection(collection_name(d.name))
        shutil.rmtree(d, ignore_errors=True)


# -- read API -----------------------------------------------------------------------------
class PlanIndex:
    """A read-only view of one index version."""

    def __init__(self, settings, version: str, embedder: Embedder):
        self.settings = settings
        self.version = version
        self.dir = versions_dir(Path(settings.index_dir)) / version
        self.manifest: dict = read_manifest(self.dir)
        self.lease = Lease(self.dir)
        self.embedder = embedder
        self.records = None
        try:
            self.records = RecordStore(self.dir / "store.sqlite", readonly=True)
            self.lexical = LexicalIndex.load(self.dir / "lexical")
            self.termbank = TermBank.load(self.dir)
            # the dense leg reads the read-only snapshot; a Chroma server is read directly
            self.dense = None if settings.chroma_url else DenseSnapshot.load(self.dir)
            self._chroma = None
            if self.dense is None:
                self.dense = self.chroma
        except BaseException:
            self.close()
            raise
        self._qcache: dict[str, list[float]] = {}

    @classmethod
    def open(cls, settings, embedder: Embedder | None = None, _retry_open: int = 3) -> "PlanIndex":
        index_dir = Path(settings.index_dir)
        version = current_version(index_dir)
        if version is None:
            raise IndexNotReady(f"no index has been built in {index_dir}; run "
                                "`python -m assistant ingest` first")
        try:
            manifest = read_manifest(versions_dir(index_dir) / version)
        except (OSError, ValueError):
            if _retry_open > 0:  # replaced and removed between reading CURRENT and now
                return cls.open(settings, embedder, _retry_open - 1)
            raise IndexNotReady(f"index version {version} has no readable manifest") from None
        built = manifest.get("embedder") or {}
        if embedder is None:
            try:
                embedder = make_embedder(settings, prefer=built.get("backend"))
            except AssistantError as exc:
                raise EmbedderMismatch(
                    f"the index was built with {built.get('id')} but that embedder cannot be loaded "
                    f"here ({exc.message})") from exc
        if embedder.model_id != built.get("id") or embedder.dim != built.get("dim"):
            raise EmbedderMismatch(
                f"the index in {index_dir} was built with {built.get('id')} ({built.get('dim')} dims) "
                f"but the configured embedder is {embedder.model_id} ({embedder.dim} dims); configure "
                f"the same embedder (ASSISTANT_EMBEDDER / ASSISTANT_ST_MODEL) or run "
                "`python -m assistant ingest` to re-embed the corpus with the new one")
        try:
            return cls(settings, version, embedder)
        except (OSError, sqlite3.Error, ValueError, KeyError) as exc:
            if _retry_open > 0 and current_version(index_dir) != version:
                # a newer build replaced and removed this version while it was being opened
                return cls.open(settings, embedder, _retry_open - 1)
            raise IndexNotReady(f"index version {version} could not be opened: {exc}") from exc

    @property
    def chroma(self) -> ChromaStore:
        """The version's Chroma collection (opened on first use: a local client writes to its files)."""
        if self._chroma is None:
            client = make_client(self.dir / "chroma", self.settings.chroma_url)
            self._chroma = ChromaStore(client, self.manifest["chroma"]["collection"])
        return self._chroma

    # -- search --
    def _query_vector(self, query: str) -> list[float]:
        vec = self._qcache.get(query)
        if vec is None:
            vec = self.embedder.embed_query(query)
            if len(self._qcache) > 512:
                self._qcache.clear()
            self._qcache[query] = vec
        return vec

    def _hits(self, pairs: list[tuple[str, float]], leg: str) -> list[Hit]:
        chunks = self.records.chunks_by_ids([cid for cid, _ in pairs])
        return [Hit(chunks[cid], s, leg, {leg: s}) for cid, s in pairs if cid in chunks]

    def _where(self, where: dict | None) -> dict | None:
        """Drop empty filters; spell the province as the catalog does (Chroma compares exactly)."""
        where = {k: v for k, v in (where or {}).items() if v not in (None, "")}
        if "province" in where:
            from vectorstore.aliases import fold

            want = fold(where["province"]).strip()
            names = [d["province"] for d in self.documents() if fold(d.get("province") or "") == want]
            where["province"] = names[0] if names else where["province"]
        return where or None

    def search_dense(self, query: str, k: int = 10, where: dict | None = None) -> list[Hit]:
        return self._hits(self.dense.search(self._query_vector(query), k, self._where(where)), "dense")

    def search_lexical(self, query: str, k: int = 10, where: dict | None = None) -> list[Hit]:
        allowed = None
        if where and (where.get("doc_id") or where.get("province")):
            allowed = self.records.chunk_ids(where.get("doc_id"), where.get("province"))
        return self._hits(self.lexical.search(query, k, allowed), "lexical")

    # -- lookups --
    def chunk(self, chunk_id: str) -> Chunk:
        c = self.records.chunk(chunk_id)
        if c is None:
            raise NotFound(f"no chunk {chunk_id!r} in the index")
        return c

    def chunks_for_record(self, record_id: str) -> list[Chunk]:
        return self.records.chunks_for_record(record_id)

    def documents(self) -> list[dict]:
        return self.records.documents()

    def document(self, doc_id: str) -> dict:
        row = self.records.document_row(doc_id)
        if row is None:
            raise NotFound(f"no document {doc_id!r} in the index; see `python -m assistant inspect`")
        meta = json.loads(row["meta"])
        return {**meta, "path": row["path"], "content_hash": row["content_hash"],
                "sections": self.records.sections(doc_id)}

    def source_text(self, doc_id: str) -> str:
        row = self.records.document_row(doc_id)
        if row is None:
            raise NotFound(f"no document {doc_id!r} in the index")
        return row["source_text"]

    def close(self) -> None:
        """Let go of the version: its store, its vectors and its lease."""
        if self.records is not None:
            self.records.close()
        self.dense = None
        self.lease.release()
