"""The bundled January 2025 HCPCS text file, parsed field by field, against
CMS's own workbook copy of the same file (``HCPC2025_JAN_ANWEB_12172024.xlsx``,
published in the same zip): an independent reading of every record. The few
differences are CMS's, and each is asserted exactly."""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable

import pytest

from medcodes import hcpcs
from medcodes._xlsx import read_rows
from medcodes.hcpcs import Record

from ..helpers import HCPCS

WORKBOOK = HCPCS / "2025-HCPC2025_JAN_ANWEB_12172024.xlsx"


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, dt.date):
        return value.strftime("%Y%m%d")
    return str(value)


def _texts(values: tuple[object, ...]) -> list[str]:
    return [_text(v) for v in values]


# Field of Record -> (its text, the workbook columns holding it).
_FIELDS: dict[str, tuple[Callable[[Record], object], tuple[str, ...]]] = {
    "long": (lambda r: r.long_description, ("LONG DESCRIPTION",)),
    "short": (lambda r: _text(r.short_description), ("SHORT DESCRIPTION",)),
    "pricing": (lambda r: _texts(r.pricing_indicators), ("PRICE1", "PRICE2", "PRICE3", "PRICE4")),
    "multiple pricing": (lambda r: _text(r.multiple_pricing_indicator), ("MULT_PI",)),
    "cim": (lambda r: list(r.cim_references), ("CIM1", "CIM2", "CIM3")),
    "mcm": (lambda r: list(r.mcm_references), ("MCM1", "MCM2", "MCM3")),
    "statute": (lambda r: _text(r.statute), ("STATUTE",)),
    "lab": (lambda r: list(r.lab_certifications), tuple(f"LABCERT{i}" for i in range(1, 9))),
    "xref": (lambda r: list(r.cross_references), tuple(f"XREF{i}" for i in range(1, 6))),
    "coverage": (lambda r: _text(r.coverage), ("COV",)),
    "asc group": (lambda r: _text(r.asc_payment_group), ("ASC_GRP",)),
    "asc date": (lambda r: _text(r.asc_effective), ("ASC_DT",)),
    "mog group": (lambda r: _text(r.mog_payment_group), ("OPPS",)),
    "mog indicator": (lambda r: _text(r.mog_policy_indicator), ("OPPS_PI",)),
    "mog date": (lambda r: _text(r.mog_effective), ("OPPS_DT",)),
    "processing note": (lambda r: _text(r.processing_note), ("PROCNOTE",)),
    "betos": (lambda r: _text(r.betos), ("BETOS",)),
    "type of service": (
        lambda r: _texts(r.types_of_service),
        tuple(f"TOS{i}" for i in range(1, 6)),
    ),
    "anesthesia units": (lambda r: _text(r.anesthesia_base_units), ("ANEST_BU",)),
    "added": (lambda r: _text(r.added), ("ADD DT",)),
    "action effective": (lambda r: _text(r.action_effective), ("ACT EFF DT",)),
    "terminated": (lambda r: _text(r.terminated), ("TERM DT",)),
    "action": (lambda r: _text(r.action), ("ACTION CD",)),
    "sequence": (lambda r: r.sequence, ("SEQNUM",)),
}


@pytest.fixture(scope="module")
def differences() -> dict[str, dict[str, tuple[object, object]]]:
    rows = read_rows(WORKBOOK.read_bytes(), WORKBOOK.name)
    head = rows[0]
    hc = hcpcs.load()
    records = {r.code: r for r in (*hc.records(), *hc.modifier_records())}
    assert len(rows) - 1 == len(records) == 8642
    out: dict[str, dict[str, tuple[object, object]]] = {name: {} for name in _FIELDS}
    for row in rows[1:]:
        cells = dict(zip(head, (c.strip() for c in row), strict=False))
        record = records[cells["HCPC"]]
        assert record.is_modifier is (cells["RECID"] == "7")
        for name, (ours, columns) in _FIELDS.items():
            theirs: object = [cells.get(c, "") for c in columns if cells.get(c)]
            if len(columns) == 1:
                theirs = cells.get(columns[0], "")
            if name == "sequence":
                theirs = int(str(theirs))
            mine = ours(record)
            if mine != theirs:
                out[name][record.code] = (mine, theirs)
    return out


def test_every_field_but_the_known_differences_equals_the_workbook(
    differences: dict[str, dict[str, tuple[object, object]]],
) -> None:
    known = {"sequence", "action effective", "long", "type of service"}
    assert {name for name, found in differences.items() if found} == known


def test_the_workbook_shows_sequence_numbers_divided_by_ten(
    differences: dict[str, dict[str, tuple[object, object]]],
) -> None:
    # The layout: "HCPCS Sequence Number, 5 digits, columns 6-10, by 100s"; the
    # workbook drops the last digit (0010 for 00100).
    found = differences["sequence"]
    assert len(found) == 8642 and all(ours == 10 * theirs for ours, theirs in found.values())


def test_the_workbook_leaves_116_action_dates_blank(
    differences: dict[str, dict[str, tuple[object, object]]],
) -> None:
    found = differences["action effective"]
    assert len(found) == 116 and all(theirs == "" for _, theirs in found.values())
    assert found["A0130"] == ("19820101", "")  # columns 277-284 of the text file


def test_long_descriptions_differ_only_in_spaces_at_line_wraps(
    differences: dict[str, dict[str, tuple[object, object]]],
) -> None:
    # The text file wraps descriptions into 80-column lines and cannot show a
    # double space that falls on a wrap; the workbook cuts G0503 short.
    found = differences["long"]
    assert len(found) == 19
    squeeze = lambda s: re.sub(r"\s+", " ", str(s))  # noqa: E731
    assert [c for c, (ours, theirs) in found.items() if squeeze(ours) != squeeze(theirs)] == [
        "G0503"
    ]
    ours, theirs = found["G0503"]
    assert squeeze(ours).startswith(squeeze(theirs)) and len(str(ours)) > len(str(theirs))


def test_two_types_of_service_are_in_the_workbook_only(
    differences: dict[str, dict[str, tuple[object, object]]],
) -> None:
    assert differences["type of service"] == {
        "E0210": (["A", "L", "P"], ["A", "L", "P", "R"]),
        "E0776": (["A", "E", "P"], ["A", "E", "P", "R"]),
    }
