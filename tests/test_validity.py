"""check_code on the tricky cases of DOMAIN.md §10 and on arbitrary text."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import medcodes
from medcodes.errors import UsageError
from medcodes.icd10cm import Codeset, Problem, normalize_code

from .helpers import CMS_2025_ZIP


@pytest.mark.parametrize(
    ("text", "problem", "suggestion"),
    [
        ("E11.65", None, None),
        ("T36.0X1A", None, None),
        ("M1A.00X0", None, None),  # numeric 7th character two levels below M1A
        ("M1A.00XA", Problem.SEVENTH_CHARACTER_NOT_ALLOWED, "M1A.00X0"),
        ("S52.011B", Problem.SEVENTH_CHARACTER_NOT_ALLOWED, "S52.011A"),  # override ADGKPS
        ("S52.111C", Problem.SEVENTH_CHARACTER_NOT_ALLOWED, "S52.111A"),
        ("S52.021C", None, None),  # S52.02 inherits S52's 16 characters
        ("T07.XXXA", None, None),
        ("S12.8XXA", None, None),
        ("E11.37X1", None, None),
        ("H40.1110", None, None),  # 6-character base takes the 7th directly
        ("O31.10X0", None, None),
        ("S06.1X7A", None, None),
        ("S06.1X7D", Problem.SEVENTH_CHARACTER_NOT_ALLOWED, "S06.1X7A"),
        ("S06.1X8S", Problem.SEVENTH_CHARACTER_NOT_ALLOWED, "S06.1X8A"),
        ("S06.0X", Problem.NOT_BILLABLE, "S06.0X0A"),  # placeholder header
        ("J09.X3", None, None),
        ("J093", Problem.MISSING_PLACEHOLDER, "J09.X3"),
        ("T3601A", Problem.MISSING_PLACEHOLDER, "T36.0X1A"),
        ("T07A", Problem.MISSING_PLACEHOLDER, "T07.XXXA"),
        ("T07.000A", Problem.MISSING_PLACEHOLDER, "T07.XXXA"),
        ("T36.0X1", Problem.MISSING_SEVENTH_CHARACTER, "T36.0X1A"),
        ("S72.001", Problem.MISSING_SEVENTH_CHARACTER, "S72.001A"),
        ("C44.1021", None, None),  # explicit 7-character codes
        ("QA0.0101", None, None),
        ("H54.0X33", None, None),
        ("I10A", Problem.EXTRA_CHARACTERS, "I10"),
        ("C44.1021A", Problem.MALFORMED, "C44.1021"),  # one character too many
        ("S72.001XA", Problem.MALFORMED, "S72.001A"),
        ("T07.XXX", Problem.MISSING_SEVENTH_CHARACTER, "T07.XXXA"),  # padded, no 7th
        ("T07.XX", Problem.MISSING_SEVENTH_CHARACTER, "T07.XXXD"),
        ("O40.1XX", Problem.MISSING_SEVENTH_CHARACTER, "O40.1XX0"),
        ("S01.90X", Problem.MISSING_SEVENTH_CHARACTER, "S01.90XS"),
        ("O401X0", Problem.MISSING_PLACEHOLDER, "O40.1XX0"),
        ("T3611", Problem.MISSING_PLACEHOLDER, "T36.1X1A"),  # X and 7th character missing
        ("I1A.0", None, None),
        ("G35.A", None, None),
        ("C84.Z0", None, None),
        ("E11", Problem.NOT_BILLABLE, "E11.00"),
        ("G35", Problem.NOT_BILLABLE, None),  # a header since FY2026
        ("19", Problem.NOT_BILLABLE, None),
        ("23", Problem.UNKNOWN, None),  # "has no chapter 23 (its chapters are 1 to 22)"
        ("E11.66", Problem.UNKNOWN, "E11.65"),
        ("E1.165", Problem.MALFORMED, None),
        ("", Problem.MISSING, None),
        ("99213", Problem.MALFORMED, None),
    ],
)
def test_tricky_cases(
    cm: Codeset, text: str, problem: Problem | None, suggestion: str | None
) -> None:
    check = cm.check_code(text)
    assert check.problem is problem, check.message
    assert check.valid is (problem is None)
    assert check.billable is (problem is None)
    if suggestion is not None:
        assert suggestion in check.suggestions
    assert len(set(check.suggestions)) == len(check.suggestions)  # T07XA: once, not thrice
    assert check.message


def test_message_names_the_allowed_characters(cm: Codeset) -> None:
    check = cm.check_code("S72.001")
    assert "A, B, C" in check.message
    assert len(check.suggestions) == 16
    assert "7th characters D, S do not apply to S06" in cm.check_code("S06.1X7D").message


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=12))
def test_check_code_never_raises_and_agrees_with_in(cm: Codeset, text: str) -> None:
    check = cm.check_code(text)
    assert check.exists is (text in cm)
    if check.valid:
        assert cm[text].billable


code_like = st.from_regex(r"[A-Z][0-9A-Z]{2}(\.?[0-9A-Z]{1,4})?", fullmatch=True)


@settings(max_examples=400, deadline=None)
@given(code_like)
def test_check_code_on_code_shaped_text(cm: Codeset, text: str) -> None:
    check = cm.check_code(text)
    assert check.problem is not Problem.MALFORMED or "." in text[4:]
    for s in check.suggestions:
        assert s in cm
    assert len(set(check.suggestions)) == len(check.suggestions)
    if check.problem in (Problem.MISSING_PLACEHOLDER, Problem.MISSING_SEVENTH_CHARACTER):
        assert all(cm[s].billable for s in check.suggestions), check


def test_no_billable_code_gets_duplicate_suggestions_when_mistyped(cm: Codeset) -> None:
    # The placeholder search inserts X at several spots; each fix is named once.
    for node in cm.billable_codes()[::7]:
        if "XX" in node.key:  # drop one X of several: each insertion spot gives the same fix
            check = cm.check_code(node.key.replace("X", "", 1))
            assert len(set(check.suggestions)) == len(check.suggestions), node.code


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_normalization_round_trips(cm: Codeset, data: st.DataObject) -> None:
    codes = cm.billable_codes()
    node = codes[data.draw(st.integers(0, len(codes) - 1))]
    for form in (node.code, node.key, node.code.lower(), f"  {node.code}\t"):
        assert cm[form] == node
        assert cm.check_code(form).code == node.code
    assert normalize_code(node.code) == node.key
    if len(node.key) > 4:  # a dot anywhere but after the category is not a code
        misplaced = f"{node.key[:4]}.{node.key[4:]}"
        assert misplaced not in cm and cm.check_code(misplaced).problem is Problem.MALFORMED


def test_typo_suggestions_are_billable_codes(cm: Codeset) -> None:
    # E11.66 is one keystroke from E11.6 (a header) and from billable codes: only
    # the billable ones are suggested.
    check = cm.check_code("E11.66")
    assert check.suggestions and "E11.6" not in check.suggestions
    assert all(cm[s].billable for s in check.suggestions)


def test_check_code_on_a_date_of_service(cm: Codeset, cm2025: Codeset) -> None:
    # Inside the period the release covers: the same answer, with the day.
    inside = cm.check_code("E11.65", on=dt.date(2026, 9, 30))
    assert inside.valid and inside.day == dt.date(2026, 9, 30)
    assert inside.message == cm.check_code("E11.65").message  # an April release: no caveat
    header = cm.check_code("E11", on=dt.date(2026, 4, 1))
    assert header.problem is Problem.NOT_BILLABLE and header.suggestions
    # Outside it (before the April 1 effective date, after the fiscal year).
    for day in (dt.date(2026, 3, 31), dt.date(2026, 10, 1)):
        check = cm.check_code("E11.65", on=day)
        assert check.problem is Problem.OUTSIDE_RELEASE and not check.valid
        assert check.code == "E11.65" and check.exists and check.release == cm.release.label
        assert f"not {day.isoformat()}: check the code against" in check.message
    assert cm.check_code("E11.6!", on=dt.date(2020, 1, 1)).problem is Problem.MALFORMED
    # An October release answers for April onwards, and says an update may apply.
    october = medcodes.icd10cm.load(CMS_2025_ZIP)
    assert october.check_code("E11.65", on=dt.date(2025, 3, 31)).message == "E11.65 is a valid code"
    caveat = october.check_code("E11.65", on=dt.date(2025, 4, 1)).message
    assert caveat.startswith("E11.65 is a valid code, as far as this release says")
    assert "takes effect on 2025-04-01" in caveat
    # Every answer may change with an April update, not only "valid".
    unknown = october.check_code("E11.66", on=dt.date(2025, 4, 1))
    assert unknown.problem is Problem.UNKNOWN and "April 1 update" in unknown.message
    assert cm2025.check_code("E11.65", on=dt.date(2025, 4, 1)).message == "E11.65 is a valid code"
    with pytest.raises(UsageError):
        cm.check_code("E11.65", on="2026-04-01")  # type: ignore[arg-type]
    nat = type("NaT", (dt.datetime,), {"date": lambda self: self, "__eq__": lambda s, o: False})
    with pytest.raises(UsageError):  # pandas' NaT: a datetime that is no date
        cm.check_code("E11.65", on=nat(2026, 4, 1))


def test_a_cpt_code_is_said_to_be_one(cm: Codeset) -> None:
    for text in ("99213", "0377T"):
        check = cm.check_code(text)
        assert check.problem is Problem.MALFORMED
        assert "form of a CPT procedure code" in check.message
    assert "CPT" not in cm.check_code("9921").message
