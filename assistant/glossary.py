"""English -> Vietnamese domain terms and the list of Vietnamese provinces.

The plans are Vietnamese; English questions are searched with the Vietnamese terms the plans
use ("e-signature" -> "chữ ký số"). Province names are matched accent-insensitively so that
"Hai Duong", "hai duong" and "Hải Dương" are one province, and provinces the corpus does not
cover are still recognized (the assistant then says it has no plan for them).
"""
from __future__ import annotations

import re

from ingest.normalize import fold
from vectorstore.aliases import TERM_ALIASES

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
    # more domain words (English question -> plan vocabulary)
    "rollout": ["triển khai"], "roll out": ["triển khai"], "deploy": ["triển khai"], "deploying": ["triển khai"],
    "deployment": ["triển khai"], "implement": ["triển khai"], "implementing": ["triển khai"],
    "implementation": ["triển khai"], "develop": ["phát triển"], "developing": ["phát triển"],
    "development": ["phát triển"], "infrastructure": ["hạ tầng"], "payment": ["thanh toán"],
    "payments": ["thanh toán"], "build": ["xây dựng"], "building": ["xây dựng"], "upgrade": ["nâng cấp"],
    "upgrading": ["nâng cấp"], "system": ["hệ thống"], "systems": ["hệ thống"], "software": ["phần mềm"],
    "application": ["ứng dụng"], "portal": ["cổng"],
    "center": ["trung tâm"], "centre": ["trung tâm"], "network": ["mạng"], "citizens": ["người dân"],
    "residents": ["người dân"], "people": ["người dân"], "population": ["dân số"], "rate": ["tỷ lệ"],
    "online": ["trực tuyến"], "data": ["dữ liệu"], "service": ["dịch vụ"], "services": ["dịch vụ"],
    "account": ["tài khoản"], "accounts": ["tài khoản"], "bank": ["ngân hàng"], "banking": ["ngân hàng"],
    "companies": ["doanh nghiệp"], "firms": ["doanh nghiệp"], "enterprise": ["doanh nghiệp"],
    "hospital": ["bệnh viện"], "school": ["trường học"], "teachers": ["giáo viên"],
    "tourists": ["khách du lịch"], "villages": ["thôn"], "digital": ["số"], "training courses": ["khóa học"],
    "switch": ["chuyển đổi"], "switch to": ["chuyển đổi sang"], "electronic": ["điện tử"], "platform": ["nền tảng"], "platforms": ["nền tảng"],
    "labour": ["lao động"], "labor": ["lao động"],
    "labour force": ["lực lượng lao động"], "labor force": ["lực lượng lao động"],
    "labour contract": ["hợp đồng lao động"], "labor contract": ["hợp đồng lao động"],
    "employment contract": ["hợp đồng lao động"],
    "electronic contract": ["hợp đồng điện tử"], "electronic contracts": ["hợp đồng điện tử"],
    "e-contract": ["hợp đồng điện tử"], "e-contracts": ["hợp đồng điện tử"],
    "heritage": ["di sản"], "culture": ["văn hóa"], "cultural": ["văn hóa"], "museum": ["bảo tàng"],
    "museums": ["bảo tàng"], "library": ["thư viện"], "libraries": ["thư viện"],
    "food safety": ["an toàn thực phẩm"], "vaccination": ["tiêm chủng"], "immunization": ["tiêm chủng"],
    "telemedicine": ["khám chữa bệnh từ xa"], "remote consultation": ["khám chữa bệnh từ xa"],
    "medical record": ["bệnh án điện tử"], "medical records": ["bệnh án điện tử"],
    "logistics": ["logistics"], "postal": ["bưu chính"], "retail": ["bán lẻ"],
    "industry": ["công nghiệp"], "industrial": ["công nghiệp"], "trade": ["thương mại"],
    "base station": ["trạm thu, phát sóng"], "base stations": ["trạm thu, phát sóng"],
    "mobile": ["di động"], "coverage": ["phủ sóng"], "state agencies": ["cơ quan nhà nước"],
    "state agency": ["cơ quan nhà nước"], "government agencies": ["cơ quan nhà nước"],
    "data center": ["trung tâm dữ liệu"], "data centre": ["trung tâm dữ liệu"], "open data": ["dữ liệu mở"],
    "cloud": ["điện toán đám mây"], "software park": ["Công viên phần mềm"],
    "artificial intelligence": ["trí tuệ nhân tạo"], "environment": ["môi trường"],
    "construction": ["xây dựng"], "inspection": ["kiểm tra"], "inspections": ["kiểm tra"],
    "productivity": ["năng suất lao động"], "satisfaction": ["hài lòng"], "satisfied": ["hài lòng"],
    "archive": ["lưu trữ"], "archives": ["lưu trữ"], "skills": ["kỹ năng"], "students": ["sinh viên", "học sinh"],
    "online learning": ["học trực tuyến"], "online teaching": ["dạy học trực tuyến"], "universities": ["đại học"],
    "digitise": ["số hóa"], "digitize": ["số hóa"], "digitising": ["số hóa"], "digitizing": ["số hóa"],
    "digitised": ["số hóa"], "digitisation": ["số hóa"], "records": ["hồ sơ"], "startups": ["khởi nghiệp"],
    "start-ups": ["khởi nghiệp"], "innovation": ["đổi mới sáng tạo"], "smart": ["thông minh"],
    "traffic": ["giao thông"], "radio": ["truyền thanh", "phát thanh"], "television": ["truyền hình"],
    # everyday words for the plans' terms (a citizen's "online shopping" is the plans' e-commerce)
    "online shopping": ["thương mại điện tử"], "online sales": ["thương mại điện tử"],
    "retail sales": ["bán lẻ"], "city": ["đô thị"], "village": ["thôn"], "equipment": ["thiết bị"],
    "computer skills": ["kỹ năng", "CNTT"], "computer network": ["mạng"], "english": ["tiếng Anh"],
    "security": ["bảo mật"], "teaching": ["đào tạo"], "teach": ["đào tạo"],
    "newsroom": ["tòa soạn"], "press": ["báo chí"], "fintech": ["công nghệ tài chính"],
    "mobile money": ["Mobile money"], "budget": ["kinh phí"], "funding": ["kinh phí"], "cost": ["kinh phí"],
    "digital identity": ["định danh"], "identification": ["định danh"], "authentication": ["xác thực điện tử"],
    "phase": ["giai đoạn"], "digital technology enterprises": ["doanh nghiệp công nghệ số"],
    "digital technology": ["công nghệ số"], "civil servants": ["cán bộ, công chức"], "officials": ["cán bộ, công chức"],
    "vulnerability scanning": ["rà quét lỗ hổng"], "tuition": ["học phí"],
    "police": ["Công an tỉnh"], "provincial police": ["Công an tỉnh"], "public security": ["Công an tỉnh"],
    "tax department": ["Cục Thuế"], "tax": ["thuế"], "statistics office": ["Cục Thống kê"],
    "youth union": ["Tỉnh đoàn"], "farmers' union": ["Hội Nông dân"], "farmers union": ["Hội Nông dân"],
    "farmers' association": ["Hội Nông dân"],
    "department of labour": ["Sở Lao động, Thương binh và Xã hội"],
    "department of labor": ["Sở Lao động, Thương binh và Xã hội"],
    "department of industry and trade": ["Sở Công Thương"],
    "department of culture": ["Sở Văn hóa, Thể thao và Du lịch"],
    "department of culture, sports and tourism": ["Sở Văn hóa, Thể thao và Du lịch"],
    "department of planning and investment": ["Sở Kế hoạch và Đầu tư"],
    "department of agriculture": ["Sở Nông nghiệp và Phát triển nông thôn"],
    "department of agriculture and rural development": ["Sở Nông nghiệp và Phát triển nông thôn"],
    "department of transport": ["Sở Giao thông vận tải"],
    "department of natural resources and environment": ["Sở Tài nguyên và Môi trường"],
    "department of science and technology": ["Sở Khoa học và Công nghệ"],
    "department of construction": ["Sở Xây dựng"], "department of tourism": ["Sở Du lịch"],
    "department of home affairs": ["Sở Nội vụ"],
    "provincial people's committee office": ["Văn phòng Ủy ban nhân dân tỉnh"],
    # probe3 round: everyday English for words the plans use (people, actions, incidents)
    "expert": ["chuyên gia"], "experts": ["chuyên gia"], "specialists": ["chuyên gia"],
    "worker": ["lao động"], "workers": ["lao động"], "employees": ["lao động"], "attract": ["thu hút"],
    "restore": ["phục hồi"], "recover": ["phục hồi"], "recovery": ["phục hồi"], "incident": ["sự cố"],
    "incidents": ["sự cố"], "outage": ["sự cố"], "hour": ["tiếng"], "hours": ["tiếng"],
    "information": ["thông tin"], "information technology": ["công nghệ thông tin"],
    "information systems": ["hệ thống thông tin"], "information system": ["hệ thống thông tin"],
    "invoice": ["hóa đơn"], "invoices": ["hóa đơn"], "map": ["bản đồ"], "maps": ["bản đồ"],
    "digital map": ["bản đồ số"], "land data": ["dữ liệu đất đai"], "complaints": ["khiếu nại"],
    "complaint": ["khiếu nại"], "denunciations": ["tố cáo"], "inspectorate": ["Thanh tra tỉnh"],
    "experts and workers": ["chuyên gia, lao động"], "connect": ["kết nối"], "connected": ["kết nối"],
    "connection": ["kết nối"], "sharing": ["chia sẻ"], "share data": ["chia sẻ dữ liệu"],
    "energy": ["năng lượng"], "electricity": ["điện lực"],
    "natural resources": ["tài nguyên"], "housing": ["nhà ở"], "real estate": ["bất động sản"],
    "urban": ["đô thị"], "youth": ["thanh niên"], "union members": ["đoàn viên"],
    "broadcasting": ["truyền thanh"], "loudspeaker": ["truyền thanh"], "loudspeakers": ["truyền thanh"],
    "weather": ["thời tiết"], "forest": ["rừng"], "forests": ["rừng"], "fisheries": ["thủy sản"],
    "irrigation": ["thủy lợi"], "climate change": ["biến đổi khí hậu"], "traceability": ["truy xuất nguồn gốc"],
    "insurance": ["bảo hiểm"], "social insurance": ["bảo hiểm xã hội"], "credit": ["tín dụng"],
    "loans": ["cho vay"], "textbooks": ["sách giáo khoa"], "textbook": ["sách giáo khoa"],
    "e-library": ["thư viện điện tử"], "digital library": ["thư viện số"], "virtual assistant": ["trợ lý ảo"],
    "chatbot": ["trợ lý ảo"], "patients": ["người bệnh"], "doctor": ["bác sĩ", "bác sỹ"],
    "prescription": ["đơn thuốc"], "prescriptions": ["đơn thuốc"], "hospital fees": ["viện phí"],
    "drill": ["diễn tập"], "drills": ["diễn tập"],
    "scan": ["rà quét"], "scans": ["rà quét"], "vulnerabilities": ["lỗ hổng"], "vulnerability": ["lỗ hổng"],
    "satellite": ["viễn thám"], "monitoring": ["giám sát"], "surveillance": ["giám sát"],
    "reporting": ["báo cáo"], "reports": ["báo cáo"], "report system": ["hệ thống thông tin báo cáo"],
    "one-stop": ["một cửa"], "one stop": ["một cửa"], "email": ["thư điện tử"],
    "video conferencing": ["hội nghị trực tuyến"], "videoconference": ["hội nghị trực tuyến"],
    "wifi": ["Wifi"], "wi-fi": ["Wifi"], "free": ["miễn phí"], "accommodation": ["lưu trú"],
    "lodging": ["lưu trú"], "fatherland front": ["Mặt trận Tổ quốc"], "party": ["Đảng"],
    # probe4 round: verbs and nouns of plan goals ("form 100 businesses", "pilot a program")
    "form": ["hình thành"], "establish": ["hình thành", "thành lập"], "set up": ["thành lập", "hình thành"],
    "pilot": ["thí điểm"], "trial": ["thí điểm"], "program": ["chương trình"], "programme": ["chương trình"],
    "programs": ["chương trình"], "programmes": ["chương trình"], "open": ["mở"],
    "open textbook": ["sách giáo khoa mở"], "open textbooks": ["sách giáo khoa mở"],
    "business": ["doanh nghiệp"],
    # probe5 round: management and service vocabulary of plan rows and indicator tables
    "improve": ["nâng cao"], "competitiveness": ["năng lực cạnh tranh"], "manage": ["quản lý"],
    "management": ["quản lý"], "grassroots": ["cơ sở"], "station": ["đài", "trạm"],
    "stations": ["đài", "trạm"], "radio station": ["đài truyền thanh"], "radio stations": ["đài truyền thanh"],
    "consultation": ["tư vấn"], "consultations": ["tư vấn"], "remote": ["từ xa"], "medical": ["khám chữa bệnh"],
    "examination": ["khám chữa bệnh"], "health consultation": ["tư vấn sức khỏe"],
    "primary": ["tiểu học"], "primary school": ["tiểu học"], "high school": ["trung học phổ thông"],
    "high schools": ["trung học phổ thông"], "apply": ["áp dụng"], "governance": ["quản trị"],
    "digital governance": ["quản trị số"], "model": ["mô hình"],
    "inspection plan": ["kế hoạch thanh tra"], "citizen reception": ["tiếp công dân"], "labour productivity": ["năng suất lao động"], "labor productivity": ["năng suất lao động"],
}

# Acronyms English questions use for Vietnamese terms (matched case-sensitively: "IT" is not "it").
EN_ACRONYMS: dict[str, list[str]] = {
    "IT": ["công nghệ thông tin", "CNTT"], "ICT": ["công nghệ thông tin", "CNTT"],
    "AI": ["trí tuệ nhân tạo"], "SME": ["doanh nghiệp nhỏ và vừa"], "SMEs": ["doanh nghiệp nhỏ và vừa"],
    "EMR": ["bệnh án điện tử"], "EHR": ["hồ sơ sức khỏe điện tử"],
}


# Abbreviations the plans themselves use beside the full term ("Ứng dụng CNTT" / "công nghệ thông
# tin"): evidence matching counts one for the other (folded keys, full terms as written).
VI_ABBREVIATIONS: dict[str, str] = TERM_ALIASES


def english_lemma(word: str) -> str | None:
    """The glossary key an inflected English word stands for ("deployed" -> "deploy",
    "restored" -> "restore", "schools" -> "schools"), or None when none fits."""
    w = word.lower()
    if w in EN_VI:
        return w
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("d", ""),
                         ("ing", ""), ("ing", "e")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            base = w[: len(w) - len(suffix)] + repl
            if base in EN_VI:
                return base
    return None

_EN_PATTERN = re.compile(
    r"(?<![a-z0-9])(" + "|".join(re.escape(k) for k in sorted(EN_VI, key=len, reverse=True)) + r")(?![a-z0-9])"
)


def untranslated_words(text: str) -> list[str]:
    """Lower-case words of an English question that no glossary phrase covers (candidates for
    topic words the plans may not hold at all: "parking")."""
    low = text.lower()
    covered = _EN_PATTERN.sub(" ", low)
    for a in EN_ACRONYMS:  # "IT" is translated; "it" (the pronoun) is a filler anyway
        covered = re.sub(rf"(?<![a-z0-9]){a.lower()}(?![a-z0-9])", " ", covered) if re.search(
            rf"(?<![A-Za-z0-9]){a}(?![A-Za-z0-9])", text) else covered
    return [w for w in re.findall(r"[a-z][a-z'-]+", covered) if english_lemma(w.strip("'-")) is None]


def english_terms(text: str) -> list[str]:
    """Vietnamese terms for the English domain phrases in `text` (in order, no repeats)."""
    out: list[str] = []
    low = text.lower()
    found = [(m.start(), EN_VI[m.group(1)]) for m in _EN_PATTERN.finditer(low)]
    rest = _EN_PATTERN.sub(lambda m: " " * len(m.group(0)), low)
    for m in re.finditer(r"[a-z][a-z'-]+", rest):  # inflected forms: "deployed", "restored"
        key = english_lemma(m.group(0).strip("'-"))
        if key:
            found.append((m.start(), EN_VI[key]))
    for a, vi in EN_ACRONYMS.items():
        for m in re.finditer(rf"(?<![A-Za-z0-9]){a}(?![A-Za-z0-9])", text):
            found.append((m.start(), vi))
    for _, terms in sorted(found, key=lambda t: t[0]):
        for vi in terms:
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
