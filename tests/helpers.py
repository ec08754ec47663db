"""Paths of the real official files and small helpers shared by the tests."""

from __future__ import annotations

import gzip
import unicodedata
from pathlib import Path

import medcodes

DATA = Path(__file__).parent / "data"
BUNDLED = Path(medcodes.__file__).parent / "_bundled"

#: Official files (see tests/data/README.md for where each comes from).
TABULAR_2025_APRIL = BUNDLED / "icd10cm-tabular-April-2025.xml.gz"
CMS_2025_ZIP = BUNDLED / "2025-code-descriptions-tabular-order.zip"
CDC_2024_ZIP = DATA / "icd10cm-CodesDescriptions-2024.zip"
ADDENDA_APRIL_2025 = (
    DATA / "icd10cm-order-addenda-April-2025.txt",
    DATA / "icd10cm-codes-addenda-April-2025.txt",
)
ADDENDA_APRIL_2026 = (
    DATA / "icd10cm-order-addenda-April-1-2026.txt",
    DATA / "icd10cm-codes-addenda-April-1-2026.txt",
)
TABULAR_2026_APRIL = BUNDLED / "icd10c-tabular-April-1-2026.xml.gz"
TABULAR_2017 = DATA / "icd10cm-2017" / "icd10cm_tabular_2017.xml.xz"
CDC_2026_ZIP = BUNDLED / "icd10cm-Code-Descriptions-2026.zip"


def fold(text: str) -> str:
    """Strip accents the way the ASCII text files spell them (é -> e)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def tabular_bytes(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes())


HCPCS = DATA / "hcpcs"
HCPCS_2017_ZIP = HCPCS / "2017-Alpha-Numeric-HCPCS-File.zip"
HCPCS_ANWEB = {
    2018: HCPCS / "2018-HCPC2018_CONTR_ANWEB_disc.txt.xz",
    2019: HCPCS / "2019-HCPC2019_CONTR_ANWEB.txt.xz",
    2020: HCPCS / "2020-HCPC2020_ANWEB_w_disclaimer.txt.xz",
}
HCPCS_REPORTS = {
    2018: HCPCS / "2018-HCPC18_Trans_Report_Alpha_ChangesbyHCPC.prn.xz",
    2019: HCPCS / "2019-Changes_by_HCPCSCode.prn.xz",
    2020: HCPCS / "2020-Changes_by_HCPC.prn.xz",
}
HCPCS_2019_CORRECTIONS = HCPCS / "2019-HCPCS-Alpha-Numeric-Corrections.zip"
HCPCS_2025_REPORT = HCPCS / "2025-HCPC2025_JAN_Transaction Report_12172024.xlsx"
HCPCS_2025_CORRECTIONS = HCPCS / "2025-HCPC2025_JAN_ANWEB_Corrections_12172024.xlsx"
