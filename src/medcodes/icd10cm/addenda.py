"""Parser for the official addenda files: CMS's and CDC's own account of what
changed from one release's order/codes file to the next
(``icd10cm_order_addenda_2025.txt``, ``icd10cm-codes-addenda-2026.txt``).

Each change is a line ``Add:``, ``Delete:``, ``Revise from:`` / ``Revise to:``
with, in an order addenda, the billable flag, the code, the short and the long
title (order-file columns), and in a codes addenda the code and the long
title. A summary follows: counts of headers and codes in each release,
additions, deletions, revisions and (order addenda) which titles were revised.
A code that became a header is ``Delete: 1 X`` then ``Add: 0 X``.
"""

from __future__ import annotations

import enum
import re

from attrs import frozen

from .._repr import bounded
from .._textfile import split_lines
from ..errors import MismatchError, ParseError, UsageError
from ..sources import (
    MAX_BYTES_ADDENDA,
    PathArg,
    SourceFile,
    _candidates,
    _check_max_bytes,
    _no_match,
    _path,
    _pick,
    _read,
)
from .order import decode_text

__all__ = [
    "Addenda",
    "AddendaAction",
    "AddendaCounts",
    "AddendaLine",
    "AddendaType",
    "load_addenda",
]

ADDENDA_NAME = re.compile(r"(?i)icd10cm[-_ ](order|codes)[-_ ]addenda.*\.txt$")


class AddendaAction(enum.StrEnum):
    """The action of one addenda line, as written."""

    ADD = "Add"
    DELETE = "Delete"
    REVISE_FROM = "Revise from"
    REVISE_TO = "Revise to"


class AddendaType(enum.StrEnum):
    """Which file the addenda describe."""

    ORDER = "order"
    CODES = "codes"


@bounded
@frozen
class AddendaLine:
    """One change line.

    :ivar action: add, delete, revise from, revise to.
    :ivar code: the code without dot, as in the files (``"C810A"``).
    :ivar long_title: the long title.
    :ivar billable: the order-file flag (``None`` in a codes addenda, where
        every line is a billable code).
    :ivar short_title: the short title (``None`` in a codes addenda).
    """

    action: AddendaAction
    code: str
    long_title: str
    billable: bool | None = None
    short_title: str | None = None


@bounded
@frozen
class AddendaCounts:
    """One summary block (headers, or codes), in the addenda's own terms.

    :ivar old_total: headers (or codes) in the older file.
    :ivar new_total: in the newer file.
    :ivar additions: lines added.
    :ivar deletions: lines deleted.
    :ivar revisions: lines whose titles were revised.
    :ivar both_titles: revisions of the long and the short title (``None``
        where the file does not break revisions down, as in a codes addenda).
    :ivar long_title_only: revisions of the long title only.
    :ivar short_title_only: revisions of the short title only.
    """

    old_total: int
    new_total: int
    additions: int
    deletions: int
    revisions: int
    both_titles: int | None = None
    long_title_only: int | None = None
    short_title_only: int | None = None


@bounded
@frozen
class Addenda:
    """A parsed addenda file.

    :ivar type: order or codes addenda.
    :ivar lines: the change lines, in file order.
    :ivar headers: the headers summary (order addenda only).
    :ivar codes: the codes summary.
    :ivar source: the file it was read from, with its SHA-256.
    """

    type: AddendaType
    lines: tuple[AddendaLine, ...]
    headers: AddendaCounts | None
    codes: AddendaCounts | None
    source: SourceFile | None = None


_ACTION = re.compile(r"(Add|Delete|Revise from|Revise to):\s")
_ORDER_LINE = re.compile(
    r"(?P<action>Add|Delete|Revise from|Revise to): +(?P<flag>[01]) "
    r"(?P<code>[A-Z][0-9A-Z]{2}[0-9A-Z]{0,4}) +(?P<rest>\S.*)"
)
_CODES_LINE = re.compile(
    r"(?P<action>Add|Delete|Revise from|Revise to): +"
    r"(?P<code>[A-Z][0-9A-Z]{2}[0-9A-Z]{0,4}) +(?P<rest>\S.*)"
)
_COUNT = re.compile(r"\s*(\d+) (.*?)\s*")
_COUNT_NAMES = {
    "additions": "additions",
    "deletions": "deletions",
    "revisions": "revisions",
    "revisions to both long and short titles": "both_titles",
    "revisions to long title only": "long_title_only",
    "revisions to short title only": "short_title_only",
}


def load_addenda(
    source: PathArg, which: str | None = None, *, max_bytes: int = MAX_BYTES_ADDENDA
) -> Addenda:
    """Read an addenda file: the file itself, or a folder or official zip that
    holds it (``which="order"`` or ``"codes"`` picks one when both are there).

    >>> from importlib import resources
    >>> from medcodes.icd10cm import load_addenda, loader
    >>> zip_file = resources.files("medcodes") / "_bundled" / loader.BUNDLED[2026][1]
    >>> with resources.as_file(zip_file) as path:
    ...     addenda = load_addenda(path, "order")
    >>> addenda.codes.additions, addenda.codes.deletions, addenda.codes.revisions
    (487, 28, 38)
    >>> first = addenda.lines[0]
    >>> first.action.value, first.billable, first.code, first.long_title
    ('Delete', True, 'B880', 'Other acariasis')

    :raises ~medcodes.errors.SourceError: no (or several) addenda files found.
    :raises ~medcodes.errors.ParseError: the file is not an addenda file.
    """
    max_bytes = _check_max_bytes(max_bytes)
    given = _path(source)
    if which is not None and which not in ("order", "codes"):
        raise UsageError(f"which={which!r}: expected 'order' or 'codes'")
    cands, single = _candidates(given)
    if single:
        cand = cands[0]
    else:
        pattern = ADDENDA_NAME
        if which is not None:
            pattern = re.compile(rf"(?i)icd10cm[-_ ]{which}[-_ ]addenda.*\.txt$")
        what = f"an {which or 'ICD-10-CM'} addenda file" + (
            "" if which else ' (pass which="order" or "codes")'
        )
        picked = _pick(cands, pattern, what, str(given))
        if picked is None:
            raise _no_match(cands, "ICD-10-CM addenda file", str(given))
        cand = picked
    src = _read(cand, max_bytes)
    addenda = parse_addenda(src.data, src.label, src.describe("addenda"))
    if which is not None and addenda.type.value != which:
        raise MismatchError(
            f"which={which!r} but this is a {addenda.type.value} addenda file", file=src.label
        )
    return addenda


def parse_addenda(data: bytes, label: str, source: SourceFile | None = None) -> Addenda:
    """Parse the bytes of an order or codes addenda file."""
    text = decode_text(data, label).removeprefix("\ufeff")  # a byte order mark
    lines = split_lines(text, label)
    kind: AddendaType | None = None
    changes: list[AddendaLine] = []
    blocks: dict[str, dict[str, int]] = {}
    block: dict[str, int] | None = None
    totals: list[int] = []
    at: dict[tuple[int, str], int] = {}  # (block, count) -> its line
    starts: list[int] = []  # the line of each change
    for n, raw in enumerate(lines, 1):
        line = raw.rstrip()
        if not line.strip():
            continue
        if _ACTION.match(line):
            order = _ORDER_LINE.fullmatch(line)
            this = AddendaType.ORDER if order else AddendaType.CODES
            if kind is None:
                kind = this
            m = order or _CODES_LINE.fullmatch(line)
            if m is None or this is not kind:
                raise ParseError("not an addenda change line", file=label, line=n)
            changes.append(_change(m, kind, label, n))
            starts.append(n)
            continue
        word = line.strip()
        if word in ("Headers", "Codes"):
            block = blocks.setdefault(word, {})
            totals = []
            continue
        if word == "of which":
            continue
        m = _COUNT.fullmatch(line)
        if m is None:
            raise ParseError(f"unexpected line {line.strip()[:60]!r}", file=label, line=n)
        value, what = int(m.group(1)), m.group(2)
        if block is None:  # a codes addenda summary without its "Codes" heading
            block = blocks.setdefault("Codes", {})
        if re.fullmatch(r"(headers|codes) in \S+", what):
            totals.append(value)
            if len(totals) > 2:
                raise ParseError("more than two totals in a summary", file=label, line=n)
            block["old_total" if len(totals) == 1 else "new_total"] = value
            at[id(block), "old_total" if len(totals) == 1 else "new_total"] = n
        elif what in _COUNT_NAMES:
            if _COUNT_NAMES[what] in block:
                raise ParseError(f"the summary gives {what!r} twice", file=label, line=n)
            block[_COUNT_NAMES[what]] = value
            at[id(block), _COUNT_NAMES[what]] = n
        else:
            raise ParseError(f"unexpected summary line {line.strip()!r}", file=label, line=n)
    if kind is None:
        # A zero-change file: its summary says which kind it is.
        kind = AddendaType.ORDER if "Headers" in blocks else AddendaType.CODES
    if not blocks:
        raise ParseError("no summary (not an addenda file, or truncated)", file=label)
    _check_lines(kind, changes, starts, label)
    for name, block in blocks.items():
        flag = None if kind is AddendaType.CODES else name == "Codes"
        _check_summary(name, block, [c for c in changes if c.billable is flag], at, label)
    return Addenda(
        kind,
        tuple(changes),
        _counts(blocks.get("Headers"), label),
        _counts(blocks.get("Codes"), label),
        source,
    )


def _change(m: re.Match[str], kind: AddendaType, label: str, n: int) -> AddendaLine:
    action = AddendaAction(m.group("action"))
    code = m.group("code")
    rest = m.group("rest")
    if kind is AddendaType.CODES:
        return AddendaLine(action, code, rest)
    # Order columns: the code field is 7 wide, the short title 60 wide.
    full = m.string
    start = m.start("code") + 8
    short, long = full[start : start + 60].rstrip(), full[start + 61 :].strip()
    if not long or full[start + 60 : start + 61] not in (" ", ""):
        raise ParseError("order addenda line without its 60-column short title", file=label, line=n)
    return AddendaLine(action, code, long, m.group("flag") == "1", short)


def _counts(block: dict[str, int] | None, label: str) -> AddendaCounts | None:
    if block is None:
        return None
    required = ("old_total", "new_total", "additions", "deletions", "revisions")
    missing = [k for k in required if k not in block]
    if missing:
        raise ParseError(f"summary lacks {', '.join(missing)}", file=label)
    return AddendaCounts(**block)


def _check_lines(
    kind: AddendaType, changes: list[AddendaLine], starts: list[int], label: str
) -> None:
    """Refuse change lines that contradict each other: a "Revise from" without
    its "Revise to" of the same code just after it, or a code added (or
    deleted) twice with the same flag."""
    seen: dict[tuple[AddendaAction, str, bool | None], int] = {}
    pending: AddendaLine | None = None
    for line, n in zip(changes, starts, strict=True):
        if pending is not None:
            if line.action is not AddendaAction.REVISE_TO or line.code != pending.code:
                raise ParseError(
                    f'"Revise from" of {pending.code} is not followed by its "Revise to"',
                    file=label,
                    line=n - 1,
                )
            pending = None
            continue
        if line.action is AddendaAction.REVISE_FROM:
            pending = line
            continue
        if line.action is AddendaAction.REVISE_TO:
            raise ParseError(
                f'"Revise to" of {line.code} without its "Revise from"', file=label, line=n
            )
        first = seen.setdefault((line.action, line.code, line.billable), n)
        if first != n:
            raise ParseError(
                f"{line.action.value} {line.code} twice (first on line {first})",
                file=label,
                line=n,
            )
    if pending is not None:
        raise ParseError(
            f'"Revise from" of {pending.code} is the last line: its "Revise to" is missing',
            file=label,
            line=starts[-1],
        )


def _check_summary(
    name: str,
    block: dict[str, int],
    changes: list[AddendaLine],
    at: dict[tuple[int, str], int],
    label: str,
) -> None:
    """The summary's counts against the change lines and against each other
    (every official addenda agrees with itself)."""
    actions = [c.action for c in changes]
    found = {
        "additions": actions.count(AddendaAction.ADD),
        "deletions": actions.count(AddendaAction.DELETE),
        "revisions": actions.count(AddendaAction.REVISE_FROM),
    }
    word = name.lower()
    for key, count in found.items():
        said = block.get(key)
        if said is not None and said != count:
            raise ParseError(
                f"the summary gives {said} {word} {key} but the file has {count} such lines",
                file=label,
                line=at.get((id(block), key)),
            )
    old, new = block.get("old_total"), block.get("new_total")
    if old is not None and new is not None and old + found["additions"] - found["deletions"] != new:
        raise ParseError(
            f"{word}: {old} + {found['additions']} added - {found['deletions']} deleted "
            f"is not the new total {new}",
            file=label,
            line=at.get((id(block), "new_total")),
        )
    parts = [block.get(k) for k in ("both_titles", "long_title_only", "short_title_only")]
    if all(p is not None for p in parts) and sum(p or 0 for p in parts) != found["revisions"]:
        raise ParseError(
            f"{word}: the kinds of revision add up to {sum(p or 0 for p in parts)}, "
            f"not to the {found['revisions']} revisions",
            file=label,
            line=at.get((id(block), "both_titles")),
        )
