"""A seeded mutation corpus built from the real files: truncated, bit-flipped,
byte-inserted, re-encoded, shuffled and duplicated inputs, with dropped lines
and dropped required XML elements, and the damage of issue 14 (line
separators inside a line, second streams and trailing bytes, swapped lines,
repeated or out-of-range 7th characters). Every outcome is a
successful load or a medcodes ParseError naming the file; nothing else, and
damage that can be detected is (a truncated tabular never loads)."""

from __future__ import annotations

import contextlib
import gzip
import io
import lzma
import random
import re
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import medcodes
from medcodes.errors import MedcodesWarning, ParseError, UnknownCodeError

from .helpers import (
    CDC_2026_ZIP,
    CMS_2025_ZIP,
    HCPCS_2025_CORRECTIONS,
    TABULAR_2026_APRIL,
    tabular_bytes,
)


def _small_tabular() -> bytes:
    """The real 2026 XML cut after its first chapter: a small valid file."""
    data = tabular_bytes(TABULAR_2026_APRIL)
    end = data.index(b"</chapter>") + len(b"</chapter>")
    return data[:end] + b"\r\n</ICD10CM.tabular>\r\n"


def _seventh_tabular() -> bytes:
    """The real 2026 XML with only its chapter 4, whose 7th-character rules
    (E08-E13) the fuzzing damages."""
    data = tabular_bytes(TABULAR_2026_APRIL)
    first = data.index(b"<chapter>")
    at = first
    for _ in range(3):
        at = data.index(b"<chapter>", at + 1)
    end = data.index(b"</chapter>", at) + len(b"</chapter>")
    return data[:first] + data[at:end] + b"\r\n</ICD10CM.tabular>\r\n"


def _zip_member(path: Path, name: str, lines: int) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return b"\r\n".join(zf.read(name).splitlines()[:lines]) + b"\r\n"


def _hcpcs() -> bytes:
    packed = Path(medcodes.__file__).parent / "_bundled" / medcodes.hcpcs.loader.BUNDLED
    return b"\r\n".join(lzma.decompress(packed.read_bytes()).splitlines()[:400]) + b"\r\n"


def _mutate(data: bytes, rng: random.Random) -> bytes:
    kind = rng.randrange(12)
    if kind >= 8:
        return _mutate_issue14(data, rng, kind)
    if kind == 0:  # truncate anywhere
        return data[: rng.randrange(len(data))]
    if kind == 1:  # flip bytes
        out = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            out[rng.randrange(len(out))] = rng.randrange(256)
        return bytes(out)
    if kind == 2:  # insert bytes
        at = rng.randrange(len(data))
        return data[:at] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 20))) + data[at:]
    if kind == 3:  # another encoding
        return data.decode("latin-1").encode(rng.choice(["utf-16", "utf-16-le", "utf-32"]))
    if kind == 4:  # shuffle or duplicate lines
        lines = data.split(b"\n")
        if rng.random() < 0.5:
            rng.shuffle(lines)
        else:
            k = rng.randrange(len(lines))
            lines.insert(k, lines[k])
        return b"\n".join(lines)
    if kind == 5:  # entities, DTDs, processing instructions
        return rng.choice(
            [
                b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + data,
                data.replace(b"<desc>", b"<desc>&a;", 1),
                data.replace(b"<diag>", b"<?pi x?><diag>", 1),
            ]
        )
    if kind == 6:  # drop a line, or a required element (<name>, <desc>) of the XML
        if b"<desc>" in data and rng.random() < 0.5:
            tag = rng.choice([b"name", b"desc"])
            at = rng.choice([m.start() for m in re.finditer(b"<" + tag + b">", data)])
            end = data.index(b"</" + tag + b">", at) + len(tag) + 3
            return data[:at] + data[end:]
        lines = data.split(b"\n")
        del lines[rng.randrange(len(lines))]
        return b"\n".join(lines)
    # a gigantic line or text node
    at = rng.randrange(len(data))
    return data[:at] + b"A" * 2_000_000 + data[at:]


#: Line separators other than a line end: inside a line they are text.
_SEPARATORS = ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\r"]


def _mutate_issue14(data: bytes, rng: random.Random, kind: int) -> bytes:
    """The damage issue 14 checks for: line separators inside a line, a
    second compressed stream or trailing bytes, swapped or renumbered lines,
    and 7th-character definitions that are repeated or out of range."""
    if kind == 8:  # a line separator (U+2028, NEL ...) inside a line
        at = rng.randrange(len(data))
        sep = rng.choice(_SEPARATORS).encode("utf-8")
        return data[:at] + sep + data[at:]
    if kind == 9:  # a second stream of the same compression, or bytes after the data
        if data.startswith(b"\x1f\x8b"):
            return data + gzip.compress(data[:100])
        if data.startswith(b"\xfd7zXZ"):
            return data + lzma.compress(b"more")
        return data + rng.choice([b"\x00\x00\x00\x00", b"garbage"])
    if kind == 10:  # two neighbouring lines swapped (sequence and order numbers)
        lines = data.split(b"\n")
        k = rng.randrange(max(len(lines) - 1, 1))
        lines[k : k + 2] = lines[k : k + 2][::-1]
        return b"\n".join(lines)
    # a 7th-character definition repeated, or its character out of range
    at = data.find(b'<extension char="')
    if at < 0:
        return data[: rng.randrange(len(data))]
    end = data.index(b"</extension>", at) + len(b"</extension>")
    if rng.random() < 0.5:
        return data[:end] + data[at:end] * rng.randint(1, 40) + data[end:]
    char = rng.choice(["a", "\u4e00", "\u0661", "*", "AB", ""]).encode("utf-8")
    at += len(b'<extension char="')
    return data[:at] + char + data[at + 1 :]


def _in_zip(make: Callable[[], bytes], member: str) -> Callable[[], bytes]:
    def zipped() -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(member, make())
        return out.getvalue()

    return zipped


def _order_sample() -> bytes:
    return _zip_member(CDC_2026_ZIP, "icd10cm-order-2026.txt", 400)


_FORMATS: dict[str, tuple[Callable[[], bytes], str, Callable[[Path], object]]] = {
    "tabular XML": (_small_tabular, "icd10cm_tabular_2026.xml", medcodes.icd10cm.load),
    "tabular XML, 7th characters": (
        _seventh_tabular,
        "icd10cm_tabular_2026.xml",
        medcodes.icd10cm.load,
    ),
    "order file": (
        lambda: _zip_member(CDC_2026_ZIP, "icd10cm-order-2026.txt", 400),
        "icd10cm_order_2026.txt",
        medcodes.icd10cm.load,
    ),
    "codes file": (
        lambda: _zip_member(CMS_2025_ZIP, "icd10cm_codes_2025.txt", 400),
        "icd10cm_codes_2025.txt",
        medcodes.icd10cm.load,
    ),
    "addenda": (
        lambda: _zip_member(CDC_2026_ZIP, "icd10cm-order-addenda-2026.txt", 800),
        "icd10cm-order-addenda-2026.txt",
        medcodes.icd10cm.load_addenda,
    ),
    "HCPCS ANWEB": (_hcpcs, "HCPC2025_JAN_ANWEB.txt", medcodes.hcpcs.load),
    # The containers around them: a zip member, gzip, xz, a workbook.
    "order file in a zip": (
        _in_zip(_order_sample, "icd10cm-order-2026.txt"),
        "icd10cm-2026.zip",
        medcodes.icd10cm.load,
    ),
    "tabular XML, gzip": (
        lambda: gzip.compress(_small_tabular(), mtime=0),
        "icd10cm_tabular_2026.xml.gz",
        medcodes.icd10cm.load,
    ),
    "HCPCS ANWEB, xz": (
        lambda: lzma.compress(_hcpcs()),
        "HCPC2025_JAN_ANWEB.txt.xz",
        medcodes.hcpcs.load,
    ),
    "corrections workbook": (
        lambda: HCPCS_2025_CORRECTIONS.read_bytes(),
        "HCPC2025_JAN_ANWEB_Corrections.xlsx",
        medcodes.hcpcs.load_corrections,
    ),
}


@pytest.mark.parametrize("fmt", list(_FORMATS))
def test_mutated_files_load_or_raise_parse_error(
    tmp_path: Path, fmt: str, fuzz_cases: int, capsys: pytest.CaptureFixture[str]
) -> None:
    make, name, load = _FORMATS[fmt]
    original = make()
    path = tmp_path / name
    path.write_bytes(original)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MedcodesWarning)
        load(path)  # the unmutated sample loads
    rng = random.Random(f"{fmt}-fuzz")
    outcomes = {"loaded": 0, "refused": 0}
    for case in range(fuzz_cases):
        data = _mutate(original, rng)
        path.write_bytes(data)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", MedcodesWarning)
                load(path)
        except ParseError as exc:
            assert exc.file is not None and name in exc.file, (case, exc)
            outcomes["refused"] += 1
        else:
            outcomes["loaded"] += 1
            if fmt in ("tabular XML", "tabular XML, 7th characters") and original.startswith(data):
                # A cut tabular never loads as a smaller release (only a cut of
                # the line break after the root's end tag is harmless).
                assert data.rstrip().endswith(b"</ICD10CM.tabular>"), case
    with capsys.disabled():
        print(
            f"\n  fuzz {fmt}: {fuzz_cases} cases, {outcomes['loaded']} loaded, "
            f"{outcomes['refused']} refused with ParseError"
        )


@pytest.mark.parametrize("tag", [b"name", b"desc"])
def test_a_dropped_required_element_is_refused(tmp_path: Path, tag: bytes) -> None:
    original = _small_tabular()
    starts = [m.start() for m in re.finditer(b"<" + tag + b">", original)]
    path = tmp_path / "icd10cm_tabular_2026.xml"
    for at in starts[:: len(starts) // 20 + 1]:  # about 20, spread over the file
        end = original.index(b"</" + tag + b">", at) + len(tag) + 3
        path.write_bytes(original[:at] + original[end:])
        with pytest.raises(ParseError, match=r"icd10cm_tabular_2026.xml, line \d+: "):
            medcodes.icd10cm.load(path)


_CM = medcodes.icd10cm.load()
_HC = medcodes.hcpcs.load()


@given(st.text(max_size=12))
@settings(max_examples=300, deadline=None)
def test_every_code_taking_function_accepts_any_text(text: str) -> None:
    """Surrogates, control characters, anything: a result or a documented error."""
    assert isinstance(text in _CM, bool) and isinstance(text in _HC, bool)
    _CM.get(text), _CM.check_code(text), _CM.is_billable(text), _CM.check_claim([text])
    _HC.get(text), _HC.check_code(text), _HC.is_valid(text)
    for call in (
        lambda: _CM[text],
        lambda: _CM.conflicts(text, "E11.9"),
        lambda: _CM.effective_notes(text),
        lambda: _HC[text],
        lambda: _HC.modifier(text),
        lambda: _HC.section(text),
    ):
        with contextlib.suppress(UnknownCodeError):
            call()
