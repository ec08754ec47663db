"""The tabular XML parser: structure kept, hostile and broken input refused."""

from __future__ import annotations

import gzip
import lzma
import pickle
import time
import warnings
import zipfile
from pathlib import Path

import pytest
from lxml import etree

import medcodes
from medcodes.errors import DefectWarning, ParseError
from medcodes.icd10cm import Codeset, IntroSection, Kind, NoteKind, SectionRef

from .helpers import CDC_2026_ZIP, TABULAR_2017


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def test_notes_are_kept_with_kind_and_exact_text(cm: Codeset) -> None:
    g63 = cm["G63"]
    code_first = g63.notes.code_first
    assert code_first[0].text == "underlying disease, such as:"
    assert any(n.text == "amyloidosis (E85.-)" for n in code_first)
    assert any(n.text == "diabetes mellitus (E08-E13 with .42)" for n in g63.notes.excludes1)
    # Chapter-level and block-level notes.
    ch1 = cm.chapter(1)
    assert any("(Z22.-)" in n.text for n in ch1.notes.excludes2)
    assert any(
        n.text == "traumatic intracranial hemorrhage (S06.-)" for n in cm["I60-I69"].notes.excludes1
    )
    # Leading comma notes are kept as they are.
    assert cm["T36-T50"].notes.code_first[0].text.startswith(", for adverse effects")
    assert {n.kind for n in cm["S06"].notes} >= {NoteKind.NOTES, NoteKind.SEVENTH_CHARACTER_NOTE}


def test_seventh_character_definitions(cm: Codeset) -> None:
    s52 = cm["S52"].seventh_characters
    assert s52 is not None and s52.chars == "ABCDEFGHJKMNPQRS"
    b = s52.get("B")
    # The official text starts with a tab; it is kept exactly.
    assert b is not None and b.notes == ("\tinitial encounter for open fracture NOS",)
    # A deeper declaration overrides (torus fractures).
    s5201 = cm["S52.01"].seventh_characters
    assert s5201 is not None and (s5201.declared_on, s5201.chars) == ("S52.01", "ADGKPS")
    # Inherited three levels down.
    t36 = cm["T36.0X1"].seventh_characters
    assert t36 is not None and t36.declared_on == "T36"
    assert [c.code for c in cm["T36.0X1"].children] == ["T36.0X1A", "T36.0X1D", "T36.0X1S"]
    # Digits, and declarations on leaves.
    assert cm["M1A"].seventh_characters.chars == "01"  # type: ignore[union-attr]
    assert "M1A.00X0" in cm and "T07.XXXA" in cm and "S12.8XXA" in cm and "E11.37X1" in cm
    assert cm["O35"].seventh_characters.chars == "0123459"  # type: ignore[union-attr]


def test_super_blocks_nest_the_blocks_of_their_range(cm: Codeset) -> None:
    c00_c14 = cm["C00-C14"]
    assert [a.code for a in c00_c14.ancestors()] == ["C00-C75", "C00-C96", "2"]
    t20 = cm["T20.011A"]
    assert "T20-T32" in [a.code for a in t20.ancestors()]
    assert cm["T20-T32"].notes.includes
    # C7A (after C75) is in C00-C96 but not in C00-C75.
    ancestors = [a.code for a in cm["C7A"].ancestors()]
    assert "C00-C96" in ancestors and "C00-C75" not in ancestors


def test_visual_impairment_table_is_kept_raw_on_h54_8(cm: Codeset) -> None:
    raw = cm["H54.8"].raw_elements
    assert len(raw) == 1 and raw[0].startswith("<visualImpairment>")
    assert "20/70" in raw[0] or "6/18" in raw[0]


def test_placeholder_nodes(cm: Codeset) -> None:
    assert cm["S06.0X"].is_placeholder and not cm["S06.0X"].billable
    assert cm["J09.X3"].billable and not cm["J09.X3"].is_placeholder


def test_empty_note_is_tolerated_with_a_warning(tmp_path: Path, xml2026: bytes) -> None:
    # The October 2025 CDC file has an empty <note> under R11.16: recreate that defect.
    anchor = b"<note>Cannabinoid hyperemesis syndrome</note>"
    assert anchor in xml2026
    data = xml2026.replace(anchor, anchor + b"<note></note>", 1)
    path = _write(tmp_path, "icd10cm-tabular-2026.xml", data)
    with pytest.warns(DefectWarning, match=r"icd10cm-tabular-2026.xml, line \d+: empty <note>"):
        cs = medcodes.icd10cm.load(path)
    assert [n.text for n in cs["R11.16"].notes.inclusion_terms][-1] == ""


@pytest.mark.parametrize(("cut", "line_expected"), [(0.5, True), (0.999, True), (0.01, True)])
def test_truncated_file_is_refused_with_its_line(
    tmp_path: Path, xml2026: bytes, cut: float, line_expected: bool
) -> None:
    path = _write(tmp_path, "icd10cm_tabular_2026.xml", xml2026[: int(len(xml2026) * cut)])
    with pytest.raises(ParseError) as info:
        medcodes.icd10cm.load(path)
    assert info.value.file is not None and info.value.file.endswith("icd10cm_tabular_2026.xml")
    assert (info.value.line is not None) is line_expected
    assert "not well-formed XML" in str(info.value)


def test_billion_laughs_is_refused_fast(tmp_path: Path) -> None:
    lol = b'<!ENTITY lol "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE ICD10CM.tabular [' + lol + b"]>\n"
        b"<ICD10CM.tabular><version>2026</version>&lol9;</ICD10CM.tabular>"
    )
    path = _write(tmp_path, "bomb.xml", data)
    start = time.perf_counter()
    with pytest.raises(ParseError, match="document type declarations"):
        medcodes.icd10cm.load(path)
    assert time.perf_counter() - start < 5  # refused without expanding anything


def test_external_entity_is_refused(tmp_path: Path) -> None:
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b"<ICD10CM.tabular><version>&xxe;</version></ICD10CM.tabular>"
    )
    with pytest.raises(ParseError, match="document type declarations"):
        medcodes.icd10cm.load(_write(tmp_path, "xxe.xml", data))


def test_wrong_root_is_refused(tmp_path: Path) -> None:
    eindex = b'<?xml version="1.0"?>\n<ICD10CM.index><version>2024</version></ICD10CM.index>'
    with pytest.raises(ParseError, match=r"line 2: root element is <ICD10CM.index>"):
        medcodes.icd10cm.load(_write(tmp_path, "icd10cm-eindex-2024.xml", eindex))


def test_empty_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="empty"):
        medcodes.icd10cm.load(_write(tmp_path, "icd10cm_tabular_2026.xml", b""))


def test_bad_diag_name_is_refused_with_line(tmp_path: Path, xml2026: bytes) -> None:
    data = xml2026.replace(b"<name>A00.0</name>", b"<name>A00.0!</name>", 1)
    with pytest.raises(ParseError, match=r"line \d+: unexpected <diag> name 'A00.0!'"):
        medcodes.icd10cm.load(_write(tmp_path, "t.xml", data))


@pytest.mark.parametrize("name", [b"B00.1", b"A00", b"A01.1"])
def test_a_sub_code_must_extend_its_parent(tmp_path: Path, xml2026: bytes, name: bytes) -> None:
    # A00.1 sits under A00: a flipped character or a repeat of the parent is
    # a damaged file, not a new branch of the hierarchy.
    data = xml2026.replace(b"<name>A00.1</name>", b"<name>" + name + b"</name>", 1)
    with pytest.raises(ParseError, match=r"line \d+: <diag> .* is not a sub-code of its parent"):
        medcodes.icd10cm.load(_write(tmp_path, "t.xml", data))


def test_a_duplicate_code_is_refused_naming_its_line(tmp_path: Path, xml2026: bytes) -> None:
    # Two nodes with one code: cm["A00.0"] would answer one of them, so the file
    # is not self-consistent (the official files never repeat a code).
    data = xml2026.replace(b"<name>A00.1</name>", b"<name>A00.0</name>", 1)
    second = data.index(b"<name>A00.0</name>", data.index(b"<name>A00.0</name>") + 1)
    line = data[:second].count(b"\n") + 1
    with pytest.raises(ParseError, match=rf"line {line}: code A00.0 appears twice"):
        medcodes.icd10cm.load(_write(tmp_path, "t.xml", data))


@pytest.mark.filterwarnings("ignore::medcodes.errors.DefectWarning")  # (S72.001A is odd too)
def test_a_generated_code_that_already_exists_is_refused(tmp_path: Path, xml2026: bytes) -> None:
    # An explicit S72.001A placed before S72.001, whose 7th characters generate it too.
    at = xml2026.rindex(b"<diag>", 0, xml2026.index(b"<name>S72.001</name>"))
    extra = b"<diag><name>S72.001A</name><desc>Explicit</desc></diag>"
    data = xml2026[:at] + extra + xml2026[at:]
    with pytest.raises(ParseError, match=r"line \d+: code S72.001A, generated from S72.001 by "
                       "its 7th-character rule, appears twice"):
        medcodes.icd10cm.load(_write(tmp_path, "t.xml", data))


def test_gzip_input_is_read_in_memory(tmp_path: Path, xml2026: bytes) -> None:
    path = _write(tmp_path, "icd10cm_tabular_2026.xml.gz", gzip.compress(xml2026[:1000]))
    with pytest.raises(ParseError, match="not well-formed"):
        medcodes.icd10cm.load(path)


def test_no_warning_on_the_official_files(cm: Codeset) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        medcodes.icd10cm.load()
    assert cm["1"].kind is Kind.CHAPTER


def test_utf8_declared_as_latin1_is_refused(tmp_path: Path, xml2026: bytes) -> None:
    # Read as declared, each accented letter would load as two wrong ones, in 281 titles.
    data = xml2026.replace(b'encoding="utf-8"', b'encoding="ISO-8859-1"', 1)
    assert data != xml2026
    with pytest.raises(ParseError, match="declares encoding 'ISO-8859-1' but its text is UTF-8"):
        medcodes.icd10cm.load(_write(tmp_path, "icd10cm_tabular_2026.xml", data))
    # A real Latin-1 file (not UTF-8) with that declaration is read as declared.
    latin = data.decode("utf-8").encode("latin-1")
    cs = medcodes.icd10cm.load(_write(tmp_path, "icd10cm_tabular_2026.xml", latin))
    assert cs["M14.6"].title.startswith("Charc\u00f4t")


# -- every official release loads (issue 14) ------------------------------------


def test_the_fy2017_tabular_loads_whole_without_a_warning() -> None:
    data = lzma.decompress(TABULAR_2017.read_bytes())
    root = etree.fromstring(data)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cs = medcodes.icd10cm.load(TABULAR_2017)
    assert cs.release.fiscal_year == 2017
    assert [c.code for c in cs.chapters()] == [str(n) for n in range(1, 22)]  # no chapter 22
    # Every <diag> of the file is a node, in file order, under its own parent.
    names = [n.replace(".", "") for n in root.xpath("//diag/name/text()")]
    groups = (Kind.CHAPTER, Kind.BLOCK)
    written = [n.key for n in cs.values() if n.kind not in groups and not n.is_extension]
    assert written == names and len(names) > 40_000
    assert "U07.1" not in cs and cs["S72.001A"].parent.code == "S72.001"
    assert cs.introduction[0].title == "ICD-10-CM TABULAR LIST of DISEASES and INJURIES"
    refs = [r.id for ch in cs.chapters() for r in ch.section_index]
    assert refs == root.xpath("//chapter/sectionIndex/sectionRef/@id") and len(refs) > 250


def _fy2021_nesting(xml: bytes, order: bytes) -> tuple[bytes, bytes]:
    """The April 2026 files with H54.512A nested under H54.511 (no H54.512),
    as the FY2021 tabular and order file have it."""
    start = xml.index(b"<name>H54.511A</name>")
    open_512 = xml.index(b"<diag>", start)
    name_512 = xml.index(b"<name>H54.512</name>")
    # Drop H54.511's end tag and H54.512's start, name and title: its own end
    # tag now closes H54.511.
    close_511 = xml.rindex(b"</diag>", start, open_512)
    desc_end = xml.index(b"</desc>", name_512) + len(b"</desc>")
    xml = xml[:close_511] + xml[desc_end:]
    lines = order.split(b"\r\n")
    order = b"\r\n".join(line for line in lines if line[6:14] != b"H54512  ")
    return xml, order


def test_a_code_that_does_not_extend_its_parent_loads_with_a_warning(
    tmp_path: Path, xml2026: bytes
) -> None:
    with zipfile.ZipFile(CDC_2026_ZIP) as zf:
        order = zf.read("icd10cm-order-2026.txt")
    xml, order = _fy2021_nesting(xml2026, order)
    line = xml[: xml.index(b"<name>H54.512A</name>")].count(b"\n") + 1
    tab = _write(tmp_path, "icd10cm_tabular_2026.xml", xml)
    with pytest.warns(DefectWarning) as seen:
        cs = medcodes.icd10cm.load(tab, order=_write(tmp_path, "icd10cm-order-2026.txt", order))
    messages = [str(w.message) for w in seen]
    assert messages == [
        f"{tab}, line {line}: <diag> H54.512A does not extend the name of its parent "
        "H54.511; kept under it, as the file nests it"
    ]
    # The file's structure is kept, and the order-file equality held (else MismatchError).
    assert cs["H54.512A"].parent.code == "H54.511" and cs["H54.512A"].billable
    assert [c.code for c in cs["H54.511"].children] == ["H54.511A", "H54.512A"]
    assert "H54.512" not in cs and cs["H54.512A"].short_title
    assert cs["H54.512A"].title == "Low vision right eye category 2, normal vision left eye"


def test_the_fy2021_nesting_in_a_small_file(tmp_path: Path) -> None:
    xml = (
        b'<?xml version="1.0" encoding="utf-8"?>\n<ICD10CM.tabular><version>2021</version>\n'
        b"<chapter><name>7</name><desc>Eye</desc>\n"
        b'<section id="H53-H54"><desc>Visual disturbances</desc>\n'
        b"<diag><name>H54</name><desc>Blindness</desc>\n"
        b"<diag><name>H54.5</name><desc>Low vision, one eye</desc>\n"
        b"<diag><name>H54.51</name><desc>Low vision, right eye</desc>\n"
        b"<diag><name>H54.511</name><desc>Low vision, right eye, category 1-2</desc>\n"
        b"<diag><name>H54.511A</name><desc>Category 1</desc></diag>\n"
        b"<diag><name>H54.512A</name><desc>Category 2</desc>\n"
        b"<diag><name>H54.512AB</name><desc>Deeper</desc></diag></diag>\n"
        b"</diag></diag></diag></diag></section></chapter></ICD10CM.tabular>\n"
    )
    with (
        pytest.warns(DefectWarning, match=r"t\.xml, line 10: <diag> H54\.512A does not extend"),
        pytest.raises(ParseError, match=r"line 11: unexpected <diag> name 'H54.512AB'"),
    ):
        medcodes.icd10cm.load(_write(tmp_path, "t.xml", xml))
    xml = xml.replace(b"<diag><name>H54.512AB</name><desc>Deeper</desc></diag>", b"")
    with pytest.warns(DefectWarning, match=r"line 10: <diag> H54\.512A does not extend"):
        cs = medcodes.icd10cm.load(_write(tmp_path, "t.xml", xml))
    assert [n.code for n in cs["H54.511"].children] == ["H54.511A", "H54.512A"]
    assert cs["H54.512A"].billable and cs["H54.511"].kind is Kind.SUBCATEGORY


# -- nothing official dropped: introduction and section index (issue 14) ------


def test_the_introduction_is_kept_exactly(cm: Codeset, xml2026: bytes) -> None:
    root = etree.fromstring(xml2026)
    sections = root.find("introduction").findall("introSection")
    assert len(cm.introduction) == len(sections) == 9
    for kept, el in zip(cm.introduction, sections, strict=True):
        assert kept.type == el.get("type")
        assert kept.title == el.findtext("title")
        assert kept.notes == tuple(n.text for n in el.iterfind("instruction/note"))
    assert cm.introduction[2] == IntroSection(
        "instruction",
        "Includes:",
        (
            "The word 'Includes' appears immediately under certain categories to further "
            "define, or give examples of, the content of the category.",
        ),
    )
    # Kept through pickling (process pools), and absent from an order file alone.
    assert pickle.loads(pickle.dumps(cm)).introduction == cm.introduction
    assert medcodes.icd10cm.load(CDC_2026_ZIP.parent / CDC_2026_ZIP.name).introduction == ()


def test_each_chapter_keeps_its_section_index(cm: Codeset) -> None:
    refs = [r for ch in cm.chapters() for r in ch.section_index]
    assert all(ch.section_index for ch in cm.chapters())
    assert cm["A00"].section_index == () and cm["A00-A09"].section_index == ()
    assert cm.chapter(1).section_index[0] == SectionRef(
        "A00-A09", "A00", "A09", "Intestinal infectious diseases"
    )
    # Every entry names a block of the release; three are worded differently
    # from the block's own title in April 2026.
    differ = {}
    for r in refs:
        own = cm.block(r.id).title
        assert own.endswith(f" ({r.id})")
        if own[: -len(r.id) - 3].strip() != r.title:  # QA0 starts with a space
            differ[r.id] = r.title
    assert differ == {
        "F70-F79": "Intellectual disabilities",
        "T36-T50": "Poisoning by, adverse effect of and underdosing of drugs, medicaments "
        "and biological substances",
        "Z68": "Body mass index (BMI)",
    }
