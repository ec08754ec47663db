#!/usr/bin/env python3
"""The update report, as ``medcodes diff`` writes it (this script is kept for
the yearly update scripts that call it; new ones should run the command).

Usage:
    python scripts/update_report.py OLD NEW [--system icd10cm|hcpcs]
                                    [--format md|csv|json] [--out FILE]

Everything is ``medcodes diff OLD NEW ...``: see ``medcodes diff --help``.
"""

from __future__ import annotations

import sys

from medcodes.cli import main as _medcodes


def main(argv: list[str] | None = None) -> int:
    """``medcodes diff`` with ``argv`` (default: this script's arguments)."""
    return _medcodes(["diff", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
