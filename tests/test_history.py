"""ReleaseHistory: the release in force on a date of service, a code's story."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

import medcodes
from medcodes.errors import UsageError
from medcodes.icd10cm import Codeset, EventKind, Problem, ReleaseHistory

from .helpers import CDC_2024_ZIP, CDC_2026_ZIP, CMS_2025_ZIP


@pytest.fixture(scope="module")
def history(cm: Codeset) -> ReleaseHistory:
    return ReleaseHistory(
        [
            cm,  # April 1, 2026
            medcodes.icd10cm.load(CMS_2025_ZIP),  # October 1, 2024
            medcodes.icd10cm.load(fiscal_year=2025),  # April 1, 2025
            medcodes.icd10cm.load(CDC_2026_ZIP),  # October 1, 2025
        ]
    )


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (dt.date(2024, 9, 30), None),
        (dt.date(2024, 10, 1), "ICD-10-CM FY2025 (effective 2024-10-01)"),
        (dt.date(2025, 3, 31), "ICD-10-CM FY2025 (effective 2024-10-01)"),
        (dt.date(2025, 4, 1), "ICD-10-CM FY2025 (effective 2025-04-01)"),  # the April update
        (dt.date(2025, 9, 30), "ICD-10-CM FY2025 (effective 2025-04-01)"),
        (dt.date(2025, 10, 1), "ICD-10-CM FY2026 (effective 2025-10-01)"),
        (dt.date(2026, 4, 1), "ICD-10-CM FY2026 (effective 2026-04-01)"),
        (dt.date(2026, 10, 1), None),  # FY2027 is not loaded
    ],
)
def test_release_for_a_date_of_service(
    history: ReleaseHistory, day: dt.date, label: str | None
) -> None:
    found = history.release_for(day)
    assert (found.release.label if found else None) == label


def test_is_valid_on_a_date(history: ReleaseHistory) -> None:
    # G35 (multiple sclerosis) was billable until FY2026 expanded it.
    assert history.is_valid("G35", on=dt.date(2025, 9, 30))
    assert not history.is_valid("G35", on=dt.date(2025, 10, 1))
    assert history.is_valid("G35.A", on=dt.date(2025, 10, 1))
    assert not history.is_valid("G35.A", on=dt.date(2025, 9, 30))
    # No loaded release covers 2030: the answer is unknown, not "invalid".
    with pytest.raises(UsageError, match="no loaded release covers 2030-01-01"):
        history.is_valid("G35", on=dt.date(2030, 1, 1))
    assert history.release_for(dt.date(2030, 1, 1)) is None


def test_check_code_on_a_date(history: ReleaseHistory) -> None:
    # The release in force answers, with the day recorded.
    before = history.check_code("G35", on=dt.datetime(2025, 9, 30, 23, 59))
    assert before.valid and before.day == dt.date(2025, 9, 30)
    after = history.check_code("g35", on=dt.date(2025, 10, 1))
    assert after.problem is Problem.NOT_BILLABLE and "G35.A" in after.suggestions
    assert after.exists and after.release.startswith("ICD-10-CM FY2026 ")
    # Uncovered: unknown, said as such, for any text; junk is still malformed.
    late = history.check_code("G35", on=dt.date(2030, 1, 1))
    assert late.problem is Problem.OUTSIDE_RELEASE and late.code == "G35" and not late.exists
    assert late.release == ""  # no loaded release answered
    assert "no loaded release covers 2030-01-01 (loaded: 2024-10-01 to" in late.message
    assert history.check_code("!!", on=dt.date(2030, 1, 1)).problem is Problem.MALFORMED
    empty = ReleaseHistory([]).check_code("g35", on=dt.date(2025, 1, 1))
    assert empty.problem is Problem.OUTSIDE_RELEASE and "loaded: none" in empty.message
    assert empty.code == "G35"
    for junk in ("", 5, "!!"):
        check = ReleaseHistory([]).check_code(junk, on=dt.date(2025, 1, 1))  # type: ignore[arg-type]
        assert check.problem is Problem.MALFORMED
    with pytest.raises(UsageError, match="on"):
        history.check_code("G35", on="2025-10-01")  # type: ignore[arg-type]


def test_only_icd10cm_codesets_make_a_history() -> None:
    with pytest.raises(UsageError, match="ICD-10-CM codesets"):
        ReleaseHistory([medcodes.hcpcs.load()])  # type: ignore[list-item]


def test_code_history(history: ReleaseHistory) -> None:
    events = history.code_history("G35")
    assert [(e.release.effective.isoformat(), e.kind) for e in events] == [
        ("2024-10-01", EventKind.APPEARED),
        ("2025-10-01", EventKind.NOW_HEADER),
    ]
    gone = history.code_history("S30.1XXA")
    assert [e.kind for e in gone] == [EventKind.APPEARED, EventKind.DISAPPEARED]
    assert gone[-1].title == "Contusion of abdominal wall, initial encounter"
    # Accents (tabular) against plain spelling (order file) are not a retitle.
    assert [e.kind for e in history.code_history("G83.81")] == [EventKind.APPEARED]
    assert history.code_history("ZZZ") == ()


def test_two_releases_on_one_day_are_refused(cm: Codeset) -> None:
    with pytest.raises(ValueError, match="two releases take effect on 2026-04-01"):
        ReleaseHistory([cm, cm])


def test_a_codes_file_release_says_nothing_about_headers(tmp_path: Path) -> None:
    # FY2025 from its codes file (no headers) between two full releases: E11, a
    # header in all three years, neither disappears nor reappears.
    with zipfile.ZipFile(CMS_2025_ZIP) as zf:
        (tmp_path / "icd10cm_codes_2025.txt").write_bytes(zf.read("icd10cm_codes_2025.txt"))
    history = ReleaseHistory(
        [
            medcodes.icd10cm.load(CDC_2024_ZIP),
            medcodes.icd10cm.load(tmp_path / "icd10cm_codes_2025.txt"),
            medcodes.icd10cm.load(CDC_2026_ZIP),
        ]
    )
    assert [e.kind for e in history.code_history("E11")] == [EventKind.APPEARED]
    assert [e.kind for e in history.code_history("S72.001")] == [EventKind.APPEARED]
    # Billable codes still have their story: G35 became a header in FY2026.
    assert [e.kind for e in history.code_history("G35")] == [
        EventKind.APPEARED,
        EventKind.NOW_HEADER,
    ]
