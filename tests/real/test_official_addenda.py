"""diff() reproduces CMS's and CDC's own addenda files line for line."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

import medcodes
from medcodes.icd10cm import Addenda, AddendaCounts, Codeset, diff, load_addenda

from ..helpers import (
    ADDENDA_APRIL_2025,
    ADDENDA_APRIL_2026,
    CDC_2024_ZIP,
    CDC_2026_ZIP,
    CMS_2025_ZIP,
)


@pytest.fixture(scope="module")
def fy2024_codes(tmp_path_factory: pytest.TempPathFactory) -> Codeset:
    """FY2024 as a codes file: billable codes and long titles only."""
    folder = tmp_path_factory.mktemp("fy2024")
    with zipfile.ZipFile(CDC_2024_ZIP) as zf:
        zf.extract("icd10cm-codes-2024.txt", folder)
    return medcodes.icd10cm.load(Path(folder) / "icd10cm-codes-2024.txt")


@pytest.fixture(scope="module")
def fy2024() -> Codeset:
    return medcodes.icd10cm.load(CDC_2024_ZIP)  # the order file of CDC's zip


@pytest.fixture(scope="module")
def fy2025() -> Codeset:
    return medcodes.icd10cm.load(CMS_2025_ZIP)


@pytest.fixture(scope="module")
def fy2026() -> Codeset:
    return medcodes.icd10cm.load(CDC_2026_ZIP)


def _same_counts(ours: AddendaCounts | None, theirs: AddendaCounts | None) -> None:
    assert ours is not None and theirs is not None
    fields = ("old_total", "new_total", "additions", "deletions", "revisions")
    assert [getattr(ours, f) for f in fields] == [getattr(theirs, f) for f in fields]
    if theirs.both_titles is not None:  # only order addenda break revisions down
        assert ours == theirs


def _check(old: Codeset, new: Codeset, official: Addenda) -> None:
    changes = diff(old, new)
    assert changes.to_addenda(official.type) == official.lines
    summary = changes.summary()
    _same_counts(summary.codes, official.codes)
    if official.headers is not None:
        _same_counts(summary.headers, official.headers)


def test_fy2024_codes_file_to_fy2025_matches_the_codes_addenda(
    fy2024_codes: Codeset, fy2025: Codeset
) -> None:
    official = load_addenda(CMS_2025_ZIP, "codes")
    assert (official.codes.additions, official.codes.deletions, official.codes.revisions) == (  # type: ignore[union-attr]
        252,
        36,
        13,
    )
    assert len(official.lines) == 252 + 36 + 2 * 13
    _check(fy2024_codes, fy2025, official)
    changes = diff(fy2024_codes, fy2025)
    assert not changes.compares_headers and not changes.compares_short_titles
    with pytest.raises(ValueError, match="codes file"):
        changes.to_addenda("order")


def test_fy2024_to_fy2025_matches_the_order_addenda(fy2024: Codeset, fy2025: Codeset) -> None:
    official = load_addenda(CMS_2025_ZIP, "order")
    _check(fy2024, fy2025, official)
    _check(fy2024, fy2025, load_addenda(CMS_2025_ZIP, "codes"))


def test_fy2025_to_fy2026_matches_the_addenda(fy2025: Codeset, fy2026: Codeset) -> None:
    official = load_addenda(CDC_2026_ZIP, "order")
    assert official.headers == AddendaCounts(23_324, 23_467, 143, 0, 7, 6, 1, 0)
    _check(fy2025, fy2026, official)
    _check(fy2025, fy2026, load_addenda(CDC_2026_ZIP, "codes"))
    # A code that became a header: "Delete: 1 D71" then "Add: 0 D71".
    d71 = [line for line in official.lines if line.code == "D71"]
    assert [(line.action.value, line.billable) for line in d71] == [
        ("Delete", True),
        ("Add", False),
    ]


def test_the_april_updates_changed_nothing(fy2025: Codeset, fy2026: Codeset, cm: Codeset) -> None:
    april_2025 = medcodes.icd10cm.load(fiscal_year=2025)
    for path in ADDENDA_APRIL_2025:
        official = load_addenda(path)
        assert official.lines == ()
        _check(fy2025, april_2025, official)
    for path in ADDENDA_APRIL_2026:
        official = load_addenda(path)
        assert official.lines == ()
        _check(fy2026, cm, official)
