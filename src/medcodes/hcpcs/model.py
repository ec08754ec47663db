"""The HCPCS Level II data model: one :class:`Record` per procedure code or
modifier, every field of the official record layout typed, and the code
tables of that layout as enums with their official meanings."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs
from attrs import field, frozen

from .._dates import as_date
from .._repr import bounded
from ..catalog import _HCPCS_ANNUAL_UNTIL, _next_effective
from ..sources import SourceFile

__all__ = [
    "ActionCode",
    "CoverageCode",
    "MultiplePricingIndicator",
    "PricingIndicator",
    "Record",
    "Release",
    "TypeOfService",
]


class _Coded(enum.StrEnum):
    """An enum whose value is the official code, with the official meaning."""

    @property
    def meaning(self) -> str:
        """The official meaning, as in the record layout."""
        return _MEANINGS[type(self), self.value]


class ActionCode(_Coded):
    """Record layout field 30: the change made in this release relative to the
    previous CMS file (a change, not a status).

    >>> ActionCode("D"), ActionCode("D").meaning
    (<ActionCode.DISCONTINUE: 'D'>, 'Discontinue procedure or modifier code')
    """

    ADD = "A"
    BOTH = "B"
    LONG_DESCRIPTION = "C"
    DISCONTINUE = "D"
    ADMINISTRATIVE = "F"
    NO_CHANGE = "N"
    PAYMENT = "P"
    REACTIVATE = "R"
    SHORT_DESCRIPTION = "S"
    MISCELLANEOUS = "T"


class CoverageCode(_Coded):
    """Record layout field 16: Medicare coverage status."""

    CARRIER_JUDGMENT = "C"
    SPECIAL_INSTRUCTIONS = "D"
    NOT_PAYABLE = "I"
    NON_COVERED = "M"
    NON_COVERED_BY_STATUTE = "S"


class PricingIndicator(_Coded):
    """Record layout field 9: how Part B prices the code (up to four)."""

    NOT_SEPARATELY_PRICED = "00"
    NATIONAL_RVU = "11"
    NATIONAL_ANESTHESIA_BASE_UNITS = "12"
    CARRIER_PRICED = "13"
    LAB_NATIONAL_LIMITATION = "21"
    LAB_CARRIER_PRICED = "22"
    DME_FREQUENTLY_SERVICED = "31"
    DME_INEXPENSIVE = "32"
    OXYGEN = "33"
    DME_SUPPLIES = "34"
    SURGICAL_DRESSINGS = "35"
    DME_CAPPED_RENTAL = "36"
    OSTOMY_TRACHEOSTOMY_UROLOGICAL = "37"
    ORTHOTICS_PROSTHETICS = "38"
    PARENTERAL_ENTERAL = "39"
    LYMPHEDEMA_COMPRESSION = "40"
    CUSTOMIZED_DME = "45"
    DMEPOS_CARRIER_PRICED = "46"
    DRUGS = "51"
    REASONABLE_CHARGE = "52"
    STATUTE = "53"
    VACCINATIONS = "54"
    SPLINTS_CASTS = "55"
    IOL_PHYSICIAN_OFFICE = "56"
    OTHER_CARRIER_PRICED = "57"
    NOT_ESTABLISHED = "99"


class MultiplePricingIndicator(_Coded):
    """Record layout field 10: when a code is priced under several methodologies."""

    NOT_APPLICABLE_NOT_PRICED = "9"
    SINGLE_METHODOLOGY = "A"
    PROFESSIONAL_RVU_TECHNICAL_CARRIER = "B"
    LAB_INTERPRETATION_RVU = "C"
    PSYCHOLOGIST = "D"
    PSYCHOLOGIST_SOCIAL_WORKER = "E"
    CARRIER_PSYCHOLOGIST_SOCIAL_WORKER = "F"
    LAB_WITH_BLOOD_PRODUCTS = "G"


class TypeOfService(_Coded):
    """Record layout field 25: CMS type of service (up to five per code)."""

    MEDICAL_CARE = "1"
    SURGERY = "2"
    CONSULTATION = "3"
    DIAGNOSTIC_RADIOLOGY = "4"
    DIAGNOSTIC_LAB = "5"
    THERAPEUTIC_RADIOLOGY = "6"
    ANESTHESIA = "7"
    ASSISTANT_AT_SURGERY = "8"
    OTHER_MEDICAL = "9"
    WHOLE_BLOOD = "0"
    USED_DME = "A"
    AMBULANCE = "D"
    ENTERAL_PARENTERAL = "E"
    ASC_FACILITY = "F"
    IMMUNOSUPPRESSIVE_DRUGS = "G"
    DIABETIC_SHOES = "J"
    HEARING_ITEMS = "K"
    ESRD_SUPPLIES = "L"
    MONTHLY_CAPITATION_DIALYSIS = "M"
    KIDNEY_DONOR = "N"
    LUMP_SUM_PURCHASE = "P"
    VISION_ITEMS = "Q"
    DME_RENTAL = "R"
    SURGICAL_DRESSINGS = "S"
    OUTPATIENT_MENTAL_HEALTH = "T"
    OCCUPATIONAL_THERAPY = "U"
    PNEUMOCOCCAL_FLU_VACCINE = "V"
    PHYSICAL_THERAPY = "W"
    #: Obsolete since January 1, 1998 (still in the official table, and on G9949).
    HIGH_RISK_SCREENING_MAMMOGRAPHY = "B"
    #: Obsolete since January 1, 1998.
    LOW_RISK_SCREENING_MAMMOGRAPHY = "C"
    #: Discontinued January 1995.
    HOSPICE = "H"
    #: Discontinued April 1995.
    DME_PURCHASE_INSTALLMENT = "I"
    #: Obsoleted January 1997.
    SECOND_OPINION = "Y"
    #: Obsoleted January 1997.
    THIRD_OPINION = "Z"


#: (enum class, code) -> official meaning: StrEnum members of different tables are equal
#: when their codes are (``ActionCode.SHORT_DESCRIPTION == CoverageCode.NON_COVERED_BY_STATUTE``).
_MEANING_LIST: tuple[tuple[_Coded, str], ...] = (
    (ActionCode.ADD, "Add procedure or modifier code"),
    (ActionCode.BOTH, "Change in both administrative data field and long description"),
    (ActionCode.LONG_DESCRIPTION, "Change in long description"),
    (ActionCode.DISCONTINUE, "Discontinue procedure or modifier code"),
    (ActionCode.ADMINISTRATIVE, "Change in administrative data field"),
    (ActionCode.NO_CHANGE, "No maintenance for this code"),
    (
        ActionCode.PAYMENT,
        "Payment change (MOG, pricing indicator codes, anesthesia base units, "
        "Ambulatory Surgical Centers)",
    ),
    (ActionCode.REACTIVATE, "Re-activate discontinued/deleted procedure or modifier code"),
    (ActionCode.SHORT_DESCRIPTION, "Change in short description of procedure code"),
    (ActionCode.MISCELLANEOUS, "Miscellaneous change (BETOS, type of service)"),
    (CoverageCode.CARRIER_JUDGMENT, "Carrier judgment"),
    (CoverageCode.SPECIAL_INSTRUCTIONS, "Special coverage instructions apply"),
    (CoverageCode.NOT_PAYABLE, "Not payable by Medicare"),
    (CoverageCode.NON_COVERED, "Non-covered by Medicare"),
    (CoverageCode.NON_COVERED_BY_STATUTE, "Non-covered by Medicare statute"),
    (PricingIndicator.NOT_SEPARATELY_PRICED, "Service not separately priced by part B"),
    (PricingIndicator.NATIONAL_RVU, "Price established using national RVU's"),
    (
        PricingIndicator.NATIONAL_ANESTHESIA_BASE_UNITS,
        "Price established using national anesthesia base units",
    ),
    (PricingIndicator.CARRIER_PRICED, "Price established by carriers"),
    (PricingIndicator.LAB_NATIONAL_LIMITATION, "Price subject to national limitation amount"),
    (PricingIndicator.LAB_CARRIER_PRICED, "Price established by carriers (clinical lab)"),
    (PricingIndicator.DME_FREQUENTLY_SERVICED, "Frequently serviced DME"),
    (PricingIndicator.DME_INEXPENSIVE, "Inexpensive & routinely purchased DME"),
    (PricingIndicator.OXYGEN, "Oxygen and oxygen equipment"),
    (PricingIndicator.DME_SUPPLIES, "DME supplies"),
    (PricingIndicator.SURGICAL_DRESSINGS, "Surgical dressings"),
    (PricingIndicator.DME_CAPPED_RENTAL, "Capped rental DME"),
    (
        PricingIndicator.OSTOMY_TRACHEOSTOMY_UROLOGICAL,
        "Ostomy, tracheostomy and urological supplies",
    ),
    (
        PricingIndicator.ORTHOTICS_PROSTHETICS,
        "Orthotics, prosthetics, prosthetic devices & vision services",
    ),
    (PricingIndicator.PARENTERAL_ENTERAL, "Parenteral and Enteral Nutrition"),
    (
        PricingIndicator.LYMPHEDEMA_COMPRESSION,
        "Lymphedema Compression Treatment Items (eff 1/1/2024)",
    ),
    (PricingIndicator.CUSTOMIZED_DME, "Customized DME items"),
    (PricingIndicator.DMEPOS_CARRIER_PRICED, "Carrier priced (DMEPOS)"),
    (PricingIndicator.DRUGS, "Drugs"),
    (PricingIndicator.REASONABLE_CHARGE, "Reasonable charge"),
    (PricingIndicator.STATUTE, "Statute"),
    (PricingIndicator.VACCINATIONS, "Vaccinations"),
    (PricingIndicator.SPLINTS_CASTS, "Splints and Casts"),
    (PricingIndicator.IOL_PHYSICIAN_OFFICE, "IOL's inserted in a physician's office"),
    (PricingIndicator.OTHER_CARRIER_PRICED, "Other carrier priced"),
    (PricingIndicator.NOT_ESTABLISHED, "Value not established"),
    (
        MultiplePricingIndicator.NOT_APPLICABLE_NOT_PRICED,
        "Not applicable as HCPCS not priced separately by part B or value not established",
    ),
    (
        MultiplePricingIndicator.SINGLE_METHODOLOGY,
        "Not applicable as HCPCS priced under one methodology",
    ),
    (
        MultiplePricingIndicator.PROFESSIONAL_RVU_TECHNICAL_CARRIER,
        "Professional component "
        "priced using RVU's, technical component and global service by carriers",
    ),
    (
        MultiplePricingIndicator.LAB_INTERPRETATION_RVU,
        "Physician interpretation of clinical lab "
        "service priced under the physician fee schedule, lab service under the lab fee schedule",
    ),
    (
        MultiplePricingIndicator.PSYCHOLOGIST,
        "Physician / clinical psychologist fee schedules (not applicable as of January 1, 1998)",
    ),
    (
        MultiplePricingIndicator.PSYCHOLOGIST_SOCIAL_WORKER,
        "Physician / psychologist / social "
        "worker fee schedules (not applicable as of January 1, 1998)",
    ),
    (
        MultiplePricingIndicator.CARRIER_PSYCHOLOGIST_SOCIAL_WORKER,
        "Carrier-priced physician / "
        "psychologist / social worker (not applicable as of January 1, 1998)",
    ),
    (
        MultiplePricingIndicator.LAB_WITH_BLOOD_PRODUCTS,
        "Clinical lab service priced under "
        "reasonable charge with blood products, else under the lab fee schedule",
    ),
    (TypeOfService.MEDICAL_CARE, "Medical care"),
    (TypeOfService.SURGERY, "Surgery"),
    (TypeOfService.CONSULTATION, "Consultation"),
    (TypeOfService.DIAGNOSTIC_RADIOLOGY, "Diagnostic radiology"),
    (TypeOfService.DIAGNOSTIC_LAB, "Diagnostic laboratory"),
    (TypeOfService.THERAPEUTIC_RADIOLOGY, "Therapeutic radiology"),
    (TypeOfService.ANESTHESIA, "Anesthesia"),
    (TypeOfService.ASSISTANT_AT_SURGERY, "Assistant at surgery"),
    (TypeOfService.OTHER_MEDICAL, "Other medical items or services"),
    (TypeOfService.WHOLE_BLOOD, "Whole blood"),
    (TypeOfService.USED_DME, "Used durable medical equipment"),
    (TypeOfService.AMBULANCE, "Ambulance"),
    (TypeOfService.ENTERAL_PARENTERAL, "Enteral/parenteral nutrients/supplies"),
    (TypeOfService.ASC_FACILITY, "Ambulatory surgical center (facility usage)"),
    (TypeOfService.IMMUNOSUPPRESSIVE_DRUGS, "Immunosuppressive drugs"),
    (TypeOfService.DIABETIC_SHOES, "Diabetic shoes"),
    (TypeOfService.HEARING_ITEMS, "Hearing items and services"),
    (TypeOfService.ESRD_SUPPLIES, "ESRD supplies"),
    (TypeOfService.MONTHLY_CAPITATION_DIALYSIS, "Monthly capitation payment for dialysis"),
    (TypeOfService.KIDNEY_DONOR, "Kidney donor"),
    (TypeOfService.LUMP_SUM_PURCHASE, "Lump sum purchase of DME, prosthetics, orthotics"),
    (TypeOfService.VISION_ITEMS, "Vision items or services"),
    (TypeOfService.DME_RENTAL, "Rental of DME"),
    (TypeOfService.SURGICAL_DRESSINGS, "Surgical dressings or other medical supplies"),
    (TypeOfService.OUTPATIENT_MENTAL_HEALTH, "Outpatient mental health treatment limitation"),
    (TypeOfService.OCCUPATIONAL_THERAPY, "Occupational therapy"),
    (TypeOfService.PNEUMOCOCCAL_FLU_VACCINE, "Pneumococcal/flu vaccine"),
    (TypeOfService.PHYSICAL_THERAPY, "Physical therapy"),
    (
        TypeOfService.HIGH_RISK_SCREENING_MAMMOGRAPHY,
        "High risk screening mammography (obsolete 1/1/98)",
    ),
    (
        TypeOfService.LOW_RISK_SCREENING_MAMMOGRAPHY,
        "Low risk screening mammography (obsolete 1/1/98)",
    ),
    (TypeOfService.HOSPICE, "Hospice services (discontinued 01/95)"),
    (
        TypeOfService.DME_PURCHASE_INSTALLMENT,
        "Purchase of DME (installment basis) (discontinued 04/95)",
    ),
    (TypeOfService.SECOND_OPINION, "Second opinion on elective surgery (obsoleted 1/97)"),
    (TypeOfService.THIRD_OPINION, "Third opinion on elective surgery (obsoleted 1/97)"),
)
_MEANINGS: dict[tuple[type[_Coded], str], str] = {(type(k), k.value): v for k, v in _MEANING_LIST}


@bounded
@frozen
class Release:
    """Which HCPCS release a codeset holds.

    :ivar year: the calendar year the file is for.
    :ivar month: the month of the quarterly file (1 for January and the annual files).
    :ivar effective: the date the file takes effect (the first day of that month).
    :ivar sources: the file read, with its SHA-256.
    """

    year: int
    month: int
    effective: dt.date
    sources: tuple[SourceFile, ...] = field(default=())

    @property
    def label(self) -> str:
        """A short human label."""
        return f"HCPCS Level II {self.effective:%B %Y}"

    @property
    def next_quarter(self) -> dt.date:
        """The first day of the next calendar quarter, when CMS's next quarterly
        file takes effect: what this file says of later dates may be outdated.

        >>> Release(2025, 1, dt.date(2025, 1, 1)).next_quarter
        datetime.date(2025, 4, 1)
        """
        month = (self.effective.month - 1) // 3 * 3 + 4
        year = self.effective.year + (month > 12)
        return dt.date(year, month - 12 if month > 12 else month, 1)

    def in_force(self, day: dt.date) -> bool:
        """Whether this is the file in force on ``day``: from its effective date
        until the next quarterly file takes effect (the next calendar quarter,
        or an earlier file of the catalog, :mod:`medcodes.catalog`).

        >>> r = Release(2025, 1, dt.date(2025, 1, 1))
        >>> [r.in_force(dt.date(2025, m, 1)) for m in (1, 3, 4)]
        [True, True, False]
        """
        day = as_date(day, "day")
        nxt = _next_effective("hcpcs", self.effective)
        quarter = self.next_quarter
        if self.effective.year <= _HCPCS_ANNUAL_UNTIL:  # CMS's annual files, to 2020
            quarter = dt.date(self.effective.year + 1, 1, 1)
        end = quarter if nxt is None else min(nxt, quarter)
        return self.effective <= day < end


@bounded
@frozen
class Record:
    """One procedure code or modifier: every field of the record layout.

    Text fields are right-stripped, ``None`` when blank; repeated fields are
    tuples without the blank occurrences. A value outside an official code
    table is kept as its raw text (a ``str`` instead of the enum member) and
    its field is named in ``unknown_values``.

    :ivar code: the procedure code (``"J9308"``) or modifier (``"RT"``).
    :ivar is_modifier: a modifier (record id 7), else a procedure code (3).
    :ivar sequence: the sequence number of the first line (``100``).
    :ivar long_description: the long description, its lines joined.
    :ivar short_description: the short description.
    :ivar pricing_indicators: up to four pricing indicators.
    :ivar multiple_pricing_indicator: the multiple pricing indicator.
    :ivar cim_references: coverage issues manual section numbers (up to 3).
    :ivar mcm_references: Medicare carriers manual section numbers (up to 3).
    :ivar statute: statute number.
    :ivar lab_certifications: lab certification codes (up to 8).
    :ivar cross_references: the code(s) to use instead (up to 5), the layout's
        "crosswalking a deleted code or a code that is not valid for Medicare":
        a terminated code's replacement, or what Medicare takes in place of an
        active code; a CPT code or a code CMS has since dropped may be named.
    :ivar coverage: the coverage code.
    :ivar asc_payment_group: ASC payment group (``"YY"`` approved).
    :ivar asc_effective: ASC payment group effective date.
    :ivar mog_payment_group: MOG payment group (legacy).
    :ivar mog_policy_indicator: MOG payment policy indicator (legacy).
    :ivar mog_effective: MOG effective date (legacy).
    :ivar processing_note: processing note number (key into ``proc_notes``).
    :ivar betos: Berenson-Eggers type of service.
    :ivar types_of_service: type of service codes (up to 5).
    :ivar anesthesia_base_units: anesthesia base units.
    :ivar added: code added date.
    :ivar action_effective: action effective date.
    :ivar terminated: termination date (the last valid day), ``None`` while active.
    :ivar action: the action code.
    :ivar lines: how many lines of the file hold the record.
    :ivar line: the line number of its first line in the file.
    :ivar unknown_values: fields holding a value outside their code table.
    :ivar defects: defects of the official file read around (the 2018 file
        writes five ASC dates two columns early).

    >>> import medcodes
    >>> rec = medcodes.hcpcs.load()["J9308"].record
    >>> rec.long_description, rec.betos, rec.coverage.meaning
    ('Injection, ramucirumab, 5 mg', 'O1D', 'Carrier judgment')
    """

    code: str
    is_modifier: bool
    sequence: int
    long_description: str
    short_description: str | None
    pricing_indicators: tuple[PricingIndicator | str, ...]
    multiple_pricing_indicator: MultiplePricingIndicator | str | None
    cim_references: tuple[str, ...]
    mcm_references: tuple[str, ...]
    statute: str | None
    lab_certifications: tuple[str, ...]
    cross_references: tuple[str, ...]
    coverage: CoverageCode | str | None
    asc_payment_group: str | None
    asc_effective: dt.date | None
    mog_payment_group: str | None
    mog_policy_indicator: str | None
    mog_effective: dt.date | None
    processing_note: str | None
    betos: str | None
    types_of_service: tuple[TypeOfService | str, ...]
    anesthesia_base_units: int | None
    added: dt.date | None
    action_effective: dt.date | None
    terminated: dt.date | None
    action: ActionCode | str | None
    lines: int
    line: int
    unknown_values: tuple[str, ...] = ()
    defects: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The record as a plain dict, one key per field: text as ``str``
        (``""`` when blank), coded values as their official code (``str``),
        repeated fields as lists of ``str``, flags as ``bool``, numbers as
        ``int`` and dates as :class:`datetime.date`. A blank number or date is
        ``None`` (there is no empty date); ``pandas.DataFrame`` takes the rows
        as they are, and polars too once a column has a value in its first
        100 rows (else pass ``infer_schema_length=None``).

        >>> import medcodes
        >>> row = medcodes.hcpcs.load().record("J9308").to_dict()
        >>> row["coverage"], row["types_of_service"], row["statute"], row["added"]
        ('C', ['1', 'P'], '', datetime.date(2016, 1, 1))
        """
        out: dict[str, Any] = {}
        for f in attrs.fields(Record):
            value = getattr(self, f.name)
            if isinstance(value, tuple):
                value = [str(v) for v in value]
            elif isinstance(value, enum.Enum):
                value = str(value.value)
            elif value is None and f.name in _TEXT_FIELDS:
                value = ""
            out[f.name] = value
        return out

    def is_valid_on(self, day: dt.date) -> bool:
        """Valid for a date of service: added on or before it and not
        terminated before it (DOMAIN.md §8.7). A ``datetime`` counts as its date."""
        day = as_date(day, "day")
        if self.added is not None and day < self.added:
            return False
        return self.terminated is None or day <= self.terminated


#: The text fields of a :class:`Record` that may be blank (``None``): ``""`` in
#: :meth:`Record.to_dict`, so that their columns hold text only.
_TEXT_FIELDS = frozenset(
    (
        "short_description",
        "multiple_pricing_indicator",
        "statute",
        "coverage",
        "asc_payment_group",
        "mog_payment_group",
        "mog_policy_indicator",
        "processing_note",
        "betos",
        "action",
    )
)
