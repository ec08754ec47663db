"""The catalog of official releases: what CDC and CMS published, where, when.

One :class:`CatalogEntry` per release: ICD-10-CM fiscal years FY2016-FY2028
with their mid-year updates (April 1, and January 1, 2021), and the HCPCS
Level II files: annual from 2017 to 2020, then quarterly (January, April,
July, October) to October 2027. Releases not published when the catalog was
written (FY2028, the 2027 HCPCS quarters) are there with the publisher's name
pattern, unverified, so that the release in force is known a year ahead. Each
entry lists the official files a load needs, with their download URL, size and
SHA-256 where known, and says how sure the catalog is of it: ``verified`` is
true only when every file's name and size come from the publisher's own
listing (CDC's FTP folders) or from a staged copy of the file; otherwise
``note`` says what is assumed.

Release names are short strings: ``"2027"`` is the ICD-10-CM October release
of fiscal year 2027, ``"2026-04"`` the April 1, 2026 update of FY2026, and
``"2025-01"`` the HCPCS January 2025 file.

>>> from medcodes import catalog
>>> entry = catalog.entry("icd10cm", "2027")
>>> entry.label, entry.effective.isoformat(), entry.until.isoformat()
('ICD-10-CM FY2027 (effective 2026-10-01)', '2026-10-01', '2027-09-30')
>>> [f.part for f in entry.files]
['order', 'tabular']
>>> import datetime as dt
>>> catalog.in_force("icd10cm", dt.date(2026, 5, 1)).release
'2026-04'
>>> catalog.in_force("hcpcs", dt.date(2025, 2, 1)).release
'2025-01'
"""

from __future__ import annotations

import datetime as dt
import os
import types
import warnings
from collections.abc import Mapping
from urllib.parse import quote

from attrs import frozen

from ._dates import as_date
from .errors import MedcodesWarning, StaleReleaseWarning, UsageError

__all__ = [
    "CATALOG",
    "SYSTEMS",
    "CatalogEntry",
    "CatalogFile",
    "entry",
    "in_force",
    "release_name",
    "today",
]

#: The systems, by the name used everywhere (module, cache folder, command line).
SYSTEMS: Mapping[str, str] = types.MappingProxyType(
    {"icd10cm": "ICD-10-CM", "hcpcs": "HCPCS Level II"}
)


@frozen
class CatalogFile:
    """One official file of a release.

    :ivar name: the file's exact official name.
    :ivar url: its official download URL.
    :ivar part: what it gives the loader: ``"order"`` (the order file, in a
        zip or loose), ``"tabular"`` (the tabular XML, in a zip or loose) or
        ``"anweb"`` (the HCPCS zip with the fixed-width data file).
    :ivar size: its size in bytes, ``None`` when unknown.
    :ivar sha256: its SHA-256, ``None`` when unknown.
    :ivar published: the date on the publisher's listing, ``None`` when unknown.
    :ivar other_urls: other URLs the publisher may have used for it, tried in
        turn when the first answers 404 (for names the catalog is unsure of).
    """

    name: str
    url: str
    part: str
    size: int | None
    sha256: str | None
    published: dt.date | None
    other_urls: tuple[str, ...] = ()

    @property
    def all_urls(self) -> tuple[str, ...]:
        """The official URL, then the others."""
        return (self.url, *self.other_urls)


@frozen
class CatalogEntry:
    """One official release.

    :ivar system: ``"icd10cm"`` or ``"hcpcs"``.
    :ivar release: its short name (``"2027"``, ``"2026-04"``, ``"2025-01"``).
    :ivar effective: the first day it is in force.
    :ivar until: the last day it is in force as far as the catalog knows (the
        day before the next release of the catalog; for the newest one, the end
        of its fiscal year or calendar quarter).
    :ivar files: the files a load needs.
    :ivar verified: every file's name and size were checked against the
        publisher's listing or a staged copy.
    :ivar note: what the catalog is unsure of, or where its facts come from.
    """

    system: str
    release: str
    effective: dt.date
    until: dt.date
    files: tuple[CatalogFile, ...]
    verified: bool
    note: str

    @property
    def label(self) -> str:
        """A short human label, the same as the loaded release's."""
        if self.system == "icd10cm":
            fy = self.effective.year + (self.effective.month >= 10)
            return f"ICD-10-CM FY{fy} (effective {self.effective.isoformat()})"
        return f"HCPCS Level II {self.effective:%B %Y}"

    @property
    def fiscal_year(self) -> int:
        """The fiscal year (October to September) it belongs to."""
        return self.effective.year + (self.effective.month >= 10)

    def in_force(self, day: dt.date) -> bool:
        """Whether it is the release in force on ``day``."""
        return self.effective <= as_date(day, "day") <= self.until


_CDC = "https://ftp.cdc.gov/pub/Health_Statistics/NCHS/Publications/ICD10CM/"
_CMS = "https://www.cms.gov/files/zip/"
_CMS_OLD = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets/Downloads/"


def _d(text: str) -> dt.date:
    month, day, year = (int(x) for x in text.split("/"))
    return dt.date(year, month, day)


#: A file as written in the tables below: (name, url, part, size, sha256, published).
_File = tuple[str, str, str, int | None, str | None, dt.date | None]
#: A release as written in the tables below: (release, effective, verified, note, files).
_Row = tuple[str, dt.date, bool, str, tuple[_File, ...]]


def _cdc(folder: str, part: str, name: str, size: int, date: str, sha: str | None = None) -> _File:
    return (name, _CDC + folder + "/" + quote(name), part, size, sha, _d(date))


# fmt: off
#: (release, effective, verified, note, files); a file is
#: (name, url, part, size, sha256, published). Sizes and dates of CDC files are
#: CDC's own FTP listings (tests/data/cdc-ftp-listings); SHA-256s are those of
#: the copies staged and checked in this project, else of the record cited.
_ICD10CM: tuple[_Row, ...] = (
    ("2016", dt.date(2015, 10, 1), True, "member names inside the FY2016 zips not checked", (
        _cdc("2016", "order", "ICD10CM_FY2016_code_descriptions.zip", 1801485, "6/16/2015"),
        _cdc("2016", "tabular", "ICD10CM_FY2016_ Full_ XML.ZIP", 2060807, "6/16/2015"),
    )),
    ("2017", dt.date(2016, 10, 1), True, "", (
        _cdc("2017", "order", "icd10cm_order_2017.txt", 14040925, "8/18/2016"),
        _cdc("2017", "tabular", "ICD10CM_FY2017_Full_XML.zip", 2105947, "6/28/2016",
             "882d24fc3e3211dc6ff5811ecf6badae20377657aa86912f8ab69c931f9ef399"),
    )),
    ("2018", dt.date(2017, 10, 1), True, "", (
        _cdc("2018", "order", "2018-ICD-10-Code-Order-Descriptions.zip", 1862355, "6/28/2017"),
        _cdc("2018", "tabular", "ICD-10-CM-Codes-Tables-and-Index-2018.zip", 19039644,
             "6/28/2017"),
    )),
    ("2019", dt.date(2018, 10, 1), True, "", (
        _cdc("2019", "order", "icd10cm_order_2019.txt", 14118522, "6/8/2018"),
        _cdc("2019", "tabular", "icd10cm_tabular_2019.xml", 9107469, "6/8/2018"),
    )),
    ("2020", dt.date(2019, 10, 1), True, "", (
        _cdc("2020", "order", "icd10cm_order_2020.txt", 14167274, "6/20/2019"),
        _cdc("2020", "tabular", "icd10cm_tabular_2020.xml", 9145415, "6/20/2019"),
    )),
    ("2020-04", dt.date(2020, 4, 1), False,
     "the April 1, 2020 update (U07.1, COVID-19) was announced without files on CDC's FY2020 "
     "listing; nothing to fetch", ()),
    ("2021", dt.date(2020, 10, 1), True, "", (
        _cdc("2021", "order", "icd10cm_order_2021.txt", 14260752, "6/26/2020"),
        _cdc("2021", "tabular", "icd10cm_tabular_2021.xml", 9250666, "6/26/2020"),
    )),
    ("2021-01", dt.date(2021, 1, 1), True,
     "a January 1, 2021 update (files named Jan-2021 in CDC's FY2021 folder)", (
        _cdc("2021", "order", "icd10cm-codes-order-Jan-2021.zip", 2372334, "12/3/2020"),
        _cdc("2021", "tabular", "icd10cm-Full-Tab-Index Table-Jan-2021.zip", 22189522,
             "12/3/2020"),
    )),
    ("2022", dt.date(2021, 10, 1), True, "", (
        _cdc("2022", "order", "Code Descriptions zip.zip", 2245367, "6/23/2021"),
        _cdc("2022", "tabular", "Table and Index zip.zip", 22264470, "6/23/2021"),
    )),
    ("2022-04", dt.date(2022, 4, 1), True,
     "CDC replaced the loose FY2022 files with the April 1 update in December 2021", (
        _cdc("2022", "order", "icd10cm_order_2022.txt", 14282982, "12/16/2021"),
        _cdc("2022", "tabular", "icd10cm_tabular_2022.xml", 9295624, "12/16/2021"),
    )),
    ("2023", dt.date(2022, 10, 1), True, "", (
        _cdc("2023", "order", "icd10-Order-CodeFiles2023.zip", 2404202, "6/9/2022"),
        _cdc("2023", "tabular", "icd10cm-Tabular-Index-2023.zip", 21726801, "6/9/2022"),
    )),
    ("2023-04", dt.date(2023, 4, 1), True, "", (
        _cdc("April-1-2023-Update", "order", "icd10cm-code descriptions- April 1 2023.zip",
             2404305, "1/5/2023"),
        _cdc("April-1-2023-Update", "tabular", "icd10cm-table and index-April 1 2023.zip",
             22553693, "1/5/2023"),
    )),
    ("2024", dt.date(2023, 10, 1), True, "", (
        _cdc("2024", "order", "icd10cm-CodesDescriptions-2024.zip", 2470341, "7/5/2023",
             "a3f3d21bfced02ce422699dbc10b952594783b12674bd2c133e8221ba3b5c260"),
        _cdc("2024", "tabular", "icd10cm-Table and Index-2024.zip", 22705055, "7/5/2023"),
    )),
    ("2024-04", dt.date(2024, 4, 1), True, "", (
        _cdc("2024-Update", "order", "icd10cm-Codes-Descriptions-April-2024.zip", 2559055,
             "12/29/2023", "e02044ee1e6b1ac9612653607eb349fe58fc4740347cb322da973860f110a59c"),
        _cdc("2024-Update", "tabular", "icd10cm-Table and Index-April-2024.zip", 22224084,
             "12/29/2023"),
    )),
    ("2025", dt.date(2024, 10, 1), True,
     "order file from CMS's zip (the copy staged here); tabular from CDC", (
        ("2025-code-descriptions-tabular-order.zip",
         _CMS + "2025-code-descriptions-tabular-order.zip", "order", 2317827,
         "4f6c65f0034736d2b02fa9eb1128aab564fa673dd4d99363f8b2167af3994816", None),
        _cdc("2025", "tabular", "icd10cm-table-index-2025.zip", 19986667, "7/15/2024"),
    )),
    ("2025-04", dt.date(2025, 4, 1), True, "", (
        _cdc("2025-Update", "order", "Code-desciptions-April-2025.zip", 2307694, "1/23/2025"),
        _cdc("2025-Update", "tabular", "icd10cm-table-index-April-2025.zip", 19958904,
             "1/23/2025"),
    )),
    ("2026", dt.date(2025, 10, 1), True, "", (
        _cdc("2026", "order", "icd10cm-Code Descriptions-2026.zip", 2198159, "6/12/2025",
             "a852eb91b3344ae38476e63816976ee1eeb94dcced7151118324f060e8499f88"),
        _cdc("2026", "tabular", "icd10cm-table and index-2026.zip", 18744973, "6/12/2025"),
    )),
    ("2026-04", dt.date(2026, 4, 1), True,
     "the April 1, 2026 update changed no code: its order file is FY2026's (CDC's April "
     "Code Descriptions zip holds only documents)", (
        _cdc("2026", "order", "icd10cm-Code Descriptions-2026.zip", 2198159, "6/12/2025",
             "a852eb91b3344ae38476e63816976ee1eeb94dcced7151118324f060e8499f88"),
        _cdc("2026-update", "tabular", "icd10cm-April-1-2026-XML.zip", 2138331, "1/15/2026"),
    )),
    ("2027", dt.date(2026, 10, 1), False,
     "CMS's zips; sizes and SHA-256 as recorded by a project that downloaded them on "
     "2026-07-19, not checked against an official listing (CDC publishes the same release as "
     "icd10cm-code-descriptions-2027.zip, 2,192,779 bytes, and "
     "icd10cm-table-and-index-2027.zip, 20,923,571 bytes, on 2026-06-16)", (
        ("2027-code-descriptions-tabular-order.zip",
         _CMS + "2027-code-descriptions-tabular-order.zip", "order", 2208022,
         "91c6c9d1117764ce72375a0f3a5493b1725dafbc1ab283b55799076c9e194965", None),
        ("2027-code-tables-tabular-index.zip",
         _CMS + "2027-code-tables-tabular-index.zip", "tabular", 22059093,
         "37baa476323714be16f95c9b2c96812bf6f3623d9f15188866e584dc529b0298", None),
    )),
    ("2028", dt.date(2027, 10, 1), False,
     "not published yet: names from CMS's pattern for FY2025 and FY2027 (<year>-code-"
     "descriptions-tabular-order.zip, <year>-code-tables-tabular-index.zip), not checked; "
     "size and SHA-256 unknown: the download is checked to be a zip", (
        ("2028-code-descriptions-tabular-order.zip",
         _CMS + "2028-code-descriptions-tabular-order.zip", "order", None, None, None),
        ("2028-code-tables-tabular-index.zip",
         _CMS + "2028-code-tables-tabular-index.zip", "tabular", None, None, None),
    )),
)

#: HCPCS files known from staged copies: (year, month) -> (name, url, size, sha256).
_HCPCS_KNOWN: dict[tuple[int, int], tuple[str, str, int, str]] = {
    (2017, 1): ("2017-Alpha-Numeric-HCPCS-File.zip",
                _CMS_OLD + "2017-Alpha-Numeric-HCPCS-File.zip", 1074221,
                "a798d75e90ca6002e51b49a8b76c2be2a4707d02cfdf6de21d8cab351b05afe5"),
    (2018, 1): ("2018-Alpha-Numeric-HCPCS-File.zip",
                _CMS_OLD + "2018-Alpha-Numeric-HCPCS-File.zip", 1155206,
                "81ea3ce5f1d5c6d8acbe4c8895d518adb8d678f19840c4eb0a12e2294ed58414"),
    (2019, 1): ("2019-Alpha-Numeric-HCPCS-File.zip",
                _CMS_OLD + "2019-Alpha-Numeric-HCPCS-File.zip", 1943834,
                "61c0ba424005b1ffcabfcd9eba6833e8046912343e1da7c99cbfd055dde8dcb1"),
    (2020, 1): ("2020-Alpha-Numeric-HCPCS-File.zip",
                _CMS_OLD + "2020-Alpha-Numeric-HCPCS-File.zip", 1884267,
                "c7223c198ac019be842a3370defb6365eeb573da2a97e251650c25056c7b8ab3"),
    (2025, 1): ("january-2025-alpha-numeric-hcpcs-file.zip",
                _CMS + "january-2025-alpha-numeric-hcpcs-file.zip", 2408475,
                "b18148a90422eb857311484203e15cd96d69917ad8e477d74e6331a3124495ac"),
}
# fmt: on

#: The newest HCPCS quarter in the catalog.
_HCPCS_LAST = (2027, 10)
#: The last year CMS published HCPCS once a year only (the 2020 README: the file
#: is "uploaded ... on an annual basis"): no April, July or October entries up to it.
_HCPCS_ANNUAL_UNTIL = 2020
_MONTH_NAMES = {1: "january", 4: "april", 7: "july", 10: "october"}


def _hcpcs_rows() -> list[_Row]:
    rows: list[_Row] = []
    for year in range(2017, _HCPCS_LAST[0] + 1):
        for month in (1, 4, 7, 10):
            if (year, month) > _HCPCS_LAST:
                break
            if year <= _HCPCS_ANNUAL_UNTIL and month != 1:
                continue  # annual files: January's stays in force all year
            known = _HCPCS_KNOWN.get((year, month))
            if known is not None:
                name, url, size, sha = known
                note = "size and SHA-256 of the copy staged and checked in this project"
                if url.startswith(_CMS_OLD):
                    note += (
                        "; URL on CMS's older Downloads path; an annual file, in force all year"
                    )
                rows.append(
                    (
                        f"{year}-{month:02d}",
                        dt.date(year, month, 1),
                        True,
                        note,
                        ((name, url, "anweb", size, sha, None),),
                    )
                )
                continue
            name = f"{_MONTH_NAMES[month]}-{year}-alpha-numeric-hcpcs-file.zip"
            note = (
                "name from CMS's pattern for quarterly files (<month>-<year>-alpha-numeric-"
                "hcpcs-file.zip, or -files.zip as some 2023-2024 quarters), not checked; size "
                "and SHA-256 unknown: the download is checked to be a zip holding an ANWEB "
                "data file"
            )
            if (year, month) > (2026, 10):
                note += "; not published yet when this catalog was written"
            if (year, month) == (2026, 1):
                note += "; CMS re-issued the January 2026 file at least twice (12082025, "
                note += "12292025, 01122026)"
            rows.append(
                (
                    f"{year}-{month:02d}",
                    dt.date(year, month, 1),
                    False,
                    note,
                    ((name, _CMS + name, "anweb", None, None, None),),
                )
            )
    return rows


def _other_urls(f: _File) -> tuple[str, ...]:
    """CMS named some quarterly HCPCS zips of 2023-2024 "...-hcpcs-files.zip"
    (plural): for a name the catalog is unsure of, that spelling is tried too."""
    url, size = f[1], f[3]
    if size is None and url.endswith("-hcpcs-file.zip"):
        return (url.removesuffix("-file.zip") + "-files.zip",)
    return ()


def _build() -> tuple[CatalogEntry, ...]:
    entries: list[CatalogEntry] = []
    for system, rows in (("icd10cm", list(_ICD10CM)), ("hcpcs", _hcpcs_rows())):
        rows.sort(key=lambda r: r[1])
        for i, (release, effective, verified, note, files) in enumerate(rows):
            if system == "icd10cm":
                fy = effective.year + (effective.month >= 10)
                end = dt.date(fy, 9, 30)
            elif effective.year <= _HCPCS_ANNUAL_UNTIL:
                end = dt.date(effective.year, 12, 31)  # an annual file
            else:
                month = (effective.month - 1) // 3 * 3 + 4
                nxt = dt.date(effective.year + (month > 12), (month - 1) % 12 + 1, 1)
                end = nxt - dt.timedelta(days=1)
            if i + 1 < len(rows):
                end = min(end, rows[i + 1][1] - dt.timedelta(days=1))
            entries.append(
                CatalogEntry(
                    system,
                    release,
                    effective,
                    end,
                    tuple(CatalogFile(*f, other_urls=_other_urls(f)) for f in files),
                    verified,
                    note,
                )
            )
    return tuple(entries)


#: Every release in the catalog, by system, then effective date.
CATALOG: tuple[CatalogEntry, ...] = _build()


def _system(system: object) -> str:
    if not isinstance(system, str) or system.lower() not in SYSTEMS:
        raise UsageError(f"system must be one of {', '.join(SYSTEMS)}, not {system!r}")
    return system.lower()


def release_name(system: str, release: object) -> str:
    """``release`` as the catalog's short name: an ``int`` fiscal year (ICD-10-CM)
    or year (HCPCS, its January file) becomes ``"2027"`` or ``"2025-01"``."""
    system = _system(system)
    if isinstance(release, int) and not isinstance(release, bool):
        return str(release) if system == "icd10cm" else f"{release}-01"
    if isinstance(release, str) and release.strip():
        return release.strip()
    raise UsageError(
        f"release must be a name such as '2027' or '2026-04' (ICD-10-CM) or '2025-01' "
        f"(HCPCS), not {release!r}"
    )


def entry(system: str, release: str | int) -> CatalogEntry:
    """The catalog entry of one release.

    :param system: ``"icd10cm"`` or ``"hcpcs"``.
    :param release: ``"2027"`` (or ``2027``), ``"2026-04"``, ``"2025-01"`` ...
    :raises ~medcodes.errors.UsageError: the catalog has no such release (the
        message lists the ones it has).
    """
    system = _system(system)
    name = release_name(system, release)
    for e in CATALOG:
        if e.system == system and e.release == name:
            return e
    known = [e.release for e in CATALOG if e.system == system]
    raise UsageError(
        f"no {SYSTEMS[system]} release {name!r} in the catalog; it has {known[0]} to "
        f"{known[-1]}: " + ", ".join(known)
    )


def in_force(system: str, day: dt.date) -> CatalogEntry | None:
    """The release of ``system`` in force on ``day`` per the catalog, ``None``
    when the catalog knows none (before the first, or after the newest ends)."""
    system = _system(system)
    day = as_date(day, "day")
    for e in CATALOG:
        if e.system == system and e.in_force(day):
            return e
    return None


def _next_effective(system: str, effective: dt.date) -> dt.date | None:
    """The effective date of the catalog's first release after ``effective``."""
    for e in CATALOG:
        if e.system == system and e.effective > effective:
            return e.effective
    return None


def today() -> dt.date:
    """Today's date, or the ISO date in the environment variable
    ``MEDCODES_TODAY`` (what the staleness check and the release overview use;
    set it to test them on another day). A value that is not an ISO date is
    ignored with a :class:`~medcodes.errors.MedcodesWarning` (today's date is
    used): a typo in the environment must not make every load fail."""
    text = os.environ.get("MEDCODES_TODAY", "").strip()
    if text:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            warnings.warn(
                MedcodesWarning(
                    f"MEDCODES_TODAY must be a date such as 2026-12-02, not {text!r}; "
                    "using today's date"
                ),
                stacklevel=2,
            )
    return dt.date.today()


#: The releases already warned about in this process (the warning is said once).
_WARNED: set[tuple[str, dt.date]] = set()


def _warn_if_stale(system: str, effective: dt.date, label: str, until: dt.date) -> None:
    """Warn, once per process, that a bundled default released on ``effective``
    is no longer in force (``until`` is its last day by its own rules)."""
    day = today()
    current = in_force(system, day)
    nxt = _next_effective(system, effective)
    if nxt is not None:
        until = min(until, nxt - dt.timedelta(days=1))
    if day <= until or (system, effective) in _WARNED:
        return
    _WARNED.add((system, effective))
    if current is not None:
        now = (
            f"{current.label} is in force on {day.isoformat()}: get it with "
            f"medcodes.fetch({system!r}, {current.release!r}) or `medcodes fetch {system} "
            f"{current.release}`, then load it with "
            + (
                f"medcodes.icd10cm.load(fiscal_year={current.fiscal_year})"
                if system == "icd10cm"
                else f"medcodes.hcpcs.load(year={current.effective.year}, "
                f"month={current.effective.month})"
            )
        )
    else:
        now = (
            f"this version of medcodes knows no release in force on {day.isoformat()}: "
            "update medcodes, or load the official files you downloaded"
        )
    warnings.warn(
        StaleReleaseWarning(
            f"the bundled {label} is out of date since {(until + dt.timedelta(days=1)).isoformat()}"
            f"; {now}"
        ),
        stacklevel=3,
    )
