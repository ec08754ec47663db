"""The source distribution is enough to run the tests: ``python -m build --sdist``,
unpacked elsewhere, holds every file of the repository that the tests, the docs and
the licence need; a wheel built from it installs in a fresh venv, and pytest run in
the unpacked folder passes a fast subset against that installed package."""

from __future__ import annotations

import email.parser
import subprocess
import sys
import tarfile
from pathlib import Path

from .helpers import venv_with_wheel

ROOT = Path(__file__).parents[1]


def _tracked(*folders: str) -> set[str]:
    """The files git tracks under ``folders`` (the repository's own, not build
    output); from an unpacked sdist, which has no git, the files there."""
    if not (ROOT / ".git").exists():
        return {
            p.relative_to(ROOT).as_posix()
            for f in folders
            for p in (ROOT / f).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and "_build" not in p.parts
        }
    out = subprocess.run(
        ["git", "ls-files", "-z", "--", *folders],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(out.split("\0")) - {""}


def test_the_sdist_runs_the_tests(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (sdist,) = dist.glob("medcodes-*.tar.gz")
    with tarfile.open(sdist) as tar:
        tar.extractall(tmp_path / "unpacked", filter="data")
    (src,) = (tmp_path / "unpacked").iterdir()
    have = {p.relative_to(src).as_posix() for p in src.rglob("*") if p.is_file()}
    wanted = _tracked("tests", "src", "docs", "scripts") | {
        "LICENSE",
        "NOTICE",
        "README.md",
        "CHANGELOG.md",
        "pyproject.toml",
    }
    assert "tests/conftest.py" in wanted and "tests/data/README.md" in wanted
    assert sorted(wanted - have) == []
    meta = email.parser.Parser().parsestr((src / "PKG-INFO").read_text(encoding="utf-8"))
    assert meta["License-Expression"] == "MIT"
    assert sorted(meta.get_all("License-File") or []) == ["LICENSE", "NOTICE"]
    assert "Intended Audience :: Healthcare Industry" in (meta.get_all("Classifier") or [])

    # A wheel built from the unpacked sdist, installed in a fresh venv.
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(src)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("medcodes-*.whl")
    # pytest, hypothesis, attrs and lxml come from this environment (no network).
    import attrs
    import pytest

    env_dir = tmp_path / "venv"
    python, env = venv_with_wheel(wheel, env_dir, attrs, pytest)
    where = subprocess.run(
        [str(python), "-c", "import medcodes; print(medcodes.__file__)"],
        cwd=src,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert where.startswith(str(env_dir))  # the installed package, not ./src
    run = subprocess.run(
        [
            str(python),
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_addenda.py",
            "tests/test_order.py",
            "tests/test_cli.py::test_version_is_the_package_metadata_version",
            "tests/test_cli.py::test_check_exit_status_and_formats",
        ],
        cwd=src,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert " passed" in run.stdout and "skipped" not in run.stdout
