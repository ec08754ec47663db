"""medcodes: typed, fast readers for the official US code-set release files.

* :mod:`medcodes.icd10cm` - ICD-10-CM (diagnoses): hierarchy, validity, notes, diffs.
* :mod:`medcodes.hcpcs` - HCPCS Level II (supplies, drugs, services) and modifiers.
* :mod:`medcodes.bulk` - :class:`CodeChecks`, the checks of a whole column of codes.
* :mod:`medcodes.catalog` - the official releases: where, when, in force on a date.
* :func:`medcodes.fetch` - download a release into the local cache (never implicit).
* :class:`medcodes.DiffSummary` - the counts of a diff, the same type for both systems.
* :mod:`medcodes.errors` - the exceptions and warnings.
"""

from importlib.metadata import PackageNotFoundError, version

from . import bulk, catalog, errors, hcpcs, icd10cm
from .bulk import CodeChecks
from .cache import ReleaseRow, cache_dir, fetch, releases
from .errors import (
    DefectWarning,
    FetchError,
    MedcodesError,
    MedcodesWarning,
    MismatchError,
    ParseError,
    SourceError,
    SourceNotFoundError,
    StaleReleaseWarning,
    UnknownCodeError,
    UsageError,
)
from .sources import SourceFile
from .summary import DiffSummary

try:
    __version__ = version("medcodes")  # one version: pyproject.toml's, from the metadata
except PackageNotFoundError:  # pragma: no cover - run from a source tree never installed
    __version__ = "0+unknown"

__all__ = [
    "CodeChecks",
    "DefectWarning",
    "DiffSummary",
    "FetchError",
    "MedcodesError",
    "MedcodesWarning",
    "MismatchError",
    "ParseError",
    "ReleaseRow",
    "SourceError",
    "SourceFile",
    "SourceNotFoundError",
    "StaleReleaseWarning",
    "UnknownCodeError",
    "UsageError",
    "__version__",
    "bulk",
    "cache_dir",
    "catalog",
    "errors",
    "fetch",
    "hcpcs",
    "icd10cm",
    "releases",
]
