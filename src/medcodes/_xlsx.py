"""The first worksheet of an .xlsx workbook as rows of text, with the
standard library's zipfile and the hardened lxml parser (no pandas, no
openpyxl). Enough for CMS's small correction and report workbooks.

The first worksheet is the first ``<sheet>`` of ``xl/workbook.xml`` (the order
of the tabs), found through the workbook's relationships, whatever its part is
named; the workbook's date system (1900, or 1904 as old Mac workbooks use) is
read there too."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator

from attrs import frozen
from lxml import etree

from .errors import ParseError
from .sources import CORRUPT_DATA

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
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


def _xml(zf: zipfile.ZipFile, name: str, label: str) -> etree._Element | None:
    """A small member (the workbook, its relationships) parsed whole."""
    data = _member(zf, name, label)
    if data is None:
        return None
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"{name}: not well-formed XML ({exc.msg})", file=label) from exc


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def excel_date(serial: str, date1904: bool = False) -> dt.date | None:
    """An Excel date serial as a date, or ``None`` if not one: days since
    1899-12-30 in the 1900 date system (Excel's; it counts a February 29, 1900
    that never was, so the base is the 30th), since 1904-01-01 in the 1904 one.

    >>> excel_date("45658"), excel_date("44196", date1904=True), excel_date("x")
    (datetime.date(2025, 1, 1), datetime.date(2025, 1, 1), None)
    """
    base = dt.date(1904, 1, 1) if date1904 else dt.date(1899, 12, 30)
    try:
        days = float(serial)
        return base + dt.timedelta(days=int(days))
    except (ValueError, OverflowError):  # not a number, or past any calendar
        return None


@frozen
class Sheet:
    """The first worksheet of a workbook: its cells as text, row by row, and
    the workbook's date system (``date1904``), to read date serials with
    :meth:`date`."""

    rows: list[list[str]]
    date1904: bool = False

    def date(self, serial: str) -> dt.date | None:
        """A date serial of this workbook as a date (see :func:`excel_date`)."""
        return excel_date(serial, self.date1904)


def _first_sheet(zf: zipfile.ZipFile, label: str) -> tuple[str, bool]:
    """The part name of the workbook's first sheet, and whether it uses the 1904
    date system."""
    workbook = _xml(zf, "xl/workbook.xml", label)
    if workbook is None:
        raise ParseError("not an .xlsx workbook: no xl/workbook.xml", file=label)
    props = workbook.find(f"{_NS}workbookPr")
    date1904 = props is not None and (props.get("date1904") or "").lower() in ("1", "true")
    first = workbook.find(f"{_NS}sheets/{_NS}sheet")
    if first is None:
        raise ParseError("the workbook has no worksheet", file=label)
    rid = first.get(f"{_REL_NS}id")
    rels = _xml(zf, "xl/_rels/workbook.xml.rels", label)
    target = None
    if rels is not None and rid is not None:
        for rel in rels.iter(f"{_PKG_REL_NS}Relationship"):
            if rel.get("Id") == rid:
                target = rel.get("Target")
                break
    if not target:
        raise ParseError(
            f"the first worksheet ({first.get('name')!r}) has no part in the workbook's "
            "relationships",
            file=label,
        )
    # Relative to xl/ (worksheets/sheet2.xml), or absolute in the package (/xl/...).
    part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return part, date1904


def read_sheet(data: bytes, label: str) -> Sheet:
    """The first worksheet (in the workbook's order of sheets) as a :class:`Sheet`."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except ParseError:
        raise  # ours, already naming the file
    except CORRUPT_DATA as exc:
        raise ParseError(f"not an .xlsx workbook ({exc})", file=label) from exc
    with zf:
        part, date1904 = _first_sheet(zf, label)
        shared = _member(zf, "xl/sharedStrings.xml", label)
        sheet = _member(zf, part, label)
    if sheet is None:
        raise ParseError(f"the first worksheet's part {part} is missing", file=label)
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
    for row in _each(sheet, f"{_NS}row", part, label):
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
    return Sheet(rows, date1904)


def read_rows(data: bytes, label: str) -> list[list[str]]:
    """The cells of the first worksheet, row by row (empty cells as ``""``)."""
    return read_sheet(data, label).rows
