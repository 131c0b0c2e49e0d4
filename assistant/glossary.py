"""English -> Vietnamese domain terms and the list of Vietnamese provinces.

The plans are Vietnamese; English questions are searched with the Vietnamese terms the plans
use ("e-signature" -> "chữ ký số"). Province names are matched accent-insensitively so that
"Hai Duong", "hai duong" and "Hải Dương" are one province, and provinces the corpus does not
cover are still recognized (the assistant then says it has no plan for them).
"""
from __future__ import annotations

import re

from ingest.normalize import fold

# English phrase (lowercase) -> Vietnamese terms as plans write them. Longest phrases match first.
EN_VI: dict[str, list[str]] = {
    "e-signature": ["chữ ký số"],
    "e-signatures": ["chữ ký số"],
    "electronic signature": ["chữ ký điện tử", "chữ ký số"],
    "digital signature": ["chữ ký số"],
    "digital signatures": ["chữ ký số"],
    "digital economy": ["kinh tế số"],
    "digital society": ["xã hội số"],
    "digital government": ["chính quyền số"],
    "e-government": ["chính quyền điện tử"],
    "digital transformation": ["chuyển đổi số"],
    "digital skills": ["kỹ năng số"],
    "digital platform": ["nền tảng số"],
    "digital platforms": ["nền tảng số"],
    "online public services": ["dịch vụ công trực tuyến"],
    "online public service": ["dịch vụ công trực tuyến"],
    "public services": ["dịch vụ công"],
    "administrative procedures": ["thủ tục hành chính"],
    "records digitized": ["hồ sơ số hóa"],
    "digitized": ["số hóa"],
    "digitization": ["số hóa"],
    "e-invoice": ["hóa đơn điện tử"],
    "e-invoices": ["hóa đơn điện tử"],
    "electronic invoice": ["hóa đơn điện tử"],
    "health record": ["hồ sơ sức khỏe"],
    "health records": ["hồ sơ sức khỏe"],
    "smartphone": ["điện thoại thông minh"],
    "smartphones": ["điện thoại thông minh"],
    "paperless meetings": ["họp không giấy tờ", "cuộc họp không giấy"],
    "paperless meeting": ["họp không giấy tờ"],
    "paperless": ["họp không giấy tờ"],
    "meetings": ["cuộc họp"],
    "cashless": ["không dùng tiền mặt", "thanh toán không dùng tiền mặt"],
    "online payment": ["thanh toán trực tuyến"],
    "online payments": ["thanh toán trực tuyến"],
    "electronic payment": ["thanh toán điện tử"],
    "payment account": ["tài khoản thanh toán"],
    "payment accounts": ["tài khoản thanh toán"],
    "fiber": ["cáp quang"],
    "fibre": ["cáp quang"],
    "broadband": ["băng rộng"],
    "internet": ["Internet"],
    "grdp": ["GRDP"],
    "gdp": ["GRDP"],
    "data warehouse": ["kho dữ liệu"],
    "shared data": ["dữ liệu dùng chung"],
    "database": ["cơ sở dữ liệu"],
    "e-commerce": ["thương mại điện tử"],
    "ecommerce": ["thương mại điện tử"],
    "rural": ["nông thôn"],
    "education": ["giáo dục"],
    "health": ["y tế"],
    "healthcare": ["y tế"],
    "agriculture": ["nông nghiệp"],
    "tourism": ["du lịch"],
    "transport": ["giao thông"],
    "land": ["đất đai"],
    "cybersecurity": ["an toàn thông tin"],
    "information security": ["an toàn thông tin"],
    "smart city": ["đô thị thông minh"],
    "operations center": ["trung tâm điều hành"],
    "who leads": ["chủ trì"],
    "in charge": ["chủ trì"],
    "responsible": ["chủ trì"],
    "lead": ["chủ trì"],
    "leads": ["chủ trì"],
    "target": ["chỉ tiêu", "mục tiêu"],
    "targets": ["chỉ tiêu", "mục tiêu"],
    "goal": ["mục tiêu"],
    "adults": ["dân số trưởng thành"],
    "adult": ["dân số trưởng thành"],
    "households": ["hộ gia đình"],
    "household": ["hộ gia đình"],
    "businesses": ["doanh nghiệp"],
    "enterprises": ["doanh nghiệp"],
    "smes": ["doanh nghiệp nhỏ và vừa"],
    "workforce": ["lực lượng lao động"],
    "training": ["đào tạo"],
    "schools": ["trường học"],
    "hospitals": ["bệnh viện"],
    "commune": ["cấp xã"],
    "communes": ["cấp xã"],
    "farmer": ["nông dân"],
    "farmers": ["nông dân"],
    "project": ["dự án"],
    "projects": ["dự án"],
    "plan": ["kế hoạch"],
    "scheme": ["đề án"],
    "department of information and communications": ["Sở Thông tin và Truyền thông"],
    "department of health": ["Sở Y tế"],
    "department of education": ["Sở Giáo dục và Đào tạo"],
    "department of finance": ["Sở Tài chính"],
    "state bank": ["Ngân hàng Nhà nước"],
}

_EN_PATTERN = re.compile(
    r"(?<![a-z0-9])(" + "|".join(re.escape(k) for k in sorted(EN_VI, key=len, reverse=True)) + r")(?![a-z0-9])"
)


def english_terms(text: str) -> list[str]:
    """Vietnamese terms for the English domain phrases in `text` (in order, no repeats)."""
    out: list[str] = []
    for m in _EN_PATTERN.finditer(text.lower()):
        for vi in EN_VI[m.group(1)]:
            if vi not in out:
                out.append(vi)
    return out


# The 63 provinces and centrally-run cities (before the 2025 merger; the 34 units after it
# keep names from this list). Corpus coverage is decided by the index, not here.
PROVINCES: list[str] = [
    "An Giang", "Bà Rịa - Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre",
    "Bình Định", "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau", "Cần Thơ", "Cao Bằng",
    "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang",
    "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương", "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hưng Yên",
    "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An",
    "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình",
    "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh",
    "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thành phố Hồ Chí Minh", "Thừa Thiên Huế",
    "Tiền Giang", "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
]

# Other ways people write some of them (folded forms map to the canonical name).
_PROVINCE_VARIANTS: dict[str, str] = {
    "ho chi minh": "Thành phố Hồ Chí Minh", "tp hcm": "Thành phố Hồ Chí Minh",
    "tphcm": "Thành phố Hồ Chí Minh", "sai gon": "Thành phố Hồ Chí Minh", "saigon": "Thành phố Hồ Chí Minh",
    "hcmc": "Thành phố Hồ Chí Minh", "hue": "Thừa Thiên Huế", "ba ria vung tau": "Bà Rịa - Vũng Tàu",
    "vung tau": "Bà Rịa - Vũng Tàu", "hanoi": "Hà Nội", "da nang": "Đà Nẵng", "danang": "Đà Nẵng",
    "dak lak": "Đắk Lắk", "daklak": "Đắk Lắk", "dac lac": "Đắk Lắk", "thanh hoa": "Thanh Hóa",
    "khanh hoa": "Khánh Hòa", "hoa binh": "Hòa Bình",
}


def _pkey(s: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(s)).split())


_PROVINCE_KEYS: dict[str, str] = {_pkey(p): p for p in PROVINCES}
_PROVINCE_KEYS.update(_PROVINCE_VARIANTS)
_PROVINCE_PATTERN = re.compile(
    r"\b(" + "|".join(re.escape(k) for k in sorted(_PROVINCE_KEYS, key=len, reverse=True)) + r")\b"
)


def find_provinces(text: str) -> list[str]:
    """Canonical names of the provinces named in `text`, accent- and case-insensitive."""
    out: list[str] = []
    for m in _PROVINCE_PATTERN.finditer(_pkey(text)):
        p = _PROVINCE_KEYS[m.group(1)]
        if p not in out:
            out.append(p)
    return out


def province_key(name: str) -> str:
    """Comparison key of a province name ("Hải Dương" and "hai duong" share it)."""
    return _pkey(name)
