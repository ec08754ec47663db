"""The exceptions and warnings raised by medcodes.

Every error the library raises on purpose is a :class:`MedcodesError`.
Errors about input files are :class:`ParseError`\\ s and name the file and,
where there is one, the line or record::

    >>> from medcodes.errors import ParseError
    >>> str(ParseError("not a tabular file", file="x.xml", line=3))
    'x.xml, line 3: not a tabular file'
"""

from __future__ import annotations

import errno

__all__ = [
    "DefectWarning",
    "FetchError",
    "MedcodesError",
    "MedcodesWarning",
    "MismatchError",
    "ParseError",
    "SourceError",
    "SourceNotFoundError",
    "StaleReleaseWarning",
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


class SourceNotFoundError(SourceError, FileNotFoundError):
    """The path given does not exist. It is both a :class:`MedcodesError` and
    a ``FileNotFoundError`` (an ``OSError`` with ``errno`` ``ENOENT``), so
    ``except FileNotFoundError`` and ``except OSError`` catch it too.

    >>> import medcodes
    >>> try:
    ...     medcodes.icd10cm.load("/no/such/tabular.xml")
    ... except FileNotFoundError as exc:
    ...     print(exc, "|", exc.filename)
    /no/such/tabular.xml: no such file or folder | /no/such/tabular.xml
    """

    def __init__(self, reason: str, *, file: str | None = None, line: int | None = None) -> None:
        super().__init__(reason, file=file, line=line)
        self.errno = errno.ENOENT
        self.strerror = reason
        self.filename = file

    def __str__(self) -> str:
        return self._format()


class MismatchError(ParseError):
    """Two files given for one release disagree (for example a tabular XML and
    an order file of different releases). The message lists the differences."""


class FetchError(MedcodesError, OSError):
    """A download of an official file failed: the network is unreachable, the
    server answered with an error, stalled or cut the connection, or the file
    is not the one the catalog describes (size or SHA-256). Nothing is put in
    the cache. The message names the URL and where a file downloaded by hand
    goes. It is an :class:`OSError`, so ``except OSError`` works too.

    :ivar url: the URL that was being downloaded.
    """

    def __init__(self, message: str, *, url: str) -> None:
        self.url = url
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.args[0])

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_fetch, (str(self.args[0]), self.url))


def _rebuild_fetch(message: str, url: str) -> FetchError:
    return FetchError(message, url=url)


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


class StaleReleaseWarning(MedcodesWarning):
    """The bundled release that :func:`medcodes.icd10cm.load` or
    :func:`medcodes.hcpcs.load` gives by default is no longer the one in force
    today. Said once per process; the message names the release in force per
    the catalog and how to fetch it. Silence it with the :mod:`warnings` filters::

        warnings.simplefilter("ignore", medcodes.errors.StaleReleaseWarning)
    """
