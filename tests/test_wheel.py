"""The package as users get it: ``python -m build`` makes a wheel and an sdist;
the wheel, installed in a fresh venv, runs the README tour with its bundled
data and nothing from the source tree."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from .helpers import venv_with_wheel

ROOT = Path(__file__).parents[1]


def test_the_wheel_runs_the_tour_on_its_bundled_data(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("medcodes-*.whl")
    assert list(dist.glob("medcodes-*.tar.gz"))
    assert wheel.stat().st_size < 10 * 2**20
    # attrs and lxml come from this environment's site-packages (no network in
    # the test); medcodes only from the wheel.
    import attrs
    import lxml

    env_dir = tmp_path / "venv"
    python, env = venv_with_wheel(wheel, env_dir, attrs, lxml)
    run_dir = tmp_path / "elsewhere"
    run_dir.mkdir()
    shutil.copy(ROOT / "scripts" / "tour.py", run_dir / "tour.py")
    out = subprocess.run(
        [
            str(python),
            "-c",
            "import medcodes, runpy; print(medcodes.__file__); "
            "runpy.run_path('tour.py', run_name='__main__')",
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=run_dir,
        env=env,
    ).stdout
    assert out.splitlines()[0].startswith(str(env_dir))  # imported from the wheel
    assert "74,719 billable codes" in out and "8,259 procedure codes" in out
    # the console script, and the licence files in the wheel's metadata
    check = subprocess.run(
        [str(env_dir / "bin" / "medcodes"), "check", "E11.9", "J9308", "--format", "csv"],
        capture_output=True,
        text=True,
        cwd=run_dir,
        env=env,
    )
    assert check.returncode == 0, check.stderr
    assert check.stdout.splitlines()[1].startswith(",E11.9,icd10cm,E11.9,True,")
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
    assert {"LICENSE", "NOTICE"} <= {Path(n).name for n in names if "licenses/" in n}
