"""Bad input from users and other systems: odd questions, wrong types, malicious file names and
files, abusive webhook deliveries. Every case gets a clear answer or the one JSON error shape,
never a 500; one bad file never costs the index what it already serves; no secret or personal
number reaches a log line. Real app, real index, real loaders, a fake OA on 127.0.0.1."""
from __future__ import annotations

import sys

import io
import json
import logging
import re
import time
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.zalo.fake_oa import FakeOA
from assistant.zalo.signature import sign
from ingest.errors import IngestError
from ingest.loaders import load
from tests.helpers import assert_error, small_corpus, wait_until

ROOT = Path(__file__).resolve().parent.parent
MOOC_Q = "Ai chủ trì triển khai Nền tảng học trực tuyến mở MOOC ở Hải Dương?"
HD = "hai-duong-5046-kh-ubnd-2023"
TIN_TUC = "thanh-hoa-de-an-cds-2021-tin-tuc"
TIN_TUC_Q = "Đề án chuyển đổi số tỉnh Thanh Hóa giai đoạn 2021-2025"
ADMIN_KEY = "robust-admin-key-5f2c"
OA_SECRET = "robust-oa-secret-9d1e"
APP_SECRET = "robust-app-secret-77aa"
SECRETS = (ADMIN_KEY, OA_SECRET, APP_SECRET, "access-0", "refresh-0", "access-1", "refresh-1")


@pytest.fixture(scope="module")
def client(built_index, plan_assistant, tmp_path_factory):
    settings, index = built_index
    app = create_app(settings.model_copy(update={
        "db_path": tmp_path_factory.mktemp("robust") / "app.sqlite", "admin_key": ADMIN_KEY,
        "rate_limit_per_minute": 10_000}), assistant=plan_assistant, index=index)
    with TestClient(app) as c:
        yield c


# -- questions -----------------------------------------------------------------------------------

@pytest.mark.parametrize("q", ["   ", "\t\n ", "\x00", "\x00\x1b\u200b\u202e \u2066"])
def test_blank_questions_are_a_clear_422(client, q):
    err = assert_error(client.post("/v1/ask", json={"q": q}), 422, "validation_error")
    assert err["message"] == ("Invalid request. q: Value error, the text is empty (only spaces or "
                              "invisible characters); type a question")
    assert_error(client.get("/v1/search", params={"q": q}), 422, "validation_error")


def test_ten_thousand_characters_is_a_422_naming_the_limit(client):
    err = assert_error(client.post("/v1/ask", json={"q": "chữ ký số " * 1000}), 422, "validation_error")
    assert "q: String should have at most 2000 characters" in err["message"]


def test_control_characters_are_dropped_before_answering(client):
    resp = client.post("/v1/ask", json={"q": "\x00Ai chủ trì triển khai Nền tảng học trực tuyến mở\x1b[31m "
                                             "MOOC ở Hải\u200b Dương?\x07"})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["question"] == "Ai chủ trì triển khai Nền tảng học trực tuyến mở[31m MOOC ở Hải Dương?"
    assert HD in [c["doc_id"] for c in body["citations"]]


def test_emoji_only_question_is_answered_with_an_abstention(client):
    body = client.post("/v1/ask", json={"q": "😀🎉👍🏽"}).json()
    assert body["abstained"] is True and body["citations"] == []


def test_sql_like_question_is_plain_text(client):
    q = "'; DROP TABLE turns; -- Sở Y tế OR 1=1"
    first = client.post("/v1/ask", json={"q": q}).json()
    assert first["question"] == q
    store = client.app.state.assistant_state.store
    assert store.turns(first["conversation_id"])[0]["question"] == q  # stored as data, tables intact
    records = client.get("/v1/records", params={"agency": "%' OR 1=1 --", "limit": 5}).json()
    assert records == {"count": 0, "records": []}


def test_html_in_a_question_is_data_and_the_widget_never_parses_html(client):
    q = '<script>alert(1)</script><img src=x onerror="alert(2)"> chữ ký số'
    body = client.post("/v1/ask", json={"q": q}).json()
    assert body["question"] == q  # JSON carries it as text; the widget renders it as text
    widget = (ROOT / "assistant" / "static" / "widget.js").read_text("utf-8")
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", widget, flags=re.S)
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                 "new Function"):
        assert sink not in code, sink
    assert "e.textContent = text" in code and "document.createTextNode(m.text" in code


@pytest.mark.parametrize("method,path,kwargs,where", [
    ("post", "/v1/ask", {"json": {"q": "x", "history": "abc"}}, "history: Input should be a valid list"),
    ("post", "/v1/ask", {"json": {"q": "x", "history": [1]}}, "history.0: Input should be a valid string"),
    ("post", "/v1/ask", {"json": {"q": "x", "history": ["a" * 2001]}}, "history.0: String should have at most 2000"),
    ("post", "/v1/ask", {"json": {"q": 5}}, "q: Input should be a valid string"),
    ("post", "/v1/ask", {"json": ["q"]}, "body: Input should be a valid dictionary"),
    ("post", "/v1/ask", {"json": {"q": "x", "k": 3}}, "k: Extra inputs are not permitted"),
    ("post", "/v1/ask", {"content": b'{"q": "\\ud800"}', "headers": {"Content-Type": "application/json"}},
     "q: Input should be a valid string"),
    ("get", "/v1/search", {"params": {"q": "x", "k": -1}}, "query.k: Input should be greater than or equal to 1"),
    ("get", "/v1/search", {"params": {"q": "x", "k": 10**9}}, "query.k: Input should be less than or equal to 50"),
    ("get", "/v1/records", {"params": {"year": "abc"}}, "query.year: Input should be a valid integer"),
    ("get", "/v1/records", {"params": {"kind": "<b>"}}, "query.kind: Input should be"),
    ("get", "/v1/documents/" + "a" * 300, {}, "path.doc_id: String should have at most 200"),
    ("post", "/v1/feedback", {"json": {"rating": "up"}}, "give answer_id or conversation_id"),
    ("post", "/v1/feedback", {"json": {"rating": "up", "answer_id": ""}}, "answer_id: String should have at least 1"),
])
def test_wrong_types_are_422_naming_the_field(client, method, path, kwargs, where):
    err = assert_error(getattr(client, method)(path, **kwargs), 422, "validation_error")
    assert where in err["message"]


def test_body_that_is_not_utf8_json_is_a_clear_400(client):
    resp = client.post("/v1/ask", content=b'{"q": "S\xe1 Y t\xea"}', headers={"Content-Type": "application/json"})
    err = assert_error(resp, 400, "bad_request")
    assert err["message"] == "The request body could not be read: send JSON encoded as UTF-8."
    utf16 = client.post("/v1/ask", content='{"q": "Sở Y tế"}'.encode("utf-16"),
                        headers={"Content-Type": "application/json"})  # JSON allows UTF-16 (RFC 8259)
    assert utf16.status_code == 200 and utf16.json()["question"] == "Sở Y tế"


@pytest.mark.parametrize("doc_id", ["nope", "a%00b", "..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd"])
def test_unknown_and_traversing_doc_ids_are_404(client, doc_id):
    err = assert_error(client.get(f"/v1/documents/{doc_id}"), 404, "not_found")
    assert "passwd" not in err["message"] or "No route" in err["message"] or "no document" in err["message"]
    assert "root:" not in json.dumps(err)


# -- files: loaders ------------------------------------------------------------------------------

def docx_bytes(paragraphs: list[str]) -> bytes:
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def zip_bomb_docx(unpacked_mb: int = 300) -> bytes:
    """A real DOCX package whose word/document.xml unpacks to `unpacked_mb` MB of spaces."""
    src = zipfile.ZipFile(io.BytesIO(docx_bytes(["Kế hoạch"])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename == "word/document.xml":
                with z.open("word/document.xml", "w", force_zip64=True) as f:
                    block = b" " * (1 << 20)
                    for _ in range(unpacked_mb):
                        f.write(block)
            else:
                z.writestr(info, src.read(info))
    return out.getvalue()


def test_zip_bomb_docx_is_refused_from_the_zip_directory(tmp_path):
    path = tmp_path / "bomb.docx"
    path.write_bytes(zip_bomb_docx())
    assert path.stat().st_size < 2_000_000  # small on disk …
    with pytest.raises(IngestError) as exc:
        load(path)
    assert exc.value.reason == ("word/document.xml would unpack to 314,572,800 bytes (at most "
                                "16,777,216); refusing a possible zip bomb")


def test_docx_whose_xml_parts_together_are_too_big_is_refused(tmp_path):
    """Each part under the per-part bound, together past the total that lxml may hold in memory."""
    out = io.BytesIO()
    src = zipfile.ZipFile(io.BytesIO(docx_bytes(["Kế hoạch"])))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info, src.read(info))
        for n in (1, 2):
            with z.open(f"customXml/extra{n}.xml", "w") as f:
                for _ in range(13):
                    f.write(b" " * (1 << 20))
    path = tmp_path / "parts.docx"
    path.write_bytes(out.getvalue())
    with pytest.raises(IngestError) as exc:
        load(path)
    xml = 2 * 13 * (1 << 20) + sum(i.file_size for i in src.infolist() if i.filename.endswith((".xml", ".rels")))
    assert exc.value.reason == (f"the .docx XML would unpack to {xml:,} bytes (at most 25,165,824); "
                                "refusing a possible zip bomb")


def test_docx_lying_about_its_sizes_fails_as_corrupt(tmp_path):
    """zipfile stops reading a member at its declared size and then fails the CRC check, so a
    package that understates its sizes cannot unpack more than the directory says."""
    raw = bytearray(docx_bytes(["Kế hoạch chuyển đổi số"]))
    pos = raw.find(b"PK\x01\x02")  # central directory entries: size at +24, name length at +28
    while raw[pos + 46:pos + 46 + int.from_bytes(raw[pos + 28:pos + 30], "little")] != b"word/document.xml":
        pos = raw.find(b"PK\x01\x02", pos + 4)
    size = int.from_bytes(raw[pos + 24:pos + 28], "little")
    raw[pos + 24:pos + 28] = (size // 2).to_bytes(4, "little")
    path = tmp_path / "liar.docx"
    path.write_bytes(bytes(raw))
    with pytest.raises(IngestError) as exc:
        load(path)
    assert exc.value.reason.startswith("corrupt .docx")


def test_deeply_nested_html_loads_without_recursion(tmp_path):
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div><span>" * 20_000 + "Kế hoạch chuyển đổi số"
                    + "</span></div>" * 20_000 + "<p>Sở Y tế chủ trì.</p></body></html>", "utf-8")
    assert load(path).text == "Kế hoạch chuyển đổi số\nSở Y tế chủ trì.\n"


def test_megabytes_of_tags_load_to_their_text(tmp_path):
    path = tmp_path / "tags.html"
    path.write_text("<html><body>" + "<p><b><i></i></b></p>" * 60_000 + "<p>Kế hoạch 2025</p>"
                    "</body></html>", "utf-8")
    assert path.stat().st_size > 1_000_000
    assert load(path).text == "Kế hoạch 2025\n"


def test_pdf_with_thousands_of_empty_pages_is_refused(tmp_path):
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(72, 720, "Ke hoach chuyen doi so")
    for _ in range(2_500):
        c.showPage()
    c.save()
    path = tmp_path / "pages.pdf"
    path.write_bytes(buf.getvalue())
    with pytest.raises(IngestError) as exc:
        load(path)
    assert exc.value.reason == "PDF has 2,500 pages (at most 2,000); split it into parts"


def test_text_in_an_unknown_8bit_encoding_is_refused(tmp_path):
    path = tmp_path / "koi8.txt"
    path.write_bytes("План цифровой трансформации провинции на 2025 год. ".encode("koi8-r") * 20)
    with pytest.raises(IngestError) as exc:
        load(path)
    assert exc.value.reason == ("unknown text encoding (not UTF-8, UTF-16, Windows-1258, TCVN3 or VNI); "
                                "save the file as UTF-8 and upload it again")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_decoded(tmp_path, encoding):
    text = "Kế hoạch chuyển đổi số tỉnh Hải Dương: Sở Thông tin và Truyền thông chủ trì.\n" * 5
    path = tmp_path / "u16.txt"
    path.write_bytes(text.encode(encoding))
    doc = load(path)
    assert doc.text == text and doc.encoding == encoding


# -- files: admin ingest keeps what is served ----------------------------------------------------

@pytest.fixture(scope="module")
def admin(built_index, tmp_path_factory):
    """An app that owns its index: one small plan built from the shared embedding cache."""
    root = tmp_path_factory.mktemp("admin")
    settings = small_corpus(built_index[0], root, [f"{TIN_TUC}.txt"], admin_key=ADMIN_KEY,
                            rate_limit_per_minute=10_000, max_upload_bytes=2_000_000)
    with TestClient(create_app(settings)) as c:
        yield c, root


def test_the_served_index_is_warm_before_the_first_question(admin):
    """Startup answered the warm-up questions on the served generation: the first user's
    question finds the query encoder, the word segmenter and the corpus caches loaded."""
    from assistant.assistant import WARM_UP_QUESTIONS

    c, _ = admin
    gen = c.app.state.assistant_state._gen
    assert gen.warmed and gen._assistant is not None
    assert "underthesea" in sys.modules
    # the warm-up questions went through retrieval: their query vectors are remembered
    assert WARM_UP_QUESTIONS[0] in gen.index._qcache and len(gen.index._qcache) >= 3


def upload(c, name, data: bytes, key=ADMIN_KEY):
    return c.post("/v1/admin/ingest", files={"files": (name, data, "application/octet-stream")},
                  headers={"X-Admin-Key": key})


def plan_files(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "plans").iterdir())


def assert_still_serving(c):
    body = c.post("/v1/ask", json={"q": TIN_TUC_Q}).json()
    assert TIN_TUC in [x["doc_id"] for x in body["citations"]]
    assert [d["doc_id"] for d in c.get("/v1/documents").json()["documents"]] == [TIN_TUC]


@pytest.mark.parametrize("name", [".hidden.txt", "a\x00b.txt", "..", "../..", "a b.txt",
                                  "x.txt\n", "plan.txt;rm -rf", "con:plan.txt"])
def test_unsafe_upload_names_are_refused_before_writing(admin, name):
    c, root = admin
    assert_error(upload(c, name, b"Ke hoach"), 400, "bad_filename")
    assert plan_files(root) == ["catalog.json", f"{TIN_TUC}.txt"]


@pytest.mark.parametrize("name", ["../../etc/x.txt", "/etc/x.txt", "..\\..\\x.txt", "C:\\Windows\\x.txt"])
def test_directory_parts_of_upload_names_never_leave_plans_dir(admin, name):
    c, root = admin
    version = c.get("/readyz").json()["version"]
    err = assert_error(upload(c, name, b""), 422, "nothing_accepted")  # empty: nothing is kept either
    assert err["message"] == "none of the files could be read, the index is unchanged (x.txt: file is empty)"
    assert plan_files(root) == ["catalog.json", f"{TIN_TUC}.txt"]
    assert c.get("/readyz").json()["version"] == version  # no new index version for nothing
    assert not (root / "etc").exists() and not Path("/etc/x.txt").exists()
    assert_still_serving(c)


def test_bad_upload_over_a_served_plan_keeps_the_plan(admin):
    c, root = admin
    path = root / "plans" / f"{TIN_TUC}.txt"
    before = path.read_bytes()
    err = assert_error(upload(c, path.name, bytes(range(256)) * 100), 422, "nothing_accepted")  # garbage
    assert err["message"] == (f"none of the files could be read, the index is unchanged ({path.name}: "
                              "binary content, not text (is this really a .txt file?))")
    assert path.read_bytes() == before  # the previous file is back
    assert plan_files(root) == ["catalog.json", f"{TIN_TUC}.txt"]  # no .upload/.previous left
    assert_still_serving(c)


def test_zip_bomb_upload_is_reported_and_the_index_keeps_serving(admin):
    c, root = admin
    err = assert_error(upload(c, "bomb.docx", zip_bomb_docx()), 422, "nothing_accepted")
    assert err["message"] == ("none of the files could be read, the index is unchanged (bomb.docx: "
                              "word/document.xml would unpack to 314,572,800 bytes (at most 16,777,216); "
                              "refusing a possible zip bomb)")
    assert plan_files(root) == ["catalog.json", f"{TIN_TUC}.txt"]
    assert_still_serving(c)


def test_upload_over_the_limit_is_413_and_writes_nothing(admin):
    c, root = admin
    assert_error(upload(c, "big.txt", b"a" * 2_100_000), 413, "payload_too_large")

    def chunked():  # no Content-Length: counted while streaming
        yield b"--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.txt\"\r\n\r\n"
        for _ in range(210):
            yield b"a" * 10_000
        yield b"\r\n--b--\r\n"
    resp = c.post("/v1/admin/ingest", content=chunked(), headers={
        "X-Admin-Key": ADMIN_KEY, "Content-Type": "multipart/form-data; boundary=b"})
    assert_error(resp, 413, "payload_too_large")
    assert plan_files(root) == ["catalog.json", f"{TIN_TUC}.txt"]


def test_upload_without_files_is_422(admin):
    c, _ = admin
    err = assert_error(c.post("/v1/admin/ingest", headers={"X-Admin-Key": ADMIN_KEY},
                              files={"other": ("a.txt", b"x")}), 422, "validation_error")
    assert "files: Field required" in err["message"]


def test_an_upload_whose_build_exceeds_the_memory_cap_changes_nothing(built_index, tmp_path):
    """The build runs in a child process under `ingest_memory_mb`: when the child cannot finish,
    the upload is refused with one clear error and the server keeps what it served."""
    settings = small_corpus(built_index[0], tmp_path, [f"{TIN_TUC}.txt"], admin_key=ADMIN_KEY,
                            ingest_memory_mb=150)  # too little for Python with numpy: the child dies
    plans = settings.plans_dir
    with TestClient(create_app(settings)) as c:
        version = c.get("/readyz").json()["version"]
        err = assert_error(upload(c, "moi.txt", "Kế hoạch chuyển đổi số năm 2026.".encode()), 422, "ingest_failed")
        assert err["message"].endswith("the index is unchanged")
        assert c.get("/readyz").json()["version"] == version
        assert sorted(p.name for p in plans.iterdir()) == ["catalog.json", f"{TIN_TUC}.txt"]
        assert_still_serving(c)


# -- Zalo webhook --------------------------------------------------------------------------------

@pytest.fixture()
def zalo(built_index, plan_assistant, tmp_path):
    settings, index = built_index
    with FakeOA(app_id="app-1", app_secret=APP_SECRET, access_token="access-0",
                refresh_token="refresh-0") as oa:
        app = create_app(settings.model_copy(update={
            "db_path": tmp_path / "app.sqlite", "admin_key": ADMIN_KEY, "zalo_app_id": "app-1",
            "zalo_app_secret": APP_SECRET, "zalo_oa_secret": OA_SECRET,
            "zalo_access_token": "access-0", "zalo_refresh_token": "refresh-0",
            "zalo_api_base": oa.url, "zalo_oauth_base": oa.url,
            "zalo_token_file": tmp_path / "zalo-token.json", "zalo_backoff_seconds": 0.001}),
            assistant=plan_assistant, index=index)
        with TestClient(app) as c:
            yield c, oa


def zevent(text="trợ giúp", msg_id: str | None = "m-1", name="user_send_text", **over) -> dict:
    """An event; its timestamp is set when it is posted (events older than minutes are refused)."""
    message = {"text": text} | ({"msg_id": msg_id} if msg_id else {})
    return {"event_name": name, "app_id": "app-1", "sender": {"id": "user-7"},
            "recipient": {"id": "oa-1"}, "message": message} | over


def post_signed(c, ev, raw: bytes | None = None):
    stamp = ev.setdefault("timestamp", str(int(time.time() * 1000)))
    raw = raw if raw is not None else json.dumps(ev, ensure_ascii=False).encode()
    return c.post("/zalo/webhook", content=raw, headers={
        "X-ZEvent-Signature": sign("app-1", raw, stamp, OA_SECRET),
        "Content-Type": "application/json"})


@pytest.mark.parametrize("raw,headers,message", [
    (b'{"app_id": "app-1"', {"X-ZEvent-Signature": "mac=00"},
     "Webhook body must be a JSON event with app_id and timestamp."),
    (b'[1, 2]', {"X-ZEvent-Signature": "mac=00"}, "Webhook body must be a JSON event with app_id and timestamp."),
    (b'{"app_id": "app-1", "timestamp": "1"}', {}, "Missing X-ZEvent-Signature header."),
    (b'{"app_id": "app-1", "timestamp": "1"}', {"X-ZEvent-Signature": "mac=" + "0" * 64},
     "Signature does not match; check ASSISTANT_ZALO_OA_SECRET."),
])
def test_webhook_rejects_unsigned_and_malformed_bodies(zalo, raw, headers, message):
    c, oa = zalo
    err = assert_error(c.post("/zalo/webhook", content=raw, headers=headers), 401, "bad_signature")
    assert err["message"] == message and oa.messages == []


def test_webhook_huge_body_is_413(zalo):
    c, oa = zalo
    assert_error(post_signed(c, zevent("x" * 100_000)), 413, "payload_too_large")
    assert oa.messages == []


def test_replayed_deliveries_are_answered_once(zalo):
    c, oa = zalo
    for _ in range(3):
        assert post_signed(c, zevent(msg_id="r-1")).status_code == 200
    without_id = zevent(msg_id=None)
    for _ in range(3):
        assert post_signed(c, without_id).status_code == 200  # same body, same signature: a replay
    assert wait_until(lambda: len(oa.messages) == 2)
    # marked done just after Zalo accepted the send: wait for that write, then nothing more comes
    store = c.app.state.assistant_state.store
    assert wait_until(lambda: store.zalo_counts()["done"] == 2)
    assert store.zalo_counts() == {"pending": 0, "sending": 0, "done": 2, "failed": 0} and len(oa.messages) == 2


@pytest.mark.parametrize("ev", [
    zevent(name="user_send_image"), zevent(name="follow"), zevent(name="user_send_sticker"),
    zevent(text=""), zevent(text="\u200b\x00 "), zevent(sender="user-7"), zevent(message=["hi"]),
    zevent(sender={"id": None}), zevent(message={"text": 5, "msg_id": "n-1"}),
])
def test_non_text_and_odd_signed_events_are_acknowledged_and_ignored(zalo, ev):
    c, oa = zalo
    resp = post_signed(c, dict(ev))
    assert resp.status_code == 200 and resp.json() == {"ok": True}
    assert oa.messages == [] and sum(c.app.state.assistant_state.store.zalo_counts().values()) == 0


# -- logs ----------------------------------------------------------------------------------------

def test_logs_hold_no_secret_and_no_personal_number(zalo, caplog):
    c, oa = zalo
    caplog.set_level(logging.DEBUG)
    phone, cccd = "0912 345 678", "001203004567"
    oa.expire()  # forces a token refresh: secrets and tokens travel, none may be logged
    post_signed(c, zevent(f"Gọi {phone}, CCCD {cccd}: Sở Y tế Hải Dương chủ trì gì?", msg_id="p-1"))
    assert wait_until(lambda: len(oa.messages) == 1)
    assert [m["token"] for m in oa.messages] == ["access-1"]
    c.post("/v1/ask", json={"q": f"Số của tôi là {phone}, CCCD {cccd}, hỏi về chữ ký số"})
    c.get("/v1/search", params={"q": f"{cccd} chữ ký số {phone}", "k": 1})
    c.post("/v1/admin/ingest", headers={"X-Admin-Key": "wrong-" + ADMIN_KEY})
    c.get("/v1/nowhere%0AFORGED%20200%0D%0Aline")
    # The server's records; the test's own client (httpx, "http://testserver") is not the server.
    records = [r for r in caplog.records if "http://testserver" not in r.getMessage()]
    text = "\n".join(r.getMessage() + (r.exc_text or "") for r in records)
    assert text  # the access log and the Zalo client did log
    for secret in SECRETS:
        assert secret not in text, secret
    assert phone not in text and cccd not in text and "0912345678" not in text
    assert not any("\n" in r.getMessage() for r in caplog.records if r.name == "assistant.access")
    store = c.app.state.assistant_state.store
    stored = json.dumps(store.turns("zalo:user-7"), ensure_ascii=False)
    assert "[số điện thoại]" in stored and "[số giấy tờ]" in stored
    assert phone not in stored and cccd not in stored
