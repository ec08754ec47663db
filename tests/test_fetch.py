"""Fetching official releases from a real HTTP server on 127.0.0.1 that serves
the real files under their official paths; the cache; the staleness warning."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import stat
import subprocess
import sys
import time
import warnings
import zipfile
from pathlib import Path

import pytest

import medcodes
from medcodes import catalog
from medcodes.errors import (
    FetchError,
    MismatchError,
    SourceError,
    StaleReleaseWarning,
    UsageError,
)

from .helpers import REAL_FILES, FileServer, official_path


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.is_file())


def _renamed_anweb(member: str) -> bytes:
    """A zip holding the real 2017 ANWEB data file under the name ``member``
    (stands in for a CMS quarterly file the repository does not hold)."""
    with zipfile.ZipFile(REAL_FILES["hcpcs", "2017-01"]) as zf:
        data = zf.read("HCPC17_CONTR_ANWEB.txt")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(member, data)
    return out.getvalue()


def test_fetch_downloads_checks_and_loads_from_the_cache_then_hits_it_without_a_request(
    server: FileServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = medcodes.fetch(
        "icd10cm", "2024", parts=("order",), cache_dir=tmp_path, mirror=server.url
    )
    assert folder == tmp_path / "icd10cm" / "2024"
    assert server.requests == ["/pub/Health_Statistics/NCHS/Publications/ICD10CM/2024/"
                               "icd10cm-CodesDescriptions-2024.zip"]
    assert _files(tmp_path) == ["icd10cm-CodesDescriptions-2024.zip"]
    got = (folder / "icd10cm-CodesDescriptions-2024.zip").read_bytes()
    assert got == REAL_FILES["icd10cm", "2024"].read_bytes()
    # A second fetch finds the file in the cache, checks it and makes no request.
    medcodes.fetch("icd10cm", 2024, parts=("order",), cache_dir=tmp_path, mirror=server.url)
    assert len(server.requests) == 1
    # The loader finds it there (and never downloads).
    monkeypatch.setenv("MEDCODES_CACHE", str(tmp_path))
    cm = medcodes.icd10cm.load(fiscal_year=2024)
    assert cm.release.label == "ICD-10-CM FY2024 (effective 2023-10-01)"
    assert len(cm.billable_codes()) == 74044  # the official FY2024 count
    assert cm.release.sources[0].path.startswith(str(folder))
    assert len(server.requests) == 1


def test_the_mirror_comes_from_the_environment_and_hcpcs_loads_from_the_cache(
    server: FileServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEDCODES_MIRROR", server.url)
    monkeypatch.setenv("MEDCODES_CACHE", str(tmp_path))
    medcodes.fetch("hcpcs", "2017-01")
    assert server.requests == [
        "/Medicare/Coding/HCPCSReleaseCodeSets/Downloads/2017-Alpha-Numeric-HCPCS-File.zip"
    ]
    hc = medcodes.hcpcs.load(year=2017)
    direct = medcodes.hcpcs.load(REAL_FILES["hcpcs", "2017-01"])
    assert hc.release.label == "HCPCS Level II January 2017"
    assert len(hc) == len(direct) > 6000
    assert hc.release.sources[0].sha256 == direct.release.sources[0].sha256


def test_a_file_put_in_the_cache_by_hand_is_used_and_a_wrong_one_replaced(
    server: FileServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEDCODES_CACHE", str(tmp_path))
    folder = medcodes.cache.release_folder("icd10cm", "2024")
    folder.mkdir(parents=True)
    official = REAL_FILES["icd10cm", "2024"].read_bytes()
    name = "icd10cm-CodesDescriptions-2024.zip"
    (folder / name).write_bytes(official[:1000])  # a download cut short, by hand
    with pytest.raises(SourceError, match=r"is not in the cache; .*2024\.zip has 1,000 bytes, "
                       r"not the official 2,470,341; fetch it with medcodes\.fetch"):
        medcodes.icd10cm.load(fiscal_year=2024)
    medcodes.fetch("icd10cm", "2024", parts=("order",), mirror=server.url)
    assert len(server.requests) == 1
    assert (folder / name).read_bytes() == official
    # The release in force on a day of FY2024 before its April update: the October one.
    cm = medcodes.icd10cm.load(fiscal_year=2024, effective=dt.date(2024, 1, 2))
    assert cm.release.effective == dt.date(2023, 10, 1)
    # A good file put there by hand is a cache hit: no request.
    other = medcodes.cache.release_folder("icd10cm", "2025")
    other.mkdir(parents=True)
    zip2025 = REAL_FILES["icd10cm", "2025"]
    (other / zip2025.name).write_bytes(zip2025.read_bytes())
    medcodes.fetch("icd10cm", "2025", parts=("order",), mirror=server.url)
    assert len(server.requests) == 1


def test_a_checksum_mismatch_is_an_error_and_nothing_is_cached(
    server: FileServer, tmp_path: Path
) -> None:
    path = official_path("icd10cm", "2024")
    data = bytearray(server.files[path])
    data[5000] ^= 0xFF  # same size, one byte changed
    server.files[path] = bytes(data)
    with pytest.raises(FetchError, match="SHA-256") as info:
        medcodes.fetch("icd10cm", "2024", parts=("order",), cache_dir=tmp_path,
                       mirror=server.url)
    assert info.value.url == server.url + path.replace(" ", "%20")
    assert str(tmp_path / "icd10cm" / "2024") in str(info.value)  # where a manual file goes
    assert _files(tmp_path) == []


def test_a_connection_cut_mid_file_is_an_error_and_nothing_is_cached(
    server: FileServer, tmp_path: Path
) -> None:
    server.mode = "cut"
    with pytest.raises(FetchError, match=r"icd10cm-CodesDescriptions-2024\.zip"):
        medcodes.fetch("icd10cm", "2024", parts=("order",), cache_dir=tmp_path,
                       mirror=server.url)
    assert _files(tmp_path) == []


def test_a_404_names_the_url(server: FileServer, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="404") as info:
        medcodes.fetch("hcpcs", "2026-10", cache_dir=tmp_path, mirror=server.url)
    assert info.value.url == server.url + "/files/zip/october-2026-alpha-numeric-hcpcs-file.zip"
    assert info.value.url in str(info.value)
    assert "also tried " + server.url + "/files/zip/october-2026-alpha-numeric-hcpcs-files.zip" in (
        str(info.value)
    )
    assert type(info.value) is FetchError and len(server.requests) == 2
    assert "https://www.cms.gov/files/zip/october-2026-alpha-numeric-hcpcs-file.zip" in str(
        info.value
    )
    assert _files(tmp_path) == []


def test_a_file_of_unknown_size_must_be_a_zip_holding_the_data_file(
    server: FileServer, tmp_path: Path
) -> None:
    path = "/files/zip/april-2023-alpha-numeric-hcpcs-file.zip"  # no size in the catalog
    assert catalog.entry("hcpcs", "2023-04").files[0].size is None
    server.files[path] = b"<html>Page moved</html>"
    with pytest.raises(FetchError, match="not a zip file"):
        medcodes.fetch("hcpcs", "2023-04", cache_dir=tmp_path, mirror=server.url)
    server.files[path] = REAL_FILES["icd10cm", "2024"].read_bytes()  # a zip, but not HCPCS
    with pytest.raises(FetchError, match="without an HCPCS ANWEB data file"):
        medcodes.fetch("hcpcs", "2023-04", cache_dir=tmp_path, mirror=server.url)
    assert _files(tmp_path) == []
    server.files[path] = _renamed_anweb("HCPC2023_APR_ANWEB.txt")  # stands in for CMS's file
    folder = medcodes.fetch("hcpcs", "2023-04", cache_dir=tmp_path, mirror=server.url)
    assert _files(folder) == ["april-2023-alpha-numeric-hcpcs-file.zip"]
    assert medcodes.cache._ANWEB.pattern == medcodes.hcpcs.loader.ANWEB_NAME.pattern


def test_the_plural_name_cms_used_some_quarters_is_tried_after_a_404(
    server: FileServer, tmp_path: Path
) -> None:
    server.files["/files/zip/april-2024-alpha-numeric-hcpcs-files.zip"] = _renamed_anweb(
        "HCPC2024_APR_ANWEB_v2.txt"
    )  # stands in for CMS's file
    folder = medcodes.fetch("hcpcs", "2024-04", cache_dir=tmp_path, mirror=server.url)
    assert server.requests == [
        "/files/zip/april-2024-alpha-numeric-hcpcs-file.zip",
        "/files/zip/april-2024-alpha-numeric-hcpcs-files.zip",
    ]
    assert _files(folder) == ["april-2024-alpha-numeric-hcpcs-file.zip"]  # the catalog's name


def test_a_stalling_server_times_out_and_nothing_is_cached(
    server: FileServer, tmp_path: Path
) -> None:
    server.mode = "stall"
    with pytest.raises(FetchError, match="timed out"):
        medcodes.fetch("hcpcs", "2017-01", cache_dir=tmp_path, mirror=server.url, timeout=0.3)
    assert _files(tmp_path) == []


def test_offline_is_a_clear_error(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:  # a port on 127.0.0.1 where nobody listens
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError, match="download failed") as info:
        medcodes.fetch("hcpcs", "2017-01", cache_dir=tmp_path, mirror=f"http://127.0.0.1:{port}")
    assert "put it at" in str(info.value)
    assert isinstance(info.value, OSError)


def test_two_processes_fetching_at_once_end_with_one_good_file(
    server: FileServer, tmp_path: Path
) -> None:
    server.mode = "slow"  # about half a second per download, so the two overlap
    code = (
        "import medcodes, sys; medcodes.fetch('icd10cm', '2024', parts=('order',), "
        "cache_dir=sys.argv[1], mirror=sys.argv[2])"
    )
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(tmp_path), server.url], env=env)
        for _ in range(2)
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    assert _files(tmp_path) == ["icd10cm-CodesDescriptions-2024.zip"]
    got = (tmp_path / "icd10cm" / "2024" / "icd10cm-CodesDescriptions-2024.zip").read_bytes()
    assert hashlib.sha256(got).hexdigest() == catalog.entry("icd10cm", "2024").files[0].sha256
    assert 1 <= len(server.requests) <= 2


def test_progress_bar_only_when_asked_or_on_a_terminal(
    server: FileServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    medcodes.fetch("hcpcs", "2017-01", cache_dir=tmp_path, mirror=server.url)
    assert capsys.readouterr().err == ""  # stderr is not a terminal here
    medcodes.fetch("icd10cm", "2024", parts=("order",), cache_dir=tmp_path,
                   mirror=server.url, progress=True)
    err = capsys.readouterr().err
    assert "icd10cm-CodesDescriptions-2024.zip [" in err and "2.5/2.5 MB" in err


def test_bad_arguments_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="has no part"):
        medcodes.fetch("icd10cm", "2024", parts=("index",), cache_dir=tmp_path)
    with pytest.raises(UsageError, match="nothing to fetch"):
        medcodes.fetch("icd10cm", "2020-04", cache_dir=tmp_path)
    with pytest.raises(UsageError, match="mirror"):
        medcodes.fetch("hcpcs", "2017-01", cache_dir=tmp_path, mirror="ftp://127.0.0.1")
    with pytest.raises(UsageError, match="timeout"):
        medcodes.fetch("hcpcs", "2017-01", cache_dir=tmp_path, timeout=0)
    assert _files(tmp_path) == []


def test_the_cache_folder_by_platform(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("MEDCODES_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(sys, "platform", "linux")
    assert medcodes.cache_dir() == tmp_path / "medcodes"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/not/allowed")
    assert medcodes.cache_dir() == Path.home() / ".cache" / "medcodes"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert medcodes.cache_dir() == Path.home() / "Library" / "Caches" / "medcodes"
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path))
    assert medcodes.cache_dir() == tmp_path / "medcodes" / "Cache"
    monkeypatch.setenv("MEDCODES_CACHE", str(tmp_path / "mine"))
    assert medcodes.cache_dir() == tmp_path / "mine"


def test_missing_releases_say_how_to_fetch_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEDCODES_CACHE", str(tmp_path))
    with pytest.raises(SourceError, match=r"medcodes fetch icd10cm 2027`") as info:
        medcodes.icd10cm.load(fiscal_year=2027)
    assert "https://www.cms.gov/files/zip/2027-code-tables-tabular-index.zip" in str(info.value)
    assert str(tmp_path / "icd10cm" / "2027") in str(info.value)
    with pytest.raises(SourceError, match=r"medcodes\.fetch\('hcpcs', '2026-10'\)"):
        medcodes.hcpcs.load(year=2026, month=10)
    with pytest.raises(SourceError, match="the catalog knows FY2016 to FY2028"):
        medcodes.icd10cm.load(fiscal_year=2031)
    with pytest.raises(SourceError, match="none in the catalog"):
        medcodes.hcpcs.load(year=2026, month=2)
    assert _files(tmp_path) == []


def test_release_history_from_the_cache(server: FileServer, tmp_path: Path) -> None:
    medcodes.fetch("icd10cm", "2024", parts=("order",), cache_dir=tmp_path, mirror=server.url)
    history = medcodes.icd10cm.ReleaseHistory.from_cache(cache_dir=tmp_path)
    assert [cs.release.effective for cs in history] == [
        dt.date(2023, 10, 1), dt.date(2025, 4, 1), dt.date(2026, 4, 1)
    ]
    assert history.release_for(dt.date(2024, 1, 5)) is history.releases[0]
    assert history.is_valid("E11.9", on=dt.date(2024, 1, 5))
    only = medcodes.icd10cm.ReleaseHistory.from_cache(cache_dir=tmp_path, bundled=False)
    assert [cs.release.fiscal_year for cs in only] == [2024]


# The staleness warning ---------------------------------------------------------


@pytest.fixture
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if no warning had been said yet in this process."""
    monkeypatch.setattr(catalog, "_WARNED", set())


def _stale(fn: object) -> list[str]:
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        fn()  # type: ignore[operator]
    return [str(w.message) for w in seen if issubclass(w.category, StaleReleaseWarning)]


@pytest.mark.usefixtures("fresh_process")
def test_the_stale_bundled_default_warns_once_naming_the_release_in_force(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MEDCODES_TODAY", "2026-12-02")
    (icd,) = _stale(medcodes.icd10cm.load)
    assert "ICD-10-CM FY2026 (effective 2026-04-01) is out of date since 2026-10-01" in icd
    assert "ICD-10-CM FY2027 (effective 2026-10-01) is in force on 2026-12-02" in icd
    assert "medcodes.fetch('icd10cm', '2027')" in icd and "`medcodes fetch icd10cm 2027`" in icd
    assert _stale(medcodes.icd10cm.load) == []  # once per process
    (hc,) = _stale(medcodes.hcpcs.load)
    assert "HCPCS Level II October 2026 is in force" in hc and "'hcpcs', '2026-10'" in hc
    assert _stale(medcodes.hcpcs.load) == []


@pytest.mark.usefixtures("fresh_process")
def test_no_warning_while_the_bundled_default_is_in_force_or_when_a_year_is_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MEDCODES_TODAY", "2026-09-30")
    assert _stale(medcodes.icd10cm.load) == []
    monkeypatch.setenv("MEDCODES_TODAY", "2025-03-31")
    assert _stale(medcodes.hcpcs.load) == []
    monkeypatch.setenv("MEDCODES_TODAY", "2026-12-02")
    assert _stale(lambda: medcodes.icd10cm.load(fiscal_year=2026)) == []
    assert _stale(lambda: medcodes.hcpcs.load(year=2025)) == []
    monkeypatch.setenv("MEDCODES_TODAY", "2031-01-01")  # beyond what the catalog knows
    (msg,) = _stale(medcodes.icd10cm.load)
    assert "knows no release in force on 2031-01-01: update medcodes" in msg
    # A typo in MEDCODES_TODAY is said, and the real date used: loads still work.
    monkeypatch.setenv("MEDCODES_TODAY", "yesterday")
    with pytest.warns(medcodes.MedcodesWarning, match="MEDCODES_TODAY must be a date"):
        assert catalog.today() == dt.date.today()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert medcodes.hcpcs.load().release.year == 2025


def test_the_warning_is_a_medcodes_warning_that_filters_silence(tmp_path: Path) -> None:
    code = (
        "import warnings, medcodes\n"
        "warnings.simplefilter('ignore', medcodes.StaleReleaseWarning)\n"
        "medcodes.icd10cm.load()\n"
    )
    env = {**os.environ, "MEDCODES_TODAY": "2026-12-02", "PYTHONWARNINGS": "error"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    loud = subprocess.run(
        [sys.executable, "-W", "error::medcodes.MedcodesWarning", "-c",
         "import medcodes; medcodes.icd10cm.load()"],
        env=env, capture_output=True, text=True,
    )
    assert loud.returncode == 1 and "StaleReleaseWarning" in loud.stderr


# What a review found (issue 14) ---------------------------------------------------


@pytest.mark.parametrize(
    ("release", "member", "said"),
    [
        ("2026-01", "HCPC17_CONTR_ANWEB.txt", "says year 2017, not the 2026"),  # the 2017 file
        ("2025-10", "HCPC2025_JAN_ANWEB_12172024.txt", "says month 1, not the 10"),
    ],
)
def test_a_file_of_unknown_size_naming_another_release_is_refused_and_not_cached(
    server: FileServer, tmp_path: Path, release: str, member: str, said: str
) -> None:
    f = catalog.entry("hcpcs", release).files[0]
    assert f.size is None
    server.files[official_path("hcpcs", release)] = _renamed_anweb(member)
    with pytest.raises(FetchError, match=said + r".*nothing was cached"):
        medcodes.fetch("hcpcs", release, cache_dir=tmp_path, mirror=server.url)
    assert _files(tmp_path) == []
    rows = medcodes.releases("hcpcs", cache_dir=tmp_path)
    assert not any(r.cached for r in rows)


def test_a_wrong_file_put_in_the_cache_by_hand_says_delete_and_fetch_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEDCODES_CACHE", str(tmp_path))
    folder = medcodes.cache.release_folder("hcpcs", "2026-01")
    folder.mkdir(parents=True)
    path = folder / "january-2026-alpha-numeric-hcpcs-file.zip"
    path.write_bytes(REAL_FILES["hcpcs", "2017-01"].read_bytes())  # the 2017 zip, renamed
    with pytest.raises(MismatchError, match="year=2026 but the file name says 2017") as info:
        medcodes.hcpcs.load(year=2026)
    assert f"delete {path} and fetch it again" in str(info.value)


def test_a_wrong_file_in_the_cache_is_named_with_what_is_wrong(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEDCODES_CACHE", str(tmp_path))
    folder = medcodes.cache.release_folder("icd10cm", "2024")
    folder.mkdir(parents=True)
    # The April 2024 zip (2.5 MB, not in the repository: only its size matters
    # here) put where FY2024's belongs, under FY2024's name.
    april = tmp_path / "icd10cm-Codes-Descriptions-April-2024.zip"
    april.write_bytes(bytes(catalog.entry("icd10cm", "2024-04").files[0].size or 0))
    assert april.stat().st_size == 2559055
    (folder / "icd10cm-CodesDescriptions-2024.zip").write_bytes(april.read_bytes())
    with pytest.raises(SourceError) as info:
        medcodes.icd10cm.load(fiscal_year=2024)  # the April update is asked first
    text = str(info.value)
    assert "icd10cm-CodesDescriptions-2024.zip has 2,559,055 bytes, not the official " in text
    assert "2,470,341 (the size of icd10cm-Codes-Descriptions-April-2024.zip)" in text
    with pytest.raises(SourceError, match="has 2,559,055 bytes"):
        medcodes.icd10cm.load(effective=dt.date(2023, 12, 1))
    # The same file under its own official name, in the wrong folder: named.
    (folder / "icd10cm-CodesDescriptions-2024.zip").unlink()
    (folder / april.name).write_bytes(april.read_bytes())
    with pytest.raises(SourceError) as info:
        medcodes.icd10cm.load(fiscal_year=2024)
    assert f"{folder / april.name} is a file of ICD-10-CM FY2024 (effective 2024-04-01)" in str(
        info.value
    )
    assert str(tmp_path / "icd10cm" / "2024-04") in str(info.value)  # where it belongs
    (folder / "renamed.zip").write_bytes(b"x")
    with pytest.raises(SourceError, match=r"renamed\.zip is not an official file name"):
        medcodes.icd10cm.load(fiscal_year=2024)
    # HCPCS: the 2017 zip under 2018's name.
    folder = medcodes.cache.release_folder("hcpcs", "2018-01")
    folder.mkdir(parents=True)
    (folder / "2018-Alpha-Numeric-HCPCS-File.zip").write_bytes(
        REAL_FILES["hcpcs", "2017-01"].read_bytes()
    )
    with pytest.raises(SourceError, match=r"HCPCS-File\.zip has 1,074,221 bytes, not the "
                       r"official 1,155,206 \(the size of 2017-Alpha-Numeric-HCPCS-File\.zip\)"
                       r"; fetch it with"):
        medcodes.hcpcs.load(year=2018)


def test_cached_files_get_the_mode_of_new_files_and_old_part_files_are_cleaned(
    server: FileServer, tmp_path: Path
) -> None:
    old = os.umask(0o022)
    try:
        folder = medcodes.fetch("hcpcs", "2017-01", cache_dir=tmp_path, mirror=server.url)
        name = "2017-Alpha-Numeric-HCPCS-File.zip"
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o644
        os.umask(0o077)
        (folder / name).unlink()
        stale = folder / f".{name}.abc123.part"  # a killed fetch's leftover, two days old
        fresh = folder / f".{name}.def456.part"  # another process may be writing it
        for p in (stale, fresh):
            p.write_bytes(b"half")
        two_days = time.time() - 2 * 86400
        os.utime(stale, (two_days, two_days))
        medcodes.fetch("hcpcs", "2017-01", cache_dir=tmp_path, mirror=server.url)
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600
    finally:
        os.umask(old)
    assert not stale.exists() and fresh.exists()


def test_a_relative_cache_folder_is_made_absolute(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MEDCODES_CACHE", "rel/cache")
    assert medcodes.cache_dir() == tmp_path / "rel" / "cache"
    assert medcodes.cache.release_folder("icd10cm", 2027, cache_dir="mine").is_absolute()
