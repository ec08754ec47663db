"""Loading an HCPCS Level II release from the official file or the bundled default."""

from __future__ import annotations

import datetime as dt
import os
import re
from importlib import resources

from .._gc import paused_gc
from ..cache import _wrong_files, cached_files, fetch_hint, release_folder
from ..catalog import CATALOG, _warn_if_stale
from ..errors import MismatchError, ParseError, SourceError, UsageError
from ..sources import (
    MAX_BYTES_HCPCS,
    PathArg,
    _candidates,
    _check_max_bytes,
    _no_match,
    _path,
    _pick,
    _read,
)
from .anweb import parse_anweb
from .codeset import Codeset
from .model import Release

__all__ = ["BUNDLED", "load"]

#: The data file inside the official zips: HCPC17_CONTR_ANWEB.txt,
#: HCPC2020_ANWEB_w_disclaimer.txt, HCPC2025_JAN_ANWEB_12172024.txt, ...
ANWEB_NAME = re.compile(r"(?i)HCPC\w*ANWEB\w*\.txt(\.gz|\.xz)?$")
#: The bundled default: the January 2025 file (xz of the official text file).
BUNDLED = "HCPC2025_JAN_ANWEB_12172024.txt.xz"

_MONTHS = {"JAN": 1, "APR": 4, "JUL": 7, "OCT": 10}


def load(
    source: PathArg | None = None,
    *,
    year: int | None = None,
    month: int | None = None,
    max_bytes: int = MAX_BYTES_HCPCS,
) -> Codeset:
    """Load an HCPCS Level II release.

    With no argument, the bundled January 2025 file, offline; once a newer
    quarterly file is in force (per :mod:`medcodes.catalog`), a
    :class:`~medcodes.errors.StaleReleaseWarning` says so, once per process.
    With ``year`` (and ``month``) of another file, that file from the cache
    (see :func:`medcodes.fetch`; nothing is ever downloaded here).

    :param source: the fixed-width ANWEB text file, a folder holding it, or
        the official zip; or a binary file object holding one of those
        (``open(path, "rb")``, ``io.BytesIO(data)``: pass ``year=`` when it has
        no file name to tell it).
    :param year: the year, when the file name does not say it.
    :param month: the month of a quarterly file, when the name does not say it
        (default January).
    :raises ~medcodes.errors.ParseError: a malformed or wrong file;
        :class:`~medcodes.errors.MismatchError` when ``year``/``month`` contradict
        the file name; :class:`~medcodes.errors.SourceError` when no file is found
        or a bundled file of another year or month is asked for.

    >>> hc = load()
    >>> hc.release.label, hc.release.effective.isoformat()
    ('HCPCS Level II January 2025', '2025-01-01')
    """
    for name, value, low, high in (("year", year, 1983, 2999), ("month", month, 1, 12)):
        if value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high
        ):
            raise UsageError(f"{name} must be an int from {low} to {high}, not {value!r}")
    if source is None:
        if (year or 2025, month or 1) != (2025, 1):
            return _load_from_cache(year or 2025, month or 1, max_bytes)
        root = resources.files("medcodes") / "_bundled"
        with resources.as_file(root / BUNDLED) as path:
            hc = load(path, year=2025, month=1, max_bytes=max_bytes)
        # Its nodes pickle as references to the bundled file (medcodes._pickles).
        digests = tuple(s.sha256 for s in hc.release.sources)
        object.__setattr__(hc, "_bundled", ("hcpcs", (2025, 1), digests))
        if year is None and month is None:
            r = hc.release
            _warn_if_stale("hcpcs", r.effective, r.label, r.next_quarter - dt.timedelta(days=1))
        return hc
    max_bytes = _check_max_bytes(max_bytes)
    given = _path(source)
    try:
        cands, single = _candidates(given)
    except SourceError as exc:
        if "Office document" not in exc.reason:
            raise
        raise SourceError(
            f"{exc.reason}: medcodes reads the ANWEB .txt file; use the .txt in the same "
            "zip as this workbook (or give the zip)",
            file=exc.file,
        ) from None
    if single:
        cand = cands[0]
    else:
        picked = _pick(cands, ANWEB_NAME, "an HCPCS ANWEB data file", str(given))
        if picked is None:
            raise _no_match(cands, "HCPCS ANWEB data file", str(given))
        cand = picked
    names = [cand.name, str(given)]
    named_year, named_month = _year(names), _month(names)
    for what, asked, named in (("year", year, named_year), ("month", month, named_month)):
        if asked is not None and named is not None and asked != named:
            raise MismatchError(
                f"{what}={asked} but the file name says {named}", file=cand.label
            )
    with paused_gc():
        src = _read(cand, max_bytes)
        _not_xml(src.data, src.label)
        codes, modifiers = parse_anweb(src.data, src.label)
        y = year or named_year
        if y is None:
            raise SourceError(
                "an HCPCS file, but its name does not say its year: pass year=", file=src.label
            )
        m = month or named_month or 1
        release = Release(y, m, dt.date(y, m, 1), (src.describe("anweb"),))
        del src
        return Codeset(codes, modifiers, release)


def _not_xml(data: bytes, label: str) -> None:
    """Refuse an XML file (HCPCS files are fixed-width text), naming an
    ICD-10-CM tabular or index XML as such."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<"):
        return
    if b"<ICD10CM.tabular" in head:
        what = "an ICD-10-CM tabular XML file (load it with medcodes.icd10cm.load)"
    elif b"<ICD10CM.index" in head:
        what = "an ICD-10-CM index XML file"
    else:
        what = "an XML file"
    raise ParseError(f"{what}, not an HCPCS Level II (ANWEB) data file", file=label, line=1)


def _year(names: list[str]) -> int | None:
    for name in names:
        base = os.path.basename(name)
        m = re.search(r"HCPCS?(\d{4}|\d{2})(?!\d)", base, re.I) or re.search(
            r"(?<!\d)(20\d\d)(?!\d)", base
        )
        if m:
            y = int(m.group(1))
            y = 2000 + y if y < 100 else y
            if 1983 <= y <= 2999:  # else not a year of HCPCS ("HCPC9999"): not one said
                return y
    return None


def _month(names: list[str]) -> int | None:
    for name in names:
        m = re.search(r"(?i)(?:^|[_-])(JAN|APR|JUL|OCT)", os.path.basename(name))
        if m:
            return _MONTHS[m.group(1).upper()]
        m = re.search(r"(?i)(january|april|july|october)", os.path.basename(name))
        if m:
            return _MONTHS[m.group(1)[:3].upper()]
    return None


def _load_from_cache(year: int, month: int, max_bytes: int) -> Codeset:
    """A quarterly file from the cache; a SourceError saying how to fetch it if absent."""
    release = f"{year}-{month:02d}"
    known = [e for e in CATALOG if e.system == "hcpcs" and e.release == release]
    if not known:
        names = [e.release for e in CATALOG if e.system == "hcpcs"]
        raise SourceError(
            f"no bundled HCPCS file for {release} and none in the catalog (it has the "
            f"quarters {names[0]} to {names[-1]}); bundled: the January 2025 file; pass the "
            "official file to load()",
            file="medcodes/_bundled",
        )
    path = cached_files("hcpcs", release).get("anweb")
    if path is None:
        wrong = "".join(f"; {w}" for w in _wrong_files(known[0]))
        raise SourceError(
            f"no bundled HCPCS file for {release} (bundled: the January 2025 file), and "
            f"{known[0].label} is not in the cache{wrong}; " + fetch_hint(known[0]),
            file=str(release_folder("hcpcs", release)),
        )
    try:
        return load(path, year=year, month=month, max_bytes=max_bytes)
    except MismatchError as exc:  # (fetch checks the names; a file put there by hand)
        raise MismatchError(
            f"{exc.reason}; the cached file is not {known[0].label}'s: delete {path} and "
            "fetch it again",
            file=exc.file,
            line=exc.line,
        ) from exc
