"""The grammar of code references inside note text, and their resolution."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medcodes.icd10cm import CodeRef, Codeset, parse_references

_Row = tuple[str, str, str | None, str | None]


def _refs(text: str) -> list[_Row]:
    return [(r.text, r.first, r.last, r.qualifier) for r in parse_references(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Forms of the April 2026 file (DOMAIN.md §3.9).
        ("unspecified diabetes (E11.9)", [("E11.9", "E119", None, None)]),
        ("malignant neoplasm of breast (C50)", [("C50", "C50", None, None)]),
        ("peptic ulcer (K25.-)", [("K25.-", "K25", None, None)]),
        ("focal brain injury (S06.4-)", [("S06.4-", "S064", None, None)]),
        ("pregnancy (O09.A-)", [("O09.A-", "O09A", None, None)]),
        ("multiple sclerosis (G35-)", [("G35-", "G35", None, None)]),
        ("peptic ulcer with hemorrhage (K25-K28)", [("K25-K28", "K25", "K28", None)]),
        ("hemorrhage (S06.4-S06.6)", [("S06.4-S06.6", "S064", "S066", None)]),
        ("toxic effects (T51-T65)", [("T51-T65", "T51", "T65", None)]),
        ("hypertension (I10-I1A)", [("I10-I1A", "I10", "I1A", None)]),
        (
            "tuberculosis (A15-A19, B90.0)",
            [("A15-A19", "A15", "A19", None), ("B90.0", "B900", None, None)],
        ),
        ("(I70.2-, I70.3-)", [("I70.2-", "I702", None, None), ("I70.3-", "I703", None, None)]),
        ("(C43.2-,C44.2-)", [("C43.2-", "C432", None, None), ("C44.2-", "C442", None, None)]),
        # Ranges of dashed codes, one with a stray space.
        (
            "(I69.01-I69.11-, I69.81- I69.91-)",
            [
                ("I69.01-I69.11-", "I6901", "I6911", None),
                ("I69.81- I69.91-", "I6981", "I6991", None),
            ],
        ),
        ("rheumatic fever (I01.0 -I01.9)", [("I01.0 -I01.9", "I010", "I019", None)]),
        # Codes in running text.
        ("hearing loss as classified in H90.-", [("H90.-", "H90", None, None)]),
        ("dementia as classified in F01-F02", [("F01-F02", "F01", "F02", None)]),
        ("at risk for fall (history of fall) Z91.81", [("Z91.81", "Z9181", None, None)]),
        (
            "concussion classified in subcategories S06.1- to S06.6-, and S06.81- to S06.89-, "
            "code to specified intracranial injury",
            [
                ("S06.1- to S06.6-", "S061", "S066", None),
                ("S06.81- to S06.89-", "S0681", "S0689", None),
            ],
        ),
        # Typos of the official files: extra, missing and wrong brackets.
        ("malignant pleural effusion (J91.0))", [("J91.0", "J910", None, None)]),
        ("hypovolemia (E87.8}", [("E87.8", "E878", None, None)]),
        ("acquired absence of knee joint (Z89.52-", [("Z89.52-", "Z8952", None, None)]),
        # Prose that looks like a code is not a reference when the note has parentheses.
        ("vitamin B12 deficiency anemia (D51.-)", [("D51.-", "D51", None, None)]),
        ("pneumoconiosis with tuberculosis, any type in A15 (J65)", [("J65", "J65", None, None)]),
        # Qualified references: the clause applies to every item of its list.
        ("diabetes mellitus (E08-E13 with .42)", [("E08-E13 with .42", "E08", "E13", "with .42")]),
        (
            "amnestic disorder (F10, F13, F19 with .26, .96)",
            [
                ("F10 with .26, .96", "F10", None, "with .26, .96"),
                ("F13 with .26, .96", "F13", None, "with .26, .96"),
                ("F19 with .26, .96", "F19", None, "with .26, .96"),
            ],
        ),
        # ... but not to a code the prose puts before it.
        (
            "The appropriate code from category O30, Multiple gestation, must also be assigned "
            "when assigning code O33.3 with a 7th character of 1 through 9.",
            [
                ("O30", "O30", None, None),
                (
                    "O33.3 with a 7th character of 1 through 9",
                    "O333",
                    None,
                    "with a 7th character of 1 through 9",
                ),
            ],
        ),
        # No code at all.
        ("certain localized infections - see body system-related chapters", []),
        ("brittle diabetes (mellitus)", []),
        ("NOS, NEC and COVID-19 are not codes", []),
    ],
)
def test_reference_forms(text: str, expected: list[_Row]) -> None:
    assert _refs(text) == expected


_KEY = re.compile(r"[A-Z][0-9][0-9A-Z]{1,5}")


@given(st.text(max_size=200))
def test_parse_never_raises_and_keys_are_code_shaped(text: str) -> None:
    for ref in parse_references(text):
        assert isinstance(ref, CodeRef)
        assert _KEY.fullmatch(ref.first)
        assert ref.last is None or _KEY.fullmatch(ref.last)
        assert ref.text.replace(".", "").startswith(ref.first[:3])


@given(
    st.lists(
        st.from_regex(r"[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,3})?", fullmatch=True),
        min_size=1,
        max_size=5,
    )
)
def test_any_list_of_codes_in_parentheses_is_read_in_order(codes: list[str]) -> None:
    refs = parse_references("condition (" + ", ".join(codes) + ")")
    assert [r.first for r in refs] == [c.replace(".", "") for c in codes]


# -- resolution against the April 2026 release ---------------------------------------


def _resolve(cm: Codeset, text: str) -> tuple[list[str], str | None]:
    (ref,) = parse_references(text)
    res = cm.resolve(ref)
    return list(res.codes), res.reason


def test_a_range_covers_its_categories_in_tabular_order(cm: Codeset) -> None:
    assert _resolve(cm, "(K25-K28)") == (["K25", "K26", "K27", "K28"], None)
    # J4A sits between J44 and J45 in the tabular, so a range across it includes it.
    nodes, _ = _resolve(cm, "(J44-J45)")
    assert nodes == ["J44", "J4A", "J45"]
    # A range of codes inside a category.
    assert _resolve(cm, "(A04.0-A04.4)")[0] == ["A04.0", "A04.1", "A04.2", "A04.3", "A04.4"]


def test_a_dangling_reference_is_kept_with_its_reason(cm: Codeset) -> None:
    # R10.4 does not exist in ICD-10-CM (DOMAIN.md §3.9): kept as unresolved, not read as R10.
    assert _resolve(cm, "localized abdominal pain (R10.1-R10.4-)") == (
        [],
        "R10.4 is not a code of this release",
    )
    assert _resolve(cm, "(K25-K23)") == ([], "the range runs backwards")


def test_qualifiers_select_codes(cm: Codeset) -> None:
    diabetic = ["E08.42", "E09.42", "E10.42", "E11.42", "E13.42"]
    assert _resolve(cm, "(E08-E13 with .42)")[0] == diabetic
    assert _resolve(cm, "(E08-E13 with .51-.52)")[0] == [
        f"E{c}.5{d}" for c in ("08", "09", "10", "11", "13") for d in "12"
    ]
    # The intent character of poisoning codes: T40.41 (fentanyl) is a subcategory,
    # not an intent; its children T40.411.. are.
    nodes, _ = _resolve(cm, "(T36-T65 with fifth or sixth character 1-4)")
    assert "T40.41" not in nodes and "T40.411" in nodes and "T40.415" not in nodes
    assert "T51.91" in nodes  # a 5-character code whose 5th character is the intent
    # "final characters -23": one character, then 23 (I69.20 is not I69.x20).
    nodes, _ = _resolve(cm, "(I69. with final characters -20)")
    assert nodes == ["I69.020", "I69.120", "I69.220", "I69.320", "I69.820", "I69.920"]
    assert _resolve(cm, "(S06.0X- with seventh character A)")[0] == [
        "S06.0X0A",
        "S06.0X1A",
        "S06.0XAA",
        "S06.0X9A",
    ]


def test_an_unknown_qualifier_is_reported_not_guessed(cm: Codeset) -> None:
    nodes, reason = _resolve(cm, "diabetic acidosis - see categories E11 with ketoacidosis")
    assert nodes == [] and reason == "the qualifier 'with ketoacidosis' is not understood"
