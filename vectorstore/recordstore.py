"""SQLite store of everything ingest produced, in the index version folder.

Tables: documents (meta, source text, content hash), sections, records (one row per
Task/Target/Project/Assignment with its JSON), record_agencies (record -> canonical agency and
role), chunks (chunk JSON, analyzed tokens, record id), and what `commit` derives from them for
indexed filtering (agencies, record_years, records_text). The store answers structured questions
(`query`, every filter through an index: no scan grows with the corpus) and lets the next build
reuse an unchanged document without parsing it again.
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from ingest.records import ParsedDocument, record_to_dict
from vectorstore.aliases import canonical_agency, fold
from vectorstore.chunks import Chunk

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
  doc_id TEXT PRIMARY KEY, title TEXT, province TEXT, kind TEXT, path TEXT, content_hash TEXT,
  meta TEXT, source_text TEXT, normalized TEXT);
CREATE TABLE IF NOT EXISTS sections (
  id TEXT, doc_id TEXT, ord INTEGER, path TEXT, json TEXT, PRIMARY KEY (doc_id, id));
CREATE TABLE IF NOT EXISTS records (
  id TEXT, kind TEXT, doc_id TEXT, province TEXT, province_fold TEXT, section TEXT, ord INTEGER,
  lead TEXT, owners TEXT, start_year INTEGER, end_year INTEGER, years TEXT, text_fold TEXT,
  json TEXT, PRIMARY KEY (doc_id, id));
CREATE TABLE IF NOT EXISTS record_agencies (
  record_id TEXT, doc_id TEXT, agency TEXT, agency_fold TEXT, role TEXT);
CREATE TABLE IF NOT EXISTS chunks (
  id TEXT PRIMARY KEY, doc_id TEXT, ord INTEGER, record_id TEXT, json TEXT, tokens TEXT);
CREATE TABLE IF NOT EXISTS agencies (fold TEXT PRIMARY KEY, name TEXT) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS record_years (doc_id TEXT, record_id TEXT, year INTEGER);
CREATE VIRTUAL TABLE IF NOT EXISTS records_text USING fts5(
  text_fold, doc_id UNINDEXED, record_id UNINDEXED, tokenize = 'trigram');
CREATE INDEX IF NOT EXISTS records_kind ON records(kind, doc_id, ord);
CREATE INDEX IF NOT EXISTS records_province ON records(province_fold, doc_id, ord);
CREATE INDEX IF NOT EXISTS agencies_records ON record_agencies(agency_fold, doc_id, record_id);
CREATE INDEX IF NOT EXISTS record_agencies_doc ON record_agencies(doc_id);
CREATE INDEX IF NOT EXISTS years_records ON record_years(year, doc_id, record_id);
CREATE INDEX IF NOT EXISTS chunks_record ON chunks(record_id);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
"""
# Tables derived from `records` and `record_agencies` when a build commits (copied documents
# included): the distinct agencies, every year a record covers, the records' folded text for
# substring search (FTS5 trigrams: "chu ky so" finds "...chu ky so..." through the index).
_DERIVED = ("agencies", "record_years", "records_text")
_MAX_SPAN = 100  # years a timeframe may cover in record_years; a longer one is a misread


def _record_agencies(rec: dict) -> list[tuple[str, str]]:
    """(canonical agency, role) pairs of a record dict, whatever its kind."""
    pairs: list[tuple[str, str]] = []
    for field_name in ("lead", "owners", "owner"):
        pairs += [(a, "lead") for a in rec.get(field_name) or []]
    pairs += [(a, "partner") for a in rec.get("partners") or []]
    if rec.get("kind") == "assignment" and rec.get("agency"):
        pairs.append((rec["agency"], rec.get("role") or "lead"))
    return list(dict.fromkeys(pairs))


def _record_text(rec: dict) -> str:
    keys = ("text", "indicator", "name", "sentence", "purpose", "scope", "note", "section", "timeframe")
    parts = [str(rec.get(k) or "") for k in keys]
    parts += [str(v) for v in (rec.get("values") or {}).values()]
    parts += [a for a, _ in _record_agencies(rec)]
    return fold(" ".join(parts))


def _like_escape(text: str) -> str:
    """User text inside a LIKE pattern matches literally ("20%" is not a wildcard)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class RecordStore:
    def __init__(self, path: str | Path, readonly: bool = False):
        self.path = Path(path)
        if readonly:
            uri = f"file:{self.path}?mode=ro"
            self.db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        else:
            self.db = sqlite3.connect(str(self.path), check_same_thread=False)
            self.db.executescript(SCHEMA)
        self.db.row_factory = sqlite3.Row
        # A read-only version never changes, so its chunks can be kept parsed: every question
        # reads ~80 of them and json + dataclass building was a tenth of answering.
        self._chunk_cache: dict[str, Chunk] | None = {} if readonly else None

    def close(self) -> None:
        self.db.close()

    # -- writing ---------------------------------------------------------------------------
    def add_document(self, doc: ParsedDocument, path: str, chunks: list[Chunk],
                     tokens: list[list[str]]) -> None:
        meta = doc.meta
        db = self.db
        db.execute("INSERT OR REPLACE INTO documents VALUES (?,?,?,?,?,?,?,?,?)", (
            meta.doc_id, meta.title, meta.province, meta.kind, path, doc.content_hash,
            json.dumps(record_to_dict(meta), ensure_ascii=False), doc.source_text,
            json.dumps({"text": doc.normalized.text, "offsets": doc.normalized.offsets})))
        db.executemany("INSERT OR REPLACE INTO sections VALUES (?,?,?,?,?)", [
            (s.id, meta.doc_id, i, s.path, json.dumps(record_to_dict(s), ensure_ascii=False))
            for i, s in enumerate(doc.sections)])
        rec_rows, ag_rows = [], []
        for i, rec in enumerate(doc.records):
            d = record_to_dict(rec)
            d.setdefault("kind", type(rec).__name__.lower())
            years = [int(y) for y in (d.get("values") or {}) if str(y).isdigit()]
            agencies = _record_agencies(d)
            rec_rows.append((
                d["id"], d["kind"], meta.doc_id, meta.province, fold(meta.province), d.get("section"), i,
                "; ".join(a for a, r in agencies if r == "lead"),
                "; ".join(a for a, _ in agencies), d.get("start_year"), d.get("end_year"),
                "," + ",".join(map(str, years)) + ",", _record_text(d),
                json.dumps(d, ensure_ascii=False)))
            ag_rows += [(d["id"], meta.doc_id, a, fold(a), role) for a, role in agencies]
        db.executemany("INSERT OR REPLACE INTO records VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rec_rows)
        db.executemany("INSERT INTO record_agencies VALUES (?,?,?,?,?)", ag_rows)
        self.add_chunks(chunks, tokens)

    def add_chunks(self, chunks: list[Chunk], tokens: list[list[str]]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO chunks VALUES (?,?,?,?,?,?)", [
            (c.id, c.doc_id, i, c.record_id, json.dumps(c.to_dict(), ensure_ascii=False),
             json.dumps(t, ensure_ascii=False)) for i, (c, t) in enumerate(zip(chunks, tokens))])

    def copy_document(self, other: "RecordStore", doc_id: str) -> None:
        """Copy one document's rows from another store (an unchanged file in a new version)."""
        for table in ("documents", "sections", "records", "record_agencies", "chunks"):  # not _DERIVED
            rows = other.db.execute(f"SELECT * FROM {table} WHERE doc_id = ?", (doc_id,)).fetchall()
            if rows:
                marks = ",".join("?" * len(rows[0].keys()))
                self.db.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({marks})",
                                    [tuple(r) for r in rows])

    def commit(self) -> None:
        """Derive the index tables from the stored records, then commit."""
        db = self.db
        for table in _DERIVED:
            db.execute(f"DELETE FROM {table}")
        db.execute("INSERT INTO agencies SELECT agency_fold, MIN(agency) FROM record_agencies GROUP BY agency_fold")
        db.execute("INSERT INTO records_text(text_fold, doc_id, record_id) SELECT text_fold, doc_id, id FROM records")
        years = []
        for doc_id, rid, start, end, listed in db.execute(
                "SELECT doc_id, id, start_year, end_year, years FROM records"):
            covered = {int(y) for y in (listed or "").split(",") if y.isdigit()}
            if start is not None:
                end = start if end is None else end
                if 0 <= end - start <= _MAX_SPAN:
                    covered.update(range(start, end + 1))
            years += [(doc_id, rid, y) for y in covered]
        db.executemany("INSERT INTO record_years VALUES (?,?,?)", years)
        db.commit()

    # -- reading ---------------------------------------------------------------------------
    def doc_ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT doc_id FROM documents ORDER BY doc_id")]

    def documents(self) -> list[dict]:
        rows = self.db.execute("SELECT doc_id, meta, path, content_hash FROM documents ORDER BY doc_id")
        out = []
        for r in rows:
            d = json.loads(r["meta"])
            d.update(path=r["path"], content_hash=r["content_hash"])
            out.append(d)
        return out

    def document_row(self, doc_id: str) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()

    def sections(self, doc_id: str) -> list[dict]:
        rows = self.db.execute("SELECT json FROM sections WHERE doc_id = ? ORDER BY ord", (doc_id,))
        return [json.loads(r[0]) for r in rows]

    def chunks(self, doc_id: str | None = None) -> list[tuple[Chunk, list[str]]]:
        sql = "SELECT json, tokens FROM chunks"
        args: tuple = ()
        if doc_id is not None:
            sql += " WHERE doc_id = ?"
            args = (doc_id,)
        rows = self.db.execute(sql + " ORDER BY doc_id, ord", args)
        # One string per distinct token: a build reads every chunk's tokens, millions of
        # repeats of a few thousand words (at 40x the sample, 490 MB of copies).
        words: dict[str, str] = {}
        return [(Chunk.from_dict(json.loads(r[0])), [words.setdefault(t, t) for t in json.loads(r[1])])
                for r in rows]

    def chunk(self, chunk_id: str) -> Chunk | None:
        r = self.db.execute("SELECT json FROM chunks WHERE id = ?", (chunk_id,)).fetchone()
        return Chunk.from_dict(json.loads(r[0])) if r else None

    def chunks_by_ids(self, ids: list[str]) -> dict[str, Chunk]:
        cache = self._chunk_cache
        out: dict[str, Chunk] = {}
        if cache is not None:
            out = {cid: cache[cid] for cid in ids if cid in cache}
            ids = [cid for cid in ids if cid not in out]
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            rows = self.db.execute(
                f"SELECT id, json FROM chunks WHERE id IN ({','.join('?' * len(part))})", part)
            out.update({r[0]: Chunk.from_dict(json.loads(r[1])) for r in rows})
        if cache is not None and ids:
            if len(cache) > 20_000:  # bounded: a very large corpus keeps its hot chunks only
                cache.clear()
            cache.update((cid, out[cid]) for cid in ids if cid in out)
        return out

    def chunks_for_record(self, record_id: str) -> list[Chunk]:
        rows = self.db.execute("SELECT json FROM chunks WHERE record_id = ? ORDER BY ord", (record_id,))
        return [Chunk.from_dict(json.loads(r[0])) for r in rows]

    def chunk_ids(self, doc_id: str | None = None, province: str | None = None) -> set[str]:
        """Ids of the chunks of one document and/or one province (accent-insensitive)."""
        docs = [r[0] for r in self.db.execute("SELECT doc_id, province FROM documents")
                if (not doc_id or r[0] == doc_id) and (not province or fold(r[1] or "") == fold(province))]
        out: set[str] = set()
        for d in docs:
            out.update(r[0] for r in self.db.execute("SELECT id FROM chunks WHERE doc_id = ?", (d,)))
        return out

    def count(self, table: str, kind: str | None = None) -> int:
        if kind:
            return self.db.execute(f"SELECT COUNT(*) FROM {table} WHERE kind = ?", (kind,)).fetchone()[0]
        return self.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]

    def counts_by_kind(self) -> dict[str, int]:
        return {r[0]: r[1] for r in self.db.execute("SELECT kind, COUNT(*) FROM records GROUP BY kind")}

    def record(self, record_id: str) -> dict | None:
        r = self.db.execute(
            "SELECT r.json, d.province, d.title FROM records r JOIN documents d ON d.doc_id = r.doc_id "
            "WHERE r.id = ?", (record_id,)).fetchone()
        if r is None:
            return None
        return {**json.loads(r[0]), "province": r[1], "title": r[2]}

    def agency_ids(self, agency: str, province: str | None = None) -> list[str]:
        """Canonical ids (folded names) of the stored agencies that `agency` names, however it is
        written: canonicalized first, then any stored agency whose name contains it ("Sở Y tế"
        names "Sở Y tế"; "Y tế" names every agency with "y te" in its name)."""
        names = {fold(agency).strip(), fold(canonical_agency(agency, province)).strip()} - {""}
        likes = " OR ".join("fold LIKE ? ESCAPE '\\'" for _ in names)
        rows = self.db.execute(f"SELECT fold FROM agencies WHERE {likes}",
                               [f"%{_like_escape(n)}%" for n in names]) if names else []
        return [r[0] for r in rows]

    def query(self, kind: str | None = None, agency: str | None = None, province: str | None = None,
              doc_id: str | None = None, year: int | None = None, text: str | None = None,
              limit: int = 200) -> list[dict]:
        """Records matching every given filter, in document order.

        agency: any way of writing it (see `agency_ids`); province/text are accent-insensitive
        (text: every word is a substring of the record's text); year: start_year <= year <=
        end_year for tasks, a values key for targets. Each filter is an indexed lookup (the
        agencies table is one row per distinct agency, however many plans there are)."""
        sql = ["SELECT r.json, d.province, d.title FROM records r JOIN documents d ON d.doc_id = r.doc_id WHERE 1=1"]
        args: list = []
        if kind:
            sql.append("AND r.kind = ?")
            args.append(kind)
        if doc_id:
            sql.append("AND r.doc_id = ?")
            args.append(doc_id)
        if province:
            sql.append("AND r.province_fold = ?")
            args.append(fold(province).strip())
        if agency:
            ids = self.agency_ids(agency, province)
            if not ids:
                return []
            sql.append(f"AND (r.doc_id, r.id) IN (SELECT doc_id, record_id FROM record_agencies "
                       f"WHERE agency_fold IN ({','.join('?' * len(ids))}))")
            args += ids
        if year is not None:
            sql.append("AND (r.doc_id, r.id) IN (SELECT doc_id, record_id FROM record_years WHERE year = ?)")
            args.append(year)
        words = fold(text).split() if text else []
        # Trigrams need three characters; and when another filter already narrows the rows,
        # checking each of them beats materializing every match of a common word ("chu").
        # A plan, a province or an agency leaves a few hundred rows; a kind or a year does not.
        narrowed = bool(doc_id or province or agency)
        long_words = [] if narrowed else [w for w in words if len(w) >= 3]
        if long_words:
            sql.append("AND (r.doc_id, r.id) IN (SELECT doc_id, record_id FROM records_text "
                       "WHERE records_text MATCH ?)")
            args.append(" AND ".join('"' + w.replace('"', '""') + '"' for w in long_words))
        for word in words:
            if word not in long_words:
                sql.append("AND r.text_fold LIKE ? ESCAPE '\\'")
                args.append(f"%{_like_escape(word)}%")
        sql.append("ORDER BY r.doc_id, r.ord LIMIT ?")
        args.append(limit)
        rows = self.db.execute(" ".join(sql), args)
        return [{**json.loads(r[0]), "province": r[1], "title": r[2]} for r in rows]
