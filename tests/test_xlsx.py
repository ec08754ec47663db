"""The .xlsx reader on small generated workbooks: the first sheet in the
workbook's order (not the part named sheet1.xml), the 1904 date system, and
workbooks that are not what they claim. (The real CMS workbooks are read in
tests/real/test_hcpcs_workbook.py and tests/test_hcpcs.py.)"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from xml.sax.saxutils import escape

import pytest

from medcodes._xlsx import excel_date, read_rows, read_sheet
from medcodes.errors import ParseError
from medcodes.hcpcs.corrections import parse_corrections

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def _sheet_xml(rows: list[list[str | int]]) -> str:
    out = []
    for n, row in enumerate(rows, 1):
        cells = []
        for col, value in enumerate(row):
            ref = f"{chr(65 + col)}{n}"
            if isinstance(value, int):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
        out.append(f'<row r="{n}">{"".join(cells)}</row>')
    return f'<worksheet xmlns="{MAIN}"><sheetData>{"".join(out)}</sheetData></worksheet>'


def workbook(
    sheets: list[tuple[str, str, list[list[str | int]]]],
    *,
    date1904: str | None = None,
    rels: bool = True,
) -> bytes:
    """A minimal workbook: ``sheets`` in tab order, each (name, target, rows);
    the relationship ids are numbered backwards so that tab order and part
    names disagree."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        pr = f'<workbookPr date1904="{date1904}"/>' if date1904 is not None else ""
        entries = "".join(
            f'<sheet name="{name}" sheetId="{i + 1}" r:id="rId{len(sheets) - i}"/>'
            for i, (name, _, _) in enumerate(sheets)
        )
        zf.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}">{pr}<sheets>{entries}</sheets></workbook>',
        )
        if rels:
            links = "".join(
                f'<Relationship Id="rId{len(sheets) - i}" Target="{target}" Type="worksheet"/>'
                for i, (_, target, _) in enumerate(sheets)
            )
            zf.writestr(
                "xl/_rels/workbook.xml.rels",
                f'<Relationships xmlns="{PKG}">{links}</Relationships>',
            )
        for _, target, rows in sheets:
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            zf.writestr(part, _sheet_xml(rows))
    return buf.getvalue()


def test_the_first_sheet_is_the_first_tab_not_sheet1_xml() -> None:
    data = workbook(
        [
            ("Data", "worksheets/sheet2.xml", [["HCPC", "SHORT"], ["J9308", "Ramucirumab"]]),
            ("Notes", "worksheets/sheet1.xml", [["read me"]]),
        ]
    )
    assert read_rows(data, "w.xlsx") == [["HCPC", "SHORT"], ["J9308", "Ramucirumab"]]
    # the same parts, the other tab first
    swapped = workbook(
        [
            ("Notes", "worksheets/sheet1.xml", [["read me"]]),
            ("Data", "worksheets/sheet2.xml", [["HCPC"]]),
        ]
    )
    assert read_rows(swapped, "w.xlsx") == [["read me"]]


def test_an_absolute_part_name() -> None:
    data = workbook([("Data", "/xl/worksheets/data.xml", [["A", "", 3]])])
    assert read_rows(data, "w.xlsx") == [["A", "", "3"]]


@pytest.mark.parametrize(
    ("flag", "is1904"), [(None, False), ("0", False), ("1", True), ("true", True)]
)
def test_the_date_system_is_read(flag: str | None, is1904: bool) -> None:
    sheet = read_sheet(workbook([("S", "worksheets/sheet1.xml", [[1]])], date1904=flag), "w")
    assert sheet.date1904 is is1904


def test_excel_date_in_both_systems() -> None:
    # 2025-01-01 is serial 45658 (1900 system) and 44196 (1904 system): 1,462 days apart
    assert excel_date("45658") == dt.date(2025, 1, 1)
    assert excel_date("44196", date1904=True) == dt.date(2025, 1, 1)
    assert excel_date("45658", date1904=True) == dt.date(2029, 1, 2)
    assert excel_date("45658.75") == dt.date(2025, 1, 1)
    assert excel_date("soon") is None and excel_date("1e400") is None


def test_corrections_dates_honour_the_1904_system() -> None:
    rows: list[list[str | int]] = [
        ["HCPCS/MOD CODE", "ACTION", "EFFECTIVE DATE", "TERM DATE"],
        ["J9308", "Correct long description", 45658, 45688],
    ]
    as1900 = parse_corrections(workbook([("S", "worksheets/sheet1.xml", rows)]), "c.xlsx")
    assert (as1900[0].effective, as1900[0].fields["TERM DATE"]) == (
        dt.date(2025, 1, 1),
        "2025-01-31",
    )
    rows[1][2:] = [44196, 44226]  # the same days, written by a 1904 workbook
    data = workbook([("S", "worksheets/sheet1.xml", rows)], date1904="1")
    (as1904,) = parse_corrections(data, "c.xlsx")
    assert (as1904.effective, as1904.fields["TERM DATE"]) == (dt.date(2025, 1, 1), "2025-01-31")


def test_broken_workbooks_are_parse_errors() -> None:
    no_rels = workbook([("Data", "worksheets/sheet1.xml", [["x"]])], rels=False)
    with pytest.raises(ParseError, match=r"w\.xlsx: the first worksheet \('Data'\) has no part"):
        read_rows(no_rels, "w.xlsx")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/worksheets/sheet1.xml", _sheet_xml([["x"]]))
    with pytest.raises(ParseError, match=r"no xl/workbook\.xml"):
        read_rows(buf.getvalue(), "w.xlsx")
    empty = workbook([])
    with pytest.raises(ParseError, match="has no worksheet"):
        read_rows(empty, "w.xlsx")
    missing = io.BytesIO()
    original = io.BytesIO(workbook([("D", "worksheets/a.xml", [["x"]])]))
    with zipfile.ZipFile(original) as src, zipfile.ZipFile(missing, "w") as dst:
        for info in src.infolist():
            if info.filename != "xl/worksheets/a.xml":
                dst.writestr(info, src.read(info))
    with pytest.raises(ParseError, match=r"part xl/worksheets/a\.xml is missing"):
        read_rows(missing.getvalue(), "w.xlsx")
