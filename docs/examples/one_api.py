"""One API for both systems, type-checked with ``mypy --strict`` in the test
command (and run by ``tests/test_one_api.py``): both codesets are read-only
mappings from code to node, an HCPCS code node's ``record`` is a ``Record``
(sections are :class:`medcodes.hcpcs.Section`), and both diffs summarize to
one type."""

from __future__ import annotations

from collections.abc import Mapping

import medcodes
from medcodes.errors import UnknownCodeError


def describe(code: str) -> str:
    """``"J9308 (J): Injection, ramucirumab"``: the code, its parent and its title."""
    cm = medcodes.icd10cm.load()
    hc = medcodes.hcpcs.load()
    try:
        if code.strip().upper() in hc:
            node = hc[code]
            section = node.parent
            # The idiom of the HCPCS module docstring: a Record, never None.
            title = node.record.short_description or node.record.long_description
            return f"{node.code} ({section.code if section else '-'}): {title}"
        icd = cm[code]
        chapter = icd.chapter
        return f"{icd.code} ({chapter.code if chapter else '-'}): {icd.title}"
    except UnknownCodeError:
        return f"{code}: unknown"


def first_codes(codes: Mapping[str, object], n: int = 3) -> list[str]:
    """Any codeset is a ``Mapping``: its iteration gives codes."""
    return list(codes)[:n]


def counts() -> tuple[medcodes.DiffSummary, medcodes.DiffSummary]:
    """The summaries of an ICD-10-CM and an HCPCS diff: one type."""
    cm = medcodes.icd10cm.load()
    hc = medcodes.hcpcs.load()
    icd = medcodes.icd10cm.diff(cm, cm).summary()
    hcs = medcodes.hcpcs.diff(hc, hc).summary()
    assert first_codes(cm) == ["1", "A00-A09", "A00"] and len(first_codes(hc)) == 3
    return icd, hcs
