"""The guidelines as logic, on real cases of the April 2026 file checked by hand
in the XML, and on properties over the whole release."""

from __future__ import annotations

import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medcodes.errors import UnknownCodeError, UsageError
from medcodes.icd10cm import (
    EXCLUDES1_EXCEPTION,
    INHERITED_KINDS,
    Codeset,
    FindingKind,
    Kind,
    NoteKind,
    Severity,
)

# -- conflicts ---------------------------------------------------------------------


def test_type_1_and_type_2_diabetes_exclude_each_other(cm: Codeset) -> None:
    # E10 <excludes1> "type 2 diabetes mellitus (E11.-)"; E11 "type 1 diabetes mellitus (E10.-)".
    found = cm.conflicts("E10.9", "E11.9")
    rows = [(c.code, c.declared_on, c.note.text, c.ref.text, c.other) for c in found]
    assert rows == [
        ("E10.9", "E10", "type 2 diabetes mellitus (E11.-)", "E11.-", "E11.9"),
        ("E11.9", "E11", "type 1 diabetes mellitus (E10.-)", "E10.-", "E10.9"),
    ]
    assert all(c.kind is NoteKind.EXCLUDES1 and c.certain for c in found)
    assert found[0].exception == EXCLUDES1_EXCEPTION
    # Symmetric and any written form.
    assert cm.conflicts("e11.9", " E109 ") == found


def test_block_level_excludes1_governs_every_code_of_the_block(cm: Codeset) -> None:
    # Section I60-I69 <excludes1> "traumatic intracranial hemorrhage (S06.-)" (DOMAIN.md §7.5).
    (c,) = cm.conflicts("I63.9", "S06.5X0A")
    assert c.declared_kind is Kind.BLOCK and c.declared_on == "I60-I69"
    assert (c.code, c.other, c.ref.text) == ("I63.9", "S06.5X0A", "S06.-")
    assert c.note not in cm["I63.9"].notes and c.note not in cm["I63"].notes


def test_chapter_level_excludes1(cm: Codeset) -> None:
    # Chapter 15 <excludes1> "supervision of normal pregnancy (Z34.-)", and Z34's own
    # "any complication of pregnancy (O00-O9A)": two facts, one from each side.
    found = cm.conflicts("Z34.00", "O26.891")
    assert [(c.declared_kind, c.declared_on, c.code) for c in found] == [
        (Kind.CHAPTER, "15", "O26.891"),
        (Kind.CATEGORY, "Z34", "Z34.00"),
    ]
    # Chapter 4 <excludes1> "transitory endocrine and metabolic disorders specific to
    # newborn (P70-P74)".
    (c,) = cm.conflicts("E03.9", "P72.1")
    assert (c.declared_on, c.ref.text) == ("4", "P70-P74")


def test_excludes2_is_not_a_conflict(cm: Codeset) -> None:
    # Block R40-R46 <excludes2> "symptoms and signs constituting part of a pattern of
    # mental disorder (F01-F99)": dizziness and a bipolar disorder may both be coded.
    assert cm.conflicts("R42", "F31.9") == ()
    relations = cm.excludes2_relations("F31.9", "R42")
    assert ("R40-R46", "F01-F99") in {(c.declared_on, c.ref.text) for c in relations}
    assert all(c.kind is NoteKind.EXCLUDES2 and c.exception is None for c in relations)
    # Chapter 1 <excludes2> "carrier or suspected carrier of infectious disease (Z22.-)".
    (c,) = cm.excludes2_relations("A00.0", "Z22.0")
    assert (c.declared_kind, c.declared_on) == (Kind.CHAPTER, "1")


def test_a_qualifier_the_library_cannot_apply_gives_an_uncertain_conflict(cm: Codeset) -> None:
    # E87.2 <excludes1> "diabetic acidosis - see categories E08-E10, E11, E13 with ketoacidosis"
    (c,) = cm.conflicts("E87.20", "E11.10")
    assert not c.certain and c.ref.qualifier == "with ketoacidosis"
    assert "maybe" in c.message


def test_qualified_reference_matches_only_its_codes(cm: Codeset) -> None:
    # G63 <excludes1> "diabetes mellitus (E08-E13 with .42)": diabetic polyneuropathy only.
    (c,) = cm.conflicts("G63", "E11.42")
    assert c.ref.text == "E08-E13 with .42"
    assert cm.conflicts("G63", "E11.9") == ()


def test_unrelated_codes_have_no_conflict(cm: Codeset) -> None:
    assert cm.conflicts("J45.909", "S72.001A") == ()


def test_unknown_codes_raise(cm: Codeset) -> None:
    with pytest.raises(UnknownCodeError):
        cm.conflicts("E11.9", "E11.99")
    with pytest.raises(UnknownCodeError):
        cm.excludes2_relations("nonsense", "E11.9")
    with pytest.raises(UnknownCodeError):
        cm.effective_notes("E11.99")


_billable = st.integers(min_value=0, max_value=74_718)
_PROPERTY = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_PROPERTY
@given(_billable, _billable)
def test_conflicts_are_symmetric(cm: Codeset, i: int, j: int) -> None:
    codes = cm.billable_codes()
    a, b = codes[i].code, codes[j].code
    assert cm.conflicts(a, b) == cm.conflicts(b, a)
    assert cm.excludes2_relations(a, b) == cm.excludes2_relations(b, a)
    for c in cm.conflicts(a, b):
        assert {c.code, c.other} == {a, b}
        assert c.declared_on == c.code or cm[c.declared_on] in cm[c.code].ancestors()
        assert c.note in cm[c.declared_on].notes


# -- effective notes ------------------------------------------------------------------


def test_effective_notes_inherit_code_first_from_the_category(cm: Codeset) -> None:
    # F02.80 has no codeFirst of its own; category F02's applies (DOMAIN.md §7.6).
    assert not cm["F02.80"].notes.code_first
    notes = cm.effective_notes("F02.80", NoteKind.CODE_FIRST)
    assert notes and all(n.declared_on == "F02" and n.inherited for n in notes)
    assert notes[0].distance == 2 and notes[0].note.text.endswith("such as:")
    assert notes[1].note.heading == notes[0].note.text  # a list item under its heading


def test_effective_notes_are_nearest_first_up_to_the_chapter(cm: Codeset) -> None:
    notes = cm.effective_notes("I63.9")
    origins = [n.declared_on for n in notes]
    assert origins.index("I63") < origins.index("I60-I69") < origins.index("9")
    distances = [n.distance for n in notes]
    assert distances == sorted(distances)
    # Inclusion terms stay with their node: those of I63 do not govern I63.9.
    assert all(n.note.kind in INHERITED_KINDS for n in notes if n.inherited)


@_PROPERTY
@given(_billable)
def test_effective_notes_include_the_parents_inherited_ones(cm: Codeset, i: int) -> None:
    node = cm.billable_codes()[i]
    while node.parent is not None and node.kind not in (Kind.CHAPTER, Kind.BLOCK):
        parent = node.parent
        mine = {(n.declared_on, n.note) for n in cm.effective_notes(node.key)}
        if parent.kind in (Kind.CHAPTER, Kind.BLOCK):
            # Blocks and chapters are not codes: their own notes are what they pass on.
            theirs = {(parent.code, n) for n in parent.notes if n.kind in INHERITED_KINDS}
        else:
            theirs = {
                (n.declared_on, n.note)
                for n in cm.effective_notes(parent.key)
                if n.note.kind in INHERITED_KINDS
            }
        assert theirs <= mine
        node = parent


# -- claims ------------------------------------------------------------------------


def _kinds(findings: tuple[object, ...]) -> list[tuple[str, str, tuple[int, ...]]]:
    return [(f.severity.value, f.kind.value, f.positions) for f in findings]  # type: ignore[attr-defined]


def test_claim_manifestation_first_and_code_first_order(cm: Codeset) -> None:
    # F02.80 "Dementia in other diseases classified elsewhere ...": code first Alzheimer's (G30.-).
    findings = cm.check_claim(["F02.80", "G30.9"])
    assert _kinds(findings) == [
        ("error", "manifestation code listed first", (0,)),
        ("warning", "underlying condition listed after", (0, 1)),
    ]
    assert findings[1].notes[0].note.text == "Alzheimer's (G30.-)"
    # The right order is clean.
    assert cm.check_claim(["G30.9", "F02.80"]) == ()


def test_a_single_valid_code_is_a_warning_only_as_a_manifestation(cm: Codeset) -> None:
    # Guidelines I.B.7: "code first" applies when the condition is present. Only a
    # manifestation code ("in diseases classified elsewhere") may never come first
    # (an error) and needs its underlying condition (a warning when none is there);
    # a code that the notes make secondary-only may never come first either
    # (chapter 20, I.C.20; B95-B97 and Z16, "for use as additional codes").
    errors = {FindingKind.MANIFESTATION_FIRST: 0, FindingKind.SECONDARY_CODE_FIRST: 0}
    for node in cm.billable_codes()[::5]:
        manifestation = "classified elsewhere" in node.title.lower()
        secondary = node.chapter.code == "20" or node.code[:3] in (
            "B95",
            "B96",
            "B97",
            "Z16",
            "Z37",
        )
        for f in cm.check_claim([node.code]):
            if f.kind is FindingKind.REQUIRED_CODE_ABSENT:  # Y07 alone: no T74 code
                assert node.code.startswith("Y07"), node.code
                continue
            if f.severity is Severity.ERROR:
                assert f.kind in errors, node.code
                assert manifestation if f.kind is FindingKind.MANIFESTATION_FIRST else secondary
                errors[f.kind] += 1
            if f.severity is Severity.WARNING:
                assert f.kind is FindingKind.CODE_FIRST_ABSENT and manifestation, node.code
    assert all(errors.values()), errors


def test_secondary_only_and_additional_codes_listed_first(cm: Codeset) -> None:
    for claim in (["W19.XXXA", "S72.001A"], ["Y92.009", "S72.001A"], ["B95.2", "N39.0"]):
        (first,) = [f for f in cm.check_claim(claim) if f.severity is Severity.ERROR]
        assert first.kind is FindingKind.SECONDARY_CODE_FIRST and first.positions == (0,)
    w19 = cm.check_claim(["W19.XXXA", "S72.001A"])[0]
    assert "chapter 20 says 'Where a code from this section is applicable" in w19.message
    # The additional code a note asks for, listed first: a warning naming the note.
    (z794,) = cm.check_claim(["Z79.4", "E11.9"])
    assert z794.kind is FindingKind.ADDITIONAL_CODE_FIRST and z794.positions == (0, 1)
    assert "'insulin (Z79.4)'" in z794.message  # the item that names the code
    # The right orders are clean of both.
    for claim in (["S72.001A", "W19.XXXA"], ["N39.0", "B95.2"], ["E11.9", "Z79.4"]):
        kinds = {f.kind for f in cm.check_claim(claim)}
        assert not kinds & {FindingKind.SECONDARY_CODE_FIRST, FindingKind.ADDITIONAL_CODE_FIRST}


def test_manifestation_titles_in_every_wording(cm: Codeset) -> None:
    # "in other specified diseases", "in infectious and parasitic diseases",
    # "in conditions", "in bacterial diseases" ... classified elsewhere.
    for code in ("M14.861", "M01.X61", "G47.37", "G01", "K67", "H94.01", "J91.8", "G70.81"):
        kinds = [f.kind for f in cm.check_claim([code])]
        assert FindingKind.MANIFESTATION_FIRST in kinds, code


def test_underdosing_advice_only_for_underdosing_codes(cm: Codeset) -> None:
    # T36-T50: "underdosing of medication regimen (Z91.12-, Z91.13-)" is no advice
    # for a poisoning or an adverse effect.
    def advised(code: str) -> bool:
        return any("Z91.12-" in f.message for f in cm.check_claim([code], advice=True))

    assert advised("T39.016A") and not advised("T39.011A") and not advised("T39.015A")


def test_claim_code_first_condition_absent(cm: Codeset) -> None:
    # A40.0 "code first, if applicable, postprocedural sepsis (T81.44-)": met once present.
    (absent,) = [
        f
        for f in cm.check_claim(["A40.0"], advice=True)
        if f.kind is FindingKind.CODE_FIRST_ABSENT and "T81.44-" in f.message
    ]
    assert absent.severity is Severity.ADVICE and "T81.44-" in absent.message
    assert not absent.message.startswith("A40.0: 'code first' ',")  # no XML fragment
    assert not [f for f in cm.check_claim(["A40.0"]) if f.kind is FindingKind.CODE_FIRST_ABSENT]
    met = cm.check_claim(["T81.44XA", "A40.0"], advice=True)
    assert not [f for f in met if "T81.44-" in f.message]
    assert FindingKind.CODE_FIRST_ORDER not in [f.kind for f in met]
    # Present but listed after: the order warning, not the absence.
    late = [f.kind for f in cm.check_claim(["A40.0", "T81.44XA"])]
    assert FindingKind.CODE_FIRST_ORDER in late and FindingKind.CODE_FIRST_ABSENT not in late
    # A list note is named by its heading, and every code it names counts (N18.6).
    (n186,) = [
        f for f in cm.check_claim(["N18.6"], advice=True) if f.kind is FindingKind.CODE_FIRST_ABSENT
    ]
    assert "'code first any associated: diabetic" in n186.message and "I12.-, I13.-" in n186.message
    # A manifestation code without its underlying condition: a warning.
    # A manifestation code whose closed list ("underlying neoplasm (C00-D49)")
    # has nothing on the claim: a warning; with a neoplasm first, clean.
    (i3131,) = [f for f in cm.check_claim(["I10", "I31.31"]) if f.positions == (1,)]
    assert i3131.kind is FindingKind.CODE_FIRST_ABSENT and i3131.severity is Severity.WARNING
    assert cm.check_claim(["C34.90", "I31.31"]) == ()
    # An example list ("such as") is never read as complete (F02's "such as: Alzheimer's").
    assert cm.check_claim(["G31.83", "F02.80"]) == ()


def test_adverse_effect_notes_do_not_apply_to_poisonings(cm: Codeset) -> None:
    # T36-T50: "code first, for adverse effects, the nature of the adverse effect,
    # such as: ... aspirin gastritis (K29.-)". A poisoning is itself listed first
    # (Guidelines I.C.19.e.5.b); an adverse effect follows its manifestation.
    poisoning = [f.kind for f in cm.check_claim(["T39.011A", "K29.70"])]
    assert FindingKind.CODE_FIRST_ORDER not in poisoning
    assert FindingKind.CODE_FIRST_ABSENT not in [f.kind for f in cm.check_claim(["T40.1X1A"])]
    adverse = [f.kind for f in cm.check_claim(["T39.015A", "K29.70"])]
    assert FindingKind.CODE_FIRST_ORDER in adverse
    assert cm.check_claim(["K29.70", "T39.015A"]) == tuple(
        f for f in cm.check_claim(["K29.70", "T39.015A"]) if f.severity is Severity.ADVICE
    )


def test_one_instruction_declared_on_two_levels_is_one_finding(cm: Codeset) -> None:
    messages = [f.message for f in cm.check_claim(["T88.7XXA"])]
    assert len(messages) == len(set(messages))


def test_claim_excludes1_pair_and_duplicates(cm: Codeset) -> None:
    findings = cm.check_claim(["E11.9", "E10.9", "E11.9"])
    kinds = [(f.kind, f.positions) for f in findings]
    assert (FindingKind.EXCLUDES1, (0, 1)) in kinds
    assert (FindingKind.DUPLICATE_CODE, (0, 2)) in kinds
    (pair,) = [f for f in findings if f.kind is FindingKind.EXCLUDES1]
    assert pair.severity is Severity.WARNING and len(pair.conflicts) == 2
    assert "unrelated" in pair.message


def test_claim_invalid_codes_reuse_check_code(cm: Codeset) -> None:
    findings = cm.check_claim(["S72.001", "E11", "xx", 42])  # type: ignore[list-item]
    invalid = [f for f in findings if f.kind is FindingKind.INVALID_CODE]
    assert [f.positions for f in invalid] == [(0,), (1,), (2,), (3,)]
    assert invalid[0].problem is not None and invalid[0].suggestions[0] == "S72.001A"
    assert all(f.severity is Severity.ERROR for f in invalid)


def test_claim_use_additional_code_absent_is_information(cm: Codeset) -> None:
    # E11 <useAdditionalCode> "code to identify control using:" insulin (Z79.4), ...
    assert cm.check_claim(["E11.9"]) == ()  # advice only when asked
    info = [
        f
        for f in cm.check_claim(["E11.9"], advice=True)
        if f.kind is FindingKind.USE_ADDITIONAL_CODE
    ]
    assert len(info) == 1 and info[0].severity is Severity.ADVICE
    assert "code to identify control using:" in info[0].message
    # With one of the targets on the claim, the instruction is met.
    assert not [
        f
        for f in cm.check_claim(["E11.9", "Z79.4"], advice=True)
        if f.kind is FindingKind.USE_ADDITIONAL_CODE
    ]


@_PROPERTY
@given(st.lists(st.one_of(st.text(max_size=10), st.sampled_from(["E11.9", "G63", "S72.001A"]))))
def test_claim_check_never_raises(cm: Codeset, codes: list[str]) -> None:
    for finding in cm.check_claim(codes):
        assert all(0 <= p < len(codes) for p in finding.positions)


def test_claim_check_accepts_one_string(cm: Codeset) -> None:
    assert _kinds(cm.check_claim("F02.80"))[0] == ("error", "manifestation code listed first", (0,))


def test_the_index_is_built_once_under_threads() -> None:
    import medcodes

    fresh = medcodes.icd10cm.load()
    results: list[int] = []
    threads = [
        threading.Thread(target=lambda: results.append(len(fresh.conflicts("E10.9", "E11.9"))))
        for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [2] * 8


def test_guidelines_accept_nodes(cm: Codeset) -> None:
    e109, e119 = cm["E10.9"], cm["E11.9"]
    assert cm.conflicts(e109, e119) == cm.conflicts("E10.9", "E11.9")
    assert cm.effective_notes(e119) == cm.effective_notes("E11.9")
    assert cm.excludes2_relations(cm["R42"], "F31.9") == cm.excludes2_relations("R42", "F31.9")


def test_claims_of_nodes_and_claims_that_are_not_lists(cm: Codeset) -> None:
    as_nodes = cm.check_claim([cm["F02.80"], cm["G30.9"]])
    assert as_nodes == cm.check_claim(["F02.80", "G30.9"])
    assert cm.check_code(cm["E11.65"]).valid
    with pytest.raises(UsageError, match="a claim is a list of codes, not 5"):
        cm.check_claim(5)  # type: ignore[arg-type]


def test_a_range_ending_at_a_missing_code_is_a_maybe_not_a_silence(cm: Codeset) -> None:
    # R10.85 Excludes1 "localized abdominal pain (R10.1-R10.4-)": R10.4 does not
    # exist. The codes up to where it would sort may be meant (DOMAIN.md 7.5: an
    # unresolvable reference is "cannot decide", never ignored).
    for other in ("R10.13", "R10.2", "R10.31"):
        (c,) = cm.conflicts("R10.85", other)
        assert not c.certain and "ends at a code this release does not have" in c.message
    assert cm.conflicts("R10.85", "R10.9") == ()  # past the range
    assert cm.conflicts("R10.85", "R10.84")[0].certain  # its own exact note


def test_every_kind_of_note_inherits(cm: Codeset) -> None:
    # DOMAIN.md 7.6: a code's effective notes are its own and all its ancestors'.
    notes = cm.effective_notes("S72.001A", NoteKind.NOTES)
    chapter20 = "Use secondary code(s) from Chapter 20"
    assert any(n.declared_on == "19" and n.note.text.startswith(chapter20) for n in notes)
    scope = cm.effective_notes("P36.9", NoteKind.INCLUSION_TERM)
    assert any(n.declared_on == "P35-P39" for n in scope)
    s06 = cm.effective_notes("S06.1X7A", NoteKind.NOTES)
    assert any("7th characters D and S do not apply" in n.note.text for n in s06)
    assert cm.effective_notes("Y21.0XXA")  # Y21-Y33's note on undetermined intent
