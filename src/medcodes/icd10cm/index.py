"""The Alphabetic Index and the External Cause Index (root ``<ICD10CM.index>``).

Coders start from a term, not from the tabular: "Diabetes, type 2, with,
hyperglycemia" gives ``E11.65``. :func:`load_index` reads either index file of
a release into an :class:`Index`: main terms and their sub-terms as a tree of
:class:`Term`\\ s, each with its title (non-essential modifiers, the ``nemod``
in parentheses, kept apart from the essential words), its code (complete, or
ending in ``-`` when the tabular must complete it), the manifestation code
printed in brackets after it, and its cross-references (``see``, ``see also``,
``see category``, ``see subcategory``), which :attr:`Term.references` resolves
to the terms they name.

>>> from medcodes.icd10cm import load_index
>>> index = load_index("tests/data/icd10cm-2017/icd10cm_index_2017.xml.xz")
>>> term = index.lookup("Diabetes", "type 2", "with", "hyperglycemia")
>>> term.code, term.path
('E11.65', ('Diabetes, diabetic', 'type 2', 'with', 'hyperglycemia'))

The terms are kept as flat arrays in document order; a :class:`Term` is a
small view of one entry, made on demand.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from attrs import frozen

from .._args import text_arg
from .._gc import paused_gc
from .._repr import bounded
from ..errors import ParseError, UsageError
from ..sources import (
    MAX_BYTES_ICD10CM,
    PathArg,
    SourceFile,
    _Candidate,
    _candidates,
    _check_max_bytes,
    _no_match,
    _path,
    _pick,
    _read,
)
from .tabular import _parse_root

if TYPE_CHECKING:
    from .codeset import Codeset, Node

__all__ = [
    "CodeCompletion",
    "CodeReport",
    "CodeStatus",
    "CrossRef",
    "EtiologyPair",
    "Index",
    "IndexDiff",
    "IndexKind",
    "RefKind",
    "RefStatus",
    "Term",
    "complete_code",
    "diff_index",
    "load_index",
]

ROOT_TAG = "ICD10CM.index"

#: Official names of the two index files (``icd10cm_index_2017.xml``,
#: ``icd10cm-eindex-April-2024.xml``), optionally compressed.
INDEX_NAME = re.compile(r"(?i)icd10cm[-_ ]index[-_ ].*\.xml(\.gz|\.xz)?$")
EINDEX_NAME = re.compile(r"(?i)icd10cm[-_ ]eindex[-_ ].*\.xml(\.gz|\.xz)?$")

_CODE = re.compile(r"[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{0,4})?-?|[A-Z][0-9][0-9A-Z]\.-")
_CODE_IN_TEXT = re.compile(r"\b([A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?-?)")
_PAREN = re.compile(r"\([^()]*\)")
_WORD = re.compile(r"[0-9a-z]+(?:'[a-z]+)?")


class IndexKind(enum.StrEnum):
    """Which index a file is, by its root ``<title>``."""

    DISEASES = "diseases and injuries"
    EXTERNAL_CAUSES = "external causes"


class RefKind(enum.StrEnum):
    """The kind of a cross-reference (Official Guidelines I.A.16)."""

    SEE = "see"
    SEE_ALSO = "see also"
    SEE_CATEGORY = "see category"
    SEE_SUBCATEGORY = "see subcategory"


class RefStatus(enum.StrEnum):
    """What a cross-reference's text names."""

    TERM = "term"  #: a term of the same index (the ``target`` of the :class:`CrossRef`)
    TABLE = "table"  #: the Table of Drugs and Chemicals or the Table of Neoplasms
    CODE = "code"  #: a tabular category or subcategory (the ``code`` of the :class:`CrossRef`)
    CONDITION = "condition"  #: the words "see condition" (look up the condition itself)
    NOT_FOUND = "not found"  #: names nothing of this index


@bounded
@frozen
class CrossRef:
    """A resolved cross-reference of a term.

    :ivar kind: see, see also, see category or see subcategory.
    :ivar text: the text as the file gives it.
    :ivar status: what the text was found to name.
    :ivar target: the term named (status ``TERM``), else ``None``.
    :ivar code: the code named (status ``CODE``), else ``None``.
    :ivar table: ``"drugs"`` or ``"neoplasms"`` (status ``TABLE``), else ``None``.
    :ivar rest: what the text says after the part that names ``target``,
        which the coder must still follow by hand (``"by type, with
        ketoacidosis"`` in "see Diabetes, by type, with ketoacidosis"), else
        ``None``.
    """

    kind: RefKind
    text: str
    status: RefStatus
    target: Term | None = None
    code: str | None = None
    table: str | None = None
    rest: str | None = None


@bounded
@frozen
class EtiologyPair:
    """An etiology code and the manifestation code the index prints in brackets
    after it (``G20 [F02.80]``): both are reported, the etiology first (I.A.13).

    :ivar etiology: the etiology code, as written in the index.
    :ivar manifestation: the manifestation code, as written.
    :ivar term: the index entry that gives the pair.
    """

    etiology: str
    manifestation: str
    term: Term


class _Store:
    """The terms of one index file, in document order, as parallel arrays."""

    __slots__ = (
        "codes",
        "ends",
        "essentials",
        "levels",
        "manifs",
        "nemods",
        "parents",
        "refs",
        "titles",
        "warnings",
    )

    def __init__(self) -> None:
        self.titles: list[str] = []  # full title, nemod in place
        self.essentials: list[str] = []  # title without the nemod
        self.nemods: dict[int, str] = {}
        self.levels: list[int] = []  # 0 for a main term
        self.parents: list[int] = []
        self.ends: list[int] = []  # one past the last term of the subtree
        self.codes: dict[int, str] = {}
        self.manifs: dict[int, str] = {}
        self.refs: dict[int, tuple[tuple[RefKind, str], ...]] = {}
        self.warnings: dict[int, str] = {}  # the schema's <warning> (unused so far)

    def lower_keys(self) -> list[str]:
        """The lookup key of each essential title (see :func:`_key`)."""
        return [_key(e) if "(" in e else e.lower() for e in self.essentials]


def _add(table: dict[tuple[int, str], list[int]], key: tuple[int, str], i: int) -> None:
    found = table.get(key)
    if found is None:
        table[key] = [i]
    elif i not in found:
        found.append(i)


def _words(text: str) -> list[str]:
    """The words of lower-case text, accents folded ("sjögren" -> "sjogren")."""
    if not text.isascii():
        text = "".join(
            c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
        )
        text = text.replace("\u2019", "'")
    return _WORD.findall(text)


def _title_words(key: str) -> set[str]:
    """The words a title is searched by: its own, and a possessive without
    its "'s" as well ("parkinson's" and "parkinson")."""
    words = set(_words(key))
    return words | {w[:-2] for w in words if w.endswith("'s")}


def _same_stem(a: str, b: str) -> bool:
    """Whether two words are spellings of one word ("senile", "senility"):
    they share their first four letters and half the shorter one."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n >= 4 and 2 * n >= min(len(a), len(b))


def _key(text: str) -> str:
    """The lookup key of a title or of a typed step: parenthesised words (a
    non-essential modifier) dropped, blanks collapsed, lower case."""
    if "(" in text:
        text = _PAREN.sub(" ", text)
    key = text.lower()
    if "  " in key or key != key.strip() or "\t" in key or "\n" in key:
        key = " ".join(key.split())
    return key


_REF_TAGS = {
    "see": RefKind.SEE,
    "seeAlso": RefKind.SEE_ALSO,
    "seecat": RefKind.SEE_CATEGORY,
    "subcat": RefKind.SEE_SUBCATEGORY,
}


class _Builder:
    __slots__ = ("label", "store")

    def __init__(self, label: str) -> None:
        self.label = label
        self.store = _Store()

    def _error(self, message: str, el: Any) -> ParseError:
        return ParseError(message, file=self.label, line=el.sourceline)

    def _title(self, el: Any, i: int) -> None:
        st = self.store
        if not len(el):
            text = el.text or ""
            if "  " in text or "\n" in text or text != text.strip():
                text = " ".join(text.split())
            st.titles[i] = st.essentials[i] = text
            return
        words = [el.text or ""]
        nemods = []
        full = [el.text or ""]
        for c in el:
            if c.tag != "nemod" or len(c):
                raise self._error(f"<{c.tag}> inside a <title>: only <nemod> may be there", c)
            nemods.append(c.text or "")
            full.append(c.text or "")
            words.append(c.tail or "")
            full.append(c.tail or "")
        essential = " ".join(" ".join(words).split())
        st.titles[i] = " ".join(" ".join(full).split())
        st.essentials[i] = essential
        st.nemods[i] = " ".join(" ".join(nemods).split())

    def term(self, el: Any, parent: int, level: int) -> None:
        st = self.store
        titles = st.titles
        i = len(titles)
        titles.append("")
        st.essentials.append("")
        st.levels.append(level)
        st.parents.append(parent)
        st.ends.append(0)
        titled = False
        refs: list[tuple[RefKind, str]] | None = None
        level_text = _LEVELS[level + 1] if level < 9 else ""
        for c in el:
            tag = c.tag
            if tag == "title":
                if titled:
                    raise self._error("a second <title>", c)
                self._title(c, i)
                titled = True
            elif tag == "term":
                if not titled:
                    raise self._error("<term> before its parent's <title>", c)
                if c.get("level") != level_text:
                    raise self._error(
                        f"<term level={c.get('level')!r}> at nesting level {level + 1}", c
                    )
                self.term(c, i, level + 1)
            elif tag == "code" or tag == "manif":
                text = c.text or ""
                if len(c) or not _CODE.fullmatch(text):
                    text = text.strip()
                    if len(c) or not _CODE.fullmatch(text):
                        raise self._error(f"<{tag}> {text!r} is not an ICD-10-CM code", c)
                table = st.codes if tag == "code" else st.manifs
                if i in table:
                    raise self._error(f"a second <{tag}>", c)
                table[i] = text
            elif tag in _REF_TAGS:
                text = " ".join("".join(c.itertext()).split())
                if not text:
                    raise self._error(f"empty <{tag}>", c)
                if refs is None:
                    refs = []
                refs.append((_REF_TAGS[tag], text))
            elif tag == "warning":
                st.warnings[i] = " ".join("".join(c.itertext()).split())
            elif isinstance(tag, str):
                raise self._error(f"unexpected <{tag}> in an index term", c)
        if not titled:
            raise self._error("a term without <title>", el)
        if i in st.manifs and i not in st.codes:
            raise self._error("a <manif> code without the <code> it follows", el)
        if refs:
            st.refs[i] = tuple(refs)
        st.ends[i] = len(titles)


_LEVELS = tuple(str(n) for n in range(10))


def parse_index(data: bytes, label: str, source: SourceFile | None = None) -> Index:
    """Parse the bytes of an index XML file; ``label`` names it in errors."""
    root, version = _parse_root(data, label, ROOT_TAG, "an ICD-10-CM index file")
    if root.get("isAddenda") == "true":
        raise ParseError(
            "an index addenda file (changes, with <diff> elements), not an index",
            file=label,
            line=root.sourceline,
        )
    if root.find("indexHeading") is not None:
        raise ParseError(
            "a table (Table of Drugs and Chemicals or of Neoplasms), not an index",
            file=label,
            line=root.find("indexHeading").sourceline,
        )
    title = " ".join((root.findtext("title") or "").split())
    kind = IndexKind.EXTERNAL_CAUSES if "EXTERNAL" in title.upper() else IndexKind.DISEASES
    builder = _Builder(label)
    letters = 0
    with paused_gc():
        for letter in root.iterchildren("letter"):
            letters += 1
            for c in letter:
                if c.tag == "mainTerm":
                    builder.term(c, -1, 0)
                elif c.tag not in ("title",) and isinstance(c.tag, str):
                    raise ParseError(
                        f"unexpected <{c.tag}> in a <letter>", file=label, line=c.sourceline
                    )
            letter.clear()
    if not builder.store.titles:
        raise ParseError("no <letter> with a <mainTerm> (truncated or wrong file?)", file=label)
    return Index(builder.store, int(version), kind, title, source)


class Term:
    """An immutable view of one entry of an :class:`Index`: a main term
    (``level`` 0) or a sub-term. Get them from an index, never construct them.

    >>> from medcodes.icd10cm import load_index
    >>> index = load_index("tests/data/icd10cm-2017/icd10cm_index_2017.xml.xz")
    >>> term = index["Abasia"]
    >>> term.title, term.essential, term.nemod, term.code
    ('Abasia (-astasia) (hysterical)', 'Abasia', '(-astasia) (hysterical)', 'F44.4')
    """

    __slots__ = ("_i", "_ix")

    def __init__(self, index: Index, i: int) -> None:
        self._ix = index
        self._i = i

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Term) and other._ix is self._ix and other._i == self._i

    def __hash__(self) -> int:
        return hash((id(self._ix), self._i))

    def __repr__(self) -> str:
        return f"<Term {' > '.join(self.path)!r}{' ' + self.code if self.code else ''}>"

    @property
    def index(self) -> Index:
        """The index this term belongs to."""
        return self._ix

    @property
    def title(self) -> str:
        """The title as printed, non-essential modifiers in place."""
        return self._ix._store.titles[self._i]

    @property
    def essential(self) -> str:
        """The title without its non-essential modifiers."""
        return self._ix._store.essentials[self._i]

    @property
    def nemod(self) -> str | None:
        """The non-essential modifiers (in parentheses), or ``None``."""
        return self._ix._store.nemods.get(self._i)

    @property
    def level(self) -> int:
        """0 for a main term, 1 for its sub-terms, and so on."""
        return self._ix._store.levels[self._i]

    @property
    def code(self) -> str | None:
        """The code as written (``"E11.9"``, or ``"S72.00-"`` when the tabular
        must complete it), or ``None``."""
        return self._ix._store.codes.get(self._i)

    @property
    def manifestation(self) -> str | None:
        """The manifestation code printed in brackets after :attr:`code`, or ``None``."""
        return self._ix._store.manifs.get(self._i)

    @property
    def codes(self) -> tuple[str, ...]:
        """The code and, if any, its manifestation code, in reporting order
        (etiology first)."""
        st = self._ix._store
        code = st.codes.get(self._i)
        if code is None:
            return ()
        manif = st.manifs.get(self._i)
        return (code,) if manif is None else (code, manif)

    @property
    def warning(self) -> str | None:
        """The text of the term's ``<warning>`` (an element of the official
        schema that no staged file uses), or ``None``."""
        return self._ix._store.warnings.get(self._i)

    @property
    def parent(self) -> Term | None:
        """The term above, or ``None`` for a main term."""
        p = self._ix._store.parents[self._i]
        return None if p < 0 else Term(self._ix, p)

    @property
    def children(self) -> tuple[Term, ...]:
        """The sub-terms one level down, in index order."""
        return tuple(Term(self._ix, j) for j in self._ix._children(self._i))

    def descendants(self) -> Iterator[Term]:
        """Every term below, in index order."""
        ends = self._ix._store.ends
        return (Term(self._ix, j) for j in range(self._i + 1, ends[self._i]))

    @property
    def path(self) -> tuple[str, ...]:
        """The essential titles from the main term down to this term."""
        st = self._ix._store
        out = []
        i = self._i
        while i >= 0:
            out.append(st.essentials[i])
            i = st.parents[i]
        return tuple(reversed(out))

    @property
    def main_term(self) -> Term:
        """The main term this term is under (itself for a main term)."""
        parents = self._ix._store.parents
        i = self._i
        while parents[i] >= 0:
            i = parents[i]
        return Term(self._ix, i)

    @property
    def references(self) -> tuple[CrossRef, ...]:
        """The cross-references, each resolved against this index."""
        refs = self._ix._store.refs.get(self._i, ())
        return tuple(self._ix._resolve(kind, text) for kind, text in refs)


class Index:
    """One loaded index file: the Alphabetic Index of diseases and injuries or
    the External Cause Index. Immutable; get one from :func:`load_index` or as
    ``cm.index`` / ``cm.eindex`` of a release loaded with its index files.

    ``index["Diabetes"]`` is a main term (by its full essential title, or by
    its first comma-separated word when only one main term starts so);
    :meth:`lookup` follows sub-terms; :meth:`search` finds terms by words.
    The table of titles is built by the first lookup, the word index by the
    first search (each once; ``scripts/bench.py`` reports their cost).
    """

    __slots__ = (
        "__weakref__",
        "_by_key",
        "_kind",
        "_mains",
        "_search",
        "_source",
        "_store",
        "_title",
        "_version",
    )

    def __init__(
        self,
        store: _Store,
        version: int,
        kind: IndexKind,
        title: str,
        source: SourceFile | None = None,
    ) -> None:
        init = object.__setattr__
        init(self, "_store", store)
        init(self, "_version", version)
        init(self, "_kind", kind)
        init(self, "_title", title)
        init(self, "_source", source)
        init(self, "_search", None)
        init(self, "_by_key", None)
        init(self, "_mains", tuple(i for i, p in enumerate(store.parents) if p < 0))

    _by_key: dict[tuple[int, str], list[int]] | None
    _kind: IndexKind
    _mains: tuple[int, ...]
    _search: dict[str, tuple[int, ...]] | None
    _source: SourceFile | None
    _store: _Store
    _title: str
    _version: int

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("an Index is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        return (Index, (self._store, self._version, self._kind, self._title, self._source))

    def __repr__(self) -> str:
        return f"<Index {self._title or self._kind.value} {self._version}: {len(self)} terms>"

    # -- internals -----------------------------------------------------------
    def _children(self, i: int) -> Iterator[int]:
        ends = self._store.ends
        j, end = i + 1, ends[i]
        while j < end:
            yield j
            j = ends[j]

    def _keys(self) -> dict[tuple[int, str], list[int]]:
        """(parent, title key) -> the terms it may name, best first; built on
        the first lookup."""
        by_key = self._by_key
        if by_key is None:
            by_key = {}
            store = self._store
            keys, parents = store.lower_keys(), store.parents
            with paused_gc():
                # Exact titles first (equal siblings in index order) ...
                for i, key in enumerate(keys):
                    found = by_key.get((parents[i], key))
                    if found is None:
                        by_key[parents[i], key] = [i]
                    else:
                        found.append(i)
                # ... then a title without its trailing "NEC", a title's first
                # comma-separated part ("Diabetes" for "Diabetes, diabetic"),
                # and a title with its modifiers' words ("spinal (cord)").
                for i in store.nemods:
                    words = store.titles[i].replace("(", " ").replace(")", " ")
                    _add(by_key, (parents[i], " ".join(words.lower().split())), i)
                for i, key in enumerate(keys):
                    if key.endswith(" nec"):
                        _add(by_key, (parents[i], key[:-4]), i)
                    if "," in key:
                        _add(by_key, (parents[i], key.split(",", 1)[0].strip()), i)
                # ... and last the other spellings of a main term ("senility"
                # in "Senile, senility"): later parts that share a stem with
                # the first.
                for i in self._mains:
                    key = keys[i]
                    if "," in key:
                        first, *others = (p.strip() for p in key.split(","))
                        for part in others:
                            if _same_stem(first, part):
                                _add(by_key, (-1, part), i)
            object.__setattr__(self, "_by_key", by_key)
        return by_key

    def _options(self, parent: int, step: str) -> list[int]:
        """The terms under ``parent`` that ``step`` may name, best first; a
        plural finds the singular and back ("Complications", "Complication")."""
        table = self._keys()
        key = _key(step)
        found = table.get((parent, key))
        if found is None:
            found = table.get((parent, key[:-1] if key.endswith("s") else key + "s"))
        return found or []

    def _step(self, parent: int, step: str) -> int | None:
        found = self._options(parent, step)
        return found[0] if found else None

    def _follow(self, parent: int, steps: tuple[str, ...]) -> int | None:
        """The term that ``steps`` name one after the other, trying each
        option of a step ("Fracture" is the first word of several main terms)."""
        if not steps:
            return parent
        options = self._options(parent, steps[0])
        if len(options) == 1 and len(steps) == 1:
            return options[0]
        for i in options:
            found = self._follow(i, steps[1:])
            if found is not None:
                return found
        return None

    def _walk(self, parent: int, parts: list[str]) -> tuple[int, int]:
        """Follow comma-separated ``parts`` (a title may itself hold commas):
        the deepest term reached and how many parts it used."""
        best = (parent, 0)
        for k in range(len(parts), 0, -1):
            for i in self._options(parent, ", ".join(parts[:k])):
                if k == len(parts):
                    return i, k
                j, used = self._walk(i, parts[k:])
                if k + used > best[1]:
                    best = (j, k + used)
                    if k + used == len(parts):
                        return best
        return best

    def _resolve(self, kind: RefKind, text: str) -> CrossRef:
        if kind in (RefKind.SEE_CATEGORY, RefKind.SEE_SUBCATEGORY):
            return CrossRef(kind, text, RefStatus.CODE, code=text)
        plain = text.rstrip(". ")
        low = plain.lower()
        if low in ("condition", "also condition") or low.startswith("condition"):
            return CrossRef(kind, text, RefStatus.CONDITION)
        parts = [p.strip() for p in plain.split(",") if p.strip()]
        i, used = self._walk(-1, parts)
        rest = parts[used:]
        if i >= 0 and (not rest or rest[0].lower().startswith("by ")):
            more = ", ".join(rest) or None
            return CrossRef(kind, text, RefStatus.TERM, target=Term(self, i), rest=more)
        if low.startswith("table of drugs"):
            return CrossRef(kind, text, RefStatus.TABLE, table="drugs")
        if low.startswith(("neoplasm", "table of neoplasms")):
            return CrossRef(kind, text, RefStatus.TABLE, table="neoplasms")
        m = _CODE_IN_TEXT.search(plain)
        if m is not None and low.startswith(("category", "subcategory", "code", "categories")):
            return CrossRef(kind, text, RefStatus.CODE, code=m.group(1))
        return CrossRef(kind, text, RefStatus.NOT_FOUND)

    # -- public ----------------------------------------------------------------
    @property
    def version(self) -> int:
        """The file's ``<version>`` (the fiscal year)."""
        return self._version

    @property
    def kind(self) -> IndexKind:
        """Diseases and injuries (the main index) or external causes."""
        return self._kind

    @property
    def title(self) -> str:
        """The file's own title (``"ICD-10-CM INDEX TO DISEASES and INJURIES"``)."""
        return self._title

    @property
    def source(self) -> SourceFile | None:
        """The file it was read from (with its SHA-256)."""
        return self._source

    def __len__(self) -> int:
        """The number of terms, main terms included."""
        return len(self._store.titles)

    def __iter__(self) -> Iterator[Term]:
        """Every term in index order (each main term followed by its sub-terms)."""
        return (Term(self, i) for i in range(len(self._store.titles)))

    @property
    def main_terms(self) -> tuple[Term, ...]:
        """The main terms, in index order."""
        return tuple(Term(self, i) for i in self._mains)

    def get(self, title: str) -> Term | None:
        """The main term of that title, or ``None`` (see :meth:`__getitem__`).

        :raises ~medcodes.errors.UsageError: the title is only the first word
            of several main terms (``"Fracture"``); the message lists them.
        """
        title = text_arg(title, "title")
        options = self._options(-1, title)
        if len(options) > 1:
            rank = self._rank(options[0], title)
            best = [i for i in options if self._rank(i, title) == rank]
            if rank and len(best) > 1:
                raise UsageError(
                    f"{title!r} is part of several main terms' titles; say which: "
                    + "; ".join(self._store.essentials[i] for i in best)
                )
        return Term(self, options[0]) if options else None

    def _rank(self, i: int, step: str) -> int:
        """How ``step`` names term ``i``: 0 by a whole title (its essential
        words, with its modifiers' words, or without "NEC"), 1 by its first
        comma-separated part, 2 by another part; singular or plural."""
        st = self._store
        key = _key(step)
        typed = {key, key.removesuffix("s"), key + "s"}
        own = _key(st.essentials[i])
        words = " ".join(st.titles[i].replace("(", " ").replace(")", " ").lower().split())
        if typed & {own, own.removesuffix(" nec"), words}:
            return 0
        return 1 if own.split(",", 1)[0].strip() in typed else 2

    def __getitem__(self, title: str) -> Term:
        """The main term of that title: case-insensitive, non-essential
        modifiers (in parentheses) ignored; ``"Diabetes"`` finds "Diabetes,
        diabetic".

        :raises KeyError: no such main term.
        """
        term = self.get(title)
        if term is None:
            raise KeyError(title)
        return term

    def __contains__(self, title: object) -> bool:
        return isinstance(title, str) and self._step(-1, title) is not None

    def lookup(self, main_term: str, *subterms: str) -> Term:
        """Follow a main term and sub-terms, each step naming a sub-term of the
        previous one (case- and modifier-insensitive), as a coder reads the index.

        >>> from medcodes.icd10cm import load_index
        >>> index = load_index("tests/data/icd10cm-2017/icd10cm_index_2017.xml.xz")
        >>> index.lookup("diabetes", "type 1", "with", "ketoacidosis").code
        'E10.10'

        :raises KeyError: a step names no sub-term; the message says which.
        """
        steps = (main_term, *subterms)
        for step in steps:
            if not isinstance(step, str):
                text_arg(step, "main_term" if step is main_term else "subterm")
        if not subterms:
            term = self.get(main_term)
            if term is None:
                raise KeyError(f"no main term {main_term!r}")
            return term
        found = self._follow(-1, steps)
        if found is not None:
            return Term(self, found)
        # Say where it stops: the longest run of steps that leads somewhere.
        n = max(k for k in range(len(steps)) if k == 0 or self._follow(-1, steps[:k]) is not None)
        if n == 0:
            raise KeyError(f"no main term {main_term!r}")
        raise KeyError(f"{', '.join(steps[:n])!r} has no sub-term {steps[n]!r}")

    def find(self, text: str) -> Term | None:
        """The term a comma-separated path names, as written in cross-references
        (``"Disease, heart, valve"``), or ``None``."""
        parts = [p.strip() for p in text_arg(text, "text").split(",") if p.strip()]
        i, used = self._walk(-1, parts)
        return Term(self, i) if i >= 0 and used == len(parts) else None

    def _search_index(self) -> dict[str, tuple[int, ...]]:
        """word -> the terms whose title has it, in rank order; built on the
        first search."""
        found = self._search
        if found is None:
            postings: dict[str, list[int]] = {}
            keys = self._store.lower_keys()
            levels = self._store.levels
            with paused_gc():
                # Main terms first, then by depth; index order within a level
                # (a stable sort): every word's list comes out ranked.
                for i in sorted(range(len(keys)), key=levels.__getitem__):
                    for w in _title_words(keys[i]):
                        lst = postings.get(w)
                        if lst is None:
                            postings[w] = [i]
                        else:
                            lst.append(i)
                found = {w: tuple(lst) for w, lst in postings.items()}
            object.__setattr__(self, "_search", found)
        return found

    def search(self, text: str, *, limit: int | None = None) -> tuple[Term, ...]:
        """The terms that hold every word of ``text``, in any order, in their
        own title or in the titles above them ("fracture femur neck" finds
        Fracture, traumatic > femur > neck), each answer's own title holding at
        least one of the words. Ranked main terms first, then by depth, then in
        index order. The first search builds a word index (once per index).

        >>> from medcodes.icd10cm import load_index
        >>> index = load_index("tests/data/icd10cm-2017/icd10cm_index_2017.xml.xz")
        >>> hits = index.search("ketoacidosis")
        >>> [(t.level, t.code) for t in hits][:3]
        [(0, 'E87.2'), (3, 'E09.10'), (3, 'E08.10')]
        >>> hits[1].path
        ('Diabetes, diabetic', 'due to drug or chemical', 'with', 'ketoacidosis')

        :param limit: at most this many terms (the best ranked), 0 or more.
        """
        words = set(_words(text_arg(text, "text").lower()))
        if limit is not None and (
            isinstance(limit, bool) or not isinstance(limit, int) or limit < 0
        ):
            raise UsageError(f"limit must be an int of 0 or more, or None, not {limit!r}")
        if not words:
            return ()
        postings = self._search_index()
        lists = sorted((self._postings(postings, w) for w in words), key=len)
        if not lists[0]:
            return ()
        hits = list(lists[0]) if len(lists) == 1 else self._path_hits(lists)
        if limit is not None:
            hits = hits[:limit]
        return tuple(Term(self, i) for i in hits)

    def _postings(self, postings: dict[str, tuple[int, ...]], word: str) -> tuple[int, ...]:
        """The ranked terms that hold ``word``, in the singular or the plural
        ("fractures" finds "fracture", "parkinsons" finds "Parkinson's")."""
        forms = [word]
        if word.endswith("s") and len(word) > 3:
            forms.append(word[:-1])
        elif not word.endswith("'s"):
            forms.append(word + "s")
        lists = [lst for f in forms if (lst := postings.get(f))]
        if len(lists) < 2:
            return lists[0] if lists else ()
        levels = self._store.levels
        return tuple(sorted({i for lst in lists for i in lst}, key=lambda i: (levels[i], i)))

    def _path_hits(self, lists: list[tuple[int, ...]]) -> list[int]:
        """The terms under (or at) a term of the rarest word's list whose path
        holds every word and whose own title holds one."""
        st = self._store
        ends, parents, levels = st.ends, st.parents, st.levels
        sets = [frozenset(lst) for lst in lists]
        found: set[int] = set()
        for j in lists[0]:
            for i in range(j, ends[j]):
                if i in found or not any(i in s for s in sets):
                    continue
                for s in sets:
                    k = i
                    while k >= 0 and k not in s:
                        k = parents[k]
                    if k < 0:
                        break
                else:
                    found.add(i)
        return sorted(found, key=lambda i: (levels[i], i))

    # -- records ---------------------------------------------------------------
    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per term, in index order: ``path`` (the essential
        titles joined with ``" > "``), ``level``, ``code``, ``manifestation``,
        ``see`` (see, see category and see subcategory texts joined with
        ``"; "``) and ``see_also``. Absent values are ``""``, so every column
        holds one type and a pandas or polars frame needs no schema.

        >>> from medcodes.icd10cm import load_index
        >>> index = load_index("tests/data/icd10cm-2017/icd10cm_index_2017.xml.xz")
        >>> [r for r in index.to_records() if r["path"] == "Dementia > in > Parkinson's disease"]
        [{'path': "Dementia > in > Parkinson's disease", 'level': 2, 'code': 'G20', \
'manifestation': 'F02.80', 'see': '', 'see_also': ''}]
        """
        st = self._store
        paths: list[str] = []
        rows = []
        for i, essential in enumerate(st.essentials):
            p = st.parents[i]
            path = f"{paths[p]} > {essential}" if p >= 0 else essential
            paths.append(path)
            refs = st.refs.get(i, ())
            rows.append(
                {
                    "path": path,
                    "level": st.levels[i],
                    "code": st.codes.get(i, ""),
                    "manifestation": st.manifs.get(i, ""),
                    "see": "; ".join(t for k, t in refs if k is not RefKind.SEE_ALSO),
                    "see_also": "; ".join(t for k, t in refs if k is RefKind.SEE_ALSO),
                }
            )
        return rows

    # -- codes -----------------------------------------------------------------
    def coded_terms(self) -> Iterator[Term]:
        """Every term that gives a code, in index order."""
        return (Term(self, i) for i in sorted(self._store.codes))

    def etiology_pairs(self) -> tuple[EtiologyPair, ...]:
        """Every etiology/manifestation pair the index prints (``E85.4 [I43]``),
        in index order."""
        st = self._store
        return tuple(
            EtiologyPair(st.codes[i], st.manifs[i], Term(self, i)) for i in sorted(st.manifs)
        )

    def check_codes(self, codeset: Codeset) -> CodeReport:
        """Resolve every code of the index (manifestation codes included)
        against the tabular (or order file) ``codeset`` of the same release."""
        complete: list[CodeCompletion] = []
        incomplete: list[CodeCompletion] = []
        missing: list[CodeCompletion] = []
        cache: dict[str, CodeCompletion] = {}
        st = self._store
        for table in (st.codes, st.manifs):
            for i, code in sorted(table.items()):
                c = cache.get(code)
                if c is None:
                    c = cache[code] = complete_code(code, codeset)
                (
                    complete
                    if c.status is CodeStatus.COMPLETE
                    else missing
                    if c.status is CodeStatus.NOT_FOUND
                    else incomplete
                ).append(c)
                if c.status is CodeStatus.NOT_FOUND:
                    missing[-1] = _with_term(c, Term(self, i))
                elif c.status is not CodeStatus.COMPLETE:
                    incomplete[-1] = _with_term(c, Term(self, i))
        return CodeReport(
            self._source.name if self._source is not None else self._title,
            len(complete),
            tuple(incomplete),
            tuple(missing),
        )


class CodeStatus(enum.StrEnum):
    """How an index code stands in the tabular of its release."""

    COMPLETE = "complete"  #: a billable code
    INCOMPLETE = "incomplete"  #: a header, with characters to add (the index says so with "-")
    UNMARKED = "unmarked"  #: a header, though the index gives it without "-"
    NOT_FOUND = "not found"  #: not in the tabular


@bounded
@frozen
class CodeCompletion:
    """An index code looked up in the tabular.

    :ivar code: the code as the index writes it (``"S72.00-"``).
    :ivar status: complete, incomplete (as the index says), unmarked or not found.
    :ivar node: the tabular node (``S72.00`` for ``"S72.00-"``), or ``None``.
    :ivar missing: the fewest characters to add to reach a billable code (0
        when complete): ``E11.6-`` says 1 because ``E11.65`` is billable, though
        ``E11.610`` takes 2; each of ``completions`` says its own.
    :ivar stray_dash: the index wrote a trailing ``-`` on a code that is
        already complete (``"E11.9-"``): the code is right, the dash is not.
    :ivar seventh: a 7th character is among them.
    :ivar completions: the billable codes it can be completed to.
    :ivar term: the index entry that gives the code (in a :class:`CodeReport`).
    """

    code: str
    status: CodeStatus
    node: Node | None
    missing: int = 0
    seventh: bool = False
    completions: tuple[Node, ...] = ()
    term: Term | None = None
    stray_dash: bool = False


def _with_term(c: CodeCompletion, term: Term) -> CodeCompletion:
    return CodeCompletion(
        c.code, c.status, c.node, c.missing, c.seventh, c.completions, term, c.stray_dash
    )


def complete_code(code: str, codeset: Codeset) -> CodeCompletion:
    """Look an index code up in ``codeset``: the node it names, whether it is
    complete, and if not, how many characters remain (7th included) and the
    billable codes it completes to.

    >>> import medcodes
    >>> from medcodes.icd10cm.index import complete_code
    >>> c = complete_code("S72.00-", medcodes.icd10cm.load())
    >>> c.status.value, c.node.code, c.missing, c.seventh, len(c.completions)
    ('incomplete', 'S72.00', 2, True, 48)
    """
    text = text_arg(code, "code").strip()
    marked = text.endswith("-")
    key = text.rstrip("-").rstrip(".")
    node = codeset.get(key)
    if node is None:
        return CodeCompletion(text, CodeStatus.NOT_FOUND, None)
    if node.billable:
        return CodeCompletion(text, CodeStatus.COMPLETE, node, stray_dash=marked)
    below = tuple(n for n in node.descendants() if n.billable)
    if not below:
        return CodeCompletion(text, CodeStatus.NOT_FOUND, node)
    missing = min(len(n.key) for n in below) - len(node.key)
    seventh = all(len(n.key) == 7 for n in below)
    status = CodeStatus.INCOMPLETE if marked else CodeStatus.UNMARKED
    return CodeCompletion(text, status, node, missing, seventh, below)


@bounded
@frozen
class CodeReport:
    """Every code of an index file resolved against its release's tabular.

    :ivar file: the index file.
    :ivar complete: how many codes are billable codes as written.
    :ivar incomplete: the codes that need more characters (each with its term).
    :ivar not_found: the codes the tabular does not have (each with its term).
    """

    file: str
    complete: int
    incomplete: tuple[CodeCompletion, ...]
    not_found: tuple[CodeCompletion, ...]

    @property
    def total(self) -> int:
        """All codes checked."""
        return self.complete + len(self.incomplete) + len(self.not_found)

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per code that is not complete (the incomplete ones,
        then those not found): ``code`` as written, ``status``, ``path`` of
        its term (joined with ``" > "``), ``node`` (the tabular code, ``""``
        when none), ``missing``, ``seventh`` and ``completions`` (how many
        billable codes it completes to). No ``None``: a pandas or polars frame
        needs no schema."""
        return [
            {
                "code": c.code,
                "status": c.status.value,
                "path": " > ".join(c.term.path) if c.term is not None else "",
                "node": c.node.code if c.node is not None else "",
                "missing": c.missing,
                "seventh": c.seventh,
                "completions": len(c.completions),
            }
            for c in (*self.incomplete, *self.not_found)
        ]


# -- diffs ---------------------------------------------------------------------


@bounded
@frozen
class IndexDiff:
    """The differences between two index files, by term path (essential titles,
    case-insensitive).

    :ivar added: paths only in the new index.
    :ivar removed: paths only in the old index.
    :ivar code_changed: ``(path, old codes, new codes)`` for terms in both whose
        code or manifestation changed.
    """

    old_version: int
    new_version: int
    added: tuple[tuple[str, ...], ...]
    removed: tuple[tuple[str, ...], ...]
    code_changed: tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...]


def _paths(index: Index) -> dict[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...]]]:
    """path key -> (displayed path, codes), first of equal paths kept."""
    st = index._store
    out: dict[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...]]] = {}
    keypath: list[tuple[str, ...]] = []
    shown: list[tuple[str, ...]] = []
    for i, key in enumerate(st.lower_keys()):
        p = st.parents[i]
        k = (*keypath[p], key) if p >= 0 else (key,)
        s = (*shown[p], st.essentials[i]) if p >= 0 else (st.essentials[i],)
        keypath.append(k)
        shown.append(s)
        if k not in out:
            code = st.codes.get(i)
            manif = st.manifs.get(i)
            codes = () if code is None else (code,) if manif is None else (code, manif)
            out[k] = (s, codes)
    return out


def diff_index(old: Index, new: Index) -> IndexDiff:
    """Terms added and removed, and codes changed, from ``old`` to ``new``.

    :raises ~medcodes.errors.UsageError: the two are not the same kind of index.
    """
    if not isinstance(old, Index) or not isinstance(new, Index):
        raise UsageError("diff_index compares two Index objects")
    if old.kind is not new.kind:
        raise UsageError(f"cannot compare the {old.kind.value} index with the {new.kind.value} one")
    a, b = _paths(old), _paths(new)
    added = tuple(b[k][0] for k in b if k not in a)
    removed = tuple(a[k][0] for k in a if k not in b)
    changed = tuple((b[k][0], a[k][1], b[k][1]) for k in b if k in a and a[k][1] != b[k][1])
    return IndexDiff(old.version, new.version, added, removed, changed)


# -- loading -------------------------------------------------------------------


def load_index(
    source: PathArg, *, kind: IndexKind | str | None = None, max_bytes: int = MAX_BYTES_ICD10CM
) -> Index:
    """Load the Alphabetic Index or the External Cause Index.

    :param source: the index XML file (``.gz``/``.xz`` too), or a folder or zip
        that holds one index file.
    :param kind: ``"diseases and injuries"`` (or ``"DISEASES"``) or ``"external
        causes"`` (``"EXTERNAL_CAUSES"``): which index to take from a folder or
        zip holding both (as :func:`load_table` asks ``kind=`` for the tables),
        and what the file must be.
    :param max_bytes: refuse any input larger than this (after decompression).
    :raises ~medcodes.errors.ParseError: the file is malformed, hostile or not
        an index (or not of ``kind``); :class:`~medcodes.errors.SourceError`
        when none is found.
    :raises ~medcodes.errors.UsageError: the folder or zip holds both indexes
        and ``kind`` is not given.
    """
    max_bytes = _check_max_bytes(max_bytes)
    want = None
    if kind is not None:
        try:
            want = IndexKind(kind) if kind in set(IndexKind) else IndexKind[str(kind).upper()]
        except KeyError:
            raise UsageError(
                f"kind is 'diseases and injuries' or 'external causes', not {kind!r}"
            ) from None
    where = _path(source)
    cands, single = _candidates(where)
    if single:
        cand = cands[0]
    else:
        patterns = [
            (IndexKind.DISEASES, INDEX_NAME, "an ICD-10-CM index file"),
            (IndexKind.EXTERNAL_CAUSES, EINDEX_NAME, "an ICD-10-CM external cause index file"),
        ]
        found = [
            c
            for k, pattern, what in patterns
            if want in (None, k) and (c := _pick(cands, pattern, what, str(where)))
        ]
        if not found:
            raise _no_match(cands, "ICD-10-CM index XML", str(where))
        if len(found) > 1:
            raise UsageError(
                f"{where} holds both indexes: pass kind='diseases and injuries' "
                "or kind='external causes'"
            )
        cand = found[0]
    index = _load_candidate(cand, max_bytes)
    if want is not None and index.kind is not want:
        raise ParseError(f"the {index.kind.value} index, not the {want.value} one", file=cand.label)
    return index


def _load_candidate(cand: _Candidate, max_bytes: int) -> Index:
    src = _read(cand, max_bytes)
    described = src.describe("index")
    return parse_index(src.data, src.label, described)


def _load_indexes(
    cands: Iterable[_Candidate], where: str, max_bytes: int
) -> tuple[Index | None, Index | None]:
    """The main and external cause indexes among ``cands`` (``None`` where absent)."""
    cands = list(cands)
    found = []
    for pattern, what, kind in (
        (INDEX_NAME, "an ICD-10-CM index file", IndexKind.DISEASES),
        (EINDEX_NAME, "an ICD-10-CM external cause index file", IndexKind.EXTERNAL_CAUSES),
    ):
        c = _pick(cands, pattern, what, where)
        index = None if c is None else _load_candidate(c, max_bytes)
        if index is not None and index.kind is not kind:
            raise ParseError(
                f"named as the {kind.value} index but its title is {index.title!r}",
                file=c.label if c is not None else where,
            )
        found.append(index)
    return found[0], found[1]
