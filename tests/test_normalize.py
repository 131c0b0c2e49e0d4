"""normalize(): offsets back to the source, tone marks, spaces, dewrapping; fold()."""
from __future__ import annotations

import re

import pytest

from ingest.normalize import fold, is_hard_wrapped, normalize

BINH_DINH = "binh-dinh-59-kh-ubnd-2022.txt"
HAI_DUONG = "hai-duong-5046-kh-ubnd-2023.txt"
THANH_HOA_2020 = "thanh-hoa-ke-hoach-cds-2020.txt"


@pytest.fixture(scope="module")
def source(plans_dir):
    return lambda name: (plans_dir / name).read_text(encoding="utf-8")


def test_fold():
    assert fold("Chữ ký số Hải Dương") == "chu ky so hai duong"
    assert fold("ĐẨY MẠNH Ứng dụng") == "day manh ung dung"
    assert fold("Sở TT&TT, 50%") == "so tt&tt, 50%"


def test_fold_keeps_length_on_the_corpus(plans_dir):
    for path in plans_dir.glob("*.txt"):
        text = normalize(path.read_text(encoding="utf-8")).text
        assert len(fold(text)) == len(text), path.name


@pytest.mark.parametrize(
    "written, canonical",
    [
        ("Thanh Hoá", "Thanh Hóa"),
        ("THANH HOÁ", "THANH HÓA"),
        ("thuỷ lợi", "thủy lợi"),
        ("sức khoẻ", "sức khỏe"),
        ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
        ("hoạ", "họa"),
        ("hoà nhập", "hòa nhập"),
        ("quý", "quý"),  # "qu" is the onset: the mark stays on y
        ("hoàn thành", "hoàn thành"),  # a final consonant follows
        ("thuyền", "thuyền"),
        ("hoặc", "hoặc"),
    ],
)
def test_one_tone_mark_placement(written, canonical):
    assert normalize(written).text == canonical
    assert normalize(canonical).text == canonical


def test_decomposed_input_is_composed_and_mapped():
    src = "Thanh Hoa\u0301 2025"  # combining acute, as from Windows-1258 or macOS
    n = normalize(src)
    assert n.text == "Thanh Hóa 2025"
    start = n.text.index("2025")
    assert src[slice(*n.to_source(start, start + 4))] == "2025"
    assert n.to_source(0, 5) == (0, 5)


def test_spaces_zero_width_and_blank_lines():
    src = "  Kế\u00a0hoạch\t\tsố\u200b 59  \r\n\r\n\r\n\r\nII.  MỤC\u00a0TIÊU \n"
    n = normalize(src)
    assert n.text == "Kế hoạch số 59\n\nII. MỤC TIÊU"
    assert len(n.offsets) == len(n.text) + 1
    assert n.offsets[-1] == len(src)
    for m in re.finditer(r"\S+", n.text):
        assert normalize(src[slice(*n.to_source(*m.span()))]).text == m.group(0)


def test_every_word_maps_back_to_the_source(source, plans_dir):
    for path in sorted(plans_dir.glob("*.txt")):
        src = path.read_text(encoding="utf-8")
        n = normalize(src)
        for m in re.finditer(r"\S+", n.text):
            a, b = n.to_source(*m.span())
            assert normalize(src[a:b]).text == m.group(0), (path.name, m.group(0))


def test_wrapped_document_detection(source):
    assert is_hard_wrapped(source(BINH_DINH).split("\n"))
    for name in (HAI_DUONG, THANH_HOA_2020, "thanh-hoa-258-kh-ubnd-2024.txt"):
        assert not is_hard_wrapped(source(name).split("\n")), name


def test_binh_dinh_is_dewrapped(source):
    src = source(BINH_DINH)
    lines = normalize(src).text.split("\n")
    for expected in [
        "ỦY BAN NHÂN DÂN",
        "Bình Định, ngày 25 tháng 04 năm 2022",
        "Căn cứ Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ về việc phê duyệt "
        "“Chương trình Chuyển đổi số quốc gia đến năm 2025, định hướng đến năm 2030”;",
        "1. Mục tiêu tổng quát",
        "2. Mục tiêu cơ bản đến năm 2025",
        "2.1. Phát triển Chính quyền số, nâng cao hiệu quả, hiệu lực hoạt động",
        "III. NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU CHUYỂN ĐỔI SỐ",
        "8. Sở Giáo dục và Đào tạo",
        "9. Sở Lao động - Thương binh và Xã hội",
        "13. Sở Công Thương",
        "17. Các doanh nghiệp viễn thông",
        "PHỤ LỤC I",
        "PHÂN CÔNG THEO DÕI, ĐÔN ĐỐC THỰC HIỆN CÁC MỤC TIÊU",
        "STT",
        "NỘI DUNG MỤC TIÊU CỤ THỂ",
        "CHỦ TRÌ ĐÔN ĐỐC",
        "1.1",
        "Văn phòng UBND tỉnh",
        "Sở TT&TT; Sở Nội vụ",
    ]:
        assert expected in lines, expected
    # Headings are not glued to the paragraph after them.
    assert "1. Mục đích" in lines and "2. Yêu cầu" in lines
    # Every "|" cell separator line survives on its own line.
    assert lines.count("|") == src.split("\n").count("|")
    assert len(lines) < 0.65 * len(src.split("\n"))


def test_hai_duong_one_cell_per_line_is_kept(source):
    src = source(HAI_DUONG)
    n = normalize(src)
    src_lines = src.rstrip().split("\n")
    lines = n.text.split("\n")
    assert len(lines) == len(src_lines) == 713
    appendix = src_lines.index("PHỤ LỤC")
    assert lines[appendix:] == [" ".join(ln.split()) for ln in src_lines[appendix:]]
    assert lines[appendix + 3 : appendix + 7] == ["TT", "Nhiệm vụ", "Chủ trì thực hiện", "Thời gian thực hiện"]


def test_lowercase_continuation_after_a_blank_line(source):
    src = source(THANH_HOA_2020)
    n = normalize(src)
    sentence = "trên địa bàn tỉnh (trừ hồ sơ công việc thuộc phạm vi bí mật nhà nước)."
    line = next(ln for ln in n.text.split("\n") if sentence in ln)
    assert line.startswith("- Đến hết năm 2020, 100% hồ sơ công việc được trao đổi")
    start = n.text.index("hồ sơ công việc thuộc")
    a, b = n.to_source(start, start + len("hồ sơ công việc"))
    assert src[a:b] == "hồ sơ\n\ncông việc"
    # Items stay apart: "a) …" after a heading is not a continuation.
    assert "2.1. Mục tiêu đến năm 2025" in n.text.split("\n")


def test_tables_lines_are_never_joined():
    src = "Chủ trì\n|\nphối hợp\n1.1\nnhiệm vụ tiếp theo"
    assert normalize(src).text == src
