"""Legacy font encodings: hand-made byte strings, round trips over the real corpus, detection."""
from __future__ import annotations

import pytest

from ingest import legacy


def test_tcvn3_bytes_read_as_cp1252_are_repaired():
    # "Kinh tế số phải đáp ứng nhu cầu" typed in .VnTime, bytes by the TCVN3 (ABC) table
    raw = b"Kinh t\xd5 s\xe8 ph\xb6i \xae\xb8p \xf8ng nhu c\xc7u".decode("cp1252")
    assert raw == "Kinh tÕ sè ph¶i ®¸p øng nhu cÇu"
    assert legacy.repair(raw, legacy.TCVN3) == "Kinh tế số phải đáp ứng nhu cầu"


def test_vni_bytes_read_as_cp1252_are_repaired():
    raw = b"Vie\xe4t Nam chuye\xe5n \xf1o\xe5i so\xe1 cu\xfba t\xe6nh".decode("cp1252")
    assert raw == "Vieät Nam chuyeån ñoåi soá cuûa tænh"
    assert legacy.repair(raw, legacy.VNI) == "Việt Nam chuyển đổi số của tỉnh"


def test_vni_covers_every_vietnamese_letter():
    letters = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
    text = letters + letters.upper()
    assert legacy.repair(legacy.encode(text, legacy.VNI), legacy.VNI) == text
    assert legacy.encode("ẳ Ẳ ơ Ư", legacy.VNI) == "aú AÚ ô Ö"


def test_tcvn3_covers_every_lowercase_letter_and_restores_capitals():
    # (after a word: a line-initial accented letter is taken as a capital, see below)
    letters = "từ àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    assert legacy.repair(legacy.encode(letters, legacy.TCVN3), legacy.TCVN3) == letters
    # No capital accented codes in TCVN3: an all-caps word or line gets its capitals back.
    assert legacy.repair(legacy.encode("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", legacy.TCVN3), legacy.TCVN3) == (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    )
    # A line starting with an accented capital: "Ứng dụng" (written "øng dông").
    assert legacy.repair("øng dông CNTT", legacy.TCVN3) == "Ứng dụng CNTT"


@pytest.mark.parametrize("enc", [legacy.TCVN3, legacy.VNI])
def test_real_plan_round_trips_and_is_detected(plans_dir, enc):
    text = (plans_dir / "hai-duong-5046-kh-ubnd-2023.txt").read_text(encoding="utf-8")
    mojibake = legacy.encode(text, enc)
    assert legacy.detect(mojibake) == enc
    assert legacy.repair(mojibake, enc) == text


def test_unicode_plans_are_not_detected_as_legacy(plans_dir):
    for path in sorted(plans_dir.glob("*.txt")):
        assert legacy.detect(path.read_text(encoding="utf-8")) is None, path.name


def test_unknown_encoding_is_refused():
    with pytest.raises(ValueError, match="unknown legacy encoding 'VISCII'"):
        legacy.repair("x", "VISCII")
