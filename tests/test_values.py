"""Values that survive dataframes, pickles and notebooks (issue 12, items 3, 4
and 6; issue 14's mutation item): string enums, plain records, light pickles,
short reprs, immutable shared objects. On the real bundled releases."""

from __future__ import annotations

import datetime as dt
import enum
import inspect
import multiprocessing
import pickle
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import pytest

import medcodes
from medcodes import hcpcs, icd10cm
from medcodes.icd10cm import Codeset

from .helpers import ADDENDA_APRIL_2025, DATA, HCPCS_ANWEB, HCPCS_REPORTS, TABULAR_2025_APRIL

#: rules.py (Severity, FindingKind, Finding, Conflict, EffectiveNote) is issue 13's.
_RULES = "medcodes.icd10cm.rules"


@pytest.fixture(scope="module")
def hc() -> hcpcs.Codeset:
    return hcpcs.load()


@pytest.fixture(scope="module")
def icd_diff(cm: Codeset) -> icd10cm.ReleaseDiff:
    return icd10cm.diff(icd10cm.load(fiscal_year=2025), cm)


@pytest.fixture(scope="module")
def hc_diff() -> hcpcs.HcpcsDiff:
    return hcpcs.diff(hcpcs.load(HCPCS_ANWEB[2019]), hcpcs.load(HCPCS_ANWEB[2020]))


def _public_enums() -> list[type[enum.Enum]]:
    found = []
    for module in (icd10cm, hcpcs):
        for name in module.__all__:
            obj = getattr(module, name)
            if isinstance(obj, type) and issubclass(obj, enum.Enum) and obj.__module__ != _RULES:
                found.append(obj)
    return found


# -- string enums -------------------------------------------------------------------


def test_every_enum_is_a_str_enum_with_its_values_unchanged() -> None:
    enums = _public_enums()
    assert len(enums) >= 15  # icd10cm: 7, hcpcs: 8 (Kind, Problem, ChangeKind, 5 tables)
    for cls in enums:
        assert issubclass(cls, enum.StrEnum), cls
        for member in cls:
            assert str(member) == member.value and f"{member}" == member.value
            assert cls(member.value) is member and cls[member.name] is member


def test_enum_arguments_take_values_or_names_and_refuse_the_other_systems(cm: Codeset) -> None:
    notes = cm["E11"].notes
    assert notes.of("excludes1") == notes.of("EXCLUDES1") == notes.excludes1  # type: ignore[arg-type]
    hc_added = hcpcs.ChangeKind.ADDED
    assert hc_added == "added" == icd10cm.ChangeKind.ADDED  # equal as strings ...
    with pytest.raises(medcodes.UsageError, match=r"medcodes\.icd10cm\.ChangeKind"):
        icd10cm.diff(cm, cm).of(hc_added)  # type: ignore[arg-type]  # ... not as arguments


def test_hcpcs_meanings_stay_per_table_although_codes_collide() -> None:
    # "S" is a code of three tables: equal as strings, each with its own meaning.
    action, coverage = hcpcs.ActionCode("S"), hcpcs.CoverageCode("S")
    assert action == coverage
    assert action.meaning == "Change in short description of procedure code"
    assert coverage.meaning == "Non-covered by Medicare statute"
    assert hcpcs.TypeOfService("S").meaning.startswith("Surgical dressings")


# -- records and dataframes ---------------------------------------------------------


def _plain(value: Any) -> Any:
    """A value read back from parquet by pandas, as the record had it."""
    if hasattr(value, "tolist"):  # a list column comes back as an array
        return value.tolist()
    if value is None or (isinstance(value, float) and value != value):
        return None
    return value


def _round_trip(rows: list[dict[str, Any]], tmp_path: Path, polars_args: dict[str, Any]) -> None:
    """pandas and polars frames of ``rows``, with no schema, written to parquet
    and read back equal; every column of one plain type."""
    assert rows
    frame = pd.DataFrame(rows)
    frame.to_parquet(tmp_path / "pd.parquet")
    back = pd.read_parquet(tmp_path / "pd.parquet")
    assert list(back.columns) == list(rows[0])
    assert [{k: _plain(v) for k, v in r.items()} for r in back.to_dict("records")] == rows
    pframe = pl.DataFrame(rows, **polars_args)
    assert not [c for c, t in pframe.schema.items() if t == pl.Object], pframe.schema
    pframe.write_parquet(tmp_path / "pl.parquet")
    assert pl.read_parquet(tmp_path / "pl.parquet").equals(pframe)
    assert pframe.to_dicts() == rows


def _types(rows: list[dict[str, Any]]) -> dict[str, set[type]]:
    types: dict[str, set[type]] = {}
    for row in rows:
        for k, v in row.items():
            types.setdefault(k, set()).add(type(v))
    return types


def test_icd10cm_codeset_records(cm: Codeset, tmp_path: Path) -> None:
    rows = cm.to_records()
    assert len(rows) == len(cm)
    assert _types(rows) == {
        **{k: {str} for k in ("code", "key", "kind", "title", "short_title")},
        **{k: {str} for k in ("parent", "chapter", "block")},
        "billable": {bool},
        "depth": {int},
    }
    sample = random.Random(12).sample(range(len(cm)), 300)
    nodes = list(cm.values())
    assert [rows[i] for i in sample] == [nodes[i].to_dict() for i in sample]
    e1165 = cm["E11.65"].to_dict()
    assert (e1165["chapter"], e1165["block"], e1165["parent"], e1165["depth"]) == (
        "4",
        "E08-E13",
        "E11.6",
        4,
    )
    assert sum(r["billable"] for r in rows) == len(cm.billable_codes())
    _round_trip(rows, tmp_path, {})
    by_chapter = pd.DataFrame(rows).query("billable").groupby("chapter").size()
    assert by_chapter["19"] == sum(1 for n in cm.chapter(19).descendants() if n.billable)


def test_a_release_without_chapters_has_empty_chapter_columns(tmp_path: Path) -> None:
    from .helpers import CDC_2024_ZIP

    codes_only = icd10cm.load(CDC_2024_ZIP)  # an order file alone: no chapters, no blocks
    rows = codes_only.to_records()
    assert {r["chapter"] for r in rows} == {""} == {r["block"] for r in rows}
    _round_trip(rows[:500], tmp_path, {})


def test_hcpcs_codeset_node_and_record_dicts(hc: hcpcs.Codeset, tmp_path: Path) -> None:
    rows = hc.to_records()
    assert len(rows) == len(hc) + len(hc.modifiers) + len(hc.sections())
    assert {k for k, ts in _types(rows).items() if ts != {str}} == {"billable", "depth"}
    j9308 = hc["J9308"].to_dict()
    assert j9308 in rows and (j9308["section"], j9308["parent"], j9308["billable"]) == (
        "J",
        "J",
        True,
    )
    assert hc.modifier("RT").to_dict()["section"] == ""
    _round_trip(rows, tmp_path, {})
    records = [r.to_dict() for r in hc.records() + hc.modifier_records()]
    types = _types(records)
    assert types["terminated"] == {dt.date, type(None)} and types["betos"] == {str}
    assert types["types_of_service"] == {list} and types["coverage"] == {str}
    # Dates absent in the first 100 rows: polars must look at every row (documented).
    _round_trip(records, tmp_path, {"infer_schema_length": None})


def test_diff_records_have_one_type_per_column(
    icd_diff: icd10cm.ReleaseDiff, hc_diff: hcpcs.HcpcsDiff, tmp_path: Path
) -> None:
    rows = icd_diff.to_records()
    assert len(rows) == len(icd_diff)
    types = _types(rows)
    assert types.pop("billable") == {bool} and types.pop("related") == {list}
    assert all(ts == {str} for ts in types.values()), types
    added = [r for r in rows if r["change"] == "added" and r["level"] == "code"]
    assert all(r["chapter"] and r["block"] for r in added)
    _round_trip(rows, tmp_path, {})
    per_chapter = pd.DataFrame(rows).query("change == 'added'").groupby("chapter").size()
    assert per_chapter.sum() == len(icd_diff.added)
    hrows = hc_diff.to_records()
    htypes = _types(hrows)
    assert htypes.pop("billable") == {bool} and htypes.pop("related") == {list}
    assert all(ts == {str} for ts in htypes.values()), htypes
    assert {r["section"] for r in hrows if r["level"] == "modifier"} <= {""}
    _round_trip(hrows, tmp_path, {})
    # The CSV stays the one format of both systems.
    assert icd_diff.to_csv().splitlines()[0] == hc_diff.to_csv().splitlines()[0]


def test_frames_of_enum_values_write_to_parquet(cm: Codeset, tmp_path: Path) -> None:
    nodes = list(cm.values())[:2000]
    frame = pd.DataFrame({"kind": [n.kind for n in nodes], "code": [n.code for n in nodes]})
    frame["problem"] = [cm.check_code(n.code).problem for n in nodes]
    frame.to_parquet(tmp_path / "enums.parquet")
    back = pd.read_parquet(tmp_path / "enums.parquet")
    assert back["kind"].tolist() == [n.kind.value for n in nodes]
    # polars makes a column of members its Enum type, and of dict values a String.
    pframe = pl.DataFrame({"kind": [n.kind for n in nodes]})
    assert isinstance(pframe.schema["kind"], pl.Enum)
    assert list(pframe.schema["kind"].categories) == [k.value for k in icd10cm.Kind]
    pframe.write_parquet(tmp_path / "enums-pl.parquet")
    assert pl.read_parquet(tmp_path / "enums-pl.parquet")["kind"].cast(pl.String).to_list() == [
        n.kind.value for n in nodes
    ]
    rows = pl.DataFrame([{"kind": n.kind, "problem": cm.check_code(n.code).problem} for n in nodes])
    assert rows.schema["kind"] == pl.String and rows.schema["problem"] == pl.String


def test_importing_medcodes_imports_no_dataframe_library() -> None:
    code = (
        "import sys, medcodes, medcodes.icd10cm, medcodes.hcpcs\n"
        "cm = medcodes.icd10cm.load(); cm.to_records(); cm['E11'].to_dict()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('pandas', 'polars', 'pyarrow', 'numpy')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- light pickles ------------------------------------------------------------------


def test_checks_pickle_light(cm: Codeset, hc: hcpcs.Codeset) -> None:
    checks = [cm.check_code(c) for c in ("E11.65", "S72.001", "E11", "Z99.99", "19", "x")]
    checks += [hc.check_code(c) for c in ("J9308", "G0001", "RT", "99213")]
    checks.append(hc.check_modifier("JG"))
    for check in checks:
        data = pickle.dumps(check)
        assert len(data) <= 2048, (check, len(data))
        assert pickle.loads(data) == check
    assert checks[0].release == cm.release.label and checks[0].exists
    assert checks[3].release == cm.release.label and not checks[3].exists


def _unpickle_in_worker(data: bytes) -> tuple[str, str, str, int, bool]:
    import os

    node = pickle.loads(data)
    again = pickle.loads(data)
    return (node.code, node.title, node.codeset.release.label, os.getpid(), node == again)


def test_bundled_nodes_pickle_as_references(cm: Codeset, hc: hcpcs.Codeset) -> None:
    nodes = [cm["E11.65"], cm["19"], cm.block("B10"), cm["B10"], cm["S72.001A"]]
    hnodes = [hc["J9308"], hc.modifier("RT"), hc.section("J")]
    payloads = [pickle.dumps(n) for n in nodes + hnodes]
    assert max(len(p) for p in payloads) < 1024
    # Another process (spawned: nothing inherited) loads each bundled release once.
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        got = pool.map(_unpickle_in_worker, payloads * 3, chunksize=4)
    expected = [(n.code, n.title, n.codeset.release.label) for n in nodes + hnodes] * 3
    assert [g[:3] for g in got] == expected
    assert all(g[4] for g in got)  # the same codeset: equal nodes
    # In this process, the node unpickles to itself.
    assert [pickle.loads(p) for p in payloads] == nodes + hnodes


def test_nodes_of_two_loads_of_a_bundled_release_are_equal(cm: Codeset) -> None:
    again = icd10cm.load()
    assert again is not cm and again["E11.65"] == cm["E11.65"]
    assert hash(again["E11.65"]) == hash(cm["E11.65"]) and again["E11"] < cm["E11.65"]
    assert again["E11.65"] != icd10cm.load(fiscal_year=2025)["E11.65"]
    mine = icd10cm.load(TABULAR_2025_APRIL)  # from a path: equal only to itself
    assert mine["E11.65"] != icd10cm.load(TABULAR_2025_APRIL)["E11.65"]
    assert hcpcs.load()["J9308"] == hcpcs.load()["J9308"]
    assert hcpcs.load(HCPCS_ANWEB[2019])["J9308"] != hcpcs.load(HCPCS_ANWEB[2019])["J9308"]


def test_nodes_of_user_files_carry_their_codeset() -> None:
    mine = icd10cm.load(TABULAR_2025_APRIL)  # loaded from a path: not a bundled release
    data = pickle.dumps(mine["E11.65"])
    assert len(data) > 1_000_000
    copy = pickle.loads(data)
    assert copy.title == mine["E11.65"].title and copy.codeset.release == mine.release
    hmine = hcpcs.load(HCPCS_ANWEB[2019])
    hcopy = pickle.loads(pickle.dumps(hmine["J9308"]))
    assert hcopy.codeset.release == hmine.release and hcopy.title == hmine["J9308"].title


def test_a_codeset_pickles_whole_and_keeps_its_nodes_light(cm: Codeset) -> None:
    copy = pickle.loads(pickle.dumps(cm))
    assert len(copy) == len(cm) and copy.release == cm.release
    assert len(pickle.dumps(copy["E11.65"])) < 1024  # still a bundled release


def test_a_reference_from_other_bundled_files_is_refused() -> None:
    from medcodes import _pickles

    ref = ("icd10cm", (2026, dt.date(2026, 4, 1)), ("0" * 64, "1" * 64))
    with pytest.raises(medcodes.SourceError, match="another version of medcodes"):
        _pickles.bundled_codeset(ref)
    assert ref not in _pickles._CACHE


# -- immutability -------------------------------------------------------------------


def test_shared_objects_refuse_changes(cm: Codeset, hc: hcpcs.Codeset) -> None:
    list(cm.values())  # every node made and shared
    node = cm["E11.9"]
    with pytest.raises(AttributeError, match="immutable"):
        node._i = 0  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        del node._cs
    with pytest.raises(AttributeError, match="immutable"):
        node.title = "x"  # type: ignore[misc]
    assert cm["E11.9"].code == "E11.9" and cm["E11.9"] is node
    with pytest.raises(AttributeError, match="immutable"):
        del hc._codes  # type: ignore[attr-defined]
    with pytest.raises(AttributeError, match="immutable"):
        del cm._store
    with pytest.raises(AttributeError):
        hc["J9308"].code = "J9309"  # type: ignore[misc]
    with pytest.raises(TypeError):
        hcpcs.SECTIONS["J"] = "X"  # type: ignore[index]
    assert hcpcs.SECTIONS["J"].startswith("Drugs") and hc.section("J").title.startswith("Drugs")


# -- notebook display ---------------------------------------------------------------


def _public_objects(
    cm: Codeset, hc: hcpcs.Codeset, icd_diff: icd10cm.ReleaseDiff, hc_diff: hcpcs.HcpcsDiff
) -> dict[str, object]:
    history = icd10cm.ReleaseHistory([icd10cm.load(fiscal_year=2025), cm])
    addenda = icd10cm.load_addenda(ADDENDA_APRIL_2025[0])
    report = hcpcs.load_transaction_report(HCPCS_REPORTS[2020])
    return {
        "Codeset": cm,
        "Node": cm["S72.001A"],
        "Notes": cm["E11"].notes,
        "Note": max(cm["E11"].notes, key=lambda n: len(n.text)),
        "Release": cm.release,
        "SourceFile": cm.release.sources[0],
        "SeventhCharacterRule": cm["S72.001"].seventh_characters,
        "SeventhCharacter": cm["S72.001A"].seventh_character,
        "SeventhCharacterException": icd10cm.SEVENTH_CHARACTER_EXCEPTIONS[0],
        "CodeCheck": cm.check_code("S72.001"),
        "ReleaseDiff": icd_diff,
        "Change": max(icd_diff, key=lambda c: len(repr(c.to_dict()))),
        "DiffSummary": icd_diff.summary(),
        "AddendaCounts": icd_diff.summary().codes,
        "Addenda": addenda,
        "AddendaLine": icd_diff.to_addenda("codes")[0],
        "ReleaseHistory": history,
        "CodeEvent": history.code_history("G35")[0],
        "CodeRef": cm["G63"].notes.excludes1[1].refs[0],
        "hcpcs.Codeset": hc,
        "hcpcs.Node": hc.modifier("RT"),
        "hcpcs.Section": hc.section("J"),
        "hcpcs.DiffSummary": hc_diff.summary(),
        "hcpcs.Record": hc.record("J9308"),
        "hcpcs.Release": hc.release,
        "hcpcs.CodeCheck": hc.check_code("G0001"),
        "HcpcsDiff": hc_diff,
        "hcpcs.Change": hc_diff.changes[0],
        "AnnouncedChange": hc_diff.announced[0],
        "Disagreement": hc_diff.disagreements()[0],
        "TransactionReport": report,
        "TransactionRow": report.rows[0],
        "modifiers": hc.modifiers,
        "Problem": icd10cm.Problem.MISSING_SEVENTH_CHARACTER,
        **_index_and_table_objects(cm),
    }


def _index_and_table_objects(cm: Codeset) -> dict[str, object]:
    """The objects of the Alphabetic Index and the tables (FY2017 "table and
    index" folder), the introduction and the prose rules."""
    c17 = icd10cm.load(DATA / "icd10cm-2017")
    assert c17.index is not None and c17.eindex is not None and c17.drugs is not None
    index = c17.index
    refs = (r for t in index.main_terms for r in t.references)
    drugs = icd10cm.load_table(DATA / "icd10cm-drug-April-2024.txt.xz")
    drugs26 = icd10cm.load_table(DATA / "icd10cm-drug-April-1-2026-XML.xml.xz")
    table_diff = icd10cm.diff_tables(drugs, drugs26)
    long_diff = icd10cm.diff_tables(c17.drugs, drugs26)  # FY2017 -> 2026: cells changed
    return {
        "Index": index,
        "Term": index["Diabetes"],
        "CrossRef": next(refs),
        "EtiologyPair": index.etiology_pairs()[0],
        "CodeCompletion": icd10cm.complete_code("S72.00-", c17),
        "CodeReport": index.check_codes(c17),
        "IndexDiff": icd10cm.diff_index(
            c17.eindex, icd10cm.load_index(DATA / "icd10cm-eindex-April-2024.xml.xz")
        ),
        "Table": c17.drugs,
        "TableRow": max(c17.drugs.rows, key=lambda r: len(r.path)),
        "TableCheck": c17.drugs.check(),
        "TableDiff": table_diff,
        "CellChange": long_diff.changed[0],
        "CellRef": drugs26.check(c17).not_found[0],  # a 2026 code FY2017 lacks
        "IntroSection": max(cm.introduction, key=lambda s: len(repr(s.notes))),
        "SectionRef": cm["19"].section_index[0],
        "ProseRule": max(icd10cm.PROSE_RULES, key=lambda r: len(str(r.marker))),
    }


def test_every_public_repr_is_short(
    cm: Codeset, hc: hcpcs.Codeset, icd_diff: icd10cm.ReleaseDiff, hc_diff: hcpcs.HcpcsDiff
) -> None:
    objects = _public_objects(cm, hc, icd_diff, hc_diff)
    # Every public class outside rules.py is walked (issue 13 owns rules.py).
    public = {
        f"{m.__name__}.{n}"
        for m in (icd10cm, hcpcs)
        for n in m.__all__
        if inspect.isclass(getattr(m, n))
        and not issubclass(getattr(m, n), enum.Enum)
        and getattr(m, n).__module__ != _RULES
        and not issubclass(getattr(m, n), BaseException)
    }
    walked = {
        f"{type(o).__module__.rsplit('.', 1)[0]}.{type(o).__name__}" for o in objects.values()
    }
    missing = (
        public
        - walked
        - {
            "medcodes.icd10cm.OrderFile",  # checked below (needs an order file parsed)
            "medcodes.icd10cm.OrderRecord",
            "medcodes.hcpcs.Correction",
            # medcodes.DiffSummary: one class for both systems, walked above
            "medcodes.icd10cm.DiffSummary",
            "medcodes.hcpcs.DiffSummary",
        }
    )
    assert not missing
    for name, obj in objects.items():
        assert len(repr(obj)) <= 300, (name, len(repr(obj)), repr(obj)[:120])


def test_order_file_and_corrections_reprs_are_short(order2026: icd10cm.OrderFile) -> None:
    from .helpers import HCPCS_2025_CORRECTIONS

    assert len(repr(order2026)) <= 300 and len(repr(next(order2026.records()))) <= 300
    corrections = hcpcs.load_corrections(HCPCS_2025_CORRECTIONS)
    assert corrections and all(len(repr(c)) <= 300 for c in corrections)


def test_notebook_html_and_format(
    cm: Codeset, hc: hcpcs.Codeset, icd_diff: icd10cm.ReleaseDiff, hc_diff: hcpcs.HcpcsDiff
) -> None:
    node = cm["E11.65"]
    page = node._repr_html_()
    assert "E11.65" in page and "hyperglycemia" in page and "yes" in page
    assert "4 &gt; E08-E13 &gt; E11 &gt; E11.6 &gt; E11.65" in page
    assert "J &gt; J9308" in hc["J9308"]._repr_html_()
    s = icd_diff.summary()
    page = icd_diff._repr_html_()
    assert f"{s.codes.additions:,}" in page and "note added" in page and len(page) < 10_000
    page = hc_diff._repr_html_()
    added = sum(1 for c in hc_diff.of(hcpcs.ChangeKind.ADDED) if c.level == "code")
    assert f"{added:,}" in page and len(page) < 10_000
    for n in (node, cm["19"], hc["J9308"], hc.section("J")):
        for spec in ("", ">10", "<12", "^9", ".3"):
            assert format(n, spec) == format(str(n), spec)
        assert f"{n:>10}" == f"{n.code:>10}"
    assert "hyperglycemia" in repr(node) and "ramucirumab" in repr(hc["J9308"])


def test_long_accessors_have_bounded_reprs(
    cm: Codeset, hc: hcpcs.Codeset, icd_diff: icd10cm.ReleaseDiff, hc_diff: hcpcs.HcpcsDiff
) -> None:
    """A notebook cell showing a long accessor prints a line, not megabytes."""
    from medcodes._repr import LIMIT

    for items in (icd_diff.changes, hc_diff.changes, cm.billable_codes(), hc.records()):
        assert len(items) > 500
        assert len(repr(items)) <= LIMIT and f"{len(items)} in all" in repr(items)
        assert isinstance(items, tuple) and items == tuple(items)  # a tuple in every other way
        assert pickle.loads(pickle.dumps(items[:3])) == items[:3]
    assert list(icd_diff) == list(icd_diff.changes)
