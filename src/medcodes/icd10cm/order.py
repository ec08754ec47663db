"""Parser for the ICD-10-CM order file (``icd10cm_order_YYYY.txt``, ``icd10cm-order-2026.txt``).

One line per node in tabular order, headers included (official layout in
``icd10OrderFiles.pdf``)::

    00001 A00     0 Cholera                                                      Cholera
    ^order ^code   ^flag ^short title (60 columns)                              ^long title

Flag ``1`` means valid for HIPAA-covered transactions (billable), ``0`` a
header. The file has no chapters or blocks.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from operator import itemgetter

from attrs import frozen

from .._repr import bounded
from .._textfile import check_complete, split_lines
from ..errors import DefectWarning, ParseError

__all__ = ["OrderFile", "OrderRecord"]

# A record: 5-digit order number, code (7 columns), flag, 60-column short title, long title.
_RECORD = re.compile(r"\d{5} [A-Z][0-9A-Z]{2}[0-9A-Z ]{4} [01] .{60} \S")
_CODE_FIELD = re.compile(r"[A-Z][0-9A-Z]{2}[0-9A-Z]{0,4} *")
_NUMBERS = itemgetter(slice(0, 5))
_CODES = itemgetter(slice(6, 13))
_FLAGS = itemgetter(14)
_SHORTS = itemgetter(slice(16, 76))
_LONGS = itemgetter(slice(77, None))


@bounded
@frozen
class OrderRecord:
    """One line of an order file.

    :ivar order: the order number (not stable between releases).
    :ivar code: the code without dot, e.g. ``"E1165"``.
    :ivar billable: the flag: ``True`` for ``1`` (valid for claims).
    :ivar short_title: the abbreviated title, right spaces removed.
    :ivar long_title: the full title.
    """

    order: int
    code: str
    billable: bool
    short_title: str
    long_title: str


def decode_text(data: bytes, label: str) -> str:
    """Decode an official text file: ASCII/UTF-8, else cp1252 with a warning."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:1000]:
        raise ParseError("the file is UTF-16 or binary, expected ASCII text", file=label, line=1)
    data = check_complete(data, label)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Not UTF-8: cp1252 (Windows text), unless other lines are UTF-8 text.
    lines = data.split(b"\n")
    first_bad = utf8 = None
    for n, raw in enumerate(lines, 1):
        if raw.isascii():
            continue
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            first_bad = first_bad or n
        else:
            utf8 = utf8 or n
        if first_bad and utf8:
            raise ParseError(
                f"mixed encodings: line {utf8} is UTF-8 text, line {first_bad} is not "
                "(a file put together from two sources?)",
                file=label,
                line=first_bad,
            )
    warnings.warn(
        f"{label}, line {first_bad}: not UTF-8/ASCII, read as cp1252", DefectWarning, stacklevel=3
    )
    return data.decode("cp1252", errors="replace")


def text_lines(data: bytes, label: str) -> list[str]:
    """The lines of an official text file, without a BOM or trailing blank lines.

    :raises ~medcodes.errors.ParseError: the file is empty, UTF-16 or binary.
    """
    text = decode_text(data, label)
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = split_lines(text, label)
    del text  # keep one copy of the file's text in memory, not two
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        raise ParseError("the file is empty", file=label, line=1)
    return lines


def first_lines(codes: list[str], label: str) -> list[int] | None:
    """The indices of the lines to keep when a file lists a code twice (the
    first of each), or ``None`` when every code is listed once.

    A repeated code is a defect, not a reason to refuse the release: it is
    reported with a :class:`~medcodes.errors.DefectWarning` naming both lines
    and saying whether the second one differed.
    """
    if len(set(codes)) == len(codes):
        return None
    first: dict[str, int] = {}
    for n, code in enumerate(codes):
        k = first.setdefault(code, n)
        if k != n:
            warnings.warn(
                f"{label}, line {n + 1}: code {code} appears twice (first on line {k + 1}); "
                "the second line is ignored",
                DefectWarning,
                stacklevel=4,
            )
    return sorted(first.values())


@bounded
@frozen
class OrderFile:
    """An order file as parallel columns (fast to build and to compare).

    :ivar codes: codes without dot, in file (tabular) order.
    :ivar flags: one character per code, ``"1"`` billable, ``"0"`` header.
    :ivar short_titles: short titles, right spaces removed.
    :ivar long_titles: long titles.
    """

    codes: tuple[str, ...]
    flags: str
    short_titles: tuple[str, ...]
    long_titles: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.codes)

    def records(self) -> Iterator[OrderRecord]:
        """The lines as :class:`OrderRecord`\\ s, in file order."""
        for n, code in enumerate(self.codes):
            yield OrderRecord(
                n + 1, code, self.flags[n] == "1", self.short_titles[n], self.long_titles[n]
            )


def parse_order(data: bytes, label: str, *, check_structure: bool = True) -> OrderFile:
    """Parse the bytes of an order file; ``label`` names it in errors.

    With ``check_structure`` (the default) the file must be numbered 1, 2, 3 ...
    and list every code after its parent (the nearest shorter code of the file
    that it extends), as every official file does: a line dropped, moved or
    swapped is refused rather than giving a silently missing code or a code
    without its parent. The loader turns it off when a tabular of the same
    release is given too: the order file must then equal the tabular's codes,
    line for line, which checks more.
    """
    lines = text_lines(data, label)
    if not all(map(_RECORD.match, lines)):
        _raise_first_bad_line(lines, label)
    codes = list(map(str.rstrip, map(_CODES, lines)))
    keep = first_lines(codes, label)
    if keep is not None:
        lines = [lines[k] for k in keep]
        codes = [codes[k] for k in keep]
    if check_structure:  # (a repeated line, warned and dropped, keeps its number)
        _check_numbers(lines, label, keep)
        _check_hierarchy(codes, label, keep)
    return OrderFile(
        tuple(codes),
        "".join(map(_FLAGS, lines)),
        tuple(map(str.rstrip, map(_SHORTS, lines))),
        tuple(map(str.rstrip, map(_LONGS, lines))),
    )


def _check_numbers(lines: list[str], label: str, kept: list[int] | None) -> None:
    if list(map(int, map(_NUMBERS, lines))) == list(range(1, len(lines) + 1)):
        return
    for n, line in enumerate(lines, 1):
        if int(line[:5]) != n:
            raise ParseError(
                f"order number {line[:5]}, expected {n:05d} (a line missing, added or moved)",
                file=label,
                line=kept[n - 1] + 1 if kept is not None else n,
            )


def _check_hierarchy(codes: list[str], label: str, kept: list[int] | None) -> None:
    """Every code longer than a category after its parent: the nearest shorter
    code of the file that it extends."""
    where: dict[str, int] = {}
    for n, code in enumerate(codes):
        where.setdefault(code, n)
    get = where.get
    for n, code in enumerate(codes):
        size = len(code)
        if size <= 3:
            continue
        for cut in range(size - 1, 2, -1):
            p = get(code[:cut])
            if p is not None:
                if p > n:
                    raise ParseError(
                        f"code {code} comes before its parent {code[:cut]} "
                        f"(line {_line(p, kept)}): lines moved or swapped",
                        file=label,
                        line=_line(n, kept),
                    )
                break
        else:
            raise ParseError(
                f"code {code} has no parent in the file (not even its category "
                f"{code[:3]}): a line missing",
                file=label,
                line=_line(n, kept),
            )


def _line(n: int, kept: list[int] | None) -> int:
    """The file line of kept line ``n`` (0-based)."""
    return (kept[n] if kept is not None else n) + 1


def _raise_first_bad_line(lines: list[str], label: str) -> None:
    for n, line in enumerate(lines, 1):
        if _RECORD.match(line):
            continue
        if not line.strip():
            reason = "empty line inside the file"
        elif len(line) < 78 or not line[:5].isdigit():
            reason = (
                "not an order-file record (expected: 5-digit order number, code, "
                "0/1 flag, 60-column short title, long title)"
            )
        elif not _CODE_FIELD.fullmatch(line[6:13]):
            reason = f"code field {line[6:13]!r} is not an ICD-10-CM code"
        else:
            reason = f"flag column holds {line[14:15]!r}, expected 0 or 1"
        raise ParseError(reason, file=label, line=n)
    raise ParseError("unreadable order file", file=label)  # pragma: no cover - defensive
