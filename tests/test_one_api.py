"""The same names for the same things in ICD-10-CM and HCPCS Level II, and each
system saying so when it is given the other's codes or files."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

import pytest

import medcodes
from medcodes.errors import ParseError, UsageError

from .helpers import TABULAR_2025_APRIL


@pytest.fixture(scope="module")
def hc() -> medcodes.hcpcs.Codeset:
    return medcodes.hcpcs.load()


def test_load_takes_year_in_both_systems(cm: medcodes.icd10cm.Codeset) -> None:
    by_year = medcodes.icd10cm.load(year=2025)
    assert by_year.release == medcodes.icd10cm.load(fiscal_year=2025).release
    assert by_year.release.fiscal_year == 2025
    assert medcodes.icd10cm.load(year=2026, fiscal_year=2026).release == cm.release
    with pytest.raises(UsageError, match="give one"):
        medcodes.icd10cm.load(year=2025, fiscal_year=2026)
    with pytest.raises(UsageError, match="fiscal_year must be an int"):
        medcodes.icd10cm.load(year="2025")  # type: ignore[arg-type]
    assert medcodes.hcpcs.load(year=2025).release.label == "HCPCS Level II January 2025"


def test_is_valid_in_both_systems(cm: medcodes.icd10cm.Codeset, hc: medcodes.hcpcs.Codeset) -> None:
    for code in ("E11.9", "e119", "S72.001A", "E11", "S72.001", "R10.4", "99213", "", "J9308"):
        assert cm.is_valid(code) is cm.check_code(code).valid
    assert cm.is_valid("E11.9") and not cm.is_valid("E11")
    in_force = dt.date(2026, 5, 1)
    assert cm.is_valid("E11.9", on=in_force)
    assert not cm.is_valid("E11.9", on=dt.date(2025, 5, 1))  # before this release
    assert cm.is_valid(cm["E11.9"])
    assert hc.is_valid("U0003", on=dt.date(2023, 5, 11))
    assert not hc.is_valid("U0003", on=dt.date(2023, 5, 12))


@pytest.mark.parametrize("text", ["L5590", "l5590", " J9308 ", "A4253"])
def test_icd10cm_says_when_a_code_has_the_form_of_an_hcpcs_code(
    cm: medcodes.icd10cm.Codeset, hc: medcodes.hcpcs.Codeset, text: str
) -> None:
    check = cm.check_code(text)
    assert not check.valid
    assert f"{text.strip().upper()} has the form of an HCPCS Level II code" in check.message
    assert hc.check_code(text).valid  # and it is one


def test_icd10cm_gives_no_hcpcs_hint_for_dotted_codes(cm: medcodes.icd10cm.Codeset) -> None:
    assert "HCPCS" not in cm.check_code("L55.90").message
    assert "HCPCS" not in cm.check_code("E11.99").message
    assert cm.check_code("E1165").valid  # an ICD-10-CM code of HCPCS form: no hint when valid


@pytest.mark.parametrize("text", ["E11.9", "e119", "S72001A", "Z99.89", "C7A.1"])
def test_hcpcs_says_when_a_code_has_the_form_of_an_icd10cm_code(
    cm: medcodes.icd10cm.Codeset, hc: medcodes.hcpcs.Codeset, text: str
) -> None:
    check = hc.check_code(text)
    assert check.problem is medcodes.hcpcs.Problem.MALFORMED
    assert "has the form of an ICD-10-CM diagnosis code" in check.message
    assert cm.check_code(text).code is not None  # ICD-10-CM reads it as a code


def test_hcpcs_look_alike_hint_comes_first(hc: medcodes.hcpcs.Codeset) -> None:
    check = hc.check_code("J93O8")
    assert check.suggestions == ("J9308",) and "ICD-10-CM" not in check.message


def test_hcpcs_load_names_an_icd10cm_tabular(tmp_path: Path) -> None:
    tabular = tmp_path / "icd10cm-tabular-April-2025.xml"
    tabular.write_bytes(gzip.decompress(TABULAR_2025_APRIL.read_bytes()))
    with pytest.raises(ParseError, match=r"line 1: an ICD-10-CM tabular XML file") as caught:
        medcodes.hcpcs.load(tabular, year=2025)
    assert "medcodes.icd10cm.load" in str(caught.value)
    other = tmp_path / "HCPC2025_JAN_ANWEB.txt"
    other.write_bytes(b'<?xml version="1.0"?>\n<root/>\n')
    with pytest.raises(ParseError, match=r"an XML file, not an HCPCS Level II"):
        medcodes.hcpcs.load(other)
