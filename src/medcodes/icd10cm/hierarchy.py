"""The code tree: flat arrays in official (tabular) pre-order, built from parsed files.

Nodes are stored in pre-order, so the descendants of node ``i`` are exactly the
indices ``i + 1 .. end[i] - 1``. Every node has a key: the code without dot
for codes, the chapter number for chapters, the range for blocks.

Building from the tabular XML follows the official derivation (DOMAIN.md §4):

* chapters hold their sections (blocks); a section with no ``diag`` whose range
  spans the sections after it ("super-block" such as ``C00-C96``) becomes their
  parent, so its notes govern them;
* a ``diag`` with ``diag`` children is a header; a leaf without an applicable
  ``sevenChrDef`` is a billable code; a leaf with one (the nearest declaration
  on it or an ancestor wins) is a header whose children are the generated
  7th-character codes: the code padded with ``X`` to 6 characters, plus the
  character, titled "<leaf title>, <extension label>";
* :data:`SEVENTH_CHARACTER_EXCEPTIONS` removes the combinations that a prose
  note forbids (category ``S06``).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Any

from attrs import frozen

from ..errors import DefectWarning, MismatchError
from .model import Kind, Note, NoteKind, Notes, SeventhCharacterRule
from .order import OrderFile
from .tabular import DEPTH, KEY, NOTES, RawNote, _Tabular

__all__ = ["SEVENTH_CHARACTER_EXCEPTIONS", "SeventhCharacterException"]


@frozen
class SeventhCharacterException:
    """A 7th-character restriction stated only in prose in the tabular.

    It applies when the category carries a ``notes`` note containing
    :attr:`marker`, so a release whose wording changes is noticed (the test
    suite re-derives every release's code set against its order file).

    :ivar category: the category whose note states the rule.
    :ivar sixth: the 6th characters concerned.
    :ivar excluded: the 7th characters that do not apply to them.
    :ivar marker: text of the note that states it.
    """

    category: str
    sixth: str
    excluded: str
    marker: str


#: The prose exceptions to 7th-character expansion. ``S06``: "7th characters D
#: and S do not apply to codes in category S06 with 6th character 7 - death due
#: to brain injury prior to regaining consciousness, or 8 - death due to other
#: cause prior to regaining consciousness."
SEVENTH_CHARACTER_EXCEPTIONS: tuple[SeventhCharacterException, ...] = (
    SeventhCharacterException("S06", "78", "DS", "7th characters D and S do not apply"),
)

_EMPTY_NOTES = Notes()
_AS_DIGIT = bytes.maketrans(b"\x00\x01", b"01")


class _Store:
    """The arrays of one release. Built once; the codeset never changes it."""

    __slots__ = (
        "billable_flags",
        "blocks",
        "chapters",
        "codes",
        "ends",
        "extras",
        "generated",
        "keys",
        "kinds",
        "notes",
        "parents",
        "placeholder",
        "rules",
        "short_titles",
        "titles",
    )

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.kinds: list[Kind] = []
        self.titles: list[str] = []
        self.parents: list[int] = []
        self.ends: list[int] = []
        self.billable_flags = bytearray()
        self.generated = bytearray()
        self.placeholder = bytearray()
        self.notes: dict[int, tuple[RawNote, ...]] = {}
        self.rules: dict[int, SeventhCharacterRule] = {}
        self.extras: dict[int, tuple[str, ...]] = {}
        self.short_titles: tuple[str | None, ...] | None = None
        self.codes: dict[str, int] = {}
        self.chapters: dict[str, int] = {}
        self.blocks: dict[str, int] = {}

    def set_rows(self, rows: list[_Row]) -> None:
        """Take the nodes as rows ``(key, kind, title, parent, billable,
        generated, placeholder)`` and compute the subtree ends."""
        if not rows:
            return
        keys, kinds, titles, parent_ids, flags, gen, ph = zip(*rows, strict=True)
        self.keys, self.kinds, self.titles = list(keys), list(kinds), list(titles)
        self.parents = list(parent_ids)
        self.billable_flags = bytearray(flags)
        self.generated = bytearray(gen)
        self.placeholder = bytearray(ph)
        n = len(rows)
        ends = list(range(1, n + 1))
        parents = self.parents
        for i in range(n - 1, -1, -1):
            p = parents[i]
            if p >= 0 and ends[i] > ends[p]:
                ends[p] = ends[i]
        self.ends = ends

    def note_objects(self, i: int) -> Notes:
        """The notes of node ``i`` as :class:`Notes` (built on demand)."""
        raw = self.notes.get(i)
        return Notes(tuple(Note(k, t) for k, t in raw)) if raw else _EMPTY_NOTES


_Row = tuple[str, Kind, str, int, int, int, int]


def _active_exceptions(tab: _Tabular) -> dict[str, SeventhCharacterException]:
    wanted = {e.category: e for e in SEVENTH_CHARACTER_EXCEPTIONS}
    active: dict[str, SeventhCharacterException] = {}
    for chapter in tab.chapters:
        for section in chapter.sections:
            for d in section.diags:
                exc = wanted.get(d[KEY]) if d[DEPTH] == 1 else None
                if exc is not None and any(
                    k is NoteKind.NOTES and exc.marker.lower() in t.lower()
                    for k, t in d[NOTES] or ()
                ):
                    active[d[KEY]] = exc
    return active


def build_from_tabular(tab: _Tabular) -> _Store:
    """The hierarchy of a parsed tabular file, 7th-character codes included."""
    st = _Store()
    exceptions = _active_exceptions(tab)
    rows: list[_Row] = []
    for chapter in tab.chapters:
        ci = len(rows)
        rows.append((chapter.number, Kind.CHAPTER, chapter.title or "", -1, 0, 0, 0))
        if chapter.notes:
            st.notes[ci] = tuple(chapter.notes)
        if chapter.extras:
            st.extras[ci] = tuple(chapter.extras)
        if chapter.number in st.chapters:
            _defect(f"chapter {chapter.number} appears twice", tab.label, chapter.line)
        else:
            st.chapters[chapter.number] = ci
        section_of: dict[str, int] = {}
        for si, section in enumerate(chapter.sections):
            for d in section.diags:
                if d[DEPTH] == 1:
                    section_of.setdefault(d[KEY], si)
        open_blocks: list[tuple[int, int]] = []  # (last section index, node index)
        for si, section in enumerate(chapter.sections):
            while open_blocks and si > open_blocks[-1][0]:
                open_blocks.pop()
            bi = len(rows)
            parent = open_blocks[-1][1] if open_blocks else ci
            rows.append((section.id, Kind.BLOCK, section.title or "", parent, 0, 0, 0))
            if section.notes:
                st.notes[bi] = tuple(section.notes)
            if section.extras:
                st.extras[bi] = tuple(section.extras)
            if section.id in st.blocks:
                _defect(f"block {section.id} appears twice", tab.label, section.line)
            else:
                st.blocks[section.id] = bi
            if not section.diags:
                # A super-block (C00-C96): the parent of the sections up to the
                # one holding its last category.
                last = section_of.get(section.id.rsplit("-", 1)[-1], -1)
                if last > si:
                    open_blocks.append((last, bi))
            else:
                _add_diags(st, rows, section.diags, bi, exceptions, tab.label)
    st.set_rows(rows)
    return st


def _add_diags(
    st: _Store,
    rows: list[_Row],
    diags: list[list[Any]],
    block: int,
    exceptions: dict[str, SeventhCharacterException],
    label: str,
) -> None:
    codes, notes, rules, extras = st.codes, st.notes, st.rules, st.extras
    append, extend = rows.append, rows.extend
    n = len(diags)
    pstack = [block]
    rstack: list[SeventhCharacterRule | None] = [None]
    code_kind, cat_kind, sub_kind = Kind.CODE, Kind.CATEGORY, Kind.SUBCATEGORY
    for j, (key, title, depth, d_notes, seven, placeholder, d_extras, line) in enumerate(diags):
        del pstack[depth:]
        del rstack[depth:]
        rule = seven or rstack[-1]
        leaf = j + 1 == n or diags[j + 1][DEPTH] <= depth
        i = len(rows)
        if key in codes:
            _defect(f"code {key} appears twice; the second is not indexed", label, line)
        else:
            codes[key] = i
        if d_notes:
            notes[i] = tuple(d_notes)
        if seven is not None:
            rules[i] = seven
        if d_extras:
            extras[i] = tuple(d_extras)
        if leaf and (rule is None or len(key) >= 7):
            if rule is not None:
                _defect(f"{key} has 7 characters but a 7th character rule applies", label, line)
            append((key, code_kind, title, pstack[-1], 1, 0, 1 if placeholder else 0))
        else:
            kind = cat_kind if len(key) == 3 else sub_kind
            append((key, kind, title, pstack[-1], 0, 0, 1 if placeholder else 0))
            if leaf:
                assert rule is not None
                base = key.ljust(6, "X")
                exc = exceptions.get(key[:3])
                skip = exc.excluded if exc is not None and base[5] in exc.sixth else ""
                new = [
                    (base + e.char, code_kind, f"{title}, {e.label}", i, 1, 1, 0)
                    for e in rule.characters
                    if e.char not in skip
                ]
                size = len(codes)
                codes.update({r[0]: k for k, r in enumerate(new, len(rows))})
                if len(codes) != size + len(new):
                    _defect(f"a code generated from {key} already exists", label, line)
                extend(new)
        pstack.append(i)
        rstack.append(rule)


def build_from_order(order: OrderFile) -> _Store:
    """A hierarchy from an order file alone: categories at the top, each code
    under its longest prefix that is in the file. No chapters, blocks or notes."""
    st = _Store()
    codes = st.codes
    rows: list[_Row] = []
    for i, (key, flag, long) in enumerate(
        zip(order.codes, order.flags, order.long_titles, strict=True)
    ):
        codes[key] = i
        parent = -1
        for cut in range(len(key) - 1, 2, -1):
            p = codes.get(key[:cut])
            if p is not None:
                parent = p
                break
        if flag == "1":
            rows.append((key, Kind.CODE, long, parent, 1, 0, 0))
        else:
            kind = Kind.CATEGORY if len(key) == 3 else Kind.SUBCATEGORY
            rows.append((key, kind, long, parent, 0, 0, 1 if key.endswith("X") else 0))
    st.set_rows(rows)
    st.short_titles = order.short_titles
    return st


def apply_order(st: _Store, order: OrderFile, label: str) -> None:
    """Check an order file against a tabular-built hierarchy and take its short titles.

    The order file is the official statement of which codes exist and which are
    billable; a tabular file of the same release derives exactly the same
    codes. Any difference means the two files are of different releases.
    """
    in_tree = [i for i, k in enumerate(st.kinds) if k is not Kind.CHAPTER and k is not Kind.BLOCK]
    tree_codes = [st.keys[i] for i in in_tree]
    tree_flags = bytes(st.billable_flags[i] for i in in_tree).translate(_AS_DIGIT)
    if tree_codes != list(order.codes) or tree_flags != order.flags.encode("ascii"):
        raise MismatchError(_mismatch(st, order, in_tree), file=label)
    shorts: list[str | None] = [None] * len(st.keys)
    for i, short in zip(in_tree, order.short_titles, strict=True):
        shorts[i] = short
    st.short_titles = tuple(shorts)


def _mismatch(st: _Store, order: OrderFile, in_tree: Iterable[int]) -> str:
    tree = {st.keys[i]: st.billable_flags[i] for i in in_tree}
    listed = dict(zip(order.codes, (f == "1" for f in order.flags), strict=True))
    only_order = [c for c in order.codes if c not in tree]
    only_tree = [c for c in tree if c not in listed]
    flag_diff = [c for c in order.codes if c in tree and bool(tree[c]) != listed[c]]

    def few(xs: list[str]) -> str:
        return ", ".join(xs[:8]) + (f" ... ({len(xs)} in all)" if len(xs) > 8 else "")

    parts = []
    if only_order:
        parts.append(f"{len(only_order)} codes only in the order file ({few(only_order)})")
    if only_tree:
        parts.append(f"{len(only_tree)} codes only in the tabular ({few(only_tree)})")
    if flag_diff:
        parts.append(
            f"{len(flag_diff)} codes billable in one and header in the other ({few(flag_diff)})"
        )
    if not parts:
        parts.append("the same codes in a different order")
    return "the order file and the tabular describe different releases: " + "; ".join(parts)


def _defect(message: str, label: str, line: int | None) -> None:
    where = f"{label}, line {line}" if line is not None else label
    warnings.warn(f"{where}: {message}", DefectWarning, stacklevel=4)
