"""The plan assistant: question understanding, retrieval, grounded answers, CLI and serving."""

import os as _os

# The embedding engine uses OpenMP. Its default busy-waiting turns a 30 ms query into 1.7 s as
# soon as another process competes for the 2 cores (measured); passive waiting avoids that. Set
# here, before any library starts OpenMP, and only when the deployment has not chosen itself.
_os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
