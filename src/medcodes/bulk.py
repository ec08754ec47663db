"""Checking whole columns of codes at once: :class:`CodeChecks`.

``cm.check_codes(values)`` (ICD-10-CM) and ``hc.check_codes(values)`` (HCPCS)
check a list, a pandas or polars Series, a pyarrow array or any iterable of
codes, doing the work once per distinct value, and return one columnar result
in input order. Each row is what ``check_code`` says of that value, without
the suggestions unless they are asked for (``suggest=True``). Missing values
(``None``, NaN, ``pd.NA``) are :attr:`~medcodes.icd10cm.Problem.MISSING`, any
other value that is not text :attr:`~medcodes.icd10cm.Problem.MALFORMED`.

>>> import medcodes
>>> cm = medcodes.icd10cm.load()
>>> checks = cm.check_codes(["E11.65", "e1165", "E11", None, "E11.65"])
>>> len(checks), checks.valid
(5, [True, True, False, False, True])
>>> checks[2].problem.name, checks[3].problem.name
('NOT_BILLABLE', 'MISSING')
>>> checks.to_records()[1]  # doctest: +NORMALIZE_WHITESPACE
{'text': 'e1165', 'code': 'E11.65', 'valid': True, 'billable': True, 'problem': '',
 'message': 'E11.65 is a valid code'}

pandas, polars and pyarrow are imported only by the methods that return their
objects (:meth:`~medcodes.CodeChecks.to_pandas` and the like), or when such an object is
given: ``import medcodes`` never imports them.
"""

from __future__ import annotations

import datetime as dt
import enum
import html
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import compress, repeat
from operator import add, is_, not_
from typing import Any, Protocol, overload

from attrs import field, frozen

from ._args import is_missing
from ._gc import paused_gc
from .errors import UsageError

__all__ = ["CodeChecks"]

#: What a row holds: text, code, problem, message, suggestions.
_Row = tuple[str | None, str | None, "enum.Enum | None", str, tuple[str, ...], bool]

#: A row without its text: what a text known in advance gets (see :func:`check_many`).
_Answer = tuple[str | None, "enum.Enum | None", str, tuple[str, ...], bool]

#: The columns of :meth:`CodeChecks.to_records`, in order.
COLUMNS = ("text", "code", "valid", "billable", "problem", "message", "suggestions")


class _Check(Protocol):
    """What both systems' ``CodeCheck`` have (the fields a row keeps)."""

    @property
    def text(self) -> str | None: ...
    @property
    def code(self) -> str | None: ...
    @property
    def problem(self) -> Any: ...
    @property
    def message(self) -> str: ...
    @property
    def exists(self) -> bool: ...
    @property
    def suggestions(self) -> tuple[str, ...]: ...


@frozen
class CodeChecks:
    """The checks of many values, in input order: what ``check_codes`` returns.

    Row ``i`` is the answer of ``check_code`` for the ``i``-th value (``checks[i]``
    is that ``CodeCheck``, without its node). The rows hold codes and messages
    and the release's label, never the codeset: the result pickles small and
    travels between processes. Values that repeat share one row of storage.

    :ivar release: the label of the release checked against
        (``"ICD-10-CM FY2026 (effective 2026-04-01)"``).
    :ivar day: the date of service the values were checked for, if any (HCPCS
        checks always have one: by default the release's effective date).
    :ivar suggested: whether suggestions were built (``suggest=True``); if not,
        every row's suggestions are empty.

    >>> import medcodes
    >>> checks = medcodes.icd10cm.load().check_codes(["I10", "I10.1", "i10"], suggest=True)
    >>> checks.counts()
    {None: 2, <Problem.EXTRA_CHARACTERS: 'extra characters'>: 1}
    >>> checks.suggestions[1][:3]  # the complete code, then codes one typo away
    ('I10', 'I11.0', 'I01.1')
    """

    release: str
    day: dt.date | None
    suggested: bool
    #: One row per distinct value (text, code, problem, message, suggestions, exists).
    _rows: tuple[_Row, ...]
    #: The row of each value, in input order (an ``array("I")``; typed as a
    #: sequence because ``array[int]`` cannot be evaluated at run time before 3.12).
    _index: Sequence[int]
    #: The ``CodeCheck`` class of the code system (for :meth:`__getitem__`).
    _check_class: type
    #: The index of the pandas Series checked (``None`` for any other input):
    #: the index of :meth:`to_pandas`, so that ``frame.join`` aligns rows.
    _labels: Any = field(default=None, eq=False, repr=False)

    def __len__(self) -> int:
        return len(self._index)

    @overload
    def __getitem__(self, i: int) -> Any: ...
    @overload
    def __getitem__(self, i: slice) -> list[Any]: ...
    def __getitem__(self, i: int | slice) -> Any:
        """The ``CodeCheck`` of the ``i``-th value (a list of them for a slice)."""
        if isinstance(i, slice):
            return [self._check(r) for r in self._index[i]]
        return self._check(self._index[i])

    def __iter__(self) -> Iterator[Any]:
        """The ``CodeCheck`` of each value, in input order."""
        return map(self._check, self._index)

    def _check(self, r: int) -> Any:
        text, code, problem, message, suggestions, exists = self._rows[r]
        return self._check_class(
            text, code, problem, message, suggestions, self.day, exists, self.release
        )

    def _column(self, j: int) -> list[Any]:
        values = [row[j] for row in self._rows]
        return [values[r] for r in self._index]

    @property
    def text(self) -> list[str | None]:
        """The values as given (``repr`` of those that are not text, ``None`` if missing)."""
        return self._column(0)

    @property
    def code(self) -> list[str | None]:
        """The normalized codes (``None`` where malformed or missing)."""
        return self._column(1)

    @property
    def problem(self) -> list[Any]:
        """The problems (a ``Problem`` of the code system, ``None`` where valid)."""
        return self._column(2)

    @property
    def message(self) -> list[str]:
        """A sentence for a person, for each value."""
        return self._column(3)

    @property
    def suggestions(self) -> list[tuple[str, ...]]:
        """The codes the user may have meant (empty unless ``suggest=True``)."""
        return self._column(4)

    @property
    def valid(self) -> list[bool]:
        """Whether each value may be reported."""
        ok = [row[2] is None for row in self._rows]
        return [ok[r] for r in self._index]

    @property
    def billable(self) -> list[bool]:
        """The same as :attr:`valid` (the word of ``CodeCheck.billable``)."""
        return self.valid

    def counts(self) -> dict[Any, int]:
        """How many values have each problem (``None``: valid), most frequent first."""
        by_row = Counter(self._index)
        total: Counter[Any] = Counter()
        for r, n in by_row.items():
            total[self._rows[r][2]] += n
        return dict(total.most_common())

    def to_records(self) -> list[dict[str, Any]]:
        """One ``dict`` per value: text, code, valid, billable, problem (the
        ``Problem`` member), message, and suggestions (a list) when they were
        asked for. Each column has one type, as in the records of a diff, so
        that ``pl.DataFrame(records)`` infers it from any rows: ``""`` stands
        for no value (the text of a missing value, the code of a malformed
        one, the problem of a valid one)."""
        rows = []
        for text, code, problem, message, suggestions, _ in self._rows:
            row: dict[str, Any] = {
                "text": "" if text is None else text,
                "code": "" if code is None else code,
                "valid": problem is None,
                "billable": problem is None,
                "problem": "" if problem is None else problem,
                "message": message,
            }
            if self.suggested:
                row["suggestions"] = list(suggestions)
            rows.append(row)
        return [dict(rows[r]) for r in self._index]

    def _distinct_columns(self) -> dict[str, list[Any]]:
        """The columns of the distinct rows, ``problem`` as its value (text)
        (``None`` where valid: null in the frames)."""
        rows = self._rows
        columns: dict[str, list[Any]] = {
            "text": [r[0] for r in rows],
            "code": [r[1] for r in rows],
            "valid": [r[2] is None for r in rows],
            "billable": [r[2] is None for r in rows],
            "problem": [None if r[2] is None else r[2].value for r in rows],
            "message": [r[3] for r in rows],
        }
        if self.suggested:
            columns["suggestions"] = [list(r[4]) for r in rows]
        return columns

    def to_arrow(self, *, prefix: str = "") -> Any:
        """A ``pyarrow.Table``, one row per value (``problem`` as text,
        null where valid); the column types are fixed, even with no rows.

        :param prefix: put before every column name (``"dx1_"``), so that the
            checks of several columns sit side by side.

        Needs the ``arrow`` extra (``pip install medcodes[arrow]``).
        """
        pa = _require("pyarrow", "arrow")
        types = {
            "text": pa.string(),
            "code": pa.string(),
            "valid": pa.bool_(),
            "billable": pa.bool_(),
            "problem": pa.string(),
            "message": pa.string(),
            "suggestions": pa.list_(pa.string()),
        }
        columns = self._distinct_columns()
        table = pa.table(
            {prefix + k: pa.array(v, type=types[k]) for k, v in columns.items()}
        )
        return table.take(pa.array(self._index, type=pa.uint32()))

    def to_pandas(self, *, prefix: str = "") -> Any:
        """A ``pandas.DataFrame``, one row per value: text columns of
        pandas' ``string`` type (missing as ``pd.NA``), ``problem`` as text,
        ``valid`` and ``billable`` ``bool``; the types are fixed, even with no
        rows. When a pandas Series was checked the frame has its index, so
        ``claims.join(checks.to_pandas())`` aligns every row, whatever the
        index (a filtered frame, a Dask partition); otherwise ``0 .. n-1``.

        :param prefix: put before every column name (``"dx1_"``), so that the
            checks of several columns sit side by side.

        Needs the ``pandas`` extra (``pip install medcodes[pandas]``).
        """
        pd = _require("pandas", "pandas")
        np = _require("numpy", "pandas")
        types = {
            "text": "string",
            "code": "string",
            "valid": "bool",
            "billable": "bool",
            "problem": "string",
            "message": "string",
            "suggestions": "object",
        }
        columns = self._distinct_columns()
        distinct = pd.DataFrame(columns).astype({k: types[k] for k in columns})
        take = np.frombuffer(self._index, dtype=np.uint32) if len(self._index) else []
        frame = distinct.take(take).add_prefix(prefix)
        if self._labels is not None:
            return frame.set_axis(self._labels)
        return frame.reset_index(drop=True)

    def to_polars(self, *, prefix: str = "") -> Any:
        """A ``polars.DataFrame``, one row per value (``problem`` as text,
        null where valid); the column types are fixed, even with no rows.

        :param prefix: put before every column name (``"dx1_"``), so that the
            checks of several columns sit side by side
            (``pl.concat([...], how="horizontal")``).

        Needs the ``polars`` extra (``pip install medcodes[polars]``).
        """
        pl = _require("polars", "polars")
        schema = {
            "text": pl.Utf8,
            "code": pl.Utf8,
            "valid": pl.Boolean,
            "billable": pl.Boolean,
            "problem": pl.Utf8,
            "message": pl.Utf8,
            "suggestions": pl.List(pl.Utf8),
        }
        columns = self._distinct_columns()
        distinct = pl.DataFrame(columns, schema={k: schema[k] for k in columns})
        frame = distinct[pl.Series(self._index, dtype=pl.UInt32)]
        return frame.rename(lambda name: prefix + name) if prefix else frame

    def __repr__(self) -> str:
        counts = ", ".join(
            f"{n:,} {'valid' if p is None else p.name}" for p, n in self.counts().items()
        )
        if len(counts) > 160:
            counts = counts[:157] + "..."
        return f"<CodeChecks of {len(self):,} values against {self.release}: {counts or 'none'}>"

    def _repr_html_(self) -> str:
        esc = html.escape
        counts = "".join(
            f"<tr><td>{'valid' if p is None else esc(p.name)}</td><td>{n:,}</td></tr>"
            for p, n in self.counts().items()
        )
        rows = "".join(
            "<tr>"
            + "".join(
                f"<td>{esc('' if v is None else str(v))}</td>"
                for v in (c.text, c.code, c.valid, c.problem and c.problem.name, c.message)
            )
            + "</tr>"
            for c in self[:_HTML_ROWS]
        )
        more = f"<p>... {len(self) - _HTML_ROWS:,} more</p>" if len(self) > _HTML_ROWS else ""
        return (
            f"<p><b>CodeChecks</b> of {len(self):,} values against {esc(self.release)}</p>"
            f"<table><tr><th>problem</th><th>values</th></tr>{counts}</table>"
            "<table><tr><th>text</th><th>code</th><th>valid</th><th>problem</th>"
            f"<th>message</th></tr>{rows}</table>{more}"
        )


_HTML_ROWS = 10


def check_many(
    values: object,
    row: Callable[[Any], _Row],
    *,
    known: Mapping[str, _Answer] | None = None,
    release: str,
    day: dt.date | None,
    suggest: bool,
    check_class: type,
) -> CodeChecks:
    """The :class:`CodeChecks` of ``values``, calling ``row`` (the row of a
    value: see :func:`row_of`) once per distinct value (what each system's
    ``check_codes`` runs).

    :param known: the answers of texts known in advance (each valid code in
        its written forms): a text found there is not given to ``row``; its
        row is the text and that answer (the rest of the row).
    :raises ~medcodes.errors.UsageError: ``values`` is not a collection of
        values (a ``str``, a mapping, a number, a data frame).
    """
    seq = _sequence(values)
    with paused_gc():  # many small tuples, no cycles: see medcodes._gc
        rows, index = _rows(seq, row, known)
    rows, index = _one_missing_row(rows, index)
    return CodeChecks(release, day, suggest, tuple(rows), index, check_class, _labels(values))


def _one_missing_row(rows: list[_Row], index: array[int]) -> tuple[list[_Row], array[int]]:
    """``rows`` and ``index`` with the rows of missing values (text ``None``)
    made one: distinct NaN objects are distinct keys of the dict of values."""
    missing = [r for r, row in enumerate(rows) if row[0] is None]
    if len(missing) < 2:
        return rows, index
    drop = set(missing[1:])
    new: dict[int, int] = {}
    kept: list[_Row] = []
    for r, row in enumerate(rows):
        if r not in drop:
            new[r] = len(kept)
            kept.append(row)
    for r in drop:
        new[r] = new[missing[0]]
    return kept, array("I", map(new.__getitem__, index))


def _labels(values: object) -> Any:
    """The index of a pandas Series (``None`` for any other input); pandas is
    not imported."""
    cls = type(values)
    if cls.__name__ == "Series" and cls.__module__.partition(".")[0] == "pandas":
        return values.index  # type: ignore[attr-defined]
    return None


def _rows(
    seq: list[object] | tuple[object, ...],
    row: Callable[[Any], _Row],
    known: Mapping[str, _Answer] | None = None,
) -> tuple[list[_Row], array[int]]:
    """The distinct rows of ``seq`` and the row of each value."""
    rows: list[_Row] = []
    try:
        seen: dict[Any, int] = dict.fromkeys(seq, 0)
        types = set(map(type, seen))
        plain = types <= {str} or all(type(v) is str or is_missing(v) for v in seen)
    except TypeError:  # an unhashable value
        plain = False
    if plain:
        distinct = list(seen)
        if known is None:
            rows = list(map(row, distinct))
        else:
            rows = _known_rows(distinct, row, known, types <= {str})
        seen.update(zip(distinct, range(len(distinct)), strict=True))  # in place
        index = array("I", map(seen.__getitem__, seq))
    else:  # values of several types: 1, 1.0 and True are equal keys, not equal texts
        keyed: dict[object, int] = {}
        index = array("I")
        for v in seq:
            try:
                key: object = v if type(v) is str else (type(v), v)
                r = keyed.get(key, -1)
            except TypeError:  # unhashable: checked on its own
                key, r = None, -1
            if r < 0:
                r = len(rows)
                rows.append(row(v))
                if key is not None:
                    keyed[key] = r
            index.append(r)
    return rows, index


def _known_rows(
    distinct: list[Any], row: Callable[[Any], _Row], known: Mapping[str, _Answer], text: bool
) -> list[_Row]:
    """The rows of ``distinct`` (values without repeats, each ``str`` or
    missing; all ``str`` if ``text``): those whose text (as
    :func:`~medcodes._args.upper_key` makes it, when all are ``str``) is in
    ``known`` made without a Python call per value (most values of a claims
    file), the others by ``row``."""
    get = known.get
    if text:  # upper_key of each, in C: strip, then upper (kept for ASCII only)
        answers: list[Any] = list(map(get, map(str.upper, map(str.strip, distinct))))
        for j in compress(range(len(distinct)), map(not_, map(str.isascii, distinct))):
            answers[j] = get(distinct[j].strip())  # no look-alike letter upper-cased
    else:
        answers = list(map(get, distinct))  # None: not known
    others = list(compress(range(len(answers)), map(is_, answers, repeat(None))))
    for j in others:
        answers[j] = ()
    rows: list[Any] = list(map(add, zip(distinct), answers))  # (text,) + answer
    for j in others:
        rows[j] = row(distinct[j])
    return rows


def row_of(check: _Check, suggest: bool) -> _Row:
    """The row of a ``CodeCheck`` (without its suggestions unless ``suggest``)."""
    return (
        check.text,
        check.code,
        check.problem,
        check.message,
        check.suggestions if suggest else (),
        check.exists,
    )


_WRONG = "values must be a collection of codes (a list, a pandas or polars Series, a pyarrow array)"


def _sequence(values: object) -> list[object] | tuple[object, ...]:
    """``values`` as a list (or tuple) of plain Python values, converting
    pandas, polars, pyarrow and numpy columns by their own methods.

    :raises ~medcodes.errors.UsageError: not a collection of values.
    """
    if isinstance(values, list | tuple):
        return values
    cls = type(values)
    library = cls.__module__.partition(".")[0]
    if isinstance(values, str | bytes | bytearray | memoryview | Mapping) or is_missing(values):
        raise UsageError(f"{_WRONG}, not {cls.__name__} {_short(values)}")
    if library in ("pandas", "polars", "pyarrow", "numpy"):
        if cls.__name__ in ("DataFrame", "LazyFrame", "Table", "RecordBatch"):
            raise UsageError(f"{_WRONG}: pass one column of the {cls.__name__}, not all of it")
        if getattr(values, "ndim", 1) != 1:
            raise UsageError(f"{_WRONG}: a {cls.__name__} of {values.ndim} dimensions")  # type: ignore[attr-defined]
        for method in ("to_pylist", "to_list", "tolist"):  # pyarrow, polars, pandas/numpy
            convert = getattr(values, method, None)
            if convert is not None:
                return list(convert())
    if isinstance(values, set | frozenset):
        raise UsageError(f"{_WRONG}, not a {cls.__name__}: its order is arbitrary (sort it)")
    if not isinstance(values, Iterable):
        raise UsageError(f"{_WRONG}, not {cls.__name__} {_short(values)}")
    return list(values)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _require(module: str, extra: str) -> Any:
    """Import ``module``, or say which extra installs it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(f"this needs {module}: pip install 'medcodes[{extra}]'") from exc
