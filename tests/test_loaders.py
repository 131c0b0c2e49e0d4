"""Loaders: every text encoding, native tables in DOCX/PDF/HTML, and every kind of bad input."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from ingest import legacy
from ingest.errors import IngestError
from ingest.loaders import load, registry, supported_suffixes

HAI_DUONG = "hai-duong-5046-kh-ubnd-2023.txt"

ROWS = [
    "| TT | Nhiệm vụ | Chủ trì | Thời gian |",
    "| 1 | Triển khai Nền tảng hóa đơn điện tử | Sở Tài chính | 2023 |",
]


@pytest.fixture(scope="module")
def plan_text(plans_dir: Path) -> str:
    # "≥" has no Windows-1258 code; everything else of the plan is encodable.
    return (plans_dir / HAI_DUONG).read_text(encoding="utf-8").replace("≥", ">=")


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese software writes it: base letters plus combining tone marks."""
    out = bytearray()
    for c in text:
        try:
            out += c.encode("cp1258")
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", c)
            tones = "".join(x for x in d if x in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(x for x in d if x not in tones))
            out += (base + tones).encode("cp1258")
    return bytes(out)


def test_supported_suffixes():
    assert supported_suffixes() == [".docx", ".htm", ".html", ".md", ".pdf", ".text", ".txt"]


def test_real_plans_load_unchanged(plans_dir):
    for path in sorted(plans_dir.glob("*.txt")):
        doc = load(path)
        assert doc.text == path.read_text(encoding="utf-8")
        assert (doc.encoding, doc.repaired_from, doc.tables) == ("utf-8", None, [])


@pytest.mark.parametrize(
    "name, encode, encoding, repaired",
    [
        ("utf8-bom", lambda t: t.encode("utf-8-sig"), "utf-8-sig", None),
        ("utf16-bom", lambda t: t.encode("utf-16"), "utf-16", None),
        ("utf16le", lambda t: t.encode("utf-16-le"), "utf-16-le", None),
        ("utf16be", lambda t: t.encode("utf-16-be"), "utf-16-be", None),
        ("cp1258", _cp1258, "cp1258", None),
        ("tcvn3", lambda t: legacy.encode(t, legacy.TCVN3).encode("cp1252"), "cp1252", "TCVN3"),
        ("vni", lambda t: legacy.encode(t, legacy.VNI).encode("cp1252"), "cp1252", "VNI"),
        ("tcvn3-in-utf8", lambda t: legacy.encode(t, legacy.TCVN3).encode("utf-8"), "utf-8", "TCVN3"),
        ("vni-in-utf8", lambda t: legacy.encode(t, legacy.VNI).encode("utf-8"), "utf-8", "VNI"),
    ],
)
def test_text_encodings_decode_to_the_plan(tmp_path, plan_text, name, encode, encoding, repaired):
    path = tmp_path / f"{name}.txt"
    path.write_bytes(encode(plan_text))
    doc = load(path)
    assert (doc.encoding, doc.repaired_from) == (encoding, repaired)
    assert doc.text == plan_text


def test_cp1258_combining_marks_become_nfc(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(_cp1258("Kế hoạch chuyển đổi số tỉnh Hải Dương năm 2023"))
    assert b"\xcc" in path.read_bytes() or b"\xec" in path.read_bytes()  # combining tones used
    assert load(path).text == "Kế hoạch chuyển đổi số tỉnh Hải Dương năm 2023"


def test_hand_made_legacy_bytes(tmp_path):
    (tmp_path / "t.txt").write_bytes(b"Kinh t\xd5 s\xe8 ph\xb6i \xae\xb8p \xf8ng nhu c\xc7u c\xf1a ng\xad\xeai d\xa9n.\n" * 3)
    (tmp_path / "v.txt").write_bytes(b"Vie\xe4t Nam chuye\xe5n \xf1o\xe5i so\xe1 cu\xfba t\xe6nh.\n" * 3)
    assert load(tmp_path / "t.txt").text.splitlines()[0] == "Kinh tế số phải đáp ứng nhu cầu của người dân."
    assert load(tmp_path / "v.txt").text.splitlines()[0] == "Việt Nam chuyển đổi số của tỉnh."


# --- native tables ---------------------------------------------------------------------------


def test_docx_paragraphs_and_table_in_order(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("III. NHIỆM VỤ")
    d.add_paragraph("Các nhiệm vụ trọng tâm như sau:")
    t = d.add_table(rows=3, cols=4)
    for row, values in zip(t.rows, [["TT", "Nhiệm vụ", "Chủ trì", "Thời gian"],
                                    ["1", "Triển khai Nền tảng hóa đơn điện tử", "Sở Tài chính", "2023"],
                                    ["2", "Chữ ký số\ncho cán bộ | công chức", "Sở TT&TT", ""]]):  # fmt: skip
        for cell, v in zip(row.cells, values):
            cell.text = v
    merged = t.rows[2].cells[2].merge(t.rows[2].cells[3])  # a merged cell is not repeated
    merged.text = "Sở TT&TT"
    d.add_paragraph("V. TỔ CHỨC THỰC HIỆN")
    d.save(tmp_path / "plan.docx")

    doc = load(tmp_path / "plan.docx")
    row3 = "| 2 | Chữ ký số cho cán bộ / công chức | Sở TT&TT |  |"
    assert doc.text == "\n".join(
        ["III. NHIỆM VỤ", "Các nhiệm vụ trọng tâm như sau:", "", *ROWS, row3, "", "V. TỔ CHỨC THỰC HIỆN", ""]
    )
    (table,) = doc.tables
    assert doc.text[table.start : table.end] == "\n".join([*ROWS, row3])
    assert table.rows[2] == ["2", "Chữ ký số cho cán bộ / công chức", "Sở TT&TT", ""]


def _font() -> str:
    for p in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
              "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"):  # fmt: skip
        if Path(p).exists():
            return p
    pytest.skip("no TrueType font with Vietnamese glyphs on this machine (fonts-dejavu-core)")


def test_pdf_table_is_rendered_once_between_its_paragraphs(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(TTFont("VN", _font()))
    style = ParagraphStyle("vn", fontName="VN", fontSize=10)
    rows = [
        ["TT", "Nhiệm vụ", "Chủ trì", "Thời gian"],
        ["1", "Triển khai Nền tảng hóa đơn điện tử", "Sở Tài chính", "2023"],
        ["2", "Chữ ký số cho cán bộ", "Sở Thông tin và Truyền thông", "2023-2025"],
    ]
    table = Table(rows)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), "VN"), ("GRID", (0, 0), (-1, -1), 0.5, "black")]))
    story = [Paragraph("III. NHIỆM VỤ", style), Paragraph("Các nhiệm vụ trọng tâm như sau:", style),
             Spacer(1, 12), table, Spacer(1, 12), Paragraph("V. TỔ CHỨC THỰC HIỆN", style)]  # fmt: skip
    SimpleDocTemplate(str(tmp_path / "plan.pdf"), pagesize=A4).build(story)

    doc = load(tmp_path / "plan.pdf")
    row3 = "| 2 | Chữ ký số cho cán bộ | Sở Thông tin và Truyền thông | 2023-2025 |"
    assert doc.text == "\n".join(
        ["III. NHIỆM VỤ", "Các nhiệm vụ trọng tâm như sau:", "", *ROWS, row3, "", "V. TỔ CHỨC THỰC HIỆN", ""]
    )
    assert doc.text.count("Sở Tài chính") == 1
    assert [t.rows for t in doc.tables] == [rows]
    assert doc.text[doc.tables[0].start : doc.tables[0].end] == "\n".join([*ROWS, row3])


def test_html_blocks_and_table(tmp_path):
    (tmp_path / "p.html").write_text(
        "<html><head><title>t</title><style>p{color:red}</style></head><body>"
        "<h1>III. NHIỆM VỤ</h1><p>Các nhiệm vụ <b>trọng tâm</b>\n như sau:</p><script>var a = 1;</script>"
        "<table><tr><th>TT</th><th>Nhiệm vụ</th><th>Chủ trì</th><th>Thời gian</th></tr>"
        "<tr><td>1</td><td>Triển khai Nền tảng<br>hóa đơn điện tử</td><td>Sở Tài chính</td><td>2023</td></tr>"
        "<tr><td>2</td><td colspan=2>Nhiệm vụ chung | các sở</td><td>2024</td></tr></table>"
        "<div>V. TỔ CHỨC<br>THỰC HIỆN</div></body></html>",
        encoding="utf-8",
    )
    doc = load(tmp_path / "p.html")
    assert doc.text == "\n".join(
        ["III. NHIỆM VỤ", "Các nhiệm vụ trọng tâm như sau:", "", *ROWS,
         "| 2 | Nhiệm vụ chung / các sở |  | 2024 |", "", "V. TỔ CHỨC", "THỰC HIỆN", ""]  # fmt: skip
    )
    assert doc.tables[0].rows[2] == ["2", "Nhiệm vụ chung / các sở", "", "2024"]


# --- bad inputs ------------------------------------------------------------------------------


def _reason(path: Path, **kw) -> str:
    with pytest.raises(IngestError) as err:
        load(path, **kw)
    assert err.value.path == str(path)
    return err.value.reason


@pytest.mark.parametrize("suffix", [".txt", ".docx", ".pdf", ".html"])
def test_empty_files(tmp_path, suffix):
    (tmp_path / f"e{suffix}").write_bytes(b"")
    (tmp_path / f"w{suffix}").write_bytes(b" \n\t\n")
    assert _reason(tmp_path / f"e{suffix}") == "file is empty"
    assert _reason(tmp_path / f"w{suffix}") == "file is empty"


def test_corrupt_docx_and_pdf(tmp_path):
    (tmp_path / "a.docx").write_bytes(b"PK\x03\x04 this is not really a docx" * 10)
    (tmp_path / "b.docx").write_bytes(b"plain text renamed to docx")
    (tmp_path / "c.pdf").write_bytes(b"not a pdf at all")
    (tmp_path / "d.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage")
    assert _reason(tmp_path / "a.docx") == "corrupt .docx (not a zip package); re-save it from Word"
    assert _reason(tmp_path / "b.docx") == "corrupt .docx (not a zip package); re-save it from Word"
    assert _reason(tmp_path / "c.pdf") == "corrupt PDF (no %PDF header)"
    assert _reason(tmp_path / "d.pdf").startswith("corrupt or unreadable PDF (")


def test_zip_that_is_not_a_docx(tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "z.docx", "w") as z:
        z.writestr("hello.txt", "hi")
    assert _reason(tmp_path / "z.docx").startswith("corrupt .docx (")


def test_pdf_without_text_layer(tmp_path):
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(tmp_path / "scan.pdf"))
    c.rect(100, 100, 200, 300, fill=1)  # a page with a drawing only, like a scan
    c.save()
    assert _reason(tmp_path / "scan.pdf") == "PDF has no text layer (a scanned image?); run OCR on it first"


def test_binary_text_file(tmp_path):
    (tmp_path / "b.txt").write_bytes(bytes(range(256)) * 20)
    assert _reason(tmp_path / "b.txt") == "binary content, not text (is this really a .txt file?)"


def test_unsupported_suffix_missing_file_and_too_large(tmp_path):
    (tmp_path / "x.xlsx").write_bytes(b"data")
    assert _reason(tmp_path / "x.xlsx").startswith("unsupported file type '.xlsx'; supported: .docx, .htm")
    assert _reason(tmp_path / "nope.txt") == "file not found"
    big = tmp_path / "big.txt"
    big.write_text("Kế hoạch chuyển đổi số.\n" * 100, encoding="utf-8")
    size = big.stat().st_size
    assert _reason(big, max_bytes=1000) == f"file is too large ({size:,} bytes; the limit is 1,000 bytes)"
    assert registry.MAX_BYTES == 50 * 1024 * 1024


def test_missing_library_disables_loader_with_a_message(tmp_path, monkeypatch):
    fake = registry._Loader("fake", lambda p, d: None, ("no_such_module_xyz",), "no-such-package")
    monkeypatch.setitem(registry._LOADERS, ".fake", fake)
    (tmp_path / "a.fake").write_bytes(b"content")
    assert ".fake" not in supported_suffixes()
    msg = "reading .fake files needs the Python package(s) no_such_module_xyz; install with: pip install no-such-package"
    assert registry.unavailable_suffixes() == {".fake": msg}
    assert _reason(tmp_path / "a.fake") == msg


def test_docx_typed_in_a_tcvn3_font_is_repaired(tmp_path):
    import docx

    d = docx.Document()
    for line in ["Kinh tÕ sè ph¶i ®¸p øng nhu cÇu cña ng­êi d©n.", "C¸c nhiÖm vô träng t©m nh­ sau:"]:
        d.add_paragraph(line)
    t = d.add_table(rows=1, cols=2)
    t.rows[0].cells[0].text, t.rows[0].cells[1].text = "Së Tµi chÝnh", "N¨m 2023"
    d.save(tmp_path / "old.docx")
    doc = load(tmp_path / "old.docx")
    assert doc.repaired_from == "TCVN3"
    assert doc.text == (
        "Kinh tế số phải đáp ứng nhu cầu của người dân.\nCác nhiệm vụ trọng tâm như sau:\n\n"
        "| Sở Tài chính | Năm 2023 |\n\n"
    )
    assert doc.tables[0].rows == [["Sở Tài chính", "Năm 2023"]]
    assert doc.text[doc.tables[0].start : doc.tables[0].end] == "| Sở Tài chính | Năm 2023 |"
