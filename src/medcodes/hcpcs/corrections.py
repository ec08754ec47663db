"""CMS's HCPCS corrections workbooks (``HCPC2019_Corrections_ALPHA.xlsx``):
changes CMS made to a file after publishing it, one row per code, with the
action as free text and the corrected fields.

The ``.prn`` copies of those workbooks cut every cell to its column width
(``Change Ac``, dates like ``01/0/1201``): the ``.xlsx`` is read instead.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from attrs import frozen

from .._repr import bounded
from .._xlsx import excel_date, read_sheet
from ..errors import ParseError
from ..sources import (
    MAX_BYTES_ADDENDA,
    PathArg,
    _candidates,
    _check_max_bytes,
    _no_match,
    _path,
    _read,
    _workbook,
)

__all__ = ["Correction", "load_corrections"]

CORRECTIONS_NAME = re.compile(r"(?i)correction\w*\.xlsx$")


@bounded
@frozen
class Correction:
    """One corrected code.

    :ivar code: the procedure code or modifier.
    :ivar action: what CMS did, as written ("ADD CODE", "Change xref code to J7203").
    :ivar effective: the effective date; ``None`` when the workbook's text is
        not a date (it has the typo ``01/0/12019`` for Q5111).
    :ivar effective_text: the effective date as stored in the workbook (an
        Excel date serial such as ``43466``, or text).
    :ivar fields: the other non-empty columns, by their heading (SHORT DESC,
        COV, PRICE, XREF CODE, ASC IND, ...).
    :ivar row: the row number in the worksheet.
    :ivar workbook: the workbook it was read from (CMS issues several: v1, v2).
    """

    code: str
    action: str
    effective: dt.date | None
    effective_text: str
    fields: Mapping[str, str]
    row: int
    workbook: str = ""


def load_corrections(
    source: PathArg, *, max_bytes: int = MAX_BYTES_ADDENDA
) -> tuple[Correction, ...]:
    """Read a corrections workbook (the ``.xlsx``), or every workbook of the
    official zip or folder holding them, in name order.

    :raises ~medcodes.errors.ParseError: not a corrections workbook.
    """
    max_bytes = _check_max_bytes(max_bytes)
    given = _path(source)
    workbook = _workbook(given)  # a workbook is a zip: take it whole
    if workbook is not None:
        picked = [workbook]
    else:
        cands, _ = _candidates(given)
        # CMS issues corrections in several workbooks (v1, v2): read them all, in name order.
        picked = sorted((c for c in cands if CORRECTIONS_NAME.search(c.name)), key=lambda c: c.name)
        if not picked:
            raise _no_match(cands, "HCPCS corrections workbook (.xlsx)", str(given))
    out: list[Correction] = []
    for cand in picked:
        src = _read(cand, max_bytes)
        out.extend(parse_corrections(src.data, src.label))
    return tuple(out)


def _date(text: str, date1904: bool = False) -> dt.date | None:
    text = text.strip()
    if re.fullmatch(r"\d+(\.0+)?", text):
        return excel_date(text, date1904)
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if m:
        try:
            return dt.date(int(m.group(3)), int(m.group(1)), int(m.group(2)))
        except ValueError:
            return None
    return None


# Headings of the 2025 workbooks, in the 2019 workbooks' terms.
_HEADINGS = {"HCPCS/MOD CODE": "CODE", "EFFECTIVE DATE": "EFF DATE"}


def _heading(text: str) -> str:
    name = " ".join(text.split()).upper()
    return _HEADINGS.get(name, name)


def parse_corrections(data: bytes, label: str) -> tuple[Correction, ...]:
    """Parse the bytes of a corrections workbook."""
    sheet = read_sheet(data, label)
    rows = sheet.rows
    head = next(
        (n for n, r in enumerate(rows) if [_heading(c) for c in r[:2]] == ["CODE", "ACTION"]),
        None,
    )
    if head is None:
        raise ParseError("no CODE / ACTION heading: not a corrections workbook", file=label)
    names = [_heading(c) for c in rows[head]]
    out = []
    for n, row in enumerate(rows[head + 1 :], head + 2):
        cells = dict(zip(names, (c.strip() for c in row), strict=False))
        code = cells.get("CODE", "")
        if not code:
            continue
        if not re.fullmatch(r"[A-Z0-9]{2}|[A-Z][0-9]{4}", code):
            raise ParseError(f"row {n}: {code!r} is not an HCPCS code", file=label)
        eff = cells.get("EFF DATE", "")
        fields = {
            k: (
                _date(v, sheet.date1904).isoformat()  # type: ignore[union-attr]
                if "DATE" in k and _date(v, sheet.date1904)
                else v
            )
            for k, v in cells.items()
            if v and k not in ("CODE", "ACTION", "EFF DATE")
        }
        out.append(
            Correction(
                code, cells.get("ACTION", ""), _date(eff, sheet.date1904), eff, fields, n, label
            )
        )
    return tuple(out)
