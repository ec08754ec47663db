"""HCPCS Level II on the five real files: loading, fields, validity, diff,
CMS's transaction reports, malformed records."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import lzma
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import medcodes
from medcodes import hcpcs
from medcodes.errors import DefectWarning, ParseError, UnknownCodeError
from medcodes.hcpcs import (
    ActionCode,
    ChangeKind,
    CoverageCode,
    Kind,
    PricingIndicator,
    Problem,
    TypeOfService,
)

from .helpers import (
    HCPCS_2017_ZIP,
    HCPCS_2025_CORRECTIONS,
    HCPCS_2025_REPORT,
    HCPCS_ANWEB,
    HCPCS_REPORTS,
)


@pytest.fixture(scope="module")
def hc() -> hcpcs.Codeset:
    return hcpcs.load()


@pytest.fixture(scope="module")
def years() -> dict[int, hcpcs.Codeset]:
    with pytest.warns(DefectWarning, match=r"line \d+: ASC payment group effective date") as seen:
        loaded = {year: hcpcs.load(path) for year, path in HCPCS_ANWEB.items()}
    # Five records of the 2018 file, and nothing in the others.
    assert len(seen) == 5 and all("2018" in str(w.message) for w in seen)
    loaded[2017] = hcpcs.load(HCPCS_2017_ZIP)
    return loaded


@pytest.mark.parametrize(
    ("year", "codes", "modifiers"),
    [(2017, 6155, 343), (2018, 6205, 354), (2019, 6440, 360), (2020, 6710, 369)],
)
def test_every_year_loads_with_its_counts(
    years: dict[int, hcpcs.Codeset], year: int, codes: int, modifiers: int
) -> None:
    cs = years[year]
    assert (len(cs), len(cs.modifiers)) == (codes, modifiers)
    assert cs.release.year == year and cs.release.effective == dt.date(year, 1, 1)


def test_the_bundled_january_2025_file(hc: hcpcs.Codeset) -> None:
    assert (len(hc), len(hc.modifiers)) == (8259, 383)
    assert hc.release.label == "HCPCS Level II January 2025"
    assert hc.release.sources[0].sha256 == (
        "e0b73fad41d9fcacfffa73b118d4454aca6aa5e8a5e42f3a24cacb4a192e194e"
    )


def test_fields_are_typed(hc: hcpcs.Codeset) -> None:
    # A0021, first procedure record of the January 2025 file, checked by hand.
    r = hc["A0021"].record
    assert r is not None
    assert (
        r.long_description == "Ambulance service, outside state per mile, transport (medicaid only)"
    )
    assert r.short_description == "Outside state ambulance serv"
    assert r.pricing_indicators == (PricingIndicator.NOT_SEPARATELY_PRICED,)
    assert (
        r.coverage is CoverageCode.NOT_PAYABLE and r.coverage.meaning == "Not payable by Medicare"
    )
    assert r.cross_references == ("A0030",) and r.betos == "O1A"
    assert (r.added, r.terminated, r.action) == (dt.date(1985, 1, 1), None, ActionCode.NO_CHANGE)
    # Type of service B is obsolete (1998) but in the official table: typed.
    g9949 = hc["G9949"].record
    assert g9949 is not None and g9949.unknown_values == ()
    assert g9949.types_of_service == (TypeOfService.HIGH_RISK_SCREENING_MAMMOGRAPHY,)
    assert "obsolete 1/1/98" in g9949.types_of_service[0].meaning


def test_a_value_outside_the_code_tables_is_kept_and_named(tmp_path: Path) -> None:
    # No staged file has one; a type of service "X" is in no table.
    lines = lzma.decompress(_GOOD.read_bytes()).decode("cp1252").splitlines()
    n = next(n for n, line in enumerate(lines) if line[10] == "3" and line[260:265].strip())
    first = lines[n]
    lines = lines[: n + 1]
    lines[n] = first[:260] + "X" + first[261:]
    hc = hcpcs.load(_anweb(tmp_path, "\r\n".join(lines).encode("cp1252")))
    record = hc.record(first[:5].strip())
    assert record.unknown_values == ("types_of_service",) and record.types_of_service[0] == "X"


def test_long_descriptions_join_the_continuation_lines(hc: hcpcs.Codeset) -> None:
    raw = lzma.decompress(
        (Path(medcodes.__file__).parent / "_bundled" / hcpcs.loader.BUNDLED).read_bytes()
    ).decode("cp1252")
    lines = [line for line in raw.splitlines() if line[:5] == "A0080"]
    assert [line[10] for line in lines] == ["3", "4"]
    expected = " ".join(line[11:91].strip() for line in lines)
    record = hc["A0080"].record
    assert record is not None and record.long_description == expected and record.lines == 2
    assert expected.endswith("(individual or organization), with no vested interest")


def test_modifiers_are_apart(hc: hcpcs.Codeset) -> None:
    jg = hc.modifier("jg")
    assert jg.kind is Kind.MODIFIER and jg.parent is None
    record = jg.record
    assert record is not None and record.action is ActionCode.DISCONTINUE
    assert record.terminated == dt.date(2024, 12, 31)
    assert "JG" not in hc and "RT" in hc.modifiers
    assert hc.check_code("RT").problem is Problem.MODIFIER_NOT_PROCEDURE
    with pytest.raises(UnknownCodeError, match="'25' is not a Level II modifier"):
        hc.modifier("25")  # CPT modifiers are not in the CMS file
    with pytest.raises(UnknownCodeError, match="it is a procedure code"):
        hc.modifier("J9308")


def test_sections(hc: hcpcs.Codeset) -> None:
    j = hc.section("J")
    assert j.title.startswith("Drugs administered other than oral method")
    assert len(j.children) == 1121 and all(c.parent == j for c in j.children[:50])
    assert [s.code for s in hc.sections()][:3] == ["A", "B", "C"]
    with pytest.raises(UnknownCodeError, match="no HCPCS section 'Z'; sections: A, B, C"):
        hc.section("Z")
    assert [a.code for a in hc["J9308"].ancestors()] == ["J"]


def test_validity_on_a_date_of_service(hc: hcpcs.Codeset, years: dict[int, hcpcs.Codeset]) -> None:
    # U0003 ended on May 11, 2023 (not a December 31).
    assert hc.is_valid("U0003", on=dt.date(2023, 5, 11))
    check = hc.check_code("U0003", on=dt.date(2023, 5, 12))
    assert check.problem is Problem.TERMINATED and "2023-05-11" in check.message
    # U0001 was added on February 4, 2020.
    assert hc.check_code("U0001", on=dt.date(2020, 2, 3)).problem is Problem.NOT_YET_EFFECTIVE
    # C9025 (ramucirumab) was replaced by J9308 on January 1, 2016 (2017 file).
    c9025 = years[2017].check_code("C9025", on=dt.date(2016, 6, 1))
    assert c9025.problem is Problem.TERMINATED and c9025.suggestions == ("J9308",)
    assert hc.check_code("J93O8").problem is Problem.MALFORMED
    unknown = hc.check_code("J9398")
    assert unknown.problem is Problem.UNKNOWN and "J9308" in unknown.suggestions


@given(st.text(max_size=12))
def test_check_code_never_raises(text: str) -> None:
    check = _HC.check_code(text)
    assert check.valid is (check.problem is None)


_HC = hcpcs.load()


def test_the_announced_changes_equal_cms_transaction_reports(
    years: dict[int, hcpcs.Codeset],
) -> None:
    for year in (2018, 2019, 2020):
        report = hcpcs.load_transaction_report(HCPCS_REPORTS[year])
        announced = {(a.code, a.action) for a in hcpcs.diff(years[year - 1], years[year]).announced}
        reported = {(r.code, r.action) for r in report.rows if r.action is not ActionCode.NO_CHANGE}
        assert announced == reported, year
        # Every code of the report, "no change" included, carries the same action in the file.
        cs = years[year]
        in_file = {r.code: r.action for r in (*cs.records(), *cs.modifier_records())}
        assert report.actions() == {c: a for c, a in in_file.items() if c in report.actions()}
        missing = set(in_file) - set(report.actions())
        assert missing == ({"L1"} if year == 2018 else set())  # CMS left L1 out of its 2018 report


def test_the_2025_transaction_workbook_equals_the_bundled_file(hc: hcpcs.Codeset) -> None:
    # Since 2021 CMS publishes the report as a workbook only.
    report = hcpcs.load_transaction_report(HCPCS_2025_REPORT)
    in_file = {r.code: r.action for r in (*hc.records(), *hc.modifier_records())}
    assert report.actions() == in_file  # every code and modifier, "no change" included
    announced = {(a.code, a.action) for a in hcpcs.diff(hc, hc).announced}
    changed = {(r.code, r.action) for r in report.rows if r.action is not ActionCode.NO_CHANGE}
    assert announced == changed
    a9615 = report.rows[0]
    assert (a9615.code, a9615.label, a9615.long_description) == (
        "A9615",
        "ADD",
        hc["A9615"].record.long_description,
    )
    # "Miscellaneous change (BETOS or Type of Service)" is action code M.
    assert report.actions()["C8000"] is ActionCode.MISCELLANEOUS


def test_the_transaction_workbook_and_prn_agree(tmp_path: Path) -> None:
    # Through 2020 CMS published both: the 2017 zip holds the two.
    with zipfile.ZipFile(HCPCS_2017_ZIP) as zf:
        workbook = tmp_path / "HCPCS2017_Trans Report_Alpha.xlsx"
        workbook.write_bytes(zf.read("HCPCS2017_Trans Report_Alpha.xlsx"))
    from_prn = hcpcs.load_transaction_report(HCPCS_2017_ZIP)  # the zip: the .prn is taken
    assert from_prn.label.endswith(".prn")
    from_xlsx = hcpcs.load_transaction_report(workbook)
    assert len(from_xlsx.rows) == len(from_prn.rows) == 6498
    assert from_xlsx.actions() == from_prn.actions()


def test_the_2025_corrections_workbook() -> None:
    corrections = hcpcs.load_corrections(HCPCS_2025_CORRECTIONS)
    assert len(corrections) == 46
    by_code = {c.code: c for c in corrections}
    c7537 = by_code["C7537"]
    assert (c7537.action, c7537.effective) == ("Revise LD", dt.date(2023, 1, 1))
    assert by_code["C7537"].fields["LONG DESCRIPTION"].startswith("Insertion of new or replacement")
    assert (by_code["MA"].action, by_code["MA"].effective) == ("Terminate", dt.date(2025, 1, 1))
    assert (by_code["C9734"].action, by_code["C9734"].effective) == ("Do not terminate", None)


def test_computed_diff_2019_to_2020(years: dict[int, hcpcs.Codeset]) -> None:
    d = hcpcs.diff(years[2019], years[2020])
    # B4185: both descriptions rewritten (checked in both files).
    assert {c.kind for c in d.for_code("B4185")} == {
        ChangeKind.LONG_DESCRIPTION,
        ChangeKind.SHORT_DESCRIPTION,
    }
    # B4105: pricing indicator 00 -> 39 (the 2019 corrections file announced it).
    fields = {
        c.detail: (c.before, c.after) for c in d.for_code("B4105") if c.kind is ChangeKind.FIELD
    }
    assert fields["pricing_indicators"] == ("00", "39")
    # C9034: discontinued as of 2018-12-31, which only the 2020 file shows.
    # and its replacement J1095 (the 2019 corrections file named both).
    c9034 = {(c.kind, c.detail): c.after for c in d.for_code("C9034")}
    assert c9034[ChangeKind.DISCONTINUED, None] == "2018-12-31"
    assert c9034[ChangeKind.FIELD, "cross_references"] == "J1095"
    assert len(d.of(ChangeKind.ADDED)) == 279 and not d.of(ChangeKind.DELETED)
    s = d.summary()
    assert s.announced == {"A": 250, "C": 70, "D": 99, "P": 10, "S": 2}
    assert sum(s.by_kind.values()) == s.total == len(d) == len(d.to_records())
    assert not hcpcs.diff(years[2020], years[2020])


def test_diff_reports_share_the_icd10cm_format(years: dict[int, hcpcs.Codeset]) -> None:
    d = hcpcs.diff(years[2019], years[2020])
    rows = list(csv.DictReader(io.StringIO(d.to_csv())))
    icd = medcodes.icd10cm.load()
    icd_heading = medcodes.icd10cm.diff(icd, icd).to_csv().splitlines()[0]
    assert d.to_csv().splitlines()[0] == icd_heading  # one file format for both systems
    assert len(rows) == len(d)
    assert {"code": "C9034", "change": "discontinued", "after": "2018-12-31"}.items() <= rows[
        [r["code"] for r in rows].index("C9034")
    ].items()
    text = d.to_markdown()
    assert text.startswith("# HCPCS Level II changes: HCPCS Level II January 2019 -> ")
    added = sum(1 for c in d.of(ChangeKind.ADDED) if c.level == "code")
    assert f"| codes | {added:,} | 0 |" in text
    assert "- `C9034` terminated 2018-12-31" in text
    assert f"## announced by the newer file ({len(d.announced):,})" in text
    # the disagreements are counted by reason; all_disagreements=True lists each
    assert text.count("\n- ") == len(d) + len(d.announced)
    full = d.to_markdown(all_disagreements=True)
    assert full.count("\n- ") == len(d) + len(d.announced) + len(d.disagreements())
    payload = json.loads(d.to_json())
    icd_payload = json.loads(medcodes.icd10cm.diff(icd, icd).to_json())
    assert set(payload) - {"announced", "disagreements"} == set(icd_payload) - {"compared"}
    assert payload["system"] == "hcpcs" and len(payload["changes"]) == len(d)
    first = d.announced[0]
    assert payload["announced"][0] == {
        "code": first.code,
        "level": first.level,
        "action": first.action.value if isinstance(first.action, ActionCode) else first.action,
    }
    assert len(payload["announced"]) == len(d.announced)


def _anweb(tmp_path: Path, body: bytes) -> Path:
    """A file of these lines, ending with a line end as every official file does."""
    path = tmp_path / "HCPC2025_JAN_ANWEB.txt"
    path.write_bytes(body if body.endswith(b"\n") else body + b"\r\n")
    return path


_GOOD = Path(medcodes.__file__).parent / "_bundled" / hcpcs.loader.BUNDLED


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda lines: [lines[0][:200], *lines[1:]], r"line 1: first record of a code is 200"),
        (
            lambda lines: [lines[0][:10] + "5" + lines[0][11:], *lines[1:]],
            r"line 1: unknown record id",
        ),
        (lambda lines: [lines[0][:10] + "8" + lines[0][11:], *lines[1:]], r"line 1: continuation"),
        (
            lambda lines: [lines[0][:268] + "20251340" + lines[0][276:], *lines[1:]],
            r"line 1: code added date",
        ),
        (lambda lines: [*lines[:3], "garbage line", *lines[3:]], r"line 4: not an HCPCS record"),
        (lambda lines: [lines[0] + "x", *lines[1:]], r"line 1: record of 321 characters"),
    ],
)
def test_malformed_records_name_their_line(tmp_path: Path, edit: object, message: str) -> None:
    lines = lzma.decompress(_GOOD.read_bytes()).decode("cp1252").splitlines()[:50]
    body = "\r\n".join(edit(lines)).encode("cp1252")  # type: ignore[operator]
    with pytest.raises(ParseError, match=message):
        hcpcs.load(_anweb(tmp_path, body))


def test_repeated_records_and_blank_overlong_lines_load_with_warnings(tmp_path: Path) -> None:
    lines = lzma.decompress(_GOOD.read_bytes()).decode("cp1252").splitlines()[:50]
    clean = hcpcs.load(_anweb(tmp_path, "\r\n".join(lines).encode("cp1252")))
    # Records are one first line and its continuations: repeat the second code's.
    second = next(n for n, line in enumerate(lines) if n and line[10] in "37")
    third = next(n for n, line in enumerate(lines) if n > second and line[10] in "37")
    edited = [lines[0] + "   ", *lines[1:third], *lines[second:third], *lines[third:]]
    with pytest.warns(DefectWarning) as seen:
        loaded = hcpcs.load(_anweb(tmp_path, "\r\n".join(edited).encode("cp1252")))
    messages = sorted(str(w.message) for w in seen)
    code = lines[second][:5].strip()
    assert len(messages) == 2
    assert "line 1: record of 323 characters, 320 expected" in messages[0]
    repeat = f"line {third + 1}: code {code} appears twice (first on line {second + 1})"
    assert repeat in messages[1]
    for records in ("records", "modifier_records"):
        assert [(r.code, r.long_description) for r in getattr(loaded, records)()] == [
            (r.code, r.long_description) for r in getattr(clean, records)()
        ]


def test_wrong_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="no HCPCS records"):
        hcpcs.load(_anweb(tmp_path, b"***Disclaimers\r\nnothing here\r\n"))
    with pytest.raises(ParseError, match="UTF-16"):
        hcpcs.load(_anweb(tmp_path, "A0021".encode("utf-16")))


def test_the_parser_fills_the_record_fields_in_order(hc: hcpcs.Codeset) -> None:
    # The parser passes the administrative columns positionally: check each
    # field's type against what the layout puts there, on every record.
    for r in (*hc.records(), *hc.modifier_records()):
        assert all(isinstance(p, PricingIndicator | str) for p in r.pricing_indicators)
        assert r.coverage is None or isinstance(r.coverage, CoverageCode | str)
        assert r.anesthesia_base_units is None or isinstance(r.anesthesia_base_units, int)
        assert r.added is None or isinstance(r.added, dt.date)
        assert r.action is None or isinstance(r.action, ActionCode | str)
        assert r.betos is None or len(r.betos) <= 3


def test_the_2019_corrections_workbooks(years: dict[int, hcpcs.Codeset]) -> None:
    from .helpers import HCPCS_2019_CORRECTIONS

    rows = hcpcs.load_corrections(HCPCS_2019_CORRECTIONS)
    assert [r.code for r in rows] == [
        "A5513", "B4105", "C1890", "C9034", "C9468", "J1095", "J2186", "J2787", "Q2026",
        "Q5111", "Q9994", "DA", "C1890", "J7329",
    ]
    by = {(r.code, r.row): r for r in rows}
    # Two workbooks (v1 and v2): each row says which one it is from.
    assert [r.workbook.endswith("_v2.xlsx") for r in rows] == [False] * 11 + [True] * 3
    c9034 = next(r for r in rows if r.code == "C9034")
    assert (c9034.action, c9034.effective, c9034.fields) == (
        "Discontinue",
        dt.date(2019, 1, 1),
        {"XREF CODE": "J1095"},
    )
    # The workbook's own typo is kept, not guessed: "01/0/12019".
    q5111 = next(r for r in rows if r.code == "Q5111")
    assert q5111.effective is None and q5111.effective_text == "01/0/12019"
    assert q5111.fields["ASC DATE"] == "2019-01-01" and q5111.fields["TOS"] == "1,P"
    # The corrections describe what the published 2019 file lacked, which 2020 has.
    added = [r.code for r in rows if r.action == "ADD CODE"]
    assert all(code not in years[2019] and code in years[2020] for code in added)
    assert len(by) == len(rows)


def test_the_same_shape_as_icd10cm(hc: hcpcs.Codeset) -> None:
    # get() with a default, and CodeCheck.billable, as in medcodes.icd10cm.
    j9308 = hc["J9308"]
    assert hc.get("ZZZZZ") is None and hc.get("ZZZZZ", j9308) is j9308
    assert hc.get("j9308", j9308) == j9308
    check = hc.check_code("J9308")
    assert check.billable and check.valid and check.exists
    assert not hc.check_code("RT").billable
    assert hc.record("J9308") is j9308.record and hc.record(" rt ").code == "RT"
    with pytest.raises(UnknownCodeError, match="ZZZZ9"):
        hc.record("ZZZZ9")


def test_a_date_after_the_files_quarter_is_answered_with_a_caveat(hc: hcpcs.Codeset) -> None:
    assert hc.release.next_quarter == dt.date(2025, 4, 1)
    inside = hc.check_code("J9308", on=dt.date(2025, 3, 31))
    assert inside.valid and inside.message == "J9308 is valid on 2025-03-31"
    later = hc.check_code("J9308", on=dt.date(2030, 1, 1))
    assert later.valid and "next quarterly file takes effect on 2025-04-01" in later.message


def test_letters_typed_for_digits_are_suggested(hc: hcpcs.Codeset) -> None:
    check = hc.check_code("J93O8")
    assert check.problem is Problem.MALFORMED and check.suggestions == ("J9308",)
    assert hc.check_code("XYZ").suggestions == ()


def test_modifiers_are_checked_on_a_date_of_service(hc: hcpcs.Codeset) -> None:
    # JG: discontinued, terminated 2024-12-31 in the January 2025 file.
    assert hc.check_modifier("jg", on=dt.date(2024, 12, 31)).valid
    late = hc.check_modifier("JG")
    assert late.problem is Problem.TERMINATED and late.exists and late.release == hc.release.label
    assert hc.check_modifier("J9308").problem is Problem.NOT_A_MODIFIER
    assert "procedure code" in hc.check_modifier("J9308").message
    assert hc.check_modifier(42).problem is Problem.NOT_A_MODIFIER  # type: ignore[arg-type]


def test_cpt_codes_and_modifiers_are_said_to_be_cpt(hc: hcpcs.Codeset) -> None:
    # DOMAIN.md §10 #42: Level I (CPT) is not in CMS's Level II file.
    for check in (hc.check_code("99213"), hc.check_code("0377T"), hc.check_modifier("25")):
        assert not check.valid and "CPT" in check.message and "Level II" in check.message
    assert not hc.is_valid("99213")


def test_modifiers_are_valid_and_found_in_any_case(hc: hcpcs.Codeset) -> None:
    assert hc.is_valid("rt") and hc.is_valid("RT", on=dt.date(2025, 6, 1))
    assert not hc.is_valid("JG")  # terminated 2024-12-31
    assert "rt" in hc.modifiers and hc.modifiers["rt"].code == "RT"
    with pytest.raises(UnknownCodeError):
        hc.modifiers["ZZ"]
    with pytest.raises(TypeError):
        hc.modifiers["RT"] = None  # type: ignore[index]  # read-only


def test_a_replacement_that_was_itself_terminated_is_followed(hc: hcpcs.Codeset) -> None:
    c9136 = hc.check_code("C9136")
    assert c9136.problem is Problem.TERMINATED
    assert "replaced by Q9975 (itself terminated on 2015-12-31; replaced by J7205)" in (
        c9136.message
    )
    assert c9136.suggestions == ("J7205",) and hc.is_valid("J7205")
    c8904 = hc.check_code("C8904")
    assert "77046 (a CPT code)" in c8904.message and c8904.suggestions == ("77046",)


def test_a_date_before_the_file_is_answered_with_a_caveat(hc: hcpcs.Codeset) -> None:
    early = hc.check_code("J9308", on=dt.date(2018, 1, 1))
    assert early.valid and "as far as the HCPCS Level II January 2025 file says" in early.message
    assert "reuses codes" in hc.check_code("J1440", on=dt.date(2013, 1, 1)).message
    assert hc.check_code("J9308").message == "J9308 is valid on 2025-01-01"


def test_an_unknown_code_error_lists_its_suggestions_once(hc: hcpcs.Codeset) -> None:
    with pytest.raises(UnknownCodeError) as info:
        hc["G0001"]
    assert str(info.value).count("G2001") == 1


def test_a_reused_number_is_not_a_reactivation() -> None:
    old, new = hcpcs.load(HCPCS_2017_ZIP), hcpcs.load()
    kinds = [c.kind for c in hcpcs.diff(old, new).for_code("J1440")]
    assert ChangeKind.REUSED in kinds and ChangeKind.REACTIVATED not in kinds
    reused = hcpcs.diff(old, new).of(ChangeKind.REUSED)[0]
    was = old.record("J1440").added
    assert was is not None and (reused.before, reused.after) == (was.isoformat(), "2023-07-01")
    assert "J1440` number reused: a new item added 2023-07-01" in hcpcs.diff(old, new).to_markdown()
    # Without a termination in between: G9890 re-added with a new meaning under action A.
    with pytest.warns(DefectWarning, match="ASC payment group"):  # 2018's five shifted dates
        in_2018 = hcpcs.load(HCPCS_ANWEB[2018])
    d = hcpcs.diff(in_2018, hcpcs.load(HCPCS_ANWEB[2019]))
    assert {c.code for c in d.of(ChangeKind.REUSED)} == {"G9890", "G9891"}
    assert not {"G9890", "G9891"} & {x.code for x in d.disagreements()}


def test_action_codes_that_disagree_with_the_files_are_flagged() -> None:
    # DOMAIN.md §9.2. 2019 -> 2020: C9034 was discontinued under action N.
    old, new = hcpcs.load(HCPCS_ANWEB[2019]), hcpcs.load(HCPCS_ANWEB[2020])
    d = hcpcs.diff(old, new)
    found = {x.code: x for x in d.disagreements()}
    assert found["C9034"].action is ActionCode.NO_CHANGE
    assert ChangeKind.DISCONTINUED in found["C9034"].changes
    # Every flag is a real mismatch: computed changes under N, or none under another.
    for x in d.disagreements():
        assert (x.action is ActionCode.NO_CHANGE) == bool(x.changes)
    # A file against itself: every announcement disagrees, and nothing else.
    same = hcpcs.diff(new, new)
    assert [x.code for x in same.disagreements()] == [a.code for a in same.announced]
    assert "## action codes that disagree with the files" in d.to_markdown()
    assert json.loads(d.to_json())["disagreements"][0]["reason"]


def test_a_nul_byte_is_named_with_its_own_line(tmp_path: Path) -> None:
    lines = lzma.decompress(
        (Path(medcodes.__file__).parent / "_bundled" / hcpcs.loader.BUNDLED).read_bytes()
    ).split(b"\n")
    lines[3] = lines[3][:20] + b"\x00" + lines[3][21:]  # a NUL on line 4, not line 1
    path = tmp_path / "HCPC2025_JAN_ANWEB.txt"
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(ParseError, match=r"line 4: a NUL byte"):
        hcpcs.load(path)
