"""Every loader takes a binary file object (``open(path, "rb")``,
``io.BytesIO(data)``) as it takes a path: the same release, the same
checksums, the same bounds; a text-mode file is refused, saying so."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

import medcodes
from medcodes.errors import ParseError, SourceError, UsageError

from .helpers import CMS_2025_ZIP, HCPCS, HCPCS_2017_ZIP, HCPCS_ANWEB, TABULAR_2025_APRIL

APRIL_2025 = dt.date(2025, 4, 1)


def test_icd10cm_from_bytesio_equals_from_path() -> None:
    from_path = medcodes.icd10cm.load(TABULAR_2025_APRIL)
    data = io.BytesIO(TABULAR_2025_APRIL.read_bytes())
    from_memory = medcodes.icd10cm.load(data, effective=APRIL_2025)  # no name to say "April"
    assert from_memory.release.effective == from_path.release.effective == APRIL_2025
    assert [n.code for n in from_memory.billable_codes()] == [
        n.code for n in from_path.billable_codes()
    ]
    (source,) = from_memory.release.sources
    assert source.path == "<BytesIO>" and source.sha256 == from_path.release.sources[0].sha256


def test_icd10cm_with_an_order_file_object_and_a_named_file() -> None:
    with TABULAR_2025_APRIL.open("rb") as tab, CMS_2025_ZIP.open("rb") as order:
        cm = medcodes.icd10cm.load(tab, order=order)  # names from the files: April, FY2025
    assert cm.release.label == "ICD-10-CM FY2025 (effective 2025-04-01)"
    assert [s.name for s in cm.release.sources] == [
        "icd10cm-tabular-April-2025.xml.gz",
        "icd10cm_order_2025.txt",
    ]
    assert cm["E11.65"].short_title is not None  # from the order file
    # an official zip as a file object: its members are found as in a path
    order_only = medcodes.icd10cm.load(io.BytesIO(CMS_2025_ZIP.read_bytes()))
    assert len(order_only.billable_codes()) == 74260


def test_hcpcs_from_file_objects() -> None:
    path = HCPCS_ANWEB[2020]
    from_path = medcodes.hcpcs.load(path)
    with path.open("rb") as fh:
        assert medcodes.hcpcs.load(fh).release == from_path.release  # the name gives 2020
    from_memory = medcodes.hcpcs.load(io.BytesIO(path.read_bytes()), year=2020)
    assert from_memory.records() == from_path.records()
    with pytest.raises(SourceError, match="does not say its year: pass year="):
        medcodes.hcpcs.load(io.BytesIO(path.read_bytes()))
    zipped = medcodes.hcpcs.load(io.BytesIO(HCPCS_2017_ZIP.read_bytes()))  # member names: 2017
    assert (zipped.release.year, len(zipped)) == (2017, 6155)


def test_workbooks_and_reports_from_file_objects() -> None:
    workbook = HCPCS / "2025-HCPC2025_JAN_ANWEB_Corrections_12172024.xlsx"
    with workbook.open("rb") as fh:
        assert medcodes.hcpcs.load_corrections(fh) == medcodes.hcpcs.load_corrections(workbook)
    report = HCPCS / "2025-HCPC2025_JAN_Transaction Report_12172024.xlsx"
    from_memory = medcodes.hcpcs.load_transaction_report(io.BytesIO(report.read_bytes()))
    assert from_memory.rows == medcodes.hcpcs.load_transaction_report(report).rows
    addenda = medcodes.icd10cm.load_addenda(io.BytesIO(CMS_2025_ZIP.read_bytes()), "order")
    assert addenda.lines == medcodes.icd10cm.load_addenda(CMS_2025_ZIP, "order").lines


def test_file_objects_keep_the_bounds() -> None:
    data = HCPCS_ANWEB[2019].read_bytes()  # .xz: the bound applies after decompression
    with pytest.raises(SourceError, match="larger than the limit of 100000 bytes"):
        medcodes.hcpcs.load(io.BytesIO(data), year=2019, max_bytes=100_000)
    with pytest.raises(SourceError, match="larger than the limit of 1000 bytes"):
        medcodes.hcpcs.load(io.BytesIO(b"x" * 2000), year=2019, max_bytes=1000)


def test_text_mode_and_closed_files_are_usage_errors(tmp_path: Path) -> None:
    text = tmp_path / "HCPC2020_ANWEB.txt"
    text.write_bytes(b"")
    with text.open(encoding="utf-8") as fh, pytest.raises(UsageError, match="open it with 'rb'"):
        medcodes.hcpcs.load(fh)
    fh = text.open("rb")
    fh.close()
    with pytest.raises(UsageError, match="cannot read the file object"):
        medcodes.icd10cm.load(fh)


def test_garbage_in_memory_is_a_parse_error_naming_the_object() -> None:
    with pytest.raises(ParseError, match=r"<BytesIO>"):
        medcodes.icd10cm.load(io.BytesIO(b"not a release\n" * 10))
