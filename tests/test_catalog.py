"""The catalog of official releases, checked against CDC's own FTP listings and
the official files kept in the repository; what is in force on a date."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

import medcodes
from medcodes import catalog
from medcodes.cache import BUNDLED
from medcodes.errors import UsageError

DATA = Path(__file__).parent / "data"
LISTINGS = DATA / "cdc-ftp-listings"
BUNDLED_DIR = Path(medcodes.__file__).parent / "_bundled"

_ROW = re.compile(
    r"(\d{1,2}/\d{1,2}/\d{4})\s+\d{1,2}:\d\d [AP]M\s+(\d+) <A HREF=\"([^\"]+)\">"
)


def _listings() -> dict[str, tuple[int, dt.date]]:
    """Every file of CDC's listings: its path -> (size, date)."""
    files: dict[str, tuple[int, dt.date]] = {}
    for page in sorted(LISTINGS.glob("*.html")):
        for date, size, href in _ROW.findall(page.read_text()):
            month, day, year = (int(x) for x in date.split("/"))
            files[unquote(href)] = (int(size), dt.date(year, month, day))
    return files


def test_every_cdc_file_of_the_catalog_is_on_cdcs_listing_with_its_size_and_date() -> None:
    listed = _listings()
    assert len(listed) > 150  # the pages were read
    checked = 0
    for e in catalog.CATALOG:
        for f in e.files:
            parts = urlsplit(f.url)
            if parts.hostname != "ftp.cdc.gov":
                continue
            path = unquote(parts.path)
            assert path in listed, f"{e.release}: {f.name} is not on CDC's listing"
            assert path.endswith("/" + f.name)
            assert (f.size, f.published) == listed[path], f"{e.release}: {f.name}"
            checked += 1
    assert checked >= 30


def test_a_verified_file_has_a_size_and_every_unsure_entry_says_why() -> None:
    for e in catalog.CATALOG:
        if e.verified:
            assert all(f.size for f in e.files), e.release
        else:
            assert e.note, e.release
        for f in e.files:
            assert f.url.startswith("https://") and f.part in ("order", "tabular", "anweb")
            assert f.sha256 is None or re.fullmatch(r"[0-9a-f]{64}", f.sha256)


@pytest.mark.parametrize(
    ("path", "system", "release"),
    [
        (DATA / "icd10cm-CodesDescriptions-2024.zip", "icd10cm", "2024"),
        (DATA / "hcpcs" / "2017-Alpha-Numeric-HCPCS-File.zip", "hcpcs", "2017-01"),
        (BUNDLED_DIR / "2025-code-descriptions-tabular-order.zip", "icd10cm", "2025"),
        (BUNDLED_DIR / "icd10cm-Code-Descriptions-2026.zip", "icd10cm", "2026"),
    ],
)
def test_the_catalogs_checksums_are_those_of_the_official_files_we_hold(
    path: Path, system: str, release: str
) -> None:
    data = path.read_bytes()
    (f,) = [f for f in catalog.entry(system, release).files if f.size == len(data)]
    assert f.sha256 == hashlib.sha256(data).hexdigest()


def test_every_fiscal_year_and_quarter_is_there_and_periods_follow_each_other() -> None:
    icd = [e for e in catalog.CATALOG if e.system == "icd10cm"]
    hcpcs = [e for e in catalog.CATALOG if e.system == "hcpcs"]
    assert {e.fiscal_year for e in icd} == set(range(2016, 2029))
    assert {e.release for e in icd if e.effective.month == 10} == {
        str(y) for y in range(2016, 2029)
    }
    assert [e.release for e in icd if e.effective.month == 4] == [
        "2020-04", "2022-04", "2023-04", "2024-04", "2025-04", "2026-04"
    ]
    # Annual files to 2020 (CMS's 2020 README), quarterly files from 2021.
    assert [e.release for e in hcpcs] == [f"{y}-01" for y in range(2017, 2021)] + [
        f"{y}-{m:02d}" for y in range(2021, 2028) for m in (1, 4, 7, 10)
    ]
    for entries in (icd, hcpcs):
        for a, b in itertools.pairwise(entries):
            assert a.until + dt.timedelta(days=1) == b.effective, (a.release, b.release)


def test_the_catalog_knows_which_releases_are_bundled() -> None:
    assert set(BUNDLED["icd10cm"]) == {
        f"{y}-04" for y in medcodes.icd10cm.loader.BUNDLED
    }
    assert BUNDLED["hcpcs"] == ("2025-01",)
    assert medcodes.hcpcs.loader.BUNDLED.startswith("HCPC2025_JAN")


def test_the_release_in_force_on_a_date() -> None:
    def force(system: str, day: dt.date) -> str | None:
        e = catalog.in_force(system, day)
        return None if e is None else e.release

    assert force("icd10cm", dt.date(2026, 12, 2)) == "2027"
    assert force("icd10cm", dt.date(2026, 9, 30)) == "2026-04"
    assert force("icd10cm", dt.date(2026, 3, 31)) == "2026"
    assert force("icd10cm", dt.date(2021, 1, 1)) == "2021-01"
    assert force("icd10cm", dt.date(2015, 9, 30)) is None
    assert force("icd10cm", dt.date(2027, 10, 1)) == "2028"  # unsure, by CMS's pattern
    assert force("icd10cm", dt.date(2028, 10, 1)) is None
    assert force("hcpcs", dt.date(2026, 12, 2)) == "2026-10"
    # The catalog reaches a year past its writing: today's release is known.
    assert force("hcpcs", dt.date(2027, 1, 1)) == "2027-01"
    assert force("hcpcs", dt.date(2027, 12, 31)) == "2027-10"
    assert force("hcpcs", dt.date(2028, 1, 1)) is None
    # An annual file stays in force all year (no guessed quarters cut it short).
    assert force("hcpcs", dt.date(2019, 5, 1)) == "2019-01"
    assert force("hcpcs", dt.date(2020, 12, 31)) == "2020-01"
    assert catalog.entry("hcpcs", "2019-01").until == dt.date(2019, 12, 31)
    with pytest.raises(UsageError, match="no HCPCS Level II release '2020-04'"):
        catalog.entry("hcpcs", "2020-04")
    for release in ("2028", "2027-01", "2027-10"):
        system = "icd10cm" if len(release) == 4 else "hcpcs"
        e = catalog.entry(system, release)
        assert not e.verified and "not published yet" in e.note
        assert all(f.size is None and f.sha256 is None for f in e.files)


def test_release_in_force_for_loaded_releases_of_both_systems() -> None:
    cm = medcodes.icd10cm.load(fiscal_year=2026)
    assert cm.release.in_force(dt.date(2026, 4, 1))
    assert cm.release.in_force(dt.datetime(2026, 9, 30, 23, 59))
    assert not cm.release.in_force(dt.date(2026, 10, 1))  # FY2027
    assert not cm.release.in_force(dt.date(2026, 3, 31))
    october = medcodes.icd10cm.Release("ICD-10-CM", 2026, dt.date(2025, 10, 1))
    assert october.in_force(dt.date(2026, 3, 31))
    assert not october.in_force(dt.date(2026, 4, 1))  # replaced by the April update
    fy2019 = medcodes.icd10cm.Release("ICD-10-CM", 2019, dt.date(2018, 10, 1))
    assert fy2019.in_force(dt.date(2019, 9, 30))  # no April update that year
    hc = medcodes.hcpcs.load(year=2025)
    assert hc.release.in_force(dt.date(2025, 3, 31))
    assert not hc.release.in_force(dt.date(2025, 4, 1))
    assert not hc.release.in_force(dt.date(2024, 12, 31))
    with pytest.raises(UsageError):
        hc.release.in_force("2025-02-01")  # type: ignore[arg-type]
    # An annual file (to 2020) is in force all year, as the catalog says.
    jan2019 = medcodes.hcpcs.load(DATA / "hcpcs" / "2019-HCPC2019_CONTR_ANWEB.txt.xz")
    assert jan2019.release.in_force(dt.date(2019, 5, 1))
    assert jan2019.release.in_force(dt.date(2019, 12, 31))
    assert not jan2019.release.in_force(dt.date(2020, 1, 1))


def test_a_release_not_in_the_catalog_is_a_clear_usage_error() -> None:
    with pytest.raises(UsageError, match=r"no ICD-10-CM release '2031'.*2016 to 2028"):
        catalog.entry("icd10cm", 2031)
    with pytest.raises(UsageError, match="system must be one of icd10cm, hcpcs"):
        catalog.entry("cpt", "2025")
    with pytest.raises(UsageError, match="release must be a name"):
        catalog.entry("hcpcs", 2025.0)  # type: ignore[arg-type]
    assert catalog.entry("hcpcs", 2025).release == "2025-01"
    with pytest.raises(TypeError):
        catalog.SYSTEMS["cpt"] = "CPT"  # type: ignore[index]


def test_releases_lists_bundled_cached_and_in_force(tmp_path: Path) -> None:
    rows = medcodes.releases(cache_dir=tmp_path, on=dt.date(2026, 12, 2))
    assert len(rows) == len(catalog.CATALOG)
    now = [(r.system, r.release) for r in rows if r.in_force]
    assert now == [("icd10cm", "2027"), ("hcpcs", "2026-10")]
    assert {(r.system, r.release) for r in rows if r.bundled} == {
        ("icd10cm", "2025-04"), ("icd10cm", "2026-04"), ("hcpcs", "2025-01")
    }
    assert not any(r.cached for r in rows)
    (tmp_path / "hcpcs" / "2017-01").mkdir(parents=True)
    zip2017 = DATA / "hcpcs" / "2017-Alpha-Numeric-HCPCS-File.zip"
    (tmp_path / "hcpcs" / "2017-01" / zip2017.name).write_bytes(zip2017.read_bytes())
    rows = medcodes.releases("hcpcs", cache_dir=tmp_path, on=dt.date(2017, 2, 1))
    assert [(r.release, r.cached, r.in_force) for r in rows if r.cached or r.in_force] == [
        ("2017-01", ("anweb",), True)
    ]
