"""parse_file / parse_corpus on the real corpus: metadata, records, prose targets, bad files."""
from __future__ import annotations

import hashlib
import json
import shutil

from ingest.catalog import load_catalog
from ingest.errors import IngestError
from ingest.pipeline import parse_corpus, parse_file
from ingest.prose import figure


def test_corpus_parses_with_catalog_meta(parsed_corpus, plans_dir):
    docs, errors = parsed_corpus
    assert errors == []
    assert sorted(docs) == ["binh-dinh-59-kh-ubnd-2022", "hai-duong-5046-kh-ubnd-2023",
                            "thanh-hoa-258-kh-ubnd-2024", "thanh-hoa-de-an-cds-2021-tin-tuc",
                            "thanh-hoa-ke-hoach-cds-2020"]
    hd = docs["hai-duong-5046-kh-ubnd-2023"]
    assert hd.meta.province == "Hải Dương" and hd.meta.number == "5046/KH-UBND"
    assert docs["thanh-hoa-de-an-cds-2021-tin-tuc"].meta.kind == "news"
    raw = (plans_dir / "hai-duong-5046-kh-ubnd-2023.txt").read_bytes()
    assert hd.content_hash == hashlib.sha256(raw).hexdigest()
    for doc in docs.values():
        assert len({r.id for r in doc.records}) == len(doc.records)  # deduplicated
        for r in doc.records:  # every span slices the source text
            assert 0 <= r.start < r.end <= len(doc.source_text)


def test_prose_target_year_from_clause(parsed_docs):
    doc = parsed_docs["thanh-hoa-ke-hoach-cds-2020"]
    (fiber,) = [t for t in doc.targets() if t.source == "prose" and "cáp quang" in t.indicator]
    assert fiber.values == {"2022": "trên 50%", "2025": "80%"}
    assert fiber.section.endswith("2.1. Mục tiêu đến năm 2025 › c)")
    assert "50% hộ gia đình" in doc.source_text[fiber.start:fiber.end]
    # year from the enclosing "- Đến hết năm 2022:" bullet; two figures of one year -> two targets
    y2022 = [t for t in doc.targets() if t.source == "prose" and t.values.get("2022") in {"từ 60%", "tối thiểu 90%"}]
    assert len(y2022) == 2


def test_prose_targets_year_from_plan_title(parsed_docs):
    doc = parsed_docs["thanh-hoa-258-kh-ubnd-2024"]
    (meetings,) = [t for t in doc.targets() if t.source == "prose" and "họp không giấy tờ" in t.indicator]
    assert meetings.values == {"2025": "80%"}
    assert meetings.section == "II. MỤC TIÊU › 2. Mục tiêu cụ thể › 2.2. Ứng dụng CNTT trong các cơ quan nhà nước"
    bd = parsed_docs["binh-dinh-59-kh-ubnd-2022"]
    (gov,) = [t for t in bd.targets() if t.source == "prose" and t.indicator.startswith("50% hoạt động kiểm tra")]
    assert gov.values == {"2025": "50%"}  # from "2. Mục tiêu cơ bản đến năm 2025"


def test_prose_target_keeps_ranges(parsed_docs):
    bd = parsed_docs["binh-dinh-59-kh-ubnd-2022"]
    (digital,) = [t for t in bd.targets() if t.source == "prose" and t.indicator.startswith("Kinh tế số chiếm")]
    assert digital.indicator == "Kinh tế số chiếm 15% đến 20% GRDP"
    assert digital.values == {"2030": "15% đến 20%"} and digital.unit == "%"
    assert bd.source_text[digital.start:digital.end] == "- Kinh tế số chiếm 15% đến 20% GRDP"
    # every written form of a range is one figure; a year before a dash is not a bound
    for clause, want in [("chiếm 15 - 20% GRDP", "15 - 20%"), ("đạt từ 15% đến 20%", "từ 15% đến 20%"),
                           ("từ 15 đến 20% GRDP", "từ 15 đến 20%"), ("đạt 1,5% - 2%", "1,5% - 2%"),
                           ("đến năm 2025 - 30% hồ sơ", "30%"), ("trên 80% dân số", "trên 80%")]:
        assert figure(clause) == want, clause


def test_prose_tasks_inline_lead(parsed_docs):
    doc = parsed_docs["thanh-hoa-258-kh-ubnd-2024"]
    tasks = [t for t in doc.tasks() if t.source in {"prose", "assignment"} and "TỔ CHỨC THỰC HIỆN" not in t.section]
    assert len(tasks) == 45  # plus 26 duties of "VI. TỔ CHỨC THỰC HIỆN" (tests/test_assignments.py)
    (ai,) = [t for t in tasks if t.text.startswith("Nghiên cứu triển khai Trợ lý ảo")]
    assert ai.section == "III. NHIỆM VỤ, GIẢI PHÁP › 6. Chính quyền số" and ai.row is None
    # a task card ("1. Nhiệm vụ: …", "2. Đơn vị chủ trì: Sở Y tế", "3. Đơn vị phối hợp: …"):
    # its fields are not tasks, its owners go to the card's tasks
    assert not any(t.text.startswith("Đơn vị chủ trì") for t in tasks)
    (vneid,) = [t for t in tasks if t.text.startswith("Triển khai liên thông dữ liệu Sổ sức khỏe điện tử")]
    assert vneid.lead == ["Sở Y tế"] and vneid.partners[:2] == ["Công an tỉnh", "Bảo hiểm xã hội tỉnh"]


def test_parse_corpus_survives_bad_files(tmp_path, plans_dir):
    for p in plans_dir.iterdir():
        shutil.copy(p, tmp_path / p.name)
    (tmp_path / "hong.docx").write_bytes(b"PK\x03\x04 this is not a real docx")
    (tmp_path / "rong.txt").write_bytes(b"   \n")
    docs, errors = parse_corpus(tmp_path)
    assert len(docs) == 5
    failed = sorted(e.path.rsplit("/", 1)[-1] for e in errors)
    assert failed == ["hong.docx", "rong.txt"]
    assert all(isinstance(e, IngestError) and e.to_json()["error"]["code"] == "ingest_error" for e in errors)


def test_bad_catalog_is_reported_and_files_still_parse(tmp_path, plans_dir):
    shutil.copy(plans_dir / "thanh-hoa-258-kh-ubnd-2024.txt", tmp_path)
    (tmp_path / "catalog.json").write_text("[{oops", encoding="utf-8")
    docs, errors = parse_corpus(tmp_path)
    assert [d.doc_id for d in docs] == ["thanh-hoa-258-kh-ubnd-2024"]
    assert docs[0].meta.province == "Thanh Hóa"  # read from the text
    assert len(errors) == 1 and "catalog is not valid JSON" in errors[0].reason


def test_catalog_and_guesses(plans_dir, tmp_path):
    cat = load_catalog(plans_dir / "catalog.json")
    assert cat["binh-dinh-59-kh-ubnd-2022"]["number"] == "59/KH-UBND"
    assert "doc_type" not in cat["binh-dinh-59-kh-ubnd-2022"]  # an entry holds only what it states
    (tmp_path / "catalog.json").write_text(json.dumps({"a": 1}), encoding="utf-8")
    try:
        load_catalog(tmp_path / "catalog.json")
    except IngestError as exc:
        assert "not an object" in exc.reason
    else:
        raise AssertionError("expected IngestError")


def test_parse_file_without_catalog_entry(tmp_path, plans_dir):
    src = plans_dir / "hai-duong-5046-kh-ubnd-2023.txt"
    dst = tmp_path / "ke-hoach-moi.txt"
    shutil.copy(src, dst)
    doc = parse_file(dst)
    assert doc.doc_id == "ke-hoach-moi" and doc.meta.province == "Hải Dương"
    assert doc.meta.title.startswith("Kế hoạch thực hiện chiến lược phát triển kinh tế số")
