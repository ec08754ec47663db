"""Lookups and navigation on the bundled release."""

from __future__ import annotations

import pickle
import random

import attrs
import pytest

import medcodes
from medcodes.errors import UnknownCodeError
from medcodes.icd10cm import Codeset, Kind


@pytest.mark.parametrize("text", ["E11.65", "E1165", "e11.65", " E11.65 ", "e1165\n"])
def test_lookup_accepts_every_written_form(cm: Codeset, text: str) -> None:
    assert cm[text].code == "E11.65"
    assert text in cm
    assert cm.get(text) == cm["E11.65"]


def test_unknown_code_raises_key_error_with_suggestions(cm: Codeset) -> None:
    with pytest.raises(KeyError) as info:
        cm["E11.66"]
    err = info.value
    assert isinstance(err, UnknownCodeError)
    assert "E11.65" in err.suggestions
    assert "E11.65" in str(err)
    assert cm.get("E11.66") is None


def test_chapters_blocks_and_shared_names(cm: Codeset) -> None:
    assert cm["19"] == cm.chapter(19) and cm["19"].kind is Kind.CHAPTER
    assert cm["S00-S09"].kind is Kind.BLOCK
    # B10 is both a single-category block and a category.
    assert cm["B10"].kind is Kind.CATEGORY
    assert cm.block("B10").kind is Kind.BLOCK
    assert cm["B10"].block == cm.block("B10")
    assert cm["B10"].parent == cm.block("B10")
    with pytest.raises(UnknownCodeError):
        cm.chapter(23)


def test_navigation(cm: Codeset) -> None:
    node = cm["S72.001A"]
    assert [a.code for a in node.ancestors()] == [
        "S72.001",
        "S72.00",
        "S72.0",
        "S72",
        "S70-S79",
        "19",
    ]
    assert node.chapter == cm["19"] and node.block == cm["S70-S79"]
    assert node.depth == 6
    assert cm["S72.001"].children[0].code == "S72.001A"
    assert [c.code for c in cm["E11.6"].descendants(depth=1)] == [
        c.code for c in cm["E11.6"].children
    ]
    assert cm["E11.65"] in cm["E11.6"].descendants()
    assert cm["E11.65"] in cm["E11.64"].siblings and cm["E11.65"] not in cm["E11.65"].siblings
    assert cm.is_ancestor("E11", "E11.65") and not cm.is_ancestor("E11.65", "E11")
    assert cm.common_ancestor("E11.65", "E10.9") == cm["E08-E13"]
    assert cm.common_ancestor("A00.0", "Z99.89") is None
    assert [c.code for c in cm.chapters()][:3] == ["1", "2", "3"]
    assert len(cm.roots()) == 22


def test_tabular_order_is_not_lexical(cm: Codeset) -> None:
    keys = [n.key for n in cm["C43-C44"].children]
    assert keys == ["C43", "C4A", "C44"]
    assert cm["M1A.00X0"].block == cm["M05-M14"]
    assert cm["Z3A.00"].block == cm["Z30-Z39"]
    assert cm["D49"].chapter == cm["2"] and cm["D50"].chapter == cm["3"]


def test_every_node_is_among_its_parents_children(cm: Codeset) -> None:
    for node in cm.values():
        parent = node.parent
        if parent is None:
            assert node.kind is Kind.CHAPTER
        else:
            assert node in parent.children


def test_ancestors_end_at_a_chapter(cm: Codeset) -> None:
    for node in random.Random(7).sample(list(cm.values()), 3000):
        chain = [node, *node.ancestors()]
        assert chain[-1].kind is Kind.CHAPTER
        assert sum(1 for a in chain if a.kind is Kind.CHAPTER) == 1


def test_descendants_of_a_block_are_within_its_range(cm: Codeset) -> None:
    # Every category below a block lies between the first and last category
    # named by its id: in tabular order (C43-C44 holds C4A, which sorts after
    # C44 as text) or, where the id names a letter category last, as text
    # (J40-J4A holds J45-J47, which follow J4A in tabular order).
    order = {
        n.key: i
        for i, n in enumerate(cm.values())
        if n.kind not in (Kind.CHAPTER, Kind.BLOCK) and len(n.key) == 3
    }
    for block in cm.blocks():
        first, _, last = block.key.partition("-")
        last = last or first
        cats = [d.key[:3] for d in block.descendants() if d.kind is not Kind.BLOCK]
        lo, hi = order.get(first, -1), order.get(last, -1)  # U00 of U00-U49 is no category
        assert all(lo <= order[c] <= hi or first <= c <= last for c in cats), block.code
    assert [c.key for c in cm["J40-J4A"].children][-4:] == ["J44", "J4A", "J45", "J47"]


def test_descendants_are_pre_order_and_complete(cm: Codeset) -> None:
    ch19 = cm["19"]
    below = list(ch19.descendants())
    assert len(below) > 54_000
    assert all(ch19 in d.ancestors() for d in below[::97])
    assert sum(1 for d in below if d.billable) == sum(
        1 for n in cm.billable_codes() if n.chapter == ch19
    )


def test_codeset_and_nodes_are_immutable(cm: Codeset) -> None:
    with pytest.raises(AttributeError):
        cm._store = None  # type: ignore[misc]
    with pytest.raises((AttributeError, TypeError)):
        cm["E11"].title = "x"  # type: ignore[misc]


def test_two_releases_side_by_side(cm: Codeset, cm2025: Codeset) -> None:
    assert "QA0.0101" in cm and "QA0.0101" not in cm2025
    assert cm["G35"].billable is False and cm2025["G35"].billable is True
    assert cm["E11"] != cm2025["E11"]


def test_pickle_round_trip(cm2025: Codeset) -> None:
    copy = pickle.loads(pickle.dumps(cm2025))
    assert len(copy) == len(cm2025) and copy["E11.65"].title == cm2025["E11.65"].title
    node = pickle.loads(pickle.dumps(cm2025["E11.65"]))
    assert node.code == "E11.65"


def test_repr(cm: Codeset) -> None:
    assert repr(cm["I10"]) == "<Node I10 code: 'Essential (primary) hypertension'>"
    assert "74719" not in repr(cm) and "FY2026" in repr(cm)
    assert medcodes.icd10cm.display_code("T3601XA") == "T36.01XA"


@pytest.mark.parametrize(("code", "depth"), [("E08-E13", 1), ("E08-E13", 2), ("19", 3), ("S72", 2)])
def test_descendants_to_a_depth_match_the_full_walk(cm: Codeset, code: str, depth: int) -> None:
    node = cm.block(code) if "-" in code else cm[code]
    expected = [n for n in node.descendants() if n.depth - node.depth <= depth]
    assert list(node.descendants(depth=depth)) == expected


def test_nodes_sort_in_official_order_and_pickle(cm: Codeset, cm2025: Codeset) -> None:
    node = cm["E11"]
    assert sorted([cm["E11.9"], node, cm["E10"]]) == [cm["E10"], node, cm["E11.9"]]
    with pytest.raises(TypeError, match="not nodes of one release"):
        sorted([node, cm2025["E10"]])
    assert pickle.loads(pickle.dumps(node)).code == "E11"
    assert [c.code for c in node.children][:2] == ["E11.0", "E11.1"]
    # Not a sequence (a column of nodes in pandas shows codes, not pairs).
    with pytest.raises(TypeError):
        list(node)  # type: ignore[call-overload]
    with pytest.raises(TypeError):
        len(node)  # type: ignore[arg-type]
    assert str(node) == "E11" and attrs.asdict(cm.check_code("E11"))["exists"] is True


def test_nodes_equal_only_nodes_and_look_up_across_releases(cm: Codeset) -> None:
    node = cm["E11.65"]
    assert node == cm["e1165"] and hash(node) == hash(cm["E11.65"])
    assert node != (cm, node._i)  # a node is not a (codeset, index) tuple
    old = medcodes.icd10cm.load(fiscal_year=2025)
    assert old[node].codeset is old and old[node].title == node.title
    assert old.get(cm["G35.A"]) is None  # new in FY2026
    # Kind decides where a node of the other release is looked up: B10 is a
    # block and a category of the same name.
    assert old[cm.block("B10")].kind is Kind.BLOCK and old[cm["B10"]].kind is Kind.CATEGORY
    assert old[cm["19"]].kind is Kind.CHAPTER
    assert cm.is_ancestor(old["E11"], node) and node in old


def test_a_block_node_is_checked_as_the_block(cm: Codeset) -> None:
    # B10 names a block and a category: a node says which one it is.
    assert cm.check_code(cm.block("B10")).message == "B10 is a block, not a code"
    assert "header (category)" in cm.check_code(cm["B10"]).message
    (only,) = cm.check_claim([cm.block("B10")])
    assert only.message == "B10 is a block, not a code"
    assert list(cm["E11"].descendants(depth=0)) == []
    with pytest.raises(medcodes.errors.UsageError, match="0 or more"):
        list(cm["E11"].descendants(depth=-1))
