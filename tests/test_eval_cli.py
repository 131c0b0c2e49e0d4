"""Scoring rules and the ask/chat/eval commands (the commands run on the shared built index)."""
from __future__ import annotations

import argparse
import io
import json

import pytest

from assistant.answer_types import Answer, AnswerCitation
from assistant.cli import build_parser
from assistant.commands import ask as ask_cmd
from assistant.commands import chat as chat_cmd
from assistant.commands import eval as eval_cmd
from assistant.errors import AssistantError
from assistant.evaluation import load_questions, percentile, score_item

ITEM = {"id": "x", "type": "owner", "q": "?", "must": [["Sở Thông tin và Truyền thông", "Sở TT&TT"], ["2023-2025"]],
        "docs": ["hai-duong-5046-kh-ubnd-2023"]}


def _ans(text, doc="hai-duong-5046-kh-ubnd-2023", abstained=False):
    cits = [AnswerCitation(1, doc, "", "", "q", 0, 1)] if doc else []
    return Answer(question="?", answer=text, abstained=abstained, language="vi", intent="owner", citations=cits)


def test_score_is_case_and_diacritic_insensitive():
    r = score_item(ITEM, _ans("SO THONG TIN VA TRUYEN THONG chủ trì, 2023-2025 [1]"))
    assert r.correct and r.must_ok and r.cite_ok


def test_score_needs_every_group_a_cited_doc_and_no_abstention():
    assert not score_item(ITEM, _ans("Sở TT&TT chủ trì [1]")).correct  # second group missing
    assert not score_item(ITEM, _ans("Sở TT&TT, 2023-2025", doc="binh-dinh-59-kh-ubnd-2022")).correct
    assert not score_item(ITEM, _ans("Sở TT&TT, 2023-2025", abstained=True)).correct
    abst = {"id": "a", "type": "abstain", "q": "?", "must": [], "docs": [], "abstain": True}
    assert score_item(abst, _ans("Không tìm thấy.", doc=None, abstained=True)).correct
    assert not score_item(abst, _ans("Có: 50%", doc=None)).correct


def test_percentile_and_question_file_errors(tmp_path):
    assert percentile([10, 20, 30, 40], 50) == 20 and percentile([10, 20, 30, 40], 95) == 40
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"q": "a"}\nnot json\n', encoding="utf-8")
    with pytest.raises(AssistantError, match="bad.jsonl:2: not JSON"):
        load_questions(bad)
    with pytest.raises(AssistantError, match="question file not found"):
        load_questions(tmp_path / "missing.jsonl")


def test_commands_have_help():
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name in ("ask", "chat", "eval"):
        assert sub.choices[name].format_help().strip()


def test_ask_jsonl_contract(built_index, tmp_path, capsys):
    settings, _ = built_index
    f = tmp_path / "q.jsonl"
    f.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in [
        {"id": "a", "q": "Ai chủ trì triển khai Nền tảng học trực tuyến mở (MOOC) về kỹ năng số ở Hải Dương?"},
        {"id": "b", "q": "Còn đến năm 2030?", "history": ["Kinh tế số của Thanh Hóa năm 2025 chiếm bao nhiêu GRDP?"]},
    ]), encoding="utf-8")
    args = build_parser().parse_args(["ask", "--jsonl", str(f)])
    assert ask_cmd.run(args, settings) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["id"] for x in lines] == ["a", "b"]
    keys = {"id", "question", "answer", "abstained", "language", "intent", "citations", "records"}
    assert keys <= set(lines[0])
    assert set(lines[0]["citations"][0]) == {"n", "doc_id", "title", "section", "quote", "start", "end"}
    assert lines[0]["citations"][0]["doc_id"] == "hai-duong-5046-kh-ubnd-2023"
    assert "30%" in lines[1]["answer"]


def test_ask_json_and_text(built_index, capsys):
    settings, _ = built_index
    assert ask_cmd.run(build_parser().parse_args(["ask", "--json", "Xin chào"]), settings) == 0
    assert json.loads(capsys.readouterr().out)["intent"] == "greeting"
    assert ask_cmd.run(build_parser().parse_args(["ask", "ai xay dung phan mem quan ly tram y te o binh dinh"]), settings) == 0
    out = capsys.readouterr().out
    assert "Sở Y tế" in out and "Nguồn:" in out and "binh-dinh-59-kh-ubnd-2022" in out
    with pytest.raises(AssistantError, match="give a question"):
        ask_cmd.run(build_parser().parse_args(["ask"]), settings)


def test_chat_follow_up_and_quit(built_index):
    settings, _ = built_index
    stdin = io.StringIO("Kinh tế số của Thanh Hóa năm 2025 chiếm bao nhiêu GRDP?\nCòn đến năm 2030?\n/quit\nignored\n")
    out = io.StringIO()
    assert chat_cmd.run(argparse.Namespace(), settings, stdin=stdin, stdout=out) == 0
    text = out.getvalue()
    assert "(Kinh tế số của Thanh Hóa năm 2030 chiếm bao nhiêu GRDP?)" in text and "30%" in text
    assert "ignored" not in text


def test_eval_on_the_dev_set(built_index, capsys):
    from tests.conftest import DEV_SET

    settings, _ = built_index
    args = build_parser().parse_args(["eval", str(DEV_SET), "--json"])
    assert eval_cmd.run(args, settings) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["n"] == 25
    assert report["overall"] >= 0.92
    assert report["abstention_precision"] == 1.0 and report["abstention_recall"] == 1.0
