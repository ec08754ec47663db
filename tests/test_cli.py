"""The installed ``medcodes`` command, run as a user runs it: in a subprocess,
from the venv's ``bin`` folder (and as ``python -m medcodes``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

import medcodes

from .helpers import BUNDLED, HCPCS_ANWEB, FileServer, official_path

COMMAND = shutil.which("medcodes", path=str(Path(sys.executable).parent))
ICD_ORDER_ZIP = BUNDLED / "2025-code-descriptions-tabular-order.zip"


def run(
    *args: str, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    assert COMMAND is not None, "the medcodes console script is not installed in this venv"
    return subprocess.run(
        [COMMAND, *args], capture_output=True, text=True, input=stdin, cwd=cwd, timeout=300
    )


def run_env(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """``run`` with these environment variables set."""
    assert COMMAND is not None
    return subprocess.run(
        [COMMAND, *args], capture_output=True, text=True, env={**os.environ, **env}, timeout=300
    )


def test_version_is_the_package_metadata_version() -> None:
    out = run("--version")
    assert out.returncode == 0
    assert out.stdout.strip() == f"medcodes {version('medcodes')}"
    assert medcodes.__version__ == version("medcodes")


def test_help_shows_every_command_with_examples() -> None:
    out = run("--help")
    assert out.returncode == 0
    for command in ("show", "check", "diff"):
        assert f"\n    {command} " in out.stdout
        assert f"  medcodes {command} " in out.stdout  # an example of each
    sub = run("check", "--help")
    assert "exit status" in sub.stdout.lower() and "--column" in sub.stdout


def test_python_dash_m_is_the_same_command() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "medcodes", "--version"], capture_output=True, text=True
    )
    assert (out.returncode, out.stdout) == (0, run("--version").stdout)


def test_check_exit_status_and_formats() -> None:
    assert run("check", "E11.9", "J9308").returncode == 0
    out = run("check", "E11.9", "S72.001", "J9308", "99213", "--format", "csv")
    assert out.returncode == 1
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [(r["text"], r["system"], r["valid"], r["problem"]) for r in rows] == [
        ("E11.9", "icd10cm", "True", ""),
        ("S72.001", "icd10cm", "False", "MISSING_SEVENTH_CHARACTER"),
        ("J9308", "hcpcs", "True", ""),
        ("99213", "icd10cm", "False", "MALFORMED"),
    ]
    # the suggestions are the library's own
    cm = medcodes.icd10cm.load()
    assert rows[1]["suggestions"].split() == list(cm.check_code("S72.001").suggestions)
    table = run("check", "S72.001A", "S72.001")
    assert table.returncode == 1
    assert table.stdout.splitlines()[0].split() == ["text", "valid", "problem", "message"]
    assert "requires a 7th character" in table.stdout


def test_check_on_a_date_and_system_override() -> None:
    # U0003 was terminated 2023-05-11 (a date in the bundled January 2025 file)
    assert run("check", "U0003", "--on", "2023-05-11").returncode == 0
    out = run("check", "U0003", "--on", "2023-05-12", "--format", "json")
    assert out.returncode == 1
    (row,) = json.loads(out.stdout)
    assert (row["valid"], row["problem"], row["system"]) == (False, "TERMINATED", "hcpcs")
    valid = json.loads(run("check", "U0003", "--on", "2023-05-11", "--format", "json").stdout)
    assert (valid[0]["problem"], valid[0]["suggestions"], valid[0]["line"]) == (None, [], None)
    # E1165 has the form of an HCPCS code; --system reads it as ICD-10-CM E11.65
    forced = json.loads(run("check", "E1165", "--system", "icd10cm", "--format", "json").stdout)
    assert (forced[0]["code"], forced[0]["valid"]) == ("E11.65", True)


def test_check_reads_a_file_or_a_csv_column(tmp_path: Path) -> None:
    plain = tmp_path / "codes.txt"
    plain.write_text("E11.9\n\nJ9308\n", encoding="utf-8")
    assert run("check", "--file", str(plain)).returncode == 0
    claims = tmp_path / "claims.csv"
    claims.write_text("id,dx\n1,E11.9\n2,R10.4\n3,\n", encoding="utf-8")
    out = run("check", "--file", str(claims), "--column", "dx", "--format", "json")
    assert out.returncode == 1
    assert [(r["text"], r["valid"]) for r in json.loads(out.stdout)] == [
        ("E11.9", True),
        ("R10.4", False),
    ]
    assert run("check", "--file", "-", stdin="E11.9\n").returncode == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "no code to check"),
        (("E11.9", "--on", "2025-13-01"), "expected a date"),
        (("--column", "dx"), "--column needs --file"),
        (("--file", "/no/such/file.txt"), "cannot read"),
        (("E11.9", "--release", "bundled:1999"), "error:"),
        (("E11.9", "--format", "xml"), "invalid choice"),
    ],
)
def test_check_usage_errors_exit_2(args: tuple[str, ...], message: str) -> None:
    out = run("check", *args)
    assert out.returncode == 2
    assert message in out.stderr
    assert "Traceback" not in out.stderr


def test_check_a_csv_without_that_column(tmp_path: Path) -> None:
    claims = tmp_path / "claims.csv"
    claims.write_text("id,dx\n1,E11.9\n", encoding="utf-8")
    out = run("check", "--file", str(claims), "--column", "code")
    assert out.returncode == 2
    assert "no column 'code' (columns: id, dx)" in out.stderr


def test_show_an_icd10cm_code() -> None:
    out = run("show", "e11.65")
    assert out.returncode == 0
    cm = medcodes.icd10cm.load()
    node = cm["E11.65"]
    lines = out.stdout.splitlines()
    assert lines[0] == f"E11.65  {node.title}"
    path = " > ".join([a.code for a in reversed(list(node.ancestors()))] + ["E11.65"])
    assert f"path:      {path}" in lines
    assert "billable:  yes" in lines
    notes = cm.effective_notes("E11.65")
    assert sum(line.startswith("  ") for line in lines) == len(notes) > 0
    older = run("show", "E11.65", "--release", "bundled:2025")
    assert "FY2025" in older.stdout


def test_show_an_hcpcs_code_and_a_modifier() -> None:
    out = run("show", "J9308")
    assert out.returncode == 0
    record = medcodes.hcpcs.load()["J9308"].record
    assert record is not None
    assert out.stdout.startswith(f"J9308  {record.long_description}\n")
    assert f"betos:                       {record.betos}" in out.stdout
    modifier = run("show", "rt")
    assert modifier.returncode == 0 and "kind:      modifier" in modifier.stdout


def test_show_an_unknown_code_exits_1() -> None:
    out = run("show", "S72.001")  # a header: shown
    assert out.returncode == 0 and "billable:  no" in out.stdout
    out = run("show", "R10.4")
    assert out.returncode == 1
    assert "R10.4" in out.stdout and "not" in out.stdout


def test_diff_of_the_bundled_icd10cm_releases(tmp_path: Path) -> None:
    out = tmp_path / "update.md"
    done = run("diff", "bundled:2025", "bundled:2026", "--out", str(out))
    assert (done.returncode, done.stdout) == (0, "")
    text = out.read_text(encoding="utf-8")
    assert "| codes | 74,260 | 74,719 | 487 | 28 | 38 |" in text
    csv_text = run("diff", "bundled:2025", "bundled:2026", "--format", "csv").stdout
    first, rest = csv_text.split("\n", 1)
    assert first.startswith("# ICD-10-CM FY2025") and "left out: the addenda counts" in first
    changes = medcodes.icd10cm.diff(
        medcodes.icd10cm.load(fiscal_year=2025), medcodes.icd10cm.load()
    )
    assert len(list(csv.DictReader(io.StringIO(rest)))) == len(changes)


def test_hcpcs_markdown_counts_the_expected_disagreements() -> None:
    old = str(HCPCS_ANWEB[2019])
    short = run("diff", old, "bundled", "--system", "hcpcs").stdout
    full = run("diff", old, "bundled", "--system", "hcpcs", "--all-disagreements").stdout
    changes = medcodes.hcpcs.diff(medcodes.hcpcs.load(old), medcodes.hcpcs.load())
    disagreements = changes.disagreements()
    assert len(disagreements) > 1000
    reasons = {d.reason for d in disagreements}
    # the default: one table row per reason, with counts that add up
    rows = [line for line in short.splitlines() if line.startswith("| ") and "|---" not in line]
    counted = {line.split(" | ")[0][2:]: line.split(" | ")[1] for line in rows}
    assert reasons <= set(counted)
    assert sum(int(counted[r].rstrip(" |").replace(",", "")) for r in reasons) == len(disagreements)

    # the option lists each one
    def listed(text: str) -> int:
        return sum(line.startswith("- `") for line in text.splitlines())

    assert listed(full) - listed(short) == len(disagreements)
    # a field that was or becomes empty is "(blank)", never Python's None
    blank = [c for c in changes if c.detail and None in (c.before, c.after)]
    assert blank and "None" not in [w.strip("`'") for w in short.split()]
    assert short.count("(blank)") >= len(blank)
    for d in disagreements[:5]:
        assert f"- `{d.code}` ({d.level}) {d.reason}" in full
        assert f"- `{d.code}` ({d.level}) {d.reason}" not in short


def test_hcpcs_csv_says_what_it_leaves_out() -> None:
    old = str(HCPCS_ANWEB[2020])
    text = run("diff", old, "bundled", "--system", "hcpcs", "--format", "csv").stdout
    first, rest = text.split("\n", 1)
    changes = medcodes.hcpcs.diff(medcodes.hcpcs.load(old), medcodes.hcpcs.load())
    assert first.startswith("# HCPCS Level II January 2020 -> HCPCS Level II January 2025")
    assert f"the {len(changes.announced):,} changes the newer file announces" in first
    assert f"{len(changes.disagreements()):,} action codes that disagree" in first
    assert len(list(csv.DictReader(io.StringIO(rest)))) == len(changes)


def test_diff_errors_exit_2(tmp_path: Path) -> None:
    out = run("diff", str(HCPCS_ANWEB[2020]), "bundled", "--system", "icd10cm")
    assert out.returncode == 2 and "pass --system hcpcs" in out.stderr
    out = run("diff", "bundled:x", "bundled")
    assert out.returncode == 2 and "expected bundled, bundled:YYYY or YYYY" in out.stderr
    out = run("diff", "bundled:2025", "bundled", "--out", str(tmp_path / "no" / "x.md"))
    assert out.returncode == 2 and "cannot write the report" in out.stderr


def test_check_on_a_date_picks_the_bundled_release_in_force() -> None:
    # D71 was billable in FY2025 and became a header in FY2026
    assert run("check", "D71", "--on", "2025-06-01").returncode == 0
    out = run("check", "D71", "--on", "2026-06-01", "--format", "json")
    assert (out.returncode, json.loads(out.stdout)[0]["problem"]) == (1, "NOT_BILLABLE")


def test_the_readme_command_lines_run(server: FileServer, tmp_path: Path) -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    lines = [
        line[2:].split(" #")[0].split()  # without a trailing comment
        for line in readme.splitlines()
        if line.startswith("$ medcodes ")
    ]
    assert len(lines) >= 4
    for _, *args in lines:
        args = [str(HCPCS_ANWEB[2020]) if a == "HCPC2020_ANWEB.txt" else a for a in args]
        if "old-release.zip" in args:  # files the reader downloads: only the parser runs
            assert run(*args[:1], "--help").returncode == 0
            continue
        if args[0] == "fetch":  # from the server on 127.0.0.1, never the official host
            asked = len(server.requests)
            args += ["--mirror", server.url, "--cache-dir", str(tmp_path / "cache")]
            out = run(*args, cwd=tmp_path)
            # the release is in the catalog and its official path was asked for; the
            # test server holds only a few official files, so the answer may be a 404
            assert server.requests[asked] == official_path(args[1], args[2])
            assert out.returncode == 0 or (
                out.returncode == 1 and "the server answered 404" in out.stderr
            ), (args, out.stderr)
            continue
        out = run(*args, cwd=tmp_path)
        assert out.returncode in (0, 1), (args, out.stderr)
        assert out.stdout or list(tmp_path.iterdir())


def test_a_letter_and_four_digits_is_asked_of_both_systems() -> None:
    cm, hc = medcodes.icd10cm.load(), medcodes.hcpcs.load()
    out = run("check", "E1165", "Z7984", "I2510", "J9308", "A0100", "S7200", "--format", "json")
    rows = {r["text"]: r for r in json.loads(out.stdout)}
    assert out.returncode == 1  # A0100 is ambiguous, S72.00 a header
    # ICD-10-CM codes written without the dot: valid there, not in HCPCS
    for text in ("E1165", "Z7984", "I2510"):
        assert (rows[text]["system"], rows[text]["valid"]) == ("icd10cm", True)
        assert cm.is_billable(rows[text]["code"]) and text not in hc
    assert (rows["J9308"]["system"], rows["J9308"]["valid"]) == ("hcpcs", True)
    # valid in both: both meanings, and not valid until --system says which
    both = rows["A0100"]
    assert (both["system"], both["problem"], both["valid"]) == ("ambiguous", "AMBIGUOUS", False)
    assert cm["A01.00"].title in both["message"] and hc["A0100"].title in both["message"]
    assert both["suggestions"] == ["A01.00", "A0100"]
    # valid in neither: the system that has the code (an ICD-10-CM header here)
    assert (rows["S7200"]["system"], rows["S7200"]["problem"]) == ("icd10cm", "NOT_BILLABLE")
    assert run("check", "A0100", "--system", "hcpcs").returncode == 0
    assert run("check", "A0100", "--system", "icd10cm").returncode == 0


def test_modifiers_are_checked_as_modifiers() -> None:
    hc = medcodes.hcpcs.load()
    out = run("check", "RT", "ma", "--format", "json")
    rows = json.loads(out.stdout)
    assert [(r["system"], r["problem"]) for r in rows] == [
        ("hcpcs", None),
        ("hcpcs", hc.check_modifier("MA").problem and hc.check_modifier("MA").problem.name),
    ]
    assert run("check", "RT").returncode == 0


def test_check_names_the_fetch_for_a_date_no_release_covers(tmp_path: Path) -> None:
    day = "2026-11-03"  # in FY2027: neither bundled nor in this empty cache
    e = medcodes.catalog.in_force("icd10cm", dt.date.fromisoformat(day))
    assert e is not None and e.release not in ("2025", "2026")
    env_cache = {"MEDCODES_CACHE": str(tmp_path)}
    out = run_env(env_cache, "check", "E11.9", "--on", day, "--format", "json")
    (row,) = json.loads(out.stdout)
    assert (out.returncode, row["problem"]) == (1, "OUTSIDE_RELEASE")
    assert f"`medcodes fetch icd10cm {e.release}`" in row["message"]
    # a fiscal year as --release: the bundled 2025 release
    older = run("show", "D71", "--release", "2025")
    assert "FY2025" in older.stdout and "billable:  yes" in older.stdout


def test_release_files_of_both_systems(tmp_path: Path) -> None:
    anweb = str(HCPCS_ANWEB[2020])
    out = run("check", "E11.9", "U0003", "--release", anweb, "--format", "json")
    rows = json.loads(out.stdout)
    # U0003 is in the 2025 file and not in the January 2020 one
    assert [(r["system"], r["valid"]) for r in rows] == [("icd10cm", True), ("hcpcs", False)]
    # one --release per system: D71 was billable in FY2025 only
    args = ("check", "D71", "U0003", "--release", anweb, "--format", "json")
    both = json.loads(run(*args, "--release", "bundled:2025").stdout)
    assert [(r["system"], r["valid"]) for r in both] == [("icd10cm", True), ("hcpcs", False)]
    newer = json.loads(run(*args).stdout)
    assert newer[0]["problem"] == "NOT_BILLABLE"
    two = run("check", "E11.9", "--release", anweb, "--release", anweb)
    assert two.returncode == 2 and "two --release files of hcpcs" in two.stderr


def test_the_stale_release_warning_is_one_line_each() -> None:
    # on 2026-12-02 both bundled releases are out of date
    out = run_env({"MEDCODES_TODAY": "2026-12-02"}, "check", "E11.9", "J9308", "E1165")
    lines = out.stderr.splitlines()
    assert out.returncode == 0
    assert len(lines) == 2 and all(line.startswith("medcodes: warning: ") for line in lines)
    assert "`medcodes fetch icd10cm 2027`" in lines[0] and "--release" in lines[0]
    assert "`medcodes fetch hcpcs 2026-10`" in lines[1]
    fresh = run_env({"MEDCODES_TODAY": "2025-01-02"}, "show", "J9308")
    assert (fresh.returncode, fresh.stderr) == (0, "")


def test_a_csv_file_needs_a_column_and_may_use_semicolons(tmp_path: Path) -> None:
    claims = tmp_path / "claims.csv"
    claims.write_text("id;dx\n1;E11.9\n\n2;R10.4\n", encoding="utf-8")
    out = run("check", "--file", str(claims))
    assert out.returncode == 2
    assert "looks like CSV" in out.stderr and "give --column" in out.stderr
    assert "(columns: id, dx)" in out.stderr
    out = run("check", "--file", str(claims), "--column", "dx", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [(r["line"], r["text"], r["valid"]) for r in rows] == [
        ("2", "E11.9", "True"),
        ("4", "R10.4", "False"),
    ]
    tabbed = tmp_path / "claims.tsv"
    tabbed.write_text("id\tdx\n1\tE11.9\n", encoding="utf-8")
    assert run("check", "--file", str(tabbed), "--column", "dx").returncode == 0
    table = run("check", "--file", str(claims), "--column", "dx").stdout
    assert table.splitlines()[0].split() == ["line", "text", "valid", "problem", "message"]


def test_a_closed_pipe_keeps_the_exit_status() -> None:
    assert COMMAND is not None
    many = " ".join(["E11.9"] * 20000)
    shell = f"{COMMAND} check {many} --format csv | head -1; echo ${{PIPESTATUS[0]}}"
    out = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, timeout=300)
    assert out.stdout.splitlines() == [
        ",".join(("line", "text", "system", "code", "valid", "problem", "message", "suggestions")),
        "0",
    ]
    assert "Traceback" not in out.stderr and "BrokenPipe" not in out.stderr


def test_diff_recognises_hcpcs_files() -> None:
    old = str(HCPCS_ANWEB[2019])
    out = run("diff", old, "bundled", "--format", "csv")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("# HCPCS Level II January 2019 -> HCPCS Level II January 2025")
    mixed = run("diff", old, str(ICD_ORDER_ZIP))
    assert mixed.returncode == 2 and "different systems" in mixed.stderr


def test_an_hcpcs_workbook_points_to_the_text_file() -> None:
    workbook = HCPCS_ANWEB[2020].parent / "2025-HCPC2025_JAN_ANWEB_12172024.xlsx"
    out = run("show", "J9308", "--release", str(workbook))
    assert out.returncode == 2
    assert "use the .txt in the same zip" in out.stderr and workbook.name in out.stderr
