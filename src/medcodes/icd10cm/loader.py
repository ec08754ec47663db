"""Loading an ICD-10-CM release from official files or from the bundled default."""

from __future__ import annotations

import datetime as dt
import os
import re
from importlib import resources

from .._gc import paused_gc
from ..errors import SourceError
from ..sources import (
    DEFAULT_MAX_BYTES,
    SourceFile,
    _Candidate,
    _candidates,
    _head,
    _no_match,
    _pick,
    _read,
)
from .codeset import Codeset
from .hierarchy import apply_order, build_from_order
from .model import Release
from .order import parse_order
from .tabular import parse_tabular

__all__ = ["BUNDLED_ORDER", "BUNDLED_TABULAR", "load"]

#: Names of the official files inside the zips and folders medcodes searches.
TABULAR_NAME = re.compile(r"(?i)icd10c\w*[-_ ]tabular.*\.xml(\.gz|\.xz)?$")
ORDER_NAME = re.compile(r"(?i)icd10cm[-_ ]order[-_ ](?!addenda).*\.txt(\.gz|\.xz)?$")

#: The bundled default release: the April 1, 2026 tabular XML (gzip of the
#: official file) and the FY2026 order file (inside CDC's official zip; the
#: April 2026 update changed no code).
BUNDLED_TABULAR = "icd10c-tabular-April-1-2026.xml.gz"
BUNDLED_ORDER = ("icd10cm-Code-Descriptions-2026.zip", "icd10cm-order-2026.txt")

PathLike = str | os.PathLike[str]


def load(
    source: PathLike | None = None,
    *,
    order: PathLike | None = None,
    fiscal_year: int | None = None,
    effective: dt.date | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Codeset:
    """Load an ICD-10-CM release.

    With no argument, the bundled default: the April 1, 2026 release (FY2026),
    offline, with its official order file (74,719 billable codes).

    :param source: the tabular XML file, a folder that holds it, or an official
        zip that holds it; a folder or zip that also holds the order file gives
        both. A folder or zip with only an order file (or an order file itself)
        gives a hierarchy by code structure, without chapters, blocks or notes.
    :param order: an order file (or folder/zip holding one) to check the
        tabular against and to take short titles from; it must describe the
        same release, else :class:`~medcodes.errors.MismatchError`.
    :param fiscal_year: override the fiscal year (needed when an order file's
        name carries no year).
    :param effective: override the effective date (default: October 1 before
        the fiscal year; April 1 of it when a file name says "April").
    :param max_bytes: refuse any input larger than this (after decompression).
    :raises ~medcodes.errors.ParseError: a file is malformed, truncated, of the
        wrong kind or hostile; :class:`~medcodes.errors.SourceError` when no (or
        several) matching files are found.

    >>> cm = load()
    >>> cm.release.fiscal_year, cm.release.effective.isoformat()
    (2026, '2026-04-01')
    >>> len(cm.billable_codes())
    74719
    """
    if source is None and order is None:
        return _load_bundled(max_bytes)
    tab_c: _Candidate | None = None
    ord_c: _Candidate | None = None
    if source is not None:
        cands, single = _candidates(source)
        if single:
            if _looks_like_xml(cands[0]):
                tab_c = cands[0]
            else:
                ord_c = cands[0]
        else:
            tab_c = _pick(cands, TABULAR_NAME, "an ICD-10-CM tabular XML file", str(source))
            ord_c = _pick(cands, ORDER_NAME, "an ICD-10-CM order file", str(source))
            if tab_c is None and ord_c is None:
                raise _no_match(cands, "ICD-10-CM tabular XML or order file", str(source))
    if order is not None:
        cands, single = _candidates(order)
        ord_c = (
            cands[0] if single else _pick(cands, ORDER_NAME, "an ICD-10-CM order file", str(order))
        )
        if ord_c is None:
            raise _no_match(cands, "ICD-10-CM order file", str(order))
    return _load(tab_c, ord_c, fiscal_year, effective, max_bytes)


def _looks_like_xml(c: _Candidate) -> bool:
    if c.name.lower().endswith((".xml", ".xml.gz", ".xml.xz")):
        return True
    return _head(c.path).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _load(
    tab_c: _Candidate | None,
    ord_c: _Candidate | None,
    fiscal_year: int | None,
    effective: dt.date | None,
    max_bytes: int,
) -> Codeset:
    with paused_gc():  # ~400,000 objects, none of them cyclic garbage
        return _load_files(tab_c, ord_c, fiscal_year, effective, max_bytes)


def _load_files(
    tab_c: _Candidate | None,
    ord_c: _Candidate | None,
    fiscal_year: int | None,
    effective: dt.date | None,
    max_bytes: int,
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
        orders = parse_order(src.data, src.label)
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
    fy = fiscal_year or version or _year_from_names(names)
    if fy is None:
        raise SourceError(
            "cannot tell the fiscal year from the file names; pass fiscal_year=",
            file=str(ord_c.label if ord_c else ""),
        )
    if effective is None:
        april = any("april" in n.lower() for n in names)
        effective = dt.date(fy, 4, 1) if april else dt.date(fy - 1, 10, 1)
    return Codeset(store, Release("ICD-10-CM", fy, effective, tuple(sources)))


def _year_from_names(names: list[str]) -> int | None:
    for name in names:
        m = re.search(r"(?<!\d)(20\d\d)(?!\d)", name)
        if m:
            return int(m.group(1))
    return None


def _load_bundled(max_bytes: int) -> Codeset:
    root = resources.files("medcodes") / "_bundled"
    with (
        resources.as_file(root / BUNDLED_TABULAR) as tab_path,
        resources.as_file(root / BUNDLED_ORDER[0]) as zip_path,
    ):
        tab_c = _Candidate(tab_path, None)
        ord_c = _Candidate(zip_path, BUNDLED_ORDER[1])
        return _load(tab_c, ord_c, None, dt.date(2026, 4, 1), max_bytes)
