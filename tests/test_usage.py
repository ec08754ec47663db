"""Wrong arguments and wrong files given to the right function: each gets the
library's own error with a message that says what to do, never a silent
relabelling or another exception type."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

import medcodes
from medcodes import hcpcs, icd10cm
from medcodes.errors import MismatchError, ParseError, SourceError, UsageError

from .helpers import CDC_2026_ZIP, HCPCS_ANWEB


def test_bundled_hcpcs_is_not_relabelled() -> None:
    with pytest.raises(SourceError, match="no bundled HCPCS file for 2019-01"):
        hcpcs.load(year=2019)
    with pytest.raises(SourceError, match="no bundled HCPCS file for 2025-04"):
        hcpcs.load(month=4)
    assert hcpcs.load(year=2025, month=1).release.label == "HCPCS Level II January 2025"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"month": 13}, "month must be an int from 1 to 12, not 13"),
        ({"year": "2019"}, "year must be an int"),
    ],
)
def test_hcpcs_arguments_are_checked(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        hcpcs.load(HCPCS_ANWEB[2019], **kwargs)  # type: ignore[arg-type]


def test_hcpcs_year_that_contradicts_the_file_name() -> None:
    with pytest.raises(MismatchError, match="year=2025 but the file name says 2019"):
        hcpcs.load(HCPCS_ANWEB[2019], year=2025)
    assert hcpcs.load(HCPCS_ANWEB[2019], year=2019).release.year == 2019


def test_a_file_that_is_not_hcpcs_says_so(tmp_path: Path) -> None:
    path = tmp_path / "codes.csv"
    path.write_text("code,title\nA0021,Ambulance\n")
    with pytest.raises(ParseError, match="no HCPCS records"):
        hcpcs.load(path)


def test_icd10cm_arguments_are_checked() -> None:
    with pytest.raises(UsageError, match="fiscal_year must be an int such as 2025, not '2025'"):
        icd10cm.load(fiscal_year="2025")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match=r"effective must be a datetime\.date"):
        icd10cm.load(effective="2025-10-01")  # type: ignore[arg-type]


def test_effective_without_files_loads_the_release_in_force_never_a_relabelled_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEDCODES_CACHE", str(tmp_path))  # an empty cache
    cs = icd10cm.load(effective=dt.date(2026, 5, 1))
    assert cs.release.label == "ICD-10-CM FY2026 (effective 2026-04-01)"  # the bundled one
    assert icd10cm.load(fiscal_year=2025, effective=dt.date(2025, 9, 30)).release.effective == (
        dt.date(2025, 4, 1)
    )
    # The October 2025 release is in force then: not bundled, not cached.
    with pytest.raises(SourceError, match=r"FY2026 \(effective 2025-10-01\) is in force on "
                       r"2025-10-01; it is not bundled") as info:
        icd10cm.load(effective=dt.date(2025, 10, 1))
    assert "medcodes.fetch('icd10cm', '2026')" in str(info.value)
    with pytest.raises(SourceError, match=r"FY2025 \(effective 2024-10-01\) is in force"):
        icd10cm.load(fiscal_year=2025, effective=dt.date(2024, 11, 1))
    with pytest.raises(SourceError, match="has no files for it"):
        icd10cm.load(effective=dt.date(2020, 5, 1))  # the April 2020 update
    with pytest.raises(SourceError, match="no ICD-10-CM release in force on 2015-09-30"):
        icd10cm.load(effective=dt.date(2015, 9, 30))


@pytest.mark.parametrize(
    "member", ["icd10cm-order-addenda-2026.txt", "icd10cm-codes-addenda-2026.txt"]
)
@pytest.mark.parametrize("name", ["official", "renamed.txt"])
def test_an_addenda_file_given_to_load_names_load_addenda(
    tmp_path: Path, member: str, name: str
) -> None:
    with zipfile.ZipFile(CDC_2026_ZIP) as zf:
        data = zf.read(member)
    path = tmp_path / (member if name == "official" else name)
    path.write_bytes(data)
    with pytest.raises(ParseError, match=r"line 1: an addenda file .*load_addenda\(\)"):
        icd10cm.load(path)
    assert icd10cm.load_addenda(path, member.split("-")[1]).lines  # the right function reads it


def test_codesets_of_the_other_system_are_refused() -> None:
    cm, hc = icd10cm.load(), hcpcs.load()
    with pytest.raises(UsageError, match="compares ICD-10-CM codesets"):
        icd10cm.diff(cm, hc)  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="compares HCPCS codesets"):
        hcpcs.diff(hc, cm)  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="expected 'order' or 'codes'"):
        icd10cm.load_addenda(CDC_2026_ZIP, "tabular")
    assert isinstance(UsageError("x"), ValueError)
    assert issubclass(UsageError, medcodes.MedcodesError)


def test_paths_are_str_or_pathlike_and_not_bytes() -> None:
    # bytes are file contents more often than a path (issue 15): refused, saying so
    path = HCPCS_ANWEB[2019]
    assert hcpcs.load(str(path)).release.year == 2019
    for load in (icd10cm.load, hcpcs.load, icd10cm.load_addenda, hcpcs.load_corrections):
        with pytest.raises(UsageError, match="expected a path"):
            load(42)  # type: ignore[operator]
        with pytest.raises(UsageError, match="bytes are not a path"):
            load(bytes(path))  # type: ignore[operator]


def test_error_messages_name_what_was_asked() -> None:
    hc = hcpcs.load()
    with pytest.raises(KeyError, match=r"'J9308' is not a Level II modifier.*procedure code"):
        hc.modifier("J9308")


def test_an_hcpcs_file_given_to_icd10cm_load_says_so() -> None:
    with pytest.raises(ParseError, match=r"line 1: not an ICD-10-CM file: neither a tabular XML"):
        icd10cm.load(HCPCS_ANWEB[2020])


def test_icd10cm_fiscal_year_and_effective_must_fit_the_files() -> None:
    bundled = Path(medcodes.__file__).parent / "_bundled"
    zip_2025 = bundled / "2025-code-descriptions-tabular-order.zip"
    with pytest.raises(MismatchError, match="fiscal_year=2019 but the file name says 2025"):
        icd10cm.load(zip_2025, fiscal_year=2019)
    assert icd10cm.load(zip_2025, fiscal_year=2025).release.fiscal_year == 2025
    with pytest.raises(UsageError, match="effective=2020-01-01 is outside fiscal year 2026"):
        icd10cm.load(fiscal_year=2026, effective=dt.date(2020, 1, 1))
    with pytest.raises(UsageError, match="outside fiscal year 2025"):
        icd10cm.load(fiscal_year=2025, effective=dt.date(2026, 4, 1))


def test_a_datetime_counts_as_its_date_and_other_dates_are_refused() -> None:
    hc = hcpcs.load()
    assert hc.check_code("J9308", on=dt.datetime(2025, 2, 1, 13, 30)).day == dt.date(2025, 2, 1)
    with pytest.raises(UsageError, match=r"on must be a datetime\.date, not '2025-02-01'"):
        hc.check_code("J9308", on="2025-02-01")  # type: ignore[arg-type]
    history = icd10cm.ReleaseHistory([icd10cm.load(fiscal_year=2025), icd10cm.load()])
    assert history.is_valid("E11.65", on=dt.datetime(2025, 5, 1))
    with pytest.raises(UsageError, match=r"on must be a datetime\.date"):
        history.release_for(None)  # type: ignore[arg-type]
    assert type(icd10cm.load(effective=dt.datetime(2026, 4, 1)).release.effective) is dt.date
    with pytest.raises(UsageError, match="a list of codesets, not one codeset"):
        icd10cm.ReleaseHistory(icd10cm.load())  # type: ignore[arg-type]


def test_workbooks_are_files_not_zips_to_search(tmp_path: Path) -> None:
    from .helpers import HCPCS_2025_CORRECTIONS, HCPCS_2025_REPORT

    with pytest.raises(SourceError, match="an Office document"):
        hcpcs.load(HCPCS_2025_REPORT)
    with pytest.raises(SourceError, match="an Office document"):
        icd10cm.load(HCPCS_2025_CORRECTIONS)
    # A folder of downloads: the workbooks in it are found by name, read whole.
    for workbook in (HCPCS_2025_REPORT, HCPCS_2025_CORRECTIONS):
        (tmp_path / workbook.name).write_bytes(workbook.read_bytes())
    assert len(hcpcs.load_transaction_report(tmp_path).rows) == 8642
    assert len(hcpcs.load_corrections(tmp_path)) == 46


def test_load_addenda_which_is_checked_for_a_single_file(tmp_path: Path) -> None:
    with zipfile.ZipFile(CDC_2026_ZIP) as zf:
        data = zf.read("icd10cm-codes-addenda-2026.txt")
    path = tmp_path / "icd10cm-codes-addenda-2026.txt"
    path.write_bytes(data)
    with pytest.raises(MismatchError, match="which='order' but this is a codes addenda file"):
        icd10cm.load_addenda(path, "order")
    assert icd10cm.load_addenda(path).type.value == "codes"
    with pytest.raises(SourceError, match='pass which="order" or "codes"'):
        icd10cm.load_addenda(CDC_2026_ZIP)


def test_order_is_for_checking_a_tabular() -> None:
    from .helpers import CMS_2025_ZIP

    # A zip with only an order (or codes) file, plus another release's order file:
    # it used to load the second silently, dropping the first.
    with pytest.raises(UsageError, match="holds an order file and no tabular"):
        icd10cm.load(CMS_2025_ZIP, order=CDC_2026_ZIP)
    assert icd10cm.load(order=CDC_2026_ZIP).release.fiscal_year == 2026  # order file alone


def test_guidelines_need_a_release_with_notes() -> None:
    from .helpers import CMS_2025_ZIP

    by_order = icd10cm.load(CMS_2025_ZIP)
    assert not by_order.has_notes and icd10cm.load().has_notes
    for ask in (
        lambda: by_order.conflicts("E10.9", "E11.9"),
        lambda: by_order.excludes2_relations("R42", "F31.9"),
        lambda: by_order.effective_notes("E11.9"),
    ):
        with pytest.raises(UsageError, match="loaded without its tabular XML"):
            ask()
    # A claim is still checked for validity, and says what it could not check.
    findings = by_order.check_claim(["E10.9", "E11.9", "E99"])
    kinds = [f.kind.value for f in findings]
    assert kinds == ["instructional notes not loaded", "invalid code"]
    assert findings[0].positions == ()


def test_an_order_addenda_needs_short_titles() -> None:
    bundled = Path(medcodes.__file__).parent / "_bundled"
    old = icd10cm.load(bundled / "icd10cm-tabular-April-2025.xml.gz")  # tabular only
    new = icd10cm.load(bundled / "icd10c-tabular-April-1-2026.xml.gz")
    changes = icd10cm.diff(old, new)
    with pytest.raises(UsageError, match="an order addenda needs short titles"):
        changes.to_addenda("order")
    assert changes.to_addenda("codes")  # the codes addenda has no short titles


def test_enum_arguments_take_their_values_and_refuse_the_rest(cm: icd10cm.Codeset) -> None:
    by_value = cm.effective_notes("E11.65", "excludes1")  # type: ignore[arg-type]
    assert by_value == cm.effective_notes("E11.65", icd10cm.NoteKind.EXCLUDES1) and by_value
    assert cm["E11"].notes.of("excludes1") == cm["E11"].notes.excludes1  # type: ignore[arg-type]
    by_name = cm.effective_notes("E11.65", "EXCLUDES1")  # type: ignore[arg-type]
    assert by_name == by_value
    with pytest.raises(UsageError, match=r"kind='excludes': expected one of medcodes.icd10cm.Note"):
        cm.effective_notes("E11.65", "excludes")  # type: ignore[arg-type]
    changes = icd10cm.diff(icd10cm.load(fiscal_year=2025), cm)
    assert changes.of("added") == changes.of(icd10cm.ChangeKind.ADDED)  # type: ignore[arg-type]
    with pytest.raises(UsageError, match=r"expected one of medcodes\.icd10cm\.ChangeKind"):
        changes.of(hcpcs.ChangeKind.ADDED)  # type: ignore[arg-type]  # the other system's
    with pytest.raises(UsageError, match=r"expected one of medcodes\.icd10cm\.AddendaType"):
        changes.to_addenda("orders")
    hc = hcpcs.load()
    assert hcpcs.diff(hc, hc).of("added") == ()  # type: ignore[arg-type]
    with pytest.raises(UsageError, match=r"expected one of medcodes\.hcpcs\.ChangeKind"):
        hcpcs.diff(hc, hc).of("new")  # type: ignore[arg-type]


def test_arguments_that_are_not_text(cm: icd10cm.Codeset) -> None:
    changes = icd10cm.diff(cm, cm)
    hc = hcpcs.load()
    for call in (
        lambda: changes.for_code(None),  # type: ignore[arg-type]
        lambda: hcpcs.diff(hc, hc).for_code(5),  # type: ignore[arg-type]
        lambda: cm.block(None),  # type: ignore[arg-type]
        lambda: icd10cm.normalize_code(None),  # type: ignore[arg-type]
        lambda: icd10cm.display_code(None),  # type: ignore[arg-type]
        lambda: icd10cm.parse_references(None),  # type: ignore[arg-type]
        lambda: cm.resolve("E11"),  # type: ignore[arg-type]
        lambda: list(cm["E11"].descendants(depth="a")),  # type: ignore[arg-type]
        lambda: icd10cm.ReleaseHistory(None),  # type: ignore[arg-type]
    ):
        with pytest.raises(UsageError):
            call()
    # display_code writes what it is given in the written form, whatever the spacing.
    assert icd10cm.display_code(" e11.65 ") == "E11.65" == icd10cm.display_code("E1165")
    assert icd10cm.display_code("E11.") == "E11" == icd10cm.display_code("e11")
