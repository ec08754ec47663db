"""A loaded HCPCS Level II release: lookup, sections, modifiers, validity on a
date of service. The file has no hierarchy; medcodes groups procedure codes
into sections by first letter, with the headings of the printed book, and
navigates them with the words of :mod:`medcodes.icd10cm`."""

from __future__ import annotations

import datetime as dt
import enum
import html
import re
from collections.abc import ItemsView, Iterator, Mapping, ValuesView
from types import MappingProxyType
from typing import Any, TypeVar, overload

from attrs import field, frozen

from .. import _pickles
from .._args import CPT_CODE, ICD10CM_CODE, MISSING_MESSAGE, is_missing, upper_key
from .._dates import as_date
from .._repr import BoundedTuple, bounded
from ..bulk import CodeChecks, check_many, row_of
from ..errors import UnknownCodeError
from .model import Record, Release

__all__ = ["SECTIONS", "CodeCheck", "Codeset", "Kind", "Node", "Problem", "Section"]

#: Letters typed for the digits they look like.
_LOOK_ALIKES = str.maketrans("OIL", "011")

#: Sections by first letter, with the conventional headings of the HCPCS Level II book
#: (read-only).
SECTIONS: Mapping[str, str] = MappingProxyType(
    {
        "A": "Transportation services including ambulance, medical and surgical supplies",
        "B": "Enteral and parenteral therapy",
        "C": "Outpatient PPS",
        "E": "Durable medical equipment",
        "G": "Procedures / professional services (temporary)",
        "H": "Alcohol and drug abuse treatment services",
        "J": "Drugs administered other than oral method, chemotherapy drugs",
        "K": "Temporary codes",
        "L": "Orthotic and prosthetic procedures, devices",
        "M": "Medical services",
        "P": "Pathology and laboratory services",
        "Q": "Temporary codes",
        "R": "Diagnostic radiology services",
        "S": "Temporary national codes (non-Medicare)",
        "T": "National codes established for state Medicaid agencies",
        "U": "Coronavirus diagnostic panel",
        "V": "Vision, hearing and speech-language pathology services",
    }
)

_PROCEDURE = re.compile(r"[A-Z][0-9]{4}")
# CPT (Level I, AMA): four digits then a digit, F or T (Category II, III); 2-digit modifiers.
_CPT_MODIFIER = re.compile(r"[0-9]{2}")
_NOT_IN_LEVEL_II = "CPT (Level I) is the AMA's, and CMS's HCPCS Level II file does not hold it"
_MODIFIER = re.compile(r"[A-Z0-9]{2}")


class Kind(enum.StrEnum):
    """The level of an HCPCS node."""

    SECTION = "section"
    CODE = "code"
    MODIFIER = "modifier"


@frozen(eq=False, repr=False)
class Node:
    """A view of one procedure code or modifier of a :class:`Codeset` (a
    section is a :class:`Section`). Immutable. A node of the bundled release
    pickles as a reference and unpickles, in any process, to the node of the
    bundled release (loaded once per process); a node of a file you loaded
    pickles with its whole codeset.

    >>> import medcodes
    >>> hc = medcodes.hcpcs.load()
    >>> node = hc["j9308"]
    >>> node.code, node.kind.value, node.parent.code, node.title
    ('J9308', 'code', 'J', 'Injection, ramucirumab, 5 mg')
    >>> node.record.short_description   # a Record, never None
    'Injection, ramucirumab'
    """

    codeset: Codeset = field(repr=False)
    kind: Kind
    code: str

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Node):
            return NotImplemented
        return (self.kind, self.code) == (other.kind, other.code) and _same(
            self.codeset, other.codeset
        )

    def __hash__(self) -> int:
        return _hash(self.codeset, self.kind, self.code)

    @property
    def key(self) -> str:
        """Lookup key (the same as ``code``)."""
        return self.code

    @property
    def record(self) -> Record:
        """The full record."""
        table = self.codeset._modifiers if self.kind is Kind.MODIFIER else self.codeset._codes
        return table[self.code]

    @property
    def title(self) -> str:
        """The long description."""
        return self.record.long_description

    @property
    def short_title(self) -> str | None:
        """The short description."""
        return self.record.short_description

    @property
    def parent(self) -> Section | None:
        """The section of a procedure code; ``None`` for a modifier."""
        if self.kind is Kind.CODE:
            return Section(self.codeset, self.code[0])
        return None

    @property
    def children(self) -> tuple[Node, ...]:
        """Always empty (nothing is below a code or a modifier)."""
        return ()

    @property
    def siblings(self) -> tuple[Node, ...]:
        """The other codes of the section."""
        parent = self.parent
        return () if parent is None else tuple(n for n in parent.children if n != self)

    @property
    def is_leaf(self) -> bool:
        """No children (always true)."""
        return True

    @property
    def depth(self) -> int:
        """1 for procedure codes, 0 for modifiers."""
        return 1 if self.kind is Kind.CODE else 0

    def ancestors(self) -> Iterator[Section]:
        """Nearest first: a procedure code's section."""
        parent = self.parent
        if parent is not None:
            yield parent

    def descendants(self) -> Iterator[Node]:
        """Nothing."""
        yield from ()

    def is_valid_on(self, day: dt.date) -> bool:
        """Valid for a date of service (see :meth:`Record.is_valid_on`)."""
        return self.record.is_valid_on(as_date(day, "day"))

    def __repr__(self) -> str:
        return _repr(self.code, self.kind, self.title)

    def __str__(self) -> str:
        return self.code

    def __format__(self, spec: str) -> str:
        """As its code: ``f"{node:>10}"`` pads ``node.code``."""
        return format(self.code, spec)

    def _repr_html_(self) -> str:
        """A small table for notebooks: code, title, kind, billable, path."""
        return _html(self.code, self.title, self.kind, self.to_dict()["billable"], self.ancestors())

    def to_dict(self) -> dict[str, Any]:
        """The node as a plain dict, one row of :meth:`Codeset.to_records`:
        ``code``, ``key``, ``kind``, ``title``, ``short_title``, ``billable``
        (a procedure code without a termination date), ``parent`` and
        ``section`` (the section letter, ``""`` for modifiers), ``depth``.
        Absent text is ``""``, never ``None``.

        >>> import medcodes
        >>> medcodes.hcpcs.load()["J9308"].to_dict()["section"]
        'J'
        """
        record = self.record
        parent = self.parent
        return {
            "code": self.code,
            "key": self.code,
            "kind": self.kind.value,
            "title": record.long_description,
            "short_title": record.short_description or "",
            "billable": self.kind is Kind.CODE and record.terminated is None,
            "parent": "" if parent is None else parent.code,
            "section": self.code[0] if self.kind is not Kind.MODIFIER else "",
            "depth": self.depth,
        }

    def __reduce__(self) -> tuple[Any, ...]:
        ref = self.codeset._bundled
        if ref is None:
            return (Node, (self.codeset, self.kind, self.code))
        _pickles.remember(ref, self.codeset)
        return (_bundled_node, (ref, self.kind.value, self.code))


@frozen(eq=False, repr=False)
class Section:
    """A view of one section of a :class:`Codeset`: the procedure codes that
    start with one letter, under the heading of the printed book
    (:data:`~medcodes.hcpcs.codeset.SECTIONS`). Immutable; it has no record (the file has none).

    >>> import medcodes
    >>> j = medcodes.hcpcs.load().section("j")
    >>> j.code, j.kind.value, j.title[:5], j.children[0].code
    ('J', 'section', 'Drugs', 'J0120')
    """

    codeset: Codeset = field(repr=False)
    code: str

    @property
    def kind(self) -> Kind:
        """Always :attr:`Kind.SECTION`."""
        return Kind.SECTION

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Section):
            return NotImplemented
        return self.code == other.code and _same(self.codeset, other.codeset)

    def __hash__(self) -> int:
        return _hash(self.codeset, Kind.SECTION, self.code)

    @property
    def key(self) -> str:
        """Lookup key (the same as ``code``)."""
        return self.code

    @property
    def title(self) -> str:
        """The section's heading."""
        return SECTIONS.get(self.code, self.code)

    @property
    def short_title(self) -> None:
        """Always ``None`` (a section has no short description)."""
        return None

    @property
    def parent(self) -> None:
        """Always ``None`` (sections are the roots)."""
        return None

    @property
    def children(self) -> tuple[Node, ...]:
        """The section's codes in file order."""
        return tuple(
            Node(self.codeset, Kind.CODE, c) for c in self.codeset._sections.get(self.code, ())
        )

    @property
    def siblings(self) -> tuple[Section, ...]:
        """The other sections."""
        return tuple(s for s in self.codeset.sections() if s != self)

    @property
    def is_leaf(self) -> bool:
        """Always false (a section holds codes)."""
        return False

    @property
    def depth(self) -> int:
        """0."""
        return 0

    def ancestors(self) -> Iterator[Section]:
        """Nothing."""
        yield from ()

    def descendants(self) -> Iterator[Node]:
        """The section's codes."""
        yield from self.children

    def is_valid_on(self, day: dt.date) -> bool:
        """Always false (a section is not a code that may be reported)."""
        as_date(day, "day")
        return False

    def __repr__(self) -> str:
        return _repr(self.code, Kind.SECTION, self.title)

    def __str__(self) -> str:
        return self.code

    def __format__(self, spec: str) -> str:
        """As its code."""
        return format(self.code, spec)

    def _repr_html_(self) -> str:
        """A small table for notebooks: code, title, kind, billable, path."""
        return _html(self.code, self.title, Kind.SECTION, False, iter(()))

    def to_dict(self) -> dict[str, Any]:
        """The section as a plain dict, with the keys of :meth:`Node.to_dict`."""
        return {
            "code": self.code,
            "key": self.code,
            "kind": Kind.SECTION.value,
            "title": self.title,
            "short_title": "",
            "billable": False,
            "parent": "",
            "section": self.code,
            "depth": 0,
        }

    def __reduce__(self) -> tuple[Any, ...]:
        ref = self.codeset._bundled
        if ref is None:
            return (Section, (self.codeset, self.code))
        _pickles.remember(ref, self.codeset)
        return (_bundled_node, (ref, Kind.SECTION.value, self.code))


def _same(a: Codeset, b: Codeset) -> bool:
    """One codeset, or two loads of the bundled file."""
    return a is b or (a._bundled is not None and a._bundled == b._bundled)


def _hash(cs: Codeset, kind: Kind, code: str) -> int:
    return hash((id(cs) if cs._bundled is None else cs._bundled, kind, code))


def _repr(code: str, kind: Kind, title: str) -> str:
    title = title if len(title) <= 200 else title[:197] + "..."
    return f"<hcpcs.{'Section' if kind is Kind.SECTION else 'Node'} {code} {kind.value}: {title!r}>"


def _html(code: str, title: str, kind: Kind, billable: bool, ancestors: Iterator[Section]) -> str:
    path = " > ".join([*(a.code for a in ancestors), code])
    rows = [
        ("code", code),
        ("title", title),
        ("kind", kind.value),
        ("billable", "yes" if billable else "no"),
        ("path", path),
    ]
    cells = "".join(
        f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
        f"<td style='text-align:left'>{html.escape(v)}</td></tr>"
        for k, v in rows
    )
    return f"<table>{cells}</table>"


def _bundled_node(ref: _pickles.Ref, kind: str, code: str) -> Node | Section:
    """The node (or section) ``code`` of the bundled release ``ref`` (unpickling)."""
    cs = _pickles.bundled_codeset(ref)
    if kind == Kind.SECTION.value:
        return Section(cs, code)
    return Node(cs, Kind(kind), code)


class Problem(enum.StrEnum):
    """Why a code may not be reported on a date of service."""

    #: No value at all (``None``, NaN, ``pd.NA``); the ``text`` of the
    #: :class:`CodeCheck` is then ``None``. Text of blanks only (``""``,
    #: ``"  "``) is missing too, its ``text`` kept as given.
    MISSING = "missing"
    #: Not HCPCS Level II syntax (a letter and four digits). The values of the
    #: problems both systems have are ICD-10-CM's: "missing", "malformed", "unknown".
    MALFORMED = "malformed"
    #: Well formed, but not a code of this file.
    UNKNOWN = "unknown"
    MODIFIER_NOT_PROCEDURE = "a modifier, not a procedure code"
    #: From :meth:`Codeset.check_modifier`: a procedure code, or no modifier of this file.
    NOT_A_MODIFIER = "not a modifier"
    NOT_YET_EFFECTIVE = "not yet effective on that date"
    TERMINATED = "terminated before that date"


@bounded
@frozen
class CodeCheck:
    """The result of :meth:`Codeset.check_code` (the same shape as ICD-10-CM's).

    :ivar text: the input as given (the ``repr`` of a value that is not text;
        ``None`` for a missing value).
    :ivar code: the normalized code, ``None`` if malformed.
    :ivar problem: why it is not valid, or ``None``.
    :ivar message: a sentence for a person.
    :ivar suggestions: codes the user may have meant (replacements of a
        terminated code, close codes for a typo).
    :ivar day: the date of service checked.
    :ivar exists: the file holds that code (or modifier).
    :ivar release: the label of the release that answered.

    A check holds plain values, not the codeset: it pickles in a few hundred bytes.

    >>> import medcodes
    >>> check = medcodes.hcpcs.load().check_code("G0001")
    >>> check.problem.name, check.suggestions[:3]
    ('UNKNOWN', ('G2001', 'G4001', 'G6001'))
    """

    text: str | None
    code: str | None
    problem: Problem | None
    message: str
    suggestions: tuple[str, ...] = ()
    day: dt.date | None = None
    exists: bool = False
    release: str = ""

    @property
    def valid(self) -> bool:
        """True when the code may be reported on that date."""
        return self.problem is None

    @property
    def billable(self) -> bool:
        """It may be reported on that date (the same as :attr:`valid`; the name
        ICD-10-CM's :class:`~medcodes.icd10cm.CodeCheck` uses)."""
        return self.problem is None


_T = TypeVar("_T")


class Codeset(Mapping[str, Node]):
    """One HCPCS Level II release: procedure codes by section, and modifiers.

    Immutable. ``hc[code]`` (any case, surrounding spaces ignored) gives a
    procedure code, ``hc.modifier("RT")`` a modifier, ``hc.section("J")`` a
    section; ``len`` and iteration cover procedure codes in file order.

    >>> import datetime as dt, medcodes
    >>> hc = medcodes.hcpcs.load()
    >>> len(hc), len(hc.modifiers)
    (8259, 383)
    >>> hc.is_valid("U0003", on=dt.date(2023, 5, 11)), hc.is_valid("U0003", on=dt.date(2023, 5, 12))
    (True, False)
    """

    __slots__ = (
        "_bundled",
        "_codes",
        "_label",
        "_modifiers",
        "_next_quarter",
        "_release",
        "_sections",
    )

    def __init__(
        self,
        codes: list[Record],
        modifiers: list[Record],
        release: Release,
        bundled: _pickles.Ref | None = None,
    ) -> None:
        init = object.__setattr__
        init(self, "_bundled", bundled)  # set when loaded from the bundled file
        init(self, "_label", release.label)
        init(self, "_codes", {r.code: r for r in codes})
        init(self, "_modifiers", {r.code: r for r in modifiers})
        sections: dict[str, list[str]] = {}
        for r in codes:
            sections.setdefault(r.code[0], []).append(r.code)
        init(self, "_sections", {k: tuple(v) for k, v in sorted(sections.items())})
        init(self, "_release", release)
        init(self, "_next_quarter", release.next_quarter)

    _codes: dict[str, Record]
    _modifiers: dict[str, Record]
    _sections: dict[str, tuple[str, ...]]
    _release: Release
    _next_quarter: dt.date
    _bundled: _pickles.Ref | None
    _label: str

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a Codeset is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("a Codeset is immutable")

    def __reduce__(self) -> tuple[object, ...]:
        # Pickles as its records (for multiprocessing, Dask, Spark).
        return (
            Codeset,
            (
                list(self._codes.values()),
                list(self._modifiers.values()),
                self._release,
                self._bundled,
            ),
        )

    def to_records(self) -> list[dict[str, Any]]:
        """Every section, procedure code and modifier as a plain dict (the rows
        of :meth:`Node.to_dict`, with the names of
        :meth:`medcodes.icd10cm.Codeset.to_records`; ``section`` in place of
        ``chapter`` and ``block``): each section followed by its codes, then the
        modifiers. Absent text is ``""``, never ``None``.

        >>> import medcodes
        >>> rows = medcodes.hcpcs.load().to_records()
        >>> len(rows), rows[0]["kind"], rows[1]["parent"]
        (8659, 'section', 'A')
        """
        rows: list[dict[str, Any]] = []
        for section in self.sections():
            rows.append(section.to_dict())
            rows.extend(node.to_dict() for node in section.children)
        rows.extend(node.to_dict() for node in self.modifiers.values())
        return rows

    def __repr__(self) -> str:
        counts = f"{len(self._codes)} codes, {len(self._modifiers)} modifiers"
        return f"<hcpcs.Codeset {self._release.label}: {counts}>"

    @property
    def release(self) -> Release:
        """Which release this is, and its source file."""
        return self._release

    def __len__(self) -> int:
        return len(self._codes)

    def __iter__(self) -> Iterator[str]:
        """The procedure codes in file order, as a
        :class:`~collections.abc.Mapping` iterates its keys; the nodes are
        :meth:`values`.

        >>> import medcodes
        >>> hc = medcodes.hcpcs.load()
        >>> list(hc)[:2], [n.code for n in hc.values()][:2]
        (['A0021', 'A0080'], ['A0021', 'A0080'])
        """
        return iter(self._codes)

    def values(self) -> ValuesView[Node]:
        """Every procedure code's node, in file order (a read-only view)."""
        return _Values(self)

    def items(self) -> ItemsView[str, Node]:
        """``(code, node)`` pairs in file order (a read-only view)."""
        return _Items(self)

    def __eq__(self, other: object) -> bool:
        return self is other  # a release, not a dict: identity, as before

    def __hash__(self) -> int:
        return id(self)

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and upper_key(text) in self._codes

    def __getitem__(self, text: str) -> Node:
        node = self.get(text)
        if node is None:
            check = self.check_code(text) if isinstance(text, str) else None
            raise UnknownCodeError(
                str(text),
                check.suggestions if check else (),
                # The error lists the suggestions itself.
                check.message.split("; did you mean")[0] if check else "not a string",
            )
        return node

    def record(self, text: str) -> Record:
        """The record of a procedure code or modifier (``hc[code].record`` for
        a procedure code, ``hc.modifier(code).record`` for a modifier).

        :raises ~medcodes.errors.UnknownCodeError: neither is in this release.

        >>> import medcodes
        >>> medcodes.hcpcs.load().record("rt").is_modifier
        True
        """
        key = upper_key(text) if isinstance(text, str) else ""
        found = self._codes.get(key) or self._modifiers.get(key)
        if found is None:
            self[text]  # raises UnknownCodeError, with suggestions
            raise UnknownCodeError(str(text))  # pragma: no cover - self[text] raised
        return found

    @overload
    def get(self, text: str) -> Node | None: ...
    @overload
    def get(self, text: str, default: Node | _T) -> Node | _T: ...
    def get(self, text: str, default: object = None) -> object:
        """The procedure code, or ``default`` when there is none."""
        key = upper_key(text) if isinstance(text, str) else ""
        return Node(self, Kind.CODE, key) if key in self._codes else default

    def modifier(self, text: str) -> Node:
        """A modifier (``"RT"``, ``"rt"``).

        :raises ~medcodes.errors.UnknownCodeError: not a modifier of this release.
        """
        key = upper_key(text) if isinstance(text, str) else ""
        if key not in self._modifiers:
            hint = "; it is a procedure code: use hc[code]" if key in self._codes else ""
            raise UnknownCodeError(
                str(text), (), f"{text!r} is not a Level II modifier of this release{hint}"
            )
        return Node(self, Kind.MODIFIER, key)

    @property
    def modifiers(self) -> Mapping[str, Node]:
        """Every modifier, by code, in file order; a read-only view that takes
        any case (``hc.modifiers["rt"]``)."""
        return _Modifiers(self)

    def sections(self) -> tuple[Section, ...]:
        """The sections present, by letter."""
        return tuple(Section(self, s) for s in self._sections)

    def roots(self) -> tuple[Section, ...]:
        """The sections (the roots of the procedure-code hierarchy)."""
        return self.sections()

    def section(self, letter: str) -> Section:
        """One section by its letter.

        :raises ~medcodes.errors.UnknownCodeError: no code starts with that letter.
        """
        key = upper_key(letter) if isinstance(letter, str) else ""
        if key not in self._sections:
            raise UnknownCodeError(
                str(letter),
                (),
                f"no HCPCS section {letter!r}; sections: {', '.join(self._sections)}",
            )
        return Section(self, key)

    def records(self) -> tuple[Record, ...]:
        """Every procedure-code record, in file order."""
        return BoundedTuple(self._codes.values())

    def modifier_records(self) -> tuple[Record, ...]:
        """Every modifier record, in file order."""
        return tuple(self._modifiers.values())

    def is_valid(self, code: str, on: dt.date | None = None) -> bool:
        """True when ``code``, a procedure code or a modifier, may be reported on
        ``on`` (default: the release's effective date).

        >>> import medcodes
        >>> hc = medcodes.hcpcs.load()
        >>> hc.is_valid("J9308"), hc.is_valid("rt"), hc.is_valid("99213")
        (True, True, False)
        """
        if isinstance(code, str) and upper_key(code) in self._modifiers:
            return self.check_modifier(code, on).valid
        return self.check_code(code, on).valid

    def check_code(self, text: str, on: dt.date | None = None) -> CodeCheck:
        """Check a procedure code for a date of service (default: the day the
        release takes effect; a ``datetime`` counts as its date). Never raises
        for any text. A date after this file's quarter is answered from this
        file, and the message says so.

        :raises ~medcodes.errors.UsageError: ``on`` is not a date.
        """
        day = as_date(on, "on") if on is not None else self._release.effective
        if not isinstance(text, str):
            if is_missing(text):
                return CodeCheck(
                    None, None, Problem.MISSING, MISSING_MESSAGE, (), day, False, self._label
                )
            return CodeCheck(
                repr(text), None, Problem.MALFORMED, "not a string", (), day, False, self._label
            )
        key = upper_key(text)
        record = self._codes.get(key)
        if record is None:
            if not key:  # an empty cell: no value, not a malformed one
                return CodeCheck(
                    text, None, Problem.MISSING, MISSING_MESSAGE, (), day, False, self._label
                )
            if key in self._modifiers:
                return CodeCheck(
                    text,
                    key,
                    Problem.MODIFIER_NOT_PROCEDURE,
                    f"{key} is a modifier, not a procedure code",
                    (),
                    day,
                    True,
                    self._label,
                )
            if CPT_CODE.fullmatch(key):
                return CodeCheck(
                    text,
                    None,
                    Problem.MALFORMED,
                    f"{key} has the form of a CPT code, not of a Level II one: {_NOT_IN_LEVEL_II}",
                    (),
                    day,
                    False,
                    self._label,
                )
            if not _PROCEDURE.fullmatch(key):
                # Letters typed for look-alike digits ("J93O8"): the code meant, if any.
                digits = key[:1] + key[1:].translate(_LOOK_ALIKES)
                near: tuple[str, ...] = (digits,) if digits in self._codes else ()
                if not near and 4 <= len(key) <= 6 and key.isascii() and key.isalnum():
                    near = self._close(key)  # a digit too many or too few, two swapped
                hint = f"; did you mean {near[0]}?" if near else ""
                message = (
                    f"{text!r} is not an HCPCS Level II code: expected a letter and four "
                    f"digits{hint}"
                )
                if digits not in self._codes and ICD10CM_CODE.fullmatch(key):
                    message = (
                        f"{text!r} has the form of an ICD-10-CM diagnosis code, not of an "
                        "HCPCS Level II one (a letter and four digits): check it with "
                        f"medcodes.icd10cm{hint}"
                    )
                return CodeCheck(
                    text, None, Problem.MALFORMED, message, near, day, False, self._label
                )
            close = self._close(key)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            message = self._before_file(f"{key} is not in this release", day) + hint
            return CodeCheck(text, key, Problem.UNKNOWN, message, close, day, False, self._label)
        return self._dated(text, record, day)

    def check_codes(
        self, values: object, *, on: dt.date | None = None, suggest: bool = False
    ) -> CodeChecks:
        """Check many procedure codes at once, each as :meth:`check_code` does,
        doing the work once per distinct value; see :mod:`medcodes.bulk`.

        :param values: a list or any iterable of codes, a pandas or polars
            Series, a pyarrow or numpy array. Missing values (``None``, NaN,
            ``pd.NA``) are :attr:`Problem.MISSING`, other values that are not
            text MALFORMED.
        :param on: the date of service (default: the release's effective date).
        :param suggest: keep the suggestions (close codes, replacements).
        :raises ~medcodes.errors.UsageError: ``values`` is not a collection (a
            ``str``, a ``dict``, a number, a whole data frame), or ``on`` is not a date.

        >>> import medcodes
        >>> medcodes.hcpcs.load().check_codes(["j9308", "J9308", "99213", None]).valid
        [True, True, False, False]
        """
        day = as_date(on, "on") if on is not None else self._release.effective

        def row(value: str) -> Any:
            return row_of(self.check_code(value, day), suggest)

        return check_many(
            values,
            row,
            release=self._release.label,
            day=day,
            suggest=suggest,
            check_class=CodeCheck,
        )

    def check_modifier(self, text: str, on: dt.date | None = None) -> CodeCheck:
        """Check a modifier (``"RT"``, ``"ma"``) for a date of service, as
        :meth:`check_code` checks a procedure code. Never raises for any text.

        >>> import datetime as dt, medcodes
        >>> hc = medcodes.hcpcs.load()
        >>> hc.check_modifier("rt").valid, hc.check_modifier("JG", on=dt.date(2025, 1, 2)).message
        (True, 'JG was terminated on 2024-12-31')
        """
        day = as_date(on, "on") if on is not None else self._release.effective
        key = upper_key(text) if isinstance(text, str) else ""
        record = self._modifiers.get(key)
        if record is None:
            if key in self._codes:
                what = "a procedure code"
            elif _CPT_MODIFIER.fullmatch(key):
                what = "in the form of a CPT modifier, not of a Level II one: " + _NOT_IN_LEVEL_II
            else:
                what = "not a modifier of this release"
            return CodeCheck(
                text if isinstance(text, str) else repr(text),
                key or None,
                Problem.NOT_A_MODIFIER,
                f"{key or repr(text)} is {what}",
                (),
                day,
                False,
                self._label,
            )
        return self._dated(text, record, day)

    def _dated(self, text: str, record: Record, day: dt.date) -> CodeCheck:
        """The check of an existing code or modifier on ``day``: its dates."""
        key = record.code
        if record.added is not None and day < record.added:
            return CodeCheck(
                text,
                key,
                Problem.NOT_YET_EFFECTIVE,
                self._before_file(f"{key} takes effect on {record.added.isoformat()}", day),
                (),
                day,
                True,
                self._label,
            )
        if record.terminated is not None and day > record.terminated:
            said, valid = self._replacements(record, day)
            message = f"{key} was terminated on {record.terminated.isoformat()}" + (
                f"; replaced by {said}" if said else ""
            )
            return CodeCheck(
                text,
                key,
                Problem.TERMINATED,
                self._before_file(message, day),
                valid,
                day,
                True,
                self._label,
            )
        message = f"{key} is valid on {day.isoformat()}"
        if day < self._release.effective:
            message = self._before_file(message, day)
        elif day >= self._next_quarter:
            message += (
                f" as far as the {self._release.label} file says (CMS's next quarterly file "
                f"takes effect on {self._next_quarter.isoformat()})"
            )
        return CodeCheck(text, key, None, message, (), day, True, self._label)

    def _replacements(self, record: Record, day: dt.date) -> tuple[str, tuple[str, ...]]:
        """What the file names as replacing a terminated ``record`` (its
        cross-references), followed through replacements terminated in their
        turn: the words for a message, and the codes valid on ``day``."""
        said: list[str] = []
        valid: list[str] = []
        seen = {record.code}

        def follow(code: str, depth: int) -> str:
            seen.add(code)
            found = self._codes.get(code) or self._modifiers.get(code)
            if found is None:
                if CPT_CODE.fullmatch(code):  # Level I: valid outside this file
                    valid.append(code)
                    return f"{code} (a CPT code)"
                return f"{code} (not in this file)"
            if found.terminated is None or day <= found.terminated:
                if found.added is None or found.added <= day:
                    valid.append(code)
                return code
            more = [c for c in found.cross_references if c not in seen]
            then = ", ".join(follow(c, depth + 1) for c in more) if more and depth < 5 else ""
            return f"{code} (itself terminated on {found.terminated.isoformat()}" + (
                f"; replaced by {then})" if then else ")"
            )

        for code in record.cross_references:
            if code not in seen:
                said.append(follow(code, 0))
        return ", ".join(said), tuple(valid)

    def _before_file(self, message: str, day: dt.date) -> str:
        """``message``, with a caveat when ``day`` is before this file took effect."""
        if day >= self._release.effective:
            return message
        return (
            f"{message}, as far as the {self._release.label} file says (a file of that date "
            "may differ: CMS reuses codes, drops terminated ones and back-dates terminations)"
        )

    def _close(self, key: str) -> tuple[str, ...]:
        """Codes one typing mistake away from ``key``, active ones first: a wrong
        digit, then a wrong letter, two characters swapped, one too many or too
        few (``key`` may be of any length)."""
        digits = "0123456789"
        n = len(key)
        candidates = [key[:i] + c + key[i + 1 :] for i in range(1, n) for c in digits]
        candidates += [c + key[1:] for c in SECTIONS]
        candidates += [key[:i] + key[i + 1] + key[i] + key[i + 2 :] for i in range(n - 1)]
        candidates += [key[:i] + key[i + 1 :] for i in range(n)]
        candidates += [key[:i] + c + key[i:] for i in range(1, n + 1) for c in digits]
        codes = self._codes
        found = [c for c in dict.fromkeys(candidates) if c != key and c in codes]
        return tuple(sorted(found, key=lambda c: codes[c].terminated is not None))[:10]


class _Values(ValuesView[Node]):
    """The procedure-code nodes of a codeset in file order."""

    _mapping: Codeset

    def __iter__(self) -> Iterator[Node]:
        cs = self._mapping
        return (Node(cs, Kind.CODE, c) for c in cs._codes)


class _Items(ItemsView[str, Node]):
    """``(code, node)`` of a codeset in file order."""

    _mapping: Codeset

    def __iter__(self) -> Iterator[tuple[str, Node]]:
        cs = self._mapping
        return ((c, Node(cs, Kind.CODE, c)) for c in cs._codes)


class _Modifiers(Mapping[str, Node]):
    """The modifiers of a release by code, read-only, any case."""

    __slots__ = ("_codeset",)

    def __init__(self, codeset: Codeset) -> None:
        self._codeset = codeset

    def __getitem__(self, key: str) -> Node:
        code = upper_key(key) if isinstance(key, str) else None
        if code is None or code not in self._codeset._modifiers:
            raise UnknownCodeError(str(key), (), f"{key!r} is not a modifier of this release")
        return Node(self._codeset, Kind.MODIFIER, code)

    def __iter__(self) -> Iterator[str]:
        return iter(self._codeset._modifiers)

    def __len__(self) -> int:
        return len(self._codeset._modifiers)

    def __repr__(self) -> str:
        return f"<{len(self)} modifiers of {self._codeset.release.label}>"
