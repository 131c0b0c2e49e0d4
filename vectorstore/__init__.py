"""Index stage: structure-aware chunks, embeddings (cached by content hash), Chroma, a Vietnamese
lexical index and the SQLite record store, built beside the live index and switched in atomically."""

import os as _os

# The embedding engine uses OpenMP. Its default busy-waiting turns a 30 ms query into 1.7 s as
# soon as another process competes for the 2 cores (measured); passive waiting avoids that. Set
# here, before any library starts OpenMP, and only when the deployment has not chosen itself.
_os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from ingest.faces import lazy_exports  # noqa: E402

_EXPORTS = {
    "PlanIndex": "vectorstore.index",
    "Hit": "vectorstore.index",
    "build_index": "vectorstore.build",
    "IngestSummary": "vectorstore.build",
    "make_embedder": "vectorstore.embedders",
    "current_version": "vectorstore.versions",
}
__all__ = [
    "Hit", "IngestSummary", "PlanIndex", "build_index", "current_version", "make_embedder"
]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
