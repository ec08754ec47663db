"""Codes files: billable codes with long titles, loaded as a release."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

import medcodes
from medcodes.errors import DefectWarning, ParseError
from medcodes.icd10cm import Kind

from .helpers import CDC_2026_ZIP, CMS_2025_ZIP


def _extract(zip_path: Path, member: str, folder: Path) -> Path:
    with zipfile.ZipFile(zip_path) as zf:
        zf.extract(member, folder)
    return folder / member


def test_a_codes_file_is_the_billable_rows_of_the_order_file(tmp_path: Path) -> None:
    codes = medcodes.icd10cm.load(_extract(CDC_2026_ZIP, "icd10cm-codes-2026.txt", tmp_path))
    order = medcodes.icd10cm.load(CDC_2026_ZIP)
    assert [n.key for n in codes.values()] == [n.key for n in order.billable_codes()]
    assert all(codes[n.key].title == n.title for n in order.billable_codes())
    assert codes.release.fiscal_year == 2026 and codes.release.sources[0].format == "codes"
    node = codes["S72.001A"]
    assert node.billable and node.kind is Kind.CODE and node.parent is None
    assert node.short_title is None and not node.notes
    assert "S72.001" not in codes  # no headers in a codes file


def test_a_folder_with_only_a_codes_file(tmp_path: Path) -> None:
    _extract(CMS_2025_ZIP, "icd10cm_codes_2025.txt", tmp_path)
    cs = medcodes.icd10cm.load(tmp_path)
    assert len(cs) == len(cs.billable_codes()) == 74_260


def test_a_broken_codes_file_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "icd10cm_codes_2025.txt"
    path.write_bytes(b"A000    Cholera due to Vibrio cholerae\r\n!!!\r\n")
    with pytest.raises(ParseError, match=r"line 2: not a codes-file record"):
        medcodes.icd10cm.load(path)
    path.write_bytes(b"A000    Cholera\r\nA000    Cholera again\r\nA001    Cholera too\r\n")
    with pytest.warns(DefectWarning, match=r"line 2: code A000 appears twice"):
        cs = medcodes.icd10cm.load(path)
    pairs = [(n.code, n.title) for n in cs.values()]
    assert pairs == [("A00.0", "Cholera"), ("A00.1", "Cholera too")]


def test_a_diff_with_a_codes_file_says_what_it_did_not_compare(tmp_path: Path) -> None:
    path = tmp_path / "icd10cm_codes_2025.txt"
    with zipfile.ZipFile(CMS_2025_ZIP) as zf:
        path.write_bytes(zf.read("icd10cm_codes_2025.txt"))
    changes = medcodes.icd10cm.diff(medcodes.icd10cm.load(path), medcodes.icd10cm.load())
    assert "Not compared (a release was loaded without the file that has them): headers, " in (
        changes.to_markdown()
    )
    compared = json.loads(changes.to_json())["compared"]
    assert compared == {"headers": False, "short_titles": False, "structure": False}
