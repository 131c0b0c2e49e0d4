"""The citizen widget in a real browser: Debian's headless Chromium driven by Playwright against
uvicorn serving the real app (real PlanAssistant, real built index) on 127.0.0.1."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
MOOC_Q = "Ai chủ trì triển khai Nền tảng học trực tuyến mở MOOC ở Hải Dương?"
HD_TITLE = "Kế hoạch thực hiện Chiến lược phát triển kinh tế số và xã hội số"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="/usr/bin/chromium is absent (apt-get install chromium)")


def artifact(name: str) -> str:
    ARTIFACTS.mkdir(exist_ok=True)
    return str(ARTIFACTS / name)


@pytest.fixture(scope="module")
def server(built_index, tmp_path_factory):
    from assistant.api import create_app
    from assistant.assistant import PlanAssistant
    from tests.helpers import serving
    from tests.servers import free_port

    settings, index = built_index
    port = free_port()
    settings = settings.model_copy(update={"db_path": tmp_path_factory.mktemp("widget") / "app.sqlite",
                                           "cors_origins": [f"http://127.0.0.1:{port}"]})
    app = create_app(settings, assistant=PlanAssistant(settings, index), index=index)
    with serving(app, port) as origin:
        yield origin, app


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield b
        b.close()


def test_widget_asks_cites_and_takes_feedback(server, browser):
    origin, app = server
    page = browser.new_page(viewport={"width": 1280, "height": 820})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(origin + "/")
    assert "Cổng thông tin điện tử tỉnh" in page.title()

    launcher = page.get_by_role("button", name="Mở trợ lý hỏi đáp")
    launcher.click()
    assert launcher.get_attribute("aria-expanded") == "true"
    dialog = page.get_by_role("dialog", name="Trợ lý ảo chuyển đổi số")
    assert dialog.is_visible()
    log = page.get_by_role("log")
    assert log.get_attribute("aria-live") == "polite"
    box = page.get_by_label("Câu hỏi của bạn")
    assert box.evaluate("e => e.getRootNode().activeElement === e")  # focus moved into the panel

    box.fill(MOOC_Q)
    box.press("Enter")
    page.get_by_role("button", name="Câu trả lời hữu ích", exact=True).wait_for(timeout=60_000)
    answer = page.locator(".msg.bot").last
    assert "Sở Thông tin và Truyền thông" in answer.inner_text()
    # sources: collapsed under "Nguồn (N)", grouped by document under a short label
    summary = answer.locator("summary")
    markers = set(re.findall(r"\[(\d+)\]", answer.locator(".text").inner_text()))
    assert markers and summary.inner_text() == f"Nguồn ({len(markers)})"
    label = answer.locator(".src-label").first
    assert not label.is_visible()
    summary.click()
    assert label.inner_text() == "Kế hoạch 5046/KH-UBND, 29/12/2023" and HD_TITLE in label.get_attribute("title")
    assert answer.get_by_role("list", name=f"Nguồn trích dẫn: {HD_TITLE}").is_visible()

    # open a citation: the quoted passage with its document title and section
    answer.locator("button.cite").first.click()
    passage = page.get_by_role("region", name=re.compile(r"Trích dẫn \[\d+\]"))
    assert passage.is_visible()
    text = passage.inner_text()
    assert HD_TITLE in text and "Mục:" in text and "MOOC" in text
    page.screenshot(path=artifact("widget-passage.png"))
    page.keyboard.press("Escape")  # closes the passage first, focus back on the citation
    assert not passage.is_visible() and dialog.is_visible()

    # thumbs up -> a stored feedback row
    page.get_by_role("button", name="Câu trả lời hữu ích", exact=True).click()
    page.get_by_text("Cảm ơn phản hồi của bạn!").wait_for()
    rows = app.state.assistant_state.store.feedback()
    assert [(r["rating"], r["conversation_id"] is not None) for r in rows] == [("up", True)]
    page.screenshot(path=artifact("widget.png"))

    # the session survives a reload (localStorage), Escape closes the panel
    page.reload()
    page.get_by_role("button", name="Mở trợ lý hỏi đáp").click()
    assert MOOC_Q in page.get_by_role("log").inner_text()
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert errors == []


LIST_Q = "Sở Y tế chủ trì những nhiệm vụ nào?"
FIRST_LINE = "Bình Định, Kế hoạch số 59/KH-UBND (25/04/2022)"


def test_widget_on_a_phone(server, browser):
    origin, _ = server
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    page.goto(origin + "/")
    page.get_by_role("button", name="Mở trợ lý hỏi đáp").tap()
    dialog = page.get_by_role("dialog", name="Trợ lý ảo chuyển đổi số")
    bb = dialog.bounding_box()
    assert (bb["width"], bb["height"]) == (390, 844)  # full screen on small screens
    suggestions = page.get_by_role("group", name="Câu hỏi gợi ý").get_by_role("button")
    assert suggestions.count() == 3
    page.screenshot(path=artifact("widget-phone.png"))

    # a list answer with many citations: its first line stays on screen, sources fold away
    box = page.get_by_label("Câu hỏi của bạn")
    box.fill(LIST_Q)
    box.press("Enter")
    page.get_by_role("button", name="Câu trả lời hữu ích", exact=True).wait_for(timeout=60_000)
    answer = page.locator(".msg.bot").last
    summary = answer.locator("summary")
    cited = int(re.fullmatch(r"Nguồn \((\d+)\)", summary.inner_text()).group(1))
    assert cited >= 10 and answer.locator(".src-label").count() >= 2  # several plans, one label each
    log = page.get_by_role("log").bounding_box()
    first = answer.bounding_box()
    assert log["y"] <= first["y"] and first["y"] + 40 <= log["y"] + log["height"]  # first line visible
    assert answer.inner_text().startswith(FIRST_LINE)
    page.screenshot(path=artifact("widget-phone-answer.png"))
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    assert page.get_by_role("log").evaluate("e => e.scrollWidth <= e.clientWidth")  # no sideways scroll in the panel
    answer.locator("button.cite").first.tap()  # the [n] markers still open the passage
    assert page.get_by_role("region", name=re.compile(r"Trích dẫn \[\d+\]")).is_visible()
    ctx.close()


def test_task_board_filters_sorts_exports_and_shows_passages(server, browser):
    origin, _ = server
    page = browser.new_page(viewport={"width": 1280, "height": 820})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(origin + "/board")
    count = page.get_by_role("status")
    page.wait_for_function("() => /^\\d+ dòng$/.test(document.getElementById('count').textContent)")
    everything = int(count.inner_text().split()[0])
    page.get_by_label("Cơ quan", exact=True).fill("Sở Y tế")
    page.get_by_label("Vai trò").select_option("lead")
    page.wait_for_function("() => document.getElementById('count').textContent === '49 dòng'")
    page.wait_for_load_state("networkidle")
    assert everything > 49 and page.locator("tbody tr").count() == 49
    with page.expect_response(lambda r: "/v1/board?" in r.url and "sort=due" in r.url):
        page.get_by_role("button", name="Hạn").click()
    page.wait_for_function("() => document.querySelector('th[aria-sort]') !== null")
    page.wait_for_load_state("networkidle")
    href = page.get_by_role("link", name="Tải Excel (XLSX)").get_attribute("href")
    assert href.startswith("/v1/board.xlsx?") and "role=lead" in href and "sort=due" in href and "agency=" in href
    assert "role=lead" in page.url  # the view is in the address: a shared link shows the same rows
    page.get_by_role("link", name=re.compile("Xem đoạn gốc")).first.click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    assert len(dialog.locator("blockquote").inner_text()) > 20
    page.screenshot(path=artifact("board-desktop.png"))
    page.get_by_role("button", name="Đóng").click()
    assert errors == []

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
    phone.goto(origin + "/board?agency=S%E1%BB%9F+Y+t%E1%BA%BF&role=lead&due=past_due")
    phone.wait_for_function("() => /^\\d+ dòng$/.test(document.getElementById('count').textContent)")
    assert phone.get_by_label("Thời hạn").input_value() == "past_due"
    assert phone.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")  # cards, no sideways scroll
    phone.screenshot(path=artifact("board-phone.png"))
    phone.context.close()
