"""Parser for the ICD-10-CM Tabular List XML (root element ``<ICD10CM.tabular>``).

One pass over the elements in document order appends every chapter, section
(block), ``diag`` and generated 7th-character code to the flat arrays of
:mod:`medcodes.icd10cm.hierarchy`, with every instructional note and every
``sevenChrDef`` kept; each chapter's elements are freed once read. The XML is
parsed with entity resolution, DTD loading and network access off; a document
type declaration (the vehicle of "billion laughs" and external-entity attacks)
is refused.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

from lxml import etree

from ..errors import DefectWarning, ParseError
from .hierarchy import (
    BILLABLE,
    GENERATED,
    GROUP,
    PLACEHOLDER,
    RawNote,
    SeventhCharacterException,
    _Store,
    active_exception,
)
from .model import (
    IntroSection,
    Kind,
    NoteKind,
    SectionRef,
    SeventhCharacter,
    SeventhCharacterRule,
)

__all__: list[str] = []

ROOT_TAG = "ICD10CM.tabular"

#: ICD-10-CM code syntax as written in ``<diag><name>``: 3 characters, then
#: optionally a dot and 1-4 more.
DIAG_NAME = re.compile(r"[A-Z][0-9A-Z]{2}(?:\.[0-9A-Z]{1,4})?")

_NOTE_KINDS = {k.value: k for k in NoteKind}

_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_blank_text=True,
    remove_comments=True,
    remove_pis=True,
)


def _defect(message: str, label: str, line: int | None) -> None:
    where = f"{label}, line {line}" if line is not None else label
    warnings.warn(f"{where}: {message}", DefectWarning, stacklevel=4)


def _parse_xml(data: bytes, label: str) -> Any:
    head = data[:4096]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise ParseError(
            "document type declarations and entities are not allowed in release files",
            file=label,
            line=1 + head[: max(head.find(b"<!DOCTYPE"), 0)].count(b"\n"),
        )
    if not data.strip():
        raise ParseError("the file is empty", file=label, line=1)
    _check_counts(data, label)
    _check_declared_encoding(data, label)
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        raise ParseError(f"not well-formed XML ({exc.msg})", file=label, line=line) from exc
    if root.getroottree().docinfo.internalDTD is not None:
        raise ParseError("document type declarations are not allowed", file=label, line=1)
    return root


#: Bounds on what a tabular file may hold, checked before the tree is built
#: (each element or attribute costs a hundred bytes or more in the tree): about
#: three times the official file's counts (365,000 "<" and 3,200 "=" in April
#: 2026; an attribute needs an "=", an element one or two "<").
MAX_ELEMENTS = 1_000_000
MAX_ATTRIBUTES = 100_000
#: The most elements kept verbatim (the model has no field for them).
MAX_RAW = 1_000


_NOT_MARKS = bytes(b for b in range(256) if b not in b"<=")


def _check_counts(data: bytes, label: str) -> None:
    marks = data.translate(None, _NOT_MARKS)  # one pass for both counts
    tags, equals = marks.count(b"<"), marks.count(b"=")
    if tags > MAX_ELEMENTS or equals > MAX_ATTRIBUTES:
        what = f"{tags} tags" if tags > MAX_ELEMENTS else f"{equals} attributes (or '=')"
        raise ParseError(
            f"{what}: far more than an official tabular holds (refused before "
            "building the tree, to bound memory)",
            file=label,
        )


_DECLARED = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def _check_declared_encoding(data: bytes, label: str) -> None:
    """Refuse UTF-8 text declared as another encoding: read as declared, every
    accented letter would become two wrong ones (an o-circumflex as an A-tilde
    and an acute accent)."""
    m = _DECLARED.match(data.lstrip(b"\xef\xbb\xbf"))
    if m is None or m.group(1).lower().replace(b"_", b"-") in (b"utf-8", b"utf8", b"us-ascii"):
        return
    if data.isascii():
        return  # the same text in any of these encodings
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return  # not UTF-8: the declaration may well be right
    raise ParseError(
        f"declares encoding {m.group(1).decode('ascii')!r} but its text is UTF-8 "
        "(the official files are UTF-8): fix or remove the declaration",
        file=label,
        line=1,
    )


def _parse_root(data: bytes, label: str, tag: str, what: str) -> tuple[Any, str]:
    """The root element of an official XML file (tabular, index or table),
    checked to be ``<tag>``, and its ``<version>``: a fiscal year."""
    root = _parse_xml(data, label)
    if root.tag != tag:
        raise ParseError(
            f"root element is <{root.tag}>, expected <{tag}>: not {what}",
            file=label,
            line=root.sourceline,
        )
    version = " ".join((root.findtext("version") or "").split())
    if not re.fullmatch(r"\d{4}", version) or not 2000 <= int(version) <= 2999:
        raise ParseError(
            f"<version> is {version!r}, expected a fiscal year", file=label, line=root.sourceline
        )
    return root, version


def parse_tabular(data: bytes, label: str) -> _Tabular:
    """Parse the bytes of a tabular XML file into its hierarchy; ``label``
    names the file in errors and warnings."""
    root, version = _parse_root(data, label, ROOT_TAG, "an ICD-10-CM tabular file")
    builder = _Builder(label, len(data))
    builder.introduction(root)
    found = False
    for chapter in root.iterchildren("chapter"):
        builder.chapter(chapter)
        # The chapter's elements are no longer needed: free them as we go.
        chapter.clear()
        found = True
    if not found:
        raise ParseError("no <chapter> elements (truncated or wrong file?)", file=label)
    return _Tabular(version, builder.store)


class _Tabular:
    """A parsed tabular file: its ``<version>`` and its hierarchy."""

    __slots__ = ("store", "version")

    def __init__(self, version: str, store: _Store) -> None:
        self.version = version
        self.store = store


def _text(el: Any) -> str:
    """The text of a ``name``/``desc``/``note`` element (``""`` when empty)."""
    if len(el):
        return "".join(el.itertext())
    return el.text or ""


class _Builder:
    """Appends the nodes of a tabular file to a :class:`_Store` in document
    (pre-)order, in one pass over the elements."""

    __slots__ = ("exceptions", "label", "max_nodes", "patterns", "raw_count", "size", "store")

    def __init__(self, label: str, size: int) -> None:
        self.label = label
        self.size = size
        self.max_nodes = size // _BYTES_PER_NODE + 1000
        self.raw_count = 0
        self.store = _Store()
        # Category -> its active prose exception (or None), decided once.
        self.exceptions: dict[str, SeventhCharacterException | None] = {}
        # (rule, excluded characters) -> (characters, title suffixes, kinds, flags).
        self.patterns: dict[
            tuple[int, str], tuple[str, tuple[str, ...], tuple[Kind, ...], bytes]
        ] = {}

    def _error(self, message: str, el: Any) -> ParseError:
        return ParseError(message, file=self.label, line=el.sourceline)

    def _group(self, key: str, kind: Kind, parent: int) -> int:
        """Append a chapter or block node; its title is set once read."""
        st = self.store
        i = len(st.keys)
        st.keys.append(key)
        st.kinds.append(kind)
        st.titles.append("")
        st.parents.append(parent)
        st.ends.append(i + 1)
        st.flags.append(GROUP)
        return i

    def _notes(self, container: Any, into: list[RawNote]) -> None:
        kind = _NOTE_KINDS[container.tag]
        for n in container:
            if n.tag != "note":
                continue  # nothing else occurs in a note container
            text = n.text if not len(n) else _text(n)
            if not text or not text.strip():
                _defect("empty <note> kept as an empty text", self.label, n.sourceline)
                text = text or ""
            into.append((kind, text))

    def _raw(self, el: Any, i: int) -> None:
        """Keep an element the model has no field for (the visual-impairment
        table under H54.8) verbatim."""
        if self.raw_count >= MAX_RAW:
            raise self._error(
                f"more than {MAX_RAW} elements medcodes does not model (an official "
                "tabular has one, the visual-impairment table)",
                el,
            )
        self.raw_count += 1
        raw = etree.tostring(el, encoding="unicode", with_tail=False)
        extras = self.store.extras
        extras[i] = (*extras.get(i, ()), raw)

    def introduction(self, root: Any) -> None:
        """Keep the ``<introSection>``\\ s of the ``<introduction>``, exactly."""
        intros = list(root.iterchildren("introduction"))
        if not intros:
            return
        if len(intros) > 1:
            _defect("a second <introduction>, ignored", self.label, intros[1].sourceline)
        sections: list[IntroSection] = []
        for sec in intros[0].iterchildren("introSection"):
            title = sec.find("title")
            notes = tuple(_text(n) for ins in sec.iterchildren("instruction") for n in ins)
            if title is None:
                raise self._error("<introSection> without <title>", sec)
            sections.append(IntroSection(sec.get("type") or "", _text(title), notes))
        self.store.introduction = tuple(sections)

    def _section_index(self, el: Any, ci: int) -> None:
        """Keep a chapter's ``<sectionIndex>``: its ``<sectionRef>``\\ s."""
        st = self.store
        if ci in st.section_index:
            raise self._error("unexpected second <sectionIndex>", el)
        refs: list[SectionRef] = []
        for ref in el:
            if ref.tag != "sectionRef":
                continue
            sid = (ref.get("id") or "").strip()
            if not sid:
                raise self._error("<sectionRef> without an id", ref)
            title = _text(ref).strip()
            refs.append(SectionRef(sid, ref.get("first") or "", ref.get("last") or "", title))
        st.section_index[ci] = tuple(refs)

    def chapter(self, el: Any) -> None:
        st = self.store
        ci = self._group("", Kind.CHAPTER, -1)
        notes: list[RawNote] = []
        sections: list[tuple[str, int, list[str]]] = []  # (id, node, categories)
        for c in el:
            tag = c.tag
            if tag == "name":
                if st.keys[ci]:
                    raise self._error("unexpected second <name>", c)
                st.keys[ci] = _text(c).strip()
            elif tag == "desc":
                if st.titles[ci]:
                    raise self._error("unexpected second <desc>", c)
                st.titles[ci] = _text(c)
            elif tag == "section":
                sections.append(self.section(c, ci))
            elif tag in _NOTE_KINDS:
                self._notes(c, notes)
            elif tag == "sectionIndex":
                self._section_index(c, ci)
            elif not isinstance(tag, str):
                continue
            elif tag in _STRUCTURE:
                raise self._error(f"<{tag}> directly inside a <chapter>", c)
            else:
                self._raw(c, ci)
        number = st.keys[ci]
        if not number or not st.titles[ci]:
            raise self._error("<chapter> without <name> or <desc>", el)
        if notes:
            st.notes[ci] = tuple(notes)
        if number in st.chapters:
            _defect(f"chapter {number} appears twice", self.label, el.sourceline)
        else:
            st.chapters[number] = ci
        st.ends[ci] = len(st.keys)
        _nest_super_blocks(st, ci, sections)

    def section(self, el: Any, ci: int) -> tuple[str, int, list[str]]:
        st = self.store
        sid = (el.get("id") or "").strip()
        if not sid:
            raise self._error("<section> without an id", el)
        bi = self._group(sid, Kind.BLOCK, ci)
        if sid in st.blocks:
            _defect(f"block {sid} appears twice", self.label, el.sourceline)
        else:
            st.blocks[sid] = bi
        notes: list[RawNote] = []
        categories: list[str] = []
        title = None
        for c in el:
            tag = c.tag
            if tag == "diag":
                categories.append(self.diag(c, bi, None, ""))
            elif tag == "desc":
                if title is not None:
                    raise self._error("unexpected second <desc>", c)
                title = _text(c)
            elif tag in _NOTE_KINDS:
                self._notes(c, notes)
            elif not isinstance(tag, str):
                continue
            elif tag in _STRUCTURE:
                raise self._error(f"<{tag}> inside a <section>", c)
            else:
                self._raw(c, bi)
        if title is None:
            raise self._error(f"section {sid} has no <desc>", el)
        st.titles[bi] = title
        if notes:
            st.notes[bi] = tuple(notes)
        st.ends[bi] = len(st.keys)
        return sid, bi, categories

    def diag(self, el: Any, parent: int, rule: SeventhCharacterRule | None, within: str) -> str:
        """Add a ``diag`` and its subtree; ``rule`` is the nearest 7th-character
        definition above it, ``within`` the key of the ``diag`` it is in (``""``
        for a category). Returns its key."""
        st = self.store
        keys = st.keys
        i = len(keys)
        keys.append("")
        st.titles.append("")
        st.kinds.append(Kind.CODE)
        st.parents.append(parent)
        st.ends.append(0)
        st.flags.append(PLACEHOLDER if el.get("placeholder") == "true" else 0)
        key = ""
        title: str | None = None
        notes: list[RawNote] | None = None
        leaf = True
        for c in el:
            tag = c.tag
            if tag == "name":
                name = ((c.text or "") if not len(c) else _text(c)).strip()
                if key or not DIAG_NAME.fullmatch(name):
                    raise self._error(f"unexpected <diag> name {name!r}", c)
                key = name.replace(".", "")
                if key == within or not key.startswith(within):
                    self._odd_child(key, within, c)
                keys[i] = key
                if st.codes.setdefault(key, i) != i:
                    # Not self-consistent: cm[code] would answer one of two nodes.
                    raise self._error(f"code {_display(key)} appears twice", c)
            elif tag == "desc":
                if title is not None:
                    raise self._error("unexpected second <desc>", c)
                title = c.text if not len(c) else _text(c)
            elif not key:
                raise self._error("<diag> whose first element is not its <name>", c)
            elif tag == "diag":
                if leaf and notes:
                    st.notes[i] = tuple(notes)  # visible to the sub-codes (S06's exception)
                leaf = False
                self.diag(c, i, rule, key)
            elif tag in _NOTE_KINDS:
                if notes is None:
                    notes = []
                self._notes(c, notes)
            elif tag == "sevenChrDef":
                if i in st.rules:
                    raise self._error(f"{_display(key)} has two <sevenChrDef>", c)
                if not leaf:
                    raise self._error(f"<sevenChrDef> of {_display(key)} after its sub-codes", c)
                rule = st.rules[i] = self._seventh(c, key)
            elif not isinstance(tag, str):
                continue
            elif tag in _STRUCTURE:
                raise self._error(f"<{tag}> inside a <diag>", c)
            else:
                self._raw(c, i)
        if title is None or not key:
            raise self._error("<diag> without <name> or <desc>", el)
        st.titles[i] = title
        if notes:
            st.notes[i] = tuple(notes)
        if not leaf:
            st.kinds[i] = Kind.CATEGORY if len(key) == 3 else Kind.SUBCATEGORY
        elif rule is None:
            st.flags[i] |= BILLABLE
        elif len(key) >= 7:
            _defect(
                f"{key} has 7 characters but a 7th character rule applies",
                self.label,
                el.sourceline,
            )
            st.flags[i] |= BILLABLE
        else:
            st.kinds[i] = Kind.CATEGORY if len(key) == 3 else Kind.SUBCATEGORY
            self._extend(i, key, rule, el)
        st.ends[i] = len(keys)
        return key

    def _odd_child(self, key: str, within: str, el: Any) -> None:
        """A ``diag`` nested under a code whose name it does not extend (FY2021
        nests ``H54.512A`` under ``H54.511``). The file's structure is kept
        when it is self-consistent: a longer code of the same category, listed
        in the same order by the order file (checked when one is given).
        Anything else (a shorter code, another category, the code itself) is
        refused."""
        if not within or len(key) <= len(within) or key[:3] != within[:3]:
            raise self._error(
                f"<diag> {_display(key)} is not a sub-code of its parent {_display(within)}", el
            )
        _defect(
            f"<diag> {_display(key)} does not extend the name of its parent "
            f"{_display(within)}; kept under it, as the file nests it",
            self.label,
            el.sourceline,
        )

    def _extend(self, i: int, key: str, rule: SeventhCharacterRule, el: Any) -> None:
        """Add the 7th-character codes of leaf ``i``: the key padded with ``X``
        to 6 characters plus each character, titled "<leaf title>, <label>"."""
        # 12,929 leaves take 51,305 codes: everything constant per pattern is cached.
        chars, suffixes, kinds, flags = self._pattern(rule, key)
        base = key.ljust(6, "X")
        new = [base + c for c in chars]
        st = self.store
        keys = st.keys
        start = len(keys)
        n = len(new)
        codes = st.codes
        before = len(codes)
        codes.update(zip(new, range(start, start + n), strict=False))
        if len(codes) - before != n:  # a generated code already existed
            twice = next(code for code in new if code in keys)
            raise self._error(
                f"code {_display(twice)}, generated from {_display(key)} by its 7th-character "
                "rule, appears twice",
                el,
            )
        if start + n > self.max_nodes:
            raise self._error(
                f"{start + n} nodes from {self.size} bytes: more than one per "
                f"{_BYTES_PER_NODE} bytes of input (not an official file)",
                el,
            )
        keys.extend(new)
        st.titles.extend(suffixes)  # see _Store.title
        st.kinds.extend(kinds)
        st.parents.extend([i] * n)
        st.ends.extend(range(start + 1, start + n + 1))
        st.flags.extend(flags)

    def _pattern(
        self, rule: SeventhCharacterRule, key: str
    ) -> tuple[str, tuple[str, ...], tuple[Kind, ...], bytes]:
        """The 7th characters that apply to ``key`` under ``rule``, their title
        suffixes, kinds and flags (cached: a few dozen distinct answers per release)."""
        category = key[:3]
        exception = self.exceptions.get(category, _UNSET)
        if exception is _UNSET:
            exception = self.exceptions[category] = active_exception(self.store, category)
        skip = exception.skipped(key) if exception is not None else ""
        found = self.patterns.get((id(rule), skip))  # rules live in the store: ids are stable
        if found is None:
            kept = [e for e in rule.characters if e.char not in skip]
            found = self.patterns[id(rule), skip] = (
                "".join(e.char for e in kept),
                tuple(f", {e.label}" for e in kept),
                (Kind.CODE,) * len(kept),
                _GENERATED_CODE * len(kept),
            )
        return found

    def _seventh(self, el: Any, key: str) -> SeventhCharacterRule:
        chars: list[tuple[str, str, list[str]]] = []
        notes: list[str] = []
        for c in el:
            tag = c.tag
            if tag == "extension":
                char = (c.get("char") or "").strip()
                if len(char) != 1 or char not in _SEVENTH_CHARS:
                    raise self._error(
                        f"<extension char={char!r}>: a 7th character must be one of 0-9 A-Z",
                        c,
                    )
                if any(char == seen for seen, _, _ in chars):
                    raise self._error(f"<extension char={char!r}> appears twice", c)
                if len(chars) == _MAX_SEVENTH:
                    raise self._error(
                        f"<sevenChrDef> of {_display(key)} defines more than "
                        f"{_MAX_SEVENTH} characters",
                        c,
                    )
                chars.append((char, _text(c).strip(), []))
            elif tag == "note":
                (chars[-1][2] if chars else notes).append(_text(c))
        if not chars:
            raise self._error(f"<sevenChrDef> of {_display(key)} defines no character", el)
        return SeventhCharacterRule(
            _display(key),
            tuple(SeventhCharacter(c, lab, tuple(n)) for c, lab, n in chars),
            tuple(notes),
        )


_GENERATED_CODE = bytes([BILLABLE | GENERATED])
#: The 7th characters the official rules use, and the most one rule defines
#: (16, under S52); a rule outside these is damage or an attack (5,000 CJK
#: characters over 1,000 leaves would make 5 million nodes).
_SEVENTH_CHARS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_MAX_SEVENTH = 16
#: At most one node per this many bytes of input (the official files: one per
#: ~100 bytes): a bound on the memory and time a small file can cost.
_BYTES_PER_NODE = 8
_STRUCTURE = frozenset({"chapter", "section", "diag"})
_UNSET: Any = object()


def _nest_super_blocks(st: _Store, ci: int, sections: list[tuple[str, int, list[str]]]) -> None:
    """Make each super-block (a section with no categories whose range spans
    the sections after it, like ``C00-C96``) the parent of those sections.

    Pre-order is kept: a super-block's row precedes the sections it takes.
    """
    section_of: dict[str, int] = {}
    for si, (_, _, categories) in enumerate(sections):
        for key in categories:
            section_of.setdefault(key, si)
    open_blocks: list[tuple[int, int]] = []  # (last section index, node index)
    for si, (sid, bi, categories) in enumerate(sections):
        while open_blocks and si > open_blocks[-1][0]:
            open_blocks.pop()
        if open_blocks:
            st.parents[bi] = open_blocks[-1][1]
        if not categories:
            last = section_of.get(sid.rsplit("-", 1)[-1], -1)
            if last > si:
                open_blocks.append((last, bi))
    for _, bi, _ in reversed(sections):
        p = st.parents[bi]
        if p != ci and st.ends[bi] > st.ends[p]:
            st.ends[p] = st.ends[bi]


def _display(key: str) -> str:
    return key if len(key) <= 3 else f"{key[:3]}.{key[3:]}"
