"""Loading an HCPCS Level II release from the official file or the bundled default."""

from __future__ import annotations

import datetime as dt
import os
import re
from importlib import resources

from .._gc import paused_gc
from ..errors import MismatchError, SourceError, UsageError
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

    With no argument, the bundled January 2025 file, offline.

    :param source: the fixed-width ANWEB text file, a folder holding it, or
        the official zip.
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
            raise SourceError(
                f"no bundled HCPCS file for {year or 2025}-{month or 1:02d}; bundled: the "
                "January 2025 file; pass the official file to load()",
                file="medcodes/_bundled",
            )
        root = resources.files("medcodes") / "_bundled"
        with resources.as_file(root / BUNDLED) as path:
            hc = load(path, year=2025, month=1, max_bytes=max_bytes)
        # Its nodes pickle as references to the bundled file (medcodes._pickles).
        digests = tuple(s.sha256 for s in hc.release.sources)
        object.__setattr__(hc, "_bundled", ("hcpcs", (2025, 1), digests))
        return hc
    max_bytes = _check_max_bytes(max_bytes)
    source = _path(source)
    cands, single = _candidates(source)
    if single:
        cand = cands[0]
    else:
        picked = _pick(cands, ANWEB_NAME, "an HCPCS ANWEB data file", str(source))
        if picked is None:
            raise _no_match(cands, "HCPCS ANWEB data file", str(source))
        cand = picked
    names = [cand.name, os.fspath(source)]
    named_year, named_month = _year(names), _month(names)
    for what, given, named in (("year", year, named_year), ("month", month, named_month)):
        if given is not None and named is not None and given != named:
            raise MismatchError(f"{what}={given} but the file name says {named}", file=cand.label)
    with paused_gc():
        src = _read(cand, max_bytes)
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


def _year(names: list[str]) -> int | None:
    for name in names:
        base = os.path.basename(name)
        m = re.search(r"HCPCS?(\d{4}|\d{2})(?!\d)", base, re.I) or re.search(
            r"(?<!\d)(20\d\d)(?!\d)", base
        )
        if m:
            y = int(m.group(1))
            return 2000 + y if y < 100 else y
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
