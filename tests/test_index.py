"""The Alphabetic Index and the External Cause Index, on the official FY2017
files (main index, external cause index and the tabular of the same release)
and the April 2024 External Cause Index with the FY2024 order file."""

from __future__ import annotations

import lzma
import pickle
import random
import re
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

import medcodes
from medcodes.errors import MismatchError, ParseError, SourceError, UsageError
from medcodes.icd10cm import (
    Codeset,
    CodeStatus,
    Index,
    IndexKind,
    RefKind,
    RefStatus,
    complete_code,
    diff_index,
    load_index,
)

from .helpers import CDC_2024_ZIP, DATA

FY2017 = DATA / "icd10cm-2017"
INDEX_2017 = FY2017 / "icd10cm_index_2017.xml.xz"
EINDEX_2017 = FY2017 / "icd10cm_eindex_2017.xml.xz"
EINDEX_2024 = DATA / "icd10cm-eindex-April-2024.xml.xz"

#: Codes the FY2017 index gives that its own tabular does not have: a defect of
#: the official file (its index cites codes of later proposals: T81.40-T81.49,
#: K06.0x, Z13.4x were created in FY2018), not of the parser.
DEFECTS_INDEX_2017 = {
    "I16.2", "K06.00", "K06.01", "K06.02", "K06.03", "K06.04", "T81.40", "T81.41",
    "T81.42", "T81.43", "T81.48", "T81.49", "T83.717", "T83.727", "Z13.41", "Z13.42",
}
#: The FY2017 External Cause Index gives V47.x2 ("collision with stationary
#: object"), a 5th character V47 never had (its codes are V47.0XX- to V47.9XX-).
DEFECTS_EINDEX_2017 = {"V47.02", "V47.12", "V47.32", "V47.52", "V47.62", "V47.92"}


@pytest.fixture(scope="module")
def cm17() -> Codeset:
    """The FY2017 release loaded from a folder with its tabular and both indexes."""
    return medcodes.icd10cm.load(FY2017)


@pytest.fixture(scope="module")
def index(cm17: Codeset) -> Index:
    assert cm17.index is not None
    return cm17.index


@pytest.fixture(scope="module")
def eindex(cm17: Codeset) -> Index:
    assert cm17.eindex is not None
    return cm17.eindex


@pytest.fixture(scope="module")
def raw2017() -> etree._Element:
    return etree.fromstring(lzma.decompress(INDEX_2017.read_bytes()))


def test_every_element_of_the_main_index_is_read(index: Index, raw2017: etree._Element) -> None:
    def count(tag: str) -> int:
        return sum(1 for _ in raw2017.iter(tag))

    assert (index.version, index.kind) == (2017, IndexKind.DISEASES)
    assert len(index.main_terms) == count("mainTerm") == 7973
    assert len(index) == count("mainTerm") + count("term") == 7973 + 69226
    assert sum(1 for t in index if t.code) == count("code") == 59412
    assert [t.code for t in index.coded_terms()] == [c.text for c in raw2017.iter("code")]
    assert len(index.etiology_pairs()) == count("manif") == 746
    refs = Counter(r.kind for t in index for r in t.references)
    assert refs[RefKind.SEE] == count("see") == 11979
    assert refs[RefKind.SEE_ALSO] == count("seeAlso") == 1704
    assert refs[RefKind.SEE_CATEGORY] == count("seecat")
    assert refs[RefKind.SEE_SUBCATEGORY] == count("subcat")
    assert sum(1 for t in index if t.nemod is not None) == count("nemod")
    assert max(t.level for t in index) == max(int(t.get("level")) for t in raw2017.iter("term"))


def test_nonessential_modifiers_are_kept_apart(index: Index, eindex: Index) -> None:
    t = eindex["Abandonment"]
    assert t.nemod == "(causing exposure to weather conditions) (with intent to injure or kill)"
    assert t.essential == "Abandonment NEC"  # the text after the modifier is kept
    assert t.title == f"Abandonment {t.nemod} NEC"
    neuropathy = index.lookup("Diabetes", "with", "autonomic neuropathy")  # (poly) dropped
    assert neuropathy.title == "autonomic (poly) neuropathy"
    assert neuropathy.code == "E11.43"


def test_navigation(index: Index) -> None:
    diabetes = index["Diabetes"]  # the first word of "Diabetes, diabetic"
    assert diabetes.essential == "Diabetes, diabetic" and diabetes.level == 0
    assert diabetes.parent is None and diabetes.main_term == diabetes
    type2 = next(c for c in diabetes.children if c.essential == "type 2")
    assert type2.parent == diabetes and type2.level == 1
    hyper = index.lookup("DIABETES (mellitus)", "Type 2", "with", "hyperglycemia")
    assert hyper.path == ("Diabetes, diabetic", "type 2", "with", "hyperglycemia")
    assert hyper.code == "E11.65" and hyper.main_term == diabetes
    assert hyper in set(type2.descendants())
    assert all(c.parent == diabetes for c in diabetes.children)
    assert "diabetes" in index and "Diabetes nosuch" not in index
    with pytest.raises(KeyError, match="has no sub-term 'ketoacidosis'"):
        index.lookup("Diabetes", "type 2", "with", "ketoacidosis")  # no E11.1x before FY2024
    with pytest.raises(KeyError):
        index["Nosuchterm"]


def test_cross_references_are_resolved(index: Index) -> None:
    (ref,) = index["Abandonment"].references
    assert (ref.kind, ref.status) == (RefKind.SEE, RefStatus.TERM)
    assert ref.target == index["Maltreatment"]
    by_status = Counter(r.status for t in index for r in t.references)
    assert sum(by_status.values()) == 11979 + 1704 + 15 + 130
    assert by_status[RefStatus.NOT_FOUND] < sum(by_status.values()) // 10  # 1,287 of 13,828
    for t in index:
        for r in t.references:
            if r.status is RefStatus.TERM:
                assert r.target is not None
                # The target's path is what the text names, word for word.
                first = re.sub(r"\(.*?\)", "", r.text).split(",")[0].split()[0].lower()
                spellings = [p.strip() for p in r.target.path[0].lower().split(",")]
                assert any(p.startswith(first.removesuffix("s")) for p in spellings)
            elif r.status is RefStatus.CODE:
                assert r.code is not None and r.code[0].isupper()
            elif r.status is RefStatus.TABLE:
                assert r.table in ("drugs", "neoplasms")
            else:
                assert r.target is None
    # "Fracture" is the first word of several main terms: a path is followed
    # through the one that has it; a plural finds the singular main term.
    assert index.lookup("Fracture", "humerus", "shaft").path[:2] == (
        "Fracture, traumatic",
        "humerus",
    )
    complication = index.find("Complications, surgical procedure")
    assert complication is not None and complication.code == "T81.9"
    assert index.lookup("Injury", "spinal (cord)") == index.lookup("injury", "spinal cord")
    # A target the file does not have is reported, not guessed.
    dep = index.lookup("Abuse", "drug NEC", "sedative")
    assert dep is not None
    missing = [r for t in index for r in t.references if r.status is RefStatus.NOT_FOUND]
    assert missing and all(index.find(r.text) is None for r in missing)
    subcat = next(r for t in index for r in t.references if r.kind is RefKind.SEE_SUBCATEGORY)
    assert subcat.status is RefStatus.CODE
    drugs = next(r for t in index for r in t.references if r.text.startswith("Table of Drugs"))
    assert drugs.status is RefStatus.TABLE and drugs.table == "drugs"


def test_search_finds_words_in_any_order_main_terms_first(index: Index) -> None:
    hits = index.search("ketoacidosis")
    assert hits[0].path == ("Ketoacidosis",)
    assert all("ketoacidosis" in t.essential.lower() for t in hits)
    levels = [t.level for t in hits]
    assert levels == sorted(levels)
    both = index.search("coma with")
    assert both == index.search("WITH coma") and both
    for t in both:  # every word in the path, one of them in the term's own title
        assert {"with", "coma"} <= set(" ".join(t.path).lower().split())
        assert {"with", "coma"} & set(t.essential.lower().split())
    femur = index.search("femur neck fracture")
    assert femur[0].path == ("Fracture, traumatic", "femur, femoral", "neck")
    assert index.lookup("Fracture, traumatic", "femur", "upper end", "neck") in femur
    assert index.search("nosuchword") == () and index.search("  ") == ()
    assert index.search("fracture nosuchword") == ()
    assert len(index.search("with", limit=3)) == 3


def test_codes_resolve_against_the_tabular_of_the_same_year(
    cm17: Codeset, index: Index, eindex: Index
) -> None:
    cm24 = medcodes.icd10cm.load(CDC_2024_ZIP)
    for ix, defects in ((index, DEFECTS_INDEX_2017), (eindex, DEFECTS_EINDEX_2017)):
        report = ix.check_codes(cm17)
        n_codes = sum(len(t.codes) for t in ix)
        assert report.total == n_codes
        assert {c.code for c in report.not_found} == defects
        assert all(c.term is not None and c.term.code in defects for c in report.not_found)
        for c in report.incomplete:
            assert c.node is not None and not c.node.billable and c.missing >= 1
            assert c.completions and all(n.key.startswith(c.node.key) for n in c.completions)
            assert c.status is (CodeStatus.INCOMPLETE if c.code.endswith("-") else
                                CodeStatus.UNMARKED)
    # The defects are codes of later proposals: some did become codes.
    assert {c for c in DEFECTS_INDEX_2017 if c in cm24} >= {"T81.40", "Z13.41", "K06.01"}


def test_april_2024_external_cause_index_resolves_fully_against_fy2024() -> None:
    cm24 = medcodes.icd10cm.load(CDC_2024_ZIP)
    e24 = load_index(EINDEX_2024)
    assert (e24.version, e24.kind) == (2024, IndexKind.EXTERNAL_CAUSES)
    report = e24.check_codes(cm24)
    assert report.not_found == ()
    assert report.total == sum(1 for t in e24 if t.code) > 6000
    # External cause codes take a 7th character: the index gives them without.
    # Two entries are not external causes: a "see" run into their title (a
    # defect of the file) leaves the category Z57 as their code.
    others = [c for c in report.incomplete if not c.seventh]
    assert [(c.code, c.term.title[-5:]) for c in others if c.term] == [("Z57", "- see")] * 2


def test_incomplete_codes_say_what_remains() -> None:
    cm = medcodes.icd10cm.load()
    c = complete_code("S72.00-", cm)
    assert c.node is not None and c.node.code == "S72.00"
    assert (c.status, c.missing, c.seventh) == (CodeStatus.INCOMPLETE, 2, True)
    assert {n.key[:6] for n in c.completions} == {"S72001", "S72002", "S72009"}
    e11 = complete_code("E11.1-", cm)
    assert [n.code for n in e11.completions] == ["E11.10", "E11.11"] and not e11.seventh
    assert complete_code("E11.65", cm).status is CodeStatus.COMPLETE
    assert complete_code("E11.99", cm).status is CodeStatus.NOT_FOUND
    assert complete_code("C56.-", cm).node == cm["C56"]


def test_etiology_manifestation_pairs_come_etiology_first(cm17: Codeset, index: Index) -> None:
    pairs = index.etiology_pairs()
    heart = index.lookup("Amyloidosis", "heart")
    assert heart.codes == ("E85.4", "I43")
    assert any(p.term == heart and (p.etiology, p.manifestation) == heart.codes for p in pairs)
    # The bracketed code is a manifestation code: "code first" or "in diseases
    # classified elsewhere" in the tabular, never first on a claim.
    manif_first = [p for p in pairs if cm17.get(p.manifestation.rstrip("-")) is not None]
    assert len(manif_first) > 700
    cm = medcodes.icd10cm.load()
    findings = cm.check_claim(["F02.80", "G20"])
    assert any(f.kind.value == "manifestation code listed first" for f in findings)


def test_diff_of_the_external_cause_index_2017_to_2024(eindex: Index) -> None:
    e24 = load_index(EINDEX_2024)
    d = diff_index(eindex, e24)
    assert (d.old_version, d.new_version) == (2017, 2024)
    assert d.added and d.removed and d.code_changed
    for path in d.added[:50]:
        assert e24.lookup(*path)
        with pytest.raises(KeyError):
            eindex.lookup(*path)
    for path in d.removed[:50]:
        assert eindex.lookup(*path)
    for path, old, new in d.code_changed:
        assert eindex.lookup(*path).codes == old and e24.lookup(*path).codes == new
    # The hoverboard and Segway entries came with the FY2018 V00.1x/V00.8x codes.
    assert any("hoverboard" in p[-1] for p in d.added)
    assert diff_index(e24, e24) == type(d)(2024, 2024, (), (), ())


def test_a_release_folder_or_zip_gives_its_indexes(cm17: Codeset, tmp_path: Path) -> None:
    assert cm17.release.fiscal_year == 2017
    assert cm17.index is not None and cm17.eindex is not None
    assert cm17.eindex.kind is IndexKind.EXTERNAL_CAUSES
    assert cm17.index.source is not None and cm17.index.source.format == "index"
    assert medcodes.icd10cm.load().index is None  # the bundled release has none
    copy = pickle.loads(pickle.dumps(cm17))
    assert copy.index is not None and len(copy.index) == len(cm17.index)
    # A main index of another year than the tabular is refused.
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    (mixed / "icd10cm_tabular_2017.xml.xz").write_bytes(
        (FY2017 / "icd10cm_tabular_2017.xml.xz").read_bytes()
    )
    (mixed / "icd10cm-eindex-April-2024.xml.xz").write_bytes(EINDEX_2024.read_bytes())
    with pytest.raises(MismatchError, match="index is of 2024"):
        medcodes.icd10cm.load(mixed)
    # A file named as one index that is the other is refused.
    (mixed / "icd10cm-eindex-April-2024.xml.xz").unlink()
    (mixed / "icd10cm_index_2017.xml.xz").write_bytes(EINDEX_2017.read_bytes())
    with pytest.raises(ParseError, match="named as the diseases and injuries index"):
        medcodes.icd10cm.load(mixed)
    # load_index takes a folder; when both indexes are there, kind= says which
    # (as load_table asks for the tables).
    with pytest.raises(UsageError, match="holds both indexes: pass kind="):
        load_index(FY2017)
    assert load_index(FY2017, kind="diseases and injuries").kind is IndexKind.DISEASES
    assert load_index(FY2017, kind="EXTERNAL_CAUSES").kind is IndexKind.EXTERNAL_CAUSES
    assert load_index(FY2017, kind=IndexKind.EXTERNAL_CAUSES).title == cm17.eindex.title
    with pytest.raises(ParseError, match="the external causes index, not the diseases"):
        load_index(EINDEX_2024, kind=IndexKind.DISEASES)
    with pytest.raises(UsageError, match="kind is"):
        load_index(FY2017, kind="drugs")
    with pytest.raises(SourceError, match="found no ICD-10-CM index"):
        load_index(DATA / "hcpcs")


# -- hostile and damaged input ---------------------------------------------------

_HEAD = b'<?xml version="1.0" encoding="utf-8"?>\n<ICD10CM.index>\n<version>2017</version>\n'


def _index(tmp_path: Path, body: bytes, head: bytes = _HEAD) -> Path:
    path = tmp_path / "icd10cm_index_2017.xml"
    path.write_bytes(head + body)
    return path


_OK = (
    b"<letter><title>A</title><mainTerm><title>Abasia</title><code>F44.4</code>%s"
    b"</mainTerm></letter></ICD10CM.index>"
)


def test_a_small_valid_file_loads(tmp_path: Path) -> None:
    ix = load_index(_index(tmp_path, _OK % b""))
    assert [t.code for t in ix] == ["F44.4"] and ix["abasia"].warning is None
    warned = load_index(_index(tmp_path, _OK % b"<warning>check  this</warning>"))
    assert warned["Abasia"].warning == "check this"  # a schema element no file uses: kept


@pytest.mark.parametrize(
    ("inner", "message"),
    [
        (b"<code>E11.9</code>", "a second <code>"),
        (b"<code>E11.9x</code>", "'E11.9x' is not an ICD-10-CM code"),
        (b'<term level="2"><title>x</title></term>', "level='2'"),
        (b'<term level="1"><code>E11</code></term>', "without <title>"),
        (b"<bogus/>", "unexpected <bogus>"),
        (b'<term level="1"><title>a<b>x</b></title></term>', "only <nemod>"),
        (b'<term level="1"><title>x</title><code>not a code</code></term>', "not an ICD-10-CM"),
        (b'<term level="1"><title>x</title><manif>I43</manif></term>', "without the <code>"),
        (b'<term level="1"><title>x</title><see> </see></term>', "empty <see>"),
    ],
)
def test_malformed_terms_are_refused_with_their_line(
    tmp_path: Path, inner: bytes, message: str
) -> None:
    with pytest.raises(ParseError, match=rf"icd10cm_index_2017.xml, line 5: .*{message}"):
        load_index(_index(tmp_path, _OK % (b"\n" + inner)))


def test_entities_and_document_types_are_refused(tmp_path: Path) -> None:
    evil = b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
    with pytest.raises(ParseError, match="document type declarations"):
        load_index(_index(tmp_path, b"<ICD10CM.index>&e;</ICD10CM.index>", head=evil))


def test_a_truncated_index_is_refused_with_its_line(tmp_path: Path) -> None:
    data = lzma.decompress(EINDEX_2017.read_bytes())
    cut = data[: len(data) // 2]
    path = tmp_path / "icd10cm_eindex_2017.xml"
    path.write_bytes(cut)
    with pytest.raises(ParseError, match=r"icd10cm_eindex_2017.xml, line \d+: not well-formed"):
        load_index(path)


def test_wrong_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="not an ICD-10-CM index file"):
        load_index(FY2017 / "icd10cm_tabular_2017.xml.xz")
    table = b"<indexHeading><head col='1'>Neoplasm</head></indexHeading>" + _OK % b""
    with pytest.raises(ParseError, match="a table"):
        load_index(_index(tmp_path, table))
    addenda = b'<ICD10CM.index isAddenda="true"><version>2017</version>'
    with pytest.raises(ParseError, match="addenda"):
        load_index(_index(tmp_path, _OK % b"", head=addenda))
    with pytest.raises(ParseError, match="no <letter>"):
        load_index(_index(tmp_path, b"</ICD10CM.index>"))
    with pytest.raises(ParseError, match="expected a fiscal year"):
        load_index(_index(tmp_path, _OK % b"", head=b"<ICD10CM.index><version>x</version>"))
    with pytest.raises(SourceError, match="larger than the limit"):
        load_index(EINDEX_2017, max_bytes=1000)


def test_nesting_deeper_than_the_schema_is_refused(tmp_path: Path) -> None:
    deep = b"".join(b'<term level="%d"><title>t</title>' % n for n in range(1, 11))
    deep += b"</term>" * 10
    with pytest.raises(ParseError, match="level='10'"):
        load_index(_index(tmp_path, _OK % deep))
    ok = b"".join(b'<term level="%d"><title>t</title>' % n for n in range(1, 10))
    ix = load_index(_index(tmp_path, _OK % (ok + b"</term>" * 9)))
    assert ix.lookup("Abasia", *["t"] * 9).level == 9


def test_mutated_index_files_load_or_raise_parse_error(tmp_path: Path, fuzz_cases: int) -> None:
    """The seeded mutations of tests/test_fuzz.py applied to the first letter of
    the real FY2017 External Cause Index."""
    from .test_fuzz import _mutate

    data = lzma.decompress(EINDEX_2017.read_bytes())
    end = data.index(b"</letter>") + len(b"</letter>")
    original = data[:end] + b"\r\n</ICD10CM.index>\r\n"
    path = tmp_path / "icd10cm_eindex_2017.xml"
    path.write_bytes(original)
    assert len(load_index(path).main_terms) > 10
    rng = random.Random("index-fuzz")
    refused = 0
    for case in range(fuzz_cases):
        damaged = _mutate(original, rng)
        path.write_bytes(damaged)
        try:
            load_index(path)
        except ParseError as exc:
            assert exc.file is not None and path.name in exc.file, (case, exc)
            refused += 1
        else:
            if original.startswith(damaged):  # a cut file never loads as a smaller index
                assert damaged.rstrip().endswith(b"</ICD10CM.index>"), case
    assert refused > fuzz_cases // 3


def test_an_index_is_immutable_and_diffs_only_its_own_kind(index: Index, eindex: Index) -> None:
    with pytest.raises(AttributeError):
        index._version = 2030  # type: ignore[misc]
    with pytest.raises(UsageError, match="cannot compare"):
        diff_index(index, eindex)
    with pytest.raises(UsageError):
        index.search("with", limit="3")  # type: ignore[arg-type]
    with pytest.raises(UsageError):
        index.lookup("Diabetes", 2)  # type: ignore[arg-type]


# -- a coder's review (issue 16) ---------------------------------------------------------
def test_a_first_word_of_several_main_terms_is_refused(index: Index) -> None:
    fractures = [t.essential for t in index.main_terms if t.essential.startswith("Fracture,")]
    assert len(fractures) > 1
    with pytest.raises(UsageError, match="several main terms") as caught:
        index["Fracture"]
    assert all(title in str(caught.value) for title in fractures)
    with pytest.raises(UsageError, match="several main terms"):
        index.lookup("fracture")
    assert "Fracture" in index  # (it names something)
    # A whole title, or a first word that only one main term has, still finds it.
    assert index["Fracture, traumatic"].essential == "Fracture, traumatic"
    assert index["Diabetes"].essential == "Diabetes, diabetic"


def test_the_other_spellings_of_a_main_term_find_it(index: Index) -> None:
    for typed, title in [
        ("Senility", "Senile, senility"),
        ("Telangiectasis", "Telangiectasia, telangiectasis"),
        ("atony", "Atonia, atony, atonic"),
        ("Enlarged", "Enlargement, enlarged"),
        ("Disabilities", "Disability, disabilities"),
    ]:
        term = index.get(typed)
        assert term is not None and term.essential == title
    # A word that is the first part of a main term finds that one first.
    spastic = index["spastic"]
    assert spastic.essential.startswith("Spastic,")
    # Cross-references that name a main term by its other spelling resolve now.
    later = {
        p.strip().lower(): t
        for t in index.main_terms
        for p in t.essential.split(",")[1:]
        if p.strip().lower() != t.essential.split(",")[0].strip().lower()
    }
    reached = [
        r
        for t in index
        for r in t.references
        if r.status is RefStatus.TERM
        and r.target is not None
        and r.text.split(",")[0].strip().lower() in later
        and r.target.main_term == later[r.text.split(",")[0].strip().lower()]
        and index.find(r.text.split(",")[0]) == r.target.main_term
    ]
    assert len(reached) >= 25


def test_search_folds_accents_possessives_and_plurals(index: Index) -> None:
    sjogren = index.search("sjogren")
    paths = [" ".join(t.path).lower() for t in sjogren]
    # Both spellings the file uses are found, and nothing else.
    assert any("sjögren" in p for p in paths) and any("sjogren" in p for p in paths)
    assert all("sjögren" in p or "sjogren" in p for p in paths)
    assert index.search("SJÖGREN") == sjogren
    assert any("Calvé-Perthes" in t.essential for t in index.search("calve perthes"))
    sequard = index.search("séquard")
    assert sequard and sequard == index.search("sequard")
    assert index.search("s quard") != sequard  # the accented word is one word
    park = index.search("parkinsons dementia")
    assert index.lookup("Dementia", "in", "Parkinson's disease") in park
    assert set(index.search("parkinson's dementia")) <= set(park)
    plural = index.search("fractures femur")
    assert plural and set(plural) == set(index.search("fracture femur"))


def test_a_negative_search_limit_is_refused(index: Index) -> None:
    assert len(index.search("ketoacidosis", limit=0)) == 0
    for bad in (-1, -5, 1.5, True):
        with pytest.raises(UsageError, match="limit must be"):
            index.search("ketoacidosis", limit=bad)  # type: ignore[arg-type]


def test_a_term_repr_shows_levels_apart_from_commas(index: Index) -> None:
    term = index.lookup("Fracture, traumatic", "femur", "upper end", "neck")
    assert repr(term).startswith("<Term 'Fracture, traumatic > femur, femoral > upper end > neck'")


def test_a_partly_followed_reference_keeps_the_rest(index: Index) -> None:
    refs = [r for t in index for r in t.references if r.status is RefStatus.TERM]
    partial = [r for r in refs if r.rest is not None]
    assert len(partial) > 100
    for r in partial:
        assert r.rest is not None and r.text.rstrip(". ").endswith(r.rest)
        assert r.rest.lower().startswith("by ")
    assert all(r.rest is None for r in refs if "," not in r.text)


def test_index_and_report_records_make_frames(cm17: Codeset, index: Index, tmp_path: Path) -> None:
    from .test_tables import _frames_round_trip

    rows = index.to_records()
    assert len(rows) == len(index)
    sample = random.Random(16).sample(range(len(index)), 500)
    terms = list(index)
    for i in sample:
        t, r = terms[i], rows[i]
        assert r["path"] == " > ".join(t.path) and r["level"] == t.level
        assert (r["code"] or None, r["manifestation"] or None) == (t.code, t.manifestation)
    assert sum(bool(r["manifestation"]) for r in rows) == len(index.etiology_pairs())
    _frames_round_trip(rows, tmp_path)
    report = index.check_codes(cm17)
    records = report.to_records()
    assert len(records) == len(report.incomplete) + len(report.not_found)
    statuses = Counter(r["status"] for r in records)
    assert statuses["not found"] == len(report.not_found)
    assert statuses["incomplete"] + statuses["unmarked"] == len(report.incomplete)
    assert sum(r["completions"] > 0 for r in records) >= len(report.incomplete)
    _frames_round_trip(records, tmp_path)


def test_a_dash_on_a_complete_code_is_noted(cm17: Codeset) -> None:
    plain, dashed = complete_code("E11.9", cm17), complete_code("E11.9-", cm17)
    assert plain.status is dashed.status is CodeStatus.COMPLETE
    assert not plain.stray_dash and dashed.stray_dash
    assert not complete_code("S72.00-", cm17).stray_dash
    # missing is the fewest characters to a billable code; each completion says its own.
    e116 = complete_code("E11.6-", cm17)
    assert e116.missing == min(len(n.key) for n in e116.completions) - len("E116") == 1
    assert "E11.610" in {n.code for n in e116.completions}
    assert max(len(n.key) for n in e116.completions) - len("E116") == 2
