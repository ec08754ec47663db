"""Loading an ICD-10-CM release from official files or from the bundled default."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from .._dates import as_date
from .._gc import paused_gc
from ..cache import BUNDLED as BUNDLED_RELEASES
from ..cache import _wrong_files, cached_files, fetch_hint, release_folder
from ..catalog import CATALOG, CatalogEntry, _warn_if_stale, in_force
from ..errors import MismatchError, ParseError, SourceError, UsageError
from ..sources import (
    MAX_BYTES_ICD10CM,
    PathArg,
    SourceFile,
    _Candidate,
    _candidates,
    _check_max_bytes,
    _head,
    _no_match,
    _path,
    _pick,
    _read,
)
from .addenda import ADDENDA_NAME
from .codes import parse_codes
from .codeset import Codeset
from .hierarchy import apply_order, build_from_codes, build_from_order
from .index import EINDEX_NAME, INDEX_NAME, _load_indexes
from .model import Release
from .order import parse_order
from .tables import DRUG_NAME, MAX_BYTES_TABLE, NEOPLASM_NAME, parse_table
from .tables import _Data as _TableData
from .tabular import parse_tabular

__all__ = ["BUNDLED", "load"]

#: Names of the official files inside the zips and folders medcodes searches.
TABULAR_NAME = re.compile(r"(?i)icd10c\w*[-_ ]tabular.*\.xml(\.gz|\.xz)?$")
ORDER_NAME = re.compile(r"(?i)icd10cm[-_ ]order[-_ ](?!addenda).*\.txt(\.gz|\.xz)?$")
CODES_NAME = re.compile(r"(?i)icd10cm[-_ ]codes[-_ ](?!addenda).*\.txt(\.gz|\.xz)?$")

#: The bundled releases, by fiscal year: the April 1 tabular XML (gzip of the
#: official file) and the order file of the same fiscal year (inside the
#: official zip; the April updates of 2025 and 2026 changed no code).
BUNDLED: dict[int, tuple[str, str, str]] = {
    2026: (
        "icd10c-tabular-April-1-2026.xml.gz",
        "icd10cm-Code-Descriptions-2026.zip",
        "icd10cm-order-2026.txt",
    ),
    2025: (
        "icd10cm-tabular-April-2025.xml.gz",
        "2025-code-descriptions-tabular-order.zip",
        "icd10cm_order_2025.txt",
    ),
}
#: The newest bundled release, which :func:`load` gives by default.
BUNDLED_DEFAULT = max(BUNDLED)
BUNDLED_TABULAR = BUNDLED[BUNDLED_DEFAULT][0]
BUNDLED_ORDER = BUNDLED[BUNDLED_DEFAULT][1:]

PathLike = PathArg


def load(
    source: PathLike | None = None,
    *,
    order: PathLike | None = None,
    fiscal_year: int | None = None,
    effective: dt.date | None = None,
    max_bytes: int = MAX_BYTES_ICD10CM,
    year: int | None = None,
) -> Codeset:
    """Load an ICD-10-CM release.

    With no argument, the bundled default: the April 1, 2026 release (FY2026),
    offline, with its official order file (74,719 billable codes); once a newer
    release is in force (per :mod:`medcodes.catalog`), a
    :class:`~medcodes.errors.StaleReleaseWarning` says so, once per process.
    With only ``fiscal_year``, the bundled release of that year (2025 or 2026),
    else the newest release of that year in the cache (see
    :func:`medcodes.fetch`; nothing is ever downloaded here). With
    ``effective`` (and no files), the catalog's release in force on that day:
    the bundled one if it is bundled, else from the cache, else a
    :class:`~medcodes.errors.SourceError` saying how to fetch it.

    :param source: the tabular XML file, a folder that holds it, or an official
        zip that holds it; a folder or zip that also holds the order file gives
        both. A folder or zip with only an order file (or an order file itself)
        gives a hierarchy by code structure, without chapters, blocks or notes;
        one with only a codes file (``icd10cm_codes_YYYY.txt``) gives the
        billable codes with their long titles and nothing else. A binary file
        object (``open(path, "rb")``, ``io.BytesIO(data)``) is read as the file
        it holds (its name, if any, is the file name); ``bytes`` are not a path.
    :param order: an order file (or folder/zip holding one) to check the
        tabular against and to take short titles from; it must describe the
        same release, else :class:`~medcodes.errors.MismatchError`.
    :param fiscal_year: override the fiscal year (needed when an order file's
        name carries no year).
    :param year: the same as ``fiscal_year`` (the name
        :func:`medcodes.hcpcs.load` uses, so that ``load(year=...)`` works for
        both systems); give one or the other.
    :param effective: with files, their effective date (default: October 1
        before the fiscal year; April 1 of it when a file name says "April"):
        the release is labelled with it, which lets a file whose name does
        not say "April" be an April update. Without files, the day whose
        release in force is loaded (see above); it must fall in
        ``fiscal_year`` when both are given.
    :param max_bytes: refuse any input larger than this (after decompression).
    :raises ~medcodes.errors.ParseError: a file is malformed, truncated, of the
        wrong kind or hostile; :class:`~medcodes.errors.SourceError` when no (or
        several) matching files are found.

    >>> cm = load()
    >>> cm.release.fiscal_year, cm.release.effective.isoformat()
    (2026, '2026-04-01')
    >>> len(cm.billable_codes())
    74719
    >>> load(fiscal_year=2025).release.label
    'ICD-10-CM FY2025 (effective 2025-04-01)'
    >>> load(year=2025).release == load(fiscal_year=2025).release
    True
    >>> load(effective=dt.date(2025, 6, 30)).release.label  # the one in force then
    'ICD-10-CM FY2025 (effective 2025-04-01)'
    """
    if year is not None:
        if fiscal_year is not None and fiscal_year != year:
            raise UsageError(f"fiscal_year={fiscal_year!r} and year={year!r}: give one")
        fiscal_year = year
    if fiscal_year is not None and (
        not isinstance(fiscal_year, int) or isinstance(fiscal_year, bool)
    ):
        raise UsageError(f"fiscal_year must be an int such as 2025, not {fiscal_year!r}")
    if fiscal_year is not None and not 2000 <= fiscal_year <= 2999:
        raise UsageError(f"fiscal_year={fiscal_year} is not a fiscal year of ICD-10-CM")
    if effective is not None:
        effective = as_date(effective, "effective")
    max_bytes = _check_max_bytes(max_bytes)
    if source is None and order is None:
        if effective is not None:
            return _load_in_force(fiscal_year, effective, max_bytes)
        if fiscal_year is None:
            cs = _load_bundled(BUNDLED_DEFAULT, max_bytes)
            r = cs.release
            _warn_if_stale("icd10cm", r.effective, r.label, r.valid_through)
            return cs
        if fiscal_year in BUNDLED:
            return _load_bundled(fiscal_year, max_bytes)
        return _load_year_from_cache(fiscal_year, max_bytes)
    tab_c: _Candidate | None = None
    ord_c: _Candidate | None = None
    codes_c: _Candidate | None = None
    offered: list[_Candidate] = []  # a folder's or zip's files, for its indexes
    if source is not None:
        given = _path(source)
        cands, single = _candidates(given)
        if not single:
            offered = cands
        if single:
            kind = _sniff(cands[0])
            if kind == "tabular":
                tab_c = cands[0]
            elif kind == "order":
                ord_c = cands[0]
            else:
                codes_c = cands[0]
        else:
            tab_c = _pick(cands, TABULAR_NAME, "an ICD-10-CM tabular XML file", str(given))
            ord_c = _pick(cands, ORDER_NAME, "an ICD-10-CM order file", str(given))
            if tab_c is None and ord_c is None:
                codes_c = _pick(cands, CODES_NAME, "an ICD-10-CM codes file", str(given))
            if tab_c is None and ord_c is None and codes_c is None:
                # A renamed tabular ("tabular.xml"): the one XML, as for a single file.
                xml = [
                    c
                    for c in cands
                    if c.name.lower().endswith(_XML_SUFFIXES)
                    and not (INDEX_NAME.search(c.name) or EINDEX_NAME.search(c.name))
                ]
                if len(xml) > 1:
                    raise SourceError(
                        "several XML files, none with a tabular's official name: "
                        + ", ".join(c.label for c in xml)
                        + "; pass the one you mean",
                        file=str(given),
                    )
                tab_c = xml[0] if xml else None
            if tab_c is None and ord_c is None and codes_c is None:
                raise _no_match(
                    cands, "ICD-10-CM tabular XML, order file or codes file", str(given)
                )
    if order is not None:
        if source is not None and tab_c is None:
            found = "an order file" if ord_c is not None else "a codes file"
            raise UsageError(
                f"order= checks a tabular XML, but {given} holds {found} and no tabular; "
                "load one release at a time"
            )
        order_in = _path(order)
        cands, single = _candidates(order_in)
        ord_c = (
            cands[0]
            if single
            else _pick(cands, ORDER_NAME, "an ICD-10-CM order file", str(order_in))
        )
        if ord_c is None:
            raise _no_match(cands, "ICD-10-CM order file", str(order_in))
    # A "table and index" folder or zip: its drug and neoplasm tables come along.
    tables = [
        c
        for pattern, what in ((DRUG_NAME, "a drug table"), (NEOPLASM_NAME, "a neoplasm table"))
        if (c := _pick(offered, pattern, what, str(given))) is not None
    ] if offered else []  # fmt: skip
    if codes_c is not None:
        with paused_gc():
            return _load_codes(codes_c, fiscal_year, effective, max_bytes, tables)
    with paused_gc():  # ~400,000 objects, none of them cyclic garbage
        cs = _load_files(tab_c, ord_c, fiscal_year, effective, max_bytes, tables)
    if offered:
        cs = _with_indexes(cs, offered, str(given), max_bytes)
    return cs


def _with_indexes(cs: Codeset, offered: list[_Candidate], where: str, max_bytes: int) -> Codeset:
    """``cs`` with the Alphabetic and External Cause indexes found among the
    files of its folder or zip (a "table and index" release), if any."""
    index, eindex = _load_indexes(offered, where, max_bytes)
    if index is None and eindex is None:
        return cs
    for ix in (index, eindex):
        if ix is not None and ix.version != cs.release.fiscal_year:
            raise MismatchError(
                f"the {ix.kind.value} index is of {ix.version}, the release of "
                f"{cs.release.fiscal_year}",
                file=str(ix.source) if ix.source is not None else where,
            )
    return Codeset(cs._store, cs.release, index, eindex, tuple(cs._tables.values()))


_XML_SUFFIXES = (".xml", ".xml.gz", ".xml.xz")


def _sniff(c: _Candidate) -> str:
    """What one plain file is: ``"tabular"``, ``"order"`` or ``"codes"``, by its
    official name, else by its first bytes."""
    for kind, pattern in (("tabular", TABULAR_NAME), ("order", ORDER_NAME), ("codes", CODES_NAME)):
        if pattern.search(c.name):
            return kind  # an official name: no need to open the file
    if DRUG_NAME.search(c.name) or NEOPLASM_NAME.search(c.name):
        raise ParseError(
            "a drug or neoplasm table, not a release: read it with "
            "medcodes.icd10cm.load_table(), or load the folder or zip that holds it "
            "with its tabular",
            file=c.label,
            line=1,
        )
    if c.name.lower().endswith(_XML_SUFFIXES):
        return "tabular"
    head = _head(c).lstrip(b"\xef\xbb\xbf \t\r\n")
    if ADDENDA_NAME.search(c.name) or re.match(
        rb"(Headers|Codes)\s*\r?\n|(Add|Delete|Revise from|Revise to):\s", head
    ):
        raise ParseError(
            "an addenda file (the changes between two releases), not a release: "
            "read it with medcodes.icd10cm.load_addenda()",
            file=c.label,
            line=1,
        )
    if head.startswith(b"<"):
        return "tabular"
    if re.match(rb"[A-Z][0-9A-Z]{2}[0-9A-Z ]{4} +\S", head):
        return "codes"
    if re.match(rb"\d{5} ", head) or head.startswith((b"\xff\xfe", b"\xfe\xff")) or not head:
        return "order"  # (the order parser names what is wrong with a damaged one)
    raise ParseError(
        "not an ICD-10-CM file: neither a tabular XML, an order file nor a codes file "
        f"(it starts with {head[:24]!r})",
        file=c.label,
        line=1,
    )


def _load_files(
    tab_c: _Candidate | None,
    ord_c: _Candidate | None,
    fiscal_year: int | None,
    effective: dt.date | None,
    max_bytes: int,
    tables: Sequence[_Candidate] = (),
) -> Codeset:
    sources: list[SourceFile] = []
    names: list[str] = []
    version: int | None = None
    store = None
    orders = None
    # The order file first: its text and lines are freed before the XML tree
    # exists, which keeps the peak memory of a load low.
    if ord_c is not None:
        src = _read(ord_c, max_bytes)
        orders = parse_order(src.data, src.label, check_structure=tab_c is None)
        order_label = src.label
        order_source = src.describe("order")
        del src
    if tab_c is not None:
        src = _read(tab_c, max_bytes)
        sources.append(src.describe("tabular"))
        tab = parse_tabular(src.data, src.label)
        del src
        version = int(tab.version)
        store = tab.store
        del tab
        names.append(tab_c.name)
    if ord_c is not None and orders is not None:
        sources.append(order_source)
        names.append(ord_c.name)
        if store is None:
            store = build_from_order(orders)
        else:
            apply_order(store, orders, order_label)
    assert store is not None
    first = tab_c or ord_c
    label = first.label if first is not None else ""
    fy = _fiscal_year(fiscal_year, version, names, label)
    day = _effective(fy, effective, any("april" in n.lower() for n in names))
    data = _read_tables(tables, max_bytes, fy)
    return Codeset(store, Release("ICD-10-CM", fy, day, tuple(sources)), tables=data)


def _read_tables(
    tables: Sequence[_Candidate], max_bytes: int, fiscal_year: int
) -> tuple[_TableData, ...]:
    """The drug and neoplasm tables found beside a release's files (of the
    same fiscal year, else :class:`~medcodes.errors.MismatchError`)."""
    out = []
    for c in tables:
        src = _read(c, min(max_bytes, MAX_BYTES_TABLE))
        data = parse_table(src.data, src.label, src.describe("table"))
        del src
        if data.version != fiscal_year:
            raise MismatchError(
                f"a table of {data.kind} of {data.version} beside a release of {fiscal_year}",
                file=c.label,
            )
        out.append(data)
    return tuple(out)


def _fiscal_year(given: int | None, version: int | None, names: list[str], label: str) -> int:
    """The fiscal year the files say (the tabular's ``<version>``, else a year in
    a file name), checked against ``given``."""
    said = version or _year_from_names(names)
    if given is not None and said is not None and given != said:
        where = "the tabular's <version>" if version else "the file name"
        raise MismatchError(f"fiscal_year={given} but {where} says {said}", file=label)
    fy = given or said
    if fy is None:
        raise SourceError(
            "cannot tell the fiscal year from the file names; pass fiscal_year=", file=label
        )
    return fy


def _effective(fy: int, effective: dt.date | None, april: bool) -> dt.date:
    """The effective date: ``effective`` if given (within fiscal year ``fy``),
    else October 1 before it, or April 1 for an April update."""
    if effective is None:
        return dt.date(fy, 4, 1) if april else dt.date(fy - 1, 10, 1)
    if not dt.date(fy - 1, 10, 1) <= effective <= dt.date(fy, 9, 30):
        raise UsageError(
            f"effective={effective.isoformat()} is outside fiscal year {fy} "
            f"({fy - 1}-10-01 to {fy}-09-30)"
        )
    return effective


def _year_from_names(names: list[str]) -> int | None:
    for name in names:
        m = re.search(r"(?<!\d)(20\d\d)(?!\d)", name)
        if m:
            return int(m.group(1))
    return None


def _load_codes(
    codes_c: _Candidate,
    fiscal_year: int | None,
    effective: dt.date | None,
    max_bytes: int,
    tables: Sequence[_Candidate] = (),
) -> Codeset:
    src = _read(codes_c, max_bytes)
    codes = parse_codes(src.data, src.label)
    source = src.describe("codes")
    del src
    fy = _fiscal_year(fiscal_year, None, [codes_c.name], codes_c.label)
    day = _effective(fy, effective, "april" in codes_c.name.lower())
    data = _read_tables(tables, max_bytes, fy)
    return Codeset(build_from_codes(codes), Release("ICD-10-CM", fy, day, (source,)), tables=data)


def _load_bundled(fiscal_year: int, max_bytes: int) -> Codeset:
    if fiscal_year not in BUNDLED:
        raise SourceError(
            f"no bundled release for fiscal year {fiscal_year}; bundled: "
            + ", ".join(str(y) for y in sorted(BUNDLED))
            + "; pass the official files to load()",
            file="medcodes/_bundled",
        )
    tabular, zip_name, member = BUNDLED[fiscal_year]
    root = resources.files("medcodes") / "_bundled"
    with (
        resources.as_file(root / tabular) as tab_path,
        resources.as_file(root / zip_name) as zip_path,
    ):
        tab_c = _Candidate(tab_path, None)
        ord_c = _Candidate(zip_path, member)
        with paused_gc():
            day = dt.date(fiscal_year, 4, 1)  # both are April updates
            cs = _load_files(tab_c, ord_c, fiscal_year, day, max_bytes)
    # Its nodes pickle as references to this bundled release (medcodes._pickles).
    digests = tuple(s.sha256 for s in cs.release.sources)
    cs._mark_bundled(("icd10cm", (fiscal_year, day), digests))
    return cs


def _bundled_names() -> str:
    return ", ".join(str(y) for y in sorted(BUNDLED))


def _load_in_force(fiscal_year: int | None, effective: dt.date, max_bytes: int) -> Codeset:
    """The catalog's release in force on ``effective``: bundled, else cached,
    else a SourceError saying how to fetch it."""
    if fiscal_year is not None and not (
        dt.date(fiscal_year - 1, 10, 1) <= effective <= dt.date(fiscal_year, 9, 30)
    ):
        raise UsageError(
            f"effective={effective.isoformat()} is outside fiscal year {fiscal_year} "
            f"({fiscal_year - 1}-10-01 to {fiscal_year}-09-30)"
        )
    e = in_force("icd10cm", effective)
    if e is None:
        known = sorted({e.fiscal_year for e in CATALOG if e.system == "icd10cm"})
        raise SourceError(
            f"the catalog knows no ICD-10-CM release in force on {effective.isoformat()} "
            f"(it knows FY{known[0]} to FY{known[-1]}); pass the official files to load()",
            file="medcodes/_bundled",
        )
    if e.release in BUNDLED_RELEASES["icd10cm"]:
        return _load_bundled(e.fiscal_year, max_bytes)
    if not e.files:
        raise SourceError(
            f"{e.label} is in force on {effective.isoformat()}, but the catalog has no "
            f"files for it ({e.note}); pass the official files to load()",
            file=str(release_folder("icd10cm", e.release)),
        )
    files = cached_files("icd10cm", e.release)
    if files:
        return _load_cached(e, files, max_bytes)
    wrong = "".join(f"; {w}" for w in _wrong_files(e))
    raise SourceError(
        f"{e.label} is in force on {effective.isoformat()}; it is not bundled (bundled: "
        f"{_bundled_names()}) and not in the cache{wrong}; " + fetch_hint(e),
        file=str(release_folder("icd10cm", e.release)),
    )


def _load_year_from_cache(fiscal_year: int, max_bytes: int) -> Codeset:
    """The newest cached release of a fiscal year; a SourceError saying how to
    fetch it if absent (and what is wrong with the files found instead)."""
    entries = [e for e in CATALOG if e.system == "icd10cm" and e.fiscal_year == fiscal_year]
    if not entries:
        known = sorted({e.fiscal_year for e in CATALOG if e.system == "icd10cm"})
        raise SourceError(
            f"no release for fiscal year {fiscal_year}; bundled: {_bundled_names()}; the "
            f"catalog knows FY{known[0]} to FY{known[-1]}; pass the official files to load()",
            file="medcodes/_bundled",
        )
    for e in reversed(entries):
        files = cached_files("icd10cm", e.release)
        if files:
            return _load_cached(e, files, max_bytes)
    newest = entries[-1]
    wrong = "".join(f"; {w}" for e in reversed(entries) for w in _wrong_files(e))
    raise SourceError(
        f"no bundled release for fiscal year {fiscal_year} (bundled: {_bundled_names()}), "
        f"and {newest.label} is not in the cache{wrong}; " + fetch_hint(newest),
        file=str(release_folder("icd10cm", newest.release)),
    )


def _load_cached(e: CatalogEntry, files: dict[str, Path], max_bytes: int) -> Codeset:
    """Load a release from its cached files (the tabular, checked against the
    order file, or the order file alone)."""
    tab, order = files.get("tabular"), files.get("order")
    try:
        if tab is not None:
            return load(
                tab,
                order=order,
                fiscal_year=e.fiscal_year,
                effective=e.effective,
                max_bytes=max_bytes,
            )
        assert order is not None
        return load(order, fiscal_year=e.fiscal_year, effective=e.effective, max_bytes=max_bytes)
    except MismatchError as exc:  # a file of another release put there by hand
        paths = " and ".join(str(p) for p in (tab, order) if p is not None)
        raise MismatchError(
            f"{exc.reason}; the cached files are not all {e.label}'s: delete {paths} and "
            "fetch again",
            file=exc.file,
            line=exc.line,
        ) from exc
