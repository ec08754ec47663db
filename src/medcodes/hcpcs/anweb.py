"""Parser for the HCPCS Level II fixed-width "alpha-numeric" file (ANWEB),
320 columns per line (record layout ``HCPCyyyy_recordlayout.txt``).

A procedure code's first line has record id ``3`` and carries every field;
its continuation lines (``4``) carry further 80-column slices of the long
description. Modifiers use ``7`` and ``8`` and hold the modifier in columns
4-5. The official quirks load: a free-text disclaimer before the first
record, continuation lines right-trimmed to 91 columns (or 316), an empty last
line, bytes outside ASCII (read as cp1252).
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from typing import Any

from .._textfile import check_complete, split_lines
from ..errors import DefectWarning, ParseError
from .model import (
    ActionCode,
    CoverageCode,
    MultiplePricingIndicator,
    PricingIndicator,
    Record,
    TypeOfService,
)

__all__: list[str] = []

# Code (5 columns; a modifier right-justified) and sequence number: a record.
_START = re.compile(r"(?:   [A-Z0-9]{2}|[A-Z][0-9]{4})[0-9]{5}")
_FIRST_LINE_MIN = 293  # through the action code (column 293)
_CONTINUATION = {"3": "4", "7": "8"}
#: The sequence number of a record's next continuation line, by the number of
#: lines read: 00200, 00300, ... (a sequence number has 5 digits).
_SEQUENCE = {k: f"{(k + 1) * 100:05d}" for k in range(1, 999)}


def _enum_lookup(enum_cls: Any) -> dict[str, Any]:
    return {m.value: m for m in enum_cls}


_ACTIONS = _enum_lookup(ActionCode)
_COVERAGE = _enum_lookup(CoverageCode)
_PRICING = _enum_lookup(PricingIndicator)
_MULTIPLE = _enum_lookup(MultiplePricingIndicator)
_TOS = _enum_lookup(TypeOfService)


def _chunks(text: str, width: int) -> tuple[str, ...]:
    if not text.strip():
        return ()
    return tuple(
        piece for k in range(0, len(text), width) if (piece := text[k : k + width].strip())
    )


class _Dates:
    """``YYYYMMDD`` -> date, cached (a few hundred distinct dates per file)."""

    def __init__(self, label: str) -> None:
        self.cache: dict[str, dt.date | None] = {"": None}
        self.label = label

    def __call__(self, text: str, line: int, what: str) -> dt.date | None:
        text = text.strip()
        found = self.cache.get(text, False)
        if found is not False:
            return found  # type: ignore[return-value]
        try:
            if len(text) != 8 or not (text.isascii() and text.isdigit()):
                raise ValueError
            value: dt.date | None = dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            raise ParseError(
                f"{what} {text!r} is not a YYYYMMDD date", file=self.label, line=line
            ) from None
        self.cache[text] = value
        return value


def decode(data: bytes, label: str) -> str:
    """The file's text: ASCII, else cp1252 (CMS's files are Windows text)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:2]:
        raise ParseError("the file is UTF-16 or binary, expected text", file=label, line=1)
    data = check_complete(data, label)  # (a NUL further on: named with its line)
    if data.startswith(b"\xef\xbb\xbf"):  # a UTF-8 byte order mark, added by an editor
        data = data[3:]
    return data.decode("cp1252", errors="replace")


def parse_anweb(data: bytes, label: str) -> tuple[list[Record], list[Record]]:
    """The procedure codes and the modifiers of an ANWEB file, in file order."""
    lines = split_lines(decode(data, label), label)
    procedures: list[Record] = []
    modifiers: list[Record] = []
    out = (procedures, modifiers)
    cache: tuple[dict[str, _Admin], dict[str, _Status]] = ({}, {})
    dates = _Dates(label)
    started = False
    first: tuple[int, str] | None = None  # (line number, first line) of the open record
    pieces: list[str] = []
    code = ""  # the code field of the open record
    start = _START.match
    for n, line in enumerate(lines, 1):
        if not line or line.isspace():
            continue
        if not start(line):
            if not started and len(line) < _FIRST_LINE_MIN:
                continue  # the free-text disclaimer before the first record
            if not started:  # as long as a record: one with something before it
                raise ParseError(
                    f"a line as long as a record that does not start like one: {line[:30]!r}",
                    file=label,
                    line=n,
                )
            raise ParseError(
                f"not an HCPCS record (code, sequence number, record id): {line[:30]!r}",
                file=label,
                line=n,
            )
        started = True
        if len(line) > 320:
            if line[320:].strip():
                raise ParseError(f"record of {len(line)} characters, over 320", file=label, line=n)
            warnings.warn(
                f"{label}, line {n}: record of {len(line)} characters, 320 expected; "
                "the blank excess is ignored",
                DefectWarning,
                stacklevel=2,
            )
            line = line[:320]
        ric = line[10:11]
        if ric in ("3", "7"):
            if first is not None:
                _close(first, pieces, out, cache, dates, label)
            if len(line) < _FIRST_LINE_MIN:
                raise ParseError(
                    f"first record of a code is {len(line)} characters, expected 320",
                    file=label,
                    line=n,
                )
            if (ric == "7") != line.startswith("   "):
                raise ParseError(
                    f"record id {ric} does not match the code field {line[:5]!r}",
                    file=label,
                    line=n,
                )
            if line[5:10] != "00100":
                raise ParseError(
                    f"first record of {line[:5].strip()} has sequence number {line[5:10]}, "
                    "expected 00100",
                    file=label,
                    line=n,
                )
            first = (n, line)
            code = line[:5] + _CONTINUATION[ric]
            pieces = [line[11:91].strip()]
        elif ric in ("4", "8"):
            if code != line[:5] + ric:
                raise ParseError(
                    f"continuation record of {line[:5].strip()} without its first record",
                    file=label,
                    line=n,
                )
            if line[5:10] != _SEQUENCE.get(len(pieces)):
                raise ParseError(
                    f"continuation record of {line[:5].strip()} has sequence number "
                    f"{line[5:10]}, expected {(len(pieces) + 1) * 100:05d} "
                    "(a line out of order or missing)",
                    file=label,
                    line=n,
                )
            pieces.append(line[11:91].strip())
        else:
            raise ParseError(f"unknown record id {ric!r}", file=label, line=n)
    if first is not None:
        _close(first, pieces, out, cache, dates, label)
    if not procedures and not modifiers:
        raise ParseError("no HCPCS records (empty, truncated or not an ANWEB file)", file=label)
    return _first_of_each(procedures, label), _first_of_each(modifiers, label)


def _first_of_each(records: list[Record], label: str) -> list[Record]:
    """The records without repeats: a code listed twice is a defect, reported
    with a :class:`DefectWarning` naming both lines; the first record is kept."""
    if len({r.code for r in records}) == len(records):
        return records
    first: dict[str, Record] = {}
    for r in records:
        kept = first.setdefault(r.code, r)
        if kept is not r:
            warnings.warn(
                f"{label}, line {r.line}: code {r.code} appears twice (first on line "
                f"{kept.line}); the second record is ignored",
                DefectWarning,
                stacklevel=3,
            )
    return list(first.values())


def _coded(table: dict[str, Any], raw: str, name: str, unknown: list[str]) -> Any:
    value = table.get(raw)
    if value is None:
        unknown.append(name)
        return raw
    return value


_Admin = tuple[tuple[Any, ...], tuple[str, ...], tuple[str, ...]]
_Status = tuple[tuple[Any, ...], tuple[str, ...]]


def _admin(s: str, n: int, dates: _Dates, label: str) -> _Admin:
    """The administrative fields (columns 120-268) of one first line, in the
    order of :class:`Record`, with the unknown values and defects."""
    unknown: list[str] = []
    defects: list[str] = []
    mpi = s[127].strip()
    coverage = s[229].strip()
    units = s[265:268].strip()
    asc_group, asc_date = s[230:232].strip() or None, s[232:240]
    # 2018: five ASC dates written two columns early, over the blank group.
    if len(asc_date.strip()) == 6 and re.fullmatch(r"(19|20)\d{6}", s[230:238]):
        defects.append("ASC payment group effective date two columns to the left")
        asc_group, asc_date = None, s[230:238]
    if units and not (units.isascii() and units.isdigit()):
        raise ParseError(f"anesthesia base units {units!r} are not a number", file=label, line=n)
    fields = {
        "pricing_indicators": tuple(
            _coded(_PRICING, p, "pricing_indicators", unknown) for p in _chunks(s[119:127], 2)
        ),
        "multiple_pricing_indicator": _coded(_MULTIPLE, mpi, "multiple_pricing_indicator", unknown)
        if mpi
        else None,
        "cim_references": _chunks(s[128:146], 6),
        "mcm_references": _chunks(s[146:170], 8),
        "statute": s[170:180].strip() or None,
        "lab_certifications": _chunks(s[180:204], 3),
        "cross_references": _chunks(s[204:229], 5),
        "coverage": _coded(_COVERAGE, coverage, "coverage", unknown) if coverage else None,
        "asc_payment_group": asc_group,
        "asc_effective": dates(asc_date, n, "ASC payment group effective date"),
        "mog_payment_group": s[240:243].strip() or None,
        "mog_policy_indicator": s[243].strip() or None,
        "mog_effective": dates(s[244:252], n, "MOG effective date"),
        "processing_note": s[252:256].strip() or None,
        "betos": s[256:259].strip() or None,
        "types_of_service": tuple(
            _coded(_TOS, c, "types_of_service", unknown) for c in s[260:265] if c != " "
        ),
        "anesthesia_base_units": int(units) if units else None,
    }
    return tuple(fields.values()), tuple(dict.fromkeys(unknown)), tuple(defects)


def _status(s: str, n: int, dates: _Dates) -> _Status:
    """Columns 269-293: the dates and the action code."""
    action = s[292].strip()
    unknown: list[str] = []
    values = (
        dates(s[268:276], n, "code added date"),
        dates(s[276:284], n, "action effective date"),
        dates(s[284:292], n, "termination date"),
        _coded(_ACTIONS, action, "action", unknown) if action else None,
    )
    return values, tuple(unknown)


def _close(
    first: tuple[int, str],
    pieces: list[str],
    out: tuple[list[Record], list[Record]],
    cache: tuple[dict[str, _Admin], dict[str, _Status]],
    dates: _Dates,
    label: str,
) -> None:
    """Make the record of a first line and its continuation lines. The
    administrative columns repeat across codes (about 1,200 distinct in 8,600
    records): each distinct text is parsed once."""
    n, s = first
    if len(s) < 320:
        s = s.ljust(320)
    admin_text, status_text = s[119:268], s[268:293]
    admin = cache[0].get(admin_text)
    if admin is None:
        admin = cache[0][admin_text] = _admin(s, n, dates, label)
    status = cache[1].get(status_text)
    if status is None:
        status = cache[1][status_text] = _status(s, n, dates)
    fields, unknown, defects = admin
    if defects:  # warned per record (the parsed columns are shared)
        for defect in defects:
            warnings.warn(f"{label}, line {n}: {defect} (read)", DefectWarning, stacklevel=3)
    values, unknown_status = status
    if unknown_status:
        unknown = (*unknown, *unknown_status)
    is_modifier = s[10] == "7"
    # Positional, in the order of Record's fields (8,600 records: it shows).
    record = Record(  # type: ignore[call-arg]  # the tuples hold the middle fields
        s[0:5].strip(),
        is_modifier,
        int(s[5:10]),
        pieces[0] if len(pieces) == 1 else " ".join(filter(None, pieces)),
        s[91:119].strip() or None,
        *fields,
        *values,
        len(pieces),
        n,
        unknown,
        defects,
    )
    out[is_modifier].append(record)
