"""Index stage: structure-aware chunks, embeddings (cached by content hash), Chroma, a Vietnamese
lexical index and the SQLite record store, built beside the live index and switched in atomically."""

import os as _os

# The embedding engine uses OpenMP. Its default busy-waiting turns a 30 ms query into 1.7 s as
# soon as another process competes for the 2 cores (measured); passive waiting avoids that. Set
# here, before any library starts OpenMP, and only when the deployment has not chosen itself.
_os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
