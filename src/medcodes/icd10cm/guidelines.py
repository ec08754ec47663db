"""The rules the tabular states only in prose, as data.

Some instructions of the tabular are sentences, not coded references: "This
category is intended for use as an additional code" (Z37), "for use as a single
diagnosis code" (O80), "birth weight sequenced before gestational age" (P07),
"for use only on maternal records" (chapter 15). :data:`PROSE_RULES` lists them,
each keyed on the *marker text* of its note and the node that declares it: a
rule is applied only when that node of the release carries a note containing
the marker (any note kind, inclusion terms included), so a release whose wording
changes switches the rule off instead of applying it blindly, and the test suite
re-reads every bundled release to notice it (``tests/test_guidelines.py``).

The encounter's context (record type, patient age) is matched against rows of
the same shape: an age row is a range of codes with the ages they are for, so
the age and sex tables of the CMS Medicare Code Editor could be added as rows.
"""

from __future__ import annotations

import enum

from attrs import frozen

from .._repr import bounded

__all__ = ["PROSE_RULES", "ProseRule", "Record", "RuleKind"]


class Record(enum.StrEnum):
    """The kind of medical record a claim is for."""

    #: The mother's record (chapter 15, Z37, Z3A).
    MATERNAL = "maternal"
    #: The newborn's record (chapter 16, Z38).
    NEWBORN = "newborn"


class RuleKind(enum.StrEnum):
    """What a :class:`ProseRule` says."""

    #: The codes may not be listed first (an error).
    SECONDARY_ONLY = "secondary only"
    #: The code is reported alone, or with no other code of ``others``.
    SINGLE_CODE = "single code"
    #: The codes come before any code of ``others`` (a warning).
    SEQUENCE = "sequence"
    #: The codes are never used on a record of kind ``never_on``.
    RECORD_TYPE = "record type"
    #: The codes belong to the initial encounter for an injury only.
    INITIAL_ENCOUNTER_ONLY = "initial encounter only"
    #: The code is not used while a condition of ``others`` is still active.
    NOT_WITH_ACTIVE = "not with active condition"
    #: The codes are for patients aged ``ages`` (inclusive); when the note
    #: states the ages ("2-19 years of age", "20 years of age or older"), the
    #: note's numbers are used, so a release with other ages is read right.
    AGE = "age"
    #: The code is listed first (Z38, "for use as the principal code").
    PRINCIPAL_ONLY = "principal only"
    #: The codes are used only with a code of ``others`` on the claim (Y07:
    #: "for use only in cases of confirmed abuse (T74.-)").
    REQUIRES = "requires another code"


@bounded
@frozen
class ProseRule:
    """One instruction stated only in the words of a note.

    :ivar kind: what it says.
    :ivar declared_on: the code, block range or chapter number (display form)
        whose note states it; it governs that node's codes.
    :ivar marker: words of the note (matched case-insensitively); the rule is
        applied only when the declaring node has a note containing them.
    :ivar title_has: when set, only the codes whose title contains these words
        (Z68's "adult" and "pediatric" codes).
    :ivar codes: when set, the codes governed, instead of all of ``declared_on``.
    :ivar others: the other codes the rule is about (dotted codes, chapter
        numbers or block ranges): the codes P07's birth weight goes before, the
        chapter O80 is not used with, the active condition U09.9 is not used with.
    :ivar never_on: for a record-type rule, the record the codes are never on.
    :ivar implies: the record a claim with these codes is for.
    :ivar ages: for an age rule, the youngest and oldest age (years).
    :ivar severity: ``"error"`` (the files forbid it) or ``"warning"``.
    """

    kind: RuleKind
    declared_on: str
    marker: str
    title_has: str | None = None
    codes: tuple[str, ...] = ()
    others: tuple[str, ...] = ()
    never_on: Record | None = None
    implies: Record | None = None
    ages: tuple[int, int] | None = None
    severity: str = "error"


_ = RuleKind
#: The prose rules of the tabular (April 2026 wording; every bundled release is
#: checked for each marker).
PROSE_RULES: tuple[ProseRule, ...] = (
    # Secondary only (Guidelines I.C.20, I.C.1.b; the notes say so in words).
    ProseRule(_.SECONDARY_ONLY, "20", "it shall be used secondary to a code from another chapter"),
    ProseRule(_.SECONDARY_ONLY, "B95-B97", "for use as supplementary or additional codes"),
    ProseRule(_.SECONDARY_ONLY, "Z16", "provided for use as additional codes"),
    ProseRule(_.SECONDARY_ONLY, "Z37", "intended for use as an additional code"),
    # Principal only: Z38 is the first-listed code of a newborn's birth record.
    ProseRule(
        _.PRINCIPAL_ONLY, "Z38", "for use as the principal code on the initial record of a newborn"
    ),
    # Only with another code: the perpetrator of confirmed abuse (T74.-), not of
    # suspected abuse (T76.-).
    ProseRule(
        _.REQUIRES,
        "Y07",
        "for use only in cases of confirmed abuse (T74.-)",
        others=("T74",),
    ),
    # Single code.
    ProseRule(
        _.SINGLE_CODE,
        "O80",
        "not to be used with any other code from chapter 15",
        others=("15",),
    ),
    ProseRule(
        _.SINGLE_CODE,
        "Y99",
        "A single code from category Y99",
        others=("Y99",),
    ),
    # Sequencing between two codes of one category.
    ProseRule(
        _.SEQUENCE,
        "P07",
        "birth weight sequenced before gestational age",
        codes=("P07.0", "P07.1"),
        others=("P07.2", "P07.3"),
        severity="warning",
    ),
    # Record type.
    ProseRule(
        _.RECORD_TYPE,
        "15",
        "for use only on maternal records, never on newborn records",
        never_on=Record.NEWBORN,
        implies=Record.MATERNAL,
    ),
    ProseRule(
        _.RECORD_TYPE,
        "16",
        "for use on newborn records only, never on maternal records",
        never_on=Record.MATERNAL,
        implies=Record.NEWBORN,
    ),
    ProseRule(_.RECORD_TYPE, "17", "not for use on maternal records", never_on=Record.MATERNAL),
    ProseRule(
        _.RECORD_TYPE,
        "Z38",
        "It is not to be used on the mother's record",
        never_on=Record.MATERNAL,
        implies=Record.NEWBORN,
    ),
    ProseRule(
        _.RECORD_TYPE,
        "Z05",
        "to be used for newborns, within the neonatal period",
        never_on=Record.MATERNAL,
        implies=Record.NEWBORN,
    ),
    ProseRule(
        _.RECORD_TYPE,
        "Z37",
        "It is not for use on the newborn record",
        never_on=Record.NEWBORN,
        implies=Record.MATERNAL,
    ),
    ProseRule(
        _.RECORD_TYPE,
        "Z3A",
        "only on the maternal record",
        never_on=Record.NEWBORN,
        implies=Record.MATERNAL,
    ),
    # Initial encounter only (Guidelines I.C.20.b).
    ProseRule(
        _.INITIAL_ENCOUNTER_ONLY,
        "Y92",
        "should be recorded only at the initial encounter for treatment",
    ),
    # Not with the active condition; the note itself states an exception
    # (re-infection), so a coder confirms: a warning.
    ProseRule(
        _.NOT_WITH_ACTIVE,
        "U09.9",
        "not to be used in cases that are still presenting with active COVID-19",
        others=("U07.1",),
        severity="warning",
    ),
    # Ages (Z68: the ages are read from the note, 20+ and 2-19 in FY2026, 21+
    # and 2-20 in older releases; ``ages`` is used only when the note has none).
    ProseRule(
        _.AGE,
        "Z68",
        "BMI adult codes are for use for persons",
        title_has="adult",
        ages=(20, 200),
    ),
    ProseRule(
        _.AGE,
        "Z68",
        "BMI pediatric codes are for use for persons",
        title_has="pediatric",
        ages=(2, 19),
    ),
    # Z05: "within the neonatal period (the first 28 days of life)": age 0.
    ProseRule(_.AGE, "Z05", "within the neonatal period", ages=(0, 0)),
)
del _


@frozen
class Encounter:
    """What a claim says about the encounter beyond its codes (all optional;
    private to :meth:`~medcodes.icd10cm.Codeset.check_claim` for now).

    :ivar record: the kind of record, or ``None`` when not known.
    :ivar patient_age: the patient's age in whole years, or ``None``.
    """

    record: Record | None = None
    patient_age: int | None = None
