"""Damaged copies of the official files and odd arguments: a clear error of
medcodes' own, never a silently shortened release (found by a fresh-eyes review)."""

from __future__ import annotations

import io
import lzma
import os
import re
import zipfile
from pathlib import Path

import pytest

import medcodes
from medcodes import hcpcs
from medcodes.errors import ParseError, SourceError, UsageError
from medcodes.icd10cm import Codeset, Problem

from .helpers import ADDENDA_APRIL_2026, BUNDLED, CMS_2025_ZIP, HCPCS_2025_CORRECTIONS

_HCPCS_FILE = BUNDLED / hcpcs.loader.BUNDLED


@pytest.fixture(scope="module")
def hcpcs_bytes() -> bytes:
    return lzma.decompress(_HCPCS_FILE.read_bytes())


def _official(member: str) -> bytes:
    with zipfile.ZipFile(CMS_2025_ZIP) as zf:
        return zf.read(member)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "member", ["icd10cm_order_2025.txt", "icd10cm_codes_2025.txt", "icd10cm_order_addenda_2025.txt"]
)
def test_a_text_file_cut_inside_a_line_is_refused(tmp_path: Path, member: str) -> None:
    data = _official(member)
    cut = data.rindex(b"\r\n", 0, len(data) // 2) + 40  # 40 characters into a line
    path = _write(tmp_path, member, data[:cut])
    expected = data[:cut].count(b"\n") + 1
    load = medcodes.icd10cm.load_addenda if "addenda" in member else medcodes.icd10cm.load
    with pytest.raises(ParseError, match=rf"line {expected}: the last line has no line end"):
        load(path)


def test_an_hcpcs_file_cut_inside_a_line_is_refused(tmp_path: Path, hcpcs_bytes: bytes) -> None:
    cut = hcpcs_bytes.index(b"\r\n", len(hcpcs_bytes) // 2) + 100
    path = _write(tmp_path, "HCPC2025_JAN_ANWEB.txt", hcpcs_bytes[:cut])
    with pytest.raises(ParseError, match="the file is cut short"):
        hcpcs.load(path)


def test_a_nul_byte_anywhere_is_refused_with_its_line(tmp_path: Path) -> None:
    data = bytearray(_official("icd10cm_order_2025.txt"))
    at = data.index(b"S62031G")
    data[at + 30] = 0  # inside the title, far past the first kilobyte
    path = _write(tmp_path, "icd10cm_order_2025.txt", bytes(data))
    line = data[:at].count(b"\n") + 1
    with pytest.raises(ParseError, match=rf"line {line}: a NUL byte"):
        medcodes.icd10cm.load(path)


def test_a_byte_order_mark_does_not_cost_the_first_hcpcs_record(
    tmp_path: Path, hcpcs_bytes: bytes
) -> None:
    plain = hcpcs.load(_write(tmp_path, "HCPC2025_JAN_ANWEB.txt", hcpcs_bytes))
    marked = hcpcs.load(_write(tmp_path, "HCPC2025_JAN_ANWEB.txt", b"\xef\xbb\xbf" + hcpcs_bytes))
    assert [r.code for r in marked.modifier_records()] == [r.code for r in plain.modifier_records()]
    assert len(marked.records()) == len(plain.records()) == 8259


@pytest.mark.parametrize("prefix", [b" ", b"x", b"\xa0"])
def test_something_before_the_first_hcpcs_record_is_refused(
    tmp_path: Path, hcpcs_bytes: bytes, prefix: bytes
) -> None:
    path = _write(tmp_path, "HCPC2025_JAN_ANWEB.txt", prefix + hcpcs_bytes)
    with pytest.raises(ParseError, match="line 1: a line as long as a record"):
        hcpcs.load(path)


def test_a_non_ascii_digit_in_a_number_field_is_refused(tmp_path: Path, hcpcs_bytes: bytes) -> None:
    lines = hcpcs_bytes.split(b"\r\n")
    first = lines[0]
    lines[0] = first[:265] + b" \xb2 " + first[268:]  # "²" in the anesthesia base units
    path = _write(tmp_path, "HCPC2025_JAN_ANWEB.txt", b"\r\n".join(lines))
    with pytest.raises(ParseError, match=r"line 1: anesthesia base units '²' are not a number"):
        hcpcs.load(path)


def test_an_addenda_summary_that_repeats_a_count_is_refused(tmp_path: Path) -> None:
    data = ADDENDA_APRIL_2026[0].read_bytes()
    last = data.rstrip().rsplit(b"\r\n", 1)[-1]
    assert re.fullmatch(rb"\s*\d+ \S.*", last)  # a count line
    path = _write(tmp_path, ADDENDA_APRIL_2026[0].name, data + last + b"\r\n")
    with pytest.raises(ParseError, match=r"gives .* twice"):
        medcodes.icd10cm.load_addenda(path)


def _edit_sheet(data: bytes, edit: tuple[bytes, bytes]) -> bytes:
    """The workbook with one replacement in its first worksheet."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert edit[0] in body
                body = body.replace(edit[0], edit[1], 1)
            dst.writestr(info, body)
    return out.getvalue()


def test_a_workbook_cell_past_the_last_column_is_refused(tmp_path: Path) -> None:
    data = _edit_sheet(HCPCS_2025_CORRECTIONS.read_bytes(), (b' r="A5"', b' r="ZZZZZZZZZ5"'))
    path = _write(tmp_path, HCPCS_2025_CORRECTIONS.name, data)
    with pytest.raises(ParseError, match="ZZZZZZZZZ5: past Excel's last column"):
        hcpcs.load_corrections(path)


def test_paths_that_are_not_regular_files(tmp_path: Path) -> None:
    fifo = tmp_path / "icd10cm-order-2026.txt"
    os.mkfifo(fifo)
    with pytest.raises(SourceError, match="not a regular file"):
        medcodes.icd10cm.load(fifo)  # refused at once, not read forever
    with pytest.raises(SourceError, match="cannot open"):
        medcodes.icd10cm.load("x" * 300)  # a name too long for the system
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    with pytest.raises(SourceError, match="symbolic link that leads nowhere"):
        medcodes.icd10cm.load(loop)
    with pytest.raises(SourceError, match="not a regular file"):
        hcpcs.load_corrections(tmp_path / "icd10cm-order-2026.txt")


@pytest.mark.parametrize("value", [None, "10", 1.5, 0, -1, True])
def test_max_bytes_must_be_a_positive_whole_number(value: object) -> None:
    with pytest.raises(UsageError, match="max_bytes must be a positive number of bytes"):
        medcodes.icd10cm.load(max_bytes=value)  # type: ignore[arg-type]
    for load in (medcodes.icd10cm.load, hcpcs.load, medcodes.icd10cm.load_addenda):
        with pytest.raises(UsageError):  # said before the missing file
            load("/nonexistent", max_bytes=value)  # type: ignore[operator]


def test_a_bound_past_memory_means_no_bound() -> None:
    assert len(hcpcs.load(max_bytes=10**30)) == 8259


@pytest.mark.parametrize("text", ["\u0131" + "10", "\u017f72.001A", "S72.001\u0410"])
def test_unicode_look_alikes_are_not_codes(cm: Codeset, text: str) -> None:
    # str.upper() turns the dotless i into I and the long s into S.
    assert cm.check_code(text).problem is Problem.MALFORMED
    assert cm.get(text) is None and text not in cm


def test_unicode_look_alikes_are_not_hcpcs_codes() -> None:
    hc = hcpcs.load()
    assert hc.check_modifier("\ufb05").problem is hcpcs.Problem.NOT_A_MODIFIER  # "ﬅ" -> "ST"
    assert hc.get("\u017f4000") is None and "\u017f4000" not in hc


def test_blanks_or_an_end_of_file_mark_after_the_last_line_are_not_a_cut(tmp_path: Path) -> None:
    data = _official("icd10cm_codes_2025.txt")
    for tail in (b"   ", b"\x1a"):
        path = _write(tmp_path, "icd10cm_codes_2025.txt", data + tail)
        assert len(medcodes.icd10cm.load(path).billable_codes()) == 74260


def test_an_addenda_file_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    data = ADDENDA_APRIL_2026[0].read_bytes()
    path = _write(tmp_path, ADDENDA_APRIL_2026[0].name, b"\xef\xbb\xbf" + data)
    marked, plain = (medcodes.icd10cm.load_addenda(p) for p in (path, ADDENDA_APRIL_2026[0]))
    assert (marked.type, marked.lines, marked.codes, marked.headers) == (
        plain.type,
        plain.lines,
        plain.codes,
        plain.headers,
    )
    assert marked.codes is not None and marked.codes.new_total == 74719
