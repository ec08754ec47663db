"""diff() on synthetic releases built through the order-file parser (hypothesis),
and on the two bundled April releases, checked by hand in both XML files."""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import medcodes
from medcodes.icd10cm import Change, ChangeKind, Codeset, Kind, ReleaseDiff, diff

from .helpers import CDC_2026_ZIP

# -- synthetic releases ---------------------------------------------------------------

_Row = tuple[str, str, str]
_TITLES = st.sampled_from(
    ["Cholera", "Cholera, unspecified", "Typhoid fever", "Other", "Brown-Sequard syndrome"]
)


@st.composite
def _order_lines(draw: st.DrawFn) -> list[_Row]:
    """(code, flag, title) rows of a small, well-formed order file."""
    rows = []
    categories = st.sets(st.sampled_from(["A00", "A01", "B20", "C4A", "Z99"]), min_size=1)
    for cat in sorted(draw(categories)):
        subs = sorted(draw(st.sets(st.sampled_from("0189"), max_size=3)))
        rows.append((cat, "0" if subs else "1", draw(_TITLES)))
        rows.extend((cat + s, "1", draw(_TITLES)) for s in subs)
    return rows


def _load(rows: list[_Row], folder: Path, name: str) -> Codeset:
    path = folder / name
    lines = [
        f"{n:05d} {code:<7} {flag} {title[:60]:<60} {title}"
        for n, (code, flag, title) in enumerate(rows, 1)
    ]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="ascii")
    return medcodes.icd10cm.load(path)


def _mirror(c: Change) -> tuple[str, ChangeKind, str | None, str | None]:
    swap = {
        ChangeKind.ADDED: ChangeKind.DELETED,
        ChangeKind.DELETED: ChangeKind.ADDED,
        ChangeKind.NOW_HEADER: ChangeKind.NOW_BILLABLE,
        ChangeKind.NOW_BILLABLE: ChangeKind.NOW_HEADER,
    }
    return (c.code, swap.get(c.kind, c.kind), c.after, c.before)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_order_lines(), _order_lines())
def test_diff_both_ways_are_mirror_images(a_rows: list[_Row], b_rows: list[_Row]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        a = _load(a_rows, Path(tmp), "icd10cm_order_2025.txt")
        b = _load(b_rows, Path(tmp), "icd10cm_order_2026.txt")
    forward, backward = diff(a, b), diff(b, a)
    assert Counter(map(_mirror, forward)) == Counter(
        (c.code, c.kind, c.before, c.after) for c in backward
    )
    fs, bs = forward.summary(), backward.summary()
    for mine, theirs in ((fs.codes, bs.codes), (fs.headers, bs.headers)):
        assert mine is not None and theirs is not None
        assert (mine.additions, mine.deletions, mine.revisions) == (
            theirs.deletions,
            theirs.additions,
            theirs.revisions,
        )
        assert (mine.old_total, mine.new_total) == (theirs.new_total, theirs.old_total)
    _check_consistent(forward)
    assert not diff(a, a) and not diff(b, b)


def _check_consistent(d: ReleaseDiff) -> None:
    # No change is reported twice.
    keys = [(c.code, c.level, c.kind, c.note_kind, c.before, c.after) for c in d]
    assert len(keys) == len(set(keys))
    # The summary counts the records.
    s = d.summary()
    assert sum(s.by_kind.values()) == len(d)
    assert all(len(d.of(kind)) == n for kind, n in s.by_kind.items())
    codes_added = sum(1 for c in d.added if c.billable) + len(d.now_billable)
    assert s.codes.additions == codes_added
    assert s.codes.deletions == sum(1 for c in d.deleted if c.billable) + len(d.now_header)
    # Totals agree with the releases.
    assert s.codes.old_total == len(d.old.billable_codes())
    assert s.codes.new_total == len(d.new.billable_codes())


# -- the two bundled releases ---------------------------------------------------------


@pytest.fixture(scope="module")
def april(cm: Codeset) -> ReleaseDiff:
    return diff(medcodes.icd10cm.load(fiscal_year=2025), cm)


def test_a_release_against_itself_is_empty(cm: Codeset) -> None:
    same = diff(cm, cm)
    assert len(same) == 0 and not same
    s = same.summary()
    assert (s.codes.additions, s.codes.deletions, s.codes.revisions) == (0, 0, 0)
    assert s.codes.old_total == s.codes.new_total == 74_719


def test_april_2025_to_april_2026_summary(april: ReleaseDiff) -> None:
    s = april.summary()
    assert (s.codes.old_total, s.codes.new_total) == (74_260, 74_719)
    assert (s.codes.additions, s.codes.deletions, s.codes.revisions) == (487, 28, 38)
    assert s.headers is not None
    assert (s.headers.additions, s.headers.deletions, s.headers.revisions) == (143, 0, 7)
    assert april.compares_headers and april.compares_short_titles and april.compares_structure
    _check_consistent(april)


def test_d71_was_expanded_into_three_codes(april: ReleaseDiff) -> None:
    # April 2025 XML: <diag> D71 with inclusion terms and no sub-codes (billable).
    # April 2026 XML: D71 holds D71.1, D71.8, D71.9; its four inclusion terms moved away.
    d71 = april.for_code("D71")
    assert d71[0].kind is ChangeKind.NOW_HEADER and d71[0].level is Kind.CATEGORY
    assert d71[0].related == ("D71.1", "D71.8", "D71.9")
    removed = [c.before for c in d71 if c.kind is ChangeKind.NOTE_REMOVED]
    assert "Chronic (childhood) granulomatous disease" in removed and len(removed) == 4
    assert [c.code for c in april.added][6:9] == ["D71.1", "D71.8", "D71.9"]


def test_deleted_codes_get_no_invented_replacement(april: ReleaseDiff) -> None:
    # S30.1XXA (contusion of abdominal wall) is gone; S30.1 was split into
    # S30.11-S30.13, but the files do not say which one replaces it.
    (gone,) = [c for c in april.deleted if c.code == "S30.1XXA"]
    assert gone.billable and gone.before == "Contusion of abdominal wall, initial encounter"
    assert gone.related == ()
    assert len(april.deleted) == 12


def test_notes_added_per_kind(april: ReleaseDiff) -> None:
    # April 2026 B18 gains <useAdditionalCode><note>code, if applicable, for ascites (R18.8)</note>.
    (added,) = [c for c in april.for_code("B18") if c.kind is ChangeKind.NOTE_ADDED]
    assert added.note_kind is medcodes.icd10cm.NoteKind.USE_ADDITIONAL_CODE
    assert added.after == "code, if applicable, for ascites (R18.8)"


def test_a_spacing_fix_is_a_respelling(april: ReleaseDiff) -> None:
    # W44.G's long title lost a double space ("natural  orifice").
    (w44g,) = april.of(ChangeKind.LONG_TITLE_RESPELLED)
    assert (w44g.code, w44g.detail) == ("W44.G", "spacing")
    assert w44g.before is not None and "natural  orifice" in w44g.before


def test_accents_are_a_respelling_not_a_retitle(cm: Codeset) -> None:
    # The order-file release spells Brown-Séquard plainly; the tabular has the accent.
    order_only = medcodes.icd10cm.load(CDC_2026_ZIP)
    d = diff(order_only, cm)
    assert not d.retitled
    respelled = d.of(ChangeKind.LONG_TITLE_RESPELLED)
    assert len(respelled) == 151 and {c.detail for c in respelled} == {"diacritics"}
    assert d.to_addenda("order") == ()


def test_records_and_reports(april: ReleaseDiff) -> None:
    records = april.to_records()
    assert len(records) == len(april)
    assert records[0].keys() == {
        "code",
        "change",
        "level",
        "billable",
        "before",
        "after",
        "note_kind",
        "detail",
        "related",
        "chapter",
        "block",
    }
    text = april.to_markdown()
    assert "| codes | 74,260 | 74,719 | 487 | 28 | 38 |" in text
    assert "## billable -> header (16)" in text
    assert april.to_csv().splitlines()[0].startswith("code,change,level,billable")
    assert "Not compared" not in text  # both releases have tabular and order files


def test_structure_changes_on_an_edited_tabular(
    tmp_path: Path, xml2026: bytes, cm: Codeset
) -> None:
    """Moves, 7th-character definitions and titles inherited by 7th-character
    codes, checked on the real 2026 XML with three edits."""
    data = xml2026.replace(b'<section id="A00-A09">', b'<section id="A00-A08">', 1)
    old_title = b"<desc>Fracture of unspecified part of neck of right femur</desc>"
    assert old_title in data
    data = data.replace(
        old_title, b"<desc>Fracture of neck of right femur, part unspecified</desc>"
    )
    old_label = b'<extension char="A">initial encounter for closed fracture</extension>'
    at = data.index(old_label, data.index(b"<name>S72</name>"))  # S72's own definition
    new_label = b'<extension char="A">initial encounter, closed fracture</extension>'
    data = data[:at] + new_label + data[at + len(old_label) :]
    path = tmp_path / "icd10cm_tabular_2026.xml"
    path.write_bytes(data)
    edited = medcodes.icd10cm.load(path)
    d = diff(cm, edited)
    # The block was renamed: a new block, the old one gone, its ten categories moved.
    # (A deleted node stands just before the next node of the old release that survives.)
    assert [(c.kind, c.code) for c in d.of(ChangeKind.ADDED, ChangeKind.DELETED)] == [
        (ChangeKind.ADDED, "A00-A08"),
        (ChangeKind.DELETED, "A00-A09"),
    ]
    moved = d.of(ChangeKind.MOVED)
    assert [c.code for c in moved][:3] == ["A00", "A01", "A02"] and len(moved) == 10
    assert (moved[0].before, moved[0].after) == ("A00-A09", "A00-A08")
    assert moved[0].detail == "block A00-A09 -> A00-A08"
    # S72's 7th-character A changed its label: the definition and every A code of S72.
    (rule,) = d.of(ChangeKind.SEVENTH_CHARACTERS_CHANGED)
    assert (
        rule.code == "S72"
        and rule.before is not None
        and "A initial encounter for closed" in rule.before
    )
    retitled = {c.code for c in d.of(ChangeKind.LONG_TITLE_REVISED)}
    assert "S72.001" in retitled
    # S72.001's sixteen 7th-character codes take the new title from it.
    assert {f"S72.001{ch}" for ch in "ABCDEFGHJKMNPQRS"} <= retitled
    assert "S72.002A" in retitled and "S72.002B" not in retitled  # only the label of A changed
    assert (
        d.for_code("S72.001A")[0].after
        == "Fracture of neck of right femur, part unspecified, initial encounter, closed fracture"
    )


def test_7th_character_notes_count_but_spacing_does_not(
    tmp_path: Path, xml2026: bytes, cm: Codeset
) -> None:
    # W08's definition gains a second note after S (the April 2026 XML has one,
    # "Fall from stool"); T07's gets a tab before a character's text, which
    # changes nothing a coder reads.
    sequela = b'<extension char="S">sequela</extension>'
    end = xml2026.index(sequela, xml2026.index(b"<name>W08</name>")) + len(sequela)
    data = xml2026[:end] + b"<note>Another note</note>" + xml2026[end:]
    t07 = data.index(b"<name>T07</name>")
    data = data[:t07] + data[t07:].replace(b'<extension char="A">', b'<extension char="A">\t', 1)
    path = tmp_path / "icd10cm_tabular_2026.xml"
    path.write_bytes(data)
    (rule,) = diff(cm, medcodes.icd10cm.load(path)).of(ChangeKind.SEVENTH_CHARACTERS_CHANGED)
    assert rule.code == "W08" and rule.before != rule.after
    assert rule.before is not None and rule.before.endswith("S sequela (Fall from stool)")
    assert rule.after == rule.before.replace("(Fall", "(Another note) (Fall")
