"""Parser for CMS's transaction reports (``Changes_by_ActionCode.prn``,
``HCPC18_Trans_Report_Alpha_ChangesbyHCPC.prn``, ``HCPC2025_JAN_Transaction
Report_12172024.xlsx``, ...): the official list of what an HCPCS file changed,
one line per code with its "type of change". CMS publishes it as ``.prn`` text
and as an ``.xlsx`` workbook through 2020, and as a workbook only since.

The layout moves from year to year; the column positions are read from the
header line (``HCPCS/Modifier Code  Type of Change`` in 2017-2018; ``HCPCS/MOD
TYPE OF CHANGE SHORT DESCRIPTION LONG DESCRIPTION`` from 2019, where long
descriptions are cut). Labels are cut too (``Long Description Chang``): they
are mapped to action codes by prefix.
"""

from __future__ import annotations

import re

from attrs import frozen

from .._repr import bounded
from .._textfile import split_lines
from .._xlsx import read_rows
from ..errors import ParseError
from ..sources import (
    MAX_BYTES_ADDENDA,
    PathArg,
    _candidates,
    _check_max_bytes,
    _no_match,
    _path,
    _pick,
    _read,
    _workbook,
)
from .anweb import decode
from .model import ActionCode

__all__ = ["TransactionReport", "TransactionRow", "load_transaction_report"]

REPORT_NAME = re.compile(r"(?i)chang\w*by\w*\.prn$")
WORKBOOK_NAME = re.compile(r"(?i)trans[^/]*\.xlsx$")
_HEADER = re.compile(r"\s*HCPCS?/MOD", re.I)
_CODE = re.compile(r"(?:[A-Z0-9]{2}|[A-Z][0-9]{4})")
# Label prefixes (lower case) -> action code; longest first.
_LABELS = (
    ("coverage & long", ActionCode.BOTH),
    ("coverage and long", ActionCode.BOTH),
    ("coverage change", ActionCode.ADMINISTRATIVE),
    ("long description", ActionCode.LONG_DESCRIPTION),
    ("short description", ActionCode.SHORT_DESCRIPTION),
    ("payment change", ActionCode.PAYMENT),
    ("miscellaneous change", ActionCode.MISCELLANEOUS),
    ("misc change", ActionCode.MISCELLANEOUS),
    ("re-activated", ActionCode.REACTIVATE),
    ("discontinued", ActionCode.DISCONTINUE),
    ("no change", ActionCode.NO_CHANGE),
    ("add", ActionCode.ADD),
)


@bounded
@frozen
class TransactionRow:
    """One line of a transaction report.

    :ivar code: the procedure code or modifier.
    :ivar label: the type of change, as written (possibly cut).
    :ivar action: the action code the label stands for.
    :ivar short_description: the short description (2019 on).
    :ivar long_description: the start of the long description (2019 on; cut).
    :ivar line: the line number in the file.
    """

    code: str
    label: str
    action: ActionCode
    short_description: str | None
    long_description: str | None
    line: int


@bounded
@frozen
class TransactionReport:
    """A parsed transaction report: its rows in file order."""

    rows: tuple[TransactionRow, ...]
    label: str

    def actions(self) -> dict[str, ActionCode]:
        """Code -> action code."""
        return {r.code: r.action for r in self.rows}


def _action(label: str) -> ActionCode | None:
    low = label.lower()
    if low == "add":
        return ActionCode.ADD
    for prefix, action in _LABELS:
        if low.startswith(prefix) or (len(low) >= 10 and prefix.startswith(low)):
            return action
    return None


def load_transaction_report(
    source: PathArg, *, max_bytes: int = MAX_BYTES_ADDENDA
) -> TransactionReport:
    """Read a transaction report: the ``.prn`` file or the ``.xlsx`` workbook, or
    the official zip or folder holding them (the ``.prn`` is taken when there
    is one; the "by action" and "by code" reports hold the same rows).

    :raises ~medcodes.errors.ParseError: not a transaction report, or a line
        that does not fit.
    """
    max_bytes = _check_max_bytes(max_bytes)
    given = _path(source)
    workbook = _workbook(given)  # a workbook is a zip: take it whole
    if workbook is not None:
        cand = workbook
    else:
        cands, single = _candidates(given)
        if single:
            cand = cands[0]
        else:
            # The "by action" and "by code" .prn reports hold the same rows: take one.
            prn = [c for c in cands if REPORT_NAME.search(c.name)][:1]
            picked = _pick(prn, REPORT_NAME, "a transaction report", str(given)) or _pick(
                cands, WORKBOOK_NAME, "a transaction report workbook", str(given)
            )
            if picked is None:
                raise _no_match(cands, "HCPCS transaction report (.prn or .xlsx)", str(given))
            cand = picked
    src = _read(cand, max_bytes)
    if src.data.startswith(b"PK\x03\x04"):
        return parse_transaction_workbook(src.data, src.label)
    return parse_transaction_report(src.data, src.label)


def parse_transaction_workbook(data: bytes, label: str) -> TransactionReport:
    """Parse the bytes of a transaction report workbook (``.xlsx``): a heading
    row (``HCPC``/``HCPCS/MOD``, the type of change or ``ACTION CD``, and from
    2019 the short and long descriptions), then one row per code."""
    rows = read_rows(data, label)
    head = next(
        (n for n, r in enumerate(rows) if r and r[0].strip().upper().startswith("HCPC")), None
    )
    if head is None or len(rows[head]) < 2:
        raise ParseError("no 'HCPC' heading row: not a transaction report", file=label)
    out = []
    for n, row in enumerate(rows[head + 1 :], head + 2):
        cells = [c.strip() for c in row] + ["", "", ""]
        code, text = cells[0], cells[1]
        if not code and not text:
            continue
        action = _action(text) if _CODE.fullmatch(code) else None
        if action is None:
            raise ParseError(f"row {n}: not a transaction-report row: {row[:2]!r}", file=label)
        out.append(TransactionRow(code, text, action, cells[2] or None, cells[3] or None, n))
    if not out:
        raise ParseError("no rows after the heading", file=label)
    return TransactionReport(tuple(out), label)


def parse_transaction_report(data: bytes, label: str) -> TransactionReport:
    """Parse the bytes of a transaction report."""
    lines = split_lines(decode(data, label), label)
    head = next((n for n, line in enumerate(lines) if _HEADER.match(line)), None)
    if head is None:
        raise ParseError("no 'HCPCS/MOD' header line: not a transaction report", file=label)
    header = lines[head]
    upper = header.upper()
    if "SHORT DESCRIPTION" in upper:
        # 2019 on: codes right-aligned in 8 columns, then the label ("TYPE OF
        # CHANGE" in 2019, "ACTION CD" in 2020), the short and the long description.
        short_at, long_at = upper.index("SHORT DESCRIPTION"), upper.index("LONG DESCRIPTION")
        cuts = [(0, 8), (8, short_at), (short_at, short_at + 28), (long_at, None)]
    else:
        label_at = upper.index("TYPE OF CHANGE")
        cuts = [(0, label_at), (label_at, None)]
    rows = []
    for n, line in enumerate(lines[head + 1 :], head + 2):
        if not line.strip():
            continue
        cells = [line[a:b].strip() for a, b in cuts]
        code = cells[0]
        action = _action(cells[1]) if _CODE.fullmatch(code) else None
        if action is None:
            raise ParseError(f"not a transaction-report row: {line[:40]!r}", file=label, line=n)
        short = cells[2] or None if len(cells) > 2 else None
        long = cells[3] or None if len(cells) > 3 else None
        rows.append(TransactionRow(code, cells[1], action, short, long, n))
    if not rows:
        raise ParseError("no rows after the header", file=label)
    return TransactionReport(tuple(rows), label)
