"""Question understanding, glossary and follow-up rewriting (pure text, no index)."""
from __future__ import annotations

import pytest

from assistant.conversation import InMemoryConversationStore, is_follow_up, rewrite
from assistant.glossary import english_terms, find_provinces
from assistant.understanding import detect_language, understand


@pytest.mark.parametrize("q, intent", [
    ("Ai chủ trì triển khai Nền tảng học trực tuyến mở (MOOC) về kỹ năng số ở Hải Dương?", "owner"),
    ("Hải Dương giao sở nào chủ trì lộ trình số hóa hạ tầng giao thông?", "owner"),
    ("ai xay dung phan mem quan ly tram y te o binh dinh", "owner"),
    ("Who leads the shared data warehouse project in Thanh Hoa?", "owner"),
    ("Mục tiêu 2025 của Hải Dương về tỷ lệ dân số trưởng thành có điện thoại thông minh?", "target"),
    ("What share of meetings should be paperless in Thanh Hoa in 2025?", "target"),
    ("Lộ trình thực hiện Sổ sức khỏe điện tử trên VNeID ở Thanh Hóa là khi nào?", "deadline"),
    ("Những nhiệm vụ an toàn thông tin nào ở Hải Dương do Sở Thông tin và Truyền thông chủ trì?", "list_agency"),
    ("Liệt kê các nhiệm vụ năm 2024 của Thanh Hóa", "list_year"),
    ("Có những kế hoạch nào của Thanh Hóa?", "document"),
    ("Xin chào", "greeting"),
    ("hello!", "greeting"),
])
def test_intent(q, intent):
    assert understand(q).intent == intent


def test_slots_of_an_owner_question():
    q = understand("Chỉ tiêu tỷ lệ hồ sơ giải quyết thủ tục hành chính được số hóa năm 2025 của Thanh Hóa giao cho ai?")
    assert (q.intent, q.provinces, q.years, q.language) == ("owner", ["Thanh Hóa"], [2025], "vi")
    assert {"hồ", "sơ", "thủ", "tục", "hành", "chính"} <= set(q.topic)
    assert "thanh" not in q.topic and "hóa" in q.topic  # "hóa" of "số hóa", not the province
    assert "giao" not in q.topic  # "giao cho ai" is the question, not the topic
    assert understand("Giá vé xe buýt ở Quy Nhơn?").topic[:2] == ["giá", "vé"]  # not "về"
    assert understand("ai xay dung phan mem o binh dinh").topic == ["xay", "dung", "phan", "mem"]


def test_unaccented_and_english_provinces():
    assert find_provinces("ai xay dung phan mem o binh dinh") == ["Bình Định"]
    assert find_provinces("What is Hai Duong's 2030 target?") == ["Hải Dương"]
    assert find_provinces("Đà Nẵng và TP HCM") == ["Đà Nẵng", "Thành phố Hồ Chí Minh"]
    assert understand("Đà Nẵng đặt mục tiêu kinh tế số bao nhiêu phần trăm GRDP?").provinces == ["Đà Nẵng"]


def test_language():
    assert detect_language("What is Hai Duong's 2030 target for adults with a smartphone?") == "en"
    assert detect_language("ai xay dung phan mem quan ly tram y te o binh dinh") == "vi"
    assert detect_language("Mục tiêu 2025 của Hải Dương?") == "vi"


def test_english_glossary_expands_to_plan_terms():
    assert english_terms("adults with a smartphone") == ["dân số trưởng thành", "điện thoại thông minh"]
    assert english_terms("e-signature and digital economy, online public services") == [
        "chữ ký số", "kinh tế số", "dịch vụ công trực tuyến"]
    q = understand("What is Hai Duong's 2030 target for adults with a smartphone?")
    assert "điện thoại thông minh" in q.search_text() and q.years == [2030]


def test_agency_abbreviations_are_expanded():
    q = understand("Những nhiệm vụ nào do Sở TT&TT chủ trì ở Hải Dương?")
    assert q.agencies == ["Sở Thông tin và Truyền thông"]
    assert "Sở Thông tin và Truyền thông" in q.search_text()


def test_document_hints():
    assert understand("Theo kế hoạch chuyển đổi số 2020 của Thanh Hóa, ai chủ trì?").doc_hints == ["ke hoach 2020"]
    assert "de an" in understand("Đề án chuyển đổi số Thanh Hóa đặt mục tiêu gì?").doc_hints
    assert understand("Kế hoạch 5046/KH-UBND giao ai?").doc_hints[0].startswith("5046/kh")


H_GRDP = ["Kinh tế số của Thanh Hóa năm 2025 chiếm bao nhiêu GRDP?"]


@pytest.mark.parametrize("follow, expected", [
    ("Còn đến năm 2030?", "Kinh tế số của Thanh Hóa năm 2030 chiếm bao nhiêu GRDP?"),
    ("Còn năm 2030 thì sao?", "Kinh tế số của Thanh Hóa năm 2030 chiếm bao nhiêu GRDP?"),
    ("Còn Hải Dương?", "Kinh tế số của Hải Dương năm 2025 chiếm bao nhiêu GRDP?"),
    ("Ai chủ trì việc đó?", "Ai chủ trì Kinh tế số của Thanh Hóa năm 2025 chiếm GRDP?"),
])
def test_follow_ups(follow, expected):
    assert is_follow_up(follow)
    assert rewrite(follow, H_GRDP) == expected


def test_english_follow_up_and_standalone_questions():
    h = ["What is Hai Duong's 2025 target for adults with a smartphone?"]
    assert rewrite("And in 2030?", h) == "What is Hai Duong's 2030 target for adults with a smartphone?"
    q = "Ai chủ trì triển khai Nền tảng MOOC ở Hải Dương?"
    assert rewrite(q, H_GRDP) == q  # a full question is left alone
    assert rewrite("Còn năm 2030?", []) == "Còn năm 2030?"


def test_in_memory_store_is_bounded():
    store = InMemoryConversationStore(max_conversations=2, max_turns=2)
    for t in ("a", "b", "c"):
        store.append("x", t)
    store.append("y", "q")
    store.append("z", "q")
    assert store.get("x") == []  # least recently used conversation dropped
    assert store.get("y") == ["q"]
    store2 = InMemoryConversationStore(max_turns=2)
    for t in ("a", "b", "c"):
        store2.append("x", t)
    assert store2.get("x") == ["b", "c"]


def test_compound_questions_split_into_at_most_three_distinct_parts():
    from assistant.understanding import split_compound

    five = " ".join(f"Sở {x} chủ trì những nhiệm vụ nào?" for x in ["Y tế", "Tài chính", "Nội vụ", "Xây dựng", "Công Thương"])
    assert split_compound(five) == ["Sở Y tế chủ trì những nhiệm vụ nào?", "Sở Tài chính chủ trì những nhiệm vụ nào?",
                                    "Sở Nội vụ chủ trì những nhiệm vụ nào?"]
    pasted = "Sở Y tế chủ trì những nhiệm vụ nào? " * 50  # a pasted wall: one retrieval, not fifty
    assert split_compound(pasted) == ["Sở Y tế chủ trì những nhiệm vụ nào?"]


def test_a_word_used_in_two_compounds_is_kept_per_use():
    q = understand("Học phí đại học năm nay bao nhiêu?")
    assert q.topic == ["học", "phí", "đại"]
    assert q.repeats == {"học": [["học phí"], ["đại học"]]}
    assert understand("hoc phi dai hoc bao nhieu").repeats == {"hoc": [["hoc phi"], ["dai hoc"]]}
    assert understand("Chỉ tiêu chuyển đổi số và kinh tế số năm 2025?").repeats == {"số": [["đổi số"], ["tế số"]]}
    # a word said twice in the same compound, or once, is no repeat
    assert understand("Ai chủ trì chữ ký số?").repeats == {}
    assert understand("Số hóa hồ sơ, hồ sơ điện tử ở Hải Dương?").repeats == {}
