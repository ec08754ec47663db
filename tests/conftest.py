"""Shared fixtures: the real official files bundled with the package or kept in tests/data."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator

import pytest

import medcodes
from medcodes.icd10cm import Codeset, OrderFile
from medcodes.icd10cm.order import parse_order

from .helpers import (
    CDC_2026_ZIP,
    CMS_2025_ZIP,
    TABULAR_2025_APRIL,
    TABULAR_2026_APRIL,
    FileServer,
    serve_official_files,
    tabular_bytes,
)


@pytest.fixture(scope="session", autouse=True)
def _empty_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The tests never see the user's cache of fetched releases (MEDCODES_CACHE)."""
    before = os.environ.get("MEDCODES_CACHE")
    os.environ["MEDCODES_CACHE"] = str(tmp_path_factory.mktemp("medcodes-cache"))
    yield
    if before is None:
        del os.environ["MEDCODES_CACHE"]
    else:
        os.environ["MEDCODES_CACHE"] = before


@pytest.fixture(scope="session")
def cm() -> Codeset:
    """The bundled default release (April 1, 2026 tabular + FY2026 order file)."""
    return medcodes.icd10cm.load()


@pytest.fixture(scope="session")
def cm2025() -> Codeset:
    """The April 2025 tabular alone (no order file)."""
    return medcodes.icd10cm.load(TABULAR_2025_APRIL)


@pytest.fixture(scope="session")
def order2025() -> OrderFile:
    with zipfile.ZipFile(CMS_2025_ZIP) as zf:
        return parse_order(zf.read("icd10cm_order_2025.txt"), "icd10cm_order_2025.txt")


@pytest.fixture(scope="session")
def order2026() -> OrderFile:
    with zipfile.ZipFile(CDC_2026_ZIP) as zf:
        return parse_order(zf.read("icd10cm-order-2026.txt"), "icd10cm-order-2026.txt")


@pytest.fixture(scope="session")
def xml2026() -> bytes:
    return tabular_bytes(TABULAR_2026_APRIL)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fuzz-long",
        action="store_true",
        help="run ten times more fuzz cases per format (3,000 instead of 300)",
    )
    parser.addoption(
        "--claims-rows",
        type=int,
        default=100_000,
        help="claim rows of the Dask validation test (default 100,000; the issue's "
        "figure: --claims-rows=1000000)",
    )


@pytest.fixture(scope="session")
def fuzz_cases(request: pytest.FixtureRequest) -> int:
    """Mutated inputs per file format (``--fuzz-long``: ten times more)."""
    return 3000 if request.config.getoption("--fuzz-long") else 300


@pytest.fixture
def server() -> Iterator[FileServer]:
    """A real HTTP server on 127.0.0.1 serving official files under their
    official paths (see :func:`tests.helpers.serve_official_files`)."""
    with serve_official_files() as srv:
        yield srv
