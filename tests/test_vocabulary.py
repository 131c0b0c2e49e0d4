"""The domain vocabulary: one module, one data file per kind, and a test per kind that reads the
table through the code that uses it. Adding a province's agency names is a data edit (last test)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import vocabulary
from assistant.glossary import english_lemma, english_terms, find_provinces
from assistant.understanding import detect_language, understand
from ingest.agencies import canonical_agency, find_agencies
from ingest.header import read_header
from ingest.normalize import fold
from vectorstore.aliases import expand_terms


def test_every_kind_is_one_data_file_read_by_the_vocabulary_module():
    assert [p.name for p in vocabulary.data_files()] == [
        "abbreviations.json", "agencies.json", "chat.json", "glossary_en_vi.json", "issuers.json",
        "language_cues.json", "provinces.json", "stopwords.json"]
    for path in vocabulary.data_files():
        assert json.loads(path.read_text(encoding="utf-8")), path.name  # well-formed, not empty


def test_agencies_canonical_names_and_the_aliases_plans_write():
    table = vocabulary.agencies()
    assert "Sở TT&TT" in table["Sở Thông tin và Truyền thông"]
    assert find_agencies("Sở TT&TT chủ trì, phối hợp STTTT") == ["Sở Thông tin và Truyền thông"]
    assert canonical_agency("Sở KH&ĐT") == "Sở Kế hoạch và Đầu tư"
    table["Sở Thông tin và Truyền thông"].append("x")  # callers get copies
    assert "x" not in vocabulary.agencies()["Sở Thông tin và Truyền thông"]


def test_abbreviations_expand_for_search_and_questions():
    assert vocabulary.abbreviations()["cds"] == "chuyển đổi số"
    assert expand_terms("đẩy mạnh CĐS và CNTT") == ["chuyển đổi số", "công nghệ thông tin"]
    assert set(vocabulary.typed_abbreviations()) <= set(vocabulary.abbreviations())


def test_provinces_all_63_with_typed_spellings():
    provinces = vocabulary.provinces()
    assert len(provinces) == 63 and len({p["name"] for p in provinces}) == 63
    assert find_provinces("kế hoạch của ba ria vung tau và TP HCM") == ["Bà Rịa - Vũng Tàu", "Thành phố Hồ Chí Minh"]


def test_glossary_english_to_plan_terms():
    assert vocabulary.glossary()["e-signature"] == ["chữ ký số"]
    assert vocabulary.acronyms()["IT"] == ["công nghệ thông tin", "CNTT"]
    assert english_terms("what is the e-signature target") == ["chữ ký số", "chỉ tiêu", "mục tiêu"]
    assert english_lemma("deployed") == "deploy"


def test_stopwords_one_list_per_language_and_the_folded_one_derived():
    vi, en = vocabulary.stopwords("vi"), vocabulary.stopwords("en")
    assert "ai" in vi and "what" in en and vi & en == {"do"}  # "do": Vietnamese "because", English "do"
    assert understand("ai chủ trì nhiệm vụ chữ ký số ở Hải Dương").topic == ["chữ", "ký", "số"]
    assert {fold(w) for w in vocabulary.stopwords("vi_fold_ambiguous")} == vocabulary.stopwords("vi_fold_ambiguous")


def test_language_cues_tell_unaccented_vietnamese_from_english():
    assert vocabulary.language_cues("en") <= vocabulary.stopwords("en")  # one English list, cues within it
    assert (detect_language("muc tieu 2025"), detect_language("what about 2030")) == ("vi", "en")


def test_issuers_national_bodies_and_document_types():
    assert "Chính phủ" in vocabulary.issuers()["national"]
    h = read_header("BỘ THÔNG TIN VÀ TRUYỀN THÔNG\n-------\nSố: 12/KH-BTTTT\nHà Nội, ngày 1 tháng 2 năm 2024\n"
                    "KẾ HOẠCH\nChuyển đổi số năm 2024\n")
    assert (h.issuer, h.doc_type, h.level, h.issued) == ("Bộ Thông tin và Truyền thông", "Kế hoạch", "national", "2024-02-01")


def test_a_new_agency_alias_is_a_data_edit(tmp_path):
    """A province's economic-zone board, written "BQLKKTVP" in its tables: one entry in
    agencies.json (here a copy of the data folder) and the pipeline knows it, no code touched."""
    data = tmp_path / "data"
    shutil.copytree(vocabulary.DATA, data)
    table = json.loads((data / "agencies.json").read_text(encoding="utf-8"))
    name = "Ban Quản lý Khu kinh tế Vân Phong"
    table[name] = ["BQLKKTVP", "BQL KKT Vân Phong"]
    (data / "agencies.json").write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")
    code = ("import sys, pathlib, vocabulary; vocabulary.DATA = pathlib.Path(sys.argv[1]); "
            "from ingest.agencies import find_agencies; print(find_agencies('BQLKKTVP chủ trì'))")
    run = lambda *args: subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,  # noqa: E731
                                       check=True, cwd=Path(__file__).resolve().parent.parent).stdout.strip()
    assert run(str(vocabulary.DATA)) == "[]"
    assert run(str(data)) == f"['{name}']"
