"""Several releases over time: which one is in force on a date of service, and
the story of one code across them.

ICD-10-CM fiscal years run from October 1 to September 30; an April 1 update
replaces the October release for dates of service from April 1 (DOMAIN.md §2.1).
"""

from __future__ import annotations

import datetime as dt
import enum
import os
from collections.abc import Iterable, Iterator
from itertools import pairwise

from attrs import evolve, field, frozen

from .._args import MISSING_MESSAGE, is_missing
from .._dates import as_date
from .._repr import bounded
from ..cache import cached_files
from ..catalog import CATALOG
from ..errors import UsageError
from ..sources import MAX_BYTES_ICD10CM
from .codeset import Codeset, display_code, normalize_code
from .diff import _codes_only, _revised
from .loader import BUNDLED, _load_cached, load
from .model import Release
from .validity import CODE_SYNTAX, CodeCheck, Problem

__all__ = ["CodeEvent", "EventKind", "ReleaseHistory"]


class EventKind(enum.StrEnum):
    """What happened to a code in a release."""

    #: New in the code's first loaded release, or (for the first release of
    #: the history) simply there already.
    APPEARED = "appeared"
    RETITLED = "retitled"
    NOW_BILLABLE = "became billable"
    NOW_HEADER = "became a header"
    DISAPPEARED = "disappeared"


@bounded
@frozen
class CodeEvent:
    """One step of a code's history.

    :ivar release: the release in which it happened.
    :ivar kind: what happened.
    :ivar title: the code's long title in that release (the last one, for a
        disappearance).
    :ivar billable: billable in that release (before it disappeared, for a
        disappearance).
    """

    release: Release
    kind: EventKind
    title: str
    billable: bool


def _by_date(releases: Iterable[Codeset]) -> tuple[Codeset, ...]:
    if isinstance(releases, Codeset):
        raise UsageError("ReleaseHistory takes a list of codesets, not one codeset")
    try:
        given = tuple(releases)
    except TypeError:
        raise UsageError(f"ReleaseHistory takes a list of codesets, not {releases!r}") from None
    for cs in given:
        if not isinstance(cs, Codeset):
            raise UsageError(f"a ReleaseHistory holds ICD-10-CM codesets, not {cs!r}")
    ordered = tuple(sorted(given, key=lambda cs: cs.release.effective))
    for a, b in pairwise(ordered):
        if a.release.effective == b.release.effective:
            raise UsageError(
                f"two releases take effect on {a.release.effective.isoformat()}: "
                f"{a.release.label} and {b.release.label}"
            )
    return ordered


@bounded
@frozen
class ReleaseHistory:
    """Loaded releases ordered by effective date.

    >>> import datetime as dt, medcodes
    >>> history = medcodes.icd10cm.ReleaseHistory(
    ...     [medcodes.icd10cm.load(fiscal_year=2025), medcodes.icd10cm.load()]
    ... )
    >>> history.release_for(dt.date(2025, 11, 3)) is None   # FY2026 October release not loaded
    True
    >>> history.release_for(dt.date(2026, 5, 1)).release.label
    'ICD-10-CM FY2026 (effective 2026-04-01)'
    >>> [history.is_valid("D71", on=dt.date(year, 6, 1)) for year in (2025, 2026)]
    [True, False]
    >>> history.is_valid("D71", on=dt.date(2025, 11, 3))
    Traceback (most recent call last):
    ...
    medcodes.errors.UsageError: no loaded release covers 2025-11-03 ...
    >>> [(e.release.fiscal_year, e.kind.value) for e in history.code_history("D71")]
    [(2025, 'appeared'), (2026, 'became a header')]

    :raises ~medcodes.errors.UsageError: two releases take effect on the same
        day, or something else than an ICD-10-CM codeset is given.
    """

    releases: tuple[Codeset, ...] = field(converter=_by_date)

    @classmethod
    def from_cache(
        cls,
        *,
        cache_dir: str | os.PathLike[str] | None = None,
        bundled: bool = True,
        max_bytes: int = MAX_BYTES_ICD10CM,
    ) -> ReleaseHistory:
        """Every ICD-10-CM release in the cache (see :func:`medcodes.fetch`),
        with the bundled ones unless ``bundled=False`` (a cached release
        replaces the bundled one of the same effective date). Never downloads.

        >>> import medcodes
        >>> h = medcodes.icd10cm.ReleaseHistory.from_cache(cache_dir="/nonexistent")
        >>> [cs.release.label for cs in h]
        ['ICD-10-CM FY2025 (effective 2025-04-01)', 'ICD-10-CM FY2026 (effective 2026-04-01)']

        :raises ~medcodes.errors.ParseError: a cached file is damaged.
        """
        loaded: dict[dt.date, Codeset] = {}
        if bundled:
            for year in sorted(BUNDLED):
                cs = load(fiscal_year=year, max_bytes=max_bytes)
                loaded[cs.release.effective] = cs
        for e in CATALOG:
            if e.system != "icd10cm":
                continue
            files = cached_files("icd10cm", e.release, cache_dir=cache_dir)
            if files:
                loaded[e.effective] = _load_cached(e, files, max_bytes)
        return cls(list(loaded.values()))

    def __iter__(self) -> Iterator[Codeset]:
        return iter(self.releases)

    def __len__(self) -> int:
        return len(self.releases)

    def release_for(self, on: dt.date) -> Codeset | None:
        """The release in force on a date of service: the latest one that took
        effect on or before it, while its fiscal year lasts; ``None`` when no
        loaded release covers the date (a ``datetime`` counts as its date)."""
        on = as_date(on, "on")
        found = None
        for cs in self.releases:
            if cs.release.effective <= on:
                found = cs
        if found is None or on > found.release.valid_through:
            return None
        return found

    def is_valid(self, code: str, on: dt.date) -> bool:
        """True when ``code`` may be reported for a date of service: it is a
        billable code of the release in force then.

        :raises ~medcodes.errors.UsageError: no loaded release covers ``on``
            (the answer is unknown, not "invalid").
        """
        on = as_date(on, "on")
        cs = self.release_for(on)
        if cs is None:
            raise UsageError(self._uncovered(on))
        return cs.is_billable(code)

    def check_code(self, text: str, on: dt.date) -> CodeCheck:
        """Check ``text`` for a date of service against the release in force
        then (see :meth:`Codeset.check_code <medcodes.icd10cm.Codeset.check_code>`);
        never raises for any text. When no loaded release covers ``on``, the
        problem is :attr:`~medcodes.icd10cm.Problem.OUTSIDE_RELEASE`: the
        answer is unknown, not "invalid".

        >>> import datetime as dt, medcodes
        >>> history = medcodes.icd10cm.ReleaseHistory(
        ...     [medcodes.icd10cm.load(fiscal_year=2025), medcodes.icd10cm.load()]
        ... )
        >>> [history.check_code("G35", on=dt.date(y, 6, 1)).problem for y in (2025, 2026)]
        [None, <Problem.NOT_BILLABLE: 'not billable'>]
        >>> history.check_code("G35", on=dt.date(2025, 11, 3)).problem.name
        'OUTSIDE_RELEASE'

        :raises ~medcodes.errors.UsageError: ``on`` is not a date.
        """
        on = as_date(on, "on")
        cs = self.release_for(on)
        if cs is not None:
            return cs.check_code(text, on)
        if not self.releases:
            if is_missing(text):
                return CodeCheck(None, None, Problem.MISSING, MISSING_MESSAGE, (), on)
            key = normalize_code(text) if isinstance(text, str) else ""
            if not CODE_SYNTAX.fullmatch(key):  # junk is malformed whatever is loaded
                shown = repr(text)
                return CodeCheck(shown, None, Problem.MALFORMED, f"{shown} is no code", (), on)
            return CodeCheck(
                text, display_code(key), Problem.OUTSIDE_RELEASE, self._uncovered(on), (), on
            )
        check = self.releases[-1].check_code(text)
        if check.problem is Problem.MALFORMED or check.problem is Problem.MISSING:
            return evolve(check, day=on)
        message = self._uncovered(on)
        return CodeCheck(check.text, check.code, Problem.OUTSIDE_RELEASE, message, (), on)

    def _uncovered(self, on: dt.date) -> str:
        loaded = ", ".join(
            f"{c.release.effective.isoformat()} to {c.release.valid_through.isoformat()}"
            for c in self.releases
        )
        return (
            f"no loaded release covers {on.isoformat()} (loaded: {loaded or 'none'}); "
            "load the release in force on that date"
        )

    def code_history(self, code: str) -> tuple[CodeEvent, ...]:
        """What happened to ``code`` release by release: when it appeared,
        changed title or billable status, and disappeared.

        The dates are those of the loaded releases: with a gap between two
        (FY2017, then FY2024), a change is dated by the first loaded release
        that shows it. A release loaded from a codes file holds no headers, so
        it says nothing about a header (no "disappeared", no "appeared").
        """
        events: list[CodeEvent] = []
        previous = None
        for cs in self.releases:
            node = cs.get(code)
            if node is None and _codes_only(cs) and (previous is None or not previous.billable):
                continue  # a codes file cannot show a header
            if node is None or node.kind.value in ("chapter", "block"):
                if previous is not None:
                    events.append(
                        CodeEvent(
                            cs.release, EventKind.DISAPPEARED, previous.title, previous.billable
                        )
                    )
                previous = None
                continue
            if previous is None:
                events.append(CodeEvent(cs.release, EventKind.APPEARED, node.title, node.billable))
            else:
                if node.billable != previous.billable:
                    kind = EventKind.NOW_BILLABLE if node.billable else EventKind.NOW_HEADER
                    events.append(CodeEvent(cs.release, kind, node.title, node.billable))
                if _revised(previous.title, node.title):  # not a mere change of accents
                    events.append(
                        CodeEvent(cs.release, EventKind.RETITLED, node.title, node.billable)
                    )
            previous = node
        return tuple(events)
