"""The first worksheet of an .xlsx workbook as rows of text, with the
standard library's zipfile and the hardened lxml parser (no pandas, no
openpyxl). Enough for CMS's small correction and report workbooks."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from lxml import etree

from .errors import ParseError
from .sources import CORRUPT_DATA

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_MAX_MEMBER = 64 << 20
_CELL = re.compile(r"([A-Z]+)(\d+)")


def _xml(zf: zipfile.ZipFile, name: str, label: str) -> etree._Element | None:
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
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"{name}: not well-formed XML ({exc.msg})", file=label) from exc


#: Excel's sheets have 16,384 columns (A to XFD).
_MAX_COLUMNS = 16_384
#: The most cells read from a sheet, empty ones included: CMS's workbooks
#: have a few hundred thousand (the ANWEB copy: 8,600 rows of 50 columns).
_MAX_CELLS = 2_000_000
#: The most XML tags in a sheet member, checked before it is parsed.
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
        strings_root = _xml(zf, "xl/sharedStrings.xml", label)
        strings = (
            ["".join(str(t) for t in si.itertext()) for si in strings_root.iter(f"{_NS}si")]
            if strings_root is not None
            else []
        )
        sheet = _xml(zf, "xl/worksheets/sheet1.xml", label)
        if sheet is None:
            raise ParseError("the workbook has no first worksheet", file=label)
    rows: list[list[str]] = []
    total = 0  # cells kept, empty ones included
    for row in sheet.iter(f"{_NS}row"):
        cells: list[str] = []
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
                        "ones before it): not one of CMS's small workbooks",
                        file=label,
                    )
            cells.extend([""] * (col - len(cells)))
            cells.append(text)
        rows.append(cells)
    return rows
