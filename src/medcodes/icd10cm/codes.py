"""Parser for the ICD-10-CM codes file (``icd10cm_codes_YYYY.txt``, ``icd10cm-codes-2026.txt``).

One line per billable code, in tabular order, with its long title (official
layout in ``icd10cmCodesFile.pdf``)::

    A000    Cholera due to Vibrio cholerae 01, biovar cholerae
    ^code (7 columns, then a space) ^long title

The file has no headers, short titles, chapters, blocks or notes: loaded
alone it gives a release of billable codes.
"""

from __future__ import annotations

import re

from attrs import frozen

from .._repr import bounded
from ..errors import ParseError
from .order import first_lines, text_lines

__all__ = ["CodesFile"]

_RECORD = re.compile(r"([A-Z][0-9A-Z]{2}[0-9A-Z]{0,4}) +(\S.*?)\s*")


@bounded
@frozen
class CodesFile:
    """A codes file as parallel columns.

    :ivar codes: billable codes without dot, in file (tabular) order.
    :ivar long_titles: their long titles.
    """

    codes: tuple[str, ...]
    long_titles: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.codes)


def parse_codes(data: bytes, label: str) -> CodesFile:
    """Parse the bytes of a codes file; ``label`` names it in errors."""
    lines = text_lines(data, label)
    codes: list[str] = []
    titles: list[str] = []
    match = _RECORD.fullmatch
    for n, line in enumerate(lines, 1):
        m = match(line)
        if m is None:
            raise ParseError(
                "not a codes-file record (expected: code, spaces, long title)", file=label, line=n
            )
        codes.append(m.group(1))
        titles.append(m.group(2))
    keep = first_lines(codes, label)
    if keep is not None:
        codes = [codes[k] for k in keep]
        titles = [titles[k] for k in keep]
    return CodesFile(tuple(codes), tuple(titles))
