"""One appendix slice of the Hải Dương plan in four formats gives the same records end to end.

The .txt plan is the reference: its table is flattened one cell per line. The same rows written
as a native DOCX table (merged cells, multi-paragraph cells), a PDF table (cells wrapped over
several lines) and an HTML <table> (colspan/rowspan) must give the same Task and Target records
through `ingest.pipeline.parse_file`. Bad files of every kind fail with an IngestError naming
the file and the reason, and never sink a corpus run.
"""
from __future__ import annotations

import shutil
from html import escape
from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.pipeline import parse_corpus, parse_file
from ingest.records import DocumentMeta, Target, Task

HD = "hai-duong-5046-kh-ubnd-2023"
HEADINGS = [
    "PHỤ LỤC",
    "DANH MỤC NHIỆM VỤ TRỌNG TÂM",
    "(Kèm theo Kế hoạch số 5046/KH-UBND ngày 29/12/2023 của UBND tỉnh Hải Dương)",
]
HEADER = ["TT", "Nhiệm vụ", "Chủ trì thực hiện", "Thời gian thực hiện"]
# Rows copied from the appendix of the .txt plan: group rows (marker, title) and task rows.
# A cell given as a list is written as several paragraphs (DOCX) / lines (HTML <br>); ABOVE is
# a cell merged with the one above it (vMerge in DOCX, rowspan in HTML, SPAN in the PDF).
ABOVE = object()
ROWS: list[tuple] = [
    ("A", "PHÁT TRIỂN NỀN MÓNG CHO KINH TẾ SỐ VÀ XÃ HỘI SỐ"),
    ("I", "Hoàn thiện thể chế"),
    ("1", "Rà soát, xây dựng, sửa đổi, bổ sung các quy định pháp luật cho phù hợp với sự phát triển "
          "kinh tế số, xã hội số của tỉnh; rà soát, chỉnh sửa, bổ sung cơ chế, chính sách, văn bản quy "
          "phạm pháp luật trong từng ngành, lĩnh vực để cụ thể hóa việc thúc đẩy giao dịch điện tử trong "
          "mọi mặt kinh tế - xã hội; xây dựng các chính sách để bảo đảm tỷ lệ hoạt động trực tuyến chiếm "
          "tối thiểu 50% tổng số hoạt động trong mỗi cơ quan, tổ chức, ngành, lĩnh vực",
     "Các sở, ngành, địa phương", "2023-2025"),
    ("3", "Xây dựng cơ chế hỗ trợ các doanh nghiệp, hợp tác xã, cơ sở sản xuất kinh doanh, hộ dân quảng "
          "bá thương hiệu, sản phẩm trên các phương tiện truyền thông đa kênh và các sàn giao dịch điện tử có "
          "uy tín trong và ngoài nước.",
     "Sở Công thương, các địa phương", "2023-2025"),
    ("II", "Phát triển hạ tầng"),
    ("1", "Triển khai Chiến lược phát triển hạ tầng số; chiến lược phát triển hạ tầng bưu chính",
     "Sở Thông tin và Truyền thông", "2023-2025"),
    ("2", "Triển khai chiến lược, kế hoạch chuyển đổi số, lộ trình số hóa và thông minh hóa lĩnh vực hạ "
          "tầng giao thông", "Sở Giao thông vận tải", "2023-2025"),
    ("VI", "Phát triển nhân lực số"),
    ("1", "Triển khai Chương trình “Học từ làm việc thực tế”",
     ["Sở Giáo dục và Đào tạo;", "Sở Lao động, Thương binh và Xã hội"], "Khi có hướng dẫn của Trung ương"),
    ("IX", "Phát triển thanh toán số"),
    ("1", "Triển khai Nghị định của Chính phủ về cơ chế thử nghiệm có kiểm soát hoạt động công nghệ tài "
          "chính trong lĩnh vực ngân hàng theo chỉ đạo của Ngân hàng Nhà nước Việt Nam",
     "Ngân hàng Nhà nước chi nhánh tỉnh Hải Dương", "2023-2024"),
    ("7", "Triển khai Nền tảng hóa đơn điện tử", "Sở Tài chính", "2023"),
    ("B", "PHÁT TRIỂN KINH TẾ SỐ VÀ XÃ HỘI SỐ NGÀNH, LĨNH VỰC"),
    ("I", "Phát triển kinh tế số, xã hội số nông nghiệp và nông thôn"),
    ("3", "Tổ chức triển khai sáng kiến phổ cập kỹ năng số cho người nông dân",
     "Sở Nông nghiệp và Phát triển nông thôn", "2023-2025"),
    ("4", "Tuyên truyền, vận động, hướng dẫn, hỗ trợ nông dân chuyển đổi số, nâng cao kỹ năng số và tham "
          "gia phát triển kinh tế số, xã hội số", ABOVE, ABOVE),
]

# Indicator table "2. Phát triển xã hội số": "Ước tính năm 2022" spans "Số liệu" | "Nguồn".
IND_HEADINGS = ["2. Phát triển xã hội số", "Mục tiêu cơ bản đến năm 2025, định hướng đến năm 2030:"]
IND_TOP = ["TT", "Nội dung chỉ tiêu", "Ước tính năm 2022", None, "Mục tiêu 2025", "Mục tiêu 2030", "Đơn vị đo lường"]
IND_SUB = ["Số liệu", "Nguồn"]  # under the third header cell
IND_ROWS = [
    ["1", "Tỷ lệ dân số trưởng thành có điện thoại thông minh", "72,32%", "DTI 2022", "80%", "95%",
     "Sở Thông tin và Truyền thông"],
    ["3", "Tỷ lệ dân số trưởng thành có chữ ký số hoặc chữ ký điện tử cá nhân", "0,76%", "DTI 2022",
     ">50%", ">70%", "Sở Thông tin và Truyền thông"],
    ["5", "Tỷ lệ hộ gia đình được phủ mạng Internet băng rộng cáp quang", "66,22%", "DTI 2022", "90%",
     "100%", "Sở Thông tin và Truyền thông"],
]


def _text(cell) -> str:
    return " ".join(cell) if isinstance(cell, list) else "" if cell is ABOVE else cell


def _wide(row: tuple) -> list:
    """A row as 4 cells; a group row is marker + title with the two last cells left empty."""
    return list(row) if len(row) == 4 else [row[0], row[1], "", ""]


def _heights(rows: list[list]) -> dict[tuple[int, int], int]:
    """(row, column) of each cell that has ABOVE cells under it -> how many rows it spans."""
    out: dict[tuple[int, int], int] = {}
    for r, row in enumerate(rows):
        for k, v in enumerate(row):
            if v is ABOVE:
                top = r - 1
                while rows[top][k] is ABOVE:
                    top -= 1
                out[top, k] = out.get((top, k), 1) + 1
    return out


# --- the reference: the .txt plan -------------------------------------------------------------


@pytest.fixture(scope="module")
def reference(plans_dir):
    return parse_file(plans_dir / f"{HD}.txt")


@pytest.fixture(scope="module")
def meta(reference) -> DocumentMeta:
    return reference.meta


def _task_key(t: Task) -> tuple:
    return (t.row, t.section, t.text, tuple(t.lead), tuple(t.partners), t.timeframe, t.start_year, t.end_year)


def _target_key(t: Target) -> tuple:
    return (t.row, t.indicator, t.baseline, t.baseline_year, t.baseline_source, tuple(sorted(t.values.items())),
            tuple(t.owners), tuple(t.partners))


def _expected_tasks(reference) -> list[tuple]:
    """The .txt records of the slice's rows (same row number, same text), in slice order."""
    tasks = [t for t in reference.tasks() if t.source == "table"]
    out = []
    for row in ROWS:
        if len(row) == 2:
            continue
        found = [t for t in tasks if t.row == row[0] and t.text == _text(row[1])]
        assert len(found) == 1, (row[:2], [(t.row, t.text) for t in tasks if t.text[:20] == row[1][:20]])
        out.append(_task_key(found[0]))
    return out


def _expected_targets(reference) -> list[tuple]:
    targets = [t for t in reference.targets() if t.source == "table"]
    out = []
    for row in IND_ROWS:
        (found,) = [t for t in targets if t.indicator == row[1]]
        out.append(_target_key(found))
    return out


# --- builders ---------------------------------------------------------------------------------


def _font() -> str:
    for p in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
              "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"):  # fmt: skip
        if Path(p).exists():
            return p
    pytest.skip("no TrueType font with Vietnamese glyphs on this machine (fonts-dejavu-core)")


def _docx_cell(cell, value) -> None:
    parts = value if isinstance(value, list) else [value]
    cell.text = parts[0]
    for p in parts[1:]:
        cell.add_paragraph(p)


def build_docx(path: Path, wide_groups: bool = False) -> Path:
    """wide_groups: group rows written as one cell over the whole row ("A. PHÁT TRIỂN …")."""
    import docx

    d = docx.Document()
    for h in HEADINGS:
        d.add_paragraph(h)
    t = d.add_table(rows=1 + len(ROWS), cols=4)
    t.style = "Table Grid"
    for c, h in zip(t.rows[0].cells, HEADER):
        c.text = h
    for r, row in enumerate(ROWS, start=1):
        cells = t.rows[r].cells
        if len(row) == 2 and wide_groups:
            cells[0].merge(cells[3]).text = f"{row[0]}. {row[1]}"
            continue
        if len(row) == 2:  # a group row: the title merged over the three right-hand columns
            cells[0].text = row[0]
            merged = cells[1].merge(cells[3])
            merged.text = row[1]
            continue
        for k, (c, v) in enumerate(zip(cells, row)):
            if v is ABOVE:
                t.cell(r - 1, k).merge(c)
            else:
                _docx_cell(c, v)
    d.add_paragraph("II. MỤC TIÊU")
    for h in IND_HEADINGS:
        d.add_paragraph(h)
    it = d.add_table(rows=2 + len(IND_ROWS), cols=7)
    it.style = "Table Grid"
    top, sub = it.rows[0].cells, it.rows[1].cells
    for k in (0, 1, 4, 5, 6):  # vertically merged header cells
        top[k].merge(sub[k]).text = IND_TOP[k]
    top[2].merge(top[3]).text = IND_TOP[2]  # horizontally merged group header
    sub[2].text, sub[3].text = IND_SUB
    for r, row in enumerate(IND_ROWS, start=2):
        for c, v in zip(it.rows[r].cells, row):
            c.text = v
    d.save(path)
    return path


def build_pdf(path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(TTFont("VN", _font()))
    style = ParagraphStyle("vn", fontName="VN", fontSize=10, leading=12)
    cell = ParagraphStyle("cell", fontName="VN", fontSize=9, leading=11)

    def para(v):  # a Paragraph wraps long text inside its cell
        return Paragraph(escape(_text(v)), cell)

    wide = [HEADER, *(_wide(row) for row in ROWS)]
    data = [[para(v) for v in row] for row in wide]
    spans = [("SPAN", (1, r), (3, r)) for r, row in enumerate(ROWS, start=1) if len(row) == 2]
    spans += [("SPAN", (k, r), (k, r + h - 1)) for (r, k), h in _heights(wide).items()]
    table = Table(data, colWidths=[30, 250, 130, 80], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               *spans]))  # fmt: skip
    top = [para(h or "") for h in IND_TOP]
    sub = [para(""), para(""), para(IND_SUB[0]), para(IND_SUB[1]), para(""), para(""), para("")]
    ind = Table([top, sub, *[[para(v) for v in row] for row in IND_ROWS]],
                colWidths=[25, 150, 50, 50, 55, 55, 95])  # fmt: skip
    ind.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("SPAN", (2, 0), (3, 0)),
                             *[("SPAN", (k, 0), (k, 1)) for k in (0, 1, 4, 5, 6)]]))  # fmt: skip
    story = [*(Paragraph(escape(h), style) for h in HEADINGS), Spacer(1, 8), table, Spacer(1, 8),
             Paragraph("II. MỤC TIÊU", style), *(Paragraph(escape(h), style) for h in IND_HEADINGS),
             Spacer(1, 8), ind]  # fmt: skip
    def page_number(canvas, doc):  # page furniture between the parts of a table cut by a page
        canvas.setFont("VN", 9)
        canvas.drawCentredString(A4[0] / 2, A4[1] - 30, str(doc.page))

    SimpleDocTemplate(str(path), pagesize=A4).build(story, onFirstPage=page_number, onLaterPages=page_number)
    return path


def build_html(path: Path) -> Path:
    def td(v, rowspan: int = 1) -> str:
        parts = v if isinstance(v, list) else [v]
        span = f" rowspan={rowspan}" if rowspan > 1 else ""
        return f"<td{span}>" + "<br>".join(escape(p) for p in parts) + "</td>"

    body = [f"<p>{escape(h)}</p>" for h in HEADINGS]
    body.append("<table border=1><thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in HEADER) + "</tr></thead><tbody>")
    heights = _heights([_wide(row) for row in ROWS])
    for r, row in enumerate(ROWS):
        if len(row) == 2:
            body.append(f"<tr><td><b>{row[0]}</b></td><td colspan=3><b>{escape(row[1])}</b></td></tr>")
        else:
            cells = [td(v, heights.get((r, k), 1)) for k, v in enumerate(row) if v is not ABOVE]
            body.append("<tr>" + "".join(cells) + "</tr>")
    body.append("</tbody></table>")
    body += ["<h2>II. MỤC TIÊU</h2>", *(f"<p>{escape(h)}</p>" for h in IND_HEADINGS)]
    head = "".join(
        f"<th colspan=2>{escape(h)}</th>" if k == 2 else f"<th rowspan=2>{escape(h)}</th>"
        for k, h in enumerate(IND_TOP) if h is not None
    )
    sub = "".join(f"<th>{escape(h)}</th>" for h in IND_SUB)
    body.append(f"<table><tr>{head}</tr><tr>{sub}</tr>")
    body += ["<tr>" + "".join(td(v) for v in row) + "</tr>" for row in IND_ROWS]
    body.append("</table>")
    path.write_text("<html><head><meta charset='utf-8'><title>PL</title></head><body>" + "\n".join(body)
                    + "</body></html>", encoding="utf-8")  # fmt: skip
    return path


BUILDERS = {
    "docx": build_docx,
    "docx-wide-groups": lambda path: build_docx(path, wide_groups=True),
    "pdf": build_pdf,
    "html": build_html,
}


# --- equivalence ------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=sorted(BUILDERS))
def parsed(request, tmp_path_factory, meta):
    fmt = request.param
    path = BUILDERS[fmt](tmp_path_factory.mktemp(fmt) / f"{HD}.{fmt.split('-')[0]}")
    return fmt, parse_file(path, meta)


def test_task_rows_equal_the_txt_records(parsed, reference):
    fmt, doc = parsed
    tasks = [t for t in doc.tasks() if t.source == "table"]
    assert [_task_key(t) for t in tasks] == _expected_tasks(reference), fmt
    for t in tasks:  # spans are the rendered rows of the loaded text
        assert doc.source_text[t.start : t.end].startswith(f"| {t.row} | {t.text} |")


def test_indicator_rows_equal_the_txt_targets(parsed, reference):
    fmt, doc = parsed
    got = [_target_key(t) for t in doc.targets() if t.source == "table"]
    assert got == _expected_targets(reference), fmt


def test_the_slices_exercise_merges_wraps_and_page_breaks(parsed):
    """Guards that the builders still produce the hard cases the equivalence is about."""
    fmt, doc = parsed
    text = doc.source_text
    assert "Hải Dương | 2023-2024 |" in text  # a long cell (wrapped over lines in the PDF) on one row
    nn = "| Sở Nông nghiệp và Phát triển nông thôn | 2023-2025 |"
    assert text.count(nn) == 2  # cells merged down over two rows repeat on each
    assert "| Ước tính năm 2022 |  | Mục tiêu 2025 |" in text  # the spanning header cell
    if fmt == "docx-wide-groups":
        assert "| IX. Phát triển thanh toán số |  |  |  |" in text
    if fmt == "pdf":  # the indicator table is cut by a page break, a page number between its parts
        assert "| Mục tiêu 2030 | Đơn vị đo lường |\n\n2\n\n| 1 | Tỷ lệ dân số" in text


def test_adjacent_native_tables_stay_apart(tmp_path, meta):
    rows = "".join(f"<tr><td>{r[0]}</td><td>{escape(r[1])}</td><td>{r[2]}</td><td>{r[3]}</td></tr>"
                   for r in ROWS if len(r) == 4 and r[2] is not ABOVE and not isinstance(r[2], list))  # fmt: skip
    ind = "".join("<tr>" + "".join(f"<td>{escape(v)}</td>" for v in row if v) + "</tr>" for row in IND_ROWS)
    (tmp_path / "two.html").write_text(
        "<p>PHỤ LỤC</p><table><tr><th>TT</th><th>Nhiệm vụ</th><th>Chủ trì thực hiện</th>"
        f"<th>Thời gian thực hiện</th></tr>{rows}</table>"
        "<table><tr><th>TT</th><th>Nội dung chỉ tiêu</th><th>Số liệu năm 2022</th><th>Nguồn</th>"
        f"<th>Mục tiêu 2025</th><th>Mục tiêu 2030</th><th>Đơn vị đo lường</th></tr>{ind}</table>",
        encoding="utf-8",
    )
    doc = parse_file(tmp_path / "two.html", meta)
    assert "\n\n| TT | Nội dung chỉ tiêu |" in doc.source_text  # only a blank line between the tables
    tasks = [t for t in doc.tasks() if t.source == "table"]
    assert [t.row for t in tasks] == ["1", "3", "1", "2", "1", "7", "3"]
    targets = [t for t in doc.targets() if t.source == "table"]
    assert [(t.row, t.baseline, t.baseline_year, t.baseline_source, t.values) for t in targets] == [
        ("1", "72,32%", 2022, "DTI 2022", {"2025": "80%", "2030": "95%"}),
        ("3", "0,76%", 2022, "DTI 2022", {"2025": ">50%", "2030": ">70%"}),
        ("5", "66,22%", 2022, "DTI 2022", {"2025": "90%", "2030": "100%"}),
    ]


# --- bad inputs -------------------------------------------------------------------------------


def _bad_files(folder: Path, good_pdf: bytes) -> dict[str, str]:
    """Bad files written into `folder` -> the reason parse_file must give."""
    import docx

    (folder / "zero.docx").write_bytes(b"")
    docx.Document().save(folder / "blank.docx")  # a valid package without any text
    (folder / "cut.pdf").write_bytes(good_pdf[: len(good_pdf) // 2])  # a download cut off
    (folder / "noise.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "plan.xyz").write_bytes("Kế hoạch chuyển đổi số".encode())
    return {
        "zero.docx": "file is empty",
        "blank.docx": "no text found in the file",
        "cut.pdf": "corrupt or unreadable PDF (PdfminerException: Unexpected EOF)",
        "noise.txt": "binary content, not text (is this really a .txt file?)",
        "plan.xyz": "unsupported file type '.xyz'; supported: .docx, .htm, .html, .md, .pdf, .text, .txt",
    }


@pytest.fixture(scope="module")
def good_pdf(tmp_path_factory) -> bytes:
    return build_pdf(tmp_path_factory.mktemp("good") / "slice.pdf").read_bytes()


def test_bad_files_raise_ingest_error_naming_file_and_reason(tmp_path, good_pdf):
    for name, reason in _bad_files(tmp_path, good_pdf).items():
        with pytest.raises(IngestError) as err:
            parse_file(tmp_path / name)
        assert (err.value.path, err.value.reason) == (str(tmp_path / name), reason)
        assert str(err.value) == f"{tmp_path / name}: {reason}"
        assert err.value.to_json()["error"]["code"] == "ingest_error"


def test_parse_corpus_keeps_the_good_documents(tmp_path, plans_dir, good_pdf):
    shutil.copy(plans_dir / f"{HD}.txt", tmp_path / f"{HD}.txt")
    build_docx(tmp_path / "slice.docx")
    build_html(tmp_path / "slice.html")
    (tmp_path / "slice.pdf").write_bytes(good_pdf)
    reasons = _bad_files(tmp_path, good_pdf)
    docs, errors = parse_corpus(tmp_path)
    assert sorted(d.doc_id for d in docs) == [HD, "slice", "slice", "slice"]
    assert sorted(d.meta.file.rsplit(".", 1)[-1] for d in docs if d.doc_id == "slice") == ["docx", "html", "pdf"]
    # every bad file is reported with its reason, an unsupported suffix included
    assert sorted((Path(e.path).name, e.reason) for e in errors) == sorted(reasons.items())
    for d in docs:
        assert len([t for t in d.tasks() if t.source == "table"]) == (86 if d.doc_id == HD else 9)


def test_table_cut_by_a_page_break_with_its_header_repeated():
    """The row-per-line layout of a PDF table over two pages: page furniture, the header again."""
    from ingest.normalize import normalize
    from ingest.table_records import extract_table_records

    head = "| " + " | ".join(HEADER) + " |"
    text = "\n".join([
        *HEADINGS, "", head, "| A | PHÁT TRIỂN NỀN MÓNG CHO KINH TẾ SỐ VÀ XÃ HỘI SỐ |  |  |",
        "| 1 | Triển khai Nền tảng hóa đơn điện tử | Sở Tài chính | 2023 |", "", "Trang 2", "",
        head, "| 2 | Triển khai Nền tảng hồ sơ sức khỏe điện tử | Sở Y tế | 2023-2025 |", "",
        "| TT | Nội dung chỉ tiêu | Số liệu năm 2022 | Mục tiêu 2025 |",
        "| 1 | Tỷ lệ dân số trưởng thành có điện thoại thông minh | 72,32% | 80% |", "",
    ])  # fmt: skip
    recs = extract_table_records("d", normalize(text), "Hải Dương")
    assert [(type(r).__name__, r.row) for r in recs] == [("Task", "1"), ("Task", "2"), ("Target", "1")]
    group = "PHỤ LỤC › A. PHÁT TRIỂN NỀN MÓNG CHO KINH TẾ SỐ VÀ XÃ HỘI SỐ"
    assert recs[0].section == recs[1].section == group  # one table: the group row goes on
    assert (recs[1].lead, recs[2].baseline, recs[2].baseline_year, recs[2].values) == (
        ["Sở Y tế"], "72,32%", 2022, {"2025": "80%"})
