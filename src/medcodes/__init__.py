"""medcodes: typed, fast readers for the official US code-set release files.

* :mod:`medcodes.icd10cm` - ICD-10-CM (diagnoses): hierarchy, validity, notes, diffs.
* :mod:`medcodes.hcpcs` - HCPCS Level II (supplies, drugs, services) and modifiers.
* :mod:`medcodes.errors` - the exceptions and warnings.
"""

from importlib.metadata import PackageNotFoundError, version

from . import errors, hcpcs, icd10cm
from .errors import (
    DefectWarning,
    MedcodesError,
    MedcodesWarning,
    MismatchError,
    ParseError,
    SourceError,
    SourceNotFoundError,
    UnknownCodeError,
    UsageError,
)
from .sources import SourceFile

try:
    __version__ = version("medcodes")  # one version: pyproject.toml's, from the metadata
except PackageNotFoundError:  # pragma: no cover - run from a source tree never installed
    __version__ = "0+unknown"

__all__ = [
    "DefectWarning",
    "MedcodesError",
    "MedcodesWarning",
    "MismatchError",
    "ParseError",
    "SourceError",
    "SourceFile",
    "SourceNotFoundError",
    "UnknownCodeError",
    "UsageError",
    "__version__",
    "errors",
    "hcpcs",
    "icd10cm",
]
