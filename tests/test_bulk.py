"""Bulk checks (check_codes) of both systems on the real bundled releases: the
same answers as check_code, value for value, from any column type."""

from __future__ import annotations

import datetime as dt
import math
import pickle
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import medcodes
from medcodes import CodeChecks, hcpcs, icd10cm
from medcodes.errors import UsageError

CM = icd10cm.load()
HC = hcpcs.load()
CM_KEYS = [n.key for n in CM.values()]
HC_KEYS = [r.code for r in HC.records()] + [r.code for r in HC.modifier_records()]


def _typed(keys: list[str]) -> st.SearchStrategy[object]:
    """Codes of the release as a claims file writes them, with typos, and junk."""
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

    def mangle(key: str, how: int, p: int, ch: str) -> str:
        p %= len(key)
        return [
            key,
            key.lower(),
            f" {key} ",
            key[:3] + "." + key[3:] if len(key) > 3 else key + ".",
            key[:p] + ch + key[p + 1 :],  # a wrong character
            key[:p] + ch + key[p:],  # one too many
            key[:p] + key[p + 1 :],  # one missing
            key[:p] + "." + key[p:],  # a misplaced dot
        ][how]

    code = st.builds(
        mangle,
        st.sampled_from(keys),
        st.integers(0, 7),
        st.integers(0, 7),
        st.sampled_from(alphabet),
    )
    return st.one_of(
        code,
        code,
        code,
        st.text(max_size=10),
        st.none(),
        st.just(math.nan),
        st.integers(-5, 99_999),
        st.binary(max_size=6),
        st.booleans(),
        st.floats(allow_nan=False),
    )


def _is_text(value: object) -> bool:
    return isinstance(value, str)


def _same(bulk: CodeChecks, singles: list[Any], suggest: bool) -> None:
    assert len(bulk) == len(singles)
    for got, want in zip(bulk, singles, strict=True):
        fields = ("text", "code", "valid", "billable", "problem", "message", "day")
        assert [getattr(got, f) for f in fields] == [getattr(want, f) for f in fields]
        assert got.suggestions == (want.suggestions if suggest else ())
    assert bulk.text == [c.text for c in singles]
    assert bulk.valid == [c.valid for c in singles]
    assert bulk.problem == [c.problem for c in singles]


@settings(max_examples=150, deadline=None)
@given(st.lists(_typed(CM_KEYS), max_size=30), st.booleans())
def test_icd10cm_check_codes_is_check_code_per_value(values: list[object], suggest: bool) -> None:
    _same(CM.check_codes(values, suggest=suggest), [CM.check_code(v) for v in values], suggest)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.one_of(_typed(CM_KEYS), st.text(max_size=10)).filter(_is_text), max_size=30),
    st.booleans(),
)
def test_icd10cm_check_codes_of_text_only_is_check_code_per_value(
    values: list[str], suggest: bool
) -> None:
    # A column of text only takes the path that normalizes every value at once.
    _same(CM.check_codes(values, suggest=suggest), [CM.check_code(v) for v in values], suggest)


@pytest.mark.parametrize("missing", [[], [None]])
def test_look_alike_letters_do_not_make_a_valid_code(missing: list[object]) -> None:
    # str.upper turns the dotless i into "I" and the long s into "S": check_code
    # upper-cases ASCII text only, and so must the bulk check's lookup.
    dotless_i = "\u0131"
    values = [dotless_i + "10", f" {dotless_i}10", "i10", " I10 ", "I10.", "e11.65", "E1165 "]
    values += missing
    checks = CM.check_codes(values)
    _same(checks, [CM.check_code(v) for v in values], False)
    assert checks.valid[:7] == [False, False, True, True, True, True, True]


@settings(max_examples=150, deadline=None)
@given(st.lists(_typed(HC_KEYS), max_size=30), st.booleans())
def test_hcpcs_check_codes_is_check_code_per_value(values: list[object], suggest: bool) -> None:
    _same(HC.check_codes(values, suggest=suggest), [HC.check_code(v) for v in values], suggest)


@pytest.mark.parametrize("day", [dt.date(2026, 5, 1), dt.date(2025, 1, 1), dt.date(2026, 10, 1)])
def test_a_date_of_service_applies_to_every_value(day: dt.date) -> None:
    values = ["E11.65", "E11", "U07.1", "Z99.99", None, "xx"]
    _same(CM.check_codes(values, on=day), [CM.check_code(v, day) for v in values], False)
    hc_values = ["J9308", "U0003", "G0001", None, "RT"]
    _same(HC.check_codes(hc_values, on=day), [HC.check_code(v, day) for v in hc_values], False)


def test_missing_values_are_missing_with_no_text() -> None:
    import numpy as np
    import pandas as pd
    for value in (None, math.nan, np.nan, np.float32("nan"), pd.NA, pd.NaT, np.datetime64("NaT")):
        for check in (CM.check_code(value), HC.check_code(value)):
            assert check.problem is not None and check.problem.name == "MISSING"
            assert check.text is None and check.code is None and not check.valid
    assert CM.check_code(None).problem is icd10cm.Problem.MISSING
    assert HC.check_code(None).problem is hcpcs.Problem.MISSING


@pytest.mark.parametrize("value", [1165, b"E1165", 11.65, True, ("E11.65",)])
def test_values_that_are_not_text_are_malformed_with_their_repr(value: object) -> None:
    for checks in (CM.check_codes([value, "E11.65"]), HC.check_codes([value, "J9308"])):
        assert checks.text[0] == repr(value)
        assert checks.problem[0] is not None and checks.problem[0].name == "MALFORMED"
        assert checks.valid == [False, True]


def test_equal_values_of_different_types_stay_apart() -> None:
    checks = CM.check_codes([1, 1.0, True, "1", 1])
    assert checks.text == ["1", "1.0", "True", "1", "1"]


@pytest.mark.parametrize(
    "values", ["E11.65", b"E11.65", {"E11.65": 1}, 3, None, {"E11.65"}, 2.5, math.nan]
)
def test_a_wrong_container_is_a_usage_error(values: object) -> None:
    for codeset in (CM, HC):
        with pytest.raises(UsageError, match="collection of codes"):
            codeset.check_codes(values)


def test_a_data_frame_is_not_a_column() -> None:
    import pandas as pd
    import polars as pl
    import pyarrow as pa
    frames = [pd.DataFrame({"dx": ["E11.65"]}), pl.DataFrame({"dx": ["E11.65"]})]
    frames.append(pa.table({"dx": ["E11.65"]}))
    for frame in frames:
        with pytest.raises(UsageError, match="one column"):
            CM.check_codes(frame)


def _columns() -> list[tuple[str, Callable[[list[object]], object]]]:
    import numpy as np
    import pandas as pd
    import polars as pl
    import pyarrow as pa
    return [
        ("pandas object", lambda xs: pd.Series(xs, dtype=object)),
        ("pandas string", lambda xs: pd.Series(xs, dtype="string")),
        ("pandas category", lambda xs: pd.Series(xs, dtype="category")),
        ("polars", lambda xs: pl.Series(xs, dtype=pl.Utf8)),
        ("pyarrow", lambda xs: pa.array(xs, type=pa.string())),
        ("pyarrow chunked", lambda xs: pa.chunked_array([xs[:3], xs[3:]], type=pa.string())),
        ("numpy", lambda xs: np.array(xs, dtype=object)),
        ("generator", lambda xs: (x for x in xs)),
        ("tuple", tuple),
    ]


def test_every_column_type_gives_the_answer_of_a_list() -> None:
    values: list[object] = ["E11.65", "e1165", None, "E11", "Z99.99", "E11.65", "S72.001"]
    want = CM.check_codes(values)
    for name, make in _columns():
        got = CM.check_codes(make(values))
        assert list(got) == list(want), name
        assert got.problem[2] is icd10cm.Problem.MISSING, name


def test_importing_medcodes_imports_no_dataframe_library() -> None:
    code = (
        "import sys, medcodes\n"
        "cm = medcodes.icd10cm.load()\n"
        "c = cm.check_codes(['E11.65', None, float('nan')], suggest=True)\n"
        "medcodes.hcpcs.load().check_codes(['J9308'])\n"
        "assert c.valid == [True, False, False]\n"
        "c.to_records(); repr(c); c._repr_html_()\n"
        "print(sorted(m for m in ('pandas', 'polars', 'pyarrow', 'numpy', 'dask')"
        " if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_work_is_done_once_per_distinct_value() -> None:
    rng = random.Random(3)
    distinct = ["E11.65", "e1165", "E11", None, "Z99.99", 7]
    values = [rng.choice(distinct) for _ in range(5000)]
    checks = CM.check_codes(values)
    assert len(checks) == 5000
    assert len(checks._rows) == len(distinct)
    assert checks.text == [v if isinstance(v, str) or v is None else repr(v) for v in values]


def test_records_and_frames_hold_the_same_rows() -> None:
    values = ["E11.65", None, "E11", "I10.1", "e1165", 42, "E11"]
    for suggest in (False, True):
        checks = CM.check_codes(values, suggest=suggest)
        records = checks.to_records()
        # The frames hold nulls where the records hold "" (one type per column).
        plain = [
            {k: (str(v) or None) if k in ("text", "code", "problem") else v for k, v in r.items()}
            for r in records
        ]
        assert records[3]["problem"] is icd10cm.Problem.EXTRA_CHARACTERS
        assert ("suggestions" in records[0]) is suggest
        assert checks.to_pandas().astype(object).where(lambda f: f.notna(), None).to_dict(
            "records"
        ) == plain
        assert checks.to_polars().to_dicts() == plain
        assert checks.to_arrow().to_pylist() == plain


def test_frames_write_to_parquet_and_read_back_equal(tmp_path: Path) -> None:
    import pandas as pd
    import polars as pl
    checks = HC.check_codes(["J9308", None, "99213", "G0001", "RT", "J9308"], suggest=True)
    frame = checks.to_pandas()
    frame.to_parquet(tmp_path / "a.parquet")
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "a.parquet"), frame)
    pframe = checks.to_polars()
    pframe.write_parquet(tmp_path / "b.parquet")
    assert pl.read_parquet(tmp_path / "b.parquet").equals(pframe)
    assert frame["problem"].tolist()[1:3] == ["missing", "malformed"]
    assert frame["problem"].isna().tolist() == [True, False, False, False, False, True]


def test_an_empty_column_gives_empty_frames() -> None:
    checks = CM.check_codes([])
    assert len(checks) == 0 and checks.counts() == {} and checks.to_records() == []
    assert len(checks.to_pandas()) == len(checks.to_polars()) == checks.to_arrow().num_rows == 0


def test_the_result_pickles_small_without_the_codeset() -> None:
    for checks in (
        CM.check_codes(["E11.65", "E11", None, "Z99.99", "S72.001"], suggest=True),
        HC.check_codes(["J9308", "G0001", None, "J93O8"], suggest=True),
    ):
        data = pickle.dumps(checks)
        assert len(data) <= 2048
        back = pickle.loads(data)
        assert back == checks and list(back) == list(checks)


def test_repr_and_html_are_short_and_count_problems() -> None:
    values = [*CM_KEYS[:2000], *(f"Q{i}" for i in range(500)), None, "<b>x</b>", 3]
    checks = CM.check_codes(values)
    counts = checks.counts()
    assert sum(counts.values()) == len(values)
    assert counts[icd10cm.Problem.MISSING] == 1
    assert len(repr(checks)) <= 300 and "2,503 values" in repr(checks)
    page = checks._repr_html_()
    assert "&lt;b&gt;x&lt;/b&gt;" not in page  # only the first rows are shown...
    assert f"{counts[icd10cm.Problem.MALFORMED]:,}" in page and "MALFORMED" in page
    assert "2,493 more" in page
    assert "&lt;b&gt;" in CM.check_codes(["<b>x</b>"])._repr_html_()  # ...escaped


def _one_edit_typos(n: int, seed: int) -> list[tuple[str, str]]:
    """``n`` (typo, intended code) pairs: one edit of a billable code (a wrong
    character, two swapped, one too many or too few, a misplaced dot, a
    placeholder X added or dropped), written with its dot; typos that are
    themselves valid codes are left out (nothing can tell them apart)."""
    rng = random.Random(seed)
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    billable = [n.key for n in CM.values() if n.billable]
    pairs: list[tuple[str, str]] = []
    while len(pairs) < n:
        key = rng.choice(billable)
        kind = rng.randrange(6)
        p = rng.randrange(len(key))
        if kind == 0:
            typo = key[:p] + rng.choice(alphabet) + key[p + 1 :]
        elif kind == 1:
            p = rng.randrange(len(key) - 1)
            typo = key[:p] + key[p + 1] + key[p] + key[p + 2 :]
        elif kind == 2:
            p = rng.randrange(len(key) + 1)
            typo = key[:p] + rng.choice(alphabet) + key[p:]
        elif kind == 3:
            typo = key[:p] + key[p + 1 :]
        elif kind == 4:
            x = key.find("X", 3)
            p = rng.randrange(3, len(key) + 1)
            typo = key[:x] + key[x + 1 :] if x > 0 else key[:p] + "X" + key[p:]
        else:
            p = rng.choice([q for q in range(1, len(key)) if q != 3])
            typo = key[:p] + "." + key[p:]
        written = typo if kind == 5 or len(typo) <= 3 else f"{typo[:3]}.{typo[3:]}"
        if not CM.check_code(written).valid:
            pairs.append((written, icd10cm.display_code(key)))
    return pairs


def test_suggestions_find_the_intended_code_of_one_edit_typos() -> None:
    pairs = _one_edit_typos(20_000, seed=12)
    checks = CM.check_codes([typo for typo, _ in pairs], suggest=True)
    found = sum(want in got for (_, want), got in zip(pairs, checks.suggestions, strict=True))
    assert found / len(pairs) >= 0.99
    assert max(len(s) for s in checks.suggestions) <= 32
    assert {p.name for p in checks.counts()} >= {
        "MALFORMED",
        "UNKNOWN",
        "NOT_BILLABLE",
        "EXTRA_CHARACTERS",
        "MISSING_PLACEHOLDER",
        "MISSING_SEVENTH_CHARACTER",
    }


def _dotted_form_typos(n: int, seed: int) -> list[tuple[str, str]]:
    """``n`` (typo, intended code) pairs: one edit (a wrong character, one too
    many or too few, two swapped) of the code as written with its dot, so that
    a character deleted just before or after the dot moves it ("M75.0" for
    M75.50, "Q7.01" for Q75.01)."""
    rng = random.Random(seed)
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    billable = [n.code for n in CM.billable_codes()]
    pairs: list[tuple[str, str]] = []
    while len(pairs) < n:
        code = rng.choice(billable)
        kind, p = rng.randrange(4), rng.randrange(len(code))
        if code[p] == "." or (kind == 3 and (p == len(code) - 1 or "." in code[p : p + 2])):
            continue
        typo = [
            code[:p] + rng.choice(alphabet) + code[p + 1 :],
            code[:p] + code[p + 1 :],
            code[:p] + rng.choice(alphabet) + code[p:],
            code[:p] + code[p + 1 : p + 2] + code[p] + code[p + 2 :],
        ][kind]
        if typo.replace(".", "") != code.replace(".", "") and not CM.check_code(typo).valid:
            pairs.append((typo, code))
    return pairs


def test_suggestions_find_the_intended_code_of_typos_of_the_dotted_form() -> None:
    pairs = _dotted_form_typos(10_000, seed=5)
    checks = CM.check_codes([typo for typo, _ in pairs], suggest=True)
    got = [want in s for (_, want), s in zip(pairs, checks.suggestions, strict=True)]
    assert sum(got) / len(pairs) >= 0.99
    deletions = [(t, w) for t, w in pairs if len(t) == len(w) - 1]
    assert len(deletions) > 1000
    assert CM.check_code("M75.0").suggestions.index("M75.50") < 16
    assert "Q75.01" in CM.check_code("Q7.01").suggestions


def test_without_suggest_no_suggestion_is_built() -> None:
    checks = CM.check_codes(["E11", "Z99.99", "E1.165", "S72.001"])
    assert not checks.suggested and checks.suggestions == [(), (), (), ()]
    assert CM.check_code("E1.165").suggestions[0] == "E11.65"  # a misplaced dot
    assert CM.check_code("S7.2001A").suggestions[0] == "S72.001A"


def test_check_codes_is_exported_for_both_systems() -> None:
    assert medcodes.CodeChecks is CodeChecks
    checks = icd10cm.check_codes(CM, ["E11.65"])
    assert isinstance(checks, CodeChecks) and checks.release == CM.release.label
    assert HC.check_codes(["J9308"]).day == HC.release.effective
    with pytest.raises(UsageError):
        CM.check_codes(["E11.65"], on="2026-05-01")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typo", "problem"),
    [("J93088", "MALFORMED"), ("9J308", "MALFORMED"), ("J3908", "UNKNOWN"), ("X9308", "UNKNOWN")],
)
def test_hcpcs_suggestions_cover_more_than_a_wrong_digit(typo: str, problem: str) -> None:
    check = HC.check_code(typo)
    assert check.problem is not None and check.problem.name == problem
    assert "J9308" in check.suggestions
    assert HC.check_codes([typo], suggest=True).suggestions == [check.suggestions]


# -- the review of issue 12 -----------------------------------------------------------


def test_join_aligns_the_rows_of_a_filtered_frame() -> None:
    import pandas as pd
    keys = random.Random(12).sample(CM_KEYS, 300)
    claims = pd.DataFrame({"dx": keys + ["E11", None, "99213"] * 20})
    filtered = claims[claims.index % 3 != 0]  # index 1, 2, 4, 5, ...
    checks = CM.check_codes(filtered["dx"])
    frame = checks.to_pandas()
    assert frame.index.equals(filtered.index)
    joined = filtered.join(frame[["code", "valid", "problem"]])
    for dx, valid in zip(joined["dx"], joined["valid"], strict=True):
        assert valid == CM.check_code(dx).valid, dx
    # Input that is not a pandas Series gives 0 .. n-1.
    assert CM.check_codes(list(filtered["dx"])).to_pandas().index.tolist() == list(
        range(len(filtered))
    )


def test_frames_have_fixed_types_even_empty() -> None:
    import polars as pl
    import pyarrow as pa
    for checks in (CM.check_codes([]), HC.check_codes([None]), CM.check_codes(["E11.65"])):
        frame = checks.to_pandas()
        assert {str(frame[c].dtype) for c in ("valid", "billable")} == {"bool"}
        assert {str(frame[c].dtype) for c in ("text", "code", "problem", "message")} == {"string"}
        assert checks.to_polars().schema["problem"] == pl.Utf8
        assert checks.to_arrow().schema.field("valid").type == pa.bool_()


def test_dask_result_writes_to_parquet(tmp_path: Path) -> None:
    """The how-to's partition function: meta from an empty partition has the
    types of every partition, so the result writes to parquet."""
    import dask.dataframe as dd
    import pandas as pd
    keys = random.Random(3).sample(CM_KEYS, 400)
    claims = pd.DataFrame({"claim": range(800), "dx1": keys * 2, "dx2": [None, "E11"] * 400})

    def validate(part: Any) -> Any:
        out = {"claim": part["claim"]}
        for column in ["dx1", "dx2"]:
            checks = CM.check_codes(part[column]).to_pandas(prefix=column + "_")
            out[column + "_valid"] = checks[column + "_valid"]
            out[column + "_problem"] = checks[column + "_problem"]
        return pd.DataFrame(out, index=part.index)

    frame = dd.from_pandas(claims, npartitions=4)
    meta = validate(claims.head(0))
    assert str(meta["dx1_valid"].dtype) == "bool" and str(meta["dx1_problem"].dtype) == "string"
    frame.map_partitions(validate, meta=meta).to_parquet(tmp_path / "out")
    back = pd.read_parquet(tmp_path / "out").sort_values("claim").reset_index(drop=True)
    expected = validate(claims)
    assert back["dx1_valid"].tolist() == expected["dx1_valid"].tolist()
    assert back["dx2_problem"].tolist() == expected["dx2_problem"].tolist()
    assert not back["dx2_valid"].all() and back["dx1_valid"].sum() > 0


def test_records_have_one_type_per_column_whatever_comes_first() -> None:
    import polars as pl
    leading = {"valid": ["E11.65"] * 150, "missing": [None] * 150, "malformed": ["99213"] * 150}
    for name, first in leading.items():
        for codeset in (CM, HC):
            records = codeset.check_codes([*first, "E11", None, "x", "J9308"]).to_records()
            frame = pl.DataFrame(records)  # polars infers the types from the first 100 rows
            assert frame.schema["problem"] == pl.Utf8 and frame.schema["text"] == pl.Utf8, name
            assert frame["problem"][-3] == "missing" and records[-3]["text"] == ""
            assert records[-4]["problem"] != "" and records[-3]["code"] == ""
            assert all(isinstance(r[k], str) for r in records for k in ("text", "code", "problem"))


@pytest.mark.parametrize("blank", ["", "  ", "\t"])
def test_blank_text_is_missing_and_kept_as_given(blank: str) -> None:
    for codeset in (CM, HC):
        check = codeset.check_code(blank)
        assert check.problem is not None and check.problem.name == "MISSING"
        assert check.text == blank and check.code is None
        bulk = codeset.check_codes(["E11.65", blank])
        assert bulk[1] == check


def test_the_same_problem_has_the_same_value_in_both_systems() -> None:
    shared = {p.name for p in icd10cm.Problem} & {p.name for p in hcpcs.Problem}
    assert {"MISSING", "MALFORMED", "UNKNOWN"} <= shared
    for name in shared:
        assert icd10cm.Problem[name].value == hcpcs.Problem[name].value, name
    icd = CM.check_codes(["Z99.99", "!!"]).to_pandas()["problem"].tolist()
    hcp = HC.check_codes(["G0001", "!!"]).to_pandas()["problem"].tolist()
    assert icd == hcp == ["unknown", "malformed"]


def test_checks_of_several_columns_sit_side_by_side() -> None:
    import pandas as pd
    import polars as pl
    frame = pl.DataFrame({"dx1": ["E1165", None, "Z99.99"], "dx2": ["I10", "E11", ""]})
    wide = pl.concat(
        [frame] + [CM.check_codes(frame[c]).to_polars(prefix=c + "_") for c in frame.columns],
        how="horizontal",
    )
    assert wide["dx1_problem"].to_list() == [None, "missing", "unknown"]
    assert wide["dx2_valid"].to_list() == [True, False, False]
    pframe = frame.to_pandas()
    joined = pframe.join(
        [CM.check_codes(pframe[c]).to_pandas(prefix=c + "_") for c in pframe.columns]
    )
    assert joined["dx2_problem"].tolist() == [pd.NA, "not billable", "missing"]
    assert CM.check_codes(["I10"]).to_arrow(prefix="dx_").column_names[0] == "dx_text"


def test_distinct_missing_objects_share_one_row() -> None:
    values: list[object] = [float("nan") for _ in range(3000)] + [None, "E11.65"]
    checks = CM.check_codes(values)
    assert len(checks) == 3002 and len(checks.to_records()) == 3002
    assert len(checks._rows) == 2  # one missing row, one valid row
    assert checks.counts()[icd10cm.Problem.MISSING] == 3001
    assert checks[2999] == CM.check_code(None) and checks[3001].valid


#: The codeset of a worker process of the how-to's multiprocessing recipe.
_WORKER_CODESET: list[icd10cm.Codeset] = []


def _load_in_worker() -> None:
    _WORKER_CODESET.append(icd10cm.load())


def _check_chunk(chunk: list[object]) -> CodeChecks:
    return _WORKER_CODESET[0].check_codes(chunk)


def test_the_multiprocessing_recipe_checks_chunks_in_two_processes() -> None:
    """The how-to's recipe: each worker loads the codeset once (initializer),
    and the pool maps check_codes over chunks, never check_code per value."""
    import multiprocessing
    import os

    rng = random.Random(2)
    values: list[object] = [rng.choice(CM_KEYS) for _ in range(20_000)] + [None, "x"] * 50
    chunks = [values[i : i + 5_000] for i in range(0, len(values), 5_000)]
    with multiprocessing.get_context("spawn").Pool(2, initializer=_load_in_worker) as pool:
        parts = pool.map(_check_chunk, chunks)
        pids = set(pool.map(_pid, range(2)))
    assert os.getpid() not in pids
    assert [c for part in parts for c in part.valid] == CM.check_codes(values).valid
    assert sum(len(p) for p in parts) == len(values)


def _pid(_: int) -> int:
    import os

    return os.getpid()
