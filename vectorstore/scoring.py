"""Score helpers shared by the index's debug search and the tuned retriever."""
from __future__ import annotations


def minmax(values: dict[str, float]) -> dict[str, float]:
    """Scale scores to [0, 1] so that legs with different ranges can be fused."""
    if not values:
        return {}
    lo, hi = min(values.values()), max(values.values())
    if hi - lo < 1e-9:
        return {k: 1.0 for k in values}
    return {k: (v - lo) / (hi - lo) for k, v in values.items()}
