"""Finding official files in zips and folders; size limits; missing inputs."""

from __future__ import annotations

import datetime as dt
import errno
import pickle
import shutil
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

import medcodes
from medcodes.errors import ParseError, SourceError, UsageError

from .helpers import CMS_2025_ZIP, TABULAR_2025_APRIL, tabular_bytes


def test_missing_path() -> None:
    with pytest.raises(SourceError, match="no such file or folder"):
        medcodes.icd10cm.load("/nonexistent/icd10cm_tabular_2026.xml")


def test_folder_with_tabular_and_order_gives_both(tmp_path: Path) -> None:
    shutil.copy(TABULAR_2025_APRIL, tmp_path / "icd10cm-tabular-April-2025.xml.gz")
    shutil.copy(CMS_2025_ZIP, tmp_path)
    cs = medcodes.icd10cm.load(tmp_path)
    assert [s.format for s in cs.release.sources] == ["tabular", "order"]
    assert cs.release.sources[1].member == "icd10cm_order_2025.txt"
    assert cs["E11.65"].short_title == "Type 2 diabetes mellitus with hyperglycemia"
    assert cs.release.effective.isoformat() == "2025-04-01"


def test_zip_without_the_member_lists_what_it_saw(tmp_path: Path) -> None:
    z = tmp_path / "hcpcs.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("HCPC2025_JAN_ANWEB.txt", "x")
        zf.writestr("README.txt", "y")
    with pytest.raises(SourceError, match=r"found no .*HCPC2025_JAN_ANWEB.txt, README.txt"):
        medcodes.icd10cm.load(z)


def test_several_candidates_are_named(tmp_path: Path) -> None:
    shutil.copy(TABULAR_2025_APRIL, tmp_path / "icd10cm_tabular_2025.xml.gz")
    shutil.copy(TABULAR_2025_APRIL, tmp_path / "icd10cm-tabular-April-2025.xml.gz")
    with pytest.raises(SourceError, match="several files look like"):
        medcodes.icd10cm.load(tmp_path)


def test_size_limit_is_enforced_before_parsing() -> None:
    with pytest.raises(SourceError, match=r"over the limit|larger than the limit"):
        medcodes.icd10cm.load(CMS_2025_ZIP, max_bytes=1_000_000)


def test_zip_bomb_member_is_refused(tmp_path: Path) -> None:
    z = tmp_path / "bomb.zip"
    with zipfile.ZipFile(z, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("icd10cm_order_2030.txt", b"0" * 50_000_000)
    assert z.stat().st_size < 1_000_000
    with pytest.raises(SourceError, match="over the limit"):
        medcodes.icd10cm.load(z, max_bytes=10_000_000)


def test_not_a_zip_with_zip_magic(tmp_path: Path) -> None:
    bad = tmp_path / "broken.zip"
    bad.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(ParseError, match="not a readable zip"):
        medcodes.icd10cm.load(bad)


def test_a_single_file_is_recognised_by_content(tmp_path: Path) -> None:
    import gzip

    tab = tmp_path / "download"
    tab.write_bytes(gzip.decompress(TABULAR_2025_APRIL.read_bytes()))
    assert [s.format for s in medcodes.icd10cm.load(tab).release.sources] == ["tabular"]
    with zipfile.ZipFile(CMS_2025_ZIP) as zf:
        (tmp_path / "codes").write_bytes(zf.read("icd10cm_order_2025.txt"))
    cs = medcodes.icd10cm.load(tmp_path / "codes", fiscal_year=2025)
    assert [s.format for s in cs.release.sources] == ["order"]


def test_files_over_the_bound_of_their_kind_are_refused_unread(tmp_path: Path) -> None:
    for name, load in (
        ("icd10cm_tabular_2026.xml", medcodes.icd10cm.load),
        ("HCPC2025_JAN_ANWEB.txt", medcodes.hcpcs.load),
    ):
        path = tmp_path / name
        with path.open("wb") as fh:
            fh.truncate(65 << 20)  # sparse: 65 MiB that cost no disk
        start = time.perf_counter()
        with pytest.raises(SourceError, match=r"larger than the limit of 67108864 bytes"):
            load(path)
        assert time.perf_counter() - start < 1


def test_a_renamed_tabular_in_a_zip_is_its_one_xml(tmp_path: Path) -> None:
    # As for a single renamed file: the one XML of a zip or folder is the tabular.
    # Its name no longer says "April": the October release, unless told otherwise.
    path = tmp_path / "tabular.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("tabular.xml", tabular_bytes(TABULAR_2025_APRIL))
        zf.writestr("readme.txt", "unpacked and renamed by hand\n")
    assert medcodes.icd10cm.load(path).release.effective == dt.date(2024, 10, 1)
    april = medcodes.icd10cm.load(path, effective=dt.date(2025, 4, 1))
    assert april.release.label == "ICD-10-CM FY2025 (effective 2025-04-01)"
    assert len(april.billable_codes()) == 74260


def test_a_folder_of_folders_says_they_are_not_searched(tmp_path: Path) -> None:
    (tmp_path / "2025").mkdir()
    with pytest.raises(SourceError, match="sub-folders are not searched"):
        medcodes.hcpcs.load(tmp_path)


def test_several_renamed_xml_files_are_named(tmp_path: Path) -> None:
    path = tmp_path / "xmls.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("a.xml", b"<ICD10CM.tabular/>")
        zf.writestr("drug.xml", b"<ICD10CM.index/>")
    with pytest.raises(SourceError, match=r"several XML files, none with .*a\.xml.*drug\.xml"):
        medcodes.icd10cm.load(path)


LOADERS = [
    medcodes.icd10cm.load,
    medcodes.hcpcs.load,
    medcodes.icd10cm.load_addenda,
    medcodes.hcpcs.load_corrections,
]


@pytest.mark.parametrize("loader", LOADERS, ids=lambda f: f"{f.__module__}.{f.__name__}")
def test_a_missing_file_is_a_file_not_found_error(tmp_path: Path, loader: Any) -> None:
    missing = tmp_path / "no-such-release.zip"
    with pytest.raises(FileNotFoundError) as caught:
        loader(missing)
    exc = caught.value
    assert isinstance(exc, medcodes.SourceNotFoundError)
    assert isinstance(exc, SourceError) and isinstance(exc, OSError)
    assert (exc.errno, exc.filename) == (errno.ENOENT, str(missing))
    assert str(exc) == f"{missing}: no such file or folder"
    again = pickle.loads(pickle.dumps(exc))
    assert (type(again), str(again)) == (type(exc), str(exc))


@pytest.mark.parametrize("loader", LOADERS, ids=lambda f: f"{f.__module__}.{f.__name__}")
def test_bytes_are_not_a_path(loader: Any) -> None:
    data = TABULAR_2025_APRIL.read_bytes()[:100]
    for value in (data, bytes(TABULAR_2025_APRIL), bytearray(b"x.xml")):
        with pytest.raises(UsageError, match=r"are not a path: pass the path as a str"):
            loader(value)
