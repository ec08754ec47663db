#!/usr/bin/env python3
"""The yearly ICD-10-CM update report: what changed from one release to the next.

Usage:
    python scripts/icd10cm_update_report.py OLD NEW [--format md|csv|json] [--out FILE]

OLD and NEW are official release files as CMS and CDC publish them: a tabular
XML, an order file, a codes file, the folder holding them or the official zip
(``bundled:2025`` / ``bundled:2026`` name the releases shipped with medcodes).
The report lists every added, deleted, retitled, expanded and moved code,
with notes and 7th-character changes when both releases have a tabular XML,
and the summary in the terms of CMS's addenda.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import medcodes
from medcodes.errors import MedcodesError


def _load(spec: str) -> medcodes.icd10cm.Codeset:
    if spec.startswith("bundled:"):
        return medcodes.icd10cm.load(fiscal_year=int(spec.split(":", 1)[1]))
    return medcodes.icd10cm.load(spec)


def report(old: str, new: str, fmt: str) -> str:
    """The report text for two releases, in ``md``, ``csv`` or ``json``."""
    changes = medcodes.icd10cm.diff(_load(old), _load(new))
    if fmt == "md":
        return changes.to_markdown()
    if fmt == "csv":
        return changes.to_csv()
    s = changes.summary()
    payload = {
        "old": changes.old.release.label,
        "new": changes.new.release.label,
        "summary": {
            "codes": _counts(s.codes),
            "headers": _counts(s.headers) if s.headers else None,
            "by_kind": {k.value: n for k, n in s.by_kind.items()},
            "respelled": s.respelled,
        },
        "changes": changes.to_records(),
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _counts(c: medcodes.icd10cm.AddendaCounts) -> dict[str, int | None]:
    return {
        "old_total": c.old_total,
        "new_total": c.new_total,
        "additions": c.additions,
        "deletions": c.deletions,
        "revisions": c.revisions,
        "both_titles": c.both_titles,
        "long_title_only": c.long_title_only,
        "short_title_only": c.short_title_only,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("old", help="the older release (file, folder, zip or bundled:YYYY)")
    ap.add_argument("new", help="the newer release")
    ap.add_argument("--format", choices=["md", "csv", "json"], default="md")
    ap.add_argument("--out", type=Path, help="write here instead of standard output")
    args = ap.parse_args(argv)
    try:
        text = report(args.old, args.new, args.format)
    except (MedcodesError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
