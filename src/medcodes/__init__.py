"""medcodes: typed, fast readers for the official US code-set release files.

* :mod:`medcodes.icd10cm` - ICD-10-CM (diagnoses): hierarchy, validity, notes, diffs.
* :mod:`medcodes.hcpcs` - HCPCS Level II (supplies, drugs, services) and modifiers.
* :mod:`medcodes.bulk` - :class:`CodeChecks`, the checks of a whole column of codes.
* :mod:`medcodes.errors` - the exceptions and warnings.
"""

from . import bulk, errors, hcpcs, icd10cm
from .bulk import CodeChecks
from .errors import (
    DefectWarning,
    MedcodesError,
    MedcodesWarning,
    MismatchError,
    ParseError,
    SourceError,
    UnknownCodeError,
    UsageError,
)
from .sources import SourceFile

__version__ = "0.1.0.dev0"

__all__ = [
    "CodeChecks",
    "DefectWarning",
    "MedcodesError",
    "MedcodesWarning",
    "MismatchError",
    "ParseError",
    "SourceError",
    "SourceFile",
    "UnknownCodeError",
    "UsageError",
    "__version__",
    "bulk",
    "errors",
    "hcpcs",
    "icd10cm",
]
