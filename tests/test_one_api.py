"""The same names for the same things in ICD-10-CM and HCPCS Level II, and each
system saying so when it is given the other's codes or files: the same summary
type for both diffs, both codesets read-only Mappings from code to node, HCPCS
code nodes typed apart from sections. Real releases, side by side."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import importlib.util
import io
import json
import pickle
from collections import Counter
from collections.abc import ItemsView, KeysView, Mapping, ValuesView
from pathlib import Path
from typing import Any

import pytest

import medcodes
from medcodes import hcpcs, icd10cm
from medcodes.errors import ParseError, UnknownCodeError, UsageError

from .helpers import HCPCS_ANWEB, TABULAR_2025_APRIL


@pytest.fixture(scope="module")
def hc() -> medcodes.hcpcs.Codeset:
    return medcodes.hcpcs.load()


def test_load_takes_year_in_both_systems(cm: medcodes.icd10cm.Codeset) -> None:
    by_year = medcodes.icd10cm.load(year=2025)
    assert by_year.release == medcodes.icd10cm.load(fiscal_year=2025).release
    assert by_year.release.fiscal_year == 2025
    assert medcodes.icd10cm.load(year=2026, fiscal_year=2026).release == cm.release
    with pytest.raises(UsageError, match="give one"):
        medcodes.icd10cm.load(year=2025, fiscal_year=2026)
    with pytest.raises(UsageError, match="fiscal_year must be an int"):
        medcodes.icd10cm.load(year="2025")  # type: ignore[arg-type]
    assert medcodes.hcpcs.load(year=2025).release.label == "HCPCS Level II January 2025"


def test_is_valid_in_both_systems(cm: medcodes.icd10cm.Codeset, hc: medcodes.hcpcs.Codeset) -> None:
    for code in ("E11.9", "e119", "S72.001A", "E11", "S72.001", "R10.4", "99213", "", "J9308"):
        assert cm.is_valid(code) is cm.check_code(code).valid
    assert cm.is_valid("E11.9") and not cm.is_valid("E11")
    in_force = dt.date(2026, 5, 1)
    assert cm.is_valid("E11.9", on=in_force)
    assert not cm.is_valid("E11.9", on=dt.date(2025, 5, 1))  # before this release
    assert cm.is_valid(cm["E11.9"])
    assert hc.is_valid("U0003", on=dt.date(2023, 5, 11))
    assert not hc.is_valid("U0003", on=dt.date(2023, 5, 12))


@pytest.mark.parametrize("text", ["L5590", "l5590", " J9308 ", "A4253"])
def test_icd10cm_says_when_a_code_has_the_form_of_an_hcpcs_code(
    cm: medcodes.icd10cm.Codeset, hc: medcodes.hcpcs.Codeset, text: str
) -> None:
    check = cm.check_code(text)
    assert not check.valid
    assert f"{text.strip().upper()} has the form of an HCPCS Level II code" in check.message
    assert hc.check_code(text).valid  # and it is one


def test_icd10cm_gives_no_hcpcs_hint_for_dotted_codes(cm: medcodes.icd10cm.Codeset) -> None:
    assert "HCPCS" not in cm.check_code("L55.90").message
    assert "HCPCS" not in cm.check_code("E11.99").message
    assert cm.check_code("E1165").valid  # an ICD-10-CM code of HCPCS form: no hint when valid


@pytest.mark.parametrize("text", ["E11.9", "e119", "S72001A", "Z99.89", "C7A.1"])
def test_hcpcs_says_when_a_code_has_the_form_of_an_icd10cm_code(
    cm: medcodes.icd10cm.Codeset, hc: medcodes.hcpcs.Codeset, text: str
) -> None:
    check = hc.check_code(text)
    assert check.problem is medcodes.hcpcs.Problem.MALFORMED
    assert "has the form of an ICD-10-CM diagnosis code" in check.message
    assert cm.check_code(text).code is not None  # ICD-10-CM reads it as a code


def test_hcpcs_look_alike_hint_comes_first(hc: medcodes.hcpcs.Codeset) -> None:
    check = hc.check_code("J93O8")
    assert check.suggestions == ("J9308",) and "ICD-10-CM" not in check.message


def test_hcpcs_load_names_an_icd10cm_tabular(tmp_path: Path) -> None:
    tabular = tmp_path / "icd10cm-tabular-April-2025.xml"
    tabular.write_bytes(gzip.decompress(TABULAR_2025_APRIL.read_bytes()))
    with pytest.raises(ParseError, match=r"line 1: an ICD-10-CM tabular XML file") as caught:
        medcodes.hcpcs.load(tabular, year=2025)
    assert "medcodes.icd10cm.load" in str(caught.value)
    other = tmp_path / "HCPC2025_JAN_ANWEB.txt"
    other.write_bytes(b'<?xml version="1.0"?>\n<root/>\n')
    with pytest.raises(ParseError, match=r"an XML file, not an HCPCS Level II"):
        medcodes.hcpcs.load(other)


@pytest.fixture(scope="module")
def hc2020() -> hcpcs.Codeset:
    return hcpcs.load(HCPCS_ANWEB[2020])


@pytest.fixture(scope="module")
def diffs(
    cm: icd10cm.Codeset, cm2025: icd10cm.Codeset, hc: hcpcs.Codeset, hc2020: hcpcs.Codeset
) -> dict[str, icd10cm.ReleaseDiff | hcpcs.HcpcsDiff]:
    return {"icd10cm": icd10cm.diff(cm2025, cm), "hcpcs": hcpcs.diff(hc2020, hc)}


# -- summary() --------------------------------------------------------------------------


def test_both_summaries_are_one_frozen_type(
    diffs: dict[str, icd10cm.ReleaseDiff | hcpcs.HcpcsDiff],
) -> None:
    for system, d in diffs.items():
        s = d.summary()
        assert type(s) is medcodes.DiffSummary
        assert icd10cm.DiffSummary is hcpcs.DiffSummary is medcodes.DiffSummary
        assert s.system == system and s.total == len(d) > 0
        # The counts add up, per kind and per level, to the changes themselves.
        assert sum(s.by_kind.values()) == s.total
        assert sum(n for kinds in s.by_level.values() for n in kinds.values()) == s.total
        for kind, n in s.by_kind.items():
            assert n == len(d.of(kind))  # type: ignore[arg-type]
        for level, kinds in s.by_level.items():
            assert sum(kinds.values()) == sum(1 for c in d.changes if str(c.level) == level)
        with pytest.raises(AttributeError):
            s.total = 0  # type: ignore[misc]
        assert d.summary() == s  # deterministic


def test_each_system_fills_its_own_fields(
    diffs: dict[str, icd10cm.ReleaseDiff | hcpcs.HcpcsDiff],
) -> None:
    icd, hc = diffs["icd10cm"].summary(), diffs["hcpcs"].summary()
    assert icd.codes is not None and icd.codes.new_total == 74719 and not icd.announced
    assert hc.codes is None and hc.headers is None and hc.respelled == 0
    hd = diffs["hcpcs"]
    assert isinstance(hd, hcpcs.HcpcsDiff)
    records = (*hd.new.records(), *hd.new.modifier_records())
    actions = [r.action for r in records if r.action not in (None, hcpcs.ActionCode.NO_CHANGE)]
    assert sum(hc.announced.values()) == len(actions) == len(hd.announced)
    assert hc.announced["D"] == sum(1 for a in actions if a == hcpcs.ActionCode.DISCONTINUE)
    assert set(hc.by_level) <= {"code", "modifier"}


def test_the_hcpcs_dict_access_still_works_with_a_deprecation_warning(
    diffs: dict[str, icd10cm.ReleaseDiff | hcpcs.HcpcsDiff],
) -> None:
    s = diffs["hcpcs"].summary()
    with pytest.warns(DeprecationWarning, match=r"summary\(\)\.announced"):
        assert s["announced"] == dict(s.announced)
    with pytest.warns(DeprecationWarning, match="by_level"):
        computed = s["computed"]
    assert sum(computed.values()) == s.total
    assert computed["code added"] == s.by_level["code"][hcpcs.ChangeKind.ADDED]
    with pytest.raises(KeyError):
        s["codes"]


def test_json_reports_carry_one_summary_shape(
    diffs: dict[str, icd10cm.ReleaseDiff | hcpcs.HcpcsDiff],
) -> None:
    keys = set()
    for system, d in diffs.items():
        payload = json.loads(d.to_json())
        summary = payload["summary"]
        assert summary == json.loads(json.dumps(d.summary().to_dict()))
        assert summary["system"] == system and summary["total"] == len(payload["changes"])
        keys.add(frozenset(summary))
    assert len(keys) == 1  # the same keys for both systems
    hc_summary = json.loads(diffs["hcpcs"].to_json())["summary"]
    assert sum(hc_summary["computed"].values()) == hc_summary["total"]  # kept from before


@pytest.mark.parametrize(
    ("system", "old", "new"),
    [("icd10cm", "bundled:2025", "bundled:2026"), ("hcpcs", "", "bundled")],
)
def test_the_csv_report_counts_each_kind_from_the_summary(system: str, old: str, new: str) -> None:
    from medcodes.cli import report

    text = report(old or str(HCPCS_ANWEB[2020]), new, "csv", system)
    first, rest = text.split("\n", 1)
    rows = list(csv.DictReader(io.StringIO(rest)))
    by_kind = Counter(r["change"] for r in rows)
    assert len(by_kind) > 1 and f": {len(rows):,} computed changes (" in first
    for kind, n in by_kind.items():
        assert f"{n:,} {kind}" in first
    assert "left out:" in first


# -- Mapping ----------------------------------------------------------------------------


def test_both_codesets_are_read_only_mappings_from_code_to_node(
    cm: icd10cm.Codeset, hc: hcpcs.Codeset
) -> None:
    pairs: list[tuple[Mapping[str, icd10cm.Node] | Mapping[str, hcpcs.Node], str]] = [
        (cm, "E11.65"),
        (hc, "J9308"),
    ]
    for cs, code in pairs:
        assert isinstance(cs, Mapping)
        keys, values, items = cs.keys(), cs.values(), cs.items()
        assert isinstance(keys, KeysView) and isinstance(values, ValuesView)
        assert isinstance(items, ItemsView)
        codes = list(cs)
        assert all(isinstance(c, str) for c in codes)  # iteration gives codes
        assert len(codes) == len(cs) == len(keys) == len(values) == len(items)
        assert list(keys) == codes and [n.code for n in values] == codes
        assert code in codes and code in keys and cs[code] in values
        assert (code, cs[code]) in items
        sample: list[tuple[str, Any]] = list(items)[:: len(cs) // 500]
        for k, n in sample:
            # A block named as its only category (B10) shares the category's code.
            single = n.kind is icd10cm.Kind.BLOCK and "-" not in k
            assert k in cs and (cs[k] == n or (single and cs[k].kind is icd10cm.Kind.CATEGORY))
        assert cs.get(code) == cs[code] and cs.get("nonsense") is None
        assert cs.get("nonsense", 0) == 0
        with pytest.raises(UnknownCodeError):
            cs["nonsense"]
        with pytest.raises(TypeError):
            cs[code] = cs[code]  # type: ignore[index]
        assert cs == cs and cs != dict(items) and hash(cs) == hash(cs)


def test_iteration_yields_the_codes_in_official_order(
    cm: icd10cm.Codeset, hc: hcpcs.Codeset
) -> None:
    codes = list(cm)
    assert codes[:3] == ["1", "A00-A09", "A00"] and "S72.001A" in codes
    assert codes.index("E11") < codes.index("E11.6") < codes.index("E11.65")
    # A block named as its only category (B10) shares the category's code.
    assert cm.block("B10").code == "B10" and cm["B10"].kind is icd10cm.Kind.CATEGORY
    assert len(codes) - len(set(codes)) == sum(
        1 for n in cm.values() if n.kind is icd10cm.Kind.BLOCK and "-" not in n.code
    )
    assert list(hc) == [r.code for r in hc.records()]  # file order, procedure codes only
    assert "RT" not in hc and "J" not in hc and "J" not in list(hc)


# -- HCPCS sections apart from code nodes ----------------------------------------------


def test_hcpcs_code_nodes_always_have_a_record_and_sections_are_their_own_type(
    hc: hcpcs.Codeset,
) -> None:
    node = hc["J9308"]
    assert (
        isinstance(node, hcpcs.Node) and node.record.short_description == "Injection, ramucirumab"
    )
    assert all(n.record.code == n.code for n in hc.values())
    section = hc.section("J")
    assert isinstance(section, hcpcs.Section) and not isinstance(section, hcpcs.Node)
    assert not hasattr(section, "record") and section.kind is hcpcs.Kind.SECTION
    assert node.parent == section and section in set(node.ancestors())
    assert node in section.children and all(c.parent == section for c in section.children)
    assert hc.sections() == hc.roots() and hc.sections()[0].code == "A"
    assert hc.modifier("RT").parent is None and hc.modifier("RT").record.is_modifier
    # Each section once in to_records, then its codes.
    rows = hc.to_records()
    assert [r["code"] for r in rows if r["kind"] == "section"] == [s.code for s in hc.sections()]
    assert pickle.loads(pickle.dumps(section)) == section
    assert pickle.loads(pickle.dumps(node)) == node
    assert repr(section).startswith("<hcpcs.Section J section:")


def test_the_typed_example_runs() -> None:
    """docs/examples/one_api.py, which mypy --strict checks, does what it says."""
    path = Path(__file__).parents[1] / "docs" / "examples" / "one_api.py"
    spec = importlib.util.spec_from_file_location("one_api", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.describe("J9308") == "J9308 (J): Injection, ramucirumab"
    assert module.describe("e11.65").startswith("E11.65 (4): Type 2 diabetes")
    assert module.describe("nonsense") == "nonsense: unknown"
    icd, hc = module.counts()
    assert icd.system == "icd10cm" and hc.system == "hcpcs" and type(icd) is type(hc)
