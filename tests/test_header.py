"""Document metadata from the administrative header (ingest.header) and the catalog over it,
on headers of several issuers and layouts (tests/fixtures/headers) and the sample corpus."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ingest.catalog import load_catalog, meta_for
from ingest.header import display_name, read_header, sentence_case
from ingest.pipeline import parse_file

FIXTURES = Path(__file__).parent / "fixtures" / "headers"

# file -> (issuer, number, issued, doc_type, level, scope, province, title start)
EXPECTED = {
    "province-two-columns.txt": (
        "Ủy ban nhân dân tỉnh Quảng Ngãi", "38/KH-UBND", "2024-02-20", "Kế hoạch", "province", "tỉnh Quảng Ngãi",
        "Quảng Ngãi", "Kế hoạch triển khai thực hiện Nghị quyết số 13-NQ/TU ngày 06/9/2023 của Ban Thường vụ Tỉnh ủy"),
    "party-resolution.md": (
        "Ban Chấp hành Trung ương", "57-NQ/TW", "2024-12-22", "Nghị quyết", "national", "toàn quốc", "",
        "Nghị quyết của Bộ Chính trị về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia"),
    "government-decision.md": (
        "Thủ tướng Chính phủ", "411/QĐ-TTg", "2022-03-31", "Quyết định", "national", "toàn quốc", "",
        "Quyết định phê duyệt chiến lược quốc gia phát triển kinh tế số và xã hội số đến năm 2025"),
    "district-plan.txt": (
        "Ủy ban nhân dân huyện Nghi Lộc", "12/KH-UBND", "2023-03-05", "Kế hoạch", "district",
        "huyện Nghi Lộc, tỉnh Nghệ An", "Nghệ An", "Kế hoạch chuyển đổi số huyện Nghi Lộc năm 2023"),
    "ministry-letter.txt": (
        "Bộ Thông tin và Truyền thông", "2390/BTTTT-THH", "2020-06-30", "Công văn", "national", "toàn quốc", "",
        "Công văn V/v triển khai Chương trình Chuyển đổi số quốc gia"),
    "city-party.txt": (
        "Thành ủy Hà Nội", "18-CTr/TU", "2021-06-10", "Chương trình", "province", "thành phố Hà Nội", "Hà Nội",
        "Chương trình đẩy mạnh chuyển đổi số, xây dựng thành phố thông minh giai đoạn 2021-2025"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_header_of_each_layout(name):
    h = read_header((FIXTURES / name).read_text(encoding="utf-8"))
    issuer, number, issued, doc_type, level, scope, province, title = EXPECTED[name]
    assert (h.issuer, h.number, h.issued, h.doc_type, h.level, h.scope, h.province) == (
        issuer, number, issued, doc_type, level, scope, province)
    assert h.title.startswith(title), h.title
    assert "CỘNG HÒA" not in h.title and "Độc lập" not in h.title and "*" not in h.title


def test_appendix_filed_alone_names_its_document():
    h = read_header((FIXTURES / "appendix-file.txt").read_text(encoding="utf-8"))
    assert h.doc_type == "Phụ lục" and h.title == "Phụ lục I danh mục nhiệm vụ chuyển đổi số"
    assert h.attached_to == "Kế hoạch số 59/KH-UBND ngày 25/4/2022 của UBND tỉnh Bình Định"
    assert (h.province, h.number) == ("Bình Định", None)


def test_sample_plans_headers(plans_dir):
    from ingest.loaders import load

    bd = read_header(load(plans_dir / "binh-dinh-59-kh-ubnd-2022.txt").text)  # wrapped mid-word
    assert (bd.issuer, bd.number, bd.issued, bd.place) == ("Ủy ban nhân dân tỉnh Bình Định", "59/KH-UBND",
                                                            "2022-04-25", "Bình Định")
    hd = read_header(load(plans_dir / "hai-duong-5046-kh-ubnd-2023.txt").text)  # no issuer lines
    assert (hd.issuer, hd.number, hd.doc_type) == ("Ủy ban nhân dân tỉnh Hải Dương", "5046/KH-UBND", "Kế hoạch")
    th = read_header(load(plans_dir / "thanh-hoa-ke-hoach-cds-2020.txt").text)  # number and day left blank
    assert (th.number, th.code, th.issued, th.doc_type) == (None, "QĐ-UBND", "2020", "Quyết định")
    assert th.title == ("Quyết định về việc ban hành Kế hoạch Chuyển đổi số trên địa bàn tỉnh Thanh Hóa "
                        "đến năm 2025, định hướng đến năm 2030")
    news = read_header(load(plans_dir / "thanh-hoa-de-an-cds-2021-tin-tuc.txt").text)
    assert (news.doc_type, news.number, news.issuer) == ("", None, "")  # a news page has no header


def test_no_header_at_all():
    h = read_header("Một đoạn văn không có tiêu đề hành chính nào. Chỉ tiêu đạt 50% vào năm 2025.")
    assert (h.issuer, h.number, h.doc_type, h.title, h.scope) == ("", None, "", "", "")
    assert read_header("") == read_header("   \n\n")


def test_names_and_titles_in_capitals():
    assert display_name("BỘ KHOA HỌC VÀ CÔNG NGHỆ") == "Bộ Khoa học và Công nghệ"
    assert display_name("ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ NẴNG") == "Ủy ban nhân dân thành phố Đà Nẵng"
    assert display_name("TỈNH ỦY QUẢNG NINH") == "Tỉnh ủy Quảng Ninh"
    assert sentence_case("ỨNG DỤNG CNTT VÀ GRDP TỈNH BẮC NINH") == "Ứng dụng CNTT và GRDP tỉnh Bắc Ninh"


def test_catalog_only_overrides_what_it_states(tmp_path):
    src = FIXTURES / "province-two-columns.txt"
    shutil.copy(src, tmp_path / "qn-38.txt")
    (tmp_path / "catalog.json").write_text(json.dumps(
        [{"doc_id": "qn-38", "title": "Kế hoạch 38 (bản tóm tắt)", "status": "đã ban hành"}]), encoding="utf-8")
    meta = meta_for(tmp_path / "qn-38.txt", load_catalog(tmp_path / "catalog.json"), src.read_text(encoding="utf-8"))
    assert (meta.title, meta.status) == ("Kế hoạch 38 (bản tóm tắt)", "đã ban hành")  # from the catalog
    assert (meta.number, meta.issuer, meta.scope) == ("38/KH-UBND", "Ủy ban nhân dân tỉnh Quảng Ngãi", "tỉnh Quảng Ngãi")
    moved = meta_for(tmp_path / "qn-38.txt", {"qn-38": {"doc_id": "qn-38", "province": "Đà Nẵng"}}, src.read_text())
    assert (moved.province, moved.scope, moved.level) == ("Đà Nẵng", "thành phố Đà Nẵng", "province")


def test_file_without_catalog_entry_reads_its_header(tmp_path):
    dst = tmp_path / "nq-57.md"
    shutil.copy(FIXTURES / "party-resolution.md", dst)
    doc = parse_file(dst)
    assert (doc.meta.doc_id, doc.meta.province, doc.meta.scope, doc.meta.number) == ("nq-57", "", "toàn quốc", "57-NQ/TW")
    assert doc.meta.title.startswith("Nghị quyết của Bộ Chính trị")
    assert [s.title for s in doc.sections if s.kind == "part"] == ["TÌNH HÌNH VÀ NGUYÊN NHÂN"]  # no "**" left
