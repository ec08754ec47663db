"""Validity of a code for a claim: exists, billable, and what is wrong if not.

:func:`check_code` never raises. It returns a :class:`CodeCheck` whose
:attr:`~CodeCheck.problem` is one of the closed set :class:`Problem`, with a
message and suggestions (the 7th-character choices, the billable codes under a
header, the code with its placeholder ``X``, close codes for a typo).

>>> import medcodes
>>> cm = medcodes.icd10cm.load()
>>> check = cm.check_code("S72.001")
>>> check.valid, check.problem.name
(False, 'MISSING_SEVENTH_CHARACTER')
>>> check.suggestions[:3]
('S72.001A', 'S72.001B', 'S72.001C')
>>> cm.check_code("t36.0x1a").valid
True
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterator
from itertools import combinations
from typing import Any

from attrs import evolve, frozen

from .._args import CPT_CODE, HCPCS_CODE, MISSING_MESSAGE, is_missing, upper_key
from .._dates import as_date
from .._repr import bounded
from ..bulk import CodeChecks, check_many, row_of
from .codeset import Codeset, Node, display_code, normalize_code
from .hierarchy import BILLABLE, GENERATED, SEVENTH_CHARACTER_EXCEPTIONS
from .model import Kind

__all__ = ["CodeCheck", "Problem", "check_code", "check_codes"]

#: ICD-10-CM code syntax after normalization (no dot): a pre-filter only;
#: validity is membership in the release.
CODE_SYNTAX = re.compile(r"[A-Z][0-9A-Z]{2}[0-9A-Z]{0,4}")
_MAX_SUGGESTIONS = 12
_MAX_TYPOS = 16


class Problem(enum.StrEnum):
    """Why a code may not be reported."""

    #: No value at all (``None``, NaN, ``pd.NA``; a blank cell of a claims file);
    #: the ``text`` of the :class:`CodeCheck` is then ``None``. Text of blanks
    #: only (``""``, ``"  "``) is missing too, its ``text`` kept as given.
    MISSING = "missing"
    #: Not ICD-10-CM code syntax (a letter, two letters/digits, then up to 4 more).
    MALFORMED = "malformed"
    #: Well formed, but not a code of this release.
    UNKNOWN = "unknown"
    #: A header (chapter, block, category or subcategory with codes below it).
    NOT_BILLABLE = "not billable"
    #: A code that requires a 7th character was given without one.
    MISSING_SEVENTH_CHARACTER = "missing 7th character"
    #: The 7th character is not one this code allows.
    SEVENTH_CHARACTER_NOT_ALLOWED = "7th character not allowed"
    #: Characters after a complete code (such as a 7th character on ``I10``).
    EXTRA_CHARACTERS = "extra characters"
    #: A placeholder ``X`` is missing, or padding is not ``X``.
    MISSING_PLACEHOLDER = "missing placeholder X"
    #: The date of service is not in the period the release covers (from its
    #: effective date to the end of its fiscal year): the release cannot say.
    OUTSIDE_RELEASE = "date of service outside the release"


@bounded
@frozen
class CodeCheck:
    """The result of :func:`check_code`.

    :ivar text: the input as given (the ``repr`` of a value that is not text;
        ``None`` for a missing value).
    :ivar code: the normalized written form (``"E11.65"``), ``None`` if malformed.
    :ivar problem: why not, or ``None`` when valid.
    :ivar message: a sentence for a person.
    :ivar suggestions: codes (written form) the user may have meant, best first.
    :ivar day: the date of service checked, when one was given.
    :ivar exists: the release has a node of that name (code, header, chapter
        or block); look it up with ``cm[check.code]``.
    :ivar release: the label of the release that answered (``""`` when none
        did: a :class:`~medcodes.icd10cm.ReleaseHistory` with no release for the day).

    A check holds plain values, not the codeset: it pickles in a few hundred
    bytes.

    >>> import medcodes
    >>> check = medcodes.icd10cm.load().check_code("E11")
    >>> check.exists, check.valid, check.problem
    (True, False, <Problem.NOT_BILLABLE: 'not billable'>)
    >>> check.message
    'E11 is a header (category), not billable: report a code below it'
    >>> check.suggestions[:3]
    ('E11.00', 'E11.01', 'E11.10')
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
    def billable(self) -> bool:
        """It may be reported on a claim (the same as :attr:`valid`)."""
        return self.problem is None

    @property
    def valid(self) -> bool:
        """True when the code may be reported (exists and is billable)."""
        return self.problem is None


def check_code(codeset: Codeset, text: str | Node, on: dt.date | None = None) -> CodeCheck:
    """Check ``text`` as a code to report; never raises for any text.

    :param codeset: the release to check against.
    :param text: a code in any written form (``"E11.65"``, ``"e1165"``).
    :param on: the date of service, if it matters: a date the release does not
        cover (before its effective date, after its fiscal year) gives
        :attr:`Problem.OUTSIDE_RELEASE`; a date from April 1 checked against an
        October release is answered from it, and the message says that an
        April 1 update would take effect then.
    :raises ~medcodes.errors.UsageError: ``on`` is not a date.

    >>> import datetime as dt, medcodes
    >>> cm = medcodes.icd10cm.load()
    >>> check = medcodes.icd10cm.check_code(cm, "Z99.99")  # what cm.check_code() calls
    >>> check.problem.name, check.suggestions
    ('UNKNOWN', ('Z99.89',))
    >>> medcodes.icd10cm.check_code(cm, "E11.65", on=dt.date(2026, 4, 1)).valid
    True
    >>> late = medcodes.icd10cm.check_code(cm, "E11.65", on=dt.date(2025, 12, 1))
    >>> late.problem.name
    'OUTSIDE_RELEASE'
    >>> print(late.message)  # doctest: +NORMALIZE_WHITESPACE
    ICD-10-CM FY2026 (effective 2026-04-01) covers 2026-04-01 to 2026-09-30,
    not 2025-12-01: check the code against the release in force on that date
    """
    check = _check_code(codeset, text)
    return check if on is None else _on_day(codeset, check, on)


def check_codes(
    codeset: Codeset, values: object, *, on: dt.date | None = None, suggest: bool = False
) -> CodeChecks:
    """Check many values at once, each as :func:`check_code` does, doing the
    work once per distinct value: see :mod:`medcodes.bulk`.

    :param values: a list or any iterable of codes, a pandas or polars Series, a
        pyarrow or numpy array. Missing values (``None``, NaN, ``pd.NA``) are
        :attr:`Problem.MISSING`, other values that are not text MALFORMED.
    :param on: the date of service, as in :func:`check_code`.
    :param suggest: build the suggestions too (they cost a search per invalid value).
    :raises ~medcodes.errors.UsageError: ``values`` is not a collection (a
        ``str``, a ``dict``, a number, a whole data frame), or ``on`` is not a date.

    >>> import medcodes
    >>> cm = medcodes.icd10cm.load()
    >>> cm.check_codes(["E1165", "Z99.99", float("nan")])  # doctest: +ELLIPSIS
    <CodeChecks of 3 values against ICD-10-CM FY2026 ...: 1 valid, 1 UNKNOWN, 1 MISSING>
    """
    day = as_date(on, "on") if on is not None else None
    known = _valid_rows(codeset)

    def row(value: Any) -> Any:
        if type(value) is str:  # a valid code in another case, or with blanks
            key = value.strip()  # upper_key, inlined
            answer = known.get(key.upper() if key.isascii() else key)
            if answer is not None:
                return (value, *answer)
        return row_of(_check_code(codeset, value, suggest), suggest)

    def row_on_day(value: Any) -> Any:
        assert day is not None
        return row_of(_on_day(codeset, _check_code(codeset, value, suggest), day), suggest)

    label = codeset.release.label
    return check_many(
        values,
        row if day is None else row_on_day,
        known=known if day is None else None,
        release=label,
        day=day,
        suggest=suggest,
        check_class=CodeCheck,
    )


def _valid_rows(codeset: Codeset) -> dict[str, tuple[Any, ...]]:
    """The answer of each billable code in the written forms ``check_code``
    calls valid as they are (``"E1165"``, ``"E11.65"``): the rest of its bulk
    row after the text (code, problem, message, suggestions, exists). Built on
    first use, once per codeset, so that a bulk check makes no Python call for
    the values written so (most values of a claims file)."""
    known = codeset._valid_rows
    if known is None:
        st = codeset._store
        flags = st.flags
        known = {}
        for key, i in st.codes.items():
            if flags[i] & BILLABLE:
                code = display_code(key)
                known[key] = known[code] = (code, None, code + " is a valid code", (), True)
        object.__setattr__(codeset, "_valid_rows", known)
    return known


def _on_day(codeset: Codeset, check: CodeCheck, on: dt.date) -> CodeCheck:
    """``check`` (of ``codeset``) for the date of service ``on``: see :func:`check_code`."""
    day = as_date(on, "on")
    if check.problem is Problem.MALFORMED or check.problem is Problem.MISSING:
        return evolve(check, day=day)
    release = codeset.release
    if not release.effective <= day <= release.valid_through:
        return CodeCheck(
            check.text,
            check.code,
            Problem.OUTSIDE_RELEASE,
            f"{release.label} covers {release.effective.isoformat()} to "
            f"{release.valid_through.isoformat()}, not {day.isoformat()}: check the code "
            "against the release in force on that date",
            (),
            day,
            check.exists,
            release.label,
        )
    april = dt.date(release.fiscal_year, 4, 1)
    if not release.is_april_update and day >= april:  # whatever the answer, it may change
        return evolve(
            check,
            day=day,
            message=f"{check.message}, as far as this release says (an April 1 update "
            f"of FY{release.fiscal_year}, when CDC issues one, takes effect on "
            f"{april.isoformat()})",
        )
    return evolve(check, day=day)


def _check_code(codeset: Codeset, text: str | Node, suggest: bool = True) -> CodeCheck:
    """:func:`check_code` without a date of service (the hot path); ``suggest``
    false leaves out the suggestions that cost a search (bulk checks)."""
    check = _check(codeset, text, suggest)
    problem = check.problem
    if (
        suggest
        and problem in _TYPO_PROBLEMS
        and isinstance(text, str)
        and not (problem is Problem.MISSING_SEVENTH_CHARACTER and check.suggestions)
    ):  # a code lacking only its 7th character has its answer (its extensions)
        typos = _typos(codeset, text)
        if typos:
            check = evolve(check, suggestions=tuple(dict.fromkeys(check.suggestions + typos)))
    return check


#: The answers whose suggestions are completed with the codes one typing
#: mistake away (:func:`_typos`); UNKNOWN searches them itself.
_TYPO_PROBLEMS = frozenset(
    {
        Problem.MALFORMED,
        Problem.NOT_BILLABLE,
        Problem.MISSING_SEVENTH_CHARACTER,
        Problem.SEVENTH_CHARACTER_NOT_ALLOWED,
        Problem.EXTRA_CHARACTERS,
        Problem.MISSING_PLACEHOLDER,
    }
)


def _check(codeset: Codeset, text: str | Node, suggest: bool) -> CodeCheck:
    if not isinstance(text, str):
        if not isinstance(text, Node):
            if is_missing(text):
                return CodeCheck(
                    None, None, Problem.MISSING, MISSING_MESSAGE, release=codeset._label
                )
            return CodeCheck(
                repr(text), None, Problem.MALFORMED, "not a string", release=codeset._label
            )
        if text.kind is Kind.CHAPTER or text.kind is Kind.BLOCK:  # not the category B10
            i = codeset._find(text)
            if i is not None:
                return _header(codeset, text.code, codeset._node(i), suggest)
        text = text.code  # a node (of this or another release): check its code
    st = codeset._store
    # The hot path, inlined: a billable code written in any form; the written
    # form ("E11.65") is tried before any normalizing.
    codes = st.codes
    code = None
    if len(text) > 4 and text[3] == ".":
        key = text[:3] + text[4:]
        i = codes.get(key)
        if i is not None:
            code = text
    else:
        key = text
        i = codes.get(key)
    if i is None:
        key = upper_key(text)
        if len(key) > 3 and key[3] == ".":
            key = key[:3] + key[4:]
        i = codes.get(key)
        if i is None:
            i = codeset._find(text)  # chapters, blocks
    if i is not None:
        if st.flags[i] & BILLABLE:  # then ``key`` is the code's key
            if code is None:
                code = key if len(key) <= 3 else f"{key[:3]}.{key[3:]}"
            return CodeCheck(
                text, code, None, code + " is a valid code", (), None, True, codeset._label
            )
        return _header(codeset, text, codeset._node(i), suggest)
    if not text.strip():  # an empty cell: no value, not a malformed one
        return CodeCheck(text, None, Problem.MISSING, MISSING_MESSAGE, release=codeset._label)
    key = normalize_code(text)
    if key.isdigit() and len(key) <= 2:  # a chapter number this release does not have
        chapters = codeset.chapters()
        message = (
            f"{codeset.release.label} has no chapter {key} "
            f"(its chapters are {chapters[0].code} to {chapters[-1].code})"
            if chapters
            else f"{codeset.release.label} was loaded without its tabular XML: it has no chapters"
        )
        return CodeCheck(text, None, Problem.UNKNOWN, message, release=codeset._label)
    if not CODE_SYNTAX.fullmatch(key):
        # One character too many ("S72.001XA"): the billable codes without it.
        shorter = [key[:p] + key[p + 1 :] for p in range(3, 8)] if len(key) == 8 else []
        near = tuple(
            dict.fromkeys(
                display_code(k) for k in shorter if k in codes and st.flags[codes[k]] & BILLABLE
            )
        )
        hint = f"; did you mean {near[0]}?" if near else ""
        message = (
            f"{text!r} has the form of a CPT procedure code, not of an ICD-10-CM diagnosis code"
            if CPT_CODE.fullmatch(key)
            else f"{text!r} is not an ICD-10-CM code: expected a letter, two letters or "
            f"digits, and up to four more characters (a dot after the third){hint}"
        )
        return CodeCheck(text, None, Problem.MALFORMED, message, near, release=codeset._label)
    check = _diagnose(codeset, text, key, suggest)
    if HCPCS_CODE.fullmatch(upper_key(text)):  # L5590, not L55.90: a Level II code?
        return evolve(
            check,
            message=f"{check.message} ({upper_key(text)} has the form of an HCPCS Level II "
            "code: check it with medcodes.hcpcs)",
        )
    return check


def _header(codeset: Codeset, text: str, node: Node, suggest: bool = True) -> CodeCheck:
    kind = node.kind
    if kind is Kind.CHAPTER or kind is Kind.BLOCK:
        return CodeCheck(
            text,
            node.code,
            Problem.NOT_BILLABLE,
            f"{node.code} is a {kind.value}, not a code",
            (),
            exists=True,
            release=codeset._label,
        )
    st = codeset._store
    children = list(codeset._child_indices(node._i))  # indices: no node is made
    if children and st.flags[children[0]] & GENERATED:
        rule = node.seventh_characters
        chars = rule.chars if rule is not None else ""
        return CodeCheck(
            text,
            node.code,
            Problem.MISSING_SEVENTH_CHARACTER,
            f"{node.code} requires a 7th character ({', '.join(chars)})",
            tuple(display_code(st.keys[c]) for c in children),  # 7-character codes
            exists=True,
            release=codeset._label,
        )
    below = [d.code for d in node.descendants() if d.billable][:_MAX_SUGGESTIONS] if suggest else []
    return CodeCheck(
        text,
        node.code,
        Problem.NOT_BILLABLE,
        f"{node.code} is a header ({kind.value}), not billable: report a code below it",
        tuple(below),
        exists=True,
        release=codeset._label,
    )


def _diagnose(codeset: Codeset, text: str, key: str, suggest: bool = True) -> CodeCheck:
    st = codeset._store
    codes = st.codes
    code = display_code(key)
    # A 7th character on a code that needs one, but not this one.
    if len(key) == 7:
        base = _extended_base(codeset, key[:6])
        if base is not None:
            rule = base.seventh_characters
            char = key[6]
            choices = tuple(c.code for c in base.children)
            if rule is not None and rule.get(char) is not None:
                why = next(
                    (
                        f"7th characters {', '.join(e.excluded)} do not apply to "
                        f"{e.category} codes with 6th character {', '.join(e.sixth)}"
                        for e in SEVENTH_CHARACTER_EXCEPTIONS
                        if key.startswith(e.category) and key[5] in e.sixth and char in e.excluded
                    ),
                    "this combination does not exist",
                )
                msg = f"{code}: 7th character {char} is not allowed here ({why})"
            else:
                allowed = ", ".join(rule.chars) if rule is not None else ""
                msg = f"{code}: 7th character {char} is not allowed for {base.code} ({allowed})"
            return CodeCheck(
                text,
                code,
                Problem.SEVENTH_CHARACTER_NOT_ALLOWED,
                msg,
                choices,
                release=codeset._label,
            )
    # Characters after a complete code.
    prefix = _longest_prefix(codeset, key)
    if prefix is not None and prefix.billable and not prefix.is_extension:
        extra = key[len(prefix.key) :]
        return CodeCheck(
            text,
            code,
            Problem.EXTRA_CHARACTERS,
            f"{prefix.code} is a complete code; it takes no further characters ({extra!r})",
            (prefix.code,),
            release=codeset._label,
        )
    # Padded with X for a 7th character that is missing ("T07.XXX", "S01.90X").
    if key.endswith("X") and len(key) <= 6:
        base = _extended_base(codeset, key.ljust(6, "X"))
        if base is not None:
            rule = base.seventh_characters
            chars = rule.chars if rule is not None else ""
            return CodeCheck(
                text,
                code,
                Problem.MISSING_SEVENTH_CHARACTER,
                f"{code} lacks its 7th character ({', '.join(chars)}) after {base.code}",
                tuple(c.code for c in base.children),
                release=codeset._label,
            )
    # A placeholder X missing, or padding that is not X.
    fixed = list(dict.fromkeys(c for c in _placeholder_candidates(key) if c in codes))
    billable = [c for c in fixed if st.flags[codes[c]] & BILLABLE]
    if billable:
        return CodeCheck(
            text,
            code,
            Problem.MISSING_PLACEHOLDER,
            f"{code} lacks its placeholder X: did you mean {display_code(billable[0])}?",
            tuple(display_code(c) for c in billable[:_MAX_SUGGESTIONS]),
            release=codeset._label,
        )
    if fixed:  # the X and the 7th character are both missing ("T3611" for T36.1X1A)
        header = codeset._node(codes[fixed[0]])
        below = [d.code for d in header.descendants() if d.billable][:_MAX_SUGGESTIONS]
        return CodeCheck(
            text,
            code,
            Problem.MISSING_PLACEHOLDER,
            f"{code} lacks its placeholder X, and {header.code} is a header: "
            f"did you mean {below[0] if below else header.code}?",
            tuple(below) or (header.code,),
            release=codeset._label,
        )
    return CodeCheck(
        text,
        code,
        Problem.UNKNOWN,
        f"{code} is not a code of {codeset.release.label}",
        (_typos(codeset, text) or _under_prefix(codeset, key, prefix)) if suggest else (),
        release=codeset._label,
    )


def _extended_base(codeset: Codeset, base6: str) -> Node | None:
    """The code whose X-padded form is ``base6`` and that takes 7th characters."""
    codes = codeset._store.codes
    for cut in range(6, 2, -1):
        if cut < 6 and base6[cut:] != "X" * (6 - cut):
            break
        i = codes.get(base6[:cut])
        if i is not None:
            node = codeset._node(i)
            kids = node.children
            return node if kids and kids[0].is_extension else None
    return None


def _longest_prefix(codeset: Codeset, key: str) -> Node | None:
    codes = codeset._store.codes
    for cut in range(len(key) - 1, 2, -1):
        i = codes.get(key[:cut])
        if i is not None:
            return codeset._node(i)
    return None


def _placeholder_candidates(key: str) -> Iterator[str]:
    """``key`` with X inserted, or padding characters turned into X."""
    for template in _PLACEHOLDER_TEMPLATES.get(len(key), ()):
        yield template.format(*key)


def _placeholder_templates(n: int) -> tuple[str, ...]:
    """Format strings giving a key of ``n`` characters with X inserted after its
    3rd character (as many as a 7-character code allows), or, for 7 characters,
    with some of its 4th to 6th characters (padding) turned into X."""
    out = []
    for k in range(1, 8 - n):
        total = n + k
        for spots in combinations(range(3, total), k):
            chars = iter(range(n))
            out.append("".join("X" if p in spots else f"{{{next(chars)}}}" for p in range(total)))
    if n == 7:  # a spot that is already X gives a candidate made before: no matter
        for k in range(1, 4):
            for spots in combinations(range(3, 6), k):
                out.append("".join("X" if p in spots else f"{{{p}}}" for p in range(7)))
    return tuple(out)


_PLACEHOLDER_TEMPLATES = {n: _placeholder_templates(n) for n in range(1, 8)}


def _deletion_index(codeset: Codeset) -> dict[str, tuple[int, ...]]:
    """Each billable code's key with one character deleted -> those codes
    (a symmetric-delete index): built on first use, once per codeset."""
    index = codeset._deletions
    if index is None:
        st = codeset._store
        flags = st.flags
        found: dict[str, list[int]] = {}
        for key, i in st.codes.items():
            if flags[i] & BILLABLE:
                for p in range(len(key)):
                    found.setdefault(key[:p] + key[p + 1 :], []).append(i)
        index = {k: tuple(v) for k, v in found.items()}
        object.__setattr__(codeset, "_deletions", index)
    return index


def _typos(codeset: Codeset, text: str) -> tuple[str, ...]:
    """Billable codes one typing mistake away from ``text``, closest first: a
    misplaced dot or blank (distance 0), then a transposed pair or a wrong
    character, then a character too many or too few (a placeholder ``X``
    among them); ties in official order."""
    q = "".join(upper_key(text).replace(".", "").split())
    if not 2 <= len(q) <= 8 or not q.isascii() or not q.isalnum():
        return ()
    st = codeset._store
    codes, flags, keys = st.codes, st.flags, st.keys
    index = _deletion_index(codeset)
    ranked: dict[int, int] = {}
    i = codes.get(q)
    if i is not None and flags[i] & BILLABLE:
        ranked[i] = 0
    for i in index.get(q, ()):  # a character missing: as likely as a wrong one
        ranked.setdefault(i, 2)
    for p in range(len(q)):
        d = q[:p] + q[p + 1 :]
        i = codes.get(d)
        if i is not None and flags[i] & BILLABLE:  # a character too many
            ranked.setdefault(i, 3)
        for i in index.get(d, ()):
            if i not in ranked:
                rank = _same_length_edit(q, keys[i])
                if rank:
                    ranked[i] = rank
    if not ranked:
        return ()
    # Among equally close codes, those sharing a longer start with what was
    # typed first (a character missing before or after the dot, "M75.0" for
    # M75.50, keeps the start), then official order.
    best = sorted(ranked, key=lambda i: (ranked[i], -_common_start(q, keys[i]), i))
    return tuple(display_code(keys[i]) for i in best[:_MAX_TYPOS])


def _common_start(a: str, b: str) -> int:
    """How many first characters ``a`` and ``b`` share."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n




def _same_length_edit(a: str, b: str) -> int:
    """1 when ``b`` is ``a`` with two neighbours swapped, 2 when one character
    differs, else 0."""
    diffs = [p for p in range(len(a)) if a[p] != b[p]]
    if len(diffs) == 1:
        return 2
    if len(diffs) == 2:
        p, q = diffs
        if q == p + 1 and a[p] == b[q] and a[q] == b[p]:
            return 1
    return 0


def _under_prefix(codeset: Codeset, key: str, prefix: Node | None = None) -> tuple[str, ...]:
    """Billable codes under the longest known prefix of ``key`` (the suggestions
    of an unknown code when no code is one typing mistake away)."""
    if prefix is None:
        prefix = _longest_prefix(codeset, key)
    if prefix is None:
        return ()
    return tuple(d.code for d in prefix.descendants() if d.billable)[:_MAX_SUGGESTIONS]
