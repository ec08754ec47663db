"""An example user script, type-checked with ``mypy --strict`` in the test
command: the public API is typed where users touch it."""

from __future__ import annotations

import datetime as dt

import medcodes
from medcodes.errors import UnknownCodeError


def claim_report(codes: list[str]) -> list[str]:
    cm = medcodes.icd10cm.load()
    lines: list[str] = []
    for finding in cm.check_claim(codes):
        lines.append(f"{finding.severity.value}: {finding.message}")
    try:
        node = cm[codes[0]]
    except UnknownCodeError as exc:
        lines.append(f"unknown: {exc.code}")
    else:
        chapter = node.chapter
        lines.append(f"{node.code} is in chapter {chapter.code if chapter else '?'}")
    return lines


def yearly_changes() -> dict[str, int]:
    old = medcodes.icd10cm.load(fiscal_year=2025)
    changes = medcodes.icd10cm.diff(old, medcodes.icd10cm.load())
    summary = changes.summary()
    return {kind.value: n for kind, n in summary.by_kind.items()}


def hcpcs_valid(code: str, day: dt.date) -> bool:
    hc = medcodes.hcpcs.load()
    check = hc.check_code(code, on=day)
    return check.valid


if __name__ == "__main__":
    print(claim_report(["F02.80", "G30.9"]))
    print(yearly_changes())
    print(hcpcs_valid("J9308", dt.date(2025, 3, 1)))
