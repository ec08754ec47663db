"""The little grammar of code references inside instructional notes.

Notes name codes in free text: ``asthma (J45.-)``, ``peptic ulcer (K25-K28)``,
``(A15-A19, B90.0)``, ``hearing loss as classified in H90.-``, ``diabetes
mellitus (E08-E13 with .42)``. :func:`parse_references` finds them as
:class:`CodeRef` records (release-independent);
:meth:`~medcodes.icd10cm.Codeset.resolve` turns one into the nodes it denotes in
a release, or says why it cannot.

Reading rules (DOMAIN.md §3.9):

* A token is a letter, a digit, a letter or digit, then optionally a dot and up
  to four characters (``E11``, ``E11.9``, ``S06.0X``, ``I69.``); a trailing
  ``-`` or ``.-`` only says "further characters follow". Every reference
  includes the subtrees of the codes it names.
* Tokens joined by ``-`` or ``to`` (spaces allowed, even ``I69.81- I69.91-``)
  form a range: every node from the first through the last in tabular order,
  with their subtrees. Commas, semicolons, ``and`` and ``or`` separate items.
* When a note has parenthesized codes, only those are references (the prose
  ``any type in A15 (J65)`` refers to ``J65``; ``vitamin B12`` is not a code).
  Otherwise every token of the text is read (``hearing loss as classified in
  H90.-``), and a token that is not a code of the release stays unresolved.
* A ``with ...`` clause after the codes of a group qualifies all of them. Three
  forms are understood: ``with .42`` / ``with .51-.52`` / ``with .17, .27``
  (the characters after the dot), ``with fifth or sixth character 5`` /
  ``with 7th character A`` / ``with sixth character 1-4`` (characters at a
  position), ``with final characters -23`` (the last characters). Any other
  clause (``with ketoacidosis``) makes the reference unresolved, with the
  reason, rather than read too broadly.
"""

from __future__ import annotations

import re

from attrs import frozen

from .._args import text_arg
from .._repr import bounded
from .hierarchy import BILLABLE, GENERATED, GROUP, _Store

__all__ = ["CodeRef", "parse_references"]


@bounded
@frozen
class CodeRef:
    """A reference to codes found in a note's text.

    :ivar text: the reference as written (``"K25-K28"``, ``"J45.-"``,
        ``"E08-E13 with .42"``).
    :ivar first: the key (no dot) of the code named first.
    :ivar last: for a range, the key of its last code; else ``None``.
    :ivar qualifier: a ``with ...`` clause that narrows the codes, as written.
    :ivar in_parentheses: found inside parentheses (else in running text).

    >>> parse_references("peptic ulcer with hemorrhage (K25-K28)")
    (CodeRef(text='K25-K28', first='K25', last='K28', qualifier=None, in_parentheses=True),)
    """

    text: str
    first: str
    last: str | None = None
    qualifier: str | None = None
    in_parentheses: bool = True

    @property
    def is_range(self) -> bool:
        """True for ``A-B`` ranges."""
        return self.last is not None


# A code-like token: letter, digit, letter or digit, optionally a dot and up to four more.
_TOKEN = re.compile(r"(?<![0-9A-Za-z])[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{0,4})?(?![0-9A-Za-z])")
# A parenthesized group; a missing closing bracket ends at the end of the text,
# and "}" closes too (a typo of the official files: "(E87.8}").
_GROUP = re.compile(r"\(([^(){}]*)(?:[)}]|$)")
_LIST_SEPARATOR = re.compile(r"[\s,;]*(?:(?:and|or)\b)?[\s,;]*")
_RANGE_SEPARATOR = re.compile(r"\s*-?\s*(?:-|to|through)\s*")
_QUALIFIER = re.compile(r"[\s,.-]*(with\b.*)", re.DOTALL)

_ORDINALS = {
    "fourth": 3,
    "4th": 3,
    "fifth": 4,
    "5th": 4,
    "sixth": 5,
    "six": 5,
    "6th": 5,
    "seventh": 6,
    "7th": 6,
}
_ORD = "|".join(_ORDINALS)
_TO = r"\s*(?:-|through)\s*"
_CHARS = rf"[0-9A-Z](?:{_TO}[0-9A-Z])?(?:\s*(?:,|or)\s*[0-9A-Z](?:{_TO}[0-9A-Z])?)*"
# "with fifth or sixth character 1-4 or 6", "with 7th character B or C", "with 5th
# character .6", "with a 7th character of 1 through 9"
_AT_POSITION = re.compile(
    rf"with\s+(?:the\s+|a\s+)?({_ORD})(?:\s+or\s+({_ORD}))?[\s-]+characters?\s+"
    rf"(?:of\s+)?\.?({_CHARS})\s*\.?",
    re.IGNORECASE,
)
_CHAR_RANGE = re.compile(rf"([0-9A-Z])(?:{_TO}([0-9A-Z]))?")
# "with fifth to sixth characters 51"
_SPAN = re.compile(rf"with\s+({_ORD})\s+to\s+({_ORD})\s+characters?\s+([0-9A-Z]+)\s*\.?", re.I)
# "with .42", "with .51-.52", "with .17, .27, .97", "with .62-", "with final characters .00 or .01"
_AFTER_DOT = re.compile(
    r"with\s+(?:final\s+characters?\s+)?"
    r"((?:\.[0-9A-Z]+-?(?:\s*-\s*\.[0-9A-Z]+-?)?[\s,.]*(?:(?:and|or)\s+)?)+)",
    re.IGNORECASE,
)
_DOT_VALUE = re.compile(r"\.([0-9A-Z]+)-?(?:\s*-\s*\.([0-9A-Z]+))?")
# "with final characters -23" (one character, then 23), "with final character 6"
_FINAL = re.compile(r"with\s+final\s+characters?\s+(-?)([0-9A-Z]+)\s*\.?", re.IGNORECASE)


def parse_references(text: str) -> tuple[CodeRef, ...]:
    """The code references in one note's text, in order of appearance.

    >>> [r.text for r in parse_references("(A15-A19, B90.0)")]
    ['A15-A19', 'B90.0']
    >>> parse_references("hearing loss as classified in H90.-")[0].in_parentheses
    False
    >>> parse_references("diabetes mellitus (E08-E13 with .42)")[0].qualifier
    'with .42'
    >>> parse_references("certain localized infections - see body system-related chapters")
    ()
    """
    text = text_arg(text, "text")
    refs: list[CodeRef] = []
    for m in _GROUP.finditer(text):
        refs.extend(_parse_group(m.group(1), in_parentheses=True))
    if not refs:
        refs.extend(_parse_group(text, in_parentheses=False))
    return tuple(refs)


def _parse_group(group: str, in_parentheses: bool) -> list[CodeRef]:
    tokens = list(_TOKEN.finditer(group))
    if not tokens:
        return []
    qualifier = None
    tail = _QUALIFIER.fullmatch(group, tokens[-1].end())
    if tail is not None:
        qualifier = tail.group(1).strip().rstrip(").").strip()
    items: list[tuple[int, int, str, str | None]] = []  # (start, end, first, last)
    k = 0
    while k < len(tokens):
        tok = tokens[k]
        first = _key(tok.group())
        if k + 1 < len(tokens) and _RANGE_SEPARATOR.fullmatch(
            group, tok.end(), tokens[k + 1].start()
        ):
            end_tok = tokens[k + 1]
            items.append((tok.start(), _end(group, end_tok.end()), first, _key(end_tok.group())))
            k += 2
        else:
            items.append((tok.start(), _end(group, tok.end()), first, None))
            k += 1
    # The qualifier belongs to the trailing list of items: prose between two
    # items ("... category O30, Multiple gestation, must also be assigned when
    # assigning code O33.3 with ...") ends the list it applies to.
    qualified_from = 0
    for n in range(1, len(items)):
        if not _LIST_SEPARATOR.fullmatch(group, items[n - 1][1], items[n][0]):
            qualified_from = n
    refs = []
    for n, (start, end, first, last) in enumerate(items):
        written = group[start:end]
        q = qualifier if n >= qualified_from else None
        if q is not None:
            written = f"{written} {q}"
        refs.append(CodeRef(written, first, last, q, in_parentheses))
    return refs


def _key(token: str) -> str:
    return token.replace(".", "")


def _end(group: str, end: int) -> int:
    """Extend a token over its trailing ``-`` or ``.-``."""
    if group.startswith(".-", end):
        return end + 2
    if group.startswith("-", end) and not _TOKEN.match(group, end + 1):
        return end + 1
    return end


# -- qualifiers -----------------------------------------------------------------


@bounded
@frozen
class _Filter:
    """What a ``with ...`` clause keeps, as a test on a code's key (no dot).

    * ``positions`` + ``chars``, one position ("with fifth character 2"): the
      character at that position, whatever follows;
    * ``positions`` + ``chars``, two positions ("with fifth or sixth character
      1-4", the intent character of the poisoning codes) or ``final`` ("with
      final character 6"): the *last* character of a complete code (billable,
      or waiting only for its 7th character), at one of the positions; a
      subcategory such as ``T40.41`` (fentanyl) is not an intent;
    * ``run`` at ``at`` ("with fifth to sixth characters 51");
    * ``after_dot`` ("with .42", "with .51-.52");
    * ``suffix`` with ``gap`` ("I69. with final characters -23": one
      character, then ``23``).
    """

    positions: tuple[int, ...] = ()
    chars: tuple[tuple[str, str], ...] = ()
    final: bool = False
    at: int = 0
    run: str = ""
    after_dot: tuple[tuple[str, str], ...] = ()
    suffix: str = ""
    gap: int = 0

    def keeps(self, key: str, base: str) -> bool:
        """Whether ``key`` passes; ``base`` is the key the reference starts from."""
        if self.final:
            if self.positions and len(key) - 1 not in self.positions:
                return False
            return any(lo <= key[-1] <= hi for lo, hi in self.chars)
        if self.positions:
            return any(
                len(key) > p and lo <= key[p] <= hi for p in self.positions for lo, hi in self.chars
            )
        if self.run:
            return key[self.at : self.at + len(self.run)] == self.run
        if self.after_dot:
            rest = key[3:]
            return any(
                len(rest) >= len(lo) and lo <= rest[: len(lo)] <= hi for lo, hi in self.after_dot
            )
        if self.gap and len(key) != len(base) + self.gap + len(self.suffix):
            return False
        return len(key) > len(base) and key.endswith(self.suffix)


def _parse_qualifier(qualifier: str) -> _Filter | None:
    """The filter a ``with ...`` clause states, or ``None`` when not understood."""
    m = _AT_POSITION.fullmatch(qualifier)
    if m is not None:
        ordinals = [g.lower() for g in (m.group(1), m.group(2)) if g is not None]
        positions = tuple(sorted({_ORDINALS[g] for g in ordinals}))
        chars = tuple((lo, hi or lo) for lo, hi in _CHAR_RANGE.findall(m.group(3)))
        return _Filter(positions=positions, chars=chars, final=len(positions) > 1)
    m = _SPAN.fullmatch(qualifier)
    if m is not None:
        at, to = _ORDINALS[m.group(1).lower()], _ORDINALS[m.group(2).lower()]
        run = m.group(3)
        return _Filter(at=at, run=run) if len(run) == to - at + 1 else None
    m = _FINAL.fullmatch(qualifier)
    if m is not None:
        if m.group(1):
            return _Filter(suffix=m.group(2), gap=1)
        if len(m.group(2)) == 1:
            char = m.group(2)
            return _Filter(chars=((char, char),), final=True)
        return None
    m = _AFTER_DOT.fullmatch(qualifier)
    if m is not None:
        values = tuple((lo, hi or lo) for lo, hi in _DOT_VALUE.findall(m.group(1)))
        if values and all(len(lo) == len(hi) for lo, hi in values):
            return _Filter(after_dot=values)
    return None


# -- resolution -----------------------------------------------------------------

Intervals = tuple[tuple[int, int], ...]


def resolve_intervals(st: _Store, ref: CodeRef) -> tuple[Intervals, Intervals, str | None]:
    """Where ``ref`` points in a release, as pre-order index intervals.

    Returns ``(intervals, coarse, reason)``: ``intervals`` is the exact answer
    (empty when unresolved), ``coarse`` the range before an unknown qualifier
    is applied (so a caller can say "maybe"), ``reason`` why it is unresolved
    or ``None``.
    """
    codes, ends = st.codes, st.ends
    i = codes.get(ref.first)
    if i is None:
        return (), (), f"{_display(ref.first)} is not a code of this release"
    start, end = i, ends[i]
    if ref.last is not None:
        j = codes.get(ref.last)
        if j is None:
            # The range ends at a code this release lacks (R10.85's "R10.1-R10.4-"):
            # the codes from its start up to where that code would sort may be meant.
            keys, flags, last = st.keys, st.flags, ref.last
            k = start
            while k < len(keys) and not flags[k] & GROUP and keys[k][: len(last)] <= last:
                k += 1
            maybe = ((start, k),) if k > start else ()
            return (), maybe, f"{_display(ref.last)} is not a code of this release"
        if j < i:
            return (), (), "the range runs backwards"
        end = max(end, ends[j])
    whole = ((start, end),)
    if ref.qualifier is None:
        return whole, whole, None
    filt = _parse_qualifier(ref.qualifier)
    if filt is None:
        return (), whole, f"the qualifier {ref.qualifier!r} is not understood"
    keys, flags, parents = st.keys, st.flags, st.parents
    n = len(keys)
    base = ref.first
    # Below a node whose key is at least this long, nothing passes unless it does.
    decided = max(filt.positions) + 1 if filt.positions and not filt.final else 99
    found: list[tuple[int, int]] = []
    k = start
    while k < end:
        f = flags[k]
        if f & GROUP:
            k += 1
            continue
        key = keys[k]
        if filt.final or filt.suffix:
            # Only complete codes: billable, or waiting only for a 7th character.
            extended = k + 1 < n and flags[k + 1] & GENERATED and parents[k + 1] == k
            if filt.final and (f & GENERATED or not (f & BILLABLE or extended)):
                k += 1
                continue
            if filt.suffix and not f & BILLABLE:
                k += 1
                continue
            if filt.keeps(key, base):
                found.append((k, ends[k]))
            k = ends[k] if extended else k + 1  # a base's 7th characters are not "final"
        elif filt.keeps(key, base):
            found.append((k, ends[k]))
            k = ends[k]
        else:
            k = ends[k] if len(key) >= decided else k + 1
    if not found:
        return (), whole, f"no code of {ref.text.split(' with ')[0]} matches {ref.qualifier!r}"
    return tuple(found), whole, None


def _display(key: str) -> str:
    return key if len(key) <= 3 else f"{key[:3]}.{key[3:]}"
