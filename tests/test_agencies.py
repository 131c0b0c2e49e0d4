"""Agency canonical names, aliases, cell splitting and mentions in free text."""
from __future__ import annotations

import pytest

from ingest.agencies import (
    agency_aliases,
    canonical_agency,
    find_agencies,
    normalize_agencies,
    split_agencies,
)


@pytest.mark.parametrize(
    "written, canonical",
    [
        ("Sở TT&TT", "Sở Thông tin và Truyền thông"),
        ("STTTT", "Sở Thông tin và Truyền thông"),
        ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư"),
        ("Sở Kế hoạch và đầu tư", "Sở Kế hoạch và Đầu tư"),
        ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo"),
        ("Sở NN&PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
        ("Sở Nông nghiệp và PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
        ("Sở LĐ-TB&XH", "Sở Lao động, Thương binh và Xã hội"),
        ("Sở Lao động - TB&XH", "Sở Lao động, Thương binh và Xã hội"),
        ("Sở Lao động TB và XH", "Sở Lao động, Thương binh và Xã hội"),
        ("Sở TN&MT", "Sở Tài nguyên và Môi trường"),
        ("Sở GTVT", "Sở Giao thông vận tải"),
        ("Sở KH&CN", "Sở Khoa học và Công nghệ"),
        ("Sở VH,TT&DL", "Sở Văn hóa, Thể thao và Du lịch"),
        ("Sở Văn hoá, Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch"),
        ("Sở Công thương", "Sở Công Thương"),
        ("Ngân hàng nhà nước", "Ngân hàng Nhà nước"),
        ("Ngân hàng NNVN chi nhánh Hải Dương", "Ngân hàng Nhà nước"),
        ("Ngân hàng Nhà nước chi nhánh tỉnh Hải Dương", "Ngân hàng Nhà nước"),
        ("Chi nhánh NHNN tỉnh Bình Định", "Ngân hàng Nhà nước"),
        ("NHNN", "Ngân hàng Nhà nước"),
        ("VP UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh"),
        ("Văn phòng UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh"),
        ("Trung tâm Phục vụ HCC tỉnh", "Trung tâm Phục vụ hành chính công tỉnh"),
        ("Đài PTTH tỉnh", "Đài Phát thanh và Truyền hình tỉnh"),
        ("Đài Phát thanh và Truyền hình tỉnh", "Đài Phát thanh và Truyền hình tỉnh"),
        ("UBND cấp huyện", "Ủy ban nhân dân cấp huyện"),
        ("UBND các huyện, thị xã, thành phố.", "Ủy ban nhân dân cấp huyện"),
        ("UBND cấp xã", "Ủy ban nhân dân cấp xã"),
        ("Các sở, ban, ngành cấp tỉnh", "Các sở, ban, ngành"),
        ("các Sở, ngành", "Các sở, ban, ngành"),
        ("địa phương", "Các địa phương"),
        ("Công an tỉnh.", "Công an tỉnh"),
        ("- Tiểu ban An toàn, An ninh mạng tỉnh;", "Tiểu ban An toàn, An ninh mạng tỉnh"),
    ],
)
def test_canonical_names(written, canonical):
    assert canonical_agency(written) == canonical


def test_unknown_names_are_kept_cleaned():
    assert canonical_agency("  - Hội Nông dân  tỉnh; ") == "Hội Nông dân tỉnh"
    assert canonical_agency("Mặt trận Tổ quốc Việt Nam tỉnh Thanh Hóa") == "Mặt trận Tổ quốc Việt Nam tỉnh Thanh Hóa"
    assert canonical_agency("Báo Hải Dương", "Hải Dương") == "Báo Hải Dương"


def test_aliases_of_a_canonical_name():
    assert "Sở TT&TT" in agency_aliases("Sở Thông tin và Truyền thông")
    assert "Sở TT&TT" in agency_aliases("STTTT")  # an alias resolves first
    assert "Sở NN&PTNT" in agency_aliases("Sở Nông nghiệp và Phát triển nông thôn")
    assert agency_aliases("Sở Không Có") == []


@pytest.mark.parametrize(
    "cell, parts",
    [
        ("Sở TT&TT; Sở Nội vụ", ["Sở TT&TT", "Sở Nội vụ"]),
        ("Các sở, ban, ngành", ["Các sở, ban, ngành"]),
        ("UBND các huyện, thị xã, thành phố", ["UBND các huyện, thị xã, thành phố"]),
        ("Sở Văn hóa, Thể thao và Du lịch, Sở Y tế", ["Sở Văn hóa, Thể thao và Du lịch", "Sở Y tế"]),
        ("Tiểu ban An toàn, An ninh mạng tỉnh", ["Tiểu ban An toàn, An ninh mạng tỉnh"]),
        ("Sở Lao động, Thương binh và Xã hội; Sở Giáo dục và Đào tạo",
         ["Sở Lao động, Thương binh và Xã hội", "Sở Giáo dục và Đào tạo"]),
        ("UBND cấp huyện, cấp xã", ["UBND cấp huyện", "UBND cấp xã"]),
        ("Các sở, ban, ngành;\nĐịa phương (UBND cấp huyện, cấp xã)",
         ["Các sở, ban, ngành", "Địa phương (UBND cấp huyện, cấp xã)"]),
        ("Sở Công thương, các địa phương", ["Sở Công thương", "các địa phương"]),
        ("Cục Thống kê; Sở Công thương UBND cấp huyện", ["Cục Thống kê", "Sở Công thương", "UBND cấp huyện"]),
        ("Sở Giáo dục và Đào tạo Sở Lao động TB và XH", ["Sở Giáo dục và Đào tạo", "Sở Lao động TB và XH"]),
        ("Các sở, ngành và UBND các huyện, thị xã, thành phố.",
         ["Các sở, ngành", "UBND các huyện, thị xã, thành phố"]),
        ("UBND TP, TX: Quy Nhơn, An Nhơn, Hoài Nhơn", ["UBND TP, TX: Quy Nhơn, An Nhơn, Hoài Nhơn"]),
        ("- Các sở, ban, ngành; - UBND các huyện, thị xã, thành phố.",
         ["Các sở, ban, ngành", "UBND các huyện, thị xã, thành phố"]),
        ("các cơ quan thông tấn, báo chí", ["các cơ quan thông tấn, báo chí"]),
    ],
)
def test_split_agencies(cell, parts):
    assert split_agencies(cell) == parts


def test_normalize_agencies_dedupes_and_canonicalizes():
    cell = "Trung tâm Phục vụ HCC tỉnh; Các sở, ban, ngành cấp tỉnh; UBND cấp huyện, cấp xã"
    assert normalize_agencies(cell) == [
        "Trung tâm Phục vụ hành chính công tỉnh",
        "Các sở, ban, ngành",
        "Ủy ban nhân dân cấp huyện",
        "Ủy ban nhân dân cấp xã",
    ]
    assert normalize_agencies("Sở TT&TT; Sở Thông tin và Truyền thông") == ["Sở Thông tin và Truyền thông"]
    assert normalize_agencies("") == []


def test_find_agencies_accent_insensitive_longest_first():
    assert find_agencies("so y te chu tri") == ["Sở Y tế"]
    assert find_agencies("Sở Thông tin và Truyền thông phối hợp với Sở Y tế") == [
        "Sở Thông tin và Truyền thông",
        "Sở Y tế",
    ]
    assert find_agencies("nhiệm vụ của sở tt&tt và ngan hang nha nuoc") == [
        "Sở Thông tin và Truyền thông",
        "Ngân hàng Nhà nước",
    ]
    assert find_agencies("Văn phòng UBND tỉnh chủ trì") == ["Văn phòng Ủy ban nhân dân tỉnh"]
    assert find_agencies("kinh tế số chiếm 20% GRDP") == []


def test_district_and_commune_committees_are_not_the_provincial_committee():
    from ingest.agencies import canonical_agency, find_agencies

    assert find_agencies("UBND các huyện chủ trì") == ["Ủy ban nhân dân cấp huyện"]
    assert canonical_agency("Ủy ban nhân dân các huyện, thị xã, thành phố") == "Ủy ban nhân dân cấp huyện"
    assert canonical_agency("UBND các xã") == "Ủy ban nhân dân cấp xã"
    assert find_agencies("UBND tỉnh giao") == ["Ủy ban nhân dân tỉnh"]
    assert find_agencies("Ủy ban nhân dân các huyện") == ["Ủy ban nhân dân cấp huyện"]


def test_split_and_group():
    # "và các" starts a group of its own; "và" inside a name does not split it
    assert split_agencies("Đài PTTH và các cơ quan báo chí trong tỉnh") == [
        "Đài PTTH", "các cơ quan báo chí trong tỉnh"]
    assert split_agencies("Sở Văn hóa, Thể thao và Du lịch") == ["Sở Văn hóa, Thể thao và Du lịch"]
    assert split_agencies("UBND các huyện, thị xã, thành phố và các doanh nghiệp viễn thông") == [
        "UBND các huyện, thị xã, thành phố", "các doanh nghiệp viễn thông"]
