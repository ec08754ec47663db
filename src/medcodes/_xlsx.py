"""The first worksheet of an .xlsx workbook as rows of text, with the
standard library's zipfile and the hardened lxml parser (no pandas, no
openpyxl). Enough for CMS's small correction and report workbooks."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator

from lxml import etree

from .errors import ParseError
from .sources import CORRUPT_DATA

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_MAX_MEMBER = 64 << 20
_CELL = re.compile(r"([A-Z]+)(\d+)")


def _member(zf: zipfile.ZipFile, name: str, label: str) -> bytes | None:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if info.file_size > _MAX_MEMBER:
        raise ParseError(f"workbook member {name} is too large", file=label)
    try:
        data = zf.read(info)
    except ParseError:
        raise  # ours, already naming the file
    except CORRUPT_DATA as exc:
        raise ParseError(f"workbook member {name} is damaged ({exc})", file=label) from exc
    if b"<!DOCTYPE" in data[:2048]:
        raise ParseError("document type declarations are not allowed", file=label)
    if data.count(b"<") > _MAX_TAGS:
        raise ParseError(f"workbook member {name} has more than {_MAX_TAGS} tags", file=label)
    return data


def _each(data: bytes, tag: str, name: str, label: str) -> Iterator[etree._Element]:
    """The ``tag`` elements of a member, one at a time, each freed once the
    caller is done with it (the whole tree would cost a hundred bytes per tag)."""
    events = etree.iterparse(
        io.BytesIO(data),
        events=("end",),
        tag=tag,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    )
    try:
        for _, el in events:
            yield el
            el.clear()
            while el.getprevious() is not None:
                del el.getparent()[0]
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"{name}: not well-formed XML ({exc.msg})", file=label) from exc


#: Excel's sheets have 16,384 columns (A to XFD).
_MAX_COLUMNS = 16_384
#: The most cells read from a sheet, empty ones included, a row counting as 8:
#: 2.4 times CMS's largest (the January 2025 ANWEB copy: 8,643 rows, 415,000 cells).
_MAX_CELLS = 1_000_000
#: The most XML tags ("<") in a workbook member, checked before it is parsed
#: (the January 2025 ANWEB copy: 1.68 million).
_MAX_TAGS = 4_000_000


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def excel_date(serial: str) -> dt.date | None:
    """An Excel date serial (1900 system) as a date, or ``None`` if not one."""
    try:
        days = float(serial)
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(days))
    except (ValueError, OverflowError):  # not a number, or past any calendar
        return None


def read_rows(data: bytes, label: str) -> list[list[str]]:
    """The cells of the first worksheet, row by row (empty cells as ``""``)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except ParseError:
        raise  # ours, already naming the file
    except CORRUPT_DATA as exc:
        raise ParseError(f"not an .xlsx workbook ({exc})", file=label) from exc
    with zf:
        shared = _member(zf, "xl/sharedStrings.xml", label)
        sheet = _member(zf, "xl/worksheets/sheet1.xml", label)
    if sheet is None:
        raise ParseError("the workbook has no first worksheet", file=label)
    strings = (
        [
            "".join(str(t) for t in si.itertext())
            for si in _each(shared, f"{_NS}si", "xl/sharedStrings.xml", label)
        ]
        if shared is not None
        else []
    )
    del shared
    rows: list[list[str]] = []
    total = 0  # cells kept, empty ones included; a row counts as 8 (its list costs that)
    for row in _each(sheet, f"{_NS}row", "xl/worksheets/sheet1.xml", label):
        cells: list[str] = []
        total += 8
        for c in row.iter(f"{_NS}c"):
            m = _CELL.fullmatch(c.get("r") or "")
            col = _column(m.group(1)) if m else len(cells)
            if col >= _MAX_COLUMNS:
                raise ParseError(f"cell {c.get('r')}: past Excel's last column, XFD", file=label)
            kind = c.get("t")
            v = c.find(f"{_NS}v")
            if kind == "s" and v is not None and v.text is not None:
                try:
                    text = strings[int(v.text)]
                except (ValueError, IndexError):
                    raise ParseError(f"cell {c.get('r')}: bad shared string", file=label) from None
            elif kind == "inlineStr":
                text = "".join(str(t) for t in c.itertext())
            else:
                text = v.text if v is not None and v.text is not None else ""
            if col >= len(cells):
                total += col + 1 - len(cells)
            if total > _MAX_CELLS:
                raise ParseError(
                    f"cell {c.get('r')}: more than {_MAX_CELLS} cells (counting the empty "
                    "ones, and 8 per row): not one of CMS's workbooks",
                    file=label,
                )
            cells.extend([""] * (col - len(cells)))
            cells.append(text)
        if total > _MAX_CELLS:
            raise ParseError(f"more than {_MAX_CELLS} cells (8 per row)", file=label)
        rows.append(cells)
    return rows
