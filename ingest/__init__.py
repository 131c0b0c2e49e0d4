"""Ingest: load plan files, normalize Vietnamese text, build the section tree and typed records.

Pipeline (one direction): load -> normalize -> sections -> tables/records -> assignments.
`parse_file` (exported here) runs it for one file and returns a `ParsedDocument`.
"""

_EXPORTS = {
    "parse_file": "ingest.pipeline",
    "parse_text": "ingest.pipeline",
    "parse_corpus": "ingest.pipeline",
    "ParsedDocument": "ingest.records",
    "DocumentMeta": "ingest.records",
    "Section": "ingest.records",
    "Task": "ingest.records",
    "Target": "ingest.records",
    "Project": "ingest.records",
    "Assignment": "ingest.records",
    "IngestError": "ingest.errors",
    "AssistantError": "ingest.errors",
}
__all__ = [
    "Assignment", "AssistantError", "DocumentMeta", "IngestError", "ParsedDocument", "Project",
    "Section", "Target", "Task", "parse_corpus", "parse_file", "parse_text"
]


def __getattr__(name: str):
    """The public names, imported on first use: `python -m assistant --help` and the build child
    stay light, and no package imports a heavy stage just by being imported."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
