"""Generalization probes: our own question sets bench/probe*.jsonl (written from the plan texts,
apart from the dev set) through the evaluator, plus regression tests for the general fixes they
led to."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answers.drafting import short_title
from assistant.answers.evidence import split_sentences
from assistant.conversation import rewrite
from assistant.evaluation import evaluate, load_questions
from assistant.understanding import find_years, understand


BENCH = Path(__file__).resolve().parents[1] / "bench"


# Our own question sets, each written from the plan texts before the fixes it led to (honest
# scores before fixing: probe2 32/50, probe3 52/60, probe4 42/50, probe5 23/30, probe6 25/30, probe7 23/25). Floors leave a
# small margin for harmless drift; abstentions have none.
@pytest.mark.parametrize("name, floor, abstain_questions", [
    ("probe", 0.95, 16),   # 115/115 when written
    ("probe2", 0.94, 6),   # 50/50
    ("probe3", 0.95, 6),   # 60/60
    ("probe4", 0.95, 4),   # 50/50
    ("probe5", 28 / 30, 3),  # 29/30, one question of margin
    ("probe6", 29 / 30, 3),  # 30/30 after the English fixes (25/30 before)
    ("probe7", 24 / 25, 3),  # 25/25 after 'labour force' and '100% … thời gian nào' (23/25 before)
])
def test_probe_set_floor_and_abstentions(plan_assistant, name, floor, abstain_questions):
    report = evaluate(plan_assistant, load_questions(BENCH / f"{name}.jsonl"))
    failed = [i.id for i in report.items if not i.correct]
    assert report.overall >= floor - 1e-9, failed
    assert report.abstention == (1.0, 1.0), [i.id for i in report.items if not i.abstain_ok]
    assert report.by_type()["abstain"] == (abstain_questions, abstain_questions)


# -- understanding (pure) ------------------------------------------------------------------------
def test_years_beyond_2049_are_years():
    assert find_years("Bình Định đặt mục tiêu gì cho năm 2050?") == [2050]
    assert find_years("khoảng 2.000 chuyên gia; 2030; 20%") == [2030]


def test_a_plan_year_is_a_document_hint_not_an_asked_year():
    q = understand("Theo kế hoạch 2020 của Thanh Hóa, năng suất lao động tăng bao nhiêu đến 2030?")
    assert q.doc_hints == ["ke hoach 2020"] and q.years == [2030]


def test_period_questions_are_deadline_questions():
    q = understand("Nâng cấp phần mềm quản lý lưu trú trực tuyến ở Bình Định thực hiện trong giai đoạn nào?")
    assert q.intent == "deadline" and "giai" not in q.topic


def test_english_agency_names_are_agencies():
    q = understand("Which tasks does the Department of Health of Binh Dinh lead?")
    assert q.intent == "list_agency" and q.agencies == ["Sở Y tế"] and q.topic == []


def test_english_names_outside_the_glossary_stay_topic_words():
    q = understand("Who leads the farmers' Mini App project in Thanh Hoa?")
    assert {"mini", "app", "nông", "dân"} <= set(q.topic)


def test_follow_up_rewrite_drops_the_old_question_phrase():
    out = rewrite("Ai chủ trì việc đó?", ["Phổ cập hóa đơn điện tử ở Bình Định thực hiện trong thời gian nào?"])
    assert out == "Ai chủ trì Phổ cập hóa đơn điện tử ở Bình Định?"


# -- composer (pure) -----------------------------------------------------------------------------
def test_thousands_separator_does_not_end_a_sentence():
    text = "Tổng kinh phí dự kiến là 3.000 tỷ đồng. Câu sau."
    assert [text[a:b] for a, b in split_sentences(text)] == ["Tổng kinh phí dự kiến là 3.000 tỷ đồng.", "Câu sau."]


def test_short_document_labels():
    assert short_title({"number": "5046/KH-UBND", "issued": "2023-12-29", "kind": "plan"}, "vi") == \
        "Kế hoạch số 5046/KH-UBND (29/12/2023)"
    assert short_title({"title": "Kế hoạch Chuyển đổi số trên địa bàn tỉnh Thanh Hóa đến năm 2025, định hướng "
                                 "đến năm 2030", "issued": "2020"}, "vi") == "Kế hoạch Chuyển đổi số (2020)"


# -- answers on the real index -------------------------------------------------------------------
def test_year_list_puts_the_tasks_of_that_year_first(plan_assistant):
    ans = plan_assistant.answer("Những nhiệm vụ nào của Hải Dương thực hiện trong năm 2023?")
    lines = [ln for ln in ans.answer.splitlines() if ln.startswith("- ")]
    assert lines[0].startswith("- Triển khai Nền tảng hóa đơn điện tử (2023) — Sở Tài chính")


def test_project_list_dated_by_its_appendix_heading(plan_assistant):
    ans = plan_assistant.answer("Liệt kê các dự án công nghệ thông tin Thanh Hóa triển khai năm 2025")
    assert not ans.abstained and {r["kind"] for r in ans.records} == {"project"}
    assert "Kho dữ liệu dùng chung" in ans.answer and "LGSP" in ans.answer


def test_two_named_provinces_get_one_line_each(plan_assistant):
    ans = plan_assistant.answer("Mục tiêu tỷ lệ dân số trưởng thành có chữ ký số năm 2025 ở Hải Dương và Thanh Hóa là bao nhiêu?")
    assert {c.doc_id for c in ans.citations} == {"hai-duong-5046-kh-ubnd-2023", "thanh-hoa-258-kh-ubnd-2024"}
    assert ">50%" in ans.answer and "50%" in ans.answer.split("Thanh Hóa, Kế hoạch số 258")[1]


def test_task_card_timeframe_answers_when(plan_assistant):
    ans = plan_assistant.answer("Lộ trình thực hiện Sổ sức khỏe điện tử trên VNeID ở Thanh Hóa là khi nào?")
    assert ans.answer.startswith("Thời gian thực hiện: trong năm 2025")
    assert ans.citations[0].doc_id == "thanh-hoa-258-kh-ubnd-2024"


# -- probe2: 50 questions written before the fixes below (32/50 unseen, 50/50 after) ----------------


def test_abbreviations_are_read_as_the_full_terms():
    q = understand("Theo kế hoạch CĐS năm 2020 của Thanh Hóa, ai chịu trách nhiệm các nhiệm vụ chuyển đổi số ngành y tế?")
    assert q.intent == "owner" and q.doc_hints == ["ke hoach 2020"] and "CĐS" in q.expansions
    assert "chịu" not in q.topic and "cđs" not in q.topic


def test_a_topic_and_a_year_ask_for_the_figure():
    assert understand("chu ky so hai duong 2030?").intent == "target"


def test_untranslated_english_words_stay_in_the_topic():
    q = understand("Who leads the smart lighting project in Hai Duong?")
    assert "lighting" in q.topic and "thông" in q.topic


def test_province_only_follow_ups_are_rewritten():
    assert rewrite("Thanh Hóa thì thế nào?", ["Bình Định đặt mục tiêu bao nhiêu phần trăm hoạt động kiểm tra "
                                             "thực hiện qua môi trường số năm 2025?"]).startswith("Thanh Hóa đặt mục tiêu")
    out = rewrite("And Hai Duong?", ["What is Thanh Hoa's 2025 target for adults using online public services?"])
    assert "Hải Dương" in out and understand(out).language == "en"


def test_two_provinces_get_one_owner_line_each(plan_assistant):
    ans = plan_assistant.answer("Hóa đơn điện tử ở Bình Định và Hải Dương do cơ quan nào chủ trì?")
    lines = ans.answer.splitlines()
    assert any("Cục Thuế" in ln and "Bình Định" in ln for ln in lines)
    assert any("Sở Tài chính" in ln and "Hải Dương" in ln for ln in lines)


def test_cross_referenced_owner_names_the_assigning_clause(plan_assistant):
    ans = plan_assistant.answer("Theo kế hoạch CĐS năm 2020 của Thanh Hóa, ai chịu trách nhiệm các nhiệm vụ chuyển đổi số ngành y tế?")
    assert ans.answer.startswith("Sở Y tế chủ trì") and "điểm 5.1, mục 5, phần III" in ans.answer
    assert {c.doc_id for c in ans.citations} == {"thanh-hoa-ke-hoach-cds-2020"}


def test_baseline_year_answers_with_the_baseline(plan_assistant):
    ans = plan_assistant.answer("Năm 2022 tỷ lệ doanh nghiệp Hải Dương sử dụng hợp đồng điện tử là bao nhiêu?")
    assert "năm 2022: 6,2%" in ans.answer


def test_agency_lists_count_and_include_implementation_duties(plan_assistant):
    ans = plan_assistant.answer("Công an tỉnh Thanh Hóa có nhiệm vụ gì trong kế hoạch chuyển đổi số năm 2025?")
    assert "Đề án 06" in ans.answer and "VNeID" in ans.answer
    ans = plan_assistant.answer("Sở GD&ĐT Hải Dương chủ trì những nhiệm vụ nào?")
    assert ans.answer.splitlines()[0].endswith("— 12 mục chủ trì:") and "… và 2 mục khác." in ans.answer


# -- probe3: 60 questions written from the texts before reading the answering code
# (52/60 unseen, 60/60 after) ---------------------------------------------------------------------


def test_inflected_english_words_are_translated():
    q = understand("When is Hai Duong's e-invoice platform scheduled to be deployed?")
    assert q.intent == "deadline" and set(q.topic) == {"hóa", "đơn", "điện", "tử", "nền", "tảng"}
    q = understand("How many experts and workers does Binh Dinh aim to attract to the software park?")
    assert {"chuyên", "gia", "lao", "động", "thu", "hút"} <= set(q.topic)
    assert not {"experts", "workers", "attract"} & set(q.topic)


def test_english_it_acronym_is_information_technology_not_a_pronoun():
    q = understand("Under Thanh Hoa's 2020 plan, what minimum share of IT project funding must go to security?")
    assert "công nghệ thông tin" in q.expansions and "it" not in q.topic and "minimum" not in q.topic
    q = understand("What is it?")
    assert "công nghệ thông tin" not in q.expansions


def test_english_implementation_period_follow_up_keeps_the_topic():
    out = rewrite("And what is its implementation period?", ["Who leads the Hai Duong land data and digital map platform?"])
    q = understand(out)
    assert q.intent == "deadline" and {"đất", "đai", "bản", "đồ"} <= set(q.topic)


def test_agency_name_after_giao_leaves_no_fragment():
    q = understand("Bình Định giao Sở Y tế chủ trì những dự án nào trong Phụ lục II?")
    assert q.agencies == ["Sở Y tế"] and "tế" not in q.topic and "giao" not in q.topic
    assert "giao" in understand("Hải Dương giao sở nào chủ trì lộ trình số hóa hạ tầng giao thông?").topic


def test_plan_abbreviations_cover_their_full_terms():
    from assistant.answers.evidence import Vocabulary
    vocab = Vocabulary(["Ứng dụng CNTT vào hoạt động của các trung tâm logistics", "công nghệ thông tin", "khác"])
    topic = ["công", "nghệ", "thông", "tin", "logistics"]
    assert vocab.coverage(topic, "Ứng dụng CNTT vào hoạt động của các trung tâm logistics") == 1.0
    assert vocab.coverage(["cntt"], "triển khai công nghệ thông tin") == 1.0
    assert vocab.coverage(["cntt"], "triển khai công nghệ") == 0.0


def test_owner_found_through_abbreviated_row(plan_assistant):
    ans = plan_assistant.answer("Ai phụ trách đưa công nghệ thông tin vào hoạt động của các trung tâm logistics ở Bình Định?")
    assert not ans.abstained and ans.answer.startswith("Sở Công Thương chủ trì")


def test_projects_of_an_agency_fall_back_to_mixed_task_tables(plan_assistant):
    ans = plan_assistant.answer("Bình Định giao Sở Y tế chủ trì những dự án nào trong Phụ lục II?")
    assert not ans.abstained and "PACS" in ans.answer and "trung tâm dữ liệu ngành Y tế" in ans.answer


# -- probe4: 50 questions written from the texts before reading the answering code
# (42/50 unseen, 50/50 after) ---------------------------------------------------------------------


def test_new_topic_follow_up_keeps_the_earlier_intent():
    out = rewrite("Còn Nền tảng hóa đơn điện tử thì sao?", ["Ai chủ trì Chương trình thúc đẩy dịch vụ Mobile money ở Hải Dương?"])
    assert out == "Ai chủ trì Nền tảng hóa đơn điện tử Hải Dương?"
    out = rewrite("Còn dự án Sổ sức khỏe điện tử trên VNeID?", ["Dự án Kho dữ liệu dùng chung của Thanh Hóa do ai chủ trì?"])
    assert understand(out).intent == "owner" and "Thanh Hóa" in out


def test_named_project_de_an_is_a_topic_not_the_news_scheme():
    q = understand("Đề án lưu trữ tài liệu điện tử của Thanh Hóa trong kế hoạch năm 2025 do sở nào triển khai?")
    assert q.doc_hints == ["ke hoach 2025"]
    assert understand("Đề án chuyển đổi số Thanh Hóa đặt mục tiêu gì năm 2030?").doc_hints == ["de an"]
    assert understand("Theo đề án, tổng kinh phí là bao nhiêu?").doc_hints == ["de an"]


def test_named_programme_titles_skip_acronyms():
    assert understand("Thanh Hóa giao ai chủ trì Chương trình “Học từ làm việc thực tế”?").titles == ["hoc tu lam"]
    assert understand("Lộ trình nâng cấp nền tảng LGSP của Bình Định là khi nào?").titles == []


def test_programme_only_another_province_has_abstains(plan_assistant):
    ans = plan_assistant.answer("Thanh Hóa giao ai chủ trì Chương trình Học từ làm việc thực tế?")
    assert ans.abstained
    ans = plan_assistant.answer("Ai chủ trì Chương trình Học từ làm việc thực tế ở Hải Dương?")
    assert not ans.abstained and "Sở Giáo dục và Đào tạo" in ans.answer


def test_agency_target_list(plan_assistant):
    q = understand("Những mục tiêu nào của Bình Định do Thanh tra tỉnh chủ trì đôn đốc?")
    assert q.intent == "list_agency" and q.agencies == ["Thanh tra tỉnh"]
    ans = plan_assistant.answer(q.text)
    assert "50%" in ans.answer and "70%" in ans.answer
    assert all(r["kind"] == "target" for r in ans.records)


def test_strive_is_a_filler_and_2030_prose_target_answers():
    assert "phấn" not in understand("Đến năm 2030, Bình Định phấn đấu kinh tế số chiếm bao nhiêu GRDP?").topic


def test_english_goal_verbs_are_translated():
    q = understand("When will Hai Duong pilot the open textbook program?")
    assert {"thí", "điểm", "sách", "giáo", "khoa"} <= set(q.topic) and "pilot" not in q.topic
    assert "form" not in understand("How many digital technology businesses does Binh Dinh plan to form by 2025?").topic


# -- probe5: 30 questions written from the texts before reading the answering code
#    (23/30 before the fixes below, 29/30 after; the miss is a phase-level deadline, see the report)


def test_english_service_and_management_words_are_translated():
    q = understand("What share of Thanh Hoa's primary to high schools should apply the digital governance model in 2025?")
    assert {"tiểu", "học", "quản", "trị", "mô", "hình"} <= set(q.topic)
    assert not {"primary", "governance", "model", "apply"} & set(q.topic)


def test_follow_up_opening_on_con_keeps_the_earlier_province():
    out = rewrite("Còn Kho dữ liệu số dùng chung của tỉnh thì ai chủ trì?",
                  ["Bình Định giao ai triển khai mạng lưới phát thanh thông minh?"])
    assert "Bình Định" in out and "Kho dữ liệu số dùng chung" in out


def test_deadline_of_an_untimed_task_names_the_years_its_text_states(plan_assistant):
    ans = plan_assistant.answer("Bình Định dự kiến hoàn thành bệnh án điện tử trên toàn bộ hệ thống y tế tỉnh vào năm nào?")
    assert not ans.abstained and "2028" in ans.answer


# -- English questions with words outside the glossary (probe6) ----------------------------------
def test_everyday_english_words_are_recorded_as_untranslated():
    q = understand("Who is in charge of laying fiber broadband to every village in Hai Duong?")
    assert q.foreign == ["laying"] and {"cáp", "quang", "thôn"} <= set(q.topic)
    q = understand("Who is in charge of bringing fiber broadband to every village in Hai Duong?")
    assert q.foreign == [] and {"cáp", "quang", "thôn"} <= set(q.topic)  # "bringing" says how, not what
    q = understand("What share of retail sales does Hai Duong want online shopping to make up by 2025?")
    assert q.foreign == [] and {"bán", "lẻ", "thương", "mại", "điện", "tử"} <= set(q.topic)


def test_one_untranslated_word_beside_a_strong_translated_match_answers(plan_assistant):
    a = plan_assistant.answer("Who is in charge of bringing fiber broadband to every village in Hai Duong?")
    assert not a.abstained and "Sở Thông tin và Truyền thông" in a.answer
    assert {c.doc_id for c in a.citations} == {"hai-duong-5046-kh-ubnd-2023"}


def test_untranslated_words_beside_a_short_translated_part_still_abstain(plan_assistant):
    for q in ("Who is in charge of building the smart stadium in Binh Dinh?",
              "Who builds smart parking lots in Binh Dinh?",
              "Which agency handles bringing fiber and mobile broadband to every fishing harbour in Hai Duong?"):
        assert plan_assistant.answer(q).abstained, q


# -- probe7: 25 questions written from the texts before reading the answering code ---------------
def test_probe7_figure_named_in_a_task_keeps_a_when_question_a_deadline(plan_assistant):
    ans = plan_assistant.answer("Bình Định phát triển hệ thống cáp quang đến 100% cấp xã trong thời gian nào?")
    assert ans.intent == "deadline" and "2022-2025" in ans.answer
    # asking for the figure itself still makes it a target question
    assert understand("khi nao hai duong dat bao nhieu % ho gia dinh co cap quang").intent == "target"


def test_probe7_labour_force_is_translated(plan_assistant):
    ans = plan_assistant.answer("What share of the labour force should work in the digital economy in Hai Duong by 2025?")
    assert not ans.abstained and ">2%" in ans.answer
    assert ans.citations[0].doc_id == "hai-duong-5046-kh-ubnd-2023"
