"""The Table of Drugs and Chemicals and the Table of Neoplasms, on every official
table file kept in tests/data; expected figures are counted here with lxml
directly, never copied from the parser's output."""

from __future__ import annotations

import contextlib
import lzma
import pickle
import random
import shutil
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

import medcodes
from medcodes.errors import MismatchError, ParseError, SourceError, UsageError
from medcodes.icd10cm import (
    Codeset,
    DrugColumn,
    NeoplasmColumn,
    Table,
    TableKind,
    diff_tables,
    load_drugs,
    load_neoplasms,
    load_table,
)

from .helpers import CDC_2024_ZIP, DATA

FY2017 = DATA / "icd10cm-2017"
DRUGS_2017 = FY2017 / "icd10cm_drug_2017.xml.xz"
NEOPLASMS_2017 = FY2017 / "icd10cm_neoplasm_2017.xml.xz"
DRUGS_2022 = DATA / "icd10cm_drug_2022.xml.xz"
DRUGS_2024 = DATA / "icd10cm-drug-April-2024.txt.xz"
NEOPLASMS_2024 = DATA / "icd10cm-neoplasm-April-2024.xml.xz"
DRUGS_2026 = DATA / "icd10cm-drug-April-1-2026-XML.xml.xz"
ALL = {
    DRUGS_2017: (TableKind.DRUGS, 2017),
    NEOPLASMS_2017: (TableKind.NEOPLASMS, 2017),
    DRUGS_2022: (TableKind.DRUGS, 2022),
    DRUGS_2024: (TableKind.DRUGS, 2024),
    NEOPLASMS_2024: (TableKind.NEOPLASMS, 2024),
    DRUGS_2026: (TableKind.DRUGS, 2026),
}
NO_CODE = ("-", "--")


def _xml(path: Path) -> bytes:
    return lzma.decompress(path.read_bytes())


def _tree(path: Path) -> Any:
    return etree.fromstring(_xml(path))


def _cells(el: Any) -> dict[int, str]:
    return {int(c.get("col")): "".join(c.itertext()).strip() for c in el.findall("cell")}


@pytest.fixture(scope="module")
def drugs(cm: Codeset) -> Table:
    return load_drugs(DRUGS_2026, codeset=cm)


@pytest.fixture(scope="module")
def neoplasms(cm: Codeset) -> Table:
    return load_neoplasms(NEOPLASMS_2024, codeset=cm)


@pytest.fixture(scope="module")
def cm2017() -> Codeset:
    return medcodes.icd10cm.load(FY2017)


@pytest.fixture(scope="module")
def cm2024() -> Codeset:
    return medcodes.icd10cm.load(CDC_2024_ZIP)


# -- every file: rows, cells, kind, version --------------------------------------------
@pytest.mark.parametrize("path", list(ALL), ids=lambda p: p.name)
def test_every_row_and_cell_of_each_file(path: Path) -> None:
    table = load_table(path)
    root = _tree(path)
    kind, version = ALL[path]
    assert (table.kind, table.version) == (kind, version)
    terms = root.findall(".//mainTerm") + root.findall(".//term")
    assert len(table) == len(terms)
    assert len(table.main_terms()) == len(root.findall(".//mainTerm"))
    written = [t for c in root.iter("cell") if (t := "".join(c.itertext()).strip()) not in NO_CODE]
    got = [code for row in table for code in row.codes if code is not None]
    assert sorted(got) == sorted(written)
    assert sum(r.nemod is not None for r in table) == len(root.findall(".//title/nemod"))
    assert sum(r.see is not None for r in table) == len(root.findall(".//see"))
    assert sum(r.see_also is not None for r in table) == len(root.findall(".//seeAlso"))
    assert [r.manif for r in table if r.manif] == [m.text for m in root.iter("manif")]
    heads = [h.text for h in root.find("indexHeading")]
    assert table.headings == tuple(heads)
    assert table.source.sha256 == __import__("hashlib").sha256(_xml(path)).hexdigest()


def test_rows_follow_the_file_order_and_nesting() -> None:
    table = load_table(NEOPLASMS_2024)
    root = _tree(NEOPLASMS_2024)
    elements = root.iter("mainTerm", "term")
    levels = [0 if e.tag == "mainTerm" else int(e.get("level")) for e in elements]
    assert [r.level for r in table] == levels
    for row in table:
        parent = table.parent(row)
        assert (parent is None) == (row.level == 0)
        if parent is not None:
            assert parent.level == row.level - 1 and row in table.children(parent)
            assert row.path == (*parent.path, row.text)


def test_drug_codes_by_column(drugs: Table) -> None:
    root = _tree(DRUGS_2026)
    el = next(m for m in root.iter("mainTerm") if m.findtext("title") == "Acetaminophen")
    cells = _cells(el)
    assert drugs.columns == tuple(DrugColumn)
    assert drugs.codes("Acetaminophen") == {col: cells[i + 2] for i, col in enumerate(DrugColumn)}
    assert drugs.code("acetaminophen", "Adverse effect") == cells[6]


def test_no_code_is_none_and_nested_terms_have_paths(drugs: Table) -> None:
    root = _tree(DRUGS_2026)
    # the first main term with a nested term and a "--" somewhere below it
    for main in root.iter("mainTerm"):
        sub = main.find("term")
        if sub is not None and "--" in _cells(sub).values():
            break
    path = (main.findtext("title"), sub.findtext("title"))
    row = drugs[path]
    assert row.level == 1 and row.path == path
    cells = _cells(sub)
    assert row.codes == tuple(None if cells[c] == "--" else cells[c] for c in range(2, 8))


def test_nemod_kept_apart_and_optional_in_lookups(drugs: Table) -> None:
    row = drugs["Acid (corrosive) NEC"]
    assert (row.title, row.nemod, row.text) == ("Acid NEC", "(corrosive)", "Acid (corrosive) NEC")
    assert drugs["acid nec"] is row and drugs["ACID NEC (corrosive)"] is row
    sedative = drugs["Carbamate (sedative)"]
    assert (
        sedative.nemod == "(sedative)"
        and sedative.codes[0] != drugs["Carbamate (insecticide)"].codes[0]
    )
    with pytest.raises(UsageError, match="several rows"):
        drugs["Carbamate"]
    assert "Carbamate" in drugs and "Unobtainium" not in drugs
    with pytest.raises(KeyError):
        drugs["Unobtainium"]
    assert drugs.get(("Acid (corrosive) NEC", "no such term")) is None


def test_neoplasm_sites_with_or_without_the_main_term(neoplasms: Table) -> None:
    root = _tree(NEOPLASMS_2024)
    lung = next(t for t in root.iter("term") if t.findtext("title") == "lung")
    cells = _cells(lung)
    assert neoplasms.codes("lung") == {col: cells[i + 2] for i, col in enumerate(NeoplasmColumn)}
    assert neoplasms[("Neoplasm, neoplastic", "lung")] is neoplasms["lung"]
    assert neoplasms.column("uncertain behaviour") is NeoplasmColumn.UNCERTAIN
    with pytest.raises(UsageError, match="columns: malignant primary"):
        neoplasms.column("adverse effect")


# -- lookup: completing the code against the tabular -------------------------------------
def test_lookup_completes_with_the_7th_character(drugs: Table, cm: Codeset) -> None:
    node = drugs.lookup("Acetaminophen", "adverse effect", encounter="A")
    assert node.code == drugs.code("Acetaminophen", DrugColumn.ADVERSE_EFFECT) + "A"
    assert node.billable and node.seventh_character is not None
    assert node.seventh_character.label.startswith("initial")
    assert drugs.lookup("Acetaminophen", "underdosing", encounter="s").code.endswith("S")


def test_lookup_adds_the_placeholder_to_five_character_codes(drugs: Table) -> None:
    root = _tree(DRUGS_2026)
    # the first main term whose code has five characters (T37.91), no subterms
    el = next(
        e
        for e in root.iter("mainTerm")
        if len(_cells(e).get(2, "")) == 6 and e.find("term") is None
    )
    short = _cells(el)[2]
    node = drugs.lookup(el.findtext("title"), DrugColumn.ACCIDENTAL, encounter="D")
    assert node.code == short + "XD" and node.billable


def test_lookup_refuses_what_it_cannot_complete(drugs: Table, neoplasms: Table) -> None:
    with pytest.raises(UsageError, match=r"needs a 7th character \(A, D, S\)"):
        drugs.lookup("Acetaminophen", "adverse effect")
    with pytest.raises(UsageError, match="among A, D, S, not 'Z'"):
        drugs.lookup("Acetaminophen", "adverse effect", encounter="Z")
    with pytest.raises(UsageError, match="no code there"):
        drugs.lookup("1-propanol", "adverse effect", encounter="A")
    with pytest.raises(UsageError, match="takes no 7th character"):
        neoplasms.lookup("lung", "uncertain behavior", encounter="A")
    with pytest.raises(UsageError, match=r"C34\.9- is incomplete; choose among C34\.90, C34\.91"):
        neoplasms.lookup("lung", "malignant primary")
    assert neoplasms.lookup("lung", "unspecified behavior").code == neoplasms.code(
        "lung", NeoplasmColumn.UNSPECIFIED
    )
    with pytest.raises(UsageError, match="bound to no release"):
        load_table(DRUGS_2026).lookup("Acetaminophen", "adverse effect", encounter="A")


def test_lookup_in_an_order_file_release(cm2024: Codeset) -> None:
    # The FY2024 order file has no 7th-character rules: the completed code is
    # checked against its list of codes.
    drugs = load_table(DRUGS_2024, codeset=cm2024)
    assert drugs.lookup("Acetaminophen", "adverse effect", encounter="A").code == "T39.1X5A"
    with pytest.raises(UsageError, match="not a reportable code"):
        drugs.lookup("Acetaminophen", "adverse effect", encounter="Q")


# -- validation against the release of the same year -------------------------------------
def _expected(table: Table, cm: Codeset) -> tuple[int, int, int]:
    """(cells, complete, incomplete), counted with the Codeset's public API."""
    cells = complete = incomplete = 0
    for row in table:
        for code in row.codes:
            if code is None:
                continue
            cells += 1
            node = cm.get(code.rstrip("-"))
            assert node is not None, code
            if node.billable and not code.endswith("-"):
                complete += 1
            else:
                incomplete += 1
    return cells, complete, incomplete


def test_april_2026_drug_table_resolves_in_the_bundled_release(drugs: Table, cm: Codeset) -> None:
    check = drugs.check()
    assert check.not_found == ()
    assert (check.cells, check.complete, check.incomplete) == _expected(drugs, cm)
    assert check.resolved == check.cells == 40036  # MANIFEST: 40,036 cells with a code
    # and every one of them completes to a reportable code with the placeholder X
    for code in {c for row in drugs for c in row.codes if c is not None}:
        key = code.replace(".", "")
        assert cm.is_billable(key.ljust(6, "X") + "A"), code


@pytest.mark.parametrize("path", [DRUGS_2024, NEOPLASMS_2024], ids=lambda p: p.name)
def test_april_2024_tables_resolve_in_the_fy2024_order_file(path: Path, cm2024: Codeset) -> None:
    table = load_table(path)
    check = table.check(cm2024)
    assert check.not_found == ()
    assert (check.cells, check.complete, check.incomplete) == _expected(table, cm2024)


def test_fy2017_tables_resolve_in_the_fy2017_tabular(cm2017: Codeset) -> None:
    # loaded together from the FY2017 "table and index" files
    assert cm2017.drugs is not None and cm2017.neoplasms is not None
    for table in (cm2017.drugs, cm2017.neoplasms):
        check = table.check()
        assert check.not_found == ()
        assert (check.cells, check.complete, check.incomplete) == _expected(table, cm2017)
        assert check.release == cm2017.release.label


def test_a_code_the_release_lacks_is_named(cm2017: Codeset) -> None:
    # The 2026 drug table against the FY2017 tabular: codes added since (T40.41,
    # fentanyl, from FY2019) are not found, and named.
    check = load_table(DRUGS_2026).check(cm2017)
    assert check.not_found
    missing = {ref.code for ref in check.not_found}
    assert missing == {
        c for row in load_table(DRUGS_2026) for c in row.codes if c and c not in cm2017
    }
    assert "not found: " in str(check) and check.resolved + len(check.not_found) == check.cells


# -- loading with a release ---------------------------------------------------------------
def test_a_release_folder_brings_its_tables(tmp_path: Path) -> None:
    shutil.copy(CDC_2024_ZIP, tmp_path)
    shutil.copy(DRUGS_2024, tmp_path)  # CDC's name: icd10cm-drug-April-2024.txt
    cm = medcodes.icd10cm.load(tmp_path)
    assert cm.drugs is not None and cm.neoplasms is None
    assert cm.drugs.version == cm.release.fiscal_year == 2024
    assert cm.drugs.codeset is cm
    assert medcodes.icd10cm.load().drugs is None


def test_tables_of_another_year_are_refused(tmp_path: Path) -> None:
    shutil.copy(CDC_2024_ZIP, tmp_path)
    shutil.copy(DRUGS_2026, tmp_path)
    with pytest.raises(MismatchError, match="of 2026 beside a release of 2024"):
        medcodes.icd10cm.load(tmp_path)


def test_load_table_from_a_zip_and_by_kind(tmp_path: Path) -> None:
    z = tmp_path / "tables.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("icd10cm_drug_2017.xml", _xml(DRUGS_2017))
        zf.writestr("icd10cm_neoplasm_2017.xml", _xml(NEOPLASMS_2017))
    with pytest.raises(UsageError, match="holds both tables"):
        load_table(z)
    assert load_table(z, kind="neoplasms").kind is TableKind.NEOPLASMS
    assert load_drugs(z).source.member == "icd10cm_drug_2017.xml"
    with pytest.raises(ParseError, match="a table of neoplasms, not of drugs"):
        load_drugs(NEOPLASMS_2017)
    with pytest.raises(UsageError, match="kind is 'drugs' or 'neoplasms'"):
        load_table(z, kind="index")


def test_immutable_and_picklable(cm2017: Codeset) -> None:
    drugs = cm2017.drugs
    assert drugs is not None
    with pytest.raises(AttributeError):
        drugs._data = None  # type: ignore[misc]
    with pytest.raises(AttributeError):
        drugs.rows[0].title = "x"  # type: ignore[misc]
    again = pickle.loads(pickle.dumps(cm2017))
    assert again.drugs is not None and again.drugs.rows == drugs.rows
    alone = pickle.loads(pickle.dumps(drugs))
    assert alone.rows == drugs.rows and alone.codeset is not None
    with pytest.raises(UsageError, match="not a row of this table"):
        drugs.children(load_table(NEOPLASMS_2017).rows[5])


# -- diffs --------------------------------------------------------------------------------
def _rows_by_path(path: Path) -> dict[tuple[str, ...], dict[int, str]]:
    """Printed path (titles with their modifiers) -> cells, straight from lxml."""
    out: dict[tuple[str, ...], dict[int, str]] = {}

    def walk(el: Any, above: tuple[str, ...]) -> None:
        here = (*above, " ".join("".join(el.find("title").itertext()).split()))
        out.setdefault(here, _cells(el))
        for t in el.findall("term"):
            walk(t, here)

    for m in _tree(path).iter("mainTerm"):
        walk(m, ())
    return out


def test_diff_of_the_april_2024_and_april_2026_drug_tables() -> None:
    old, new = load_table(DRUGS_2024), load_table(DRUGS_2026)
    d = diff_tables(old, new)
    a, b = _rows_by_path(DRUGS_2024), _rows_by_path(DRUGS_2026)
    assert len(d.added) == len(b.keys() - a.keys()) > 0
    assert len(d.removed) == len(a.keys() - b.keys())
    changed = sum(
        1
        for p in a.keys() & b.keys()
        for c in range(2, 8)
        if a[p].get(c, "--").replace("--", "") != b[p].get(c, "--").replace("--", "")
    )
    assert len(d.changed) == changed
    assert len(new) - len(old) == len(d.added) - len(d.removed)  # no duplicate paths added
    assert not diff_tables(new, new)
    with pytest.raises(UsageError, match="cannot compare"):
        diff_tables(new, load_table(NEOPLASMS_2024))


# -- hostile and damaged input ------------------------------------------------------------
_HEAD = (
    b'<?xml version="1.0" encoding="utf-8"?>\n<ICD10CM.index>\n<version>2026</version>\n'
    b'<indexHeading><head col="1">Substance</head><head col="2">a</head><head col="3">b</head>'
    b'<head col="4">c</head><head col="5">d</head><head col="6">e</head>'
    b'<head col="7">f</head></indexHeading>\n'
)
_ROW = (
    b'<letter><title>A</title>\n<mainTerm><title>Aspirin</title>\n<cell col="2">T39.011</cell>'
    b'<cell col="3">--</cell><cell col="4">--</cell><cell col="5">--</cell>'
    b'<cell col="6">T39.015</cell><cell col="7">--</cell>\n%s</mainTerm></letter>\n'
)


def _doc(inner: bytes = b"", head: bytes = _HEAD) -> bytes:
    return head + _ROW % inner + b"</ICD10CM.index>\n"


def _load(tmp_path: Path, data: bytes, **kw: Any) -> Table:
    path = tmp_path / "icd10cm-drug-test.xml"
    path.write_bytes(data)
    return load_table(path, **kw)


def test_a_small_table_is_read(tmp_path: Path) -> None:
    table = _load(tmp_path, _doc())
    assert table.codes("aspirin")[DrugColumn.ADVERSE_EFFECT] == "T39.015"
    assert table["Aspirin"].line == 6


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (_doc().replace(b"<ICD10CM.index>", b'<!DOCTYPE x [<!ENTITY e "e">]><ICD10CM.index>', 1),
         "document type declarations", 2),
        (_doc()[:-40], "not well-formed", None),
        (b"", "empty", 1),
        (_doc().replace(b"ICD10CM.index", b"ICD10CM.tabular"), "not a drug or neoplasm table", 2),
        (_doc().replace(b"<version>2026", b"<version>next"), "expected a fiscal year", 2),
        (_doc().replace(b'<head col="7">f</head>', b""), "expected 1 to 7", 4),
        (_doc().replace(b">Substance<", b">Procedure<"), "neither a Table of Drugs", 4),
        (_doc().replace(b"T39.015", b"T39.015; DROP"), "not a code", 7),
        (_doc().replace(b"T39.015", b""), "not a code", 7),
        (_doc().replace(b'col="7">--', b'col="6">--'), 'a second <cell col="6">', 7),
        (_doc().replace(b'col="7">--', b'col="9">--'), "expected a column 1 to 7", 7),
        (_doc().replace(b'col="7">--', b'col="1">--'), "the first column is the title", 7),
        (_doc().replace(b"<title>Aspirin</title>", b""), "without a <title>", 6),
        (_doc().replace(b"<title>Aspirin</title>", b"<title> </title>"), "empty <title>", 6),
        (_doc(b'<term level="2"><title>x</title></term>'), 'level="2"> at depth 1', 8),
        (_doc(b"<code>T39.0</code>"), "unexpected <code>", 8),
        (_doc().replace(b"<indexHeading>", b"<x>").replace(b"</indexHeading>", b"</x>"),
         "no <indexHeading>", 2),
        (_HEAD + b"</ICD10CM.index>\n", "no <mainTerm> rows", None),
    ],
)
def test_damaged_files_name_file_and_line(
    tmp_path: Path, data: bytes, message: str, line: int | None
) -> None:
    with pytest.raises(ParseError, match=message) as err:
        _load(tmp_path, data)
    assert err.value.file is not None and err.value.file.endswith("icd10cm-drug-test.xml")
    if line is not None:
        assert err.value.line == line


def test_nesting_and_size_are_bounded(tmp_path: Path) -> None:
    deep = b"".join(b'<term level="%d"><title>x</title>' % i for i in range(1, 40))
    with pytest.raises(ParseError, match="nested over 32 deep"):
        _load(tmp_path, _doc(deep + b"</term>" * 39))
    with pytest.raises(SourceError, match="larger than the limit"):
        _load(tmp_path, _doc(), max_bytes=100)
    with pytest.raises(UsageError, match="max_bytes"):
        _load(tmp_path, _doc(), max_bytes=0)


def test_external_entities_are_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("T39.015")
    evil = _doc().replace(
        b"<ICD10CM.index>",
        b'<!DOCTYPE i [<!ENTITY x SYSTEM "' + secret.as_uri().encode() + b'">]><ICD10CM.index>',
        1,
    )
    with pytest.raises(ParseError, match="document type declarations"):
        _load(tmp_path, evil)


def test_bad_arguments(drugs: Table) -> None:
    with pytest.raises(UsageError, match="a term is a title"):
        drugs.get(42)  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="a term is a title"):
        drugs.get(())
    with pytest.raises(UsageError, match="no column"):
        drugs.codes("Acetaminophen") and drugs.code("Acetaminophen", "benign")
    with pytest.raises(UsageError, match="one character"):
        drugs.lookup("Acetaminophen", "adverse effect", encounter="AB")
    with pytest.raises(UsageError, match="expected an ICD-10-CM Codeset"):
        drugs.bind("2026")  # type: ignore[arg-type]


def test_a_table_alone_is_no_release() -> None:
    with pytest.raises(ParseError, match=r"read it with medcodes.icd10cm.load_table\(\)"):
        medcodes.icd10cm.load(DRUGS_2022)


def test_lines_are_counted_through_mixed_line_endings() -> None:
    # FY2022: CRLF everywhere but five LF-only lines in <indexHeading>.
    data = _xml(DRUGS_2022)
    assert data.count(b"\r\n") < data.count(b"\n")
    table = load_table(DRUGS_2022)
    row = table["Acetaminophen"]
    assert row.line == data[: data.index(b"<title>Acetaminophen</title>")].count(b"\n") + 1
    assert table.rows[-1].line == data[: data.rindex(b"<title>")].count(b"\n") + 1


def _small_drug_table() -> bytes:
    """The real April 2026 drug table cut after its first letter ("#")."""
    data = _xml(DRUGS_2026)
    return data[: data.index(b"</letter>") + 9] + b"\n</ICD10CM.index>\n"


def test_mutated_tables_load_or_raise_parse_error(tmp_path: Path, fuzz_cases: int) -> None:
    from .test_fuzz import _mutate  # the corpus of damage the other formats get

    original = _small_drug_table()
    path = tmp_path / "icd10cm-drug-April-1-2026-XML.xml"
    path.write_bytes(original)
    assert len(load_table(path)) == original.count(b"<mainTerm>") + original.count(b"<term ")
    rng = random.Random("tables-fuzz")
    refused = 0
    for case in range(fuzz_cases):
        data = _mutate(original, rng)
        path.write_bytes(data)
        try:
            table = load_table(path)
        except ParseError as exc:
            assert exc.file is not None and path.name in exc.file, (case, exc)
            refused += 1
        else:
            assert len(table) > 0
            if original.startswith(data):  # a cut table never loads
                assert data.rstrip().endswith(b"</ICD10CM.index>"), case
    assert refused > fuzz_cases // 4


def test_columns_by_member_value_or_name(drugs: Table, neoplasms: Table) -> None:
    for i, col in enumerate(DrugColumn):
        for name in (col, col.value, col.value.upper(), col.name, col.name.lower()):
            assert drugs.column(name) is col
            assert drugs.code("Acetaminophen", name) == drugs["Acetaminophen"].codes[i]
    with pytest.raises(UsageError, match="no column"):
        neoplasms.column(DrugColumn.ADVERSE_EFFECT)
    with pytest.raises(UsageError, match="encounter must be"):
        drugs.lookup("Acetaminophen", "adverse effect", encounter=1)  # type: ignore[arg-type]


def test_a_table_and_index_folder_brings_indexes_and_tables_together() -> None:
    """The FY2017 folder holds the tabular, both indexes and both tables: one
    load gives all four, and they survive a pickle round trip."""
    cm = medcodes.icd10cm.load(DATA / "icd10cm-2017")
    for again in (cm, pickle.loads(pickle.dumps(cm))):
        assert again.index is not None and again.eindex is not None
        assert again.drugs is not None and again.neoplasms is not None
        assert again.drugs.codeset is again and again.drugs.version == 2017
        assert again.index.version == again.release.fiscal_year
        report = again.drugs.check()
        assert report.cells > 0 and report.resolved == report.cells and not report.not_found


# -- a coder's review (issue 16): how rows and columns are named -------------------------
def test_a_trailing_nec_is_not_needed(drugs: Table) -> None:
    root = _tree(DRUGS_2026)
    titles = ["".join(t.itertext()).rstrip() for t in root.iter("title")]
    nec = [row for row in drugs.rows if row.text.endswith(" NEC")]
    assert len(nec) == sum(t.endswith(" NEC") for t in titles) > 400
    found = 0
    for row in nec:
        with contextlib.suppress(UsageError):  # (the words without NEC name another row)
            found += drugs[(*row.path[:-1], row.text[: -len(" NEC")])] is row
    assert found > 0.9 * len(nec)
    assert drugs["Lead"].text == "Lead (dust) (fumes) (vapor) NEC"
    assert drugs["Acid"] is drugs["Acid (corrosive) NEC"]
    assert drugs["Adhesive"].title == "Adhesive NEC"


def test_typed_modifiers_are_optional_and_only_choose(drugs: Table) -> None:
    insulin = drugs["Insulin (NPH)"]
    assert "(NPH)" in insulin.text and drugs["Insulin (none of these)"] is insulin
    assert drugs["Aspirin (aluminum)"].text == "Aspirin (aluminum) (soluble)"
    assert drugs["lead (dust) NEC"] is drugs["Lead"]
    # Two rows with the same words: the typed modifier picks the one that has it.
    assert drugs["Carbamate (sedative)"] is not drugs["Carbamate (insecticide)"]
    with pytest.raises(UsageError, match="several rows"):
        drugs["Carbamate (neither)"]


def test_an_exact_printed_title_wins_and_rows_name_themselves(drugs: Table) -> None:
    plain = drugs["2,4-D"]
    assert plain.text == "2,4-D" and plain.nemod is None
    assert drugs["2,4-D (dichlorophen-oxyacetic acid)"] is not plain
    t = drugs["2,4,5-T"]
    long = drugs["2,4,5-T (trichloro-phenoxyacetic acid)"]
    assert t.text == "2,4,5-T" and t.codes != long.codes  # (the file's two rows differ)
    for row in (plain, long, drugs[("Alcohol", "ethyl")]):
        assert drugs[row] is row
        assert drugs.codes(row) == dict(zip(drugs.columns, row.codes, strict=True))
    lung = load_neoplasms(NEOPLASMS_2017)["lung"]
    with pytest.raises(UsageError, match="not a row of this table"):
        drugs.codes(lung)
    assert plain in drugs and lung not in drugs


def test_the_files_own_headings_and_short_forms_name_columns(
    drugs: Table, neoplasms: Table
) -> None:
    for table in (drugs, neoplasms):
        for i, col in enumerate(table.columns):
            assert table.column(table.headings[i + 1]) is col
    assert neoplasms.column("Ca in situ") is NeoplasmColumn.IN_SITU
    assert neoplasms.column("in situ") is NeoplasmColumn.IN_SITU
    assert neoplasms.column("secondary") is NeoplasmColumn.MALIGNANT_SECONDARY
    assert neoplasms.column("primary") is NeoplasmColumn.MALIGNANT_PRIMARY
    assert drugs.column("self-harm") is DrugColumn.SELF_HARM
    node = drugs.lookup("Acetaminophen", "Poisoning Accidental (unintentional)", encounter="A")
    assert node.code == drugs.code("Acetaminophen", DrugColumn.ACCIDENTAL) + "A"
    for ambiguous in ("malignant", "poisoning"):
        with pytest.raises(UsageError, match="no column"):
            (neoplasms if ambiguous == "malignant" else drugs).column(ambiguous)


def test_an_incomplete_cell_lists_the_billable_codes(cm2017: Codeset) -> None:
    neo = load_neoplasms(NEOPLASMS_2017, codeset=cm2017)
    written = neo.code("breast", "malignant primary")
    assert written is not None and written.endswith("-")
    with pytest.raises(UsageError, match="is incomplete; choose among") as caught:
        neo.lookup("breast", "malignant primary")
    completions = caught.value.completions  # type: ignore[attr-defined]
    header = cm2017[written[:-1]]
    expected = tuple(n.code for n in header.descendants() if n.billable)
    assert completions == expected and "C50.911" in completions
    assert all(cm2017[c].billable for c in completions)


def _frames_round_trip(rows: list[dict[str, Any]], tmp_path: Path) -> None:
    """pandas and polars frames of ``rows``, with no schema, written to
    parquet and read back equal (as tests/test_values.py does)."""
    import pandas as pd
    import polars as pl
    assert rows and all(v is not None for r in rows for v in r.values())
    frame = pd.DataFrame(rows)
    frame.to_parquet(tmp_path / "pd.parquet")
    back = pd.read_parquet(tmp_path / "pd.parquet")
    assert back.to_dict("records") == rows
    pframe = pl.DataFrame(rows)
    assert not [c for c, t in pframe.schema.items() if t == pl.Object]
    pframe.write_parquet(tmp_path / "pl.parquet")
    assert pl.read_parquet(tmp_path / "pl.parquet").to_dicts() == rows


def test_table_and_diff_records_make_frames(drugs: Table, tmp_path: Path) -> None:
    rows = drugs.to_records()
    assert len(rows) == len(drugs)
    for record, row in zip(rows, drugs.rows, strict=True):
        assert record["path"] == " > ".join(row.path) and record["level"] == row.level
        assert [record[c.value] or None for c in drugs.columns] == list(row.codes)
    assert {type(v) for r in rows for k, v in r.items() if k != "level"} == {str}
    _frames_round_trip(rows, tmp_path)
    diff = diff_tables(load_drugs(DRUGS_2022), drugs)
    changes = diff.to_records()
    kinds = Counter(r["change"] for r in changes)
    assert kinds == {
        "added": len(diff.added),
        "removed": len(diff.removed),
        "changed": len(diff.changed),
    }
    assert all(kinds.values())
    first = next(r for r in changes if r["change"] == "changed")
    assert first["old"] != first["new"] and first["column"] in {c.value for c in DrugColumn}
    _frames_round_trip(changes, tmp_path)


def test_a_row_given_twice_must_say_the_same(tmp_path: Path) -> None:
    again = _ROW % b""
    twice = _HEAD + again + again + b"</ICD10CM.index>\n"
    table = _load(tmp_path, twice)  # (as the official "1-propanol" under "#" and "P")
    assert len(table) == 2 and table["Aspirin"].codes == table.rows[1].codes
    other = again.replace(b"T39.015", b"T39.016")
    with pytest.raises(ParseError, match=r"'Aspirin' is given twice .*first at line 6") as caught:
        _load(tmp_path, _HEAD + again + other + b"</ICD10CM.index>\n")
    assert caught.value.line == 10 and caught.value.file is not None
    nested = _doc(b'<term level="1"><title>x</title></term><term level="1"><title>X</title>'
                  b'<cell col="2">T39.012</cell></term>')
    with pytest.raises(ParseError, match="'Aspirin > X' is given twice"):
        _load(tmp_path, nested)
