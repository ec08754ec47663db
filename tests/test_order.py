"""The order-file parser and order-file-only releases."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

import medcodes
from medcodes.errors import DefectWarning, MismatchError, ParseError
from medcodes.icd10cm import Codeset, Kind, OrderFile
from medcodes.icd10cm.order import parse_order

from .helpers import CDC_2026_ZIP, CMS_2025_ZIP, TABULAR_2025_APRIL


def test_fy2025_order_file(order2025: OrderFile) -> None:
    assert len(order2025) == 97_584
    assert order2025.flags.count("1") == 74_260
    first = next(order2025.records())
    assert (first.order, first.code, first.billable, first.short_title) == (
        1,
        "A00",
        False,
        "Cholera",
    )
    assert order2025.codes[-1] == "U099"  # U codes come last: tabular order, not alphabetical


def test_short_titles_come_from_the_order_file(cm: Codeset) -> None:
    node = cm["S12.8XXA"]
    assert node.short_title == "Fracture of other parts of neck, initial encounter"
    assert cm["E66.813"].short_title == "Obesity, class 3"
    assert cm["1"].short_title is None  # chapters have none


def test_order_file_alone_gives_a_structural_hierarchy() -> None:
    cs = medcodes.icd10cm.load(CMS_2025_ZIP)
    assert [s.format for s in cs.release.sources] == ["order"]
    assert cs.release.fiscal_year == 2025 and cs.release.effective.isoformat() == "2024-10-01"
    assert len(cs.billable_codes()) == 74_260
    assert not cs.chapters() and not cs.blocks()
    node = cs["S12.8XXA"]
    assert node.parent is not None and node.parent.code == "S12.8"  # padding X is no node
    assert [a.code for a in cs["T36.0X1A"].ancestors()] == ["T36.0X1", "T36.0X", "T36.0", "T36"]
    assert cs["A00"].kind is Kind.CATEGORY and cs["A00"].parent is None
    assert cs["I10"].kind is Kind.CODE


def test_mismatched_order_file_is_refused() -> None:
    with pytest.raises(MismatchError, match=r"codes only in the order file \(.*\)"):
        medcodes.icd10cm.load(TABULAR_2025_APRIL, order=CDC_2026_ZIP)


def test_malformed_line_names_its_line(tmp_path: Path) -> None:
    with zipfile.ZipFile(CMS_2025_ZIP) as zf:
        lines = zf.read("icd10cm_order_2025.txt").split(b"\r\n")
    lines[41] = lines[41][:14] + b"7" + lines[41][15:]  # flag neither 0 nor 1
    bad = tmp_path / "icd10cm_order_2025.txt"
    bad.write_bytes(b"\r\n".join(lines))
    with pytest.raises(ParseError, match=r"icd10cm_order_2025.txt, line 42: flag column"):
        medcodes.icd10cm.load(bad)


def test_lf_line_endings_are_accepted(tmp_path: Path) -> None:
    with zipfile.ZipFile(CMS_2025_ZIP) as zf:
        data = zf.read("icd10cm_order_2025.txt").replace(b"\r\n", b"\n")
    assert len(parse_order(data, "lf")) == 97_584


def test_utf16_is_refused() -> None:
    with zipfile.ZipFile(CMS_2025_ZIP) as zf:
        data = zf.read("icd10cm_order_2025.txt")[:2000].decode("ascii").encode("utf-16")
    with pytest.raises(ParseError, match="UTF-16"):
        parse_order(data, "x")


def test_a_codes_file_is_not_an_order_file(tmp_path: Path) -> None:
    with zipfile.ZipFile(CMS_2025_ZIP) as zf:
        data = zf.read("icd10cm_codes_2025.txt")
    path = tmp_path / "icd10cm_order_2025.txt"
    path.write_bytes(data)
    with pytest.raises(ParseError, match=r"line 1: not an order-file record"):
        medcodes.icd10cm.load(path)


def test_duplicate_code_loads_with_a_warning_naming_both_lines() -> None:
    with zipfile.ZipFile(CMS_2025_ZIP) as zf:
        lines = zf.read("icd10cm_order_2025.txt").split(b"\r\n")
    data = b"\r\n".join([*lines[:10], lines[3], *lines[10:20], b""])
    repeat = r"dup, line 11: code A009 appears twice \(first on line 4\)"
    with pytest.warns(DefectWarning, match=repeat):
        parsed = parse_order(data, "dup")
    clean = parse_order(b"\r\n".join([*lines[:20], b""]), "clean")
    assert parsed == clean  # the repeated line is dropped, nothing else changes
