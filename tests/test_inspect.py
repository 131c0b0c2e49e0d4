"""`python -m assistant inspect …`: help text, filters, JSON lines with every record field."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from assistant.cli import main

ROOT_HELP = ["inspect", "--help"]


@pytest.mark.parametrize("argv", [ROOT_HELP, ["inspect", "records", "--help"], ["inspect", "sections", "--help"]])
def test_help_text(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "usage: python -m assistant inspect" in out
    if "records" in argv:
        for flag in ("--kind", "--doc", "--agency", "--dir", "--json"):
            assert flag in out


def test_records_json_lines(capsys, plans_dir):
    code = main(["inspect", "records", "--doc", "thanh-hoa-ke-hoach-cds-2020", "--agency", "so y te",
                 "--dir", str(plans_dir), "--json"])
    assert code == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    kinds = sorted(r["kind"] for r in rows)
    assert kinds == ["assignment", "assignment"] + ["task"] * 5
    for r in rows:
        assert r["doc_id"] == "thanh-hoa-ke-hoach-cds-2020"
        assert {"id", "kind", "section", "start", "end"} <= set(r)
    task = next(r for r in rows if r["kind"] == "task")
    assert task["lead"] == ["Sở Y tế"] and task["source"] == "assignment"
    assert "điểm 5.1" in task["assigned_by"]["quote"]
    assert task["section"].endswith("5.1. Chuyển đổi số trong lĩnh vực y tế › a)")


def test_records_table_and_kind_filter(capsys, plans_dir):
    code = main(["inspect", "records", "--kind", "assignment", "--doc", "binh-dinh-59-kh-ubnd-2022",
                 "--agency", "Sở Công thương", "--dir", str(plans_dir)])
    assert code == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert len(lines) == 1 and lines[0].startswith("assignment binh-dinh-59-kh-ubnd-2022")
    assert "Sở Công Thương" in lines[0] and "lead → 3. Nhiệm vụ, giải pháp" in lines[0]
    assert "1 record(s)" in captured.err


def test_sections_tree_and_unknown_doc(capsys, plans_dir):
    assert main(["inspect", "sections", "--doc", "hai-duong-5046-kh-ubnd-2023", "--dir", str(plans_dir)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("hai-duong-5046-kh-ubnd-2023: Kế hoạch thực hiện Chiến lược")
    assert any(line.startswith("      1.3. Nền tảng số  [") for line in out)
    assert main(["inspect", "sections", "--doc", "khong-co", "--dir", str(plans_dir)]) == 2
    assert "no document 'khong-co'" in capsys.readouterr().err


def test_cli_subprocess_json_parses(plans_dir):
    proc = subprocess.run(
        [sys.executable, "-m", "assistant", "inspect", "records", "--kind", "target", "--doc",
         "thanh-hoa-258-kh-ubnd-2024", "--dir", str(plans_dir), "--json"],
        capture_output=True, text=True, check=True)
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    prose = [r for r in rows if r["source"] == "prose"]
    assert rows and prose
    assert all(r["kind"] == "target" and isinstance(r["values"], dict) for r in rows)
