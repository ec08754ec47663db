"""scripts/update_report.py, run as the yearly (ICD-10-CM) and quarterly (HCPCS)
updates do."""

from __future__ import annotations

import csv
import json
import runpy
import sys
from pathlib import Path
from typing import Any

import pytest

from .helpers import HCPCS_ANWEB

SCRIPT = Path(__file__).parents[1] / "scripts" / "update_report.py"


def _main() -> Any:
    return runpy.run_path(str(SCRIPT))["main"]


def test_markdown_report_of_the_bundled_releases(tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    assert _main()(["bundled:2025", "bundled:2026", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# ICD-10-CM changes: ICD-10-CM FY2025")
    assert "| codes | 74,260 | 74,719 | 487 | 28 | 38 |" in text


def test_json_and_csv_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _main()(["bundled:2025", "bundled:2026", "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["summary"]["codes"]["additions"] == 487
    assert len(payload["changes"]) == sum(payload["summary"]["by_kind"].values())
    out = tmp_path / "report.csv"
    assert _main()(["bundled:2025", "bundled:2026", "--format", "csv", "--out", str(out)]) == 0
    with out.open(encoding="utf-8", newline="") as fh:
        assert fh.readline().startswith("# ")  # what the CSV leaves out
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(payload["changes"])
    assert {"code", "change", "before", "after"} <= set(rows[0])


def test_a_bad_path_is_an_error_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert _main()(["bundled:2025", "/no/such/file"]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    assert sys.argv  # untouched


def test_hcpcs_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = str(HCPCS_ANWEB[2020])
    assert _main()([old, "bundled", "--system", "hcpcs", "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert (payload["system"], payload["new"]) == ("hcpcs", "HCPCS Level II January 2025")
    assert len(payload["changes"]) == sum(payload["summary"]["computed"].values())
    assert len(payload["announced"]) == sum(payload["summary"]["announced"].values()) == 321
    out = tmp_path / "hcpcs.csv"
    assert _main()([old, "bundled", "--system", "hcpcs", "--format", "csv", "--out", str(out)]) == 0
    with out.open(encoding="utf-8", newline="") as fh:
        assert fh.readline().startswith("# ")  # what the CSV leaves out
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(payload["changes"])
    assert _main()([old, "bundled", "--system", "hcpcs"]) == 0
    heading = "# HCPCS Level II changes: HCPCS Level II January 2020"
    assert capsys.readouterr().out.startswith(heading)


def test_usage_mistakes_are_error_messages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _main()(["bundled", "bundled:2026"]) == 0  # bundled: the newest release
    capsys.readouterr()
    assert _main()(["bundled:2025", "bundled", "--out", str(tmp_path / "no" / "x.md")]) == 2
    assert "cannot write the report" in capsys.readouterr().err
    # an HCPCS file is recognised; named ICD-10-CM, the message points to --system
    assert _main()([str(HCPCS_ANWEB[2020]), "bundled", "--system", "icd10cm"]) == 2
    assert "pass --system hcpcs" in capsys.readouterr().err
    assert _main()(["bundled:x", "bundled"]) == 2
    assert "expected bundled, bundled:YYYY or YYYY" in capsys.readouterr().err


def test_backwards_reports_and_empty_paths(capsys: pytest.CaptureFixture[str]) -> None:
    assert _main()(["bundled:2026", "bundled:2025", "--format", "csv"]) == 0
    assert "the report runs backwards" in capsys.readouterr().err
    assert _main()(["", "bundled"]) == 2
    err = capsys.readouterr().err
    assert "the path is empty" in err and "--system hcpcs" not in err
    assert _main()(["/no/such/file", "bundled"]) == 2
    assert "--system hcpcs" not in capsys.readouterr().err
