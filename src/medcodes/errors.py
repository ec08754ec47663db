"""The exceptions and warnings raised by medcodes.

Every error the library raises on purpose is a :class:`MedcodesError`.
Errors about input files are :class:`ParseError`\\ s and name the file and,
where there is one, the line or record::

    >>> from medcodes.errors import ParseError
    >>> str(ParseError("not a tabular file", file="x.xml", line=3))
    'x.xml, line 3: not a tabular file'
"""

from __future__ import annotations

__all__ = [
    "DefectWarning",
    "MedcodesError",
    "MedcodesWarning",
    "MismatchError",
    "ParseError",
    "SourceError",
    "UnknownCodeError",
    "UsageError",
]


class MedcodesError(Exception):
    """Base class of every exception that medcodes raises on purpose."""


class ParseError(MedcodesError, ValueError):
    """An input file is malformed, truncated, of the wrong kind or hostile.

    :ivar file: the file (and zip member) that was being read, if known.
    :ivar line: the 1-based line (or record) number where the problem is, if known.
    :ivar reason: the message without the location.
    """

    def __init__(self, reason: str, *, file: str | None = None, line: int | None = None) -> None:
        self.reason = reason
        self.file = file
        self.line = line
        super().__init__(self._format())

    def _format(self) -> str:
        where = self.file or ""
        if self.line is not None:
            where = f"{where}, line {self.line}" if where else f"line {self.line}"
        return f"{where}: {self.reason}" if where else self.reason

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (type(self), self.reason, self.file, self.line))


def _rebuild(cls: type[ParseError], reason: str, file: str | None, line: int | None) -> ParseError:
    return cls(reason, file=file, line=line)


class SourceError(ParseError):
    """The input could not be found: no such path, or no (or several) matching
    files in a folder or zip. The message lists the candidates that were seen."""


class MismatchError(ParseError):
    """Two files given for one release disagree (for example a tabular XML and
    an order file of different releases). The message lists the differences."""


class UsageError(MedcodesError, ValueError):
    """An argument has a value the function cannot use (a bundled release that
    does not exist, a month of 13, two codesets of different systems). It is a
    :class:`ValueError`, so ``except ValueError`` works too.

    >>> import medcodes
    >>> medcodes.icd10cm.load(fiscal_year="2025")
    Traceback (most recent call last):
    ...
    medcodes.errors.UsageError: fiscal_year must be an int such as 2025, not '2025'
    """


class UnknownCodeError(MedcodesError, KeyError):
    """A code was looked up that the release does not contain.

    It is a :class:`KeyError`, so ``except KeyError`` works too. The message
    suggests close codes that do exist.

    :ivar code: the text that was looked up.
    :ivar suggestions: close codes of the release (display form), best first.

    >>> import medcodes
    >>> try:
    ...     medcodes.icd10cm.load()["E11.99"]
    ... except KeyError as exc:
    ...     print(exc.suggestions[:3])
    ('E11.9', 'E11.29', 'E11.39')
    """

    def __init__(self, code: str, suggestions: tuple[str, ...] = (), detail: str = "") -> None:
        self.code = code
        self.suggestions = suggestions
        self.detail = detail
        super().__init__(code)

    def __str__(self) -> str:
        msg = self.detail or f"{self.code!r} is not in this release"
        if self.suggestions:
            msg += "; close codes: " + ", ".join(self.suggestions)
        return msg

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.code, self.suggestions, self.detail))


class MedcodesWarning(UserWarning):
    """Base class of the warnings medcodes issues (filter them with this class)."""


class DefectWarning(MedcodesWarning):
    """A defect in an otherwise good official file was tolerated (for example an
    empty ``<note>``). The message says which file and where.

    Make such defects errors with the :mod:`warnings` filters::

        warnings.simplefilter("error", medcodes.errors.DefectWarning)
    """
