"""The Table of Drugs and Chemicals and the Table of Neoplasms.

Both tables ship in every ICD-10-CM release as XML files with the root element
``<ICD10CM.index>``: an ``<indexHeading>`` names seven columns (the row title,
then six codes), and each ``<mainTerm>`` / nested ``<term level="n">`` is a
row whose ``<cell col="2..7">`` hold a code or ``--`` (``-`` in the neoplasm
table) for none. A drug table's codes never carry the 7th character (and 778
of them stop at 5 characters, ``T58.11``): :meth:`Table.lookup` completes them
with the placeholder ``X`` and the 7th character, checked against the tabular.

The XML is parsed as the tabular is: no entities, no DTD, no network, a bound
on size, and a :class:`~medcodes.errors.ParseError` naming file and line.
The tutorial page "From a term to a code: the tables" shows them at work.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator, Sequence
from typing import Any

from attrs import frozen

from .._args import text_arg
from .._gc import paused_gc
from .._repr import bounded
from ..errors import ParseError, UsageError
from ..sources import (
    PathArg,
    SourceFile,
    _candidates,
    _check_max_bytes,
    _no_match,
    _path,
    _pick,
    _read,
)
from .hierarchy import BILLABLE
from .tabular import _parse_root

__all__ = [
    "CellChange",
    "CellRef",
    "DrugColumn",
    "NeoplasmColumn",
    "Table",
    "TableCheck",
    "TableDiff",
    "TableKind",
    "TableRow",
    "diff_tables",
    "load_drugs",
    "load_neoplasms",
    "load_table",
]

ROOT_TAG = "ICD10CM.index"
#: Official names of the table files (CDC shipped the April 2024 drug table as
#: ``icd10cm-drug-April-2024.txt``, an XML under a text name).
DRUG_NAME = re.compile(r"(?i)icd10cm[-_ ]drug.*\.(xml|txt)(\.gz|\.xz)?$")
NEOPLASM_NAME = re.compile(r"(?i)icd10cm[-_ ]neoplasm.*\.(xml|txt)(\.gz|\.xz)?$")
#: Largest table file read by default: about eight times the biggest official one.
MAX_BYTES_TABLE = 16 << 20
_MAX_LEVEL = 32  # the official tables nest 4 deep; a bound against hostile input


class TableKind(enum.StrEnum):
    """Which table a file holds."""

    DRUGS = "drugs"
    NEOPLASMS = "neoplasms"


class DrugColumn(enum.StrEnum):
    """The six code columns of the Table of Drugs and Chemicals, in file order."""

    ACCIDENTAL = "poisoning accidental"
    SELF_HARM = "intentional self-harm"
    ASSAULT = "assault"
    UNDETERMINED = "undetermined"
    ADVERSE_EFFECT = "adverse effect"
    UNDERDOSING = "underdosing"


class NeoplasmColumn(enum.StrEnum):
    """The six code columns of the Table of Neoplasms, in file order."""

    MALIGNANT_PRIMARY = "malignant primary"
    MALIGNANT_SECONDARY = "malignant secondary"
    IN_SITU = "carcinoma in situ"
    BENIGN = "benign"
    UNCERTAIN = "uncertain behavior"
    UNSPECIFIED = "unspecified behavior"


Column = DrugColumn | NeoplasmColumn
_COLUMNS: dict[TableKind, tuple[Column, ...]] = {
    TableKind.DRUGS: tuple(DrugColumn),
    TableKind.NEOPLASMS: tuple(NeoplasmColumn),
}
#: Words of the official ``<head col="1">`` of each table.
_FIRST_HEAD = {"substance": TableKind.DRUGS, "neoplasm": TableKind.NEOPLASMS}
#: A cell's code as written: a category, optionally a dot and 1-3 characters,
#: optionally a trailing "-" (more characters to choose).
_CELL_CODE = re.compile(r"[A-Z][0-9A-Z]{2}(?:\.[0-9A-Z]{0,3})?-?")
_NO_CODE = frozenset({"-", "--"})


@bounded
@frozen
class TableRow:
    """One row of a table: a main term (``level`` 0) or a term nested under one.

    :ivar title: the essential words, without the non-essential modifiers
        (``"Acid NEC"`` for the official "Acid (corrosive) NEC").
    :ivar text: the title as printed, modifiers in place (``"Acid (corrosive) NEC"``).
    :ivar nemod: the non-essential modifiers, in parentheses as printed, or
        ``None``.
    :ivar level: 0 for a main term, 1 for a term under it, ...
    :ivar path: the printed titles (``text``) from the main term down to
        this row: what names it in :meth:`Table.get` and :func:`diff_tables`.
    :ivar codes: one code per column, in column order, as written
        (``"T39.1X5"``, ``"C79.8-"``), ``None`` where the table has none.
    :ivar see: the ``see`` cross-reference, or ``None``.
    :ivar see_also: the ``see also`` cross-reference, or ``None``.
    :ivar index: the row's position in :attr:`Table.rows`.
    :ivar parent: the ``index`` of the row above it, ``None`` for a main term.
    :ivar line: the line of its ``<title>`` in the file.
    :ivar manif: the text of a ``<manif>`` element, or ``None`` (one row of the
        Table of Neoplasms has one: "book-leaf (mouth)", qualified as "ventral
        surface of tongue and floor of mouth").
    """

    title: str
    text: str
    nemod: str | None
    level: int
    path: tuple[str, ...]
    codes: tuple[str | None, ...]
    see: str | None
    see_also: str | None
    index: int
    parent: int | None
    line: int
    manif: str | None = None

    def __str__(self) -> str:
        return " > ".join(self.path)


@bounded
@frozen
class CellRef:
    """One cell of a table: the row's path, the column and the code written there."""

    path: tuple[str, ...]
    column: Column
    code: str

    def __str__(self) -> str:
        return f"{' > '.join(self.path)} [{self.column}]: {self.code}"


@bounded
@frozen
class TableCheck:
    """How the codes of a table resolve against a release (:meth:`Table.check`).

    :ivar table: the table's file.
    :ivar release: the release's label.
    :ivar cells: how many cells hold a code.
    :ivar complete: codes that are reportable codes of the release as written.
    :ivar incomplete: codes of the release that need more characters (a 7th
        character, the placeholder ``X``, or the characters a trailing ``-``
        asks for).
    :ivar not_found: the cells whose code is no code of the release.
    """

    table: str
    release: str
    cells: int
    complete: int
    incomplete: int
    not_found: tuple[CellRef, ...]

    @property
    def resolved(self) -> int:
        """Codes that name a node of the release (complete or not)."""
        return self.complete + self.incomplete

    def __str__(self) -> str:
        lines = [
            f"{self.table} against {self.release}: {self.cells} codes, "
            f"{self.resolved} resolved ({self.complete} complete, {self.incomplete} incomplete), "
            f"{len(self.not_found)} not found"
        ]
        lines += [f"  not found: {c}" for c in self.not_found]
        return "\n".join(lines)


@bounded
@frozen
class CellChange:
    """A cell whose code differs between two releases of a table."""

    path: tuple[str, ...]
    column: Column
    old: str | None
    new: str | None


@bounded
@frozen
class TableDiff:
    """What changed between two releases of the same table (:func:`diff_tables`).

    :ivar added: paths of the rows only in the new table (printed titles).
    :ivar removed: paths of the rows only in the old table.
    :ivar changed: cells of rows in both whose code differs.
    """

    added: tuple[tuple[str, ...], ...]
    removed: tuple[tuple[str, ...], ...]
    changed: tuple[CellChange, ...]

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per change: ``change`` (``"added"``, ``"removed"``
        or ``"changed"``), ``path`` (titles joined with ``" > "``), ``column``,
        ``old`` and ``new`` (``""`` where there is none), so a pandas or polars
        frame needs no schema."""
        rows = [
            {"change": change, "path": " > ".join(p), "column": "", "old": "", "new": ""}
            for change, paths in (("added", self.added), ("removed", self.removed))
            for p in paths
        ]
        rows += [
            {
                "change": "changed",
                "path": " > ".join(c.path),
                "column": c.column.value,
                "old": c.old or "",
                "new": c.new or "",
            }
            for c in self.changed
        ]
        return rows


def _is_seq(term: object) -> bool:
    return isinstance(term, (tuple, list))


def _key(code: str) -> str:
    """The lookup key of a code as a table writes it (``T39.1X5`` -> ``T391X5``)."""
    return code.replace(".", "", 1) if len(code) > 3 and code[3] == "." else code


_PAREN = re.compile(r"\([^()]*\)")
_WORDS = re.compile(r"[^\W_]+")


def _modifier_words(text: str) -> frozenset[str]:
    """The words in parentheses of a title, case folded."""
    return frozenset(_WORDS.findall(" ".join(_PAREN.findall(text)).casefold()))


def _norm(text: str) -> str:
    """A title as a lookup key: words separated by one space, case folded."""
    return " ".join(text.split()).casefold()


class _Data:
    """A parsed table file (shared, never changed, by every bound :class:`Table`)."""

    __slots__ = ("_by_key", "headings", "kind", "rows", "source", "version")

    def __init__(
        self,
        kind: TableKind,
        version: int,
        headings: tuple[str, ...],
        rows: tuple[TableRow, ...],
        source: SourceFile,
    ) -> None:
        self.kind = kind
        self.version = version
        self.headings = headings
        self.rows = rows
        self.source = source
        self._by_key: dict[tuple[int, str], tuple[int, ...]] | None = None

    def by_key(self) -> dict[tuple[int, str], tuple[int, ...]]:
        """Row indices by (parent index, one form of the title), built on first
        use (a lookup table, never changed once built). Parent -1 holds the
        main terms (and, in the Table of Neoplasms, the sites under its one
        main term)."""
        if self._by_key is None:
            self._by_key = self._keys()
        return self._by_key

    def _keys(self) -> dict[tuple[int, str], tuple[int, ...]]:
        # A title is found by its essential words, by its printed form
        # (modifiers in place) or by its essential words then its modifiers.
        neoplasms = self.kind is TableKind.NEOPLASMS
        by_key: dict[tuple[int, str], list[int]] = {}
        for row in self.rows:
            forms = {_norm(row.title), _norm(row.text)}
            if "(" in row.text:  # (some titles print their modifiers as plain text)
                forms.add(_norm(_PAREN.sub(" ", row.text)))
            if row.nemod is not None:
                forms.add(_norm(f"{row.title} {row.nemod}"))
            # ... and without a trailing "NEC" ("Lead" for "Lead (dust) NEC"),
            # as the index finds its terms.
            forms |= {f[:-4] for f in forms if f.endswith(" nec") and len(f) > 4}
            parents = [-1 if row.parent is None else row.parent]
            if neoplasms and row.level == 1:
                parents.append(-1)
            for p in parents:
                for f in forms:
                    by_key.setdefault((p, f), []).append(row.index)
        return {k: tuple(v) for k, v in by_key.items()}


class Table:
    """A Table of Drugs and Chemicals or a Table of Neoplasms: rows (a term and
    the terms nested under it) by six columns of codes. Immutable; get one from
    :func:`load_table` or a release's ``cm.drugs`` / ``cm.neoplasms`` (then it
    is bound to that release, which :meth:`lookup` and :meth:`check` use).

    A row is named by its path of titles, one step per level, matched without
    regard to case or spacing, with or without the non-essential modifiers:
    ``"Acetaminophen"``, ``("Alcohol", "ethyl")``, ``"Carbamate (sedative)"``.
    In the Table of Neoplasms the main term "Neoplasm, neoplastic" may be left
    out: ``("lung", "lower lobe")``.
    """

    __slots__ = ("_codeset", "_data")

    def __init__(self, data: _Data, codeset: Codeset | None = None) -> None:
        object.__setattr__(self, "_data", data)
        object.__setattr__(self, "_codeset", codeset)

    _data: _Data
    _codeset: Codeset | None

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a Table is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("a Table is immutable")

    # -- what it is ----------------------------------------------------------------
    @property
    def kind(self) -> TableKind:
        """Drugs or neoplasms."""
        return self._data.kind

    @property
    def version(self) -> int:
        """The fiscal year in the file's ``<version>``."""
        return self._data.version

    @property
    def source(self) -> SourceFile:
        """The file it was read from (and the SHA-256 of its bytes)."""
        return self._data.source

    @property
    def headings(self) -> tuple[str, ...]:
        """The seven official column heads, as printed (``"Substance"``, ...)."""
        return self._data.headings

    @property
    def columns(self) -> tuple[Column, ...]:
        """The six code columns, in order (:class:`DrugColumn` or :class:`NeoplasmColumn`)."""
        return _COLUMNS[self._data.kind]

    @property
    def rows(self) -> tuple[TableRow, ...]:
        """Every row, in file order (a term before the terms nested under it)."""
        return self._data.rows

    @property
    def codeset(self) -> Codeset | None:
        """The release it is bound to (``None`` for a table loaded alone)."""
        return self._codeset

    def bind(self, codeset: Codeset) -> Table:
        """The same table, bound to ``codeset`` for :meth:`lookup` and :meth:`check`."""
        return Table(self._data, self._release(codeset))

    def __len__(self) -> int:
        return len(self._data.rows)

    def __iter__(self) -> Iterator[TableRow]:
        return iter(self._data.rows)

    def __repr__(self) -> str:
        return f"<Table {self.kind.value} {self.version}: {len(self)} rows>"

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per row, in file order: ``path`` (the printed titles
        joined with ``" > "``), ``level``, one key per column (its value, such
        as ``"adverse effect"``) holding the code as written, then ``see`` and
        ``see_also``; ``""`` where the table has nothing, so every column holds
        one type and a pandas or polars frame needs no schema.

        >>> from medcodes.icd10cm import load_table
        >>> drugs = load_table("tests/data/icd10cm-drug-April-1-2026-XML.xml.xz")
        >>> drugs.to_records()[0]["path"], drugs.to_records()[0]["poisoning accidental"]
        ('1-propanol', 'T51.3X1')
        """
        names = [c.value for c in self.columns]
        return [
            {
                "path": " > ".join(row.path),
                "level": row.level,
                **{n: code or "" for n, code in zip(names, row.codes, strict=True)},
                "see": row.see or "",
                "see_also": row.see_also or "",
            }
            for row in self._data.rows
        ]

    def main_terms(self) -> tuple[TableRow, ...]:
        """The rows of level 0."""
        return tuple(r for r in self._data.rows if r.level == 0)

    def _own(self, row: TableRow) -> TableRow:
        rows = self._data.rows
        if not isinstance(row, TableRow) or not (
            0 <= row.index < len(rows) and rows[row.index] == row
        ):
            raise UsageError(f"not a row of this table: {row!r}")
        return row

    def children(self, row: TableRow) -> tuple[TableRow, ...]:
        """The rows nested directly under ``row``."""
        rows, row = self._data.rows, self._own(row)
        out: list[TableRow] = []
        for i in range(row.index + 1, len(rows)):
            r = rows[i]
            if r.level <= row.level:
                break
            if r.parent == row.index:
                out.append(r)
        return tuple(out)

    def parent(self, row: TableRow) -> TableRow | None:
        """The row ``row`` is nested under (``None`` for a main term)."""
        row = self._own(row)
        return None if row.parent is None else self._data.rows[row.parent]

    def __reduce__(self) -> tuple[Any, ...]:
        return (Table, (self._data, self._codeset))

    # -- rows and codes --------------------------------------------------------------
    def _find(self, term: str | Sequence[str] | TableRow) -> TableRow | None:
        if isinstance(term, TableRow):
            return self._own(term)
        steps = (term,) if isinstance(term, str) else tuple(term) if _is_seq(term) else ()
        if not steps or not all(isinstance(s, str) for s in steps):
            raise UsageError(f"a term is a title or a sequence of titles, not {term!r}")
        hits: tuple[int, ...] = (-1,)
        for step in steps:
            hits = self._step(hits, step)
            if not hits:
                return None
        rows = self._data.rows
        first = rows[hits[0]]
        if len(hits) == 1:
            return first
        # An exact match of the printed title wins ("2,4-D" over "2,4-D
        # (dichlorophen-oxyacetic acid)").
        key = _norm(steps[-1])
        exact = [i for i in hits if _norm(rows[i].text) == key]
        if exact:
            hits, first = tuple(exact), rows[exact[0]]
        if any(
            rows[i].codes != first.codes or _norm(rows[i].text) != _norm(first.text)
            for i in hits[1:]
        ):
            raise UsageError(
                f"{' > '.join(steps)!r} names several rows; say which: "
                + "; ".join(" > ".join(rows[i].path) for i in hits)
            )
        return first  # the same row listed twice (1-propanol under # and under P)

    def _step(self, parents: tuple[int, ...], step: str) -> tuple[int, ...]:
        """The rows under ``parents`` that one typed step names."""
        by_key = self._data.by_key()
        key = _norm(step)
        if len(parents) == 1:
            hits = by_key.get((parents[0], key), ())
        else:
            hits = tuple(i for p in parents for i in by_key.get((p, key), ()))
        if hits or "(" not in step:
            return hits
        # Typed modifiers are not needed ("Insulin (NPH)" finds "Insulin
        # (amorphous) ... (NPH) ..."); they only choose among rows that share
        # the essential words, as a subset of a row's modifiers.
        essential = _norm(_PAREN.sub(" ", step))
        hits = tuple(dict.fromkeys(i for p in parents for i in by_key.get((p, essential), ())))
        if len(hits) > 1:
            typed = _modifier_words(step)
            rows = self._data.rows
            narrowed = tuple(i for i in hits if typed <= _modifier_words(rows[i].text))
            hits = narrowed or hits
        return hits

    def get(self, term: str | Sequence[str] | TableRow) -> TableRow | None:
        """The row ``term`` names, or ``None``."""
        return self._find(term)

    def __contains__(self, term: object) -> bool:
        if not isinstance(term, (str, tuple, list, TableRow)):
            return False
        if isinstance(term, TableRow):
            rows = self._data.rows
            return 0 <= term.index < len(rows) and rows[term.index] == term
        try:
            return self._find(term) is not None
        except UsageError:
            return True  # several rows

    def __getitem__(self, term: str | Sequence[str] | TableRow) -> TableRow:
        """The row ``term`` names.

        :raises KeyError: no row has that path (a :class:`~medcodes.errors.UsageError`
            when it names several rows with different modifiers).
        """
        row = self._find(term)
        if row is None:
            raise KeyError(f"no row {term!r} in the table of {self.kind.value} {self.version}")
        return row

    def column(self, column: str | Column) -> Column:
        """The column named ``column``: a member, or its value or name in any
        case (``"Adverse effect"``, ``"ADVERSE_EFFECT"``; ``behaviour`` for
        ``behavior``)."""
        return self._column(column)[1]

    def _column(self, column: str | Column) -> tuple[int, Column]:
        """The position and member of a column."""
        names = _COLUMN_NAMES[self._data.kind]
        hit = names.get(column) if isinstance(column, str) else None
        if hit is None and isinstance(column, str):
            typed = _norm(column).replace("behaviour", "behavior")
            hit = names.get(typed)
            if hit is None:
                # The file's own heading ("Ca in situ", "Poisoning Accidental
                # (unintentional)"), or words of only one column ("secondary").
                words = frozenset(_WORDS.findall(typed))
                fits = [
                    (i, c)
                    for i, c in enumerate(self.columns)
                    if typed in (_norm(self.headings[i + 1]).replace("behaviour", "behavior"),)
                    or (words and words <= self._column_words(i, c))
                ]
                if len(fits) == 1:
                    hit = fits[0]
        if hit is not None:
            return hit
        raise UsageError(
            f"no column {column!r} in the table of {self.kind.value}; columns: "
            + ", ".join(c.value for c in self.columns)
        )

    def _column_words(self, i: int, column: Column) -> frozenset[str]:
        """The words that name a column: its value, its name, its heading."""
        text = f"{column.value} {column.name.replace('_', ' ')} {self.headings[i + 1]}"
        return frozenset(_WORDS.findall(text.casefold().replace("behaviour", "behavior")))

    def codes(self, term: str | Sequence[str] | TableRow) -> dict[Column, str | None]:
        """The codes of a row by column, as written (``None`` for none).

        :raises KeyError: no such row.
        """
        return dict(zip(self.columns, self[term].codes, strict=True))

    def code(self, term: str | Sequence[str] | TableRow, column: str | Column) -> str | None:
        """The code in one cell, as written (``None`` for none)."""
        return self[term].codes[self._column(column)[0]]

    def lookup(
        self,
        term: str | Sequence[str] | TableRow,
        column: str | Column,
        *,
        encounter: str | None = None,
        codeset: Codeset | None = None,
    ) -> Node:
        """The reportable code for a row and column, as a node of the release:
        the placeholder ``X`` and the 7th character (``encounter``: ``"A"``
        initial, ``"D"`` subsequent, ``"S"`` sequela) added where the tabular
        requires them.

        :param codeset: the release to complete and check the code in (default:
            the one the table is bound to).
        :raises KeyError: no such row.
        :raises ~medcodes.errors.UsageError: the cell is empty, the code needs a
            7th character and none (or one the tabular does not allow) was
            given, it takes none and one was, or it needs characters the table
            does not give (a trailing ``-``).
        """
        cs = self._release(codeset)
        row = self[term]
        i, col = self._column(column)
        written = row.codes[i]
        if written is not None and isinstance(encounter, str):
            # The usual case first: a code of the release once completed (the
            # tabular generated it from its 7th-character rule, or the order
            # file lists it).
            codes, flags = cs._store.codes, cs._store.flags
            k = codes.get(_key(written))
            if k is not None and not flags[k] & BILLABLE:
                j = codes.get(cs._store.keys[k].ljust(6, "X") + encounter.upper())
                if j is not None and flags[j] & BILLABLE:
                    return cs._node(j)
        where = f"{' > '.join(row.path)} [{col}]"
        if written is None:
            raise UsageError(f"{where}: the table has no code there")
        if written.endswith("-"):
            node = cs.get(written[:-1])
            below = () if node is None else tuple(n for n in node.descendants() if n.billable)
            error = UsageError(
                f"{where}: {written} is incomplete; choose among "
                + ", ".join(n.code for n in below[:12])
                + (f" and {len(below) - 12} more" if len(below) > 12 else "")
                + " (the exception's .completions has them all)"
            )
            error.completions = tuple(n.code for n in below)  # type: ignore[attr-defined]
            raise error
        node = cs.get(written)
        if node is None:
            raise UsageError(f"{where}: {written} is not a code of {cs.release.label}")
        if encounter is not None:
            encounter = text_arg(encounter, "encounter").strip().upper()
        if node.billable:
            if encounter:
                raise UsageError(f"{where}: {node.code} is complete; it takes no 7th character")
            return node
        key = node.key
        if not encounter:
            rule = node.seventh_characters
            chars = f" ({', '.join(rule.chars)})" if rule is not None else ""
            raise UsageError(f"{where}: {node.code} needs a 7th character{chars}: pass encounter=")
        if len(encounter) != 1:
            raise UsageError(f"encounter is one character such as 'A', not {encounter!r}")
        rule = node.seventh_characters
        if rule is not None and encounter not in rule.chars:
            raise UsageError(
                f"{where}: {node.code} takes a 7th character among {', '.join(rule.chars)}, "
                f"not {encounter!r}"
            )
        full = cs.get(key.ljust(6, "X") + encounter)
        if full is None or not full.billable:
            raise UsageError(
                f"{where}: {key[:3]}.{key[3:].ljust(3, 'X')}{encounter} is not a reportable "
                f"code of {cs.release.label}"
            )
        return full

    def _release(self, codeset: Codeset | None) -> Codeset:
        if codeset is None and self._codeset is not None:
            return self._codeset  # (checked when bound)
        cs = codeset if codeset is not None else self._codeset
        if cs is None:
            raise UsageError(
                "this table is bound to no release: pass codeset= (or load it with its release)"
            )
        if not isinstance(cs, Codeset):
            raise UsageError(f"expected an ICD-10-CM Codeset, not {cs!r}")
        return cs

    # -- validation ------------------------------------------------------------------
    def check(self, codeset: Codeset | None = None) -> TableCheck:
        """Resolve every cell's code against a release (default: the bound one)."""
        cs = self._release(codeset)
        store = cs._store
        codes, flags = store.codes, store.flags

        cells = complete = incomplete = 0
        missing: list[CellRef] = []
        columns = self.columns
        seen: dict[str, int] = {}  # code -> 0 not found, 1 incomplete, 2 complete
        for row in self._data.rows:
            for col, written in zip(columns, row.codes, strict=True):
                if written is None:
                    continue
                cells += 1
                state = seen.get(written)
                if state is None:
                    dash = written.endswith("-")
                    i = codes.get(_key(written[:-1] if dash else written))
                    state = 0 if i is None else 2 if flags[i] & BILLABLE and not dash else 1
                    seen[written] = state
                if state == 2:
                    complete += 1
                elif state == 1:
                    incomplete += 1
                else:
                    missing.append(CellRef(row.path, col, written))
        return TableCheck(
            str(self.source), cs.release.label, cells, complete, incomplete, tuple(missing)
        )


def _by_path(table: Table) -> dict[tuple[str, ...], TableRow]:
    out: dict[tuple[str, ...], TableRow] = {}
    for row in table.rows:
        out.setdefault(row.path, row)  # (the first of a row listed twice)
    return out


def diff_tables(old: Table, new: Table) -> TableDiff:
    """Rows added and removed, and codes changed, from ``old`` to ``new`` (two
    releases of the same table). Rows are matched by their printed path.

    :raises ~medcodes.errors.UsageError: the tables are not of the same kind.
    """
    if not isinstance(old, Table) or not isinstance(new, Table):
        raise UsageError("diff_tables() compares two Tables")
    if old.kind is not new.kind:
        raise UsageError(f"cannot compare a table of {old.kind} with one of {new.kind}")
    a, b = _by_path(old), _by_path(new)
    changed: list[CellChange] = []
    for path, row in b.items():
        before = a.get(path)
        if before is None:
            continue
        for col, x, y in zip(new.columns, before.codes, row.codes, strict=True):
            if x != y:
                changed.append(CellChange(path, col, x, y))
    return TableDiff(
        tuple(p for p in b if p not in a), tuple(p for p in a if p not in b), tuple(changed)
    )


# -- parsing ---------------------------------------------------------------------------
def _element_text(el: Any) -> str:
    return "".join(el.itertext())


def _one_line(text: str) -> str:
    return " ".join(text.split())


def parse_table(data: bytes, label: str, source: SourceFile) -> _Data:
    """Parse the bytes of a drug or neoplasm table XML; ``label`` names the file."""
    root, version = _parse_root(data, label, ROOT_TAG, "a drug or neoplasm table")
    heading = root.find("indexHeading")
    if heading is None:
        raise ParseError(
            "no <indexHeading>: an index, not a table (read it with the index reader)",
            file=label,
            line=root.sourceline,
        )
    heads: dict[int, str] = {}
    for h in heading.iterchildren("head"):
        col = _col(h, label)
        if col in heads:
            raise ParseError(f'a second <head col="{col}">', file=label, line=h.sourceline)
        heads[col] = _one_line(_element_text(h))
    if sorted(heads) != list(range(1, 8)):
        raise ParseError(
            f"<indexHeading> has columns {sorted(heads)}, expected 1 to 7",
            file=label,
            line=heading.sourceline,
        )
    kind = _FIRST_HEAD.get(heads[1].casefold())
    if kind is None:
        raise ParseError(
            f"first column is {heads[1]!r}: neither a Table of Drugs (Substance) "
            "nor a Table of Neoplasms (Neoplasm)",
            file=label,
            line=heading.sourceline,
        )
    parser = _RowParser(label)
    for letter in root.iterchildren("letter"):
        for main in letter.iterchildren("mainTerm"):
            parser.rows(main, 0, (), None)
    if not parser.out:
        raise ParseError("no <mainTerm> rows (truncated or wrong file?)", file=label)
    headings = tuple(heads[c] for c in range(1, 8))
    return _Data(kind, int(version), headings, tuple(parser.out), source)


def _col(el: Any, label: str) -> int:
    text = el.get("col") or ""
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= 7:
        raise ParseError(
            f'<{el.tag} col="{text}">: expected a column 1 to 7', file=label, line=el.sourceline
        )
    return int(text)


_CELL_INDEX = {str(c): c - 2 for c in range(2, 8)}
#: Each column by its value and by its lower-case name: (position, member).
_COLUMN_NAMES: dict[TableKind, dict[str, tuple[int, Column]]] = {
    kind: {name: (i, c) for i, c in enumerate(cols) for name in (c.value, c.name.lower())}
    for kind, cols in _COLUMNS.items()
}
_LEVELS = [str(i) for i in range(_MAX_LEVEL + 1)]


class _RowParser:
    """Appends the rows of a table file in document order; a cell's text is
    checked once per distinct text (codes repeat from row to row)."""

    __slots__ = ("cells", "label", "out", "seen")

    def __init__(self, label: str) -> None:
        self.label = label
        self.out: list[TableRow] = []
        self.cells: dict[str | None, str | None] = {}
        self.seen: dict[tuple[int | None, str], TableRow] = {}

    def _error(self, message: str, el: Any) -> ParseError:
        return ParseError(message, file=self.label, line=el.sourceline)

    def rows(self, el: Any, level: int, above: tuple[str, ...], parent: int | None) -> None:
        if level > _MAX_LEVEL:
            raise self._error(f"terms nested over {_MAX_LEVEL} deep", el)
        if level and el.get("level") != _LEVELS[level]:
            raise self._error(f'<term level="{el.get("level")}"> at depth {level}', el)
        title_el = None
        see = see_also = manif = None
        codes: list[str | None] = [None] * 6
        filled = 0
        subterms: list[Any] = []
        cells, cols = self.cells, _CELL_INDEX
        for c in el:
            tag = c.tag
            if tag == "cell":
                j = cols.get(c.get("col"), -1)
                if j < 0:
                    _col(c, self.label)  # names what is wrong
                    raise self._error('<cell col="1">: the first column is the title', c)
                bit = 1 << j
                if filled & bit:
                    raise self._error(f'a second <cell col="{j + 2}">', c)
                filled |= bit
                text = _element_text(c) if len(c) else c.text  # (markup: <new>, <old>)
                if text in cells:
                    codes[j] = cells[text]
                else:
                    codes[j] = cells[text] = self._cell(text or "", c)
            elif tag == "term":
                subterms.append(c)
            elif tag == "title":
                if title_el is not None:
                    raise self._error("a second <title>", c)
                title_el = c
            elif tag == "see":
                see = _one_line(_element_text(c)) or None
            elif tag == "seeAlso":
                see_also = _one_line(_element_text(c)) or None
            elif tag == "manif":
                manif = _one_line(_element_text(c)) or None
            elif isinstance(tag, str):
                raise self._error(f"unexpected <{tag}> in a <{el.tag}>", c)
        if title_el is None:
            raise self._error(f"<{el.tag}> without a <title>", el)
        title = title_el.text
        if len(title_el) or not (
            title and title.isprintable() and "  " not in title and title.strip() == title
        ):
            title, text, nemod = self._title(title_el)
        else:  # (most titles: one line of plain text)
            text, nemod = title, None
        path = (*above, text)
        out = self.out
        index = len(out)
        codes_t = tuple(codes)
        row = TableRow(
            title, text, nemod, level, path, codes_t, see, see_also, index, parent,
            title_el.sourceline, manif,
        )  # fmt: skip
        # Two rows of one title under one parent must say the same (the
        # official drug table lists "1-propanol" under "#" and under "P"): a
        # row that contradicts another of its title is refused.
        same = self.seen.setdefault((parent, " ".join(text.casefold().split())), row)
        if same is not row and (same.codes, same.see, same.see_also) != (codes_t, see, see_also):
            raise self._error(
                f"row {' > '.join(path)!r} is given twice with different codes or "
                f"references (first at line {same.line})",
                title_el,
            )
        out.append(row)
        for t in subterms:
            self.rows(t, level + 1, path, index)

    def _title(self, el: Any) -> tuple[str, str, str | None]:
        """The essential words, the printed title and the modifiers of a ``<title>``."""
        if not len(el):
            title = el.text or ""
            if not (title.isprintable() and "  " not in title and title.strip() == title):
                title = _one_line(title)
            if not title:
                raise self._error("an empty <title>", el)
            return title, title, None
        essential = [el.text or ""]
        printed = [el.text or ""]
        nemods: list[str] = []
        for c in el:
            if c.tag == "nemod":
                nemods.append(_one_line(_element_text(c)))
                printed.append(nemods[-1])
            elif isinstance(c.tag, str):
                raise self._error(f"unexpected <{c.tag}> in a <title>", c)
            essential.append(c.tail or "")
            printed.append(c.tail or "")
        title = _one_line(" ".join(essential)).replace(" ,", ",")
        if not title:
            raise self._error("a <title> with no essential words", el)
        nemod = " ".join(n for n in nemods if n) or None
        text = _one_line(" ".join(printed)).replace(" ,", ",") if nemod else title
        return title, text, nemod

    def _cell(self, raw: str, el: Any) -> str | None:
        text = _one_line(raw)
        if text in _NO_CODE:
            return None
        code = text.upper()
        if not _CELL_CODE.fullmatch(code):
            raise self._error(f"cell holds {text!r}, not a code or '--'", el)
        return code


# -- loading ---------------------------------------------------------------------------
def load_table(
    path: PathArg,
    *,
    kind: TableKind | str | None = None,
    codeset: Codeset | None = None,
    max_bytes: int = MAX_BYTES_TABLE,
) -> Table:
    """Read a Table of Drugs and Chemicals or a Table of Neoplasms.

    :param path: the XML file (also ``.gz``/``.xz``, or CDC's April 2024
        ``icd10cm-drug-April-2024.txt``), or a folder or zip holding one.
    :param kind: ``"drugs"`` or ``"neoplasms"``: which table to take from a
        folder or zip holding both, and what the file must be.
    :param codeset: the release to bind the table to (see :meth:`Table.bind`).
    :param max_bytes: refuse a file larger than this (after decompression).
    :raises ~medcodes.errors.ParseError: the file is malformed, hostile or not a table.
    :raises ~medcodes.errors.SourceError: no (or several) table files found.
    """

    max_bytes = _check_max_bytes(max_bytes)
    want = None
    if kind is not None:
        try:
            want = TableKind(kind)
        except ValueError:
            raise UsageError(f"kind is 'drugs' or 'neoplasms', not {kind!r}") from None
    where = _path(path)
    cands, single = _candidates(where)
    if single:
        cand = cands[0]
    else:
        patterns = [(TableKind.DRUGS, DRUG_NAME), (TableKind.NEOPLASMS, NEOPLASM_NAME)]
        found = [
            (k, c)
            for k, p in patterns
            if want in (None, k) and (c := _pick(cands, p, f"a table of {k}", str(where)))
        ]
        if not found:
            raise _no_match(cands, "ICD-10-CM drug or neoplasm table", str(where))
        if len(found) > 1:
            raise UsageError(f"{where} holds both tables: pass kind='drugs' or kind='neoplasms'")
        cand = found[0][1]
    table = _load(cand, max_bytes)
    if want is not None and table.kind is not want:
        raise ParseError(f"a table of {table.kind}, not of {want}", file=cand.label, line=None)
    return table if codeset is None else table.bind(codeset)


def _load(cand: Any, max_bytes: int) -> Table:
    src = _read(cand, max_bytes)
    with paused_gc():  # ~60,000 small objects, none of them cyclic garbage
        return Table(parse_table(src.data, src.label, src.describe("table")))


def load_drugs(
    path: PathArg, *, codeset: Codeset | None = None, max_bytes: int = MAX_BYTES_TABLE
) -> Table:
    """Read a Table of Drugs and Chemicals: :func:`load_table` with ``kind="drugs"``."""
    return load_table(path, kind=TableKind.DRUGS, codeset=codeset, max_bytes=max_bytes)


def load_neoplasms(
    path: PathArg, *, codeset: Codeset | None = None, max_bytes: int = MAX_BYTES_TABLE
) -> Table:
    """Read a Table of Neoplasms: :func:`load_table` with ``kind="neoplasms"``."""
    return load_table(path, kind=TableKind.NEOPLASMS, codeset=codeset, max_bytes=max_bytes)


# At the end: codeset.py imports this module (at its own end). Imported at run time
# so that the type hints resolve (typing.get_type_hints, the API reference).
from .codeset import Codeset, Node  # noqa: E402
