"""Questions as people type them (issue 19), on a plan no sample resembles: a 2025 provincial plan
of Lào Cai (tests/fixtures/natural) whose duties are stated per unit in numbered paragraphs
("1. Sở Khoa học và Công nghệ / a) … b) …"), whose opening names what it implements and replaces,
read without a catalog entry. Each class of the issue has its exact expectation here: chat
wrapping, agencies by the head of their name, province initials, duties asked in other words,
the partner role, follow-ups that lean on the previous answer, and document facts."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.assistant import PlanAssistant
from assistant.chat_wrapping import unwrap
from assistant.glossary import expand_province_initials
from assistant.understanding import find_known_agencies, understand
from tests.helpers import fixture_index

FIXTURES = Path(__file__).parent / "fixtures" / "natural"
LC = "lao-cai-45-kh-ubnd-2025"
LABEL = "Lào Cai, Kế hoạch số 45/KH-UBND (10/11/2025)"


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    settings, index = fixture_index(tmp_path_factory.mktemp("natural-index"), FIXTURES)
    return PlanAssistant(settings, index=index)


# -- 1. conversational wrapping (pure text) -------------------------------------------------------
@pytest.mark.parametrize("typed, plain", [
    ("ad ơi cho em hỏi Sở Xây dựng bên em phải làm những gì trong kế hoạch 5046 vậy ạ?",
     "Sở Xây dựng phải làm những gì trong kế hoạch 5046?"),
    ("mk o binh dinh, tinh co ke hoach j cho nong dan ko ad", "o binh dinh, tinh co ke hoach gi cho nong dan khong"),
    ("e muốn hỏi chữ ký số cá nhân làm thế nào z ad", "chữ ký số cá nhân làm thế nào"),
    ("em là cán bộ Sở Y tế, sở em phải làm gì ạ", "Sở Y tế, sở phải làm gì"),
    ("Còn ở Thanh Hóa thì sao ạ?", "Còn ở Thanh Hóa thì sao?"),
    ("Hi, who leads the e-invoice platform?", "who leads the e-invoice platform?"),
])
def test_chat_wrapping_comes_off(typed, plain):
    assert unwrap(typed, understand(typed).language) == plain


@pytest.mark.parametrize("kept", ["xin chào ad", "Kế hoạch 59/KH-UBND do ai ký?", "Sở TT&TT phải làm gì?",
                                  "diện tích 100 ha"])
def test_what_is_not_wrapping_stays(kept):
    assert unwrap(kept) == kept  # a greeting alone, document codes, agency abbreviations, measures


def test_province_initials_only_when_one_held_province_has_them():
    held = ["Lào Cai", "Thanh Hóa", "Hải Dương", "Hà Nội"]
    assert expand_province_initials("Sở Nội vụ TH được giao gì trong KH 258?", held) == \
        "Sở Nội vụ Thanh Hóa được giao gì trong KH 258?"
    assert expand_province_initials("HD và LC", held) == "Hải Dương và Lào Cai"
    assert expand_province_initials("HD", ["Hải Dương", "Hưng Duy"]) == "HD"  # two provinces share them
    assert expand_province_initials("KH 59, hd sử dụng", ["Khánh Hòa", "Hải Dương"]) == "KH 59, hd sử dụng"


def test_an_agency_by_the_head_of_its_name():
    known = ("Sở Giáo dục và Đào tạo", "Sở Văn hóa, Thể thao và Du lịch", "Sở Nông nghiệp và Phát triển nông thôn",
             "Sở Nông nghiệp và Môi trường")
    assert find_known_agencies("Sở Giáo dục được phân công gì?", known) == ["Sở Giáo dục và Đào tạo"]
    assert find_known_agencies("so van hoa lam gi", known) == ["Sở Văn hóa, Thể thao và Du lịch"]
    assert find_known_agencies("Sở Nông nghiệp làm gì", known) == []  # two agencies share the head


# -- 2. duties, asked as people ask them, in numbered per-unit paragraphs --------------------------
SCT_DUTIES = [f"{LABEL} — 2 mục chủ trì:",
              "- Hỗ trợ hộ kinh doanh nông sản đưa sản phẩm lên sàn thương mại điện tử. [1]",
              "- Tổ chức hội chợ nông sản trực tuyến hằng năm. (hằng năm) [2]"]


@pytest.mark.parametrize("q", [
    "Sở Công Thương Lào Cai phải làm những gì?",
    "ad ơi cho em hỏi Sở Công Thương Lào Cai bên em phải làm những gì vậy ạ?",
    "Ở Lào Cai, Sở Công Thương gánh những nhiệm vụ nào?",
])
def test_an_agencys_duties_however_asked(bot, q):
    ans = bot.answer(q)
    assert ans.answer.splitlines() == SCT_DUTIES and {c.doc_id for c in ans.citations} == {LC}


def test_a_shortened_agency_and_province_initials(bot):
    ans = bot.answer("Sở Giáo dục LC được phân công những việc gì?")
    assert ans.answer.splitlines() == [
        f"{LABEL} — 1 mục chủ trì:",
        "- Đưa nội dung kỹ năng số vào chương trình giảng dạy ở các trường phổ thông. [1]"]


def test_a_citizen_typing_without_accents(bot):
    ans = bot.answer("mk o lao cai, tinh co ho tro nong dan ban hang len san tmdt ko ad")
    assert ans.answer.startswith("Có. Sở Công Thương chủ trì: “Hỗ trợ hộ kinh doanh nông sản đưa sản phẩm lên sàn")


# -- 8. follow-ups that lean on what the assistant answered -------------------------------------
def test_that_department_is_the_one_the_previous_answer_named(bot):
    first = "Ai vận hành Cổng dịch vụ công của tỉnh Lào Cai?"
    assert bot.answer(first).answer.startswith("Sở Khoa học và Công nghệ chủ trì: “Vận hành ổn định Cổng dịch vụ công")
    ans = bot.answer("Sở đó còn phải làm gì nữa?", history=[first])
    assert ans.standalone_question == "Sở Khoa học và Công nghệ còn phải làm gì nữa ở Lào Cai?"
    assert ans.answer.splitlines() == [
        f"{LABEL} — 2 mục chủ trì:",
        "- Vận hành ổn định Cổng dịch vụ công của tỉnh, bảo đảm hoạt động thông suốt 24/7. [1]",
        "- Triển khai Nền tảng học trực tuyến mở về kỹ năng số cho người dân. [2]"]
    en = bot.answer("What else does that department do?", history=["Who operates the public service portal in Lao Cai?"])
    assert en.standalone_question == "What else does Sở Khoa học và Công nghệ do in Lào Cai?"
    assert en.language == "en" and en.answer.splitlines()[0] == "Lào Cai, Plan No. 45/KH-UBND (10/11/2025) — 2 led:"


def test_a_wrapped_follow_up_keeps_the_earlier_topic(bot):
    ans = bot.answer("còn hộ kinh doanh nông sản thì sao?",
                     history=["Đến năm 2030 kinh tế số Lào Cai chiếm bao nhiêu % GRDP vậy ạ?"])
    assert "80% hộ kinh doanh nông sản bán hàng trên sàn thương mại điện tử" in ans.answer
    assert "năm 2030: 80%" in ans.answer


# -- 7. what a plan implements and replaces ------------------------------------------------------
@pytest.mark.parametrize("q", ["Kế hoạch 45 của Lào Cai triển khai văn bản nào?", "Kế hoạch 45 thay thế kế hoạch nào?",
                               "Which decision is Lao Cai's plan 45 based on?"])
def test_what_a_plan_implements_and_replaces(bot, q):
    ans = bot.answer(q)
    assert "Căn cứ Quyết định số 411/QĐ-TTg ngày 31/3/2022" in ans.answer
    assert "Kế hoạch này thay thế Kế hoạch số 120/KH-UBND ngày 05/6/2023" in ans.answer
    assert not ans.abstained and {c.doc_id for c in ans.citations} == {LC}


# -- 9. a citizen asking how to do something the plans mention -----------------------------------
def test_how_to_answers_what_the_plans_say_and_that_they_give_no_procedure(bot):
    ans = bot.answer("Ở Lào Cai muốn học kỹ năng số trực tuyến thì làm thế nào?")
    assert ans.answer.splitlines() == [
        "Sở Khoa học và Công nghệ chủ trì: “Triển khai Nền tảng học trực tuyến mở về kỹ năng số cho người dân.” "
        f"({LABEL}) [1]",
        "Các kế hoạch không mô tả thủ tục hay cách làm cụ thể; trên đây là những gì kế hoạch nêu về việc này."]
    en = bot.answer("How can I sell my farm produce online in Lao Cai?")
    assert en.answer.splitlines()[-1] == "The plans do not describe the procedure itself; above is what they say about it."
    assert en.answer.startswith("Lead: Sở Công Thương")


# -- 2. duties in a decision's regulation: chapters, articles "Trách nhiệm của …", "(1) Sở …:" -----
CB = "Cao Bằng, Quyết định số 77/QĐ-UBND (02/12/2025)"


def test_the_sections_of_a_regulation():
    from ingest.sections import classify

    assert classify("--------") is None and classify("______") is None  # the rule under a name, no bullet
    article = classify("Điều 4. Trách nhiệm của Sở Khoa học và Công nghệ")
    assert (article.kind, article.number, article.title) == ("article", "4", "Trách nhiệm của Sở Khoa học và Công nghệ")
    clause = classify("(1) Sở Tài chính:")
    assert (clause.kind, clause.number, clause.title) == ("clause", "(1)", "Sở Tài chính:")
    assert (classify("Chương II").kind, classify("Chương II").number) == ("part", "II")
    assert classify("Điều 4. x").rank < classify("1. Vận hành").rank < classify("(1) Sở Tài chính:").rank \
        < classify("a) Tập huấn").rank


@pytest.mark.parametrize("q, duties", [
    ("Sở Khoa học và Công nghệ Cao Bằng phải làm gì?",
     ["Vận hành Hệ thống hội nghị truyền hình bảo đảm hoạt động liên tục 24/7.",
      "Tập huấn cho cán bộ kỹ thuật của các xã, phường về sử dụng Hệ thống hội nghị truyền hình."]),
    ("Công an tỉnh Cao Bằng có trách nhiệm gì?", ["Bảo đảm an ninh mạng cho Hệ thống hội nghị truyền hình."]),
    ("VP UBND tỉnh Cao Bằng được giao việc gì?",
     ["Xây dựng lịch họp trực tuyến của Ủy ban nhân dân tỉnh hằng tháng. (hằng tháng)"]),
])
def test_an_agencys_duties_in_a_regulation(bot, q, duties):
    lines = bot.answer(q).answer.splitlines()
    assert lines[0] == f"{CB} — {len(duties)} mục chủ trì:"
    assert [ln.rsplit(" [", 1)[0] for ln in lines[1:]] == [f"- {d}" for d in duties]


def test_the_owner_of_a_duty_under_a_numbered_paragraph(bot):
    ans = bot.answer("Ai bố trí kinh phí vận hành Hệ thống hội nghị truyền hình ở Cao Bằng?")
    assert ans.answer == ("Sở Tài chính chủ trì: “Bố trí kinh phí vận hành Hệ thống hội nghị truyền hình hằng năm.”; "
                          f"thời gian thực hiện: hằng năm ({CB}) [1]")


def test_what_a_decision_replaces(bot):
    ans = bot.answer("Quyết định 77 của Cao Bằng thay thế quyết định nào?")
    assert "thay thế Quyết định số 12/2021/QĐ-UBND ngày 10 tháng 3 năm 2021" in ans.answer
    assert ("- “Các văn bản sau đây hết hiệu lực kể từ ngày Quyết định này có hiệu lực: a) Quyết định số 05/2019/QĐ-UBND "
            "ngày 02 tháng 4 năm 2019 của Ủy ban nhân dân tỉnh; b) Quyết định số 20/2022/QĐ-UBND") in ans.answer
    assert {c.doc_id for c in ans.citations} == {"cao-bang-77-qd-ubnd-2025"}


# -- 5. targets per period, as rankings, as absolute numbers; 3. the lead of a target -------------
TQ = "Tuyên Quang, Kế hoạch số 88/KH-UBND (25/11/2025)"


def test_a_target_set_per_period_and_its_follow_up(bot):
    first = "Tỷ trọng kinh tế số của Tuyên Quang giai đoạn 2028-2030 là bao nhiêu?"
    assert bot.answer(first).answer == (
        f"{TQ}: “Tỷ trọng kinh tế số trong GRDP của tỉnh: Giai đoạn 2028-2030: đạt 18%” — năm 2030: 18% [1]")
    ans = bot.answer("còn năm 2027?", history=[first])
    assert ans.standalone_question == "Tỷ trọng kinh tế số của Tuyên Quang giai đoạn 2027 là bao nhiêu?"
    assert ans.answer == (
        f"{TQ}: “Tỷ trọng kinh tế số trong GRDP của tỉnh: Giai đoạn 2026-2027: đạt 12%” — năm 2027: 12% [1]")


def test_rankings_and_absolute_numbers_are_targets():
    from ingest.prose import figure

    assert figure("Tỉnh thuộc nhóm 15 tỉnh dẫn đầu cả nước về Chỉ số chuyển đổi số cấp tỉnh (DTI) đến năm 2030") == \
        "thuộc nhóm 15 tỉnh dẫn đầu cả nước về Chỉ số chuyển đổi số cấp tỉnh"
    assert figure("có 600.000 người dân sử dụng tài khoản định danh điện tử") == "600.000 người"
    assert figure("thu hút 1,5 triệu lượt khách") == "1,5 triệu lượt"
    assert figure("Phủ sóng 5G tại trung tâm các xã, phường") is None


def test_an_absolute_target_and_the_lead_of_an_indicator(bot):
    ans = bot.answer("Đến 2030 Tuyên Quang có bao nhiêu người dùng định danh điện tử mức 2?")
    assert ans.answer.endswith("— năm 2030: 600.000 người [1]")
    lead = bot.answer("Ai chủ trì chỉ tiêu hợp đồng điện tử ở Tuyên Quang?")
    assert lead.answer == (f"Sở Công Thương chủ trì: “Tỷ lệ doanh nghiệp sử dụng hợp đồng điện tử” — năm 2027: 70%; "
                           f"năm 2030: 95% ({TQ}) [1]")


def test_the_goals_on_a_theme_are_listed(bot):
    for q, year in (("Mục tiêu về kinh tế số của Tuyên Quang là gì?", "năm "), ("What are Tuyen Quang's digital economy goals?", "")):
        assert bot.answer(q).answer.splitlines()[1:] == [
            f"- Tỷ trọng kinh tế số trong GRDP của tỉnh: Giai đoạn 2026-2027: đạt 12% — {year}2027: 12% [1]",
            f"- Tỷ trọng kinh tế số trong GRDP của tỉnh: Giai đoạn 2028-2030: đạt 18% — {year}2030: 18% [2]"]


def test_a_summary_asked_in_everyday_english(bot):
    ans = bot.answer("Give me a quick rundown of Lao Cai's plan.")
    assert ans.intent == "summary" and ans.answer.splitlines()[0].startswith("Lào Cai, Plan No. 45/KH-UBND (10/11/2025): Kế hoạch")
    assert "- Parts: I. MỤC TIÊU [3]; II. TỔ CHỨC THỰC HIỆN [4]" in ans.answer


# -- 4. a count the text states, with the list it introduces ------------------------------------
@pytest.mark.parametrize("q", ["he thong hoi nghi truyen hinh cao bang co may thanh phan, gom nhung gi vay ad",
                               "Hệ thống hội nghị truyền hình của Cao Bằng gồm những thành phần nào?"])
def test_a_sentence_that_introduces_a_list_is_quoted_with_it(bot, q):
    assert bot.answer(q).answer == (
        f"{CB}: “Hệ thống hội nghị truyền hình của tỉnh có 03 thành phần, bao gồm: Phòng họp trực tuyến tại trụ sở "
        "Ủy ban nhân dân các xã, phường; Thiết bị ghi hình và lưu trữ biên bản cuộc họp; Đường truyền số liệu chuyên "
        "dùng kết nối các điểm cầu” [1]")


def test_an_unaccented_question_keeps_its_register_when_initials_are_written_out(bot):
    q = bot.understand(bot.with_places("LC co ho tro ho kinh doanh ban hang len san tmdt ko ad, ben nao phu trach vay"))
    assert q.provinces == ["Lào Cai"] and q.intent == "owner" and not q.accented
    # no "co", "ben", "nao", "ko", "ad": the chat words stay stop words of an unaccented question
    assert q.topic == ["ho", "tro", "kinh", "doanh", "hang", "san", "thuong", "mai", "dien", "tu"]


def test_a_chapter_titled_after_a_blank_line_and_a_request_that_is_no_yes_no_question():
    from ingest.normalize import normalize
    from ingest.sections import parse_sections

    sections = parse_sections(normalize("Chương I\n\nQUY ĐỊNH CHUNG\n\nĐiều 1. Phạm vi điều chỉnh\nQuy chế này quy định.\n"), "x")
    assert [(s.kind, s.number, s.title) for s in sections if s.kind != "root"] == [
        ("part", "I", "QUY ĐỊNH CHUNG"), ("article", "1", "Phạm vi điều chỉnh")]
    assert not understand("Can you give me a quick overview of Lao Cai's plan?").yes_no
    assert understand("Can Lao Cai citizens sell online?").yes_no


# -- owners across plans, counts of an agency's duties, what the assistant can look up ----------
def test_owners_across_plans(bot):
    from assistant.answers.tasks import asks_across

    lines = bot.answer("Những cơ quan nào chủ trì vận hành Cổng dịch vụ công ở các tỉnh?").answer.splitlines()
    assert [ln.split(" chủ trì: ")[0] for ln in lines] == ["Sở Khoa học và Công nghệ"] * 2
    assert [ln.split("” (")[1].split(",")[0] for ln in lines] == ["Lào Cai", "Tuyên Quang"]
    assert asks_across(understand("Which agencies lead e-health records in each province?"))
    assert not asks_across(understand("Ai chủ trì vận hành Cổng dịch vụ công ở Lào Cai?"))


@pytest.mark.parametrize("q", ["Sở Khoa học và Công nghệ Cao Bằng có bao nhiêu việc phải làm?",
                               "How many tasks does the Department of Science and Technology lead in Cao Bang?"])
def test_how_many_duties_an_agency_has(bot, q):
    head = bot.answer(q).answer.splitlines()[0]
    assert head in (f"{CB} — 2 mục chủ trì:", "Cao Bằng, Decision No. 77/QĐ-UBND (02/12/2025) — 2 led:")


@pytest.mark.parametrize("q", ["bot nay tra cuu duoc gi vay ad", "What can I ask you?"])
def test_what_the_assistant_can_look_up(bot, q):
    ans = bot.answer(q)
    assert ans.intent == "greeting" and not ans.abstained and "Cao Bằng, Lào Cai, Sơn La, Tuyên Quang" in ans.answer


def test_stakeholder_groups_are_topics_and_initials_go_before_a_year():
    known = ("Doanh nghiệp", "Các địa phương", "Doanh nghiệp viễn thông", "Sở Công Thương")
    assert find_known_agencies("mấy loại hình doanh nghiệp công nghệ số", known) == []
    assert find_known_agencies("Sở Công Thương phối hợp với các địa phương", known) == ["Sở Công Thương"]
    assert expand_province_initials("Kế hoạch CĐS TH 2020", ["Thanh Hóa"]) == "Kế hoạch CĐS Thanh Hóa 2020"
    assert expand_province_initials("TH 59", ["Thanh Hóa"]) == "TH 59"


# -- 6. English in everyday words on plans of other issuers ---------------------------------------
def test_english_words_of_a_directive_question():
    q = understand("Under the PM's directive 24, who is in charge of rolling out biometric check-in at airports?")
    assert q.intent == "owner" and q.foreign == []
    assert {"sinh", "trắc", "cảng", "hàng"} <= set(q.topic) and not {"thị", "pm", "rolling"} & set(q.topic)
    count = understand("How many administrative procedures does the directive say replace paper documents?")
    assert count.intent != "document" and not count.meta  # "replace … documents" is no question about a document
    assert understand("Which national decision is Lao Cai's plan based on?").meta == ["basis"]


@pytest.mark.parametrize("q", ["What share of Lao Cai's online public services must be fully end-to-end by 2030?",
                               "What percentage of Tuyen Quang's schools must teach coding by 2030?"])
def test_a_figure_the_plans_do_not_set_is_not_borrowed_from_another_sentence(bot, q):
    assert bot.answer(q).abstained


def test_the_plans_own_subject_does_not_narrow_an_agencys_duties(bot):
    ans = bot.answer("Sở KH&CN Cao Bằng phải làm gì theo quy chế vận hành hệ thống hội nghị truyền hình?")
    assert ans.answer.splitlines()[0] == f"{CB} — 2 mục chủ trì:"  # "quy chế vận hành" is the title, no theme


def test_an_english_department_in_its_own_word_order():
    from assistant.understanding import english_bodies

    assert english_bodies("What is the Ninh Binh science and technology department responsible for?") == [
        "Sở Khoa học và Công nghệ"]
    assert english_bodies("What must the health ministry do?") == ["Bộ Y tế"]
    assert understand("What does the finance department do in Lao Cai?").agencies == ["Sở Tài chính"]


# -- 7. a part of a plan asked by its heading -----------------------------------------------------
@pytest.mark.parametrize("q", ["Kế hoạch chuyển đổi số của Tuyên Quang đặt ra những yêu cầu gì?",
                               "What are the requirements of Tuyen Quang's plan?"])
def test_the_items_of_a_part_asked_by_its_heading(bot, q):
    lines = bot.answer(q).answer.splitlines()
    assert lines[0].endswith("(25/11/2025) — III. YÊU CẦU [1]:")
    assert lines[1] == "- Lấy người dân và doanh nghiệp làm trung tâm [2]"  # a long item by its opening sentence
    assert lines[2].startswith("- Bảo đảm an toàn, an ninh mạng.") and len(lines) == 3


def test_where_a_figure_stands_now_and_a_second_clause_that_only_adds_a_year():
    from assistant.conversation import rewrite
    from assistant.understanding import split_compound

    earlier = ["Tỷ lệ hộ kinh doanh nông sản bán hàng trên sàn ở Lào Cai năm 2030 là bao nhiêu?"]
    assert rewrite("thế hiện giờ được bao nhiêu rồi?", earlier) == (
        "Tỷ lệ hộ kinh doanh nông sản bán hàng trên sàn ở Lào Cai là bao nhiêu?")  # every year, the baseline too
    assert rewrite("And where does it stand now?", ["What is Lao Cai's 2030 target for the digital economy?"]) == (
        "What is Lao Cai's target for the digital economy?")
    q = "Đến 2030 Lào Cai đặt chỉ tiêu kinh tế số bao nhiêu % GRDP, năm 2024 mới đạt bao nhiêu?"
    assert split_compound(q) == [q]  # "năm 2024 mới đạt bao nhiêu" asks the same figure for another year


def test_a_text_without_a_header_goes_by_its_headline_and_the_code_it_names():
    from ingest.catalog import header_meta

    text = ("[Bản chép từ một bài báo: thiếu phần đầu, căn cứ và chữ ký của văn bản gốc.]\n\n"
            "Toàn văn Chỉ thị 31/CT-TTg 2025 về dịch vụ công trực tuyến toàn trình\n\n"
            "Ngày 20/10/2025, Thủ tướng Chính phủ ký Chỉ thị 31/CT-TTg. Theo đó, các bộ, ngành …\n")
    meta = header_meta("bai-bao-chi-thi-31", text)
    assert (meta.title, meta.number, meta.doc_type) == (
        "Toàn văn Chỉ thị 31/CT-TTg 2025 về dịch vụ công trực tuyến toàn trình", "31/CT-TTg", "Chỉ thị")


# -- 3. the lead of a target in tables hard-wrapped inside their "|" cells ------------------------
SL = "Sơn La, Kế hoạch số 12/KH-UBND (05/11/2025)"


def test_a_hard_wrapped_pipe_table_keeps_its_rows_and_its_lead_column(bot):
    ans = bot.answer("Ai chủ trì chỉ tiêu hóa đơn điện tử của Sơn La?")
    assert ans.answer == (f"Sở Tài chính chủ trì: “Tỷ lệ doanh nghiệp nhỏ và vừa sử dụng hóa đơn điện tử” — "
                          f"năm 2026: 60% ({SL}) [1]")
    lead = bot.answer("Chỉ tiêu thanh toán không dùng tiền mặt ở chợ năm 2026 của Sơn La là bao nhiêu, ai chủ trì?")
    assert lead.answer.startswith("Sở Công Thương chủ trì: “Tỷ lệ chợ truyền thống có thanh toán không dùng tiền mặt”")


def test_an_agencys_targets_in_a_one_cell_per_line_table_by_the_head_of_its_name(bot):
    assert bot.answer("Sở Giáo dục Sơn La phụ trách chỉ tiêu nào?").answer.splitlines() == [
        f"{SL} — 1 mục chủ trì:", "- Tỷ lệ học sinh được học kỹ năng số (2026: 80%) [1]"]


def test_when_something_starts_is_asked_about_the_thing_not_the_starting():
    q = understand("Nền tảng học trực tuyến mở ở Lào Cai bao giờ thì bắt đầu triển khai?")
    assert q.intent == "deadline" and q.topic == ["nền", "tảng", "học", "trực", "tuyến", "mở"]
    assert "đầu" in understand("Ai chủ trì thu hút đầu tư vào công nghệ số ở Lào Cai?").topic  # "đầu tư" stays


@pytest.mark.parametrize("typed, plain", [
    ("mk o lao cai, tinh co ho tro nong dan ban hang online ko ad", "o lao cai, tinh co ho tro nong dan thuong mai dien tu khong"),
    ("Kế hoạch của Lào Cai tốn bao nhiêu tiền?", "Kế hoạch của Lào Cai kinh phí bao nhiêu?"),
    ("Ở Lào Cai làm giấy tờ online được không?", "Ở Lào Cai dịch vụ công trực tuyến được không?"),
    ("Ứng dụng Mini App Nông dân do ai làm?", "Ứng dụng Mini App Nông dân do ai làm?"),  # a name keeps its words
])
def test_everyday_phrases_become_the_plans_terms(typed, plain):
    assert unwrap(typed) == plain


def test_a_citizen_asking_about_selling_online(bot):
    ans = bot.answer("mk o lao cai, tinh co ho tro nong dan ban hang online ko ad")
    assert ans.answer.startswith("Có. Sở Công Thương chủ trì: “Hỗ trợ hộ kinh doanh nông sản đưa sản phẩm lên sàn")


def test_a_figure_with_a_unit_and_an_agency_that_opens_a_duty():
    from ingest.assignments import heading_agencies

    assert heading_agencies("Sở Khoa học và Công nghệ quyết định dung lượng cấp cho mỗi hộp thư điện tử") == [
        "Sở Khoa học và Công nghệ"]
    assert heading_agencies("Trung tâm Chuyển đổi số và Truyền thông thuộc Sở Khoa học và Công nghệ") == [
        "Trung tâm Chuyển đổi số và Truyền thông thuộc Sở Khoa học và Công nghệ"]


def test_a_figure_with_a_unit_is_the_figure_asked(bot):
    ans = bot.answer("Mỗi điểm cầu ở Cao Bằng được cấp dung lượng lưu trữ tối thiểu bao nhiêu?")
    assert "tối thiểu 500 GB" in ans.answer and not ans.abstained


def test_the_price_of_a_thing_is_no_budget():
    assert unwrap("Chữ ký số cá nhân ở Lào Cai giá bao nhiêu tiền?") == "Chữ ký số cá nhân ở Lào Cai giá bao nhiêu tiền?"
    assert unwrap("Đề án của Lào Cai tốn tổng cộng bao nhiêu tiền?") == "Đề án của Lào Cai tốn tổng cộng kinh phí bao nhiêu?"


@pytest.mark.parametrize("q", ["Bao giờ Lào Cai bắt đầu thu phí Cổng dịch vụ công?",
                               "When will Lao Cai start charging fees on the public service portal?"])
def test_when_no_sentence_states_a_time_there_is_no_when(bot, q):
    assert bot.answer(q).abstained  # the portal's sentence says what, never when
