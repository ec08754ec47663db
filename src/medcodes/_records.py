"""Change records as CSV, shared by the ICD-10-CM and HCPCS diffs (their
records have the same keys, so one file format serves both)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

#: The columns of a change record, in CSV order.
COLUMNS = (
    "code",
    "change",
    "level",
    "billable",
    "before",
    "after",
    "note_kind",
    "detail",
    "related",
)


def records_to_csv(records: Iterable[dict[str, Any]]) -> str:
    """The records as CSV text with a heading row (``related`` joined with
    spaces), in :data:`COLUMNS`: a system's own columns (ICD-10-CM's chapter and
    block, HCPCS's section) are left out, so both systems write one format."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for record in records:
        writer.writerow({**record, "related": " ".join(record["related"])})
    return out.getvalue()
