"""Ownership stated in the "Tổ chức thực hiện" part (first version: no assignments yet)."""
from __future__ import annotations


def extract_assignments(doc_id, norm, sections, province=""):
    return []


def apply_assignments(records, assignments, sections):
    return records
