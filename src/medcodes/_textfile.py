"""Checks shared by the readers of the official text files (order, codes,
addenda, HCPCS): the damage a decoder would let through."""

from __future__ import annotations

from .errors import ParseError


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
