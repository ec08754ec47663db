"""What changed between two HCPCS Level II files: the difference computed
field by field, and, beside it, what the newer file announces through its
action codes (relative to the CMS file just before it, which for two annual
files a year apart is not the whole story)."""

from __future__ import annotations

import enum
import html
import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

from attrs import field, frozen

from .._args import as_enum, text_arg, upper_key
from .._records import records_to_csv
from .._repr import BoundedTuple, bounded
from ..errors import UsageError
from ..summary import DiffSummary
from .codeset import Codeset
from .model import ActionCode, Record

__all__ = ["AnnouncedChange", "Change", "ChangeKind", "Disagreement", "HcpcsDiff", "diff"]


class ChangeKind(enum.StrEnum):
    """The kinds of change between two HCPCS files."""

    ADDED = "added"
    #: A termination date appeared (the code stays in the file).
    DISCONTINUED = "discontinued"
    #: The code is no longer in the file at all.
    DELETED = "deleted"
    #: A termination date was removed.
    REACTIVATED = "reactivated"
    #: The code's number now names a new item, with a later added date and
    #: another long description (J1440 filgrastim until 2013, fecal microbiota
    #: added 2023; G9890 re-added with a new meaning in 2018). ``before`` and
    #: ``after`` are the old and new added dates; the description change is
    #: reported beside it.
    REUSED = "number reused"
    LONG_DESCRIPTION = "long description changed"
    SHORT_DESCRIPTION = "short description changed"
    #: Any other field (named in ``detail``): pricing, coverage, BETOS, type of service, ...
    FIELD = "field changed"


# Fields compared for FIELD changes (the action code and dates of the action are
# bookkeeping of the change itself).
_FIELDS = (
    "pricing_indicators",
    "multiple_pricing_indicator",
    "cim_references",
    "mcm_references",
    "statute",
    "lab_certifications",
    "cross_references",
    "coverage",
    "asc_payment_group",
    "asc_effective",
    "mog_payment_group",
    "mog_policy_indicator",
    "mog_effective",
    "processing_note",
    "betos",
    "types_of_service",
    "anesthesia_base_units",
    "added",
)


def _text(value: Any) -> str | None:
    if value is None or value == ():
        return None
    if isinstance(value, tuple):
        return " ".join(_text(v) or "" for v in value)
    if isinstance(value, enum.Enum):
        return str(value.value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


@bounded
@frozen
class Change:
    """One change of one code or modifier (the shape of the ICD-10-CM
    :class:`~medcodes.icd10cm.Change`, so that one report prints both).

    :ivar code: the procedure code or modifier.
    :ivar kind: what changed.
    :ivar level: ``"code"`` or ``"modifier"``.
    :ivar before: the old value, as text.
    :ivar after: the new value, as text.
    :ivar detail: for a field change, the field's name.
    """

    code: str
    kind: ChangeKind
    level: str
    before: str | None = None
    after: str | None = None
    detail: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A plain dict with the keys of the ICD-10-CM records; absent text is
        ``""``. ``billable`` is ``None`` here (a change alone cannot say):
        :meth:`HcpcsDiff.to_records` fills it, and adds the ``section``."""
        return {
            "code": self.code,
            "change": self.kind.value,
            "level": self.level,
            "billable": None,
            "before": self.before or "",
            "after": self.after or "",
            "note_kind": "",
            "detail": self.detail or "",
            "related": [],
        }


@bounded
@frozen
class AnnouncedChange:
    """What the newer file says of a code through its action code.

    :ivar code: the procedure code or modifier.
    :ivar level: ``"code"`` or ``"modifier"``.
    :ivar action: the action code (never ``N``).
    """

    code: str
    level: str
    action: ActionCode | str


@bounded
@frozen
class Disagreement:
    """A code whose action code in the newer file does not match what changed
    between the two files (DOMAIN.md §9.2): a field changed but the action is
    ``N``, or the action announces a change that did not happen.

    Between consecutive CMS files (one quarter apart) this is a defect of the
    newer file. Between files further apart it is expected: the action codes
    speak of the last quarter only, and a change made in a quarter between the two
    files shows here with action ``N``.

    :ivar code: the procedure code or modifier.
    :ivar level: ``"code"`` or ``"modifier"``.
    :ivar action: the newer file's action code.
    :ivar changes: the kinds of change computed for the code (empty if none).
    :ivar reason: what disagrees, in words.
    """

    code: str
    level: str
    action: ActionCode | str
    changes: tuple[ChangeKind, ...]
    reason: str


# The action codes that announce a change of one kind, and the computed kinds that carry it out.
_ANNOUNCES: dict[ActionCode, tuple[str, frozenset[ChangeKind]]] = {
    ActionCode.ADD: ("an addition", frozenset({ChangeKind.ADDED, ChangeKind.REUSED})),
    ActionCode.DISCONTINUE: ("a discontinuation", frozenset({ChangeKind.DISCONTINUED})),
    ActionCode.REACTIVATE: (
        "a reactivation",
        frozenset({ChangeKind.REACTIVATED, ChangeKind.REUSED}),
    ),
    ActionCode.LONG_DESCRIPTION: (
        "a long description change",
        frozenset({ChangeKind.LONG_DESCRIPTION}),
    ),
    ActionCode.BOTH: ("a long description change", frozenset({ChangeKind.LONG_DESCRIPTION})),
    ActionCode.SHORT_DESCRIPTION: (
        "a short description change",
        frozenset({ChangeKind.SHORT_DESCRIPTION}),
    ),
}


@frozen
class HcpcsDiff:
    """The computed changes from ``old`` to ``new`` (codes, then modifiers, in
    file order) and the changes ``new`` announces.

    >>> import medcodes
    >>> hc = medcodes.hcpcs.load()
    >>> d = medcodes.hcpcs.diff(hc, hc)
    >>> len(d), len(d.announced) > 0
    (0, True)
    """

    old: Codeset = field(repr=False)
    new: Codeset = field(repr=False)
    changes: tuple[Change, ...] = field(repr=False, converter=BoundedTuple)
    announced: tuple[AnnouncedChange, ...] = field(repr=False)

    def __iter__(self) -> Iterator[Change]:
        return iter(self.changes)

    def __len__(self) -> int:
        return len(self.changes)

    def of(self, *kinds: ChangeKind) -> tuple[Change, ...]:
        """The changes of the given kinds."""
        wanted = {as_enum(ChangeKind, k, "kind") for k in kinds}
        return tuple(c for c in self.changes if c.kind in wanted)

    def for_code(self, code: str) -> tuple[Change, ...]:
        """The changes of one code or modifier."""
        key = upper_key(text_arg(code, "code"))
        return tuple(c for c in self.changes if c.code == key)

    def summary(self) -> DiffSummary:
        """Counts: computed changes per kind and per level (``"code"``,
        ``"modifier"``), and the action codes the newer file announces; the
        type :meth:`medcodes.icd10cm.ReleaseDiff.summary` returns too.

        >>> import medcodes
        >>> hc = medcodes.hcpcs.load()
        >>> s = medcodes.hcpcs.diff(medcodes.hcpcs.load(year=2025), hc).summary()
        >>> s.total, s.announced["A"], s.codes is None
        (0, 168, True)
        """
        by_kind = Counter(c.kind for c in self.changes)
        levels = Counter((c.level, c.kind) for c in self.changes)
        announced = Counter(
            a.action.value if isinstance(a.action, ActionCode) else a.action for a in self.announced
        )
        return DiffSummary(
            None,
            None,
            {k: by_kind[k] for k in ChangeKind if by_kind[k]},
            system="hcpcs",
            total=len(self.changes),
            by_level={
                level: {k: levels[level, k] for k in ChangeKind if levels[level, k]}
                for level in ("code", "modifier")
                if any(lv == level for lv, _ in levels)
            },
            announced=dict(sorted(announced.items())),
        )

    def disagreements(self) -> tuple[Disagreement, ...]:
        """The codes whose action code in the newer file does not match the
        computed changes (see :class:`Disagreement`), in file order.

        >>> import medcodes
        >>> from medcodes.hcpcs import ActionCode
        >>> hc = medcodes.hcpcs.load()
        >>> d = medcodes.hcpcs.diff(hc, hc)   # nothing changed, yet 321 changes announced
        >>> len(d.disagreements()), d.disagreements()[0].reason
        (321, 'announces a field change (P), but the files show none')
        """
        computed: dict[tuple[str, str], list[ChangeKind]] = {}
        for c in self.changes:
            computed.setdefault((c.level, c.code), []).append(c.kind)
        out: list[Disagreement] = []
        for level, records in (
            ("code", self.new._codes.values()),
            ("modifier", self.new._modifiers.values()),
        ):
            for r in records:
                kinds = tuple(computed.get((level, r.code), ()))
                reason = _disagreement(r.action, kinds)
                if reason is not None and r.action is not None:
                    out.append(Disagreement(r.code, level, r.action, kinds, reason))
        return tuple(out)

    def to_records(self) -> list[dict[str, Any]]:
        """Every computed change as a plain dict (:meth:`Change.to_dict`), with
        ``billable`` (a procedure code without a termination date, in the
        newer file; the older one for a deletion) and ``section`` (the code's
        letter, ``""`` for a modifier). Every column holds one type (absent
        text is ``""``), so a pandas or polars frame needs no schema.

        >>> import medcodes
        >>> hc = medcodes.hcpcs.load()
        >>> medcodes.hcpcs.diff(hc, hc).to_records()
        []
        """
        rows = []
        for c in self.changes:
            row = c.to_dict()
            side = self.old if c.kind is ChangeKind.DELETED else self.new
            record = side._codes.get(c.code) if c.level == "code" else None
            row["billable"] = record is not None and record.terminated is None
            row["section"] = c.code[0] if c.level == "code" else ""
            rows.append(row)
        return rows

    def to_csv(self) -> str:
        """The computed changes as CSV text, in the columns of the ICD-10-CM
        :meth:`~medcodes.icd10cm.ReleaseDiff.to_csv` (one file format for both)."""
        return records_to_csv(self.to_records())

    def __repr__(self) -> str:
        return (
            f"<HcpcsDiff {self.old.release.label} -> {self.new.release.label}: "
            f"{len(self.changes)} changes, {len(self.announced)} announced>"
        )

    def _repr_html_(self) -> str:
        """The counts as an HTML table (for notebooks)."""
        head = html.escape(f"{self.old.release.label} -> {self.new.release.label}")
        counts = Counter((c.level, c.kind) for c in self.changes)
        kinds = [k for k in ChangeKind if any(counts[lv, k] for lv in ("code", "modifier"))]
        header = "".join(f"<th>{html.escape(k.value)}</th>" for k in kinds)
        rows = "".join(
            f"<tr><td>{level}s</td>"
            + "".join(f"<td style='text-align:right'>{counts[level, k]:,}</td>" for k in kinds)
            + "</tr>"
            for level in ("code", "modifier")
        )
        return (
            f"<p><b>HCPCS Level II changes: {head}</b> ({len(self.changes):,} changes, "
            f"{len(self.announced):,} announced by the newer file)</p>"
            f"<table><tr><th></th>{header}</tr>{rows}</table>"
        )

    def to_json(self) -> str:
        """The releases, the summary, every computed change and every announced
        action code as JSON text. The keys ``system`` (``"hcpcs"``), ``old``,
        ``new``, ``summary`` and ``changes`` are those of
        :meth:`medcodes.icd10cm.ReleaseDiff.to_json`, and the change records have
        the same keys; ``summary`` is each system's own, and ``announced`` is
        HCPCS's."""
        payload = {
            "system": "hcpcs",
            "old": self.old.release.label,
            "new": self.new.release.label,
            "summary": self.summary().to_dict(),
            "changes": self.to_records(),
            "announced": [
                {"code": a.code, "level": a.level, "action": _text(a.action)}
                for a in self.announced
            ],
            "disagreements": [
                {"code": d.code, "level": d.level, "action": _text(d.action), "reason": d.reason}
                for d in self.disagreements()
            ],
        }
        return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"

    def to_markdown(self, *, all_disagreements: bool = False) -> str:
        """A readable report: the counts, then the computed changes grouped by
        kind, then what the newer file announces through its action codes, then
        the action codes that disagree with the files: counted by reason (they
        are expected between files more than a quarter apart), or each one
        listed with ``all_disagreements=True``."""
        o, n = self.old.release.label, self.new.release.label
        parts = [f"# HCPCS Level II changes: {o} -> {n}", ""]
        parts += [
            "| | added | deleted | discontinued | other changes |",
            "|---|---:|---:|---:|---:|",
        ]
        for level in ("code", "modifier"):
            mine = [c for c in self.changes if c.level == level]
            counts = Counter(c.kind for c in mine)
            main = (ChangeKind.ADDED, ChangeKind.DELETED, ChangeKind.DISCONTINUED)
            other = len(mine) - sum(counts[k] for k in main)
            cells = [f"{counts[k]:,}" for k in main] + [f"{other:,}"]
            parts.append(f"| {level}s | " + " | ".join(cells) + " |")
        for kind in ChangeKind:
            changes = self.of(kind)
            if changes:
                parts += ["", f"## {kind.value} ({len(changes):,})", ""]
                parts.extend("- " + _describe(c) for c in changes)
        if self.announced:
            parts += ["", f"## announced by the newer file ({len(self.announced):,})", ""]
            for a in self.announced:
                act = a.action
                said = f"{act.value}: {act.meaning}" if isinstance(act, ActionCode) else act
                parts.append(f"- `{a.code}` ({a.level}) {said}")
        disagreements = self.disagreements()
        if disagreements:
            parts += [
                "",
                f"## action codes that disagree with the files ({len(disagreements):,})",
                "",
                "Expected between files more than a quarter apart (the action codes speak "
                "of the last quarter only).",
                "",
            ]
            if all_disagreements:
                parts.extend(f"- `{d.code}` ({d.level}) {d.reason}" for d in disagreements)
            else:
                parts += ["| reason | codes |", "|---|---:|"]
                by_reason = Counter(d.reason for d in disagreements)
                parts.extend(f"| {r} | {n:,} |" for r, n in by_reason.most_common())
                parts += [
                    "",
                    "Each one is listed by `to_markdown(all_disagreements=True)` "
                    "(`medcodes diff --all-disagreements`) and in the JSON report.",
                ]
        return "\n".join(parts) + "\n"


def _describe(c: Change) -> str:
    code = f"`{c.code}`" + (" (modifier)" if c.level == "modifier" else "")
    if c.kind is ChangeKind.ADDED:
        return f"{code} {c.after}"
    if c.kind is ChangeKind.DELETED:
        return f"{code} {c.before}"
    if c.kind is ChangeKind.DISCONTINUED:
        return f"{code} terminated {c.after}" + (f" (was {c.before})" if c.before else "")
    if c.kind is ChangeKind.REACTIVATED:
        return f"{code} termination {c.before} removed"
    if c.kind is ChangeKind.REUSED:
        return f"{code} number reused: a new item added {c.after} (the previous, {c.before})"
    field = f"{c.detail}: " if c.detail else ""
    return f"{code} {field}{_value(c.before)} -> {_value(c.after)}"


def _value(value: str | None) -> str:
    """A field's value in a change line: quoted, or ``(blank)`` for an empty field."""
    return "(blank)" if value is None else repr(value)


def _disagreement(action: ActionCode | str | None, kinds: tuple[ChangeKind, ...]) -> str | None:
    """Why ``action`` does not match the computed ``kinds``, or ``None``."""
    if action is ActionCode.NO_CHANGE or action is None:
        if kinds:
            what = ", ".join(dict.fromkeys(k.value for k in kinds))
            return f"changed ({what}) under action N (no change)"
        return None
    if not isinstance(action, ActionCode):
        return None  # a value outside the table: nothing to compare
    announced = _ANNOUNCES.get(action)
    if announced is not None and not announced[1] & set(kinds):
        return f"announces {announced[0]} ({action.value}), but the files show none"
    if action is ActionCode.BOTH and ChangeKind.FIELD not in kinds:
        return "announces a field change besides the long description (B), but the files show none"
    fields = (ActionCode.ADMINISTRATIVE, ActionCode.PAYMENT, ActionCode.MISCELLANEOUS)
    if action in fields and ChangeKind.FIELD not in kinds:
        return f"announces a field change ({action.value}), but the files show none"
    return None


def diff(old: Codeset, new: Codeset) -> HcpcsDiff:
    """The changes from HCPCS release ``old`` to ``new`` (see :class:`HcpcsDiff`).

    :raises ~medcodes.errors.UsageError: either is not an HCPCS codeset.
    """
    for cs in (old, new):
        if not isinstance(cs, Codeset):
            raise UsageError(f"hcpcs.diff compares HCPCS codesets, not {cs!r}")
    changes: list[Change] = []
    for level, before, after in (
        ("code", old._codes, new._codes),
        ("modifier", old._modifiers, new._modifiers),
    ):
        _compare(level, before, after, changes)
    announced = tuple(
        AnnouncedChange(r.code, "modifier" if r.is_modifier else "code", r.action)
        for r in (*new._codes.values(), *new._modifiers.values())
        if r.action is not None and r.action is not ActionCode.NO_CHANGE
    )
    return HcpcsDiff(old, new, tuple(changes), announced)


def _compare(level: str, old: dict[str, Record], new: dict[str, Record], out: list[Change]) -> None:
    add = out.append
    for code, b in new.items():
        a = old.get(code)
        if a is None:
            add(Change(code, ChangeKind.ADDED, level, None, b.long_description))
            if b.terminated is not None:
                add(Change(code, ChangeKind.DISCONTINUED, level, None, _text(b.terminated)))
            continue
        if a == b:
            continue
        reused = (
            a.added is not None
            and b.added is not None
            and b.added > a.added
            and a.long_description != b.long_description
        )
        if reused:
            add(Change(code, ChangeKind.REUSED, level, _text(a.added), _text(b.added)))
            if b.terminated is not None:
                add(Change(code, ChangeKind.DISCONTINUED, level, None, _text(b.terminated)))
        elif a.terminated != b.terminated:
            if b.terminated is None:
                add(Change(code, ChangeKind.REACTIVATED, level, _text(a.terminated), None))
            else:
                add(
                    Change(
                        code,
                        ChangeKind.DISCONTINUED,
                        level,
                        _text(a.terminated),
                        _text(b.terminated),
                    )
                )
        if a.long_description != b.long_description:
            add(
                Change(
                    code, ChangeKind.LONG_DESCRIPTION, level, a.long_description, b.long_description
                )
            )
        if a.short_description != b.short_description:
            add(
                Change(
                    code,
                    ChangeKind.SHORT_DESCRIPTION,
                    level,
                    a.short_description,
                    b.short_description,
                )
            )
        for name in _FIELDS:
            x, y = getattr(a, name), getattr(b, name)
            if x != y and not (reused and name == "added"):
                add(Change(code, ChangeKind.FIELD, level, _text(x), _text(y), name))
    for code, a in old.items():
        if code not in new:
            add(Change(code, ChangeKind.DELETED, level, a.long_description, None))
