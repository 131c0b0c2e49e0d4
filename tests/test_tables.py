"""Appendix and indicator tables of the real corpus rebuilt into Task/Target/Project records."""
from __future__ import annotations

from dataclasses import asdict

import pytest

from ingest.normalize import normalize
from ingest.records import NormalizedText, Project, Target, Task
from ingest.table_records import extract_table_records, value_phrase, years_of
from ingest.tables import find_tables

HD, TH, BD = "hai-duong-5046-kh-ubnd-2023", "thanh-hoa-258-kh-ubnd-2024", "binh-dinh-59-kh-ubnd-2022"
PROVINCE = {HD: "Hải Dương", TH: "Thanh Hóa", BD: "Bình Định"}


@pytest.fixture(scope="module")
def corpus(plans_dir):
    out = {}
    for doc in (HD, TH, BD, "thanh-hoa-ke-hoach-cds-2020", "thanh-hoa-de-an-cds-2021-tin-tuc"):
        source = (plans_dir / f"{doc}.txt").read_text(encoding="utf-8")
        norm = normalize(source)
        out[doc] = (source, norm, extract_table_records(doc, norm, PROVINCE.get(doc, "Thanh Hóa")))
    return out


def _recs(corpus, doc, cls):
    return [r for r in corpus[doc][2] if isinstance(r, cls)]


def _one(recs, attr, needle):
    found = [r for r in recs if needle in getattr(r, attr)]
    assert len(found) == 1, [getattr(r, attr) for r in found]
    return found[0]


# --- counts, counted by hand from the files -------------------------------------------------


def test_record_counts(corpus):
    assert (len(_recs(corpus, HD, Task)), len(_recs(corpus, HD, Target)), len(_recs(corpus, HD, Project))) == (86, 17, 0)
    assert (len(_recs(corpus, TH, Task)), len(_recs(corpus, TH, Target)), len(_recs(corpus, TH, Project))) == (0, 46, 14)
    assert (len(_recs(corpus, BD, Task)), len(_recs(corpus, BD, Target)), len(_recs(corpus, BD, Project))) == (43, 21, 0)
    assert corpus["thanh-hoa-ke-hoach-cds-2020"][2] == []
    assert corpus["thanh-hoa-de-an-cds-2021-tin-tuc"][2] == []


def test_ids_are_unique_and_spans_point_into_the_source(corpus):
    for doc in (HD, TH, BD):
        source, _, recs = corpus[doc]
        assert len({r.id for r in recs}) == len(recs)
        for r in recs:
            first = (getattr(r, "text", None) or getattr(r, "indicator", None) or r.name)[:12]
            assert first.split()[0] in source[r.start : r.end] or r.row in source[r.start : r.end]


# --- Hải Dương: layout "lines" ----------------------------------------------------------------


def test_hai_duong_appendix_tasks(corpus):
    tasks = _recs(corpus, HD, Task)
    t = _one(tasks, "text", "Triển khai Nền tảng hóa đơn điện tử")
    assert (t.lead, t.timeframe, t.start_year, t.end_year, t.row) == (["Sở Tài chính"], "2023", 2023, 2023, "7")
    assert t.section == "PHỤ LỤC › A. PHÁT TRIỂN NỀN MÓNG CHO KINH TẾ SỐ VÀ XÃ HỘI SỐ › IX. Phát triển thanh toán số"
    g = _one(tasks, "text", "lộ trình số hóa và thông minh hóa lĩnh vực hạ tầng giao thông")
    assert g.lead == ["Sở Giao thông vận tải"]
    assert g.section == "PHỤ LỤC › A. PHÁT TRIỂN NỀN MÓNG CHO KINH TẾ SỐ VÀ XÃ HỘI SỐ › II. Phát triển hạ tầng"
    # canonical agencies in multi-agency cells, open-ended timeframes
    m = _one(tasks, "text", "Học từ làm việc thực tế")
    assert m.lead == ["Sở Giáo dục và Đào tạo", "Sở Lao động, Thương binh và Xã hội"]
    assert (m.timeframe, m.start_year) == ("Khi có hướng dẫn của Trung ương", None)
    n = _one(tasks, "text", "cơ chế thử nghiệm có kiểm soát")
    assert n.lead == ["Ngân hàng Nhà nước"]
    k = _one(tasks, "text", "quảng bá thương hiệu")
    assert k.lead == ["Sở Công Thương", "Các địa phương"]
    assert _one(tasks, "text", "Chiến lược an toàn, an ninh mạng").lead == ["Tiểu ban An toàn, An ninh mạng tỉnh"]


def test_hai_duong_indicator_tables(corpus):
    targets = _recs(corpus, HD, Target)
    s = _one(targets, "indicator", "Tỷ lệ dân số trưởng thành có điện thoại thông minh")
    assert s.values == {"2025": "80%", "2030": "95%"}
    assert (s.baseline, s.baseline_year, s.baseline_source) == ("72,32%", 2022, "DTI 2022")
    assert s.owners == ["Sở Thông tin và Truyền thông"]
    # a baseline cell written on three lines
    b = _one(targets, "indicator", "Tỷ trọng kinh tế số trong từng ngành, lĩnh vực")
    assert b.baseline.startswith("- Nông lâm, thủy sản: 0,60%") and "Dịch vụ: 9,21%" in b.baseline
    assert (b.baseline_source, b.values) == ("Cục Thống kê cung cấp", {"2025": ">=10%", "2030": ">=20%"})
    h = _one(targets, "indicator", "hồ sơ sức khỏe điện tử")
    assert (h.baseline, h.values, h.owners) == ("-", {"2025": "≥70%", "2030": "≥90%"}, ["Sở Y tế"])


# --- Thanh Hóa: rows without numbers, merged cells, projects ----------------------------------


def test_thanh_hoa_targets(corpus):
    targets = _recs(corpus, TH, Target)
    r18 = next(t for t in targets if t.row == "18")
    assert r18.values == {"2025": "Không giao"}
    assert r18.owners == ["Trung tâm Phục vụ hành chính công tỉnh", "Công an tỉnh"]
    r16 = next(t for t in targets if t.row == "16")
    assert "số hóa" in r16.indicator
    assert "Trung tâm Phục vụ hành chính công tỉnh" in r16.owners
    assert r16.legal_basis.startswith("Quyết định số 3740/QĐ-UBND")
    # rows 13 and 32 have no legal-basis and no owner cell: the merged cell was written once,
    # in row 14 (below) and row 31 (above); the row takes the owner block of the neighbour with
    # the closest text ("trực tuyến toàn trình", "sức khỏe") and says so in its note
    r13 = next(t for t in targets if t.row == "13")
    assert (r13.values, r13.owners, r13.legal_basis) == (
        {"2025": "90%"},
        ["Trung tâm Phục vụ hành chính công tỉnh", "Các sở, ban, ngành", "Ủy ban nhân dân cấp huyện"],
        "Công văn số 3816/BTTTT-CĐSQG ngày 14/9/2024 (Phụ lục hướng dẫn)",
    )
    assert r13.note == "Cơ quan chủ trì và căn cứ lấy từ ô gộp chung với dòng 14"
    r32 = next(t for t in targets if t.row == "32")
    assert (r32.values, r32.owners, r32.legal_basis) == (
        {"2025": "90%"}, ["Sở Y tế"], "Quyết định 411/QĐ-TTg ngày 31/3/2022")
    assert r32.note == "Cơ quan chủ trì và căn cứ lấy từ ô gộp chung với dòng 31"
    assert sum(1 for t in targets if t.note) == 2  # every other row has its own owner cell
    r14 = next(t for t in targets if t.row == "14")
    assert r14.values == {"2025": "Tối thiểu 70%"} and r14.owners[0] == "Trung tâm Phục vụ hành chính công tỉnh"
    # multi-line cells
    r11 = next(t for t in targets if t.row == "11")
    assert "06 huyện" in r11.indicator and r11.values == {"2025": "- 300 xã - 06 huyện"}
    assert r11.owners == ["Ủy ban nhân dân cấp huyện", "Ủy ban nhân dân cấp xã"]
    r2 = next(t for t in targets if t.row == "2")
    assert "269/KH-UBND" in r2.legal_basis and "225/KH-UBND" in r2.legal_basis
    # four rows after 42 carry no number (written with a leading space)
    unnumbered = [t for t in targets if t.row is None]
    assert len(unnumbered) == 4
    v = _one(unnumbered, "indicator", "di sản văn hóa")
    assert (v.values, v.owners) == ({"2025": "100%"}, ["Sở Văn hóa, Thể thao và Du lịch"])
    assert all(t.section == "PHỤ LỤC 01" for t in targets)


def test_thanh_hoa_projects(corpus):
    projects = _recs(corpus, TH, Project)
    kho = _one(projects, "name", "Đầu tư xây dựng Kho dữ liệu dùng chung của tỉnh")
    assert kho.owner == ["Sở Thông tin và Truyền thông"] and kho.row is None
    assert kho.legal_basis.startswith("Theo Kế hoạch số 272/KH- UBND")
    first = projects[0]
    assert (first.row, first.owner) == ("1", ["Văn phòng Tỉnh ủy"])
    assert first.note.startswith("Tờ trình số 215/TTr-VPTU")
    assert first.legal_basis.startswith("Công văn số 5590")
    assert first.scope.startswith("- Đầu tư các trang thiết bị")
    app = _one(projects, "name", "Mini APP Nông dân")
    assert (app.owner, app.note) == (["Hội Nông dân tỉnh"], "CV số 28-TTr/HNDT ngày 11/10/2024")
    assert app.legal_basis.startswith("- Kế hoạch số 27-KH/HNDTW")
    assert [p.row for p in projects].count(None) == 12
    # "Sự cần thiết" vs "quy mô, nội dung": the argument ends where the list of work begins
    attt = _one(projects, "name", "Tăng cường an toàn, an ninh mạng")
    assert attt.purpose.endswith("là yêu cầu cấp thiết trong giai đoạn hiện nay.")
    assert attt.scope.startswith("- Đầu tư, bổ sung năng lực hệ thống tại Trung tâm dữ liệu")
    lgsp = _one(projects, "name", "thông qua LGSP")
    assert lgsp.purpose.endswith("tại Công văn số 1832/BTTTT- THH ngày 16/5/2022.")
    assert lgsp.scope.startswith("Bổ sung, mở rộng các thành phần của Nền tảng chia sẻ")
    assert kho.purpose.endswith("đảm bảo an ninh quốc phòng của Tỉnh")
    assert kho.scope.startswith("Xây dựng hệ thống quản lý cơ sở dữ liệu dùng chung")
    assert first.purpose.endswith("là rất cần thiết và cấp bách trong giai đoạn hiện nay.")
    assert next(p for p in projects if p.row == "11").owner == ["Sở Giáo dục và Đào tạo"]


# --- Bình Định: layout "pipes" with hard-wrapped cells --------------------------------------


def test_binh_dinh_tasks(corpus):
    tasks = _recs(corpus, BD, Task)
    kho = _one(tasks, "text", "Xây dựng Kho dữ liệu số dùng chung tỉnh Bình Định")
    assert kho.lead == ["Sở Thông tin và Truyền thông"]
    assert kho.partners == ["Các sở, ban, ngành", "Ủy ban nhân dân cấp huyện"]
    assert (kho.timeframe, kho.start_year, kho.end_year) == ("2022-2025", 2022, 2025)
    assert kho.section == "PHỤ LỤC II › II. PHÁT TRIỂN CHÍNH QUYỀN SỐ"
    # a row with no number under a group row
    lgsp = _one(tasks, "text", "(LGSP)")
    assert (lgsp.row, lgsp.lead, lgsp.timeframe) == (None, ["Sở Thông tin và Truyền thông"], "2022-2023")
    assert lgsp.section.endswith("› 4. Phát triển nền tảng số")
    assert lgsp.note.startswith("LGSP của tỉnh")
    # a short row whose last cell (and pipe) was never written
    last_ii = _one(tasks, "text", "Lưu trữ lịch sử tỉnh")
    assert (last_ii.lead, last_ii.partners, last_ii.note) == (["Sở Nội vụ"], ["Sở Thông tin và Truyền thông"], None)
    assert _one(tasks, "text", "Phát triển hạ tầng thanh toán không dùng tiền mặt").lead == ["Ngân hàng Nhà nước"]


def test_binh_dinh_targets(corpus):
    targets = _recs(corpus, BD, Target)
    pay = [t for t in targets if "tài khoản thanh toán điện tử" in t.indicator]
    assert [t.values for t in pay] == [{"2025": "trên 50%"}, {"2030": "trên 80%"}]
    assert pay[1].owners == ["Ngân hàng Nhà nước"]  # its lead cell is empty, the bank sits one cell right
    assert pay[1].section == "PHỤ LỤC I › II. ĐẾN NĂM 2030 › 3. Phát triển xã hội số, thu hẹp khoảng cách số"
    first = targets[0]
    assert first.row == "1.1" and first.owners == ["Văn phòng Ủy ban nhân dân tỉnh"]
    assert first.partners == ["Sở Thông tin và Truyền thông", "Sở Nội vụ", "Các sở, ban, ngành", "Các địa phương"]
    # "CƠ QUAN THỰC HIỆN" is kept apart in executors (and still listed among the partners)
    assert first.executors == ["Các sở, ban, ngành", "Các địa phương"]
    r15 = next(t for t in targets if t.row == "1.5")
    assert (r15.owners, r15.partners, r15.executors) == (
        ["Sở Thông tin và Truyền thông"], ["Ủy ban nhân dân cấp huyện", "Ủy ban nhân dân cấp xã"],
        ["Ủy ban nhân dân cấp huyện", "Ủy ban nhân dân cấp xã"])
    assert pay[1].executors == ["Các sở, ban, ngành", "Các địa phương", "Doanh nghiệp"]
    # several figures in one target: all of them, in order, under the year of the group row
    assert next(t for t in targets if t.indicator.startswith("- Kinh tế số chiếm 15%")).values == {
        "2030": "15% đến 20%; tối thiểu 80%; tối thiểu 80%; tối thiểu 20%"}


# --- layouts agree; pure helpers ---------------------------------------------------------------

_LINES = """PHỤ LỤC
TT
Nhiệm vụ
Chủ trì
Thời gian
A
NHIỆM VỤ CHUNG
1
Triển khai Nền tảng hóa đơn điện tử
Sở Tài chính
2023
2
Xây dựng Kho dữ liệu dùng chung
Sở TT&TT; UBND các huyện, thị xã, thành phố
2023-2025
"""

_ROWS = """PHỤ LỤC

| TT | Nhiệm vụ | Chủ trì | Thời gian |
| A | NHIỆM VỤ CHUNG | | |
| 1 | Triển khai Nền tảng hóa đơn điện tử | Sở Tài chính | 2023 |
| 2 | Xây dựng Kho dữ liệu dùng chung | Sở TT&TT; UBND các huyện, thị xã, thành phố | 2023-2025 |
"""


def _identity(text: str) -> NormalizedText:
    return NormalizedText(text, list(range(len(text) + 1)))


def test_native_rows_give_the_same_records_as_text_layout():
    def strip(recs):
        return [{k: v for k, v in asdict(r).items() if k not in ("start", "end")} for r in recs]

    a = extract_table_records("d", _identity(_LINES), "Hải Dương")
    c = extract_table_records("d", _identity(_ROWS), "Hải Dương")
    assert [t.layout for t in find_tables(_identity(_ROWS))] == ["rows"]
    assert strip(a) == strip(c)
    assert len(a) == 2 and a[1].lead == ["Sở Thông tin và Truyền thông", "Ủy ban nhân dân cấp huyện"]
    assert a[0].section == "PHỤ LỤC › A. NHIỆM VỤ CHUNG"
    # spans point at the rows in each source
    assert _ROWS[c[0].start : c[0].end].startswith("| 1 | Triển khai")
    assert _LINES[a[0].start : a[0].end].startswith("1\nTriển khai")


def test_section_path_callback_is_used():
    recs = extract_table_records("d", _identity(_LINES), "X", section_path_at=lambda off: "PHỤ LỤC I")
    assert recs[0].section == "PHỤ LỤC I › A. NHIỆM VỤ CHUNG"


def test_raw_and_normalized_text_agree_on_records(corpus, plans_dir):
    source, norm, recs = corpus[TH]
    raw = extract_table_records(TH, _identity(source), "Thanh Hóa")
    # the parser needs no normalization; ids may differ where normalization respells a word
    assert [(r.kind, r.row, r.start, r.end) for r in raw] == [(r.kind, r.row, r.start, r.end) for r in recs]


def test_helpers():
    assert years_of("2023-2025") == (2023, 2025)
    assert years_of("Năm 2023") == (2023, 2023)
    assert years_of("Hằng năm") == (None, None)
    assert value_phrase("Tỷ lệ dân số có tài khoản thanh toán điện tử trên 80%.") == "trên 80%"
    assert value_phrase("giảm 30% thủ tục; tăng 30% dịch vụ") == "30%; 30%"
    assert value_phrase("90% hồ sơ cấp tỉnh; 80% hồ sơ cấp huyện và 60% hồ sơ cấp xã") == "90%; 80%; 60%"
    assert value_phrase("Thu hút khoảng 2.000 chuyên gia") is None
