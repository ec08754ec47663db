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
from collections.abc import Iterable, Iterator, Sequence

from attrs import frozen

from .._repr import bounded
from ..errors import DefectWarning, MismatchError
from .codes import CodesFile
from .model import (
    IntroSection,
    Kind,
    Note,
    NoteKind,
    Notes,
    SectionRef,
    SeventhCharacterRule,
)
from .order import OrderFile

__all__ = ["SEVENTH_CHARACTER_EXCEPTIONS", "SeventhCharacterException"]


@bounded
@frozen
class SeventhCharacterException:
    """A 7th-character restriction stated only in prose in the tabular.

    It applies when the category carries a ``notes`` note containing
    ``marker``, so a release whose wording changes is noticed (the test
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

    def skipped(self, key: str) -> str:
        """The 7th characters that do not apply to code ``key`` (no dot, 3-6
        characters, padded with ``X``)."""
        return self.excluded if key.ljust(6, "X")[5] in self.sixth else ""


#: The prose exceptions to 7th-character expansion. ``S06``: "7th characters D
#: and S do not apply to codes in category S06 with 6th character 7 - death due
#: to brain injury prior to regaining consciousness, or 8 - death due to other
#: cause prior to regaining consciousness."
SEVENTH_CHARACTER_EXCEPTIONS: tuple[SeventhCharacterException, ...] = (
    SeventhCharacterException("S06", "78", "DS", "7th characters D and S do not apply"),
)

RawNote = tuple[NoteKind, str]

# Bits of ``_Store.flags``; GROUP marks chapters and blocks.
BILLABLE, GENERATED, PLACEHOLDER, GROUP = 1, 2, 4, 8
# bytes(flags).translate(_FLAG_DIGIT, _GROUP_FLAGS): "1"/"0" per code node, as in an order file.
_FLAG_DIGIT = bytes(ord("1") if v & BILLABLE else ord("0") for v in range(256))
_GROUP_FLAGS = bytes(v for v in range(256) if v & GROUP)
_EMPTY_NOTES = Notes()


class _Store:
    """The arrays of one release. Built once; the codeset never changes it."""

    __slots__ = (
        "blocks",
        "chapters",
        "codes",
        "ends",
        "extras",
        "flags",
        "introduction",
        "keys",
        "kinds",
        "notes",
        "parents",
        "rules",
        "section_index",
        "short_titles",
        "titles",
    )

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.kinds: list[Kind] = []
        self.titles: list[str] = []
        self.parents: list[int] = []
        self.ends: list[int] = []
        self.flags = bytearray()  # BILLABLE | GENERATED | PLACEHOLDER bits per node
        self.notes: dict[int, tuple[RawNote, ...]] = {}
        self.rules: dict[int, SeventhCharacterRule] = {}
        self.extras: dict[int, tuple[str, ...]] = {}
        self.introduction: tuple[IntroSection, ...] = ()
        self.section_index: dict[int, tuple[SectionRef, ...]] = {}  # chapter node -> entries
        self.short_titles: dict[str, str] | None = None  # code key -> short title
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
        self.flags = bytearray(b | g << 1 | p << 2 for b, g, p in zip(flags, gen, ph, strict=True))
        n = len(rows)
        ends = list(range(1, n + 1))
        parents = self.parents
        for i in range(n - 1, -1, -1):
            p = parents[i]
            if p >= 0 and ends[i] > ends[p]:
                ends[p] = ends[i]
        self.ends = ends

    def title(self, i: int) -> str:
        """The title of node ``i``. A generated 7th-character code stores only
        its suffix (", initial encounter"): its title is its parent's plus that."""
        if self.flags[i] & GENERATED:
            return self.titles[self.parents[i]] + self.titles[i]
        return self.titles[i]

    def note_objects(self, i: int) -> Notes:
        """The notes of node ``i`` as :class:`Notes` (built on demand)."""
        raw = self.notes.get(i)
        if not raw:
            return _EMPTY_NOTES
        return Notes(tuple(Note(k, t, h) for k, t, h in with_headings(raw)))


def with_headings(raw: Iterable[RawNote]) -> Iterator[tuple[NoteKind, str, str | None]]:
    """The notes of one node with the heading each continues: the last note
    before it, of the same kind, that ends with a colon ("polyneuropathy (in):")."""
    heading: str | None = None
    previous: NoteKind | None = None
    for kind, text in raw:
        if kind is not previous:
            heading, previous = None, kind
        yield kind, text, heading
        if text.rstrip().endswith(":"):
            heading = text


_Row = tuple[str, Kind, str, int, int, int, int]


def active_exception(st: _Store, category: str) -> SeventhCharacterException | None:
    """The prose exception that applies under ``category`` in this release:
    one is listed for it and the category's notes still state it."""
    for exc in SEVENTH_CHARACTER_EXCEPTIONS:
        if exc.category != category:
            continue
        i = st.codes.get(category)
        marker = exc.marker.lower()
        if i is not None and any(
            k is NoteKind.NOTES and marker in t.lower() for k, t in st.notes.get(i, ())
        ):
            return exc
    return None


def build_from_order(order: OrderFile) -> _Store:
    """A hierarchy from an order file alone: categories at the top, each code
    under its longest prefix that is in the file. No chapters, blocks or notes."""
    st = _build_by_structure(order.codes, order.flags, order.long_titles)
    st.short_titles = dict(zip(order.codes, order.short_titles, strict=True))
    return st


def build_from_codes(codes: CodesFile) -> _Store:
    """A release of billable codes from a codes file alone (no headers, so no
    hierarchy: every code is a root)."""
    return _build_by_structure(codes.codes, "1" * len(codes.codes), codes.long_titles)


def _build_by_structure(keys: Sequence[str], flags: str, titles: Sequence[str]) -> _Store:
    st = _Store()
    codes = st.codes
    rows: list[_Row] = []
    for i, (key, flag, long) in enumerate(zip(keys, flags, titles, strict=True)):
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
    return st


def apply_order(st: _Store, order: OrderFile, label: str) -> None:
    """Check an order file against a tabular-built hierarchy and take its short titles.

    The order file is the official statement of which codes exist and which are
    billable; a tabular file of the same release derives exactly the same
    codes. Any difference means the two files are of different releases.
    """
    # ``codes`` holds every code node in tree order (insertion order), unless
    # the tabular repeated a code (a warned defect).
    tree_flags = bytes(st.flags).translate(_FLAG_DIGIT, _GROUP_FLAGS)
    if (
        len(st.codes) != len(tree_flags)
        or tree_flags != order.flags.encode("ascii")
        or list(st.codes) != list(order.codes)
    ):
        in_tree = [i for i, f in enumerate(st.flags) if not f & GROUP]
        raise MismatchError(_mismatch(st, order, in_tree), file=label)
    st.short_titles = dict(zip(order.codes, order.short_titles, strict=True))


def _mismatch(st: _Store, order: OrderFile, in_tree: Iterable[int]) -> str:
    tree = {st.keys[i]: st.flags[i] & BILLABLE for i in in_tree}
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
