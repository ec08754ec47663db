"""What changed between two ICD-10-CM releases: :func:`diff` and :class:`ReleaseDiff`.

Nodes are matched by identity: codes by their key, chapters by number, blocks
by range. What is compared depends on what both releases were loaded from:

* billable codes always (a codes file holds nothing else);
* headers (categories, subcategories) when neither release is a codes file;
* short titles when both have an order file;
* chapters, blocks, moves, instructional notes and 7th-character definitions
  when both have a tabular XML.

A title change of diacritics or spacing only (``Brown-Séquard`` in the XML,
``Brown-Sequard`` in a text file) is a *respelling*, kept apart from revisions.
"""

from __future__ import annotations

import enum
import html
import json
import unicodedata
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

from attrs import field, frozen

from .._args import as_enum, text_arg, upper_key
from .._gc import paused_gc
from .._records import records_to_csv
from .._repr import BoundedTuple, bounded
from ..errors import UsageError
from ..summary import DiffSummary
from .addenda import AddendaAction, AddendaCounts, AddendaLine, AddendaType
from .codeset import Codeset, _chapters_and_blocks, display_code
from .hierarchy import BILLABLE, GENERATED, GROUP, _Store
from .model import Kind, NoteKind, SeventhCharacterRule

__all__ = ["Change", "ChangeKind", "DiffSummary", "ReleaseDiff", "diff"]


class ChangeKind(enum.StrEnum):
    """The kinds of change between two releases."""

    ADDED = "added"
    DELETED = "deleted"
    #: A billable code became a header (it was expanded into sub-codes).
    NOW_HEADER = "billable -> header"
    NOW_BILLABLE = "header -> billable"
    LONG_TITLE_REVISED = "long title revised"
    SHORT_TITLE_REVISED = "short title revised"
    #: The long title changed in diacritics or spacing only.
    LONG_TITLE_RESPELLED = "long title respelled"
    SHORT_TITLE_RESPELLED = "short title respelled"
    #: The parent changed (and with it, maybe, the block or chapter).
    MOVED = "moved"
    NOTE_ADDED = "note added"
    NOTE_REMOVED = "note removed"
    SEVENTH_CHARACTERS_CHANGED = "7th characters changed"


_RANK = {k: n for n, k in enumerate(ChangeKind)}


@bounded
@frozen
class Change:
    """One change of one node.

    :ivar code: the written form (``"E11.65"``, ``"19"``, ``"S00-S09"``).
    :ivar kind: what changed.
    :ivar level: the node's kind (in the newer release; in the older one for a
        deletion).
    :ivar billable: billable (in the newer release; the older for a deletion).
    :ivar before: the old value: title, parent, note text, 7th characters.
    :ivar after: the new value.
    :ivar note_kind: for note changes, the kind of note.
    :ivar detail: for a respelling, ``"diacritics"``, ``"spacing"`` or both;
        for a move, the old and new block and chapter.
    :ivar related: for ``NOW_HEADER`` (and the deletion of a code that was
        expanded), the new codes below it, which replace it; empty otherwise:
        no replacement is invented.
    """

    code: str
    kind: ChangeKind
    level: Kind
    billable: bool
    before: str | None = None
    after: str | None = None
    note_kind: NoteKind | None = None
    detail: str | None = None
    related: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A plain dict for csv, json or dataframes: ``code``, ``change``,
        ``level``, ``before``, ``after``, ``note_kind``, ``detail`` (``str``,
        ``""`` when absent, never ``None``), ``billable`` (``bool``) and
        ``related`` (a list of ``str``). :meth:`ReleaseDiff.to_records` adds
        the chapter and block of each code."""
        return {
            "code": self.code,
            "change": self.kind.value,
            "level": self.level.value,
            "billable": self.billable,
            "before": self.before or "",
            "after": self.after or "",
            "note_kind": self.note_kind.value if self.note_kind else "",
            "detail": self.detail or "",
            "related": list(self.related),
        }


def _codes_only(cs: Codeset) -> bool:
    """The release was loaded from a codes file (billable codes, no headers)."""
    return {source.format for source in cs.release.sources} == {"codes"}


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _respelling(a: str, b: str) -> str | None:
    """``"diacritics"``, ``"spacing"``, ``"diacritics and spacing"`` when ``a`` and
    ``b`` differ only so; ``None`` for a real revision."""
    if _fold(a) == _fold(b):
        return "diacritics"
    if a.split() == b.split():
        return "spacing"
    if _fold(a).split() == _fold(b).split():
        return "diacritics and spacing"
    return None


def _identities(st: _Store) -> list[str]:
    """A release-independent name per node: the key for codes; ``"chapter N"``
    and ``"block A00-A09"`` for chapters and blocks (a block may share its
    name with a category, as B10 does)."""
    ids = list(st.keys)
    for number, i in st.chapters.items():
        ids[i] = "chapter " + number
    for block, i in st.blocks.items():
        ids[i] = "block " + block
    return ids


class _Side:
    """One release as the diff sees it."""

    __slots__ = ("codes_only", "cs", "ids", "shorts", "st", "tabular")

    def __init__(self, cs: Codeset) -> None:
        self.cs = cs
        self.st = cs._store
        self.ids = _identities(self.st)
        self.tabular = cs.has_notes
        self.codes_only = _codes_only(cs)
        self.shorts = self.st.short_titles

    def find(self, ident: str) -> int | None:
        """The node of an identity, or ``None``."""
        st = self.st
        if ident.startswith("chapter "):
            return st.chapters.get(ident[8:])
        if ident.startswith("block "):
            return st.blocks.get(ident[6:])
        return st.codes.get(ident)

    def visible(self, i: int, headers: bool, groups: bool) -> bool:
        f = self.st.flags[i]
        if f & GROUP:
            return groups
        return headers or bool(f & BILLABLE)

    def code(self, i: int) -> str:
        st = self.st
        if st.flags[i] & GROUP:
            return st.keys[i]
        return display_code(st.keys[i])

    def short(self, i: int) -> str | None:
        if self.shorts is None or self.st.flags[i] & GROUP:
            return None
        return self.shorts.get(self.st.keys[i])

    def signatures(self, structure: bool) -> set[tuple[Any, ...]]:
        """Per node, its title (a generated code's is its suffix), billable
        flag and, with structure, parent: compared in C, as sets."""
        st = self.st
        billable = bytes(st.flags).translate(_BILLABLE_BIT)
        if not structure:
            return set(zip(self.ids, st.titles, billable, strict=True))
        ids = self.ids
        # A root's parent (-1) reads as the last node: a harmless false alarm at worst.
        parents = map(ids.__getitem__, st.parents)
        return set(zip(ids, st.titles, billable, parents, strict=True))

    def by_identity(self, table: Mapping[int, Any]) -> dict[str, Any]:
        """A per-node table (notes, 7th-character rules) keyed by identity."""
        ids = self.ids
        return {ids[i]: value for i, value in table.items()}


_BILLABLE_BIT = bytes(v & BILLABLE for v in range(256))


@frozen
class ReleaseDiff:
    """The changes from one release to another, in official order: the newer
    release's tabular order, each deleted node where it stood in the older
    one; for one node, deletions first. Immutable and deterministic.

    >>> import medcodes
    >>> old = medcodes.icd10cm.load(fiscal_year=2025)
    >>> new = medcodes.icd10cm.load()
    >>> changes = medcodes.icd10cm.diff(old, new)
    >>> s = changes.summary()
    >>> s.codes.old_total, s.codes.new_total, s.codes.additions, s.codes.deletions
    (74260, 74719, 487, 28)
    >>> d71 = changes.for_code("D71")
    >>> d71[0].kind.value, d71[0].related
    ('billable -> header', ('D71.1', 'D71.8', 'D71.9'))
    >>> [(c.kind.value, c.note_kind.value) for c in d71[1:3]]
    [('note removed', 'inclusionTerm'), ('note removed', 'inclusionTerm')]
    """

    old: Codeset = field(repr=False)
    new: Codeset = field(repr=False)
    changes: tuple[Change, ...] = field(repr=False, converter=BoundedTuple)
    compares_headers: bool
    compares_short_titles: bool
    compares_structure: bool

    def __iter__(self) -> Iterator[Change]:
        return iter(self.changes)

    def __len__(self) -> int:
        return len(self.changes)

    def __bool__(self) -> bool:
        return bool(self.changes)

    def of(self, *kinds: ChangeKind) -> tuple[Change, ...]:
        """The changes of the given kinds."""
        wanted = {as_enum(ChangeKind, k, "kind") for k in kinds}
        return tuple(c for c in self.changes if c.kind in wanted)

    def for_code(self, code: str) -> tuple[Change, ...]:
        """The changes of one code (any written form)."""
        key = upper_key(text_arg(code, "code"))
        key = display_code(key.replace(".", "")) if "-" not in key else key
        return tuple(c for c in self.changes if c.code == key)

    @property
    def added(self) -> tuple[Change, ...]:
        """Nodes added (codes, headers, chapters, blocks)."""
        return self.of(ChangeKind.ADDED)

    @property
    def deleted(self) -> tuple[Change, ...]:
        """Nodes deleted."""
        return self.of(ChangeKind.DELETED)

    @property
    def retitled(self) -> tuple[Change, ...]:
        """Long or short titles revised (respellings excluded)."""
        return self.of(ChangeKind.LONG_TITLE_REVISED, ChangeKind.SHORT_TITLE_REVISED)

    @property
    def now_header(self) -> tuple[Change, ...]:
        """Billable codes that became headers (expanded)."""
        return self.of(ChangeKind.NOW_HEADER)

    @property
    def now_billable(self) -> tuple[Change, ...]:
        """Headers that became billable codes."""
        return self.of(ChangeKind.NOW_BILLABLE)

    @property
    def notes_changed(self) -> tuple[Change, ...]:
        """Instructional notes added or removed."""
        return self.of(ChangeKind.NOTE_ADDED, ChangeKind.NOTE_REMOVED)

    # -- CMS's terms ---------------------------------------------------------------
    def to_addenda(self, type: AddendaType | str = AddendaType.ORDER) -> tuple[AddendaLine, ...]:
        """The changes as the lines of an official addenda file (order or codes),
        in the addenda's order (by code; Delete, Revise from, Revise to, Add).

        Title changes in diacritics only do not appear (the text files are ASCII).
        """
        kind = as_enum(AddendaType, type, "type")
        if kind is AddendaType.ORDER and not self.compares_headers:
            raise UsageError("an order addenda needs headers: one release is a codes file")
        if kind is AddendaType.ORDER and not self.compares_short_titles:
            raise UsageError(
                "an order addenda needs short titles: load both releases with their order files"
            )
        codes_only = kind is AddendaType.CODES
        old, new = _Side(self.old), _Side(self.new)
        lines: list[tuple[str, int, AddendaLine]] = []

        def line(side: _Side, i: int, action: AddendaAction) -> None:
            st = side.st
            key = st.keys[i]
            if codes_only:
                entry = AddendaLine(action, key, st.title(i))
            else:
                billable = bool(st.flags[i] & BILLABLE)
                entry = AddendaLine(action, key, st.title(i), billable, side.short(i))
            lines.append((key, _ACTION_RANK[action], entry))

        for code, kinds in _by_node(self.changes).items():
            if kinds[0].level in (Kind.CHAPTER, Kind.BLOCK):
                continue
            key = code.replace(".", "")
            i, j = old.st.codes.get(key), new.st.codes.get(key)
            was = i is not None and bool(old.st.flags[i] & BILLABLE)
            now = j is not None and bool(new.st.flags[j] & BILLABLE)
            if codes_only:
                if was and not now:
                    assert i is not None
                    line(old, i, AddendaAction.DELETE)
                elif now and not was:
                    assert j is not None
                    line(new, j, AddendaAction.ADD)
                elif was and now and _long_revised(kinds):
                    assert i is not None and j is not None
                    line(old, i, AddendaAction.REVISE_FROM)
                    line(new, j, AddendaAction.REVISE_TO)
                continue
            if i is not None and (j is None or was != now):
                line(old, i, AddendaAction.DELETE)
            if j is not None and (i is None or was != now):
                line(new, j, AddendaAction.ADD)
            revised = _long_revised(kinds) or _short_revised(kinds)
            if i is not None and j is not None and was == now and revised:
                line(old, i, AddendaAction.REVISE_FROM)
                line(new, j, AddendaAction.REVISE_TO)
        lines.sort(key=lambda t: (t[0], t[1]))
        return tuple(entry for _, _, entry in lines)

    def summary(self) -> DiffSummary:
        """Counts in the addenda's terms (headers and codes: totals, additions,
        deletions, revisions of which long/short/both) and per kind of change."""
        nodes = _by_node(self.changes)  # grouped once for every count below
        codes = self._counts(nodes, billable=True)
        headers = self._counts(nodes, billable=False) if self.compares_headers else None
        by_kind = Counter(c.kind for c in self.changes)
        respelled = sum(
            1
            for kinds in nodes.values()
            if kinds[0].level not in (Kind.CHAPTER, Kind.BLOCK)
            and any(
                c.kind in (ChangeKind.LONG_TITLE_RESPELLED, ChangeKind.SHORT_TITLE_RESPELLED)
                for c in kinds
            )
        )
        by_level: dict[str, dict[enum.StrEnum, int]] = {}
        for c in self.changes:
            kinds_of = by_level.setdefault(c.level.value, {})
            kinds_of[c.kind] = kinds_of.get(c.kind, 0) + 1
        return DiffSummary(
            codes,
            headers,
            {k: by_kind[k] for k in ChangeKind if by_kind[k]},
            respelled,
            system="icd10cm",
            total=len(self.changes),
            by_level={
                level: {k: kinds[k] for k in ChangeKind if k in kinds}
                for level, kinds in by_level.items()
            },
        )

    def _counts(self, nodes: dict[str, list[Change]], billable: bool) -> AddendaCounts:
        additions = deletions = both = long_only = short_only = 0
        for kinds in nodes.values():
            first = kinds[0]
            if first.level in (Kind.CHAPTER, Kind.BLOCK):
                continue
            kind_set = {c.kind for c in kinds}
            if ChangeKind.ADDED in kind_set:
                additions += first.billable is billable
            elif ChangeKind.DELETED in kind_set:
                deletions += first.billable is billable
            elif ChangeKind.NOW_HEADER in kind_set:
                # A code expanded: a deletion among codes, an addition among headers.
                deletions += billable
                additions += not billable
            elif ChangeKind.NOW_BILLABLE in kind_set:
                additions += billable
                deletions += not billable
            elif first.billable is billable:
                long, short = _long_revised(kinds), _short_revised(kinds)
                both += long and short
                long_only += long and not short
                short_only += short and not long
        revisions = both + long_only + short_only
        totals = (_total(self.old, billable), _total(self.new, billable))
        if not self.compares_short_titles:
            return AddendaCounts(*totals, additions, deletions, revisions)
        return AddendaCounts(*totals, additions, deletions, revisions, both, long_only, short_only)

    # -- reports ---------------------------------------------------------------------
    def to_records(self) -> list[dict[str, Any]]:
        """Every change as a plain dict (see :meth:`Change.to_dict`), with the
        ``chapter`` (number) and ``block`` (range) the node is in, in the newer
        release (the older one for a deletion; ``""`` when the release has no
        chapters). Every column holds one type, so a pandas or polars frame
        needs no schema, and "changes by chapter" is one ``groupby``.

        >>> import medcodes
        >>> changes = medcodes.icd10cm.diff(medcodes.icd10cm.load(fiscal_year=2025),
        ...                                 medcodes.icd10cm.load())
        >>> row = changes.to_records()[0]
        >>> row["code"], row["chapter"], row["block"], row["detail"]
        ('B18', '1', 'B15-B19', '')
        """
        where = {True: _Groups(self.new), False: _Groups(self.old)}
        rows = []
        for c in self.changes:
            row = c.to_dict()
            row["chapter"], row["block"] = where[c.kind is not ChangeKind.DELETED].of(c)
            rows.append(row)
        return rows

    def to_csv(self) -> str:
        """The records as CSV text (``related`` joined with spaces), in the
        columns shared with :meth:`medcodes.hcpcs.HcpcsDiff.to_csv`."""
        return records_to_csv(self.to_records())

    def __repr__(self) -> str:
        return (
            f"<ReleaseDiff {self.old.release.label} -> {self.new.release.label}: "
            f"{len(self.changes)} changes>"
        )

    def _repr_html_(self) -> str:
        """The summary as HTML tables (for notebooks)."""
        s = self.summary()
        head = html.escape(f"{self.old.release.label} -> {self.new.release.label}")
        rows = "".join(
            f"<tr><td>{name}</td>"
            + "".join(
                f"<td style='text-align:right'>{v:,}</td>"
                for v in (c.old_total, c.new_total, c.additions, c.deletions, c.revisions)
            )
            + "</tr>"
            for name, c in (("codes", s.codes), ("headers", s.headers))
            if c is not None
        )
        kinds = "".join(
            f"<tr><td>{html.escape(k.value)}</td><td style='text-align:right'>{n:,}</td></tr>"
            for k, n in s.by_kind.items()
        )
        return (
            f"<p><b>ICD-10-CM changes: {head}</b> ({len(self.changes):,} changes)</p>"
            "<table><tr><th></th><th>old</th><th>new</th><th>added</th><th>deleted</th>"
            f"<th>revised</th></tr>{rows}</table>"
            f"<table><tr><th>change</th><th>count</th></tr>{kinds}</table>"
        )

    def to_json(self) -> str:
        """The releases, the summary and every record as JSON text. The keys
        ``system`` (``"icd10cm"``), ``old``, ``new``, ``summary`` and ``changes``
        are those of :meth:`medcodes.hcpcs.HcpcsDiff.to_json`, and the change
        records have the same keys; ``summary`` is each system's own, and
        ``compared`` (what both releases had to compare) is ICD-10-CM's.

        >>> import json, medcodes
        >>> cm = medcodes.icd10cm.load()
        >>> payload = json.loads(medcodes.icd10cm.diff(cm, cm).to_json())
        >>> payload["system"], payload["summary"]["codes"]["new_total"], payload["changes"]
        ('icd10cm', 74719, [])
        """
        payload = {
            "system": "icd10cm",
            "old": self.old.release.label,
            "new": self.new.release.label,
            "compared": {
                "headers": self.compares_headers,
                "short_titles": self.compares_short_titles,
                "structure": self.compares_structure,
            },
            "summary": self.summary().to_dict(),
            "changes": self.to_records(),
        }
        return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"

    def to_markdown(self) -> str:
        """A readable report: the summary, then the changes grouped by kind."""
        s = self.summary()
        o, n = self.old.release.label, self.new.release.label
        parts = [f"# ICD-10-CM changes: {o} -> {n}", ""]
        parts += ["| | old | new | added | deleted | revised |", "|---|---:|---:|---:|---:|---:|"]
        for name, counts in (("codes", s.codes), ("headers", s.headers)):
            if counts is not None:
                row = (
                    name,
                    counts.old_total,
                    counts.new_total,
                    counts.additions,
                    counts.deletions,
                    counts.revisions,
                )
                parts.append(
                    "| " + " | ".join(f"{v:,}" if isinstance(v, int) else v for v in row) + " |"
                )
        if s.respelled:
            parts += ["", f"Respelled (diacritics or spacing only): {s.respelled:,}"]
        skipped = [
            what
            for what, compared in (
                ("headers", self.compares_headers),
                ("short titles", self.compares_short_titles),
                ("chapters, blocks, notes and 7th characters", self.compares_structure),
            )
            if not compared
        ]
        if skipped:
            parts += [
                "",
                f"Not compared (a release was loaded without the file that has them): "
                f"{', '.join(skipped)}.",
            ]
        for kind in ChangeKind:
            records = self.of(kind)
            if not records:
                continue
            parts += ["", f"## {kind.value} ({len(records):,})", ""]
            parts.extend("- " + _describe(change) for change in records)
        return "\n".join(parts) + "\n"


class _Groups:
    """The chapter and block of each node of one release, by identity."""

    __slots__ = ("cs", "groups")

    def __init__(self, cs: Codeset) -> None:
        self.cs = cs
        self.groups = _chapters_and_blocks(cs._store)

    def of(self, c: Change) -> tuple[str, str]:
        st = self.cs._store
        key = c.code.replace(".", "") if c.level not in (Kind.CHAPTER, Kind.BLOCK) else c.code
        table = (
            st.chapters
            if c.level is Kind.CHAPTER
            else st.blocks
            if c.level is Kind.BLOCK
            else st.codes
        )
        i = table.get(key)
        return ("", "") if i is None else self.groups[i]


def _describe(c: Change) -> str:
    code = f"`{c.code}`"
    if c.kind is ChangeKind.ADDED:
        return f"{code} {c.after}" + (" (billable)" if c.billable else f" ({c.level.value})")
    if c.kind is ChangeKind.DELETED:
        text = f"{code} {c.before}"
        return text + (f" -> {', '.join(c.related)}" if c.related else "")
    if c.kind is ChangeKind.NOW_HEADER:
        return f"{code} {c.after} -> {', '.join(c.related)}"
    if c.kind in (ChangeKind.NOTE_ADDED, ChangeKind.NOTE_REMOVED):
        assert c.note_kind is not None
        return f"{code} {c.note_kind.value}: {c.after or c.before}"
    if c.kind is ChangeKind.MOVED:
        return f"{code} {c.before} -> {c.after}" + (f" ({c.detail})" if c.detail else "")
    return f"{code} {c.before!r} -> {c.after!r}" + (f" ({c.detail})" if c.detail else "")


_ACTION_RANK = {
    AddendaAction.DELETE: 0,
    AddendaAction.REVISE_FROM: 1,
    AddendaAction.REVISE_TO: 2,
    AddendaAction.ADD: 3,
}


def _by_node(changes: tuple[Change, ...]) -> dict[str, list[Change]]:
    """The changes grouped by node (by written code; a block and a category
    of the same name are told apart by their level)."""
    out: dict[str, list[Change]] = {}
    for c in changes:
        key = c.code if c.level not in (Kind.CHAPTER, Kind.BLOCK) else f"{c.level.value} {c.code}"
        out.setdefault(key, []).append(c)
    return out


def _revised(a: str, b: str) -> bool:
    """A title revision as the text files see it: a diacritics-only change is not."""
    return a != b and _fold(a) != _fold(b)


def _long_revised(changes: list[Change]) -> bool:
    """A long-title revision as the text files see it (diacritics-only changes are invisible)."""
    return any(
        c.kind is ChangeKind.LONG_TITLE_REVISED
        or (c.kind is ChangeKind.LONG_TITLE_RESPELLED and c.detail != "diacritics")
        for c in changes
    )


def _short_revised(changes: list[Change]) -> bool:
    return any(
        c.kind in (ChangeKind.SHORT_TITLE_REVISED, ChangeKind.SHORT_TITLE_RESPELLED)
        for c in changes
    )


def _total(cs: Codeset, billable: bool) -> int:
    """The number of codes (or headers) of a release."""
    flags = bytes(cs._store.flags)
    groups = sum(1 for f in flags if f & GROUP) if cs._store.chapters else 0
    codes = len(flags.translate(None, _NOT_BILLABLE))
    return codes if billable else len(flags) - codes - groups


_NOT_BILLABLE = bytes(v for v in range(256) if not v & BILLABLE)


def diff(old: Codeset, new: Codeset) -> ReleaseDiff:
    """The changes from release ``old`` to release ``new`` (see :class:`ReleaseDiff`).

    :raises ~medcodes.errors.UsageError: either is not an ICD-10-CM codeset.
    """
    for cs in (old, new):
        if not isinstance(cs, Codeset):
            raise UsageError(f"icd10cm.diff compares ICD-10-CM codesets, not {cs!r}")
    with paused_gc():  # hundreds of thousands of short-lived tuples, no cycles
        return _diff(old, new)


def _diff(old: Codeset, new: Codeset) -> ReleaseDiff:
    a, b = _Side(old), _Side(new)
    headers = not a.codes_only and not b.codes_only
    shorts = a.shorts is not None and b.shorts is not None
    structure = a.tabular and b.tabular
    ast, bst = a.st, b.st
    # The nodes worth a look, found with set arithmetic: added, deleted, and
    # those whose title, flag, parent, notes or 7th characters differ.
    old_ids, new_ids = set(a.ids), set(b.ids)
    added, deleted = new_ids - old_ids, old_ids - new_ids
    touched = {sig[0] for sig in b.signatures(structure) - a.signatures(structure)} - added
    if structure:
        # Notes and 7th-character rules sit on few nodes: compare those directly
        # (hashing them would cost more than comparing).
        for old_table, new_table in ((ast.notes, bst.notes), (ast.rules, bst.rules)):
            before, after = a.by_identity(old_table), b.by_identity(new_table)
            touched.update(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        touched -= added | deleted
    for ident in list(touched):
        j = b.find(ident)
        i = a.find(ident)
        if i is not None and j is not None and ast.titles[i] != bst.titles[j]:
            # Generated 7th-character codes take their parent's title.
            touched.update(b.ids[k] for k in range(j + 1, bst.ends[j]) if bst.flags[k] & GENERATED)
    if shorts:
        assert a.shorts is not None and b.shorts is not None
        touched.update(k for k, _ in b.shorts.items() - a.shorts.items() if k in old_ids)
    changes: list[Change] = []
    add = changes.append
    for ident in _official_order(a, b, added | deleted | touched, deleted):
        i, j = a.find(ident), b.find(ident)
        seen_old = i is not None and a.visible(i, headers, structure)
        seen_new = j is not None and b.visible(j, headers, structure)
        if seen_old and not seen_new:
            assert i is not None
            related = _replacements(b, j) if j is not None else ()
            add(
                Change(
                    a.code(i),
                    ChangeKind.DELETED,
                    ast.kinds[i],
                    bool(ast.flags[i] & BILLABLE),
                    before=ast.title(i),
                    related=related,
                )
            )
        elif seen_new and not seen_old:
            assert j is not None
            add(
                Change(
                    b.code(j),
                    ChangeKind.ADDED,
                    bst.kinds[j],
                    bool(bst.flags[j] & BILLABLE),
                    after=bst.title(j),
                )
            )
        elif seen_old and seen_new:
            assert i is not None and j is not None
            _compare(a, b, i, j, shorts, structure, add)
    return ReleaseDiff(old, new, tuple(changes), headers, shorts, structure)


def _official_order(a: _Side, b: _Side, wanted: set[str], deleted: set[str]) -> list[str]:
    """``wanted`` in official order: the newer release's order; a node only in
    the older one just before the next node of the older one that survives."""
    position = {}
    for ident in wanted:
        j = b.find(ident)
        if j is not None:
            position[ident] = (j, 1, 0)
    if deleted:
        ids, n_new = a.ids, len(b.ids)
        for ident in deleted & wanted:
            i = a.find(ident)
            assert i is not None
            k = i + 1
            while k < len(ids) and ids[k] in deleted:
                k += 1
            anchor = b.find(ids[k]) if k < len(ids) else None
            position[ident] = (n_new if anchor is None else anchor, 0, i)
    return sorted(wanted, key=position.__getitem__)


def _replacements(side: _Side, j: int) -> tuple[str, ...]:
    """The billable codes below node ``j`` of the newer release (what an
    expanded code was split into)."""
    st = side.st
    return tuple(
        display_code(st.keys[k]) for k in range(j + 1, st.ends[j]) if st.flags[k] & BILLABLE
    )


def _compare(a: _Side, b: _Side, i: int, j: int, shorts: bool, structure: bool, add: Any) -> None:
    ast, bst = a.st, b.st
    code = b.code(j)
    level = bst.kinds[j]
    billable = bool(bst.flags[j] & BILLABLE)
    was = bool(ast.flags[i] & BILLABLE)
    if was != billable:
        if billable:
            add(Change(code, ChangeKind.NOW_BILLABLE, level, billable, ast.title(i), bst.title(j)))
        else:
            add(
                Change(
                    code,
                    ChangeKind.NOW_HEADER,
                    level,
                    billable,
                    ast.title(i),
                    bst.title(j),
                    related=_replacements(b, j),
                )
            )
    for before, after, revised, respelled in (
        (
            ast.title(i),
            bst.title(j),
            ChangeKind.LONG_TITLE_REVISED,
            ChangeKind.LONG_TITLE_RESPELLED,
        ),
        (
            a.short(i) if shorts else None,
            b.short(j) if shorts else None,
            ChangeKind.SHORT_TITLE_REVISED,
            ChangeKind.SHORT_TITLE_RESPELLED,
        ),
    ):
        if before != after and before is not None and after is not None:
            how = _respelling(before, after)
            kind = revised if how is None else respelled
            add(Change(code, kind, level, billable, before, after, detail=how))
    if not structure:
        return
    pa, pb = ast.parents[i], bst.parents[j]
    parent_a = a.ids[pa] if pa >= 0 else None
    parent_b = b.ids[pb] if pb >= 0 else None
    if parent_a != parent_b:
        add(
            Change(
                code,
                ChangeKind.MOVED,
                level,
                billable,
                a.code(pa) if pa >= 0 else None,
                b.code(pb) if pb >= 0 else None,
                detail=_where(a, i, b, j),
            )
        )
    notes_a, notes_b = ast.notes.get(i, ()), bst.notes.get(j, ())
    if notes_a != notes_b:
        old_notes, new_notes = Counter(notes_a), Counter(notes_b)
        for (nk, text), n in (old_notes - new_notes).items():
            for _ in range(n):
                add(Change(code, ChangeKind.NOTE_REMOVED, level, billable, text, None, nk))
        for (nk, text), n in (new_notes - old_notes).items():
            for _ in range(n):
                add(Change(code, ChangeKind.NOTE_ADDED, level, billable, None, text, nk))
    # Compared as written out: a change of spacing only (a tab before a note in
    # one year's XML) is no change of the 7th characters.
    rule_a, rule_b = _rule_text(ast.rules.get(i)), _rule_text(bst.rules.get(j))
    if rule_a != rule_b:
        add(
            Change(
                code,
                ChangeKind.SEVENTH_CHARACTERS_CHANGED,
                level,
                billable,
                rule_a,
                rule_b,
            )
        )


def _where(a: _Side, i: int, b: _Side, j: int) -> str | None:
    """The block and chapter before and after a move, when they changed."""
    before, after = a.cs._node(i), b.cs._node(j)
    parts = []
    for what in ("block", "chapter"):
        x, y = getattr(before, what), getattr(after, what)
        xc, yc = (x.code if x else None), (y.code if y else None)
        if xc != yc:
            parts.append(f"{what} {xc} -> {yc}")
    return "; ".join(parts) or None


def _rule_text(rule: SeventhCharacterRule | None) -> str | None:
    """A rule written out: its notes, then each character with its label and
    notes, spacing normalized."""
    if rule is None:
        return None
    parts = [" ".join(n.split()) for n in rule.notes]
    for c in rule.characters:
        notes = "".join(f" ({' '.join(n.split())})" for n in c.notes)
        parts.append(f"{c.char} {c.label}{notes}")
    return "; ".join(parts)
