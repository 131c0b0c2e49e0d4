"""The plan assistant: question understanding, retrieval, grounded answers, CLI and serving."""

import os as _os

# The embedding engine uses OpenMP. Its default busy-waiting turns a 30 ms query into 1.7 s as
# soon as another process competes for the 2 cores (measured); passive waiting avoids that. Set
# here, before any library starts OpenMP, and only when the deployment has not chosen itself.
_os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from ingest.faces import lazy_exports  # noqa: E402

_EXPORTS = {
    "PlanAssistant": "assistant.assistant",
    "Settings": "assistant.settings",
    "create_app": "assistant.api.app",
    "Answer": "assistant.answer_types",
    "AnswerCitation": "assistant.answer_types",
    "AssistantError": "assistant.errors",
}
__all__ = [
    "Answer", "AnswerCitation", "AssistantError", "PlanAssistant", "Settings", "create_app"
]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
