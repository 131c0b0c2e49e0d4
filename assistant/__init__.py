"""The plan assistant: question understanding, retrieval, grounded answers, CLI and serving."""

import os as _os

# The embedding engine uses OpenMP. Its default busy-waiting turns a 30 ms query into 1.7 s as
# soon as another process competes for the 2 cores (measured); passive waiting avoids that. Set
# here, before any library starts OpenMP, and only when the deployment has not chosen itself.
_os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

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
