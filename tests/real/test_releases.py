"""Whole-release properties on the real official files.

The central check (DOMAIN.md §4): the billable codes that the tabular XML alone
derives are exactly the official order file's billable codes, in order, with
the same titles except where the XML spells accented letters that the ASCII
text files spell plainly.
"""

from __future__ import annotations

import collections
import hashlib

import pytest

import medcodes
from medcodes.icd10cm import Codeset, Kind, OrderFile

from ..helpers import CDC_2026_ZIP, CMS_2025_ZIP, TABULAR_2025_APRIL, TABULAR_2026_APRIL, fold


def _tree_nodes(cs: Codeset) -> list[medcodes.icd10cm.Node]:
    return [n for n in cs.values() if n.kind not in (Kind.CHAPTER, Kind.BLOCK)]


@pytest.mark.parametrize(
    ("tabular", "order_fixture", "billable", "headers", "accented"),
    [
        # FY2025 order file (CMS zip): 74,260 codes + 23,324 headers.
        (TABULAR_2025_APRIL, "order2025", 74_260, 23_324, 151),
        # FY2026 order file (CDC zip): 74,719 codes + 23,467 headers; the April
        # 2026 update changed no code, so it describes the April tabular too.
        (TABULAR_2026_APRIL, "order2026", 74_719, 23_467, 151),
    ],
)
def test_tabular_alone_derives_the_official_order_file(
    tabular: object,
    order_fixture: str,
    billable: int,
    headers: int,
    accented: int,
    request: pytest.FixtureRequest,
) -> None:
    order: OrderFile = request.getfixturevalue(order_fixture)
    cs = medcodes.icd10cm.load(tabular)  # type: ignore[arg-type]
    nodes = _tree_nodes(cs)
    # Same nodes, same (tabular) order, same billable flags as the order file.
    assert [n.key for n in nodes] == list(order.codes)
    assert "".join("1" if n.billable else "0" for n in nodes) == order.flags
    assert order.flags.count("1") == billable == len(cs.billable_codes())
    assert order.flags.count("0") == headers
    # Titles: equal, except nodes whose XML title has accented letters
    # (Brown-Séquard, Ménière ...), which the ASCII order file spells plainly.
    differ = [
        (n, long) for n, long in zip(nodes, order.long_titles, strict=True) if n.title != long
    ]
    assert all(fold(n.title) == long for n, long in differ)
    assert all(n.title != fold(n.title) for n, _ in differ)
    assert len(differ) == accented
    assert {n.key for n, _ in differ} >= {"G8381", "H8101"}  # Brown-Séquard, Ménière


def test_generated_titles_follow_the_order_file_form(cm: Codeset, order2026: OrderFile) -> None:
    long_title = dict(zip(order2026.codes, order2026.long_titles, strict=True))
    generated = [n for n in cm.billable_codes() if n.is_extension]
    assert len(generated) > 50_000
    for node in generated:
        parent = node.parent
        assert parent is not None
        ext = node.seventh_character
        assert ext is not None
        assert node.title == f"{parent.title}, {ext.label}"
        assert fold(node.title) == long_title[node.key]


def test_bundled_release_identity(cm: Codeset) -> None:
    r = cm.release
    assert (r.system, r.fiscal_year, r.effective.isoformat()) == ("ICD-10-CM", 2026, "2026-04-01")
    assert r.is_april_update
    tab, order = r.sources
    assert tab.name == "icd10c-tabular-April-1-2026.xml.gz"
    # SHA-256 of the official XML (see the data manifest): the gzip holds it byte for byte.
    assert tab.sha256 == "f161f8182aff3ce3a2a78e202f8259c08eaee2c670a9e45b0072445c52302935"
    assert (order.path.endswith(CDC_2026_ZIP.name), order.member) == (
        True,
        "icd10cm-order-2026.txt",
    )


def test_counts_of_the_april_2026_release(cm: Codeset) -> None:
    kinds = collections.Counter(n.kind for n in cm.values())
    assert kinds[Kind.CHAPTER] == 22
    assert kinds[Kind.BLOCK] == 297  # 289 in the section index + 8 super-blocks absent from it
    assert kinds[Kind.CODE] == 74_719
    assert kinds[Kind.CATEGORY] + kinds[Kind.SUBCATEGORY] == 23_467
    assert sum(1 for n in cm.values() if n.is_placeholder) == 246
    assert (
        sum(
            1
            for n in cm.values()
            if n.seventh_characters is not None and n.seventh_characters.declared_on == n.code
        )
        == 508
    )
    assert len(cm) == 22 + 297 + 74_719 + 23_467


def test_s06_exception_removes_exactly_the_nonexistent_codes(cm: Codeset) -> None:
    # Naive expansion would create S06 codes with 6th character 7/8 and 7th D/S.
    s06 = cm["S06"]
    leaves_78 = [
        n
        for n in s06.descendants()
        if n.children and n.children[0].is_extension and n.key.ljust(6, "X")[5] in "78"
    ]
    assert leaves_78
    rule_chars = {n.key: n.seventh_characters.chars for n in leaves_78}  # type: ignore[union-attr]
    removed = [n.key.ljust(6, "X") + c for n in leaves_78 for c in "DS" if c in rule_chars[n.key]]
    # Naive expansion would create 76 codes that do not exist (DOMAIN.md: 76 in
    # FY2025/FY2026); with them removed the code set equals the order file
    # (test_tabular_alone_derives_the_official_order_file).
    assert len(removed) == 76
    assert not any(code in cm for code in removed)
    assert all(n.key + "A" in cm for n in leaves_78)
    assert "S06.1X7A" in cm and "S06.1X7D" not in cm and "S06.1X8S" not in cm
    assert "S06.A0XD" in cm  # 6th character X: not concerned


def test_bundled_fy2025_release_identity() -> None:
    cs = medcodes.icd10cm.load(fiscal_year=2025)
    assert cs.release.label == "ICD-10-CM FY2025 (effective 2025-04-01)"
    tab, order = cs.release.sources
    assert tab.sha256 == "d6cdf5283f35a102d77ead236ec8c8929f22ba7f3356dbadff18ede01a3a3de5"
    zip_sha = hashlib.sha256(CMS_2025_ZIP.read_bytes()).hexdigest()
    assert zip_sha == "4f6c65f0034736d2b02fa9eb1128aab564fa673dd4d99363f8b2167af3994816"
    assert (tab.path.endswith(TABULAR_2025_APRIL.name), order.member) == (
        True,
        "icd10cm_order_2025.txt",
    )
    assert len(cs.billable_codes()) == 74_260
    with pytest.raises(medcodes.errors.SourceError, match="bundled: 2025, 2026"):
        medcodes.icd10cm.load(fiscal_year=2019)
