"""Parser for the ICD-10-CM Tabular List XML (root element ``<ICD10CM.tabular>``).

The parser turns the file into plain records (chapters, sections, ``diag``\\ s in
document order, with every instructional note and every ``sevenChrDef`` kept);
:mod:`medcodes.icd10cm.hierarchy` builds the code tree from them. The XML is
parsed with entity resolution, DTD loading and network access off; a document
type declaration (the vehicle of "billion laughs" and external-entity attacks)
is refused.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

from lxml import etree

from ..errors import DefectWarning, ParseError
from .model import NoteKind, SeventhCharacter, SeventhCharacterRule

__all__: list[str] = []

ROOT_TAG = "ICD10CM.tabular"

#: ICD-10-CM code syntax as written in ``<diag><name>``: 3 characters, then
#: optionally a dot and 1-4 more.
DIAG_NAME = re.compile(r"[A-Z][0-9A-Z]{2}(?:\.[0-9A-Z]{1,4})?")

_NOTE_KINDS = {k.value: k for k in NoteKind}
# Elements that hold nothing the hierarchy needs and that repeat what is kept
# elsewhere: the section index repeats each section's title.
_SKIPPED = frozenset({"sectionIndex"})

_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_blank_text=True,
    remove_comments=True,
    remove_pis=True,
)


# A diag is kept as a list, the cheapest record Python builds (47,000 per file):
# [key, title, depth, notes, sevenChrDef, placeholder, raw elements, line].
KEY, TITLE, DEPTH, NOTES, SEVEN, PLACEHOLDER, EXTRAS, LINE = range(8)
RawNote = tuple[NoteKind, str]


class _Section:
    __slots__ = ("diags", "extras", "id", "line", "notes", "title")

    def __init__(self, id_: str, line: int | None) -> None:
        self.id = id_
        self.line = line
        self.title: str | None = None
        self.notes: list[RawNote] = []
        self.extras: list[str] = []
        self.diags: list[list[Any]] = []


class _Chapter:
    __slots__ = ("extras", "line", "notes", "number", "sections", "title")

    def __init__(self, line: int | None) -> None:
        self.number = ""
        self.line = line
        self.title: str | None = None
        self.notes: list[RawNote] = []
        self.extras: list[str] = []
        self.sections: list[_Section] = []


class _Tabular:
    __slots__ = ("chapters", "label", "version")

    def __init__(self, version: str, chapters: list[_Chapter], label: str) -> None:
        self.version = version
        self.chapters = chapters
        self.label = label


def _defect(message: str, label: str, line: int | None) -> None:
    where = f"{label}, line {line}" if line is not None else label
    warnings.warn(f"{where}: {message}", DefectWarning, stacklevel=4)


def _parse_xml(data: bytes, label: str) -> Any:
    head = data[:4096]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise ParseError(
            "document type declarations and entities are not allowed in release files",
            file=label,
            line=1 + head[: max(head.find(b"<!DOCTYPE"), 0)].count(b"\n"),
        )
    if not data.strip():
        raise ParseError("the file is empty", file=label, line=1)
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        raise ParseError(f"not well-formed XML ({exc.msg})", file=label, line=line) from exc
    if root.getroottree().docinfo.internalDTD is not None:
        raise ParseError("document type declarations are not allowed", file=label, line=1)
    return root


def parse_tabular(data: bytes, label: str) -> _Tabular:
    """Parse the bytes of a tabular XML file; ``label`` names it in errors."""
    root = _parse_xml(data, label)
    if root.tag != ROOT_TAG:
        raise ParseError(
            f"root element is <{root.tag}>, expected <{ROOT_TAG}>: not an ICD-10-CM tabular file",
            file=label,
            line=root.sourceline,
        )
    version = (root.findtext("version") or "").strip()
    if not re.fullmatch(r"\d{4}", version):
        raise ParseError(
            f"<version> is {version!r}, expected a fiscal year", file=label, line=root.sourceline
        )
    chapters = [_parse_chapter(el, label) for el in root.iterchildren("chapter")]
    if not chapters:
        raise ParseError("no <chapter> elements (truncated or wrong file?)", file=label)
    return _Tabular(version, chapters, label)


def _parse_chapter(chap_el: Any, label: str) -> _Chapter:
    """One pass over a chapter's elements in document order.

    ``stack`` holds the open elements with what they became (``None`` for
    elements whose content is skipped or kept raw), so every element finds
    its owner without recursion.
    """
    chapter = _Chapter(chap_el.sourceline)
    stack: list[tuple[Any, Any]] = [(chap_el, chapter)]
    cur: Any = chapter  # the chapter, section or diag whose <name>/<desc> come next
    section: _Section | None = None
    container_el: Any = None
    container: list[RawNote] | None = None
    note_kind = NoteKind.NOTES
    seven: list[Any] | None = None  # [diag, [[char, label, [notes]]...], [notes]]
    sevens: list[list[Any]] = []
    for el in chap_el.iterdescendants():
        tag = el.tag
        if tag == "note":
            # Notes occur only directly inside a container, which every other
            # element start closes; notes inside raw elements are skipped.
            if container is None and seven is None:
                continue
            text = el.text if not len(el) else "".join(el.itertext())
            if text is None or not text.strip():
                _defect("empty <note> kept as an empty text", label, el.sourceline)
                text = text or ""
            if seven is not None:
                (seven[1][-1][2] if seven[1] else seven[2]).append(text)
            elif container is not None:
                container.append((note_kind, text))
            continue
        if tag == "name" or tag == "desc":
            # <name> and <desc> are the first children of the chapter, section
            # or diag that started last; a second one is an error.
            text = el.text if not len(el) else "".join(el.itertext())
            container_el = container = seven = None
            if tag == "name":
                text = (text or "").strip()
                if type(cur) is list:
                    if cur[KEY] or not DIAG_NAME.fullmatch(text):
                        raise ParseError(
                            f"unexpected <diag> name {text!r}", file=label, line=el.sourceline
                        )
                    cur[KEY] = text.replace(".", "")
                elif cur is chapter and not chapter.number:
                    chapter.number = text
                else:
                    raise ParseError("unexpected <name>", file=label, line=el.sourceline)
            elif type(cur) is list:
                if cur[TITLE] is not None:
                    raise ParseError("unexpected second <desc>", file=label, line=el.sourceline)
                cur[TITLE] = text
            else:
                if cur.title is not None:
                    raise ParseError("unexpected second <desc>", file=label, line=el.sourceline)
                cur.title = text
            continue
        if tag == "extension" and seven is not None and el.getparent() is container_el:
            char = (el.get("char") or "").strip()
            if len(char) != 1 or not char.isalnum():
                raise ParseError(
                    f"<extension char={char!r}>: a 7th character must be one letter or digit",
                    file=label,
                    line=el.sourceline,
                )
            seven[1].append([char, (el.text or "").strip(), []])
            continue
        if not isinstance(tag, str):
            continue  # comments and processing instructions
        parent = el.getparent()
        while stack[-1][0] is not parent:
            stack.pop()
        owner = stack[-1][1]
        if owner is None:  # inside a skipped or raw element
            stack.append((el, None))
            continue
        container_el = container = seven = None
        if tag == "diag":
            if type(owner) is list:
                depth = owner[DEPTH] + 1
            elif owner is section:
                depth = 1
            else:
                raise ParseError("<diag> outside a <section>", file=label, line=el.sourceline)
            cur = [
                "",
                None,
                depth,
                None,
                None,
                el.get("placeholder") == "true",
                None,
                el.sourceline,
            ]
            assert section is not None
            section.diags.append(cur)
            stack.append((el, cur))
        elif tag == "section":
            if owner is not chapter:
                raise ParseError("<section> outside a <chapter>", file=label, line=el.sourceline)
            section = cur = _Section((el.get("id") or "").strip(), el.sourceline)
            if not section.id:
                raise ParseError("<section> without an id", file=label, line=el.sourceline)
            chapter.sections.append(section)
            stack.append((el, section))
        elif tag in _NOTE_KINDS:
            container_el = el
            note_kind = _NOTE_KINDS[tag]
            if type(owner) is list:
                if owner[NOTES] is None:
                    owner[NOTES] = []
                container = owner[NOTES]
            else:
                container = owner.notes
            stack.append((el, None))
        elif tag == "sevenChrDef":
            if type(owner) is not list:
                raise ParseError("<sevenChrDef> outside a <diag>", file=label, line=el.sourceline)
            container_el = el
            seven = [owner, [], []]
            sevens.append(seven)
            stack.append((el, None))
        elif tag in _SKIPPED:
            stack.append((el, None))
        else:
            # Anything else (the visual-impairment table under H54.8) is kept verbatim.
            raw = etree.tostring(el, encoding="unicode", with_tail=False)
            if type(owner) is list:
                if owner[EXTRAS] is None:
                    owner[EXTRAS] = []
                owner[EXTRAS].append(raw)
            else:
                owner.extras.append(raw)
            stack.append((el, None))
    _check_chapter(chapter, label)
    for d, chars, notes in sevens:
        name = _display(d[KEY])
        if d[SEVEN] is not None:
            raise ParseError(f"{name} has two <sevenChrDef>", file=label, line=d[LINE])
        if not chars:
            raise ParseError(
                f"<sevenChrDef> of {name} defines no character", file=label, line=d[LINE]
            )
        d[SEVEN] = SeventhCharacterRule(
            name, tuple(SeventhCharacter(c, lab, tuple(n)) for c, lab, n in chars), tuple(notes)
        )
    return chapter


def _check_chapter(chapter: _Chapter, label: str) -> None:
    if not chapter.number or chapter.title is None:
        raise ParseError("<chapter> without <name> or <desc>", file=label, line=chapter.line)
    for s in chapter.sections:
        if s.title is None:
            raise ParseError(f"section {s.id} has no <desc>", file=label, line=s.line)
        for d in s.diags:
            if not d[KEY] or d[TITLE] is None:
                raise ParseError("<diag> without <name> or <desc>", file=label, line=d[LINE])


def _display(key: str) -> str:
    return key if len(key) <= 3 else f"{key[:3]}.{key[3:]}"
