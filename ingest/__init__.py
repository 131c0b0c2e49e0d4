"""Ingest: load plan files, normalize Vietnamese text, build the section tree and typed records.

Pipeline (one direction): load -> normalize -> sections -> tables/records -> assignments.
`parse_file` (exported here) runs it for one file and returns a `ParsedDocument`.
"""

from ingest.faces import lazy_exports  # noqa: E402

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
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
