"""Chunk invariants on the real corpus: parts are never crossed, each table record is one row
chunk carrying its owner and context, offsets slice the source, ids are content hashes."""
from __future__ import annotations

import re

import pytest

from ingest.records import DocumentMeta, NormalizedText, ParsedDocument
from vectorstore.aliases import fold
from vectorstore.chunks import (MAX_CHARS, chunk_document, is_row_record, pack, row_text,
                                sentence_spans, top_level_sections)


def squash(text: str) -> str:
    """Letters and digits only, folded: compares text across normalization (dewrap, tone marks)."""
    return re.sub(r"[\W_]+", "", fold(text))


@pytest.fixture(scope="module")
def chunked(parsed_docs):
    return {doc_id: chunk_document(doc) for doc_id, doc in parsed_docs.items()}


def _owners(rec) -> list[str]:
    return list(getattr(rec, "lead", None) or getattr(rec, "owners", None) or getattr(rec, "owner", None) or [])


def test_no_chunk_crosses_a_top_level_part(parsed_docs, chunked):
    for doc_id, doc in parsed_docs.items():
        parts = top_level_sections(doc)
        assert parts or all(s.kind == "root" for s in doc.sections), doc_id
        for c in chunked[doc_id]:
            for s in parts:
                overlaps = c.start < s.end and c.end > s.start
                inside = s.start <= c.start and c.end <= s.end
                assert inside or not overlaps, (doc_id, c.section, s.path)


def test_each_table_record_is_exactly_one_row_chunk_with_its_lead(parsed_docs, chunked):
    total = 0
    for doc_id, doc in parsed_docs.items():
        by_record: dict[str, list] = {}
        for c in chunked[doc_id]:
            if c.record_id:
                by_record.setdefault(c.record_id, []).append(c)
        for rec in filter(is_row_record, doc.records):
            total += 1
            [chunk] = by_record.get(rec.id, [None, None])[:1] if len(by_record.get(rec.id, [])) == 1 else [None]
            assert chunk is not None, (doc_id, rec.id, len(by_record.get(rec.id, [])))
            assert chunk.kind == "row" and chunk.record_kind == rec.kind
            assert chunk.embed_text.startswith(f"{doc.meta.province} › {rec.section} | ")
            for agency in _owners(rec):
                assert agency in chunk.text
        # Row chunks exist only for table records.
        rows = {r.id for r in doc.records if is_row_record(r)}
        assert {c.record_id for c in chunked[doc_id] if c.kind == "row"} == rows
    assert total > 100  # the corpus has appendix and indicator tables in three layouts


def test_known_rows_carry_header_and_group_context(chunked):
    [ipv6] = [c for c in chunked["binh-dinh-59-kh-ubnd-2022"] if c.kind == "row" and "IPv6" in c.text]
    assert ipv6.text.startswith("Nhiệm vụ: Chuyển đổi địa chỉ IP")
    assert "Chủ trì: Sở Thông tin và Truyền thông" in ipv6.text
    assert "Thời gian: 2022" in ipv6.text
    assert ipv6.embed_text.startswith("Bình Định › PHỤ LỤC II")
    assert "3. Phát triển hạ tầng số |" in ipv6.embed_text
    [sig] = [c for c in chunked["hai-duong-5046-kh-ubnd-2023"]
             if c.kind == "row" and "chữ ký số" in c.text]
    assert sig.record_kind == "target"
    assert "| 2025: >50% | 2030: >70% | Chủ trì: Sở Thông tin và Truyền thông" in sig.text


def test_offsets_slice_the_source(parsed_docs, chunked):
    for doc_id, doc in parsed_docs.items():
        recs = {r.id: r for r in doc.records}
        for c in chunked[doc_id]:
            assert 0 <= c.start < c.end <= len(doc.source_text)
            source = squash(doc.source_text[c.start:c.end])
            if c.kind == "prose":
                assert source == squash(c.text), (doc_id, c.start)
            else:
                rec = recs[c.record_id]
                lead_text = getattr(rec, "text", None) or getattr(rec, "indicator", None) or rec.name
                assert squash(lead_text)[:40] in source, (doc_id, c.record_id)


def test_prose_size_ids_and_metadata(parsed_docs, chunked):
    for doc_id, doc in parsed_docs.items():
        chunks = chunked[doc_id]
        assert len({c.id for c in chunks}) == len(chunks)
        assert [c.id for c in chunk_document(doc)] == [c.id for c in chunks]  # deterministic
        for c in chunks:
            assert (c.doc_id, c.title, c.province, c.doc_kind) == (
                doc_id, doc.meta.title, doc.meta.province, doc.meta.kind)
            if c.kind == "prose":
                assert 0 < len(c.text) <= MAX_CHARS
                assert c.embed_text.endswith(c.text)
                assert c.record_id is None
    assert {c.doc_kind for c in chunked["thanh-hoa-de-an-cds-2021-tin-tuc"]} == {"news"}


def test_prose_chunks_name_their_section(chunked):
    paths = {c.section for c in chunked["hai-duong-5046-kh-ubnd-2023"] if c.kind == "prose"}
    assert any(p.startswith("III. NHIỆM VỤ › ") for p in paths)
    assert "" in paths  # the preamble before part I


def test_document_without_sections_falls_back_to_paragraphs():
    text = ("Kế hoạch chuyển đổi số.\n\n"
            + " ".join(f"Câu số {i} nói về hạ tầng số và dữ liệu của tỉnh." for i in range(40))
            + "\n\nĐoạn cuối.\n")
    doc = ParsedDocument(DocumentMeta(doc_id="x", title="T", province="P"), text,
                         NormalizedText(text, list(range(len(text) + 1))), [], [], "h")
    chunks = chunk_document(doc)
    assert len(chunks) >= 3
    assert all(c.kind == "prose" and c.section == "" and len(c.text) <= MAX_CHARS for c in chunks)
    assert all(c.embed_text.startswith("P\n") for c in chunks)
    assert squash("".join(c.text for c in chunks)) == squash(text)  # nothing lost
    assert all(text[c.start:c.end] == c.text for c in chunks)
    # sentence-aligned: every chunk ends at a sentence end
    assert all(c.text.endswith(".") for c in chunks)


def test_sentence_spans_and_pack():
    text = "Dòng một.\n" + "Câu A dài. " * 30 + "\n- gạch đầu dòng"
    spans = sentence_spans(text, 0, len(text), max_chars=100)
    assert text[slice(*spans[0])] == "Dòng một."
    assert text[slice(*spans[1])] == "Câu A dài."
    assert text[slice(*spans[-1])] == "- gạch đầu dòng"
    packed = pack(spans, 100)
    assert all(e - s <= 100 for s, e in packed)
    assert packed[0][0] == 0 and packed[-1][1] == len(text)


def test_row_text_of_each_kind():
    from ingest.records import Project, Target, Task

    t = Task("1", "d", "PL", "1", "Triển khai nền tảng", lead=["Sở Y tế"], partners=["Sở Tài chính"],
             timeframe="2023-2025")
    assert row_text(t) == "Nhiệm vụ: Triển khai nền tảng | Chủ trì: Sở Y tế | Phối hợp: Sở Tài chính | Thời gian: 2023-2025"
    g = Target("2", "d", "PL", "2", "Tỷ lệ", baseline="1%", baseline_year=2022,
               values={"2030": "90%", "2025": "80%"}, owners=["Cục Thống kê"])
    assert row_text(g) == "Chỉ tiêu: Tỷ lệ | Hiện trạng: 1% (2022) | 2025: 80% | 2030: 90% | Chủ trì: Cục Thống kê"
    p = Project("3", "d", "PL", "3", "Kho dữ liệu", owner=["Sở TT"], purpose="Dùng chung")
    assert row_text(p) == "Dự án: Kho dữ liệu | Chủ trì: Sở TT | Mục tiêu: Dùng chung"


def test_table_separators_and_group_rows_are_not_prose_chunks(parsed_docs):
    """The pipes between Bình Định cells and the group rows between appendix rows are carried
    by the row chunks' context; alone they are noise in retrieval."""
    from vectorstore.chunks import chunk_document

    for doc in parsed_docs.values():
        for c in chunk_document(doc):
            if c.kind == "prose":
                assert sum(ch.isalpha() for ch in c.text) >= 12, c.text
                assert not c.text.startswith("|"), c.text
    hd = chunk_document(parsed_docs["hai-duong-5046-kh-ubnd-2023"])
    assert not [c for c in hd if c.kind == "prose" and c.text.startswith("II\nPhát triển hạ tầng")]
