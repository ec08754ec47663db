"""``medcodes fetch`` and ``medcodes releases``: the installed command, in a
subprocess, fetching from a real HTTP server on 127.0.0.1 (the ``server``
fixture) into a cache folder named by ``MEDCODES_CACHE``."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import medcodes
from medcodes import cache, catalog

from .helpers import REAL_FILES, FileServer, official_path

COMMAND = shutil.which("medcodes", path=str(Path(sys.executable).parent))


def run(*args: str, cache_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    assert COMMAND is not None, "the medcodes console script is not installed in this venv"
    unset = ("MEDCODES_MIRROR", "MEDCODES_TODAY")
    environ = {k: v for k, v in os.environ.items() if k not in unset}
    environ.update(MEDCODES_CACHE=str(cache_dir), **env)
    return subprocess.run(
        [COMMAND, *args], capture_output=True, text=True, env=environ, timeout=300
    )


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_fetch_downloads_into_the_cache_then_a_second_call_makes_no_request(
    server: FileServer, tmp_path: Path
) -> None:
    out = run("fetch", "icd10cm", "2024", "--part", "order", "--mirror", server.url,
              cache_dir=tmp_path)
    assert (out.returncode, out.stderr) == (0, "")
    assert server.requests == [official_path("icd10cm", "2024")]
    name = "icd10cm-CodesDescriptions-2024.zip"
    assert _files(tmp_path) == [f"icd10cm/2024/{name}"]
    path = tmp_path / "icd10cm" / "2024" / name
    assert path.read_bytes() == REAL_FILES["icd10cm", "2024"].read_bytes()
    # what it prints: the release and its cache folder, then each file fetched
    lines = out.stdout.splitlines()
    assert lines[0] == f"{catalog.entry('icd10cm', '2024').label}: {path.parent}"
    assert lines[1].split() == ["order", str(path), f"({path.stat().st_size:,}", "bytes)"]
    assert len(lines) == 2  # the tabular part was not asked for
    # the second call (mirror from the environment) finds the file and asks nothing
    again = run("fetch", "icd10cm", "2024", "--part", "order", cache_dir=tmp_path,
                MEDCODES_MIRROR=server.url)
    assert (again.returncode, again.stdout, again.stderr) == (0, out.stdout, "")
    assert len(server.requests) == 1


def test_fetch_hcpcs_by_a_bare_year_into_cache_dir_and_load_it_from_there(
    server: FileServer, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    out = run("fetch", "hcpcs", "2017", "--cache-dir", str(tmp_path / "mine"),
              "--mirror", server.url, cache_dir=elsewhere)
    assert out.returncode == 0, out.stderr
    assert server.requests == [official_path("hcpcs", "2017-01")]  # 2017 is January 2017
    assert not elsewhere.exists()
    assert _files(tmp_path / "mine") == ["hcpcs/2017-01/2017-Alpha-Numeric-HCPCS-File.zip"]
    assert out.stdout.startswith("HCPCS Level II January 2017: ")
    # the loader finds it in that cache, and its codes are the official file's
    folder = cache.release_folder("hcpcs", "2017-01", cache_dir=tmp_path / "mine")
    fetched = medcodes.hcpcs.load(folder / "2017-Alpha-Numeric-HCPCS-File.zip")
    assert len(fetched) == len(medcodes.hcpcs.load(REAL_FILES["hcpcs", "2017-01"])) > 6000


def test_a_404_is_exit_status_1_with_the_url_on_stderr_and_nothing_cached(
    server: FileServer, tmp_path: Path
) -> None:
    out = run("fetch", "icd10cm", "2027", "--mirror", server.url, "--timeout", "10",
              cache_dir=tmp_path)
    assert out.returncode == 1
    assert out.stdout == ""
    url = f"{server.url}/files/zip/2027-code-descriptions-tabular-order.zip"
    assert out.stderr.startswith(f"medcodes fetch: error: {url}: the server answered 404")
    assert "nothing was cached" in out.stderr
    # where a file downloaded by hand goes
    assert str(tmp_path / "icd10cm" / "2027" / "2027-code-descriptions-tabular-order.zip") in (
        out.stderr
    )
    assert server.requests == ["/files/zip/2027-code-descriptions-tabular-order.zip"]
    assert _files(tmp_path) == []


def test_fetch_usage_errors_are_exit_status_2(tmp_path: Path) -> None:
    unknown = run("fetch", "icd10cm", "2031", cache_dir=tmp_path)
    assert unknown.returncode == 2
    assert "no ICD-10-CM release '2031' in the catalog" in unknown.stderr
    assert "2027" in unknown.stderr  # it lists the ones it has
    part = run("fetch", "icd10cm", "2024", "--part", "index", cache_dir=tmp_path)
    assert part.returncode == 2 and "has no part ['index']" in part.stderr
    nothing = run("fetch", "icd10cm", "2020-04", cache_dir=tmp_path)
    assert nothing.returncode == 2 and "nothing to fetch" in nothing.stderr
    timeout = run("fetch", "icd10cm", "2024", "--timeout", "0", cache_dir=tmp_path)
    assert timeout.returncode == 2 and "timeout must be a positive number" in timeout.stderr
    system = run("fetch", "icd9cm", "2024", cache_dir=tmp_path)
    assert system.returncode == 2 and "invalid choice: 'icd9cm'" in system.stderr
    assert _files(tmp_path) == []


def test_releases_shows_the_fetched_release_cached_and_the_one_in_force_on_a_date(
    server: FileServer, tmp_path: Path
) -> None:
    # before the fetch, `check --on` names the fetch that gives the release in force
    args = ("check", "E11.9", "--on", "2024-01-02", "--format", "json")
    before = json.loads(run(*args, cache_dir=tmp_path).stdout)[0]
    assert before["problem"] == "OUTSIDE_RELEASE"
    assert "`medcodes fetch icd10cm 2024`" in before["message"]
    fetched = run("fetch", "icd10cm", "2024", "--part", "order", "--mirror", server.url,
                  cache_dir=tmp_path)
    assert fetched.returncode == 0, fetched.stderr
    out = run("releases", "--system", "icd10cm", "--on", "2024-01-02", "--format", "csv",
              cache_dir=tmp_path)
    assert (out.returncode, out.stderr) == (0, "")
    rows = {r["release"]: r for r in csv.DictReader(io.StringIO(out.stdout))}
    assert list(rows) == [e.release for e in catalog.CATALOG if e.system == "icd10cm"]
    assert {r["system"] for r in rows.values()} == {"icd10cm"}
    assert [k for k, r in rows.items() if r["cached"]] == ["2024"]
    assert rows["2024"]["cached"] == "order"  # the tabular part was not fetched
    # the October 2023 release is in force on 2024-01-02, its April update is not yet
    assert [k for k, r in rows.items() if r["in_force"] == "True"] == ["2024"]
    assert [k for k, r in rows.items() if r["bundled"] == "True"] == list(cache.BUNDLED["icd10cm"])
    assert {r["in_force"] for r in rows.values()} == {"True", "False"}
    # `check --on` and `--release 2024` use the cached release
    after = run(*args, cache_dir=tmp_path)
    assert (after.returncode, json.loads(after.stdout)[0]["problem"]) == (0, None)
    shown = run("show", "E11.9", "--release", "2024", cache_dir=tmp_path)
    assert shown.returncode == 0 and "ICD-10-CM FY2024" in shown.stdout
    for key, r in rows.items():
        e = catalog.entry("icd10cm", key)
        assert r["catalog"] == ("verified" if e.verified else "unsure")
        assert (r["effective"], r["until"]) == (e.effective.isoformat(), e.until.isoformat())
        assert (r["label"], r["note"]) == (e.label, e.note)
    assert rows["2027"]["catalog"] == "unsure"
    # JSON: the same as the library's own overview
    js = run("releases", "--on", "2024-01-02", "--format", "json", cache_dir=tmp_path)
    want = medcodes.releases(on=dt.date(2024, 1, 2), cache_dir=tmp_path)
    got = json.loads(js.stdout)
    assert [(r["system"], r["release"], r["bundled"], r["cached"], r["in_force"],
             r["verified"]) for r in got] == [
        (w.system, w.release, w.bundled, list(w.cached), w.in_force, w.verified) for w in want
    ]
    assert sum(r["in_force"] for r in got) == 2  # one ICD-10-CM, one HCPCS (January 2024)


def test_releases_table_is_in_force_today_or_on_the_day_given(tmp_path: Path) -> None:
    # "today" is MEDCODES_TODAY when set (what the library's today() reads)
    out = run("releases", "--system", "hcpcs", cache_dir=tmp_path, MEDCODES_TODAY="2025-02-01")
    assert (out.returncode, out.stderr) == (0, "")
    lines = out.stdout.splitlines()
    header = lines[0].split()
    assert header == ["system", "release", "effective", "until", "bundled", "cached",
                      "in_force", "catalog"]
    body = [dict(zip(header, line.split(), strict=True)) for line in lines[1:] if
            line.startswith("hcpcs ")]
    assert len(body) == len([e for e in catalog.CATALOG if e.system == "hcpcs"])
    assert [r["release"] for r in body if r["in_force"] == "yes"] == ["2025-01"]
    assert [r["release"] for r in body if r["bundled"] == "yes"] == ["2025-01"]
    assert "in force: on 2025-02-01" in lines
    assert f"cache: {tmp_path}" in lines
    on = run("releases", "--system", "hcpcs", "--on", "2026-12-02", cache_dir=tmp_path)
    now = [line.split()[1] for line in on.stdout.splitlines()[1:]
           if line.startswith("hcpcs ") and line.split()[6] == "yes"]
    assert now == ["2026-10"]
    bad = run("releases", "--on", "2026-13-01", cache_dir=tmp_path)
    assert bad.returncode == 2 and "--on '2026-13-01': expected a date" in bad.stderr


def test_help_lists_fetch_and_releases_and_says_the_exit_status() -> None:
    assert COMMAND is not None
    top = subprocess.run([COMMAND, "--help"], capture_output=True, text=True).stdout
    for command in ("fetch", "releases"):
        assert f"\n    {command} " in top
        assert f"  medcodes {command} " in top  # an example of each
    fetch = subprocess.run([COMMAND, "fetch", "--help"], capture_output=True, text=True).stdout
    assert "1  a download failed" in fetch
    for option in ("--cache-dir", "--part", "--mirror", "--timeout"):
        assert option in fetch
    rel = subprocess.run([COMMAND, "releases", "--help"], capture_output=True, text=True).stdout
    for option in ("--system", "--on", "--cache-dir", "--format"):
        assert option in rel


def test_fetch_of_another_years_file_under_a_quarters_name_fails_and_caches_nothing(
    server: FileServer, tmp_path: Path
) -> None:
    # The 2017 zip served where January 2026's belongs (a quarter of unknown size).
    server.files["/files/zip/january-2026-alpha-numeric-hcpcs-file.zip"] = REAL_FILES[
        "hcpcs", "2017-01"
    ].read_bytes()
    out = run("fetch", "hcpcs", "2026-01", "--mirror", server.url, cache_dir=tmp_path)
    assert out.returncode == 1
    assert "HCPC17_CONTR_ANWEB.txt says year 2017, not the 2026" in out.stderr
    assert _files(tmp_path) == []
    listed = run("releases", "--system", "hcpcs", "--format", "json", cache_dir=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert not any(row["cached"] for row in json.loads(listed.stdout))
