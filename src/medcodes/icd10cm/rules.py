"""The coding guidelines as logic over a loaded release: inherited notes,
Excludes1/Excludes2 between two codes, and the checks of one claim.

Inheritance (DOMAIN.md §7.6): an instructional note placed on a chapter,
block, category or subcategory governs every code beneath it. The Official
Guidelines place notes "at the highest level to which they apply" and define
Includes (I.A.10), Excludes (I.A.12) and the etiology/manifestation pair
(I.A.13) by where they appear in the indented Tabular (I.A.2). Every kind
inherits (:data:`INHERITED_KINDS`, DOMAIN.md §7.6: "effective notes of a code =
its own notes + all ancestors' notes, each tagged with its origin"): the prose
``notes`` of a chapter or category carry rules for the codes below (chapter 19's
"use secondary code(s) from Chapter 20", S06's 7th-character exception), and a
block's inclusion terms give the scope of its codes (P35-P39).

Excludes1 (I.A.12.a) means "never coded together", with one official
exception: two conditions that are unrelated to each other may be reported
together. The files cannot say whether two conditions are related, so every
:class:`Conflict` is a finding for a coder to confirm, never an absolute ban.
"""

from __future__ import annotations

import enum
import re
import threading
from bisect import bisect_left
from collections.abc import Iterable
from typing import TYPE_CHECKING

from attrs import frozen

from .._args import as_enum
from .._gc import paused_gc
from ..errors import UnknownCodeError, UsageError
from .hierarchy import GROUP, with_headings
from .model import Note, NoteKind
from .references import CodeRef, Intervals, parse_references, resolve_intervals

if TYPE_CHECKING:
    from .codeset import Codeset, Node
    from .validity import CodeCheck

__all__ = [
    "EXCLUDES1_EXCEPTION",
    "INHERITED_KINDS",
    "Conflict",
    "EffectiveNote",
    "Finding",
    "FindingKind",
    "Resolution",
    "Severity",
]

#: The note kinds that govern every code below the node that declares them:
#: all of them (DOMAIN.md §7.6). Each :class:`EffectiveNote` says where its note
#: is declared and how far up, so a caller keeps the kinds and levels it wants.
INHERITED_KINDS: frozenset[NoteKind] = frozenset(NoteKind)

#: The official exception to Excludes1 (Guidelines I.A.12.a), which no file encodes.
EXCLUDES1_EXCEPTION = (
    "Excludes1 exception (Official Guidelines I.A.12.a): when the two conditions are "
    "unrelated to each other, both may be reported; the release files cannot tell "
    "whether they are related, so a coder must confirm"
)

# Kinds whose references the rules read.
_INDEXED = (
    NoteKind.EXCLUDES1,
    NoteKind.EXCLUDES2,
    NoteKind.CODE_FIRST,
    NoteKind.USE_ADDITIONAL_CODE,
    NoteKind.CODE_ALSO,
)


@frozen
class EffectiveNote:
    """A note that governs a code, with the node that declares it.

    :ivar note: the note.
    :ivar declared_on: the node whose element holds it (the code itself or an
        ancestor up to its chapter).
    :ivar distance: 0 when declared on the code itself, 1 on its parent, ...

    >>> import medcodes
    >>> from medcodes.icd10cm import NoteKind
    >>> cm = medcodes.icd10cm.load()
    >>> for e in cm.effective_notes("E11.9", NoteKind.EXCLUDES1)[:2]:
    ...     print(e.declared_on.code, e.distance, e.note.text)
    E11.9 0 type 2 diabetes mellitus, without complications in remission (E11.A)
    E11 1 diabetes mellitus due to underlying condition (E08.-)
    """

    note: Note
    declared_on: Node
    distance: int

    @property
    def inherited(self) -> bool:
        """Declared on an ancestor, not on the code itself."""
        return self.distance > 0


@frozen
class Resolution:
    """Where a :class:`~medcodes.icd10cm.CodeRef` points in one release.

    :ivar ref: the reference.
    :ivar nodes: the nodes it denotes, each with its whole subtree, in official
        order (empty when unresolved).
    :ivar reason: why it could not be resolved, or ``None``.

    >>> import medcodes
    >>> cm = medcodes.icd10cm.load()
    >>> ref = cm["E11"].notes.excludes1[0].refs[0]
    >>> ref.text, cm.resolve(ref).resolved, [n.code for n in cm.resolve(ref).nodes]
    ('E08.-', True, ['E08'])
    """

    ref: CodeRef
    nodes: tuple[Node, ...]
    reason: str | None = None

    @property
    def resolved(self) -> bool:
        """True when every code of the reference was found (and its qualifier applied)."""
        return self.reason is None


@frozen
class Conflict:
    """One reason why two codes are not reported together (Excludes1), or, from
    :meth:`~medcodes.icd10cm.Codeset.excludes2_relations`, why they are
    distinct conditions that may both be reported (Excludes2).

    :ivar kind: ``NoteKind.EXCLUDES1`` or ``NoteKind.EXCLUDES2``.
    :ivar code: the code the note governs (one of the two codes asked about).
    :ivar other: the other code, matched by the note's reference.
    :ivar declared_on: the node that declares the note: ``code`` or an ancestor.
    :ivar note: the note, with its official text.
    :ivar ref: the reference in the note that matched ``other``.
    :ivar certain: ``False`` when the reference has a qualifier the library
        cannot apply (``with ketoacidosis``), or is a range that ends at a code
        the release does not have (``R10.1-R10.4-`` under R10.85): ``other`` is
        in the range, so the note *may* apply.

    >>> import medcodes
    >>> cm = medcodes.icd10cm.load()
    >>> c = cm.conflicts("E10.9", "E11.9")[0]
    >>> c.code.code, c.other.code, c.declared_on.code, c.note.text
    ('E10.9', 'E11.9', 'E10', 'type 2 diabetes mellitus (E11.-)')
    """

    kind: NoteKind
    code: Node
    other: Node
    declared_on: Node
    note: Note
    ref: CodeRef
    certain: bool = True

    @property
    def exception(self) -> str | None:
        """For Excludes1, the official exception a coder must weigh (see
        :data:`EXCLUDES1_EXCEPTION`); ``None`` for Excludes2."""
        return EXCLUDES1_EXCEPTION if self.kind is NoteKind.EXCLUDES1 else None

    @property
    def message(self) -> str:
        """A sentence for a person."""
        where = (
            "its own"
            if self.declared_on == self.code
            else f"{self.declared_on.kind.value} {self.declared_on.code}'s"
        )
        verb = (
            "excludes (Excludes1, not coded together)"
            if self.kind is NoteKind.EXCLUDES1
            else "lists as not included (Excludes2, both may be coded)"
        )
        maybe = (
            ""
            if self.certain
            else f" (maybe: {self.ref.qualifier!r} is not checked)"
            if self.ref.qualifier
            else f" (maybe: {self.ref.text} ends at a code this release does not have)"
        )
        return (
            f"{self.code.code}: {where} note {self.note.text!r} {verb} "
            f"{self.other.code} via {self.ref.text}{maybe}"
        )


class Severity(enum.Enum):
    """How much a claim finding matters."""

    #: The claim is wrong as it stands (invalid code, manifestation first).
    ERROR = "error"
    #: A coder must look (Excludes1 pair, sequencing, duplicate, a manifestation
    #: code without its underlying condition).
    WARNING = "warning"
    #: Advice (an additional code, or a condition to code first, that the
    #: guidelines name is absent).
    INFO = "info"


class FindingKind(enum.Enum):
    """What a claim finding is about."""

    INVALID_CODE = "invalid code"
    DUPLICATE_CODE = "duplicate code"
    EXCLUDES1 = "excludes1 pair"
    MANIFESTATION_FIRST = "manifestation code listed first"
    #: A code that a note says is only for use after another is listed first:
    #: chapter 20 ("used secondary to a code from another chapter"), B95-B97
    #: ("supplementary or additional codes"), Z37 ("an additional code").
    SECONDARY_CODE_FIRST = "secondary code listed first"
    #: The first-listed code is the additional code that another code's "use
    #: additional code" note asks for (Z79.4 before E11.9).
    ADDITIONAL_CODE_FIRST = "additional code listed first"
    CODE_FIRST_ORDER = "underlying condition listed after"
    #: A "code first" instruction names codes of which none is on the claim:
    #: a warning for a manifestation code (it needs its underlying condition),
    #: else advice (the instruction applies when the condition is present).
    CODE_FIRST_ABSENT = "code-first condition absent"
    USE_ADDITIONAL_CODE = "additional code absent"
    #: The release was loaded without its tabular XML, so no note was checked.
    NOTES_NOT_LOADED = "instructional notes not loaded"


@frozen
class Finding:
    """One finding of :meth:`~medcodes.icd10cm.Codeset.check_claim`.

    :ivar kind: what it is about.
    :ivar severity: how much it matters.
    :ivar positions: the positions in the claim (0 = first-listed) concerned
        (none for a finding about the release itself).
    :ivar codes: the codes at those positions, as given.
    :ivar message: a sentence for a person.
    :ivar check: for an invalid code, the :class:`CodeCheck`.
    :ivar conflicts: for an Excludes1 pair, every :class:`Conflict` found.
    :ivar notes: the instructional notes behind a sequencing or
        additional-code finding.

    >>> import medcodes
    >>> cm = medcodes.icd10cm.load()
    >>> f = cm.check_claim(["E11.9", "E10.9"])[-1]
    >>> f.kind.name, f.severity.name, f.positions, f.codes
    ('EXCLUDES1', 'WARNING', (0, 1), ('E11.9', 'E10.9'))
    """

    kind: FindingKind
    severity: Severity
    positions: tuple[int, ...]
    codes: tuple[str, ...]
    message: str
    check: CodeCheck | None = None
    conflicts: tuple[Conflict, ...] = ()
    notes: tuple[EffectiveNote, ...] = ()


# -- the index of parsed, resolved references ------------------------------------


class _Entry:
    """One reference of one note, resolved: what the rules look up."""

    __slots__ = ("coarse", "exact", "note", "order", "ref")

    def __init__(self, note: Note, order: int, ref: CodeRef, exact: Intervals, coarse: Intervals):
        self.note = note
        self.order = order  # position of the note on its node, for a stable order
        self.ref = ref
        self.exact = exact
        self.coarse = coarse


class _Index:
    """Per note kind: node index -> the resolved references of its notes."""

    __slots__ = ("by_kind",)

    def __init__(self, cs: Codeset) -> None:
        st = cs._store
        self.by_kind: dict[NoteKind, dict[int, tuple[_Entry, ...]]] = {k: {} for k in _INDEXED}
        # Many notes repeat word for word ("code for adverse effect, if applicable, ...").
        parsed: dict[str, tuple[CodeRef, ...]] = {}
        resolved: dict[CodeRef, tuple[Intervals, Intervals]] = {}
        for i, raw in st.notes.items():
            found: dict[NoteKind, list[_Entry]] | None = None
            for order, (kind, text, heading) in enumerate(with_headings(raw)):
                if kind not in _INDEXED:
                    continue
                refs = parsed.get(text)
                if refs is None:
                    refs = parsed[text] = parse_references(text)
                if not refs:
                    continue
                note = Note(kind, text, heading)
                if found is None:
                    found = {}
                entries = found.setdefault(kind, [])
                for ref in refs:
                    hit = resolved.get(ref)
                    if hit is None:
                        exact, coarse, _ = resolve_intervals(st, ref)
                        hit = resolved[ref] = (exact, coarse)
                    entries.append(_Entry(note, order, ref, *hit))
            if found:
                for kind, entries in found.items():
                    self.by_kind[kind][i] = tuple(entries)


_LOCK = threading.Lock()


def _index(cs: Codeset) -> _Index:
    """The codeset's index, built on first use (once, even from many threads)."""
    index = cs._rules
    if index is None:
        with _LOCK:
            index = cs._rules
            if index is None:
                with paused_gc():
                    index = _Index(cs)
                object.__setattr__(cs, "_rules", index)
    return index


def _required(cs: Codeset, text: str | Node) -> int:
    i = cs._find(text)
    if i is None:
        cs[text]  # raises UnknownCodeError with suggestions
        raise UnknownCodeError(str(text))  # pragma: no cover - cs[text] raised
    return i


# -- effective notes -----------------------------------------------------------


def effective_notes(
    cs: Codeset, code: str | Node, kind: NoteKind | None = None
) -> tuple[EffectiveNote, ...]:
    """The notes that govern ``code``, nearest first: every note declared on
    the code, then the notes of :data:`INHERITED_KINDS` declared on each
    ancestor up to its chapter. ``kind`` keeps one kind.

    :raises ~medcodes.errors.UnknownCodeError: the code is not in the release.
    :raises ~medcodes.errors.UsageError: ``kind`` is not a kind of note.
    """
    if kind is not None:
        kind = as_enum(NoteKind, kind, "kind")
    i = _required(cs, code)
    st = cs._store
    out: list[EffectiveNote] = []
    distance = 0
    d = i
    while d >= 0:
        if d in st.notes:
            declared = cs._node(d)
            for note in st.note_objects(d):
                if kind is not None and note.kind is not kind:
                    continue
                if distance == 0 or note.kind in INHERITED_KINDS:
                    out.append(EffectiveNote(note, declared, distance))
        d = st.parents[d]
        distance += 1
    return tuple(out)


# -- pairs ---------------------------------------------------------------------


def resolve(cs: Codeset, ref: CodeRef) -> Resolution:
    """The nodes ``ref`` denotes in this release (see :class:`Resolution`)."""
    if not isinstance(ref, CodeRef):
        raise UsageError(
            f"resolve takes a CodeRef (from Note.refs or parse_references), not {ref!r}"
        )
    st = cs._store
    exact, _, reason = resolve_intervals(st, ref)
    heads: list[Node] = []
    ends, flags = st.ends, st.flags
    for start, end in exact:
        k = start
        while k < end:
            if ends[k] <= end and not flags[k] & GROUP:  # a block inside a range: its codes
                heads.append(cs._node(k))
                k = ends[k]
            else:
                k += 1
    return Resolution(ref, tuple(heads), reason)


def _matches(
    cs: Codeset, kind: NoteKind, governed: int, other: int, index: _Index
) -> list[tuple[int, int, int, _Entry, bool]]:
    """Notes of ``kind`` governing node ``governed`` whose references cover ``other``."""
    table = index.by_kind[kind]
    parents = cs._store.parents
    hits: list[tuple[int, int, int, _Entry, bool]] = []
    d = governed
    while d >= 0:
        entries = table.get(d)
        if entries is not None:
            for e in entries:
                for s, t in e.exact:
                    if s <= other < t:
                        hits.append((governed, d, other, e, True))
                        break
                else:
                    if not e.exact:
                        for s, t in e.coarse:
                            if s <= other < t:
                                hits.append((governed, d, other, e, False))
                                break
        d = parents[d]
    return hits


def pair_notes(
    cs: Codeset, kind: NoteKind, a: str | Node, b: str | Node
) -> tuple[Conflict, ...]:
    """Every note of ``kind`` (Excludes1 or Excludes2) that governs one of the
    two codes and names the other, in a canonical order (so the answer does not
    depend on the order of the arguments).

    :raises ~medcodes.errors.UnknownCodeError: a code is not in the release.
    """
    ia, ib = _required(cs, a), _required(cs, b)
    index = _index(cs)
    hits = _matches(cs, kind, ia, ib, index) + _matches(cs, kind, ib, ia, index)
    hits.sort(key=lambda h: (h[0], h[1], h[3].order, h[3].ref.text))
    return tuple(_conflict(cs, kind, h) for h in hits)


def _conflict(cs: Codeset, kind: NoteKind, hit: tuple[int, int, int, _Entry, bool]) -> Conflict:
    governed, declared, other, entry, certain = hit
    return Conflict(
        kind,
        cs._node(governed),
        cs._node(other),
        cs._node(declared),
        entry.note,
        entry.ref,
        certain,
    )


# -- claims --------------------------------------------------------------------

#: The title of a manifestation code (Guidelines I.A.13: "in most cases the
#: manifestation codes will have in the code title, 'in diseases classified
#: elsewhere'"), with the wordings the tabular uses: "in other specified diseases",
#: "in infectious and parasitic diseases", "in conditions", "in disease",
#: "in hypersensitivity reactions" ... classified elsewhere (349 titles in FY2026).
_MANIFESTATION = re.compile(
    r"\bin (?:[a-z,\-]+ )*?(?:diseases?|conditions|disorders|reactions) classified elsewhere"
)


def check_claim(cs: Codeset, codes: Iterable[str | Node]) -> tuple[Finding, ...]:
    """Check the diagnosis codes of one encounter, first-listed first.

    Whatever is wrong with a code becomes a finding.

    :raises ~medcodes.errors.UsageError: ``codes`` is not a list of codes (nor
        one code).
    """
    from .codeset import Node  # at run time: codeset imports this module

    if isinstance(codes, (str, Node)):
        codes = [codes]
    try:
        given = list(codes)
    except TypeError:
        raise UsageError(f"a claim is a list of codes, not {codes!r}") from None
    findings: list[Finding] = []
    nodes: list[tuple[int, int, str]] = []  # (position, node index, text) of codes that exist
    seen: dict[int, int] = {}
    for p, item in enumerate(given):
        text = item.code if isinstance(item, Node) else item  # a node counts as its code
        check = cs.check_code(item)  # a block node is the block, not the category B10
        if not check.valid:
            findings.append(
                Finding(
                    FindingKind.INVALID_CODE,
                    Severity.ERROR,
                    (p,),
                    (str(text),),
                    check.message,
                    check=check,
                )
            )
        i = cs._find(item) if isinstance(item, (str, Node)) else None
        if i is None or cs._store.flags[i] & GROUP:
            continue
        if i in seen:
            q = seen[i]
            findings.append(
                Finding(
                    FindingKind.DUPLICATE_CODE,
                    Severity.WARNING,
                    (q, p),
                    (str(given[q]), text),
                    f"{check.code} is listed twice (positions {q + 1} and {p + 1}); "
                    "report each code once (Guidelines I.B.12)",
                )
            )
            continue
        seen[i] = p
        nodes.append((p, i, text))
    if nodes and not cs.has_notes:
        findings.append(
            Finding(
                FindingKind.NOTES_NOT_LOADED,
                Severity.INFO,
                (),
                (),
                f"{cs.release.label} was loaded without its tabular XML: Excludes1 pairs "
                "and sequencing were not checked",
            )
        )
    elif nodes:
        index = _index(cs)
        findings.extend(_excludes1_pairs(cs, index, nodes))
        findings.extend(_sequencing(cs, index, nodes))
        findings.extend(_listed_first(cs, index, nodes))
        findings.extend(_additional_codes(cs, index, nodes))
    findings.sort(key=lambda f: (f.positions, list(FindingKind).index(f.kind)))
    return tuple(findings)


#: The sentences of ``notes`` that make a code secondary-only (Guidelines I.C.20:
#: external causes are never first-listed).
_SECONDARY_ONLY = re.compile(
    r"used secondary to|for use as (?:supplementary or )?additional codes?"
    r"|intended for use as an additional code",
    re.IGNORECASE,
)


def _listed_first(
    cs: Codeset, index: _Index, nodes: list[tuple[int, int, str]]
) -> list[Finding]:
    """Findings about the first-listed code: one the notes make secondary-only,
    or the additional code another code's note asks for."""
    p, i, text = nodes[0]
    if p != 0:
        return []
    st = cs._store
    out = []
    d = i
    while d >= 0:  # its own notes and its ancestors'
        for note in st.note_objects(d):
            said = _SECONDARY_ONLY.search(note.text) if note.kind is NoteKind.NOTES else None
            if said is not None:
                # The sentence that says so.
                start = note.text.rfind(". ", 0, said.start()) + 1
                end = note.text.find(".", said.end())
                sentence = note.text[start : end if end >= 0 else None].strip()
                by = cs._node(d)
                where = by.code if by.kind.value not in ("chapter", "block") else (
                    f"{by.kind.value} {by.code}"
                )
                out.append(
                    Finding(
                        FindingKind.SECONDARY_CODE_FIRST,
                        Severity.ERROR,
                        (p,),
                        (text,),
                        f"{cs._node(i).code} may not be listed first: {where} says {sentence!r}",
                        notes=(_effective(cs, i, NoteKind.NOTES, d, note),),
                    )
                )
                return out
        d = st.parents[d]
    if _MANIFESTATION.search(st.title(i).lower()):
        return out  # listed first already an error (MANIFESTATION_FIRST)
    # A pair whose order a "code first" note of the first code settles already has
    # its finding (CODE_FIRST_ORDER).
    code_first = [e.exact for _, e in _governing(cs, index, NoteKind.CODE_FIRST, i) if e.exact]
    for q, j, other_text in nodes[1:]:
        if any(s <= j < t for exact in code_first for s, t in exact):
            continue
        for dd, e in _governing(cs, index, NoteKind.USE_ADDITIONAL_CODE, j):
            if e.note.is_heading or not e.exact or not _applies(e.note, st.title(j).lower()):
                continue
            if any(s <= i < t for s, t in e.exact):
                out.append(
                    Finding(
                        FindingKind.ADDITIONAL_CODE_FIRST,
                        Severity.WARNING,
                        (p, q),
                        (text, other_text),
                        f"{cs._node(j).code} says 'use additional code' "
                        f"{e.note.heading or e.note.text!r}: {cs._node(i).code} is that "
                        f"additional code and should be listed after {cs._node(j).code}",
                        notes=(_effective(cs, j, NoteKind.USE_ADDITIONAL_CODE, dd, e.note),),
                    )
                )
                return out
    return out


def _excludes1_pairs(
    cs: Codeset, index: _Index, nodes: list[tuple[int, int, str]]
) -> list[Finding]:
    out = []
    for n, (p, i, text) in enumerate(nodes):
        for q, j, other_text in nodes[n + 1 :]:
            hits = _matches(cs, NoteKind.EXCLUDES1, i, j, index) + _matches(
                cs, NoteKind.EXCLUDES1, j, i, index
            )
            if not hits:
                continue
            hits.sort(key=lambda h: (h[0], h[1], h[3].order, h[3].ref.text))
            conflicts = tuple(_conflict(cs, NoteKind.EXCLUDES1, h) for h in hits)
            a, b = cs._node(i).code, cs._node(j).code
            why = "; ".join(
                f"{c.declared_on.code} excludes {c.note.text!r}" + ("" if c.certain else " (maybe)")
                for c in conflicts
            )
            out.append(
                Finding(
                    FindingKind.EXCLUDES1,
                    Severity.WARNING,
                    (p, q),
                    (text, other_text),
                    f"{a} and {b} are Excludes1 ({why}): report both only if the "
                    "conditions are unrelated (Guidelines I.A.12.a)",
                    conflicts=conflicts,
                )
            )
    return out


def _governing(cs: Codeset, index: _Index, kind: NoteKind, i: int) -> list[tuple[int, _Entry]]:
    """The resolved references of ``kind`` governing node ``i``: (declaring node, entry)."""
    table = index.by_kind[kind]
    parents = cs._store.parents
    out = []
    d = i
    while d >= 0:
        for e in table.get(d, ()):
            out.append((d, e))
        d = parents[d]
    return out


def _effective(cs: Codeset, i: int, kind: NoteKind, d: int, note: Note) -> EffectiveNote:
    distance = 0
    k = i
    parents = cs._store.parents
    while k != d:
        k = parents[k]
        distance += 1
    return EffectiveNote(note, cs._node(d), distance)


def _holds(claimed: list[int], intervals: Intervals) -> bool:
    """Some node of the claim (sorted indices) lies in one of the intervals."""
    for s, t in intervals:
        k = bisect_left(claimed, s)
        if k < len(claimed) and claimed[k] < t:
            return True
    return False


def _applies(note: Note, title: str) -> bool:
    """Whether a note of the T36-T50 kind applies to a code of (lower-case) ``title``.

    A code-first note stated "for adverse effects" applies to the adverse-effect
    codes only: a poisoning is itself listed first (Guidelines I.C.19.e.5.b). A
    use-additional-code item for underdosing ("underdosing of medication regimen
    (Z91.12-, Z91.13-)") applies to the underdosing codes only.
    """
    said = f"{note.heading or ''} {note.text}".lower()
    if "for adverse effect" in said and "adverse effect" not in title:
        return False
    return not note.text.lower().lstrip().startswith("underdosing") or "underdosing" in title


def _named(entries: list[tuple[int, _Entry]]) -> str:
    refs = sorted({e.ref.text for _, e in entries})
    more = f" and {len(refs) - 8} more" if len(refs) > 8 else ""
    return ", ".join(refs[:8]) + more


def _sequencing(cs: Codeset, index: _Index, nodes: list[tuple[int, int, str]]) -> list[Finding]:
    out = []
    st = cs._store
    claimed = sorted(j for _, j, _ in nodes)
    for n, (p, i, text) in enumerate(nodes):
        node = cs._node(i)
        title = st.title(i).lower()
        code_first = [
            (d, e)
            for d, e in _governing(cs, index, NoteKind.CODE_FIRST, i)
            if _applies(e.note, title)
        ]
        manifestation = _MANIFESTATION.search(title) is not None
        if p == 0 and manifestation:
            # Guidelines I.A.13: a manifestation code is never listed first.
            out.append(
                Finding(
                    FindingKind.MANIFESTATION_FIRST,
                    Severity.ERROR,
                    (p,),
                    (text,),
                    f"{node.code} ({node.title}) is a manifestation code: it may not be "
                    "listed first; code the underlying condition first (Guidelines I.A.13)",
                    notes=_unique_notes(cs, i, NoteKind.CODE_FIRST, code_first),
                )
            )
        targets = [(d, e) for d, e in code_first if e.exact and not e.note.is_heading]
        if targets and not any(_holds(claimed, e.exact) for _, e in targets):
            # None of the conditions the notes name is on the claim. A manifestation
            # code needs its underlying condition (I.A.13); other "code first" notes
            # apply when their condition is present (I.B.7).
            first = targets[0][1].note
            out.append(
                Finding(
                    FindingKind.CODE_FIRST_ABSENT,
                    Severity.WARNING if manifestation else Severity.INFO,
                    (p,),
                    (text,),
                    f"{node.code}: 'code first' {first.heading or first.text!r}: none of "
                    f"{_named(targets)} is on the claim; "
                    + (
                        "a manifestation code is reported with its underlying condition "
                        "(Guidelines I.A.13)"
                        if manifestation
                        else "if such a condition is present, code it first (Guidelines I.B.7)"
                    ),
                    notes=_unique_notes(cs, i, NoteKind.CODE_FIRST, targets),
                )
            )
        for q, j, other_text in nodes[n + 1 :]:
            for d, e in code_first:
                if any(s <= j < t for s, t in e.exact):
                    other = cs._node(j)
                    out.append(
                        Finding(
                            FindingKind.CODE_FIRST_ORDER,
                            Severity.WARNING,
                            (p, q),
                            (text, other_text),
                            f"{node.code} says 'code first' {e.note.text!r}: {other.code} "
                            f"should be listed before {node.code}",
                            notes=(_effective(cs, i, NoteKind.CODE_FIRST, d, e.note),),
                        )
                    )
                    break
    return out


def _unique_notes(
    cs: Codeset, i: int, kind: NoteKind, entries: list[tuple[int, _Entry]]
) -> tuple[EffectiveNote, ...]:
    seen: set[tuple[int, int]] = set()
    out = []
    for d, e in entries:
        if (d, e.order) not in seen:
            seen.add((d, e.order))
            out.append(_effective(cs, i, kind, d, e.note))
    if not out:  # a manifestation title without a code-first note of its own
        out = [n for n in effective_notes(cs, cs._store.keys[i], kind)]
    return tuple(out)


def _additional_codes(
    cs: Codeset, index: _Index, nodes: list[tuple[int, int, str]]
) -> list[Finding]:
    """Use-additional-code instructions none of whose target codes is on the claim.

    A heading and the notes under it are one instruction ("code to identify:
    ..."); a heading's own codes say where it applies, not what to add.
    """
    out = []
    present = [i for _, i, _ in nodes]
    for p, i, text in nodes:
        title = cs._store.title(i).lower()
        groups: dict[str, list[tuple[int, _Entry]]] = {}
        for d, e in _governing(cs, index, NoteKind.USE_ADDITIONAL_CODE, i):
            if e.note.is_heading or not e.exact or not _applies(e.note, title):
                continue
            # Keyed by the instruction's words: the same one declared on two
            # levels (T88.7 and T80-T88) is one finding.
            groups.setdefault(e.note.heading or e.note.text, []).append((d, e))
        for entries in groups.values():
            if any(s <= j < t for _, e in entries for s, t in e.exact for j in present):
                continue
            first = entries[0][1].note
            what = first.heading or first.text
            notes = _unique_notes(cs, i, NoteKind.USE_ADDITIONAL_CODE, entries)
            out.append(
                Finding(
                    FindingKind.USE_ADDITIONAL_CODE,
                    Severity.INFO,
                    (p,),
                    (text,),
                    f"{cs._node(i).code}: 'use additional code' {what!r}: none of "
                    f"{', '.join(sorted({e.ref.text for _, e in entries}))} is on the claim",
                    notes=notes,
                )
            )
    return out
