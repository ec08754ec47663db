"""Damaged copies of the official files and odd arguments: a clear error of
medcodes' own, never a silently shortened release (found by a fresh-eyes review)."""

from __future__ import annotations

import gzip
import io
import itertools
import lzma
import os
import re
import subprocess
import sys
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

import medcodes
from medcodes import hcpcs
from medcodes.errors import DefectWarning, ParseError, SourceError, UsageError
from medcodes.icd10cm import Codeset, Problem

from .helpers import (
    ADDENDA_APRIL_2026,
    BUNDLED,
    CDC_2026_ZIP,
    CMS_2025_ZIP,
    HCPCS_2025_CORRECTIONS,
)

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


# -- issue 14: wrong input that loaded silently or cost unbounded memory -------


def _tabular(rule: str, leaves: int = 3, version: str = "2026") -> bytes:
    """A small tabular: one category with a 7th-character rule over ``leaves`` leaves."""
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    names = [f"S99.0{a}{b}" for a in digits for b in digits][:leaves]
    diags = "".join(f"<diag><name>{n}</name><desc>Leaf</desc></diag>" for n in names)
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<ICD10CM.tabular><version>{version}</version>\n'
        '<chapter><name>19</name><desc>Injury</desc><section id="S99"><desc>S</desc>\n'
        f"<diag><name>S99</name><desc>Other</desc>\n<sevenChrDef>{rule}</sevenChrDef>\n"
        f"<diag><name>S99.0</name><desc>Sub</desc>{diags}</diag>\n"
        "</diag></section></chapter></ICD10CM.tabular>\n"
    ).encode()


def _rule(chars: str) -> str:
    return "".join(f'<extension char="{c}">label {c}</extension>' for c in chars)


def test_a_small_generated_tabular_loads(tmp_path: Path) -> None:
    cs = medcodes.icd10cm.load(_write(tmp_path, "t.xml", _tabular(_rule("ADS"))))
    assert [n.code for n in cs["S99.000"].children] == ["S99.000A", "S99.000D", "S99.000S"]
    assert [n.code for n in cs["S99.001"].children] == ["S99.001A", "S99.001D", "S99.001S"]


@pytest.mark.parametrize(
    ("chars", "message"),
    [
        ("A\u4e00", r"<extension char='\u4e00'>: a 7th character must be one of 0-9 A-Z"),
        ("Aa", r"<extension char='a'>: a 7th character must be one of 0-9 A-Z"),
        ("A\u0661", r"<extension char='\u0661'>"),  # an Arabic-Indic digit: isalnum()
        ("0123456789ABCDEFG", "<sevenChrDef> of S99 defines more than 16 characters"),
        ("ADA", r"<extension char='A'> appears twice"),
    ],
)
def test_seventh_character_rules_are_bounded(tmp_path: Path, chars: str, message: str) -> None:
    path = _write(tmp_path, "t.xml", _tabular(_rule(chars)))
    with pytest.raises(ParseError, match=rf"t\.xml, line 5: {message}"):
        medcodes.icd10cm.load(path)


def test_a_duplicated_extension_is_refused_not_expanded(tmp_path: Path) -> None:
    # 2,000 copies of one <extension> over 500 leaves: refused at the second copy.
    path = _write(tmp_path, "t.xml", _tabular(_rule("A") * 2000, leaves=500))
    with pytest.raises(ParseError, match="appears twice"):
        medcodes.icd10cm.load(path)


def test_nodes_are_bounded_per_input_byte(tmp_path: Path) -> None:
    # 16 codes per leaf from a compact leaf: more nodes than one per 8 bytes.
    dense = _tabular(_rule("0123456789ABCDEF"), leaves=1000)
    with pytest.raises(ParseError, match=r"nodes from \d+ bytes: more than one per 8 bytes"):
        medcodes.icd10cm.load(_write(tmp_path, "t.xml", dense))
    # The same leaves with the official rule size loads (3 per leaf).
    cs = medcodes.icd10cm.load(_write(tmp_path, "t.xml", _tabular(_rule("ADS"), leaves=1000)))
    assert len(cs.billable_codes()) == 3000


@pytest.mark.parametrize("pack", [lzma.compress, gzip.compress])
def test_a_second_stream_or_trailing_bytes_are_refused(
    tmp_path: Path, hcpcs_bytes: bytes, pack: Callable[[bytes], bytes]
) -> None:
    half = hcpcs_bytes.index(b"\r\nJ", len(hcpcs_bytes) // 2) + 2
    suffix = ".xz" if pack is lzma.compress else ".gz"
    name = "HCPC2025_JAN_ANWEB.txt" + suffix
    whole = hcpcs.load(_write(tmp_path, name, pack(hcpcs_bytes)))
    assert len(whole.records()) == 8259
    two = pack(hcpcs_bytes[:half]) + pack(hcpcs_bytes[half:])
    with pytest.raises(ParseError, match=rf"a second stream after the end of the \{suffix} data"):
        hcpcs.load(_write(tmp_path, name, two))
    for garbage in (b"\x00" * 4, b"junk"):
        with pytest.raises(ParseError, match=rf"bytes after the end of the \{suffix} data"):
            hcpcs.load(_write(tmp_path, name, pack(hcpcs_bytes) + garbage))
    with pytest.raises(ParseError, match=rf"truncated \{suffix} data"):
        hcpcs.load(_write(tmp_path, name, pack(hcpcs_bytes)[:-100]))


def _hcpcs_lines(hcpcs_bytes: bytes) -> tuple[list[bytes], int]:
    """The lines, and the index of the first continuation numbered 00300."""
    lines = hcpcs_bytes.split(b"\r\n")
    return lines, next(i for i, line in enumerate(lines) if line[5:11] == b"003004")


def test_hcpcs_continuation_lines_out_of_order_are_refused(
    tmp_path: Path, hcpcs_bytes: bytes
) -> None:
    lines, k = _hcpcs_lines(hcpcs_bytes)
    lines[k - 1], lines[k] = lines[k], lines[k - 1]  # 00300 before 00200
    path = _write(tmp_path, "HCPC2025_JAN_ANWEB.txt", b"\r\n".join(lines))
    code = lines[k][:5].decode()
    with pytest.raises(
        ParseError,
        match=rf"line {k}: continuation record of {code} has sequence number 00300, "
        r"expected 00200 \(a line out of order or missing\)",
    ):
        hcpcs.load(path)


def test_a_missing_hcpcs_continuation_line_is_refused(tmp_path: Path, hcpcs_bytes: bytes) -> None:
    lines, k = _hcpcs_lines(hcpcs_bytes)
    del lines[k - 1]  # the 00200 line: the description would be cut short
    path = _write(tmp_path, "HCPC2025_JAN_ANWEB.txt", b"\r\n".join(lines))
    with pytest.raises(ParseError, match=rf"line {k}: .* number 00300, expected 00200"):
        hcpcs.load(path)
    lines, _ = _hcpcs_lines(hcpcs_bytes)
    lines[0] = lines[0][:5] + b"00200" + lines[0][10:]
    with pytest.raises(ParseError, match=r"line 1: first record of .* expected 00100"):
        hcpcs.load(_write(tmp_path, "HCPC2025_JAN_ANWEB.txt", b"\r\n".join(lines)))


def _order_lines() -> list[bytes]:
    return _official("icd10cm_order_2025.txt").split(b"\r\n")[:-1]


def _order(tmp_path: Path, lines: list[bytes]) -> Path:
    return _write(tmp_path, "icd10cm_order_2025.txt", b"\r\n".join([*lines, b""]))


def test_an_order_file_alone_is_checked_for_numbering_and_hierarchy(tmp_path: Path) -> None:
    lines = _order_lines()
    assert len(medcodes.icd10cm.load(_order(tmp_path, lines))) == 97584
    k = next(i for i, line in enumerate(lines) if line[6:13] == b"E1165  ")
    dropped = lines[:k] + lines[k + 1 :]  # a dropped line: a silently missing code
    with pytest.raises(ParseError, match=rf"line {k + 1}: order number {k + 2:05d}, expected"):
        medcodes.icd10cm.load(_order(tmp_path, dropped))
    # A child before its parent, renumbered so that only the hierarchy is wrong.
    p = next(i for i, line in enumerate(lines) if line[6:13] == b"E116   ")
    moved = [*lines[:p], lines[p + 1], lines[p], *lines[p + 2 :]]
    moved = [b"%05d" % (n + 1) + line[5:] for n, line in enumerate(moved)]
    with pytest.raises(
        ParseError, match=rf"line {p + 1}: code E1161 comes before its parent E116 \(line {p + 2}\)"
    ):
        medcodes.icd10cm.load(_order(tmp_path, moved))
    # A header dropped and the rest renumbered: its children have no parent left...
    # except their category, so the file stays loadable only if that is consistent.
    cat = next(i for i, line in enumerate(lines) if line[6:13] == b"E11    ")
    orphan = [b"%05d" % (n + 1) + line[5:] for n, line in enumerate(lines[:cat] + lines[cat + 1 :])]
    with pytest.raises(ParseError, match=rf"line {cat + 1}: code E110 has no parent in the file"):
        medcodes.icd10cm.load(_order(tmp_path, orphan))


def test_an_addenda_file_must_agree_with_its_own_summary(tmp_path: Path) -> None:
    with zipfile.ZipFile(CDC_2026_ZIP) as zf:
        data = zf.read("icd10cm-order-addenda-2026.txt")
    lines = data.split(b"\r\n")
    name = "icd10cm-order-addenda-2026.txt"
    assert len(medcodes.icd10cm.load_addenda(_write(tmp_path, name, data)).lines) == 748
    add = next(i for i, line in enumerate(lines) if line.startswith(b"Add:         1 "))
    dropped = b"\r\n".join(lines[:add] + lines[add + 1 :])
    with pytest.raises(
        ParseError, match="the summary gives 487 codes additions but the file has 486"
    ):
        medcodes.icd10cm.load_addenda(_write(tmp_path, name, dropped))
    rev = next(i for i, line in enumerate(lines) if line.startswith(b"Revise to:"))
    half = b"\r\n".join(lines[:rev] + lines[rev + 1 :])
    with pytest.raises(ParseError, match=rf'line {rev}: "Revise from" of \w+ is not followed'):
        medcodes.icd10cm.load_addenda(_write(tmp_path, name, half))
    twice = b"\r\n".join(lines[: add + 1] + lines[add : add + 1] + lines[add + 1 :])
    with pytest.raises(
        ParseError, match=rf"line {add + 2}: Add \w+ twice \(first on line {add + 1}\)"
    ):
        medcodes.icd10cm.load_addenda(_write(tmp_path, name, twice))
    total = data.replace(b"  74719 codes in", b"  74720 codes in")
    with pytest.raises(
        ParseError, match=r"codes: 74260 \+ 487 added - 28 deleted is not the new total 74720"
    ):
        medcodes.icd10cm.load_addenda(_write(tmp_path, name, total))


def test_a_file_rewritten_while_read_is_refused(tmp_path: Path, hcpcs_bytes: bytes) -> None:
    path = _write(tmp_path, "HCPC2025_JAN_ANWEB.txt", hcpcs_bytes)
    stop = threading.Event()

    def touch() -> None:  # a writer that keeps changing the file's time stamp
        n = 0
        while not stop.is_set():
            n += 1
            os.utime(path, ns=(n * 1_000_000_000, n * 1_000_000_000))

    writer = threading.Thread(target=touch)
    writer.start()
    refused = loaded = 0
    try:
        for _ in range(200):
            try:
                hcpcs.load(path)
            except SourceError as exc:
                assert "the file changed while it was read" in str(exc)
                refused += 1
                break
            loaded += 1
    finally:
        stop.set()
        writer.join()
    assert refused == 1, loaded


@pytest.mark.parametrize("end", ["\r\n", "\n"])
@pytest.mark.parametrize("separator", ["\u2028", "\x85", "\u2029", "\x0b", "\r"])
def test_a_line_separator_inside_a_title_never_adds_a_code(
    tmp_path: Path, separator: str, end: str
) -> None:
    data = _official("icd10cm_codes_2025.txt").decode("ascii").replace("\r\n", end)
    injected = "Cholera" + separator + "Z9999   Injected code"
    text = data.replace("Cholera", injected, 1)
    path = _write(tmp_path, "icd10cm_codes_2025.txt", text.encode("utf-8"))
    with pytest.warns(
        DefectWarning, match=rf"line 1: a line separator \(U\+{ord(separator):04X}\)"
    ):
        cs = medcodes.icd10cm.load(path)
    assert "Z9999" not in cs and len(cs.billable_codes()) == 74260
    assert cs["A00.0"].title.startswith(injected)


def test_mixed_encodings_are_refused_at_the_right_line(tmp_path: Path) -> None:
    lines = _official("icd10cm_codes_2025.txt").split(b"\r\n")
    lines[10] = lines[10] + "\u00e9".encode()  # UTF-8
    lines[5000] = lines[5000] + "\u00e9".encode("cp1252")  # Windows text
    path = _write(tmp_path, "icd10cm_codes_2025.txt", b"\r\n".join(lines))
    with pytest.raises(ParseError, match=r"line 5001: mixed encodings: line 11 is UTF-8"):
        medcodes.icd10cm.load(path)
    lines[10] = lines[10][:-2]
    path = _write(tmp_path, "icd10cm_codes_2025.txt", b"\r\n".join(lines))
    with pytest.warns(DefectWarning, match=r"line 5001: not UTF-8/ASCII, read as cp1252"):
        cs = medcodes.icd10cm.load(path)
    assert any(n.title.endswith("\u00e9") for n in cs.billable_codes())


def test_counts_are_bounded_before_anything_is_built(tmp_path: Path) -> None:
    tiny = b"A00 x\r\n" * 600_000  # 4 MB of tiny lines
    with pytest.raises(ParseError, match=r"600000 lines, more than the 500000"):
        medcodes.icd10cm.load(_write(tmp_path, "icd10cm_codes_2025.txt", tiny))
    junk = _tabular(_rule("A")).replace(b"<diag>", b"<diag " + b'a="" ' * 120_000, 1)
    with pytest.raises(ParseError, match=r"120\d\d\d attributes \(or '='\): far more"):
        medcodes.icd10cm.load(_write(tmp_path, "t.xml", junk))
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as zf:
        for k in range(12_000):
            zf.writestr(f"m{k}", b"")
    with pytest.raises(ParseError, match="a zip of 12000 members, more than 10000"):
        medcodes.icd10cm.load(_write(tmp_path, "icd10cm-2025.zip", many.getvalue()))
    wide = _edit_sheet(
        HCPCS_2025_CORRECTIONS.read_bytes(),
        (
            b"<row ",
            b"".join(b'<row r="%d"><c r="XFC%d"/></row>' % (k, k) for k in range(200)) + b"<row ",
        ),
    )
    with pytest.raises(ParseError, match=r"more than 1000000 cells \(counting the empty ones"):
        hcpcs.load_corrections(_write(tmp_path, HCPCS_2025_CORRECTIONS.name, wide))


def test_plain_python_errors_never_escape(tmp_path: Path, hcpcs_bytes: bytes) -> None:
    bad_year = _tabular(_rule("A"), version="0001")
    with pytest.raises(ParseError, match=r"<version> is '0001', expected a fiscal year"):
        medcodes.icd10cm.load(_write(tmp_path, "t.xml", bad_year))
    with pytest.raises(UsageError, match="fiscal_year=1 is not a fiscal year"):
        medcodes.icd10cm.load(_write(tmp_path, "t.xml", _tabular(_rule("A"))), fiscal_year=1)
    path = _write(tmp_path, "HCPC9999_OCT_ANWEB.txt", hcpcs_bytes)
    with pytest.raises(SourceError, match="its name does not say its year"):
        hcpcs.load(path)
    assert hcpcs.load(path, year=2025).release.effective.isoformat() == "2025-10-01"
    for load in (medcodes.icd10cm.load, hcpcs.load, medcodes.icd10cm.load_addenda):
        with pytest.raises(SourceError, match="cannot read"):
            load("/proc/self/mem")


_PEAK_RSS = """
import sys, warnings, medcodes
warnings.simplefilter("ignore")
load = {"icd10cm": medcodes.icd10cm.load, "corrections": medcodes.hcpcs.load_corrections}
try:
    load[sys.argv[1]](*sys.argv[2:])
    print("loaded", end=" ")
except medcodes.errors.MedcodesError:
    print("refused", end=" ")
with open("/proc/self/status") as fh:
    print(next(int(x.split()[1]) for x in fh if x.startswith("VmHWM:")) * 1024)
"""


def _peak(*args: str) -> tuple[str, int]:
    out = subprocess.run(
        [sys.executable, "-c", _PEAK_RSS, *args], capture_output=True, text=True, check=True
    )
    outcome, peak = out.stdout.split()
    return outcome, int(peak)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's VmHWM")
def test_peak_memory_is_bounded_by_the_input(tmp_path: Path) -> None:
    """Peak RSS of a load <= 20 x its input + the peak of loading a normal release."""
    outcome, normal = _peak("icd10cm")
    assert outcome == "loaded"
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    codes = ("A" + "".join(p) for p in itertools.product(digits, repeat=6))
    tiny = b"".join(next(codes).encode() + b" x\r\n" for _ in range(300_000))
    rows = b'<row r="9"/>' * 130_000
    cases = {
        "icd10cm_codes_2099.txt": ("icd10cm", tiny, "loaded"),  # 300,000 tiny lines
        "t.xml": (  # 990,000 elements the model does not know
            "icd10cm",
            _tabular(_rule("A")).replace(b"</desc>", b"</desc>" + b"<x/>" * 990_000, 1),
            "refused",
        ),
        HCPCS_2025_CORRECTIONS.name: (
            "corrections",
            _edit_sheet(HCPCS_2025_CORRECTIONS.read_bytes(), (b"<row ", rows + b"<row ")),
            "refused",
        ),
    }
    for name, (kind, data, expected) in cases.items():
        path = _write(tmp_path, name, data)
        outcome, peak = _peak(kind, str(path))
        assert outcome == expected, name
        assert peak <= 20 * len(data) + normal, (name, len(data), peak, normal)


_LOW_MEMORY = """
import resource, sys, medcodes
with open("/proc/self/status") as fh:
    size = next(int(x.split()[1]) for x in fh if x.startswith("VmSize:")) * 1024
resource.setrlimit(resource.RLIMIT_AS, (size + (40 << 20), size + (40 << 20)))
try:
    medcodes.icd10cm.load(sys.argv[1])
except medcodes.errors.MedcodesError as exc:
    print(type(exc).__name__, exc)
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's VmSize")
def test_running_out_of_memory_is_a_medcodes_error(tmp_path: Path) -> None:
    # 300 KB that decompress to 56 MB, in a process allowed 40 MB more.
    path = _write(tmp_path, "icd10cm_codes_2099.txt.gz", gzip.compress(b"A000 x\r\n" * 7_000_000))
    out = subprocess.run(
        [sys.executable, "-c", _LOW_MEMORY, str(path)], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("SourceError ") and "not enough memory" in out.stdout
