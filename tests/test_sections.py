"""Section tree on the real corpus: known nodes, paths, counts, table cells kept out."""
from __future__ import annotations

import pytest

from ingest.pipeline import parse_file
from ingest.records import NormalizedText
from ingest.sections import classify, parse_sections, strip_footnote_marks


@pytest.fixture(scope="module")
def docs(plans_dir):
    names = ["thanh-hoa-ke-hoach-cds-2020", "thanh-hoa-258-kh-ubnd-2024",
             "hai-duong-5046-kh-ubnd-2023", "binh-dinh-59-kh-ubnd-2022"]
    return {n: parse_file(plans_dir / f"{n}.txt") for n in names}


def _by_path(doc, suffix):
    hits = [s for s in doc.sections if s.path.endswith(suffix)]
    assert len(hits) == 1, [s.path for s in hits]
    return hits[0]


def test_classify_headings():
    assert classify("III. NHIỆM VỤ, GIẢI PHÁP").kind == "part"
    assert classify("Phần II. Mục tiêu").number == "II"
    assert classify("1.3. Nền tảng số").number == "1.3"
    assert classify("đ) Hoàn thiện hệ thống").kind == "letter"
    assert classify("+ 70% các dịch vụ công").number == "+"
    assert classify("PHỤ LỤC 01:").number == "PHỤ LỤC 01"
    # table cells and wrapped continuations are not headings
    for cell in ("1", "I", "12", "1.1", "- xã hội và các doanh nghiệp.", "5.2, khoản 5 Mục III"):
        assert classify(cell) is None, cell


def test_thanh_hoa_2020_tree(docs):
    doc = docs["thanh-hoa-ke-hoach-cds-2020"]
    root = doc.sections[0]
    assert root.kind == "root"
    parts = [s for s in doc.sections if s.kind == "part"]
    assert [p.number for p in parts] == ["I", "II", "III", "IV", "V"]
    y_te = _by_path(doc, "› 5.1. Chuyển đổi số trong lĩnh vực y tế")
    assert y_te.path == ("III. NHIỆM VỤ, GIẢI PHÁP TẠO NỀN MÓNG CHUYỂN ĐỔI SỐ › 5. Một số lĩnh vực "
                         "cần ưu tiên chuyển đổi số › 5.1. Chuyển đổi số trong lĩnh vực y tế")
    by_id = {s.id: s for s in doc.sections}
    assert [by_id[c].number for c in y_te.children] == ["a", "b", "c", "d", "đ"]
    assert y_te.level == 3 and by_id[y_te.parent_id].number == "5"
    # the heading and its body map to the source text
    assert doc.source_text[y_te.start:y_te.end].startswith("5.1. Chuyển đổi số trong lĩnh vực y tế")
    assert "đơn thuốc điện" in doc.source_text[y_te.start:y_te.end]
    # the "Nơi nhận" list and decision text before part I stay at the root
    assert parts[0].parent_id == root.id
    assert not any(s.kind == "bullet" and s.parent_id == root.id for s in doc.sections)
    assert len([s for s in doc.sections if s.kind == "letter"]) == 85


def test_hai_duong_tables_are_not_sections(docs):
    doc = docs["hai-duong-5046-kh-ubnd-2023"]
    numbers = [s.number for s in doc.sections if s.kind in ("part", "item", "appendix")]
    # indicator tables in part II and the appendix table rows ("1", "2", "I", "A") are cells
    assert numbers == ["I", "1", "2", "II", "1", "2", "III", "1", "2", "IV", "1", "2",
                       "V", "VI", "1", "2", "PHỤ LỤC"]
    appendix = doc.sections[-1]
    assert appendix.kind == "appendix" and appendix.children == []
    assert appendix.path == "PHỤ LỤC. DANH MỤC NHIỆM VỤ TRỌNG TÂM"
    assert _by_path(doc, "› 1.3. Nền tảng số").path == (
        "III. NHIỆM VỤ › 1. Phát triển nền móng kinh tế số và xã hội số › 1.3. Nền tảng số")


def test_footnote_markers_left_out_of_titles(docs):
    doc = docs["hai-duong-5046-kh-ubnd-2023"]
    goals = [s for s in doc.sections if s.path.startswith("II. MỤC TIÊU › ") and s.kind == "item"]
    assert [(s.title, s.path) for s in goals] == [
        ("Phát triển kinh tế số", "II. MỤC TIÊU › 1. Phát triển kinh tế số"),
        ("Phát triển xã hội số", "II. MỤC TIÊU › 2. Phát triển xã hội số"),
    ]
    # the source span still covers the marker
    assert doc.source_text[goals[0].start:goals[0].end].startswith("1. Phát triển kinh tế số[1]\n")
    assert not any("[" in s.title for d in docs.values() for s in d.sections)
    assert strip_footnote_marks("Phát triển xã hội số[2]:") == "Phát triển xã hội số:"
    assert strip_footnote_marks("Chính quyền số[12] và kinh tế số") == "Chính quyền số và kinh tế số"
    # a bracketed number standing apart is wording, not a footnote marker
    assert strip_footnote_marks("Danh mục [1] nhiệm vụ") == "Danh mục [1] nhiệm vụ"


def test_binh_dinh_wrapped_headings(docs):
    doc = docs["binh-dinh-59-kh-ubnd-2022"]
    part5 = [s for s in doc.sections if s.kind == "part" and s.number == "V"][0]
    by_id = {s.id: s for s in doc.sections}
    titles = [by_id[c].title for c in part5.children]
    assert len(titles) == 18
    assert titles[12] == "Sở Công Thương"
    assert titles[3] == "Ngân hàng Nhà nước Việt Nam Chi nhánh tỉnh Bình Định"
    assert [s.number for s in doc.sections if s.kind == "appendix"] == ["PHỤ LỤC I", "PHỤ LỤC II"]
    assert _by_path(doc, "› 5.6. Chuyển đổi số trong lĩnh vực năng lượng").kind == "subitem"
    # a wrapped heading stops where its body's first (indented, shorter) line begins, even after
    # a word that folds like a function word ("vận tải" ~ "tại", "UBND tỉnh" ~ "tính")
    assert titles[1] == "Văn phòng UBND tỉnh" and titles[11] == "Sở Giao thông vận tải"
    gt = _by_path(doc, "› 5.5. Chuyển đổi số trong lĩnh vực giao thông vận tải")
    assert doc.normalized.text[gt.norm_body_start:].lstrip().startswith("Chuyển đổi việc quản lý kết cấu hạ tầng")
    iot = _by_path(doc, "› 1.3. Phát triển hạ tầng số › b)")
    assert iot.title == "Hạ tầng Internet vạn vật (IoT)"
    assert doc.normalized.text[iot.norm_body_start:].lstrip().startswith("Phát triển hạ tầng kết nối mạng Internet")


def test_thanh_hoa_258_appendices(docs):
    doc = docs["thanh-hoa-258-kh-ubnd-2024"]
    apps = [s for s in doc.sections if s.kind == "appendix"]
    assert [a.path for a in apps] == ["PHỤ LỤC 01. CÁC CHỈ TIÊU VỀ CHUYỂN ĐỔI SỐ NĂM 2025",
                                      "PHỤ LỤC 02. CÁC DỰ ÁN CÔNG NGHỆ THÔNG TIN TRIỂN KHAI NĂM 2025"]
    part6 = [s for s in doc.sections if s.kind == "part" and s.number == "VI"][0]
    # the part ends where "Nơi nhận:" starts
    assert "Nơi nhận" not in doc.normalized.text[part6.norm_start:part6.norm_end]
    assert len(part6.children) == 12


def test_ids_stable_and_spans_nested():
    text = "I. MỤC TIÊU\n1. Chung\na) Một\n- Hai\nII. NHIỆM VỤ\n1. Khác\n"
    norm = NormalizedText(text, list(range(len(text) + 1)))
    a = parse_sections(norm, "x")
    b = parse_sections(norm, "x")
    assert [s.id for s in a] == [s.id for s in b]
    assert [s.path for s in a] == ["", "I. MỤC TIÊU", "I. MỤC TIÊU › 1. Chung",
                                   "I. MỤC TIÊU › 1. Chung › a)", "I. MỤC TIÊU › 1. Chung › a) › -",
                                   "II. NHIỆM VỤ", "II. NHIỆM VỤ › 1. Khác"]
    by_id = {s.id: s for s in a}
    for s in a[1:]:
        p = by_id[s.parent_id]
        assert p.norm_start <= s.norm_start and s.norm_end <= p.norm_end
    assert text[a[1].norm_start:a[1].norm_end] == "I. MỤC TIÊU\n1. Chung\na) Một\n- Hai"
