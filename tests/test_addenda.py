"""The addenda parser on hand-made files that follow the official layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from medcodes.errors import ParseError, SourceError
from medcodes.icd10cm import AddendaAction, AddendaType, load_addenda
from medcodes.icd10cm.addenda import parse_addenda

from .helpers import CDC_2026_ZIP

_SHORT = "Diffuse large B-cell lymphoma, extrnod and solid organ sites"
_LONG = "Diffuse large B-cell lymphoma, extranodal and solid organ sites"
# An excerpt: its totals agree with its own lines (1 code deleted; none).
_TOTALS = "  74261 codes in icd10cm_order_2024.txt\r\n  74260 codes in icd10cm_order_2025.txt\r\n"
_SAME = "  74260 codes in icd10cm_codes_2024.txt\r\n  74260 codes in icd10cm_codes_2025.txt\r\n"
ORDER = (
    f"Delete:      1 C8339   {_SHORT} {_LONG}\r\n"
    f"Add:         0 C8339   {_SHORT} {_LONG}\r\n"
    f"\r\nCodes\r\n{_TOTALS}"
    "      0 additions\r\n      1 deletions\r\n      0 revisions\r\nof which\r\n"
    "      0 revisions to both long and short titles\r\n      0 revisions to long title only\r\n"
    "      0 revisions to short title only\r\n"
)


def test_order_addenda_lines_and_summary() -> None:
    a = parse_addenda(ORDER.encode(), "icd10cm_order_addenda_2025.txt")
    assert a.type is AddendaType.ORDER and a.headers is None
    first, second = a.lines
    assert (first.action, first.billable, second.action, second.billable) == (
        AddendaAction.DELETE,
        True,
        AddendaAction.ADD,
        False,
    )
    assert first.short_title == _SHORT
    assert first.long_title == _LONG
    assert a.codes is not None and (a.codes.old_total, a.codes.deletions) == (74261, 1)


def test_codes_addenda() -> None:
    text = (
        "Revise from: A7741   Ehrlichiosis chafeensis\r\n"
        "Revise to:   A7741   Ehrlichiosis chaffeensis\r\n\r\n"
        f"Codes\r\n{_SAME}      0 additions\r\n      0 deletions\r\n      1 revisions\r\n"
    )
    a = parse_addenda(text.encode(), "x")
    assert a.type is AddendaType.CODES
    assert [(line.action, line.long_title, line.billable) for line in a.lines] == [
        (AddendaAction.REVISE_FROM, "Ehrlichiosis chafeensis", None),
        (AddendaAction.REVISE_TO, "Ehrlichiosis chaffeensis", None),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Add:         1 C810A\r\n", "not an addenda change line"),
        ("Hello world\r\n", "unexpected line"),
        ("Add:         C810A   Nodular lymphoma\r\n", "no summary"),
        ("Codes\r\n  5 codes in a\r\n  6 codes in b\r\n  7 codes in c\r\n", "more than two totals"),
        ("Codes\r\n  5 codes in a\r\n", "summary lacks"),
    ],
)
def test_malformed_addenda_are_refused_with_the_line(text: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse_addenda(text.encode(), "addenda.txt")


def test_a_zip_with_both_addenda_needs_a_choice(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="several files look like"):
        load_addenda(CDC_2026_ZIP)
    assert load_addenda(CDC_2026_ZIP, "codes").type is AddendaType.CODES
    with pytest.raises(SourceError, match="found no"):
        load_addenda(tmp_path)
