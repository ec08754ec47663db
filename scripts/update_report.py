#!/usr/bin/env python3
"""The update report: what changed from one ICD-10-CM or HCPCS release to the next.

Usage:
    python scripts/update_report.py OLD NEW [--system icd10cm|hcpcs]
                                    [--format md|csv|json] [--out FILE]

OLD and NEW are official release files as CMS and CDC publish them, or the
folder or official zip holding them.

ICD-10-CM (the default): a tabular XML, an order file or a codes file;
``bundled:2025`` / ``bundled:2026`` name the releases shipped with medcodes
(``bundled`` the newest). The report lists every added, deleted, retitled,
expanded and moved code, with notes and 7th-character changes when both
releases have a tabular XML, and the summary in the terms of CMS's addenda.

HCPCS Level II (``--system hcpcs``): the alpha-numeric (ANWEB) files;
``bundled`` (or ``bundled:2025``) names the January 2025 file. The report lists
every added, deleted, discontinued, reactivated and redescribed code and
modifier, every changed field, and the action codes the newer file announces.

Both systems write the same CSV columns.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import medcodes
from medcodes.errors import MedcodesError, ParseError


def _bundled_year(spec: str) -> int | None:
    """``bundled`` -> 0 (the default release), ``bundled:YYYY`` -> YYYY, else ``None``."""
    if spec == "bundled":
        return 0
    if spec.startswith("bundled:"):
        year = spec.split(":", 1)[1]
        if not (year.isascii() and year.isdigit()):
            raise ValueError(f"{spec!r}: expected bundled or bundled:YYYY")
        return int(year)
    return None


def _load_icd10cm(spec: str) -> medcodes.icd10cm.Codeset:
    year = _bundled_year(spec)
    if year is None:
        return medcodes.icd10cm.load(spec)
    return medcodes.icd10cm.load(fiscal_year=year or None)


def _load_hcpcs(spec: str) -> medcodes.hcpcs.Codeset:
    year = _bundled_year(spec)
    if year is None:
        return medcodes.hcpcs.load(spec)
    return medcodes.hcpcs.load(year=year or None)


def report(old: str, new: str, fmt: str, system: str = "icd10cm") -> str:
    """The report text for two releases of ``system``, in ``md``, ``csv`` or ``json``."""
    changes: medcodes.icd10cm.ReleaseDiff | medcodes.hcpcs.HcpcsDiff
    if system == "hcpcs":
        changes = medcodes.hcpcs.diff(_load_hcpcs(old), _load_hcpcs(new))
    else:
        changes = medcodes.icd10cm.diff(_load_icd10cm(old), _load_icd10cm(new))
    if changes.old.release.effective > changes.new.release.effective:
        print(
            f"warning: OLD ({changes.old.release.label}) takes effect after NEW "
            f"({changes.new.release.label}): the report runs backwards",
            file=sys.stderr,
        )
    if fmt == "md":
        return changes.to_markdown()
    if fmt == "csv":
        return changes.to_csv()
    return changes.to_json()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "old",
        help="the older release: a file, folder or zip, or bundled / bundled:YYYY "
        "(ICD-10-CM: 2025, 2026; HCPCS: 2025)",
    )
    ap.add_argument("new", help="the newer release")
    ap.add_argument("--system", choices=["icd10cm", "hcpcs"], default="icd10cm")
    ap.add_argument("--format", choices=["md", "csv", "json"], default="md")
    ap.add_argument("--out", type=Path, help="write here instead of standard output")
    args = ap.parse_args(argv)
    try:
        text = report(args.old, args.new, args.format, args.system)
    except (MedcodesError, ValueError) as exc:
        hint = ""
        wrong_kind = ("not an ICD-10-CM file", "found no ICD-10-CM")
        if isinstance(exc, ParseError) and any(w in exc.reason for w in wrong_kind):
            hint = " (HCPCS files? pass --system hcpcs)"
        print(f"error: {exc}{hint}", file=sys.stderr)
        return 2
    try:
        if args.out:
            args.out.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
    except OSError as exc:
        print(f"error: cannot write the report: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
