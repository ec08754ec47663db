"""Checks shared by the readers of the official text files (order, codes,
addenda, HCPCS): the damage a decoder would let through."""

from __future__ import annotations

import re
import warnings

from .errors import DefectWarning, ParseError

#: What str.splitlines() takes for a line end besides ``\n`` and ``\r\n``:
#: inside an official line it is text, never the start of another record.
_OTHER_BREAKS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


#: The most lines a text file may have: five times the largest official one
#: (an order file: 98,403 lines in FY2027). Each line costs a few hundred
#: bytes once parsed, so a file of tiny lines would cost 40 times its size.
MAX_LINES = 500_000


def check_complete(data: bytes, label: str) -> bytes:
    """Refuse text with a NUL byte anywhere, or whose last line has no line end;
    return it without a DOS end-of-file mark (Ctrl-Z) after its last line.

    Every official text file ends with a line end, so a file that does not
    was cut short (an interrupted download or copy): its last record would
    load truncated without a word.

    :raises ~medcodes.errors.ParseError: naming the line.
    """
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise ParseError("a NUL byte: the file is binary or damaged", file=label, line=line)
    # Blanks or a DOS end-of-file mark (Ctrl-Z) after the last line end are no line.
    if data.strip() and not data.rstrip(b" \t\x1a").endswith((b"\n", b"\r")):
        line = data.count(b"\n") + 1
        raise ParseError(
            "the last line has no line end: the file is cut short (an interrupted download?)",
            file=label,
            line=line,
        )
    return data.rstrip(b"\x1a") if data.endswith(b"\x1a") else data


def split_lines(text: str, label: str) -> list[str]:
    """The lines of a text file, ended by ``\\n`` or ``\\r\\n`` only.

    A line separator inside a line (U+2028, NEL, a lone carriage return ...)
    is kept as part of its text with a
    :class:`~medcodes.errors.DefectWarning` naming the line: split there, a
    title could carry a whole extra record.
    """
    lines = text.splitlines()  # (at most ~60 bytes a line: within the memory bound)
    n = len(lines)
    if n > MAX_LINES:
        raise ParseError(
            f"{n} lines, more than the {MAX_LINES} any official file comes near "
            "(refused before parsing them, to bound memory)",
            file=label,
        )
    size = sum(map(len, lines))
    if size + 2 * n == len(text):
        return lines  # every line ends with \r\n, the only 2-character line end
    if size + n == len(text) and text.count("\n") == n:
        return lines  # every line ends with \n
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [line[:-1] if line.endswith("\r") else line for line in lines]
    for n, line in enumerate(lines, 1):
        m = _OTHER_BREAKS.search(line)
        if m is not None:
            warnings.warn(
                f"{label}, line {n}: a line separator (U+{ord(m.group()):04X}) inside the "
                "line, kept as part of its text",
                DefectWarning,
                stacklevel=3,
            )
            break
    return lines
