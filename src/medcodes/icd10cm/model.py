"""The ICD-10-CM data model: frozen value classes shared by the parsers and the codeset."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator
from typing import TYPE_CHECKING

from attrs import field, frozen

from .._args import as_enum
from .._dates import as_date
from .._repr import bounded
from ..catalog import _next_effective
from ..sources import SourceFile

if TYPE_CHECKING:
    from .references import CodeRef

__all__ = [
    "IntroSection",
    "Kind",
    "Note",
    "NoteKind",
    "Notes",
    "Release",
    "SectionRef",
    "SeventhCharacter",
    "SeventhCharacterRule",
]


class Kind(enum.StrEnum):
    """The level of a node in the ICD-10-CM hierarchy.

    ``CODE`` is any node that may be reported on a claim (billable, "valid for
    HIPAA-covered transactions"), whatever its length: a category without
    subdivisions such as ``I10`` is a ``CODE``. ``CATEGORY`` is a 3-character
    header, ``SUBCATEGORY`` a longer header (including a code that still needs
    its 7th character, such as ``S72.001``).
    """

    CHAPTER = "chapter"
    BLOCK = "block"
    CATEGORY = "category"
    SUBCATEGORY = "subcategory"
    CODE = "code"


class NoteKind(enum.StrEnum):
    """The kinds of instructional note, named as the tabular XML elements are."""

    INCLUDES = "includes"
    INCLUSION_TERM = "inclusionTerm"
    EXCLUDES1 = "excludes1"
    EXCLUDES2 = "excludes2"
    CODE_FIRST = "codeFirst"
    USE_ADDITIONAL_CODE = "useAdditionalCode"
    CODE_ALSO = "codeAlso"
    NOTES = "notes"
    SEVENTH_CHARACTER_NOTE = "sevenChrNote"


@bounded
@frozen
class Note:
    """One ``<note>`` of an instructional element, with its official text unchanged.

    :ivar kind: the instructional element it belongs to.
    :ivar text: the official text, exactly (leading tabs and typos kept).
    :ivar heading: the text of the lead-in note it continues, when the file
        flattens a list: under ``G63`` the excludes1 note "diabetes mellitus
        (E08-E13 with .42)" has the heading "polyneuropathy (in):".

    >>> from medcodes.icd10cm import Note, NoteKind
    >>> note = Note(NoteKind.EXCLUDES1, "type 1 diabetes mellitus (E10.-)")
    >>> note.kind.value, [r.text for r in note.refs]
    ('excludes1', ['E10.-'])
    """

    kind: NoteKind
    text: str
    heading: str | None = None

    @property
    def refs(self) -> tuple[CodeRef, ...]:
        """The code references in the text, parsed (see
        :func:`~medcodes.icd10cm.parse_references`); resolve them with
        :meth:`Codeset.resolve <medcodes.icd10cm.Codeset.resolve>`."""
        from .references import parse_references

        return parse_references(self.text)

    @property
    def is_heading(self) -> bool:
        """The note only introduces the notes after it (its text ends with ``:``)."""
        return self.text.rstrip().endswith(":")


@bounded
@frozen
class Notes:
    """The instructional notes declared on one node, in file order.

    Iterating gives every :class:`Note`; the properties give the notes of one
    kind. These are the node's *own* notes; notes inherited from ancestors are
    a matter of the guidelines logic.

    >>> import medcodes
    >>> notes = medcodes.icd10cm.load()["E11"].notes
    >>> len(list(notes)), len(notes.includes), notes.excludes1[-1].text
    (16, 3, 'type 1 diabetes mellitus (E10.-)')
    """

    all: tuple[Note, ...] = ()

    def __iter__(self) -> Iterator[Note]:
        return iter(self.all)

    def __len__(self) -> int:
        return len(self.all)

    def __bool__(self) -> bool:
        return bool(self.all)

    def of(self, kind: NoteKind) -> tuple[Note, ...]:
        """The notes of one kind (a :class:`NoteKind` or its value, ``"excludes1"``).

        :raises ~medcodes.errors.UsageError: not a kind of note.
        """
        kind = as_enum(NoteKind, kind, "kind")
        return tuple(n for n in self.all if n.kind is kind)

    @property
    def includes(self) -> tuple[Note, ...]:
        """``includes`` notes."""
        return self.of(NoteKind.INCLUDES)

    @property
    def inclusion_terms(self) -> tuple[Note, ...]:
        """``inclusionTerm`` notes."""
        return self.of(NoteKind.INCLUSION_TERM)

    @property
    def excludes1(self) -> tuple[Note, ...]:
        """``excludes1`` notes."""
        return self.of(NoteKind.EXCLUDES1)

    @property
    def excludes2(self) -> tuple[Note, ...]:
        """``excludes2`` notes."""
        return self.of(NoteKind.EXCLUDES2)

    @property
    def code_first(self) -> tuple[Note, ...]:
        """``codeFirst`` notes."""
        return self.of(NoteKind.CODE_FIRST)

    @property
    def use_additional_code(self) -> tuple[Note, ...]:
        """``useAdditionalCode`` notes."""
        return self.of(NoteKind.USE_ADDITIONAL_CODE)

    @property
    def code_also(self) -> tuple[Note, ...]:
        """``codeAlso`` notes."""
        return self.of(NoteKind.CODE_ALSO)

    @property
    def notes(self) -> tuple[Note, ...]:
        """Free-prose ``notes``."""
        return self.of(NoteKind.NOTES)

    @property
    def seventh_character_note(self) -> tuple[Note, ...]:
        """``sevenChrNote`` prose (the machine-usable list is the node's
        :class:`SeventhCharacterRule`)."""
        return self.of(NoteKind.SEVENTH_CHARACTER_NOTE)


@bounded
@frozen
class SeventhCharacter:
    """One allowed 7th character (an ``<extension>``).

    :ivar char: the character, e.g. ``"A"`` or ``"1"``.
    :ivar label: its official meaning, e.g. ``"initial encounter"``.
    :ivar notes: ``<note>`` texts that follow this extension inside the
        ``sevenChrDef`` (inclusion terms such as "initial encounter for open
        fracture NOS").
    """

    char: str
    label: str
    notes: tuple[str, ...] = ()


@bounded
@frozen
class SeventhCharacterRule:
    """A ``sevenChrDef``: the 7th characters required below the declaring node.

    The nearest declaration on a node or its ancestors applies; a deeper one
    overrides a higher one (``S52.01`` allows only ``ADGKPS`` where ``S52``
    allows 16 characters).

    :ivar declared_on: code (display form) of the declaring node.
    :ivar characters: the allowed characters in file order.
    :ivar notes: notes inside the ``sevenChrDef`` that precede any extension.

    >>> import medcodes
    >>> rule = medcodes.icd10cm.load()["S72.001"].seventh_characters
    >>> rule.declared_on, len(rule.characters), rule.characters[0].label
    ('S72', 16, 'initial encounter for closed fracture')
    """

    declared_on: str
    characters: tuple[SeventhCharacter, ...]
    notes: tuple[str, ...] = ()

    @property
    def chars(self) -> str:
        """The allowed characters as one string, e.g. ``"ADS"``."""
        return "".join(c.char for c in self.characters)

    def get(self, char: str) -> SeventhCharacter | None:
        """The definition of ``char``, or ``None`` when it is not allowed."""
        for c in self.characters:
            if c.char == char:
                return c
        return None


@bounded
@frozen
class IntroSection:
    """One ``<introSection>`` of the tabular's ``<introduction>``: the official
    statement of the conventions (what "Excludes1" means, the placeholder X ...).

    :ivar type: the section's ``type`` attribute, as in the file (``"title"``,
        ``"subtitle"``, ``"instruction"``).
    :ivar title: the text of its ``<title>``, exactly.
    :ivar notes: the text of each ``<note>`` of its ``<instruction>``, exactly.

    >>> import medcodes
    >>> intro = medcodes.icd10cm.load().introduction
    >>> [s.title for s in intro[:2]]
    ['ICD-10-CM TABULAR LIST of DISEASES and INJURIES', 'Instructional Notations']
    >>> intro[4].title, intro[4].notes[0][:35]
    ('Excludes1', 'A type 1 Excludes note is a pure ex')
    """

    type: str
    title: str
    notes: tuple[str, ...] = ()


@bounded
@frozen
class SectionRef:
    """One entry of a chapter's ``<sectionIndex>``: a block as the chapter's
    table of contents lists it. Its title may be worded differently from the
    block's own ``<desc>`` (three are in April 2026).

    :ivar id: the block's range, e.g. ``"A00-A09"`` (the ``id`` attribute).
    :ivar first: the first category of the range (``first``).
    :ivar last: the last category of the range (``last``).
    :ivar title: the entry's text, without the line breaks and indentation
        around it.

    >>> import medcodes
    >>> ref = medcodes.icd10cm.load().chapter(1).section_index[0]
    >>> ref.id, ref.first, ref.last, ref.title
    ('A00-A09', 'A00', 'A09', 'Intestinal infectious diseases')
    """

    id: str
    first: str
    last: str
    title: str


def _fy_start(fiscal_year: int) -> dt.date:
    return dt.date(fiscal_year - 1, 10, 1)


@bounded
@frozen
class Release:
    """Which release a codeset holds, and the files it came from.

    A release is identified by its fiscal year *and* effective date: the
    April 1 update of a fiscal year carries the same ``<version>`` as the
    October release.

    >>> import datetime as dt
    >>> from medcodes.icd10cm import Release
    >>> r = Release("ICD-10-CM", 2026, dt.date(2026, 4, 1), ())
    >>> r.label
    'ICD-10-CM FY2026 (effective 2026-04-01)'
    >>> r.valid_through
    datetime.date(2026, 9, 30)
    """

    system: str
    fiscal_year: int
    effective: dt.date
    sources: tuple[SourceFile, ...] = field(default=())

    @property
    def valid_through(self) -> dt.date:
        """Last day of the fiscal year (the release may be replaced earlier by
        an April update)."""
        return dt.date(self.fiscal_year, 9, 30)

    def in_force(self, day: dt.date) -> bool:
        """Whether this is the release in force on ``day`` (a date of service):
        from its effective date to the end of its fiscal year, unless a later
        release of the catalog (:mod:`medcodes.catalog`), such as an April 1
        update, replaces it earlier.

        >>> r = Release("ICD-10-CM", 2026, dt.date(2025, 10, 1), ())
        >>> days = dt.date(2025, 9, 30), dt.date(2026, 3, 31), dt.date(2026, 4, 1)
        >>> [r.in_force(d) for d in days]
        [False, True, False]
        """
        day = as_date(day, "day")
        nxt = _next_effective("icd10cm", self.effective)
        end = self.valid_through if nxt is None else min(self.valid_through, nxt - dt.timedelta(1))
        return self.effective <= day <= end

    @property
    def is_april_update(self) -> bool:
        """True for an April 1 update of the fiscal year."""
        return self.effective > _fy_start(self.fiscal_year)

    @property
    def label(self) -> str:
        """A short human label."""
        return f"{self.system} FY{self.fiscal_year} (effective {self.effective.isoformat()})"
