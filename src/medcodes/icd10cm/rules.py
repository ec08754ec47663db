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
from .guidelines import PROSE_RULES, Encounter, ProseRule, Record, RuleKind
from .hierarchy import GROUP, active_exception, with_headings
from .model import Kind, Note, NoteKind
from .references import CodeRef, Intervals, parse_references, resolve_intervals

if TYPE_CHECKING:
    from .codeset import Codeset, Node
    from .hierarchy import _Store
    from .validity import Problem

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


def _short(text: str, width: int = 80) -> str:
    """``text`` cut to ``width`` characters for a repr."""
    return text if len(text) <= width else text[: width - 3] + "..."


def _quoted(text: str) -> str:
    """A note's words as a coder reads them: no leading punctuation the XML
    leaves when it cuts "code first" off ("', if applicable, ...'")."""
    return repr(text.lstrip(" ,;:").strip())


def _where(kind: Kind, code: str) -> str:
    """How a message names a declaring node: ``chapter 15``, ``block I60-I69``
    or the dotted code."""
    if kind is Kind.CHAPTER:
        return f"chapter {code}"
    if kind is Kind.BLOCK:
        return f"block {code}"
    return code


@frozen(repr=False)
class EffectiveNote:
    """A note that governs a code, with the node that declares it.

    A plain value: it holds codes, not nodes, so it pickles small (look a code
    up with ``cm[n.declared_on]``).

    :ivar note: the note.
    :ivar declared_on: the code (dotted), block range or chapter number of the
        node whose element holds it (the code itself or an ancestor up to its
        chapter).
    :ivar distance: 0 when declared on the code itself, 1 on its parent, ...
    :ivar declared_kind: the :class:`~medcodes.icd10cm.Kind` of that node.
    :ivar release: the label of the release.

    >>> import medcodes
    >>> from medcodes.icd10cm import NoteKind
    >>> cm = medcodes.icd10cm.load()
    >>> for e in cm.effective_notes("E11.9", NoteKind.EXCLUDES1)[:2]:
    ...     print(e.declared_on, e.distance, e.note.text)
    E11.9 0 type 2 diabetes mellitus, without complications in remission (E11.A)
    E11 1 diabetes mellitus due to underlying condition (E08.-)
    """

    note: Note
    declared_on: str
    distance: int
    declared_kind: Kind = Kind.CODE
    release: str = ""

    @property
    def inherited(self) -> bool:
        """Declared on an ancestor, not on the code itself."""
        return self.distance > 0

    def __repr__(self) -> str:
        return (
            f"EffectiveNote({self.note.kind.value} {_short(self.note.text)!r} "
            f"on {_where(self.declared_kind, self.declared_on)}, distance={self.distance})"
        )


@frozen(repr=False)
class Resolution:
    """Where a :class:`~medcodes.icd10cm.CodeRef` points in one release.

    :ivar ref: the reference.
    :ivar codes: the codes (dotted; block ranges for a block) it denotes, each
        with its whole subtree, in official order (empty when unresolved).
    :ivar reason: why it could not be resolved, or ``None``.
    :ivar release: the label of the release.

    >>> import medcodes
    >>> cm = medcodes.icd10cm.load()
    >>> ref = cm["E11"].notes.excludes1[0].refs[0]
    >>> ref.text, cm.resolve(ref).resolved, cm.resolve(ref).codes
    ('E08.-', True, ('E08',))
    """

    ref: CodeRef
    codes: tuple[str, ...]
    reason: str | None = None
    release: str = ""

    @property
    def resolved(self) -> bool:
        """True when every code of the reference was found (and its qualifier applied)."""
        return self.reason is None

    def __repr__(self) -> str:
        codes = ", ".join(self.codes[:6]) + (", ..." if len(self.codes) > 6 else "")
        why = "" if self.reason is None else f", reason={_short(self.reason, 60)!r}"
        return f"Resolution({self.ref.text!r} -> [{codes}]{why})"


@frozen(repr=False)
class Conflict:
    """One reason why two codes are not reported together (Excludes1), or, from
    :meth:`~medcodes.icd10cm.Codeset.excludes2_relations`, why they are
    distinct conditions that may both be reported (Excludes2).

    A plain value: it holds codes, not nodes.

    :ivar kind: ``NoteKind.EXCLUDES1`` or ``NoteKind.EXCLUDES2``.
    :ivar code: the code the note governs (one of the two codes asked about), dotted.
    :ivar other: the other code, matched by the note's reference.
    :ivar declared_on: the code, block range or chapter number of the node that
        declares the note: ``code`` or an ancestor.
    :ivar note: the note, with its official text.
    :ivar ref: the reference in the note that matched ``other``.
    :ivar certain: ``False`` when the reference has a qualifier the library
        cannot apply (``with ketoacidosis``), or is a range that ends at a code
        the release does not have (``R10.1-R10.4-`` under R10.85): ``other`` is
        in the range, so the note *may* apply.
    :ivar declared_kind: the :class:`~medcodes.icd10cm.Kind` of the declaring node.
    :ivar release: the label of the release.

    >>> import medcodes
    >>> cm = medcodes.icd10cm.load()
    >>> c = cm.conflicts("E10.9", "E11.9")[0]
    >>> c.code, c.other, c.declared_on, c.note.text
    ('E10.9', 'E11.9', 'E10', 'type 2 diabetes mellitus (E11.-)')
    """

    kind: NoteKind
    code: str
    other: str
    declared_on: str
    note: Note
    ref: CodeRef
    certain: bool = True
    declared_kind: Kind = Kind.CATEGORY
    release: str = ""

    @property
    def exception(self) -> str | None:
        """For Excludes1, the official exception a coder must weigh (see
        :data:`EXCLUDES1_EXCEPTION`); ``None`` for Excludes2."""
        return EXCLUDES1_EXCEPTION if self.kind is NoteKind.EXCLUDES1 else None

    @property
    def message(self) -> str:
        """A sentence for a person."""
        whose = (
            "its own"
            if self.declared_on == self.code
            else f"{_where(self.declared_kind, self.declared_on)}'s"
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
            f"{self.code}: {whose} note {_quoted(self.note.text)} {verb} "
            f"{self.other} via {self.ref.text}{maybe}"
        )

    def __repr__(self) -> str:
        return (
            f"Conflict({self.kind.value}: {self.code} / {self.other}, "
            f"on {_where(self.declared_kind, self.declared_on)}: {_short(self.note.text, 100)!r}"
            f"{'' if self.certain else ', maybe'})"
        )


class Severity(enum.StrEnum):
    """How much a claim finding matters (see the page "How check_claim decides")."""

    #: The official files forbid it (an invalid code, a manifestation or
    #: secondary-only code listed first, a code not for this kind of record or
    #: age, a single-code rule broken, a place of occurrence after the initial
    #: encounter).
    ERROR = "error"
    #: Probably wrong and worth a coder's look (an Excludes1 pair, as the files
    #: cannot tell the official unrelated-conditions exception; a duplicate; a
    #: sequencing instruction not followed).
    WARNING = "warning"
    #: Advice, reported only with ``check_claim(codes, advice=True)``: an
    #: instruction ("use additional code", "code first ... if applicable") none
    #: of whose codes is on the claim.
    ADVICE = "advice"
    #: Former name of :attr:`ADVICE` (an alias: ``Severity.INFO is Severity.ADVICE``).
    INFO = "advice"


class FindingKind(enum.StrEnum):
    """What a claim finding is about."""

    INVALID_CODE = "invalid code"
    DUPLICATE_CODE = "duplicate code"
    EXCLUDES1 = "excludes1 pair"
    MANIFESTATION_FIRST = "manifestation code listed first"
    #: A code that a note says is only for use after another is listed first
    #: (the secondary-only rows of :data:`~medcodes.icd10cm.PROSE_RULES`).
    SECONDARY_CODE_FIRST = "secondary code listed first"
    #: The first-listed code is a chapter 21 (status, supplementary) code that
    #: another code's "use additional code" note asks for (Z79.4 before E11.9).
    ADDITIONAL_CODE_FIRST = "additional code listed first"
    CODE_FIRST_ORDER = "underlying condition listed after"
    #: A closed "code first" list names codes of which none is on the claim:
    #: a warning for a manifestation code, else advice.
    CODE_FIRST_ABSENT = "code-first condition absent"
    USE_ADDITIONAL_CODE = "additional code absent"
    #: A single code reported with others (O80, "for use as a single diagnosis code").
    SINGLE_CODE = "single code with others"
    #: Two codes in the wrong order (P07, "birth weight sequenced before gestational age").
    SEQUENCE = "sequence of two codes"
    #: Not for this kind of record (chapters 15, 16, 17, Z37, Z38, Z3A), or a
    #: claim that mixes a mother's and a newborn's codes.
    RECORD_TYPE = "code not for this record"
    #: Only at the initial encounter (Y92, "recorded only at the initial encounter
    #: for treatment").
    INITIAL_ENCOUNTER_ONLY = "initial encounter only"
    #: Not with the active condition (U09.9, "not to be used in cases that are
    #: still presenting with active COVID-19").
    ACTIVE_CONDITION = "with the active condition"
    #: Adult and pediatric BMI codes by age (Z68), the neonatal period (Z05).
    AGE = "code not for this age"
    #: A principal code listed later (Z38, "for use as the principal code on
    #: the initial record of a newborn").
    PRINCIPAL_NOT_FIRST = "principal code listed later"
    #: A code used only with another, without it (Y07, "for use only in cases
    #: of confirmed abuse (T74.-)", with no T74 code).
    REQUIRED_CODE_ABSENT = "required code absent"
    #: Advice that a row of :data:`~medcodes.icd10cm.PROSE_RULES` that would govern
    #: a code of the claim was not checked, because this release does not
    #: state its marker text (see :meth:`~medcodes.icd10cm.Codeset.unstated_prose_rules`).
    RULE_NOT_CHECKED = "rule not checked"
    #: The release was loaded without its tabular XML, so no note was checked.
    NOTES_NOT_LOADED = "instructional notes not loaded"


@frozen(repr=False)
class Finding:
    """One finding of :meth:`~medcodes.icd10cm.Codeset.check_claim`.

    A plain value: codes, notes and the release label, no codeset.

    :ivar kind: what it is about.
    :ivar severity: how much it matters.
    :ivar positions: the positions in the claim (0 = first-listed) concerned
        (none for a finding about the release itself).
    :ivar codes: the codes at those positions, as given.
    :ivar message: a sentence for a person.
    :ivar problem: for an invalid code, the :class:`~medcodes.icd10cm.Problem`
        of :meth:`~medcodes.icd10cm.Codeset.check_code`.
    :ivar suggestions: for an invalid code, the codes the user may have meant.
    :ivar conflicts: for an Excludes1 pair, every :class:`Conflict` found.
    :ivar notes: the instructional notes behind the finding.
    :ivar rule: for a rule stated in prose, its row of
        :data:`~medcodes.icd10cm.PROSE_RULES`.
    :ivar release: the label of the release.

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
    problem: Problem | None = None
    suggestions: tuple[str, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    notes: tuple[EffectiveNote, ...] = ()
    rule: ProseRule | None = None
    release: str = ""

    def __repr__(self) -> str:
        return (
            f"Finding({self.severity.value} {self.kind.value} at {list(self.positions)}: "
            f"{_short(self.message, 180)!r})"
        )


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

    __slots__ = ("by_kind", "prose", "spans", "unstated")

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
        # The prose rules whose marker the declaring node states in this release.
        self.prose: dict[int, list[tuple[ProseRule, Note]]] = {}
        self.spans: dict[str, tuple[int, int]] = {}
        # Rows whose declaring node exists but no longer states the marker.
        self.unstated: list[tuple[ProseRule, int]] = []
        for rule in PROSE_RULES:
            at = cs._find(rule.declared_on)
            said = None if at is None else _stating(st, at, rule.marker)
            if at is None:
                continue
            if said is None:
                self.unstated.append((rule, at))
                continue
            self.prose.setdefault(at, []).append((rule, said))
            for code in rule.codes + rule.others:
                k = cs._find(code)
                if k is not None:
                    self.spans[code] = (k, st.ends[k])


def _stating(st: _Store, i: int, marker: str) -> Note | None:
    """The note of node ``i`` (any kind) that contains ``marker``, if any."""
    marker = marker.lower()
    for note in st.note_objects(i):
        if marker in note.text.lower():
            return note
    return None


def prose_rules(cs: Codeset) -> tuple[tuple[ProseRule, Note], ...]:
    """The rows of :data:`PROSE_RULES` this release states, each with the note
    that states it (a row whose marker text is gone is left out)."""
    return tuple(pair for rules in _index(cs).prose.values() for pair in rules)


def unstated_prose_rules(cs: Codeset) -> tuple[ProseRule, ...]:
    """The rows of :data:`PROSE_RULES` whose declaring node this release has
    but whose marker text it does not state: rules not checked."""
    return tuple(rule for rule, _ in _index(cs).unstated)


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
            declared, declared_kind = _code(cs, d), st.kinds[d]
            for note in st.note_objects(d):
                if kind is not None and note.kind is not kind:
                    continue
                if distance == 0 or note.kind in INHERITED_KINDS:
                    out.append(
                        EffectiveNote(note, declared, distance, declared_kind, cs.release.label)
                    )
        d = st.parents[d]
        distance += 1
    return tuple(out)


def _code(cs: Codeset, i: int) -> str:
    """The written form of node ``i``: dotted code, block range or chapter number."""
    return cs._node(i).code


# -- pairs ---------------------------------------------------------------------


def resolve(cs: Codeset, ref: CodeRef) -> Resolution:
    """The codes ``ref`` denotes in this release (see :class:`Resolution`)."""
    if not isinstance(ref, CodeRef):
        raise UsageError(
            f"resolve takes a CodeRef (from Note.refs or parse_references), not {ref!r}"
        )
    st = cs._store
    exact, _, reason = resolve_intervals(st, ref)
    heads: list[str] = []
    ends, flags = st.ends, st.flags
    for start, end in exact:
        k = start
        while k < end:
            if ends[k] <= end and not flags[k] & GROUP:  # a block inside a range: its codes
                heads.append(_code(cs, k))
                k = ends[k]
            else:
                k += 1
    return Resolution(ref, tuple(heads), reason, cs.release.label)


# (governed node, declaring node, other node, entry, certain)
_Hit = tuple[int, int, int, "_Entry", bool]


def _matches(cs: Codeset, kind: NoteKind, governed: int, other: int, index: _Index) -> list[_Hit]:
    """Notes of ``kind`` governing node ``governed`` whose references cover ``other``."""
    table = index.by_kind[kind]
    parents = cs._store.parents
    hits: list[_Hit] = []
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


def pair_notes(cs: Codeset, kind: NoteKind, a: str | Node, b: str | Node) -> tuple[Conflict, ...]:
    """Every note of ``kind`` (Excludes1 or Excludes2) that governs one of the
    two codes and names the other, in a canonical order (so the answer does not
    depend on the order of the arguments).

    :raises ~medcodes.errors.UnknownCodeError: a code is not in the release.
    """
    ia, ib = _required(cs, a), _required(cs, b)
    index = _index(cs)
    hits = _matches(cs, kind, ia, ib, index) + _matches(cs, kind, ib, ia, index)
    hits.sort(key=_hit_order)
    return tuple(_conflict(cs, kind, h) for h in hits)


def _hit_order(h: _Hit) -> tuple[int, int, int, str]:
    return (h[0], h[1], h[3].order, h[3].ref.text)


def _conflict(cs: Codeset, kind: NoteKind, hit: _Hit, claim: _Claim | None = None) -> Conflict:
    governed, declared, other, entry, certain = hit
    code = (lambda i: _code(cs, i)) if claim is None else claim.code
    return Conflict(
        kind,
        code(governed),
        code(other),
        code(declared),
        entry.note,
        entry.ref,
        certain,
        cs._store.kinds[declared],
        cs.release.label if claim is None else claim.label,
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

#: An instruction that gives examples, not a closed list (Guidelines I.A.13:
#: "code first" notes name "such as" conditions).
_EXAMPLES = re.compile(r"\bsuch as\b|\be\.g\.|\bfor example\b", re.IGNORECASE)

#: An instruction that applies only when its condition is documented: advice at most.
_CONDITIONAL = re.compile(r"\b(?:if|where|when) (?:applicable|known|desired)\b", re.IGNORECASE)


#: The chapters of codes that are no condition: external causes (20) and
#: factors influencing health status (21).
_FACTORS = frozenset({"20", "21"})


class _Claim:
    """The codes of one claim that exist, with what every rule looks up."""

    __slots__ = (
        "_codes",
        "_condition_nodes",
        "at",
        "claimed",
        "cs",
        "given",
        "index",
        "label",
        "nodes",
        "position",
        "st",
        "titles",
    )

    def __init__(self, cs: Codeset, index: _Index, nodes: list[tuple[int, int, str]]) -> None:
        self.cs, self.index, self.nodes, self.st = cs, index, nodes, cs._store
        self.position = {i: p for p, i, _ in nodes}
        self.at = {p: i for p, i, _ in nodes}
        self.given = {p: text for p, _, text in nodes}
        self.label = cs.release.label
        self._codes: dict[int, str] = {}
        self._condition_nodes: list[tuple[int, int]] | None = None
        self.claimed: list[int] = sorted(self.position)
        self.titles = {i: self.st.title(i).lower() for _, i, _ in nodes}

    def condition_before(self, p: int) -> bool:
        """Whether a condition (a code outside chapters 20 and 21) is listed
        before position ``p``."""
        return any(q < p for q, _ in self._conditions())

    def condition_after(self, p: int) -> tuple[int, int] | None:
        """The first condition (position, node) listed after position ``p``
        (a manifestation code is no underlying condition)."""
        return next(((q, j) for q, j in self._conditions() if q > p), None)

    def _conditions(self) -> list[tuple[int, int]]:
        if self._condition_nodes is None:
            self._condition_nodes = [
                (p, i)
                for p, i, _ in self.nodes
                if self.chapter(i) not in _FACTORS and not _MANIFESTATION.search(self.titles[i])
            ]
        return self._condition_nodes

    def code(self, i: int) -> str:
        """The written form of node ``i`` (cached: a claim names few nodes)."""
        found = self._codes.get(i)
        if found is None:
            found = self._codes[i] = self.cs._node(i).code
        return found

    def within(self, start: int, end: int) -> list[int]:
        """The claim's nodes in ``[start, end)`` (a subtree or a range)."""
        s = self.claimed
        return s[bisect_left(s, start) : bisect_left(s, end)]

    def holds(self, intervals: Intervals) -> bool:
        return any(self.within(s, t) for s, t in intervals)

    def governing(self, kind: NoteKind, i: int) -> list[tuple[int, _Entry]]:
        """The resolved references of ``kind`` governing node ``i``: (declaring node, entry)."""
        table = self.index.by_kind[kind]
        parents = self.st.parents
        out = []
        d = i
        while d >= 0:
            for e in table.get(d, ()):
                out.append((d, e))
            d = parents[d]
        return out

    def effective(self, i: int, d: int, note: Note) -> EffectiveNote:
        distance, k, parents = 0, i, self.st.parents
        while k != d:
            k = parents[k]
            distance += 1
        return EffectiveNote(note, self.code(d), distance, self.st.kinds[d], self.label)

    def chapter(self, i: int) -> str:
        parents = self.st.parents
        while parents[i] >= 0:
            i = parents[i]
        return self.st.keys[i]

    def finding(
        self,
        kind: FindingKind,
        severity: Severity,
        positions: tuple[int, ...],
        message: str,
        **more: object,
    ) -> Finding:
        codes = tuple(self.given[p] for p in positions)
        return Finding(
            kind,
            severity,
            positions,
            codes,
            message,
            release=self.label,
            **more,  # type: ignore[arg-type]
        )


def check_claim(
    cs: Codeset,
    codes: Iterable[str | Node],
    *,
    record: Record | str | None = None,
    patient_age: int | None = None,
    advice: bool = False,
) -> tuple[Finding, ...]:
    """Check the diagnosis codes of one encounter, first-listed first.

    Whatever is wrong with a code becomes a finding; advice only when asked.

    :raises ~medcodes.errors.UsageError: ``codes`` is not a list of codes (nor
        one code), or the record type or age is not one.
    """
    from .codeset import Node  # at run time: codeset imports this module

    encounter = _encounter(record, patient_age)
    if isinstance(codes, (str, Node)):
        codes = [codes]
    try:
        given = list(codes)
    except TypeError:
        raise UsageError(f"a claim is a list of codes, not {codes!r}") from None
    label = cs.release.label
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
                    check.message + _seventh_exception(cs, check.code),
                    problem=check.problem,
                    suggestions=check.suggestions,
                    release=label,
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
                    (str(given[q]), str(text)),
                    f"{check.code} is listed twice (at positions {q} and {p}, the first-listed "
                    "code being position 0); "
                    "report each code once (Guidelines I.B.12)",
                    release=label,
                )
            )
            continue
        seen[i] = p
        nodes.append((p, i, str(text)))
    if nodes and not cs.has_notes:
        findings.append(
            Finding(
                FindingKind.NOTES_NOT_LOADED,
                Severity.WARNING,
                (),
                (),
                f"{label} was loaded without its tabular XML: Excludes1 pairs "
                "and sequencing were not checked",
                release=label,
            )
        )
    elif nodes:
        claim = _Claim(cs, _index(cs), nodes)
        findings.extend(_excludes1_pairs(claim))
        findings.extend(_sequencing(claim))
        findings.extend(_prose(claim, encounter))
        findings.extend(_additional_first(claim, findings))
        # Y99.0 with Y99.8: the single-code error says it, not also Excludes1.
        single = {f.positions for f in findings if f.kind is FindingKind.SINGLE_CODE}
        findings = [
            f for f in findings if not (f.kind is FindingKind.EXCLUDES1 and f.positions in single)
        ]
        if advice:
            findings.extend(_additional_codes(claim))
            findings.extend(_not_checked(claim))
    if not advice:
        findings = [f for f in findings if f.severity is not Severity.ADVICE]
    order = {k: n for n, k in enumerate(FindingKind)}
    findings.sort(key=lambda f: (f.positions, order[f.kind]))
    return tuple(findings)


def _encounter(record: Record | str | None, patient_age: int | None) -> Encounter:
    if record is not None:
        record = as_enum(Record, record, "record")
    if patient_age is not None and (
        isinstance(patient_age, bool) or not isinstance(patient_age, int) or patient_age < 0
    ):
        raise UsageError(f"patient_age is a whole number of years, not {patient_age!r}")
    return Encounter(record, patient_age)


def _seventh_exception(cs: Codeset, code: str | None) -> str:
    """For a code a prose 7th-character rule removes (S06.0X7D), that rule."""
    if code is None:
        return ""
    key = code.replace(".", "")
    if len(key) != 7:
        return ""
    exc = active_exception(cs._store, key[:3])
    if exc is None or key[6] not in exc.skipped(key[:6]):
        return ""
    i = cs._find(exc.category)
    note = None if i is None else _stating(cs._store, i, exc.marker)
    return "" if note is None else f"; {exc.category} says {_quoted(note.text)}"


def _excludes1_pairs(claim: _Claim) -> list[Finding]:
    """Every Excludes1 note that governs one code of the claim and names
    another: each code's notes are looked up once, their ranges bisected."""
    cs, st = claim.cs, claim.st
    table = claim.index.by_kind[NoteKind.EXCLUDES1]
    pairs: dict[tuple[int, int], list[_Hit]] = {}
    for _, i, _ in claim.nodes:
        d = i
        while d >= 0:
            for e in table.get(d, ()):
                certain = bool(e.exact)
                found: set[int] = set()
                for s, t in e.exact or e.coarse:
                    found.update(claim.within(s, t))
                found.discard(i)
                for j in found:
                    pair = (i, j) if claim.position[i] < claim.position[j] else (j, i)
                    pairs.setdefault(pair, []).append((i, d, j, e, certain))
            d = st.parents[d]
    out = []
    for (i, j), hits in pairs.items():
        hits.sort(key=_hit_order)
        conflicts = tuple(_conflict(cs, NoteKind.EXCLUDES1, h, claim) for h in hits)
        a, b = claim.code(i), claim.code(j)
        why = "; ".join(
            f"{_where(c.declared_kind, c.declared_on)} excludes {_quoted(c.note.text)}"
            + ("" if c.certain else " (maybe)")
            for c in conflicts
        )
        out.append(
            claim.finding(
                FindingKind.EXCLUDES1,
                Severity.WARNING,
                (claim.position[i], claim.position[j]),
                f"{a} and {b} are Excludes1 ({why}): report both only if the "
                "conditions are unrelated (Guidelines I.A.12.a)",
                conflicts=conflicts,
            )
        )
    return out


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


def _instructions(claim: _Claim, kind: NoteKind, i: int) -> dict[str, list[tuple[int, _Entry]]]:
    """The notes of ``kind`` that govern node ``i`` and apply to it, grouped by
    instruction: a heading and the items under it are one; the same words
    declared on two levels (T88.7 and T80-T88) are one."""
    title = claim.titles[i]
    groups: dict[str, list[tuple[int, _Entry]]] = {}
    for d, e in claim.governing(kind, i):
        if e.note.is_heading or not e.exact or not _applies(e.note, title):
            continue
        groups.setdefault(e.note.heading or e.note.text, []).append((d, e))
    return groups


def _refs(entries: list[tuple[int, _Entry]]) -> str:
    refs = sorted({e.ref.text for _, e in entries})
    more = f" and {len(refs) - 8} more" if len(refs) > 8 else ""
    return ", ".join(refs[:8]) + more


def _unique(claim: _Claim, i: int, entries: list[tuple[int, _Entry]]) -> tuple[EffectiveNote, ...]:
    seen: set[tuple[int, int]] = set()
    out = []
    for d, e in entries:
        if (d, e.order) not in seen:
            seen.add((d, e.order))
            out.append(claim.effective(i, d, e.note))
    return tuple(out)


def _said(alternatives: list[tuple[str, list[tuple[int, _Entry]], bool]]) -> str:
    """The 'code first' notes of one node, each quoted once."""
    if len(alternatives) == 1:
        return _instruction("code first", alternatives[0][0], alternatives[0][1])
    headings = [_quoted(h.rstrip(" :")) for h, _, _ in alternatives]
    more = f" and {len(headings) - 6} more" if len(headings) > 6 else ""
    return f"'code first' one of {'; '.join(headings[:6])}{more}"


def _sequencing(claim: _Claim) -> list[Finding]:
    """Manifestation codes listed first, code-first targets listed after, and
    closed code-first lists of which nothing is on the claim."""
    cs = claim.cs
    out = []
    for p, i, _ in claim.nodes:
        code = claim.code(i)
        manifestation = _MANIFESTATION.search(claim.titles[i]) is not None
        groups = _instructions(claim, NoteKind.CODE_FIRST, i)
        if p == 0 and manifestation:
            # Guidelines I.A.13: a manifestation code is never listed first.
            every = [x for entries in groups.values() for x in entries]
            out.append(
                claim.finding(
                    FindingKind.MANIFESTATION_FIRST,
                    Severity.ERROR,
                    (p,),
                    f"{code} ({cs._store.title(i)}) is a manifestation code: it may not be "
                    "listed first; code the underlying condition first (Guidelines I.A.13)",
                    notes=_unique(claim, i, every),
                )
            )
        after: dict[int, tuple[int, _Entry]] = {}
        # The notes of one node are alternatives ("code first, if applicable:"
        # six kinds of sepsis under A41): one finding per declaring node.
        by_node: dict[int, list[tuple[str, list[tuple[int, _Entry]], bool]]] = {}
        for heading, entries in groups.items():
            present = False
            for d, e in entries:
                for s, t in e.exact:
                    for j in claim.within(s, t):
                        present = True
                        if claim.position[j] > p and j not in after:
                            after[j] = (d, e)
            by_node.setdefault(entries[0][0], []).append((heading, entries, present))
        named_after = {d for d, _ in after.values()}
        for node, alternatives in by_node.items():
            entries = [x for _, group, _ in alternatives for x in group]
            heading = alternatives[0][0]
            conditional = any(_CONDITIONAL.search(h) for h, _, _ in alternatives)
            if any(_EXAMPLES.search(h) for h, _, _ in alternatives):
                # An example list ("such as") is met by a condition listed
                # before the code, never by one listed after it: a code of the
                # list listed after is a CODE_FIRST_ORDER finding, any other
                # condition listed after is named here (one finding per code).
                if claim.condition_before(p) or node in named_after:
                    continue
                later = None if manifestation else claim.condition_after(p)
                if later is not None:
                    q, j = later
                    out.append(
                        claim.finding(
                            FindingKind.CODE_FIRST_ORDER,
                            Severity.ADVICE if conditional else Severity.WARNING,
                            (p, q),
                            f"{code} says {_said(alternatives)} but is listed first; if "
                            f"{claim.code(j)} is that condition, list it before {code} "
                            "(Guidelines I.B.7)",
                            notes=_unique(claim, i, entries),
                        )
                    )
                    continue
                if manifestation and p == 0:
                    continue  # the manifestation-first error says it
            elif any(present for _, _, present in alternatives):
                continue
            warn = manifestation and not conditional
            said = _said(alternatives)
            out.append(
                claim.finding(
                    FindingKind.CODE_FIRST_ABSENT,
                    Severity.WARNING if warn else Severity.ADVICE,
                    (p,),
                    f"{code}: {said}: none of {_refs(entries)} is on the claim; "
                    + (
                        "a manifestation code is reported with its underlying condition "
                        "(Guidelines I.A.13)"
                        if warn
                        else "if such a condition is present, code it first (Guidelines I.B.7)"
                    ),
                    notes=_unique(claim, i, entries),
                )
            )
        for j, (d, e) in sorted(after.items(), key=lambda x: claim.position[x[0]]):
            q = claim.position[j]
            heading = e.note.heading or e.note.text
            out.append(
                claim.finding(
                    FindingKind.CODE_FIRST_ORDER,
                    Severity.WARNING,
                    (p, q),
                    f"{code} says {_instruction('code first', heading, [(d, e)])}: {claim.code(j)} "
                    f"should be listed before {code}",
                    notes=(claim.effective(i, d, e.note),),
                )
            )
    return out


def _additional_first(claim: _Claim, found: list[Finding]) -> list[Finding]:
    """The first-listed code is a chapter 21 code (a status or supplementary
    factor) that a later code's "use additional code" note asks for (Z79.4
    before E11.9). A condition that can be the reason for the encounter is
    never flagged (Guidelines IV.G: the reason for the visit is listed first)."""
    p, i, _ = claim.nodes[0]
    if p != 0 or claim.chapter(i) != "21":
        return []
    if any(f.positions == (0,) and f.kind is FindingKind.SECONDARY_CODE_FIRST for f in found):
        return []
    # One sequencing problem, one finding: the first code's own "code first"
    # note already names the pair (Z3A.30 before O24.410).
    ordered = {f.positions for f in found if f.kind is FindingKind.CODE_FIRST_ORDER}
    for q, j, _ in claim.nodes[1:]:
        for entries in _instructions(claim, NoteKind.USE_ADDITIONAL_CODE, j).values():
            for d, e in entries:
                if any(s <= i < t for s, t in e.exact):
                    if (p, q) in ordered:
                        return []
                    return [
                        claim.finding(
                            FindingKind.ADDITIONAL_CODE_FIRST,
                            Severity.WARNING,
                            (p, q),
                            f"{claim.code(j)} says 'use additional code' {_quoted(e.note.text)}: "
                            f"{claim.code(i)} is that additional code (a chapter 21 factor) "
                            f"and should be listed after {claim.code(j)}",
                            notes=(claim.effective(j, d, e.note),),
                        )
                    ]
    return []


def _additional_codes(claim: _Claim) -> list[Finding]:
    """Advice: use-additional-code instructions none of whose codes is on the
    claim, one finding per instruction for the whole claim."""
    maternal = any(claim.chapter(i) == "15" for _, i, _ in claim.nodes)
    last = claim.nodes[-1][0]
    merged: dict[str, tuple[list[int], list[tuple[int, _Entry]], int]] = {}
    for p, i, _ in claim.nodes:
        for heading, entries in _instructions(claim, NoteKind.USE_ADDITIONAL_CODE, i).items():
            if any(claim.holds(e.exact) for _, e in entries):
                continue
            if _EXAMPLES.search(heading) and p < last:
                continue  # an example list, met by any code listed after it
            if maternal and all(e.ref.text.startswith("Z68") for _, e in entries):
                continue  # no BMI in pregnancy (Guidelines I.C.21.c.3)
            if heading in merged:
                merged[heading][0].append(p)
            else:
                merged[heading] = ([p], entries, i)
    # One finding per set of codes: J45's "code to identify:" and "code,
    # where applicable, to identify:" name the same tobacco codes.
    sets = {h: frozenset(e.ref.text for _, e in v[1]) for h, v in merged.items()}
    kept: list[str] = []
    for h in merged:
        bigger = next((k for k in kept if sets[h] <= sets[k]), None)
        if bigger is None:
            for k in [k for k in kept if sets[k] < sets[h]]:
                kept[kept.index(k)] = h
                merged[h][0].extend(merged[k][0])
                bigger = h
            if bigger is None:
                kept.append(h)
        else:
            merged[bigger][0].extend(merged[h][0])
    out = []
    for heading in dict.fromkeys(kept):
        positions, entries, i = merged[heading]
        out.append(
            claim.finding(
                FindingKind.USE_ADDITIONAL_CODE,
                Severity.ADVICE,
                tuple(sorted(set(positions))),
                f"{claim.code(i)}: {_instruction('use additional code', heading, entries)}: "
                f"none of {_refs(entries)} is on the claim",
                notes=_unique(claim, i, entries),
            )
        )
    return out


def _instruction(verb: str, heading: str, entries: list[tuple[int, _Entry]]) -> str:
    """An instruction quoted as the tabular prints it: the heading and its
    items in one quotation ('use additional code, if applicable, to identify:
    associated cachexia (E88.A); kidney transplant status (Z94.0)')."""
    items = list(dict.fromkeys(e.note.text for _, e in entries if e.note.text != heading))
    head = heading.strip().lstrip(",;: ")
    if verb.endswith(" code") and head.lower().startswith("code"):
        head = head[4:]  # "use additional code" + "code, if applicable, ..."
        if not head.startswith((",", "(")):
            head = head.lstrip()
    text = f"{verb}{'' if head.startswith((',', '(')) else ' '}{head}"
    if items:
        shown = "; ".join(items[:4]) + ("; ..." if len(items) > 4 else "")
        text = f"{text.rstrip(' :')}: {shown}"
    return repr(text)


def _prose(claim: _Claim, encounter: Encounter) -> list[Finding]:
    """The rules of :data:`PROSE_RULES` that govern the claim's codes."""
    cs, st, index = claim.cs, claim.st, claim.index
    governed: list[tuple[int, int, ProseRule, Note, int]] = []  # (p, i, rule, note, declared)
    for p, i, _ in claim.nodes:
        d = i
        while d >= 0:
            for rule, note in index.prose.get(d, ()):
                if rule.title_has and rule.title_has not in claim.titles[i]:
                    continue
                if rule.codes and not any(
                    c in index.spans and index.spans[c][0] <= i < index.spans[c][1]
                    for c in rule.codes
                ):
                    continue
                governed.append((p, i, rule, note, d))
            d = st.parents[d]
    out: list[Finding] = []
    implied: dict[Record, tuple[int, ProseRule, Note, int]] = {}
    labels: list[tuple[int, str]] | None = None
    single: set[ProseRule] = set()
    for p, i, rule, note, d in governed:
        code = claim.code(i)
        said = _quoted(_sentence(note.text, rule.marker))
        says = f"{_where(st.kinds[d], claim.code(d))} says {said}"
        severity = Severity(rule.severity)

        made: tuple[FindingKind, tuple[int, ...], str] | None = None
        others = [
            j
            for c in rule.others
            if c in index.spans
            for j in claim.within(*index.spans[c])
            if j != i
        ]
        kind = rule.kind
        if kind is RuleKind.SECONDARY_ONLY and p == 0:
            if not any(f.kind is FindingKind.SECONDARY_CODE_FIRST for f in out):
                made = (
                    FindingKind.SECONDARY_CODE_FIRST,
                    (p,),
                    f"{code} may not be listed first: {says}",
                )
        elif kind is RuleKind.PRINCIPAL_ONLY and p > 0:
            first = claim.code(claim.nodes[0][1])
            made = (
                FindingKind.PRINCIPAL_NOT_FIRST,
                (p,),
                f"{code} is listed after {first}, but {says}",
            )
        elif (
            kind is RuleKind.REQUIRES and not others and all(c in index.spans for c in rule.others)
        ):
            made = (
                FindingKind.REQUIRED_CODE_ABSENT,
                (p,),
                f"{code} is reported without a code of "
                f"{', '.join(_named(cs, c) for c in rule.others)}: {says}",
            )
        elif kind is RuleKind.SINGLE_CODE and others and rule not in single:
            single.add(rule)  # Y99.0 with Y99.8: one finding, not one per code
            qs = sorted(claim.position[j] for j in others)
            made = (
                FindingKind.SINGLE_CODE,
                (p, *qs),
                f"{code} is reported with "
                f"{', '.join(claim.code(claim.at[q]) for q in qs)}, but {says}",
            )
        elif kind is RuleKind.SEQUENCE:
            before = sorted(claim.position[j] for j in others if claim.position[j] < p)
            if before:
                made = (
                    FindingKind.SEQUENCE,
                    (before[0], p),
                    f"{code} is listed after {claim.code(claim.at.__getitem__(before[0]))}: {says}",
                )
        elif kind is RuleKind.RECORD_TYPE:
            if encounter.record is not None and encounter.record is rule.never_on:
                made = (
                    FindingKind.RECORD_TYPE,
                    (p,),
                    f"{code} is not for a {encounter.record.value} record: {says}",
                )
            if rule.implies is not None and rule.implies not in implied:
                implied[rule.implies] = (p, rule, note, d)
        elif kind is RuleKind.INITIAL_ENCOUNTER_ONLY:
            if labels is None:  # once per claim, however many Y92 codes
                labels = [
                    (q, label)
                    for q, j, _ in claim.nodes
                    if (label := _encounter_label(cs, j)) is not None
                ]
            if labels and not any("initial" in label for _, label in labels):
                q, label = labels[0]
                made = (
                    FindingKind.INITIAL_ENCOUNTER_ONLY,
                    (p, q),
                    f"{code}: {says}; {claim.code(claim.at.__getitem__(q))} is a {label}",
                )
        elif kind is RuleKind.NOT_WITH_ACTIVE and others:
            q = min(claim.position[j] for j in others)
            made = (
                FindingKind.ACTIVE_CONDITION,
                tuple(sorted((p, q))),
                f"{code} with {claim.code(claim.at.__getitem__(q))}: {says}",
            )
        elif kind is RuleKind.AGE and encounter.patient_age is not None:
            low, high = _ages(note.text, rule)
            if not low <= encounter.patient_age <= high:
                made = (
                    FindingKind.AGE,
                    (p,),
                    f"{code} is not for a patient aged {encounter.patient_age}: {says}",
                )
        if made is not None:
            out.append(
                claim.finding(
                    made[0],
                    severity,
                    tuple(sorted(made[1])),
                    made[2],
                    notes=(claim.effective(i, d, note),),
                    rule=rule,
                )
            )
    if encounter.record is None and len(implied) == 2:
        # A mother's and a newborn's codes on one claim.
        (p, rule, note, d), (q, other, onote, od) = sorted(implied.values(), key=lambda x: x[0])
        a, b = claim.code(claim.at.__getitem__(p)), claim.code(claim.at.__getitem__(q))
        out.append(
            claim.finding(
                FindingKind.RECORD_TYPE,
                Severity.ERROR,
                (p, q),
                f"{a} is for a {rule.implies} record and {b} for a {other.implies} record: "
                f"{_where(st.kinds[d], claim.code(d))} says "
                f"{_quoted(_sentence(note.text, rule.marker))}; "
                f"{_where(st.kinds[od], claim.code(od))} says "
                f"{_quoted(_sentence(onote.text, other.marker))}",
                notes=(
                    claim.effective(claim.at.__getitem__(p), d, note),
                    claim.effective(claim.at.__getitem__(q), od, onote),
                ),
                rule=rule,
            )
        )
    return out


def _not_checked(claim: _Claim) -> list[Finding]:
    """Advice, once per claim: the prose rules that would govern a code of the
    claim but that this release does not state in the expected words."""
    off: list[tuple[int, ProseRule]] = []
    for rule, at in claim.index.unstated:
        inside = claim.within(at, claim.st.ends[at])
        if inside:
            off.append((claim.position[inside[0]], rule))
    if not off:
        return []
    said = "; ".join(
        f"{rule.kind.value} on {_named(claim.cs, rule.declared_on)} ({rule.marker!r})"
        for _, rule in off
    )
    return [
        claim.finding(
            FindingKind.RULE_NOT_CHECKED,
            Severity.ADVICE,
            tuple(sorted({p for p, _ in off})),
            f"rule not checked: {claim.label} does not state the marker text of {said}",
        )
    ]


def _sentence(text: str, marker: str) -> str:
    """The sentence of ``text`` that contains ``marker``."""
    at = text.lower().find(marker.lower())
    if at < 0:
        return text
    start = text.rfind(". ", 0, at) + 1
    end = text.find(". ", at + len(marker))
    # The sentence after it when it qualifies the rule (U09.9: "However, an
    # exception is made in cases of re-infection ...").
    while end >= 0:
        nxt = text.find(". ", end + 2)
        following = text[end + 2 : nxt + 1 if nxt >= 0 else None].strip()
        if not re.match(r"(?i)however\b|.*\bexception\b", following):
            break
        end = nxt
    return text[start : end + 1 if end >= 0 else None].strip()


def _named(cs: Codeset, code: str) -> str:
    """A code, block range or chapter number as a message names it."""
    k = cs._find(code)
    return code if k is None else _where(cs._store.kinds[k], code)


_AGES = re.compile(r"(\d+)\s*-\s*(\d+) years|(\d+) years of age or older", re.IGNORECASE)


def _ages(text: str, rule: ProseRule) -> tuple[int, int]:
    """The ages a note states ("2-19 years of age", "20 years of age or
    older"), else the rule's own."""
    m = _AGES.search(text)
    if m is not None:
        if m.group(3) is not None:
            return int(m.group(3)), 200
        return int(m.group(1)), int(m.group(2))
    return rule.ages if rule.ages is not None else (0, 200)


def _encounter_label(cs: Codeset, i: int) -> str | None:
    """The meaning of code ``i``'s 7th character when it names an encounter
    ("initial encounter for closed fracture", "subsequent encounter", "sequela")."""
    seventh = cs._node(i).seventh_character
    if seventh is None:
        return None
    label = seventh.label.lower()
    return label if "encounter" in label or label == "sequela" else None
