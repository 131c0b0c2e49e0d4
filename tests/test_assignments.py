"""Ownership from "Tổ chức thực hiện": references resolved to sections, applied to prose tasks."""
from __future__ import annotations

from ingest.assignments import reference_groups, heading_agencies


def _assignments(doc, agency, role="lead"):
    return [a for a in doc.assignments() if a.agency == agency and a.role == role]


def test_reference_groups_parse():
    groups = reference_groups("được nêu tại điểm c, điểm d, mục 4; điểm 5.2, mục 5 phần III của Kế hoạch")
    assert groups == [[("điểm", ["c"]), ("điểm", ["d"]), ("mục", ["4"])],
                      [("điểm", ["5.2"]), ("mục", ["5"]), ("phần", ["III"])]]
    assert reference_groups("tại điểm 1.3, 1.4 và 1.5 khoản 1 Mục III") == [
        [("điểm", ["1.3", "1.4", "1.5"]), ("khoản", ["1"]), ("Mục", ["III"])]]
    # words that merely start like a reference are not one
    assert reference_groups("các điểm du lịch, mục tiêu phát triển phần mềm") == []


def test_heading_agencies():
    assert heading_agencies("Sở Tài chính, Sở Kế hoạch và Đầu tư") == ["Sở Tài chính", "Sở Kế hoạch và Đầu tư"]
    assert heading_agencies("Văn phòng UBND tỉnh Chủ trì tổ chức thực hiện") == ["Văn phòng Ủy ban nhân dân tỉnh"]


def test_thanh_hoa_2020_health_tasks_owned_by_so_y_te(parsed_docs):
    doc = parsed_docs["thanh-hoa-ke-hoach-cds-2020"]
    (lead,) = _assignments(doc, "Sở Y tế")
    assert [p.split(" › ")[-1] for p in lead.section_paths] == ["5.1. Chuyển đổi số trong lĩnh vực y tế"]
    assert "điểm 5.1, mục 5, phần III" in lead.sentence
    # the same agency also "carries out" mục 3 of part V: a perform role, not a lead
    (perform,) = _assignments(doc, "Sở Y tế", "perform")
    assert perform.section_paths == ["V. TỔ CHỨC THỰC HIỆN › 3. Các sở, ban, ngành, UBND cấp huyện, các đơn vị liên quan"]
    health = [t for t in doc.tasks() if "› 5.1. Chuyển đổi số trong lĩnh vực y tế" in t.section]
    assert len(health) == 5
    for t in health:
        assert t.lead == ["Sở Y tế"] and t.source == "assignment"
        assert "điểm 5.1" in t.assigned_by.quote
        assert doc.source_text[t.assigned_by.start:t.assigned_by.end].startswith("Chủ trì tổ chức")


def test_thanh_hoa_2020_education_tasks(parsed_docs):
    doc = parsed_docs["thanh-hoa-ke-hoach-cds-2020"]
    (lead,) = _assignments(doc, "Sở Giáo dục và Đào tạo")
    assert [p.split(" › ")[-2:] for p in lead.section_paths] == [
        ["4. Nhiệm vụ phát triển xã hội số", "c)"], ["4. Nhiệm vụ phát triển xã hội số", "d)"],
        ["5. Một số lĩnh vực cần ưu tiên chuyển đổi số", "5.2. Chuyển đổi số trong lĩnh vực giáo dục"]]
    led = [t for t in doc.tasks() if t.lead == ["Sở Giáo dục và Đào tạo"]]
    assert len(led) == 9  # 4.c, 4.d and the seven letters of 5.2
    assert any(t.text.startswith("Đào tạo tiếng Anh và kỹ năng sử dụng CNTT") for t in led)
    # a point letter shared by several items resolves to the one that names the agency
    (press,) = [a for a in doc.assignments() if a.agency == "Báo Thanh Hóa"]
    assert press.section_paths[0].endswith("› 1.1. Nhận thức đóng vai trò quyết định trong chuyển đổi số › d)")


def test_binh_dinh_cong_thuong_two_nodes(parsed_docs):
    doc = parsed_docs["binh-dinh-59-kh-ubnd-2022"]
    (lead,) = _assignments(doc, "Sở Công Thương")
    assert "khoản 3 Mục III; điểm 5.6 khoản 5 mục III" in lead.sentence
    assert lead.section_paths == [
        "III. NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU CHUYỂN ĐỔI SỐ › 3. Nhiệm vụ, giải pháp phát triển kinh tế số",
        "III. NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU CHUYỂN ĐỔI SỐ › 5. Chuyển đổi số trong một số ngành, lĩnh vực "
        "cần ưu tiên › 5.6. Chuyển đổi số trong lĩnh vực năng lượng",
    ]
    ids = {s.id: s for s in doc.sections}
    assert [ids[i].number for i in lead.section_ids] == ["3", "5.6"]
    # a named agency beats the "các khoản 1, 2, 3, 4" group assignment on the same item
    kinh_te = [t for t in doc.tasks() if "› 3. Nhiệm vụ, giải pháp phát triển kinh tế số" in t.section
               and t.source == "assignment"]
    assert kinh_te and all(t.lead == ["Sở Công Thương"] for t in kinh_te)


def test_binh_dinh_shared_lead_and_perform(parsed_docs):
    doc = parsed_docs["binh-dinh-59-kh-ubnd-2022"]
    edu = [t for t in doc.tasks() if "› 5.2. Chuyển đổi số trong lĩnh vực giáo dục" in t.section]
    assert len(edu) == 4
    assert all(t.lead == ["Sở Giáo dục và Đào tạo", "Sở Lao động, Thương binh và Xã hội"] for t in edu)
    # "Triển khai các nhiệm vụ … tại điểm 5.3" without "chủ trì": perform, used when nobody leads
    (nhnn,) = [a for a in doc.assignments() if a.agency == "Ngân hàng Nhà nước"]
    assert nhnn.role == "perform"
    bank = [t for t in doc.tasks() if "› 5.3. Chuyển đổi số trong lĩnh vực tài chính - ngân hàng" in t.section]
    assert len(bank) == 3 and all(t.lead == ["Ngân hàng Nhà nước"] for t in bank)


def test_part_reference_by_roman_muc(parsed_docs):
    doc = parsed_docs["thanh-hoa-258-kh-ubnd-2024"]
    (lead,) = _assignments(doc, "Sở Y tế")
    assert lead.section_paths == ["IV. LỰA CHỌN NHIỆM VỤ TRỌNG TÂM LÀM KHÂU ĐỘT PHÁ THỰC HIỆN THEO…"]


def test_binh_dinh_heading_agency_with_body_on_next_line(parsed_docs):
    # "12. Sở Giao thông vận tải" / "Chủ trì tổ chức …": the heading names the agency, the body
    # sentence names the sections; a prose task under 5.5 cites that sentence
    doc = parsed_docs["binh-dinh-59-kh-ubnd-2022"]
    (gt,) = _assignments(doc, "Sở Giao thông vận tải")
    assert [p.split(" › ")[-1] for p in gt.section_paths] == ["5.5. Chuyển đổi số trong lĩnh vực giao thông vận tải"]
    assert gt.sentence.startswith("Chủ trì tổ chức thực hiện triển khai các nhiệm vụ, giải pháp được nêu tại điểm 5.5")
    (vp,) = _assignments(doc, "Văn phòng Ủy ban nhân dân tỉnh")
    assert [p.split(" › ")[-1] for p in vp.section_paths] == ["2.1. Phục vụ người dân và doanh nghiệp"]
    tasks = [t for t in doc.tasks() if t.section.endswith("5.5. Chuyển đổi số trong lĩnh vực giao thông vận tải")]
    assert tasks and all(t.lead == ["Sở Giao thông vận tải"] and t.assigned_by.start == gt.start for t in tasks)
    assert " ".join(doc.source_text[gt.start:gt.end].split()) == gt.sentence  # the span is the sentence


def test_thanh_hoa_2020_heading_with_agency_and_group(parsed_docs):
    # "16. Báo Thanh Hóa, Đài PTTH và các cơ quan báo chí trong tỉnh" names two agencies and a group
    doc = parsed_docs["thanh-hoa-ke-hoach-cds-2020"]
    agencies = [a.agency for a in doc.assignments() if "điểm d mục 1, phần III" in a.sentence]
    assert agencies == ["Báo Thanh Hóa", "Đài Phát thanh và Truyền hình tỉnh", "Các cơ quan báo chí trong tỉnh"]
    (task,) = [t for t in doc.tasks() if t.text.startswith("Xây dựng các chuyên mục tuyên truyền về Kế hoạch")]
    assert task.lead == ["Báo Thanh Hóa", "Đài Phát thanh và Truyền hình tỉnh"]  # named agencies before the group


# --- duties written directly under an agency heading of "Tổ chức thực hiện" (ingest.duties) ---

def _duties(doc):
    return [t for t in doc.tasks() if t.source == "prose" and "TỔ CHỨC THỰC HIỆN" in t.section]


def test_duty_counts_per_document(parsed_docs):
    counts = {doc_id: len(_duties(doc)) for doc_id, doc in parsed_docs.items()}
    assert counts == {"binh-dinh-59-kh-ubnd-2022": 18, "hai-duong-5046-kh-ubnd-2023": 3,
                      "thanh-hoa-258-kh-ubnd-2024": 26, "thanh-hoa-de-an-cds-2021-tin-tuc": 0,
                      "thanh-hoa-ke-hoach-cds-2020": 20}


def test_binh_dinh_noi_vu_leads_criteria_in_reform_index(parsed_docs):
    doc = parsed_docs["binh-dinh-59-kh-ubnd-2022"]
    (duty,) = [t for t in _duties(doc) if t.section.endswith("› 15. Sở Nội vụ")]
    assert duty.lead == ["Sở Nội vụ"] and duty.partners == ["Sở Thông tin và Truyền thông"]
    assert "bộ chỉ số cải cách hành chính" in duty.text and duty.row is None
    assert duty.text.startswith("Chủ trì, phối hợp với Sở Thông tin và Truyền thông triển khai nhiệm vụ lồng ghép")
    assert " ".join(doc.source_text[duty.start:duty.end].split()) == duty.text  # the span is the sentence
    # "Phối hợp với Sở KH&ĐT, Sở Nội vụ xây dựng …" under Sở TT&TT: it helps, they lead
    (helps,) = [t for t in _duties(doc) if t.text.startswith("Phối hợp với Sở Kế hoạch và Đầu tư, Sở Nội vụ")]
    assert helps.section.endswith("› 3. Sở Thông tin và Truyền thông")
    assert helps.lead == ["Sở Kế hoạch và Đầu tư", "Sở Nội vụ"] and helps.partners == ["Sở Thông tin và Truyền thông"]


def test_thanh_hoa_258_cong_an_duties(parsed_docs):
    doc = parsed_docs["thanh-hoa-258-kh-ubnd-2024"]
    ca = [t for t in _duties(doc) if t.section == "VI. TỔ CHỨC THỰC HIỆN › 8. Công an tỉnh"]
    assert [(t.text, t.lead, t.partners) for t in ca] == [
        ("Chủ trì triển khai thực hiện các nội dung thuộc Đề án 06 trên địa bàn tỉnh Thanh Hóa.",
         ["Công an tỉnh"], []),
        ("Phối hợp với Sở Y tế để triển khai Sổ sức khỏe điện tử tích hợp trên ứng dụng VNeID.",
         ["Sở Y tế"], ["Công an tỉnh"]),
    ]
    # a duty that points at a part ("… tại mục IV Kế hoạch này") stays an Assignment only
    assert not any("tại mục IV" in t.text for t in _duties(doc))
    # the plan's closing lines are nobody's duty
    assert not any(t.text.startswith(("Sau khi thực hiện sắp xếp", "Trên đây")) for t in _duties(doc))


def test_hai_duong_duties_and_report_deadline(parsed_docs):
    doc = parsed_docs["hai-duong-5046-kh-ubnd-2023"]
    first, own, report = _duties(doc)
    assert first.section == "VI. TỔ CHỨC THỰC HIỆN › 1. Sở Thông tin và Truyền thông"
    assert first.text.startswith("Chủ trì, đôn đốc việc thực hiện Kế hoạch; tổng hợp kết quả thực hiện")
    assert first.lead == ["Sở Thông tin và Truyền thông"]
    assert own.lead == report.lead == ["Các sở, ban, ngành", "Ủy ban nhân dân cấp huyện"]
    assert report.text.startswith("Báo cáo kết quả, đề xuất giải pháp")
    assert (report.timeframe, report.start_year, report.end_year) == ("trước ngày 15/12 hằng năm", None, None)


def test_thanh_hoa_2020_duty_after_reference_clause(parsed_docs):
    # "Thực hiện các nhiệm vụ tại mục 3, phần V …; Chủ trì, phối hợp với Sở TT&TT tham mưu lồng ghép …":
    # the reference clause is an Assignment, the rest of the sentence a duty
    doc = parsed_docs["thanh-hoa-ke-hoach-cds-2020"]
    (duty,) = [t for t in _duties(doc) if t.section.endswith("› 12. Sở Nội vụ")]
    assert duty.text == ("Chủ trì, phối hợp với Sở Thông tin và Truyền thông tham mưu lồng ghép tiêu chí đánh giá "
                         "về chuyển đổi số vào bộ chỉ số cải cách hành chính của tỉnh.")
    assert duty.lead == ["Sở Nội vụ"] and duty.partners == ["Sở Thông tin và Truyền thông"]
    # headings whose duties are only references give no duty; a topic heading is no agency
    assert not any(t.section.endswith(("› 5. Sở Y tế", "› 18. Trách nhiệm của cộng đồng")) for t in _duties(doc))
    # a sentence with its own subject is that subject's: telecom firms help Sở TT&TT
    (pilot,) = [t for t in _duties(doc) if t.text.startswith("Các doanh nghiệp viễn thông - công nghệ thông tin")]
    assert pilot.lead == ["Sở Thông tin và Truyền thông"] and pilot.partners == ["Doanh nghiệp viễn thông"]
    (twice,) = [t for t in _duties(doc) if "30/6" in t.text]
    assert twice.timeframe == "trước ngày 30/6 và 15/12 hàng năm"


def test_duty_timeframes():
    from ingest.duties import timeframe

    assert timeframe("báo cáo trước ngày 15/12 hằng năm để tổng hợp") == ("trước ngày 15/12 hằng năm", None, None)
    assert timeframe("hoàn thành trong năm 2025") == ("trong năm 2025", 2025, 2025)
    assert timeframe("triển khai giai đoạn 2021-2025") == ("giai đoạn 2021-2025", 2021, 2025)
    assert timeframe("Định kỳ hàng quý báo cáo") == ("Định kỳ hàng quý", None, None)
    assert timeframe("Tham mưu bố trí kinh phí") == (None, None, None)
