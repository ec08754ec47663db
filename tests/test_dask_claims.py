"""A claims dataset validated on a local multi-process Dask cluster gives the
single-process answer, with the codeset shipped to each worker once.

The default run uses 100,000 claim rows; ``--claims-rows=1000000`` runs the
issue's million-row version. The wall times are printed (``-s``), not asserted.
"""

from __future__ import annotations

import os
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import cloudpickle
import dask.dataframe as dd
import distributed
import pandas as pd
import pytest

import medcodes

DX = [f"dx{i}" for i in range(1, 6)]


class Shipped:
    """The codeset as the workers receive it: each unpickling writes the pid of
    the process that did it to ``log``, so the test can count them."""

    def __init__(self, codeset: medcodes.icd10cm.Codeset, log: str) -> None:
        self.codeset = codeset
        self.log = log

    def __reduce__(self) -> tuple[Any, ...]:
        return (_unpickled, (self.codeset, self.log))


def _unpickled(codeset: medcodes.icd10cm.Codeset, log: str) -> Shipped:
    with open(log, "a") as fh:
        fh.write(f"{os.getpid()}\n")
    return Shipped(codeset, log)


def validate(part: Any, shipped: Shipped) -> Any:
    """The per-partition function: every diagnosis column checked in bulk."""
    cm = shipped.codeset
    out = {"claim_id": part["claim_id"].to_numpy(), "pid": os.getpid()}
    for column in DX:
        checks = cm.check_codes(part[column])
        out[f"{column}_valid"] = checks.valid
        out[f"{column}_problem"] = [p and p.name for p in checks.problem]
    return pd.DataFrame(out, index=part.index)


def _claims(cm: medcodes.icd10cm.Codeset, rows: int) -> Any:
    rng = random.Random(7)
    billable = [n.key for n in cm.billable_codes()]
    rng.shuffle(billable)
    weights = [1 / (rank + 1) ** 1.1 for rank in range(len(billable))]
    columns: dict[str, Any] = {"claim_id": range(rows)}
    for i, column in enumerate(DX):
        values: list[Any] = rng.choices(billable, weights, k=rows)
        for j in rng.sample(range(rows), rows // 20):  # 5% bad or empty
            values[j] = rng.choice([None, "E11", "Z99.99", "99213", values[j].lower()])
        if i > 0:  # later diagnosis columns are often empty
            for j in rng.sample(range(rows), rows // (2 + i)):
                values[j] = None
        columns[column] = values
    return pd.DataFrame(columns)


def test_dask_validation_on_two_worker_processes(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    rows = request.config.getoption("--claims-rows")
    cm = medcodes.icd10cm.load()
    claims = _claims(cm, rows)
    dataset = tmp_path / "claims"
    dd.from_pandas(claims, npartitions=16).to_parquet(dataset, write_index=False)
    assert len(list(dataset.glob("*.parquet"))) >= 8

    log = tmp_path / "unpickled.txt"
    start = time.perf_counter()
    single = validate(pd.read_parquet(dataset), Shipped(cm, str(log)))
    one_process = time.perf_counter() - start
    assert not log.exists()

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers need not import tests
    try:
        with (
            distributed.LocalCluster(
                n_workers=2,
                processes=True,
                threads_per_worker=1,
                host="127.0.0.1",
                dashboard_address=None,
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            start = time.perf_counter()
            shipped = client.scatter(Shipped(cm, str(log)), broadcast=True)
            scattered = time.perf_counter() - start
            frame = dd.read_parquet(dataset)
            assert frame.npartitions >= 8
            meta = validate(claims.head(0), Shipped(cm, str(log)))
            result = frame.map_partitions(validate, shipped, meta=meta).compute()
            on_cluster = time.perf_counter() - start
            workers = set(client.run(os.getpid).values())
    finally:
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])

    result = result.sort_values("claim_id").reset_index(drop=True)
    assert set(result["pid"]) <= workers and len(set(result["pid"])) == 2  # both worked
    single = single.sort_values("claim_id").reset_index(drop=True)
    assert single["claim_id"].tolist() == list(range(rows))
    pd.testing.assert_frame_equal(result.drop(columns="pid"), single.drop(columns="pid"))
    assert single["dx1_valid"].sum() > 0.9 * rows and not single["dx1_valid"].all()
    unpickled_by = Counter(map(int, log.read_text().split()))
    # Once per worker (the broadcast), never once per task (16 partitions); the
    # client process may copy it while building the graph, but ships no more.
    assert {pid: n for pid, n in unpickled_by.items() if pid in workers} == dict.fromkeys(
        workers, 1
    )
    assert set(unpickled_by) - workers <= {os.getpid()}
    print(
        f"\n{rows:,} claim rows x {len(DX)} columns: one process {one_process:.2f} s, "
        f"2 Dask workers {on_cluster:.2f} s = {on_cluster / one_process:.2f}x "
        f"(of which the broadcast of the codeset {scattered:.2f} s)"
    )
