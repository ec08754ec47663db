"""Loaded codesets are safe to share: pickling (multiprocessing, Dask, Spark)
and reading from many threads at once give the single-threaded answers."""

from __future__ import annotations

import pickle
import random
from concurrent.futures import ThreadPoolExecutor

import pytest

import medcodes
from medcodes.icd10cm import Codeset


def _answers(cm: Codeset, codes: list[str]) -> list[object]:
    out: list[object] = []
    for code in codes:
        node = cm[code]
        out.append(
            (
                node.title,
                [a.code for a in node.ancestors()],
                cm.check_code(code).valid,
                len(cm.effective_notes(code)),
                len(cm.conflicts(code, codes[0])),
            )
        )
    return out


def test_icd10cm_codesets_pickle(cm: Codeset) -> None:
    copy = pickle.loads(pickle.dumps(cm))
    assert copy.release == cm.release and len(copy) == len(cm)
    codes = [n.code for n in random.Random(3).sample(cm.billable_codes(), 200)]
    assert _answers(copy, codes) == _answers(cm, codes)
    node = pickle.loads(pickle.dumps(cm["E11.9"]))
    assert node.code == "E11.9" and node.title == cm["E11.9"].title


def test_hcpcs_codesets_pickle() -> None:
    hc = medcodes.hcpcs.load()
    copy = pickle.loads(pickle.dumps(hc))
    assert copy.release == hc.release and len(copy) == len(hc)
    assert copy.records() == hc.records() and copy.modifier_records() == hc.modifier_records()
    with pytest.raises(AttributeError, match="immutable"):
        copy._codes = {}  # type: ignore[misc]


def test_eight_threads_get_the_single_threaded_answers() -> None:
    fresh = medcodes.icd10cm.load()  # nothing built lazily yet: threads race to build it
    reference = medcodes.icd10cm.load()
    rng = random.Random(5)
    batches = [[n.code for n in rng.sample(reference.billable_codes(), 150)] for _ in range(8)]
    expected = [_answers(reference, batch) for batch in batches]
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda batch: _answers(fresh, batch), batches))
    assert got == expected
