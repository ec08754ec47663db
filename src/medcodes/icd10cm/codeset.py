"""A loaded ICD-10-CM release: lookup, navigation and validity.

:class:`Codeset` indexes the flat pre-order arrays built by
:mod:`medcodes.icd10cm.hierarchy`; :class:`Node` is a small immutable view of
one entry, so navigation (``node.parent``, ``node.children``) needs no cyclic
data and a release can be held beside another without sharing anything.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, ItemsView, Iterable, Iterator, Mapping, ValuesView
from itertools import repeat
from typing import Any, TypeVar, overload

from .. import _pickles
from .._args import text_arg, upper_key
from .._gc import paused_gc
from .._repr import BoundedTuple
from ..bulk import CodeChecks
from ..errors import UnknownCodeError, UsageError
from .hierarchy import BILLABLE, GENERATED, GROUP, PLACEHOLDER, _Store
from .model import (
    IntroSection,
    Kind,
    NoteKind,
    Notes,
    Release,
    SectionRef,
    SeventhCharacter,
    SeventhCharacterRule,
)

__all__ = ["Codeset", "Node", "display_code", "normalize_code"]


def normalize_code(text: str) -> str:
    """The lookup key of a code: upper case, no surrounding spaces, without the
    dot after the 3rd character (a dot anywhere else is kept: such text is no
    code, and stays none).

    >>> normalize_code(" e11.65 ")
    'E1165'

    :raises ~medcodes.errors.UsageError: ``text`` is not a ``str``.
    """
    return _key_of(text_arg(text, "code"))


def _key_of(text: str) -> str:
    """:func:`normalize_code` of a ``str`` (the lookups' fast path)."""
    key = text.strip()
    if key.isascii():  # as upper_key: no look-alike letter becomes a code's
        key = key.upper()
    if len(key) > 3 and key[3] == ".":
        key = key[:3] + key[4:]
    elif key.endswith(".") and len(key) == 4:
        key = key[:3]
    return key


def display_code(key: str) -> str:
    """The written form of a code key: a dot after the 3rd character. A form
    that already has it, a chapter number and a block range are returned as
    they are.

    >>> display_code("S72001A"), display_code(" s72.001a "), display_code("S00-S09")
    ('S72.001A', 'S72.001A', 'S00-S09')

    :raises ~medcodes.errors.UsageError: ``key`` is not a ``str``.
    """
    key = normalize_code(key)  # "E11.65" and "E1165" alike; "E11." is "E11"
    if len(key) <= 3 or "." in key or "-" in key or not key.isascii():
        return key  # a category, a chapter, a block, or no code at all
    return f"{key[:3]}.{key[3:]}"


class Node:
    """An immutable view of one node of a :class:`Codeset` (chapter, block,
    category, subcategory or code).

    Nodes compare equal when they are the same entry of the same codeset (or
    of two loads of the same bundled release): the same code in two releases
    (or in a codeset loaded from your files and its unpickled copy) gives two
    different nodes; compare ``node.key`` for that, or look a node up in the
    other release (``old[node]``). Get them from a codeset (``cm["E11.65"]``),
    never construct them. Within a release, nodes sort in official order.
    Immutable: no attribute can be set or deleted.

    A node of a bundled release pickles as a reference (the release and the
    node's position, a few hundred bytes) and unpickles, in any process, to the
    node of that bundled release, loaded once per process. A node of a release
    loaded from your own files pickles with its whole codeset.

    >>> import medcodes
    >>> cm = medcodes.icd10cm.load()
    >>> node = cm["E11.65"]
    >>> node.code, node.kind.value, node.billable
    ('E11.65', 'code', True)
    >>> node.title
    'Type 2 diabetes mellitus with hyperglycemia'
    >>> [a.code for a in node.ancestors()]
    ['E11.6', 'E11', 'E08-E13', '4']
    """

    __slots__ = ("_cs", "_i")
    _cs: Codeset
    _i: int

    def __init__(self, codeset: Codeset, index: int) -> None:
        _set_codeset(self, codeset)  # a node is a view, fixed once made
        _set_index(self, index)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a Node is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("a Node is immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Node) or other._i != self._i:
            return False
        a, b = self._cs, other._cs  # one codeset, or two loads of one bundled release
        return a is b or (a._bundled is not None and a._bundled == b._bundled)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash((self._cs._identity, self._i))

    def __lt__(self, other: Node) -> bool:
        return self._i < _same_release(self, other)._i

    def __le__(self, other: Node) -> bool:
        return self._i <= _same_release(self, other)._i

    def __gt__(self, other: Node) -> bool:
        return self._i > _same_release(self, other)._i

    def __ge__(self, other: Node) -> bool:
        return self._i >= _same_release(self, other)._i

    @property
    def codeset(self) -> Codeset:
        """The codeset this node belongs to."""
        cs: Codeset = self._cs
        return cs

    @property
    def key(self) -> str:
        """The lookup key. The code without dot (``"E1165"``), a chapter number
        or a block range."""
        return self._cs._store.keys[self._i]

    @property
    def code(self) -> str:
        """The written form. ``"E11.65"`` for codes, ``"19"`` for chapters,
        ``"S00-S09"`` for blocks."""
        key: str = self._cs._store.keys[self._i]
        if self._cs._store.kinds[self._i] in (Kind.CHAPTER, Kind.BLOCK):
            return key
        return key if len(key) <= 3 else f"{key[:3]}.{key[3:]}"

    @property
    def kind(self) -> Kind:
        """Chapter, block, category, subcategory or (billable) code."""
        return self._cs._store.kinds[self._i]

    @property
    def title(self) -> str:
        """The official (long) title, as in the file (accents kept)."""
        st: _Store = self._cs._store
        return st.title(self._i)

    @property
    def short_title(self) -> str | None:
        """The official short title, when an order file was loaded."""
        st: _Store = self._cs._store
        shorts = st.short_titles
        if shorts is None or st.flags[self._i] & GROUP:
            return None
        return shorts.get(st.keys[self._i])

    @property
    def billable(self) -> bool:
        """Valid for HIPAA-covered transactions (may be reported on a claim)."""
        return bool(self._cs._store.flags[self._i] & BILLABLE)

    @property
    def is_extension(self) -> bool:
        """True for a code generated from a 7th-character definition."""
        return bool(self._cs._store.flags[self._i] & GENERATED)

    @property
    def is_placeholder(self) -> bool:
        """True for an intermediate node whose name ends in a placeholder ``X``
        (``T36.0X``; the XML's ``placeholder="true"``)."""
        return bool(self._cs._store.flags[self._i] & PLACEHOLDER)

    @property
    def parent(self) -> Node | None:
        """The node above, or ``None`` for a chapter (or a category when no
        tabular file was loaded)."""
        p = self._cs._store.parents[self._i]
        return None if p < 0 else self._cs._node(p)

    @property
    def children(self) -> tuple[Node, ...]:
        """The nodes directly below, in official order."""
        return tuple(self._cs._node(i) for i in self._cs._child_indices(self._i))

    @property
    def siblings(self) -> tuple[Node, ...]:
        """The other children of this node's parent (other roots for a root)."""
        cs: Codeset = self._cs
        p = cs._store.parents[self._i]
        idx = cs._roots if p < 0 else cs._child_indices(p)
        return tuple(cs._node(i) for i in idx if i != self._i)

    @property
    def is_leaf(self) -> bool:
        """True when the node has no children."""
        return self._cs._store.ends[self._i] == self._i + 1

    def ancestors(self) -> Iterator[Node]:
        """The nodes above, nearest first, ending at the chapter."""
        cs: Codeset = self._cs
        parents = cs._store.parents
        p = parents[self._i]
        while p >= 0:
            yield cs._node(p)
            p = parents[p]

    def descendants(self, depth: int | None = None) -> Iterator[Node]:
        """The nodes below, in pre-order (official order).

        :param depth: only this many levels down (``1`` = children); all when ``None``.
        """
        cs: Codeset = self._cs
        i = self._i
        end = cs._store.ends[i]
        if depth is None:
            return cs._nodes_between(i + 1, end)
        if isinstance(depth, bool) or not isinstance(depth, int) or depth < 0:
            raise UsageError(f"depth must be a number of levels (0 or more) or None, not {depth!r}")
        if depth < 1:
            return iter(())
        parents, ends = cs._store.parents, cs._store.ends
        levels = {i: 0}

        def walk() -> Iterator[Node]:
            j = i + 1
            while j < end:
                level = levels[parents[j]] + 1
                yield cs._node(j)
                if level < depth:
                    levels[j] = level
                    j += 1
                else:
                    j = ends[j]  # nothing deeper is wanted: skip the subtree

        return walk()

    @property
    def depth(self) -> int:
        """Number of ancestors (0 for a chapter)."""
        parents = self._cs._store.parents
        n, p = 0, parents[self._i]
        while p >= 0:
            n += 1
            p = parents[p]
        return n

    @property
    def chapter(self) -> Node | None:
        """The chapter this node is in (``None`` when no tabular file was loaded)."""
        return next((a for a in self._self_and_ancestors() if a.kind is Kind.CHAPTER), None)

    @property
    def block(self) -> Node | None:
        """The innermost block (section) this node is in, or ``None``."""
        return next((a for a in self._self_and_ancestors() if a.kind is Kind.BLOCK), None)

    def _self_and_ancestors(self) -> Iterator[Node]:
        yield self
        yield from self.ancestors()

    @property
    def notes(self) -> Notes:
        """The instructional notes declared on this node (not inherited ones)."""
        notes: Notes = self._cs._store.note_objects(self._i)
        return notes

    @property
    def seventh_characters(self) -> SeventhCharacterRule | None:
        """The 7th-character definition that applies here, the nearest one
        declared on this node or an ancestor (``None`` if there is none)."""
        cs: Codeset = self._cs
        rules, parents = cs._store.rules, cs._store.parents
        i = self._i
        while i >= 0:
            rule = rules.get(i)
            if rule is not None:
                return rule
            i = parents[i]
        return None

    @property
    def seventh_character(self) -> SeventhCharacter | None:
        """For a generated 7th-character code, the definition of its 7th character."""
        if not self.is_extension:
            return None
        rule = self.seventh_characters
        return None if rule is None else rule.get(self.key[-1])

    @property
    def raw_elements(self) -> tuple[str, ...]:
        """Elements of the node the library does not model, as XML text (the
        visual-impairment table of ``H54.8``)."""
        return self._cs._store.extras.get(self._i, ())

    @property
    def section_index(self) -> tuple[SectionRef, ...]:
        """For a chapter, its ``<sectionIndex>``: the blocks as the chapter's
        table of contents lists them, in file order, with the titles written
        there; ``()`` for any other node (and for a release loaded without its
        tabular XML).

        >>> import medcodes
        >>> ch = medcodes.icd10cm.load().chapter(19)
        >>> [(r.id, r.title) for r in ch.section_index[:1]]
        [('S00-S09', 'Injuries to the head')]
        """
        return self._cs._store.section_index.get(self._i, ())

    def __repr__(self) -> str:
        return f"<Node {self.code} {self.kind.value}: {_shorten(self.title)!r}>"

    def __str__(self) -> str:
        return self.code

    def __format__(self, spec: str) -> str:
        """As its code: ``f"{node:>10}"`` pads ``node.code``."""
        return format(self.code, spec)

    def _repr_html_(self) -> str:
        """A small table for notebooks: code, title, billable, path."""
        path = [a.code for a in reversed(list(self.ancestors()))]
        return _html_row_table(
            ("code", self.code),
            ("title", self.title),
            ("kind", self.kind.value),
            ("billable", "yes" if self.billable else "no"),
            ("path", " > ".join([*path, self.code])),
        )

    def to_dict(self) -> dict[str, Any]:
        """The node as a plain dict (``str``, ``bool``, ``int``), one row of
        :meth:`Codeset.to_records`: ``code``, ``key``, ``kind``, ``title``,
        ``short_title``, ``billable``, ``parent``, ``chapter``, ``block``,
        ``depth``. What is absent is ``""`` (no short title, no parent, no
        chapter or block), never ``None``, so every column has one type.

        >>> import medcodes
        >>> medcodes.icd10cm.load()["E11.65"].to_dict()["block"]
        'E08-E13'
        """
        parent, chapter, block = self.parent, self.chapter, self.block
        return {
            "code": self.code,
            "key": self.key,
            "kind": self.kind.value,
            "title": self.title,
            "short_title": self.short_title or "",
            "billable": self.billable,
            "parent": "" if parent is None else parent.code,
            "chapter": "" if chapter is None else chapter.code,
            "block": "" if block is None else block.code,
            "depth": self.depth,
        }

    def __reduce__(self) -> tuple[Any, ...]:
        cs: Codeset = self._cs
        ref = cs._bundled
        if ref is None:
            return (_node_at, (cs, self._i))
        _pickles.remember(ref, cs)
        return (_bundled_node, (ref, self._i))


# A node's two slots, set once: Node.__setattr__ refuses every change.
_set_codeset = Node.__dict__["_cs"].__set__
_set_index = Node.__dict__["_i"].__set__
_new_node: Callable[[type[Node]], Node] = object.__new__
#: The longest title a repr shows whole.
_REPR_TITLE = 200


def _shorten(text: str, width: int = _REPR_TITLE) -> str:
    """``text``, cut to ``width`` characters with an ellipsis (for reprs)."""
    return text if len(text) <= width else text[: width - 3] + "..."


def _html_row_table(*rows: tuple[str, str]) -> str:
    cells = "".join(
        f"<tr><th style='text-align:left'>{html.escape(k)}</th><td style='text-align:left'>"
        f"{html.escape(v)}</td></tr>"
        for k, v in rows
    )
    return f"<table>{cells}</table>"


def _written_forms(st: _Store) -> list[str]:
    """:attr:`Node.code` of every node of ``st``."""
    kinds = st.kinds
    return [
        k
        if len(k) <= 3 or kinds[i] is Kind.CHAPTER or kinds[i] is Kind.BLOCK
        else f"{k[:3]}.{k[3:]}"
        for i, k in enumerate(st.keys)
    ]


def _chapters_and_blocks(st: _Store) -> list[tuple[str, str]]:
    """Per node of ``st``: the chapter number and innermost block range it is in
    (itself for a chapter or block; ``""`` for none), in one pass (pre-order)."""
    keys, kinds, parents = st.keys, st.kinds, st.parents
    out: list[tuple[str, str]] = []
    for i, kind in enumerate(kinds):
        p = parents[i]
        chapter, block = out[p] if p >= 0 else ("", "")
        if kind is Kind.CHAPTER:
            chapter = keys[i]
        elif kind is Kind.BLOCK:
            block = keys[i]
        out.append((chapter, block))
    return out


def _bundled_node(ref: _pickles.Ref, index: int) -> Node:
    """The node at ``index`` of bundled release ``ref`` (unpickling)."""
    cs: Codeset = _pickles.bundled_codeset(ref)
    return cs._node(index)


def _table(data: _TableData, codeset: Codeset) -> Table:
    return Table(data, codeset)


def _same_release(node: Node, other: object) -> Node:
    """``other``, when it is a node of ``node``'s release (nodes of two releases
    have no order: compare their keys)."""
    if not isinstance(other, Node) or other._cs._identity != node._cs._identity:
        raise TypeError(f"cannot order {node!r} and {other!r}: not nodes of one release")
    return other


def _node_at(codeset: Codeset, index: int) -> Node:
    return codeset._node(index)


_T = TypeVar("_T")


class _Values(ValuesView[Node]):
    """The nodes of a codeset in official order (made once, shared)."""

    _mapping: Codeset

    def __iter__(self) -> Iterator[Node]:
        return iter(self._mapping._all_nodes())


class _Items(ItemsView[str, Node]):
    """``(code, node)`` of a codeset in official order."""

    _mapping: Codeset

    def __iter__(self) -> Iterator[tuple[str, Node]]:
        return zip(self._mapping, self._mapping._all_nodes(), strict=True)


class Codeset(Mapping[str, Node]):
    """One loaded ICD-10-CM release. Immutable; get one from
    :func:`medcodes.icd10cm.load`.

    Lookups accept any written form of a code (``"E11.65"``, ``"e1165"``,
    ``" E11.65 "``), a chapter number (``"19"``) or a block range
    (``"S00-S09"``). A block whose range is a single category (``B10``) has the
    same name as that category: ``cm["B10"]`` is the category, and
    ``cm.block("B10")`` (or ``cm["B10"].block``) the block.

    >>> import medcodes
    >>> cm = medcodes.icd10cm.load()
    >>> "S72.001A" in cm, "S72.001Z" in cm
    (True, False)
    >>> cm["19"].title
    'Injury, poisoning and certain other consequences of external causes (S00-T88)'
    >>> cm.block("B10").kind.value, cm["B10"].kind.value
    ('block', 'category')
    """

    __slots__ = (
        "__weakref__",
        "_billable",
        "_bundled",
        "_deletions",
        "_eindex",
        "_has_notes",
        "_identity",
        "_label",
        "_nodes",
        "_release",
        "_roots",
        "_rules",
        "_store",
        "_tables",
        "_term_index",
        "_valid_rows",
    )

    def __init__(
        self,
        store: _Store,
        release: Release,
        index: Index | None = None,
        eindex: Index | None = None,
        tables: tuple[_TableData, ...] = (),
        bundled: _pickles.Ref | None = None,
    ) -> None:
        init = object.__setattr__
        init(self, "_term_index", index)
        init(self, "_eindex", eindex)
        init(self, "_tables", {t.kind: t for t in tables})
        init(self, "_nodes", None)  # every node, once one walk needed them all
        init(self, "_bundled", bundled)  # set when loaded from the bundled files
        init(self, "_identity", id(self) if bundled is None else hash(bundled))  # nodes' hash
        init(self, "_label", release.label)
        init(self, "_rules", None)  # the guidelines index, built on first use
        init(self, "_billable", None)
        init(self, "_deletions", None)  # the typo index of suggestions, built on first use
        init(self, "_valid_rows", None)  # the bulk check's rows of billable codes, the same
        init(self, "_roots", tuple(i for i, p in enumerate(store.parents) if p < 0))
        init(self, "_release", release)
        init(self, "_store", store)
        init(self, "_has_notes", any(s.format == "tabular" for s in release.sources))

    _nodes: list[Node] | None
    _bundled: _pickles.Ref | None
    _identity: int
    _label: str
    _rules: _Index | None
    _billable: tuple[int, ...] | None
    _deletions: dict[str, tuple[int, ...]] | None
    _valid_rows: dict[str, tuple[Any, ...]] | None
    _has_notes: bool
    _roots: tuple[int, ...]
    _release: Release
    _store: _Store
    _term_index: Index | None
    _eindex: Index | None
    _tables: dict[str, _TableData]

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a Codeset is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("a Codeset is immutable")

    # -- internals -------------------------------------------------------
    def _mark_bundled(self, ref: _pickles.Ref) -> None:
        """Record that this codeset is the bundled release ``ref`` (by the
        loader, before anyone else sees it): its nodes pickle as references."""
        object.__setattr__(self, "_bundled", ref)
        object.__setattr__(self, "_identity", hash(ref))

    def _node(self, i: int) -> Node:
        nodes = self._nodes
        if nodes is not None:
            return nodes[i]
        node = _new_node(Node)  # Node(self, i), without the call of __init__
        _set_codeset(node, self)
        _set_index(node, i)
        return node

    def _all_nodes(self) -> list[Node]:
        nodes = self._nodes
        if nodes is None:
            with paused_gc():  # ~100,000 small objects
                nodes = list(map(Node, repeat(self), range(len(self._store.keys))))
            object.__setattr__(self, "_nodes", nodes)
        return nodes

    def _nodes_between(self, start: int, end: int) -> Iterator[Node]:
        return iter(self._all_nodes()[start:end])

    def _child_indices(self, i: int) -> Iterator[int]:
        ends = self._store.ends
        j, end = i + 1, ends[i]
        while j < end:
            yield j
            j = ends[j]

    def _find(self, text: object) -> int | None:
        st = self._store
        i = st.codes.get(text) if isinstance(text, str) else None
        if i is not None:
            return i
        if isinstance(text, Node):  # this release's node, or the same node in this release
            if text._cs is self:
                return text._i
            kind, key = text.kind, text.key
            table = (
                st.chapters
                if kind is Kind.CHAPTER
                else st.blocks
                if kind is Kind.BLOCK
                else st.codes
            )
            return table.get(key)
        if not isinstance(text, str):
            return None
        key = _key_of(text)
        i = st.codes.get(key)
        if i is None:
            i = st.chapters.get(key)
            if i is None:
                i = st.blocks.get(key)
        return i

    # -- mapping protocol --------------------------------------------------
    @property
    def release(self) -> Release:
        """Which release this is, and its source files."""
        return self._release

    @property
    def index(self) -> Index | None:
        """The Alphabetic Index of diseases and injuries, when the release was
        loaded from a folder or zip that holds it (``None`` otherwise)."""
        return self._term_index

    @property
    def eindex(self) -> Index | None:
        """The External Cause Index, when the release was loaded from a folder or
        zip that holds it (``None`` otherwise)."""
        return self._eindex

    @property
    def drugs(self) -> Table | None:
        """The Table of Drugs and Chemicals of this release, when it was loaded
        from a folder or zip that holds one (the "table and index" files)."""
        data = self._tables.get("drugs")
        return None if data is None else _table(data, self)

    @property
    def neoplasms(self) -> Table | None:
        """The Table of Neoplasms of this release, when it was loaded from a
        folder or zip that holds one."""
        data = self._tables.get("neoplasms")
        return None if data is None else _table(data, self)

    @property
    def introduction(self) -> tuple[IntroSection, ...]:
        """The tabular's ``<introduction>``: its ``<introSection>``\\ s in file
        order, with their exact text (the official statement of the
        conventions); ``()`` when the release was loaded without its tabular XML.

        >>> import medcodes
        >>> [s.type for s in medcodes.icd10cm.load().introduction][:3]
        ['title', 'subtitle', 'instruction']
        """
        return self._store.introduction

    @property
    def has_notes(self) -> bool:
        """Loaded from a tabular XML, so it holds the instructional notes (an
        order or codes file alone has none: the guideline methods then raise
        :class:`~medcodes.errors.UsageError` rather than answer "no conflict")."""
        return self._has_notes

    def _require_notes(self) -> None:
        if not self._has_notes:
            raise UsageError(
                f"{self._release.label} was loaded without its tabular XML: it has no "
                "instructional notes to check (load the tabular, with the order file if wanted)"
            )

    def __getitem__(self, text: str | Node) -> Node:
        # The hot path: _find and _node inlined.
        if isinstance(text, str):
            st = self._store
            codes = st.codes
            i = codes.get(text)
            if i is None:
                key = _key_of(text)
                i = codes.get(key)
                if i is None:
                    i = st.chapters.get(key)
                    if i is None:
                        i = st.blocks.get(key)
        else:
            i = self._find(text)
        if i is None:
            check = _check_code(self, text) if isinstance(text, str) else None
            raise UnknownCodeError(
                str(text),
                check.suggestions if check is not None else (),
                check.message if check is not None else f"{text!r} is not a code",
            )
        nodes = self._nodes
        if nodes is not None:
            return nodes[i]
        node = _new_node(Node)
        _set_codeset(node, self)
        _set_index(node, i)
        return node

    @overload
    def get(self, text: str | Node) -> Node | None: ...
    @overload
    def get(self, text: str | Node, default: Node | _T) -> Node | _T: ...
    def get(self, text: str | Node, default: object = None) -> object:
        """The node for ``text``, or ``default`` when there is none. A node of
        another release is looked up by its code (chapter number, block range)."""
        i = self._find(text)
        return default if i is None else self._node(i)

    def __contains__(self, text: object) -> bool:
        return self._find(text) is not None

    def __iter__(self) -> Iterator[str]:
        """The code of every node (:attr:`Node.code`: ``"19"``, ``"S00-S09"``,
        ``"E11.65"``) in official order (chapters, blocks, categories, ...,
        codes), as a :class:`~collections.abc.Mapping` iterates its keys; the
        nodes are :meth:`values`. A block named as its only category
        (``B10``) is reached with :meth:`block`.

        >>> import medcodes
        >>> cm = medcodes.icd10cm.load()
        >>> list(cm)[:3], [n.kind.value for n in cm.values()][:3]
        (['1', 'A00-A09', 'A00'], ['chapter', 'block', 'category'])
        """
        st = self._store
        groups = (Kind.CHAPTER, Kind.BLOCK)
        return (
            k if len(k) <= 3 or kind in groups else f"{k[:3]}.{k[3:]}"
            for k, kind in zip(st.keys, st.kinds, strict=True)
        )

    def values(self) -> ValuesView[Node]:
        """Every node in official order (a read-only view)."""
        return _Values(self)

    def items(self) -> ItemsView[str, Node]:
        """``(code, node)`` pairs in official order (a read-only view)."""
        return _Items(self)

    def __eq__(self, other: object) -> bool:
        return self is other  # a release, not a dict: identity, as before

    def __hash__(self) -> int:
        return id(self)

    def __len__(self) -> int:
        return len(self._store.keys)

    def __repr__(self) -> str:
        return f"<Codeset {self._release.label}: {len(self)} nodes>"

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            Codeset,
            (
                self._store,
                self._release,
                self._term_index,
                self._eindex,
                tuple(self._tables.values()),
                self._bundled,
            ),
        )

    def to_records(self) -> list[dict[str, Any]]:
        """Every node in official order as a plain dict (``str``, ``bool``,
        ``int``), the rows of :meth:`Node.to_dict`: ``code``, ``key``,
        ``kind``, ``title``, ``short_title``, ``billable``, ``parent``,
        ``chapter``, ``block``, ``depth``. What is absent is ``""``, never
        ``None``, so ``pandas.DataFrame(cm.to_records())`` and
        ``polars.DataFrame(...)`` need no schema.

        >>> import medcodes
        >>> rows = medcodes.icd10cm.load().to_records()
        >>> len(rows), rows[0]["kind"], rows[0]["parent"], rows[-1]["chapter"]
        (98505, 'chapter', '', '22')
        """
        st = self._store
        keys, kinds, parents, flags = st.keys, st.kinds, st.parents, st.flags
        shorts = st.short_titles or {}
        codes = _written_forms(st)
        groups = _chapters_and_blocks(st)
        rows: list[dict[str, Any]] = []
        depth = [0] * len(keys)
        for i, key in enumerate(keys):
            p = parents[i]
            if p >= 0:
                depth[i] = depth[p] + 1
            f = flags[i]
            chapter, block = groups[i]
            rows.append(
                {
                    "code": codes[i],
                    "key": key,
                    "kind": kinds[i].value,
                    "title": st.title(i),
                    "short_title": "" if f & GROUP else shorts.get(key, ""),
                    "billable": bool(f & BILLABLE),
                    "parent": "" if p < 0 else codes[p],
                    "chapter": chapter,
                    "block": block,
                    "depth": depth[i],
                }
            )
        return rows

    # -- collections ---------------------------------------------------------
    def billable_codes(self) -> tuple[Node, ...]:
        """Every code valid for claims, in official order."""
        billable = self._billable
        if billable is None:
            billable = tuple(i for i, f in enumerate(self._store.flags) if f & BILLABLE)
            object.__setattr__(self, "_billable", billable)
        nodes = self._all_nodes()
        return BoundedTuple(nodes[i] for i in billable)

    def chapters(self) -> tuple[Node, ...]:
        """The chapters in order (empty when no tabular file was loaded)."""
        return tuple(self._node(i) for i in self._store.chapters.values())

    def blocks(self) -> tuple[Node, ...]:
        """Every block (section), super-blocks included, in order."""
        return tuple(self._node(i) for i in self._store.blocks.values())

    def roots(self) -> tuple[Node, ...]:
        """The top nodes: chapters, or categories when no tabular file was loaded."""
        return tuple(self._node(i) for i in self._roots)

    def chapter(self, number: str | int) -> Node:
        """Chapter ``number`` (``19`` or ``"19"``)."""
        i = self._store.chapters.get(str(number).strip())
        if i is None:
            raise UnknownCodeError(str(number), (), f"there is no chapter {number!r}")
        return self._node(i)

    def block(self, block_id: str) -> Node:
        """The block (section) with this id: ``"S00-S09"``, or ``"B10"`` for a
        single-category block."""
        i = self._store.blocks.get(upper_key(text_arg(block_id, "block_id")))
        if i is None:
            raise UnknownCodeError(block_id, (), f"there is no block {block_id!r}")
        return self._node(i)

    # -- navigation ------------------------------------------------------------
    def _index(self, text: str | Node) -> int:
        return self[text]._i

    def is_ancestor(self, a: str | Node, b: str | Node) -> bool:
        """True when ``a`` is a proper ancestor of ``b``.

        >>> import medcodes
        >>> cm = medcodes.icd10cm.load()
        >>> cm.is_ancestor("E11", "e11.65"), cm.is_ancestor("E11.65", "E11")
        (True, False)
        """
        i, j = self._index(a), self._index(b)
        return i < j < self._store.ends[i]

    def common_ancestor(self, a: str | Node, b: str | Node) -> Node | None:
        """The deepest node that is ``a`` or an ancestor of it and also ``b`` or
        an ancestor of it; ``None`` when they share none (different chapters).

        >>> import medcodes
        >>> cm = medcodes.icd10cm.load()
        >>> cm.common_ancestor("E11.65", "E11.9").code
        'E11'
        """
        i, j = self._index(a), self._index(b)
        ends, parents = self._store.ends, self._store.parents
        while i >= 0 and not (i <= j < ends[i]):
            i = parents[i]
        return None if i < 0 else self._node(i)

    # -- validity ----------------------------------------------------------------
    def check_code(self, text: str | Node, on: dt.date | None = None) -> CodeCheck:
        """Check one code for a claim, on a date of service if given: never
        raises for any text; see :func:`~medcodes.icd10cm.check_code`."""
        check = _check_code(self, text)
        return check if on is None else _on_day(self, check, on)

    def is_valid(self, code: str | Node, on: dt.date | None = None) -> bool:
        """True when ``code`` may be reported (on the date of service ``on``, if
        given): :meth:`check_code`'s ``valid``, the same as HCPCS's
        :meth:`medcodes.hcpcs.Codeset.is_valid`.

        >>> import datetime as dt, medcodes
        >>> cm = medcodes.icd10cm.load()
        >>> cm.is_valid("E11.9"), cm.is_valid("E11"), cm.is_valid("E11.9", on=dt.date(2025, 1, 2))
        (True, False, False)
        """
        return self.check_code(code, on).valid

    def check_codes(
        self, values: object, *, on: dt.date | None = None, suggest: bool = False
    ) -> CodeChecks:
        """Check a whole column of codes at once (once per distinct value), in
        input order: see :func:`~medcodes.icd10cm.check_codes`."""
        return _check_codes(self, values, on=on, suggest=suggest)

    def is_billable(self, text: str | Node) -> bool:
        """True when ``text`` is a code of this release that may be reported."""
        i = self._find(text)
        return i is not None and bool(self._store.flags[i] & BILLABLE)

    # -- guidelines ------------------------------------------------------------------
    def effective_notes(
        self, code: str | Node, kind: NoteKind | None = None
    ) -> tuple[EffectiveNote, ...]:
        """The notes that govern ``code``, nearest first, each with the node
        that declares it: every note of the code itself, then the notes of the
        inheriting kinds (:data:`~medcodes.icd10cm.INHERITED_KINDS`) of each
        ancestor up to the chapter. ``kind`` keeps one kind.

        >>> import medcodes
        >>> from medcodes.icd10cm import NoteKind
        >>> cm = medcodes.icd10cm.load()
        >>> for n in cm.effective_notes("F02.80", NoteKind.CODE_FIRST)[:2]:
        ...     print(n.declared_on, n.distance, n.note.text)
        F02 2 the underlying physiological condition, such as:
        F02 2 Alzheimer's (G30.-)

        :raises ~medcodes.errors.UnknownCodeError: the code is not in the release.
        :raises ~medcodes.errors.UsageError: the release has no notes (:attr:`has_notes`).
        """
        self._require_notes()
        return _rules.effective_notes(self, code, kind)

    def resolve(self, ref: CodeRef) -> Resolution:
        """The codes a note's code reference denotes in this release, or why it
        denotes none.

        >>> import medcodes
        >>> cm = medcodes.icd10cm.load()
        >>> ref = cm["G63"].notes.excludes1[1].refs[0]
        >>> ref.text, cm.resolve(ref).codes
        ('E08-E13 with .42', ('E08.42', 'E09.42', 'E10.42', 'E11.42', 'E13.42'))
        """
        return _rules.resolve(self, ref)

    def conflicts(self, a: str | Node, b: str | Node) -> tuple[Conflict, ...]:
        """Why codes ``a`` and ``b`` may not be reported together: every
        Excludes1 note governing one of them (declared on it or an ancestor)
        whose references cover the other. Empty when none. Symmetric: the
        same records whatever the order of ``a`` and ``b``. Each record carries
        the official exception for unrelated conditions, which no file can decide.

        >>> import medcodes
        >>> cm = medcodes.icd10cm.load()
        >>> [(c.declared_on, c.note.text) for c in cm.conflicts("E10.9", "E11.9")]
        [('E10', 'type 2 diabetes mellitus (E11.-)'), ('E11', 'type 1 diabetes mellitus (E10.-)')]

        :raises ~medcodes.errors.UnknownCodeError: a code is not in the release.
        :raises ~medcodes.errors.UsageError: the release has no notes (:attr:`has_notes`).
        """
        self._require_notes()
        return _rules.pair_notes(self, NoteKind.EXCLUDES1, a, b)

    def excludes2_relations(self, a: str | Node, b: str | Node) -> tuple[Conflict, ...]:
        """The Excludes2 notes that relate ``a`` and ``b``: the conditions are
        distinct and both may be reported when both are present. Same form and
        symmetry as :meth:`conflicts`.

        :raises ~medcodes.errors.UnknownCodeError: a code is not in the release.
        :raises ~medcodes.errors.UsageError: the release has no notes (:attr:`has_notes`).
        """
        self._require_notes()
        return _rules.pair_notes(self, NoteKind.EXCLUDES2, a, b)

    def check_claim(
        self,
        codes: Iterable[str | Node],
        *,
        record: Record | str | None = None,
        patient_age: int | None = None,
        advice: bool = False,
    ) -> tuple[Finding, ...]:
        """Check the diagnosis codes of one encounter (first-listed first):
        invalid codes, duplicates, Excludes1 pairs, sequencing, and the rules the
        tabular states in prose (:data:`~medcodes.icd10cm.PROSE_RULES`). The
        page "How check_claim decides" lists every finding and its source.

        :param codes: the codes, first-listed first (strings or nodes).
        :param record: ``"maternal"`` or ``"newborn"`` when known: codes for the
            other kind of record are errors. Without it, a claim that mixes a
            mother's and a newborn's codes is an error.
        :param patient_age: the patient's age in years, for the codes whose
            notes state ages (Z68).
        :param advice: also report advice: instructions ("use additional code",
            "code first ... if applicable") none of whose codes is on the claim.
        :raises ~medcodes.errors.UsageError: ``codes`` is not a list of codes,
            ``record`` not a kind of record, ``patient_age`` not an age.

        >>> import medcodes
        >>> cm = medcodes.icd10cm.load()
        >>> for f in cm.check_claim(["F02.80", "G30.9"]):
        ...     print(f.severity.value, f.positions, f.kind.value)
        error (0,) manifestation code listed first
        warning (0, 1) underlying condition listed after
        """
        return _rules.check_claim(
            self, codes, record=record, patient_age=patient_age, advice=advice
        )

    def prose_rules(self) -> tuple[tuple[ProseRule, Note], ...]:
        """The rows of :data:`~medcodes.icd10cm.PROSE_RULES` this release
        states, each with the note that states it; a row whose marker text the
        release no longer has is left out (and its rule not applied).

        >>> import medcodes
        >>> cm = medcodes.icd10cm.load()
        >>> [(r.declared_on, n.kind.value) for r, n in cm.prose_rules() if r.kind == "single code"]
        [('O80', 'inclusionTerm'), ('Y99', 'notes')]
        """
        return _rules.prose_rules(self)

    def unstated_prose_rules(self) -> tuple[ProseRule, ...]:
        """The rows of :data:`~medcodes.icd10cm.PROSE_RULES` that this release
        does not state in the expected words (its declaring node has no note
        with the marker text), so :meth:`check_claim` does not apply them;
        ``check_claim(codes, advice=True)`` names the ones that concern a
        claim in one "rule not checked" finding.

        >>> import medcodes
        >>> medcodes.icd10cm.load().unstated_prose_rules()
        ()
        """
        return _rules.unstated_prose_rules(self)


# Last: validity and the guidelines build on Node and Codeset above.
from . import rules as _rules  # noqa: E402
from .guidelines import ProseRule, Record  # noqa: E402
from .index import Index  # noqa: E402
from .model import Note  # noqa: E402
from .references import CodeRef  # noqa: E402
from .rules import Conflict, EffectiveNote, Finding, Resolution, _Index  # noqa: E402
from .tables import Table  # noqa: E402
from .tables import _Data as _TableData  # noqa: E402
from .validity import CodeCheck, _check_code, _on_day  # noqa: E402
from .validity import check_codes as _check_codes  # noqa: E402
