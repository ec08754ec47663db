"""The precise claim checks (issue 13) on the real April 2026 release: the
tabular's prose rules, "such as" lists, severities, the encounter's context,
messages, light results. Each rule is tried on more than one code of its
family: the rules come from the notes, not from a list of examples."""

from __future__ import annotations

import pickle
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import medcodes
from medcodes.errors import UsageError
from medcodes.icd10cm import (
    PROSE_RULES,
    Codeset,
    Finding,
    FindingKind,
    Kind,
    Record,
    RuleKind,
    Severity,
)


def kinds(findings: tuple[Finding, ...]) -> set[FindingKind]:
    return {f.kind for f in findings}


def errors(findings: tuple[Finding, ...]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.ERROR]


# -- the table keyed on marker text --------------------------------------------------


@pytest.mark.parametrize("fiscal_year", [2025, 2026])
def test_every_bundled_release_states_every_prose_rule(fiscal_year: int) -> None:
    # A release whose wording changes switches a rule off: this test notices it.
    cs = medcodes.icd10cm.load(fiscal_year=fiscal_year)
    stated = {(r.kind, r.declared_on, r.marker) for r, _ in cs.prose_rules()}
    missing = [
        (r.declared_on, r.marker)
        for r in PROSE_RULES
        if (r.kind, r.declared_on, r.marker) not in stated and r.declared_on in cs
    ]
    assert missing == []
    assert len(stated) == len(PROSE_RULES)  # every declaring node is in both releases
    for rule, note in cs.prose_rules():
        assert rule.marker.lower() in note.text.lower()
        assert note in cs[rule.declared_on].notes


def test_a_rule_whose_marker_is_gone_is_not_applied(cm: Codeset) -> None:
    import attrs

    from medcodes.icd10cm import guidelines, rules

    changed = tuple(
        attrs.evolve(r, marker="wording of another year") if r.declared_on == "O80" else r
        for r in PROSE_RULES
    )
    fresh = medcodes.icd10cm.load()
    old = rules.PROSE_RULES
    try:
        rules.PROSE_RULES = changed  # type: ignore[misc]
        assert FindingKind.SINGLE_CODE not in kinds(fresh.check_claim(["O80", "O99.891"]))
    finally:
        rules.PROSE_RULES = old  # type: ignore[misc]
    assert guidelines.PROSE_RULES is old
    assert FindingKind.SINGLE_CODE in kinds(cm.check_claim(["O80", "O99.891"]))


# -- secondary-only, in every note kind ------------------------------------------------


def test_secondary_only_from_an_inclusion_term(cm: Codeset) -> None:
    # Z37 says it in an inclusionTerm: "intended for use as an additional code".
    for code in ("Z37.0", "Z37.2", "Z37.9"):
        (f,) = errors(cm.check_claim([code, "O80"]))
        assert f.kind is FindingKind.SECONDARY_CODE_FIRST and f.positions == (0,)
        assert 'Z37 says "This category is intended for use as an additional code' in f.message
        assert f.rule is not None and f.rule.kind is RuleKind.SECONDARY_ONLY
        assert f.notes[0].declared_on == "Z37"
    assert errors(cm.check_claim(["O80", "Z37.0"])) == []


def test_secondary_only_chapter_20_b95_b97_z16(cm: Codeset) -> None:
    for claim in (["V43.52XA", "S72.001A"], ["B96.20", "N39.0"], ["Z16.11", "A41.9"]):
        (f,) = errors(cm.check_claim(claim))
        assert f.kind is FindingKind.SECONDARY_CODE_FIRST
    assert "chapter 20 says" in cm.check_claim(["V43.52XA", "S72.001A"])[0].message


# -- single code, sequence, record type, initial encounter, active condition, age -------


def test_o80_is_a_single_code_within_chapter_15(cm: Codeset) -> None:
    for other in ("O24.410", "O99.891", "O09.513"):
        (f,) = errors(cm.check_claim(["O80", other, "Z37.0"]))
        assert f.kind is FindingKind.SINGLE_CODE and f.positions == (0, 1)
        assert "chapter 15" in f.message and "single diagnosis code" in f.message
    # Z37.0 (its own "use additional code") and Z3A are not chapter 15.
    assert errors(cm.check_claim(["O80", "Z37.0", "Z3A.39"])) == []


def test_p07_birth_weight_before_gestational_age(cm: Codeset) -> None:
    for weight, age in (("P07.16", "P07.32"), ("P07.02", "P07.25"), ("P07.18", "P07.39")):
        (f,) = [f for f in cm.check_claim(["Z38.00", age, weight]) if f.severity != "advice"]
        assert f.kind is FindingKind.SEQUENCE and f.severity is Severity.WARNING
        assert (
            f.positions == (1, 2) and "birth weight sequenced before gestational age" in f.message
        )
        assert cm.check_claim(["Z38.00", weight, age]) == ()


def test_a_claim_mixing_a_mothers_and_a_newborns_codes(cm: Codeset) -> None:
    for claim in (["Z38.00", "O24.410"], ["O99.891", "P07.16"], ["Z37.0", "Z38.01"][::-1]):
        (f,) = errors(cm.check_claim(claim))
        assert f.kind is FindingKind.RECORD_TYPE and f.positions == (0, 1)
        assert "maternal record" in f.message and "newborn record" in f.message
    # Chapter 17 with chapter 16 is a newborn's claim.
    assert errors(cm.check_claim(["P07.16", "Q21.0"])) == []


def test_record_type_given(cm: Codeset) -> None:
    newborn = cm.check_claim(["O99.891", "Z3A.39"], record="newborn")
    assert [(f.kind, f.positions) for f in errors(newborn)] == [
        (FindingKind.RECORD_TYPE, (0,)),
        (FindingKind.RECORD_TYPE, (1,)),
    ]
    assert "chapter 15 says" in errors(newborn)[0].message
    maternal = errors(cm.check_claim(["O26.891", "Q21.0", "P00.0"], record=Record.MATERNAL))
    assert [f.positions for f in maternal] == [(1,), (2,)]
    assert "chapter 17 says" in maternal[0].message
    assert errors(cm.check_claim(["Z38.00", "P07.16", "Q21.0"], record="newborn")) == []
    with pytest.raises(UsageError):
        cm.check_claim(["I10"], record="paternal")


def test_place_of_occurrence_only_at_the_initial_encounter(cm: Codeset) -> None:
    for injury, cause in (("S72.001D", "W19.XXXD"), ("S52.501G", "W01.0XXD"), ("S06.0X1S", "")):
        claim = [c for c in (injury, cause, "Y92.009") if c]
        (f,) = errors(cm.check_claim(claim))
        assert f.kind is FindingKind.INITIAL_ENCOUNTER_ONLY and "initial encounter" in f.message
        assert injury in f.message
    assert errors(cm.check_claim(["S72.001A", "W19.XXXA", "Y92.009"])) == []


def test_post_covid_condition_not_with_active_covid(cm: Codeset) -> None:
    (f,) = cm.check_claim(["U07.1", "J12.82", "U09.9"])
    assert f.kind is FindingKind.ACTIVE_CONDITION and f.severity is Severity.WARNING
    assert f.positions == (0, 2) and "re-infection" not in f.message.split("says")[0]
    assert cm.check_claim(["J96.11", "U09.9"]) == ()


def test_bmi_codes_by_age(cm: Codeset) -> None:
    for adult in ("Z68.1", "Z68.25", "Z68.41"):
        assert kinds(cm.check_claim(["E66.01", adult], patient_age=12)) == {FindingKind.AGE}
        assert cm.check_claim(["E66.01", adult], patient_age=45) == ()
    for child in ("Z68.51", "Z68.54"):
        (f,) = cm.check_claim(["E66.9", child], patient_age=30)
        assert "2-19 years of age" in f.message
        assert cm.check_claim(["E66.9", child], patient_age=8) == ()
    assert cm.check_claim(["E66.9", "Z68.41"]) == ()  # no age, no finding
    with pytest.raises(UsageError):
        cm.check_claim(["I10"], patient_age=-1)


# -- false alarms of the review ----------------------------------------------------------


def test_such_as_lists_are_examples(cm: Codeset) -> None:
    # G73.7 "Code first underlying disease, such as: glycogen storage disease ...".
    for claim in (["E03.9", "G73.7"], ["N18.9", "G63"], ["E85.4", "G63"], ["M05.79", "G73.7"]):
        assert cm.check_claim(claim) == (), claim
    # R65.21 "code first underlying infection, such as ...": met by A41.51 first.
    sepsis = cm.check_claim(["A41.51", "R65.21"], advice=True)
    assert [f for f in sepsis if f.kind is FindingKind.CODE_FIRST_ABSENT and 1 in f.positions] == []
    # Its "use additional code ... such as:" list: met by any code listed after it.
    assert any(f.kind is FindingKind.USE_ADDITIONAL_CODE and 1 in f.positions for f in sepsis)
    with_organ = cm.check_claim(["A41.51", "R65.21", "N17.9"], advice=True)
    assert [f for f in with_organ if 1 in f.positions] == []


def test_additional_code_first_only_for_a_secondary_factor(cm: Codeset) -> None:
    # The reason for the visit is listed first (Guidelines IV.G).
    for claim in (["F17.210", "J44.9"], ["I10", "I69.351"], ["F10.20", "K70.30"]):
        assert cm.check_claim(claim) == (), claim
    for claim in (["Z79.4", "E11.9"], ["Z68.41", "E66.01"], ["Z79.84", "E11.9"]):
        (f,) = cm.check_claim(claim)
        assert f.kind is FindingKind.ADDITIONAL_CODE_FIRST, claim


def test_advice_is_off_by_default_and_conditional_notes_are_advice(cm: Codeset) -> None:
    claim = ["S72.001A", "W19.XXXA", "A41.9"]
    assert all(f.severity is not Severity.ADVICE for f in cm.check_claim(claim))
    advice = cm.check_claim(claim, advice=True)
    z18 = [f for f in advice if "Z18.-" in f.message]
    assert len(z18) == 1 and z18[0].severity is Severity.ADVICE
    # No BMI advice on an obstetric claim (Guidelines I.C.21.c.3).
    assert not [f for f in cm.check_claim(["O99.214", "E66.01"], advice=True) if "Z68" in f.message]


def test_messages_a_coder_reads(cm: Codeset) -> None:
    claims = [
        ["Z34.00", "O26.891"],
        ["I63.9", "S06.5X0A"],
        ["A40.0", "E11.9", "S72.001A", "W19.XXXA"],
        ["F02.80", "G30.9"],
        ["S06.0X7D"],
    ]
    for claim in claims:
        for f in cm.check_claim(claim, advice=True):
            assert not re.search(r"'\s*[,;]\s*(?:if|where|when)\b", f.message), f.message
            assert "<" not in f.message
            assert not re.search(r"(?<!chapter )\b1[5-9] (?:excludes|says)", f.message), f.message
    (pair,) = cm.check_claim(["Z34.00", "O26.891"])
    assert "chapter 15 excludes" in pair.message
    (block,) = cm.check_claim(["I63.9", "S06.5X0A"])
    assert "block I60-I69 excludes" in block.message
    (s06,) = cm.check_claim(["S06.0X7D"])
    assert "7th characters D and S do not apply" in s06.message


def test_severities_and_kinds_are_strings(cm: Codeset) -> None:
    f = cm.check_claim(["F02.80", "G30.9"])[0]
    assert f.severity == "error" and f.kind == "manifestation code listed first"
    assert Severity.INFO is Severity.ADVICE
    assert isinstance(RuleKind.AGE, str) and Record("newborn") is Record.NEWBORN


# -- light, short results ------------------------------------------------------------------


def test_results_pickle_light_and_print_short(cm: Codeset) -> None:
    claim = ["O80", "O24.410", "Z37.0", "E11.9", "E10.9", "S06.0X7D", "Z38.00", "F02.80"]
    findings = cm.check_claim(claim, advice=True)
    values: list[object] = [*findings]
    values += [c for f in findings for c in f.conflicts]
    values += [n for f in findings for n in f.notes]
    values += list(cm.effective_notes("O80"))
    values.append(cm.resolve(cm["E11"].notes.excludes1[0].refs[0]))
    assert {type(v).__name__ for v in values} >= {
        "Finding",
        "Conflict",
        "EffectiveNote",
        "Resolution",
    }
    for v in values:
        data = pickle.dumps(v)
        assert len(data) <= 2048, (type(v).__name__, len(data))
        assert pickle.loads(data) == v
        assert len(repr(v)) <= 300, repr(v)
    assert len(pickle.dumps(findings)) < 20_000
    assert all(len(repr(rule)) <= 300 for rule in PROSE_RULES)


def test_conflict_kind_of_declaring_node(cm: Codeset) -> None:
    (c,) = cm.conflicts("I63.9", "S06.5X0A")
    assert c.declared_kind is Kind.BLOCK and c.release == cm.release.label


# -- linear time ---------------------------------------------------------------------------


def test_a_long_claim_is_checked_pair_by_pair_without_quadratic_findings(cm: Codeset) -> None:
    # 2,000 codes with one Excludes1 pair among them: exactly that pair is found.
    codes = [n.code for n in cm.billable_codes() if n.code.startswith(("M", "H"))][:2000]
    claim = ["E10.9", *codes, "E11.9"]
    pairs = [f for f in cm.check_claim(claim) if f.positions == (0, len(claim) - 1)]
    assert [f.kind for f in pairs] == [FindingKind.EXCLUDES1]


def test_one_advice_per_instruction_per_claim(cm: Codeset) -> None:
    # Chapter 19's "code to identify any retained foreign body, if applicable (Z18.-)"
    # governs both injuries: one finding naming both positions.
    advice = cm.check_claim(["S72.001A", "S82.001A", "W19.XXXA"], advice=True)
    z18 = [f for f in advice if "Z18.-" in f.message]
    assert len(z18) == 1 and z18[0].positions == (0, 1)
    assert len({f.message for f in advice}) == len(advice)


def test_messages_name_codes_in_dotted_form_whatever_the_input(cm: Codeset) -> None:
    (f,) = cm.check_claim(["e119", " E109 "])
    assert f.codes == ("e119", " E109 ")  # as given
    assert f.message.startswith("E11.9 and E10.9 are Excludes1")


_SOME = st.sampled_from(
    [
        "E11.9",
        "Z79.4",
        "O80",
        "Z37.0",
        "Z38.00",
        "P07.16",
        "P07.32",
        "Y92.009",
        "S72.001D",
        "U09.9",
        "U07.1",
        "Z68.41",
        "E66.01",
        "F02.80",
        "G30.9",
        "A41.9",
        "R65.21",
        "I10",
        "xx",
    ]
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(_SOME, max_size=8),
    st.sampled_from([None, "maternal", "newborn"]),
    st.one_of(st.none(), st.integers(0, 110)),
)
def test_advice_only_adds_advice(
    cm: Codeset, codes: list[str], record: str | None, age: int | None
) -> None:
    plain = cm.check_claim(codes, record=record, patient_age=age)
    advised = cm.check_claim(codes, record=record, patient_age=age, advice=True)
    assert plain == tuple(f for f in advised if f.severity is not Severity.ADVICE)
    assert all(f.severity is not Severity.ADVICE for f in plain)
    for f in advised:
        assert all(0 <= p < len(codes) for p in f.positions)
        assert list(f.positions) == sorted(set(f.positions))


def test_every_manifestation_code_after_a_condition_its_notes_name_is_clean(cm: Codeset) -> None:
    # For each billable manifestation code ("in ... classified elsewhere") with a
    # "code first" note, put a billable code that the note names first: no
    # sequencing finding may remain (the review found 29% of the Alphabetic
    # Index pairs wrongly flagged).
    from medcodes.icd10cm import NoteKind

    tried = 0
    for node in cm.billable_codes():
        if "classified elsewhere" not in node.title.lower():
            continue
        notes = [n.note for n in cm.effective_notes(node, NoteKind.CODE_FIRST) if n.note.refs]
        if not notes:
            continue
        target = None
        for ref in notes[0].refs:
            for code in cm.resolve(ref).codes:
                head = cm[code]
                target = (
                    head
                    if head.billable
                    else next((d for d in head.descendants() if d.billable), None)
                )
                if target is not None:
                    break
            if target is not None:
                break
        if target is None:
            continue
        tried += 1
        sequencing = {
            FindingKind.MANIFESTATION_FIRST,
            FindingKind.CODE_FIRST_ABSENT,
            FindingKind.CODE_FIRST_ORDER,
        }
        found = [f for f in cm.check_claim([target.code, node.code]) if f.kind in sequencing]
        assert found == [], (target.code, node.code, found)
    assert tried > 150


# -- the certified coder's second review (issue 13) ----------------------------------------


def _sequencing(findings: tuple[Finding, ...]) -> list[Finding]:
    return [
        f
        for f in findings
        if f.kind in (FindingKind.CODE_FIRST_ORDER, FindingKind.CODE_FIRST_ABSENT)
    ]


def test_a_such_as_code_first_list_is_met_only_by_a_condition_listed_before(
    cm: Codeset,
) -> None:
    # Listed first with a condition after it that the example list does not name.
    for first, later in (
        ("R65.20", "A41.51"),
        ("R65.21", "A41.89"),
        ("E08.65", "E05.00"),
        ("E08.9", "E21.0"),
        ("T36.0X5A", "R21"),
        ("T42.4X5A", "R41.0"),
    ):
        (f,) = cm.check_claim([first, later])
        assert f.kind is FindingKind.CODE_FIRST_ORDER and f.severity is Severity.WARNING
        assert f.positions == (0, 1) and later in f.message and "such as" in f.message
        # In a coder's order nothing is said about the sequence.
        coded = cm.check_claim([later, first], advice=True)
        assert [f for f in _sequencing(coded) if 1 in f.positions] == [], (later, first)
    # A code of the list itself listed after: the order warning, once.
    (f,) = cm.check_claim(["R65.21", "A41.9"])
    assert f.kind is FindingKind.CODE_FIRST_ORDER and "sepsis NOS (A41.9)" in f.message
    # "if known": advice only (U09.9), and only when asked.
    assert cm.check_claim(["U09.9", "R53.83"]) == ()
    (u09,) = _sequencing(cm.check_claim(["U09.9", "R53.83"], advice=True))
    assert u09.severity is Severity.ADVICE and "R53.83" in u09.message
    # A factor (chapter 21) or a manifestation listed after is no underlying condition.
    assert [f for f in cm.check_claim(["R65.20", "Z79.4"]) if "Z79.4" in f.message] == []
    assert [f for f in cm.check_claim(["M02.30", "L86"]) if f.severity != "advice"] == []


def test_the_o80_message_names_the_other_chapter_15_code(cm: Codeset) -> None:
    for other in ("O99.214", "O24.410"):
        (f,) = errors(cm.check_claim(["O80", other, "Z37.0"]))
        assert f"O80 is reported with {other}, but" in f.message


def test_one_finding_per_sequencing_pair(cm: Codeset) -> None:
    for claim in (["Z3A.30", "O24.410"], ["Z17.0", "C50.911"], ["Z17.1", "C50.412"]):
        (f,) = cm.check_claim(claim)
        assert f.positions == (0, 1) and f.severity is Severity.WARNING, claim


def test_advice_is_merged_by_code_set_and_quoted_as_one_instruction(cm: Codeset) -> None:
    for asthma in ("J45.909", "J45.20", "J45.51"):
        advice = cm.check_claim([asthma], advice=True)
        tobacco = [f for f in advice if "Z77.22" in f.message]
        assert len(tobacco) == 1, (asthma, tobacco)
    for code in ("N18.31", "N18.4", "A41.51"):
        for f in cm.check_claim([code], advice=True):
            assert "' '" not in f.message and "', '" not in f.message, f.message
    (ckd,) = [
        f
        for f in cm.check_claim(["N18.31"], advice=True)
        if f.kind is FindingKind.USE_ADDITIONAL_CODE
    ]
    assert "'use additional code, if applicable, to identify: associated cachexia" in ckd.message
    # Six code-first notes: each is quoted, not one of six.
    (a41,) = _sequencing(cm.check_claim(["A41.51"], advice=True))
    assert all(ref in a41.message for ref in ("T81.44-", "O75.3", "T88.0-", "T80.22-"))


def test_the_post_covid_warning_quotes_its_exception(cm: Codeset) -> None:
    (f,) = cm.check_claim(["U07.1", "J12.82", "U09.9"])
    assert "still presenting with active COVID-19" in f.message
    assert "exception is made in cases of re-infection" in f.message


def test_duplicate_positions_count_from_zero_like_finding_positions(cm: Codeset) -> None:
    (f,) = cm.check_claim(["I10", "E11.9", "E11.9"])
    assert f.kind is FindingKind.DUPLICATE_CODE and f.positions == (1, 2)
    assert "positions 1 and 2" in f.message and "position 0" in f.message


def test_z38_is_the_principal_code(cm: Codeset) -> None:
    for newborn in ("Z38.00", "Z38.01", "Z38.2", "Z38.61"):
        (f,) = errors(cm.check_claim(["P59.9", newborn], record="newborn"))
        assert f.kind is FindingKind.PRINCIPAL_NOT_FIRST and f.positions == (1,)
        assert "principal code on the initial record of a newborn" in f.message
        assert errors(cm.check_claim([newborn, "P59.9"], record="newborn")) == []


def test_y07_only_with_confirmed_abuse(cm: Codeset) -> None:
    for suspected, perpetrator in (
        ("T76.12XA", "Y07.11"),
        ("T76.02XA", "Y07.12"),
        ("R45.7", "Y07.6"),
    ):
        (f,) = errors(cm.check_claim([suspected, perpetrator]))
        assert f.kind is FindingKind.REQUIRED_CODE_ABSENT and "confirmed abuse (T74.-)" in f.message
    for confirmed, perpetrator in (("T74.12XA", "Y07.11"), ("T74.02XA", "Y07.12")):
        assert errors(cm.check_claim([confirmed, perpetrator])) == []


def test_z05_is_for_newborns_in_the_neonatal_period(cm: Codeset) -> None:
    for code in ("Z05.0", "Z05.41", "Z05.9"):
        (age,) = cm.check_claim([code], patient_age=40)
        assert age.kind is FindingKind.AGE and "neonatal period" in age.message
        (record,) = cm.check_claim([code], record="maternal")
        assert record.kind is FindingKind.RECORD_TYPE
        assert cm.check_claim([code], patient_age=0, record="newborn") == ()
        # With the mother's codes and no record type: a mixed claim.
        assert FindingKind.RECORD_TYPE in kinds(cm.check_claim(["O80", code]))


def test_a_single_activity_status_code(cm: Codeset) -> None:
    for a, b in (("Y99.0", "Y99.8"), ("Y99.1", "Y99.9"), ("Y99.2", "Y99.8")):
        (f,) = cm.check_claim(["S72.001A", "W19.XXXA", a, b])
        assert f.kind is FindingKind.SINGLE_CODE and f.severity is Severity.ERROR
        assert f.positions == (2, 3) and "single code from category Y99" in f.message
        assert cm.check_claim(["S72.001A", "W19.XXXA", a]) == ()


def test_an_older_release_says_which_rules_are_off() -> None:
    from .helpers import TABULAR_2017

    old = medcodes.icd10cm.load(TABULAR_2017)
    off = old.unstated_prose_rules()
    assert [(r.kind, r.declared_on) for r in off] == [(RuleKind.RECORD_TYPE, "17")]
    claim = ["O99.891", "Q21.0"]
    assert FindingKind.RULE_NOT_CHECKED not in kinds(old.check_claim(claim))
    (f,) = [f for f in old.check_claim(claim, advice=True) if f.kind == "rule not checked"]
    assert f.positions == (1,) and "chapter 17" in f.message and "FY2017" in f.message
    # Z68's ages are read from the note: 21 and over, 2-20 in FY2017.
    assert kinds(old.check_claim(["E66.01", "Z68.41"], patient_age=20)) == {FindingKind.AGE}
    assert old.check_claim(["E66.9", "Z68.51"], patient_age=20) == ()
    assert kinds(cm_2026().check_claim(["E66.9", "Z68.51"], patient_age=20)) == {FindingKind.AGE}


def cm_2026() -> Codeset:
    return medcodes.icd10cm.load()
