"""Paths of the real official files and small helpers shared by the tests."""

from __future__ import annotations

import contextlib
import gzip
import http.server
import threading
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import medcodes
from medcodes import catalog

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


#: Catalog files whose official bytes the repository holds: (system, release) -> file.
REAL_FILES = {
    ("icd10cm", "2024"): CDC_2024_ZIP,
    ("icd10cm", "2025"): CMS_2025_ZIP,
    ("hcpcs", "2017-01"): HCPCS_2017_ZIP,
}


def official_path(system: str, release: str) -> str:
    """The path of the official URL of a release's order (or ANWEB) file."""
    (f,) = [f for f in catalog.entry(system, release).files if f.part in ("order", "anweb")]
    return unquote(urlsplit(f.url).path)


class _Handler(http.server.BaseHTTPRequestHandler):
    server: FileServer

    def do_GET(self) -> None:
        path = unquote(self.path)
        self.server.requests.append(path)
        data = self.server.files.get(path)
        if data is None:
            self.send_error(404, "Not Found")
            return
        mode = self.server.mode
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if mode == "cut":  # half the file, then the connection is closed
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        if mode == "stall":  # a first piece, then nothing for longer than the timeout
            self.wfile.write(data[:1000])
            self.wfile.flush()
            self.server.release.wait(5)
            return
        step = 1 << 16
        for i in range(0, len(data), step):
            self.wfile.write(data[i : i + step])
            if mode == "slow":
                time.sleep(0.01)

    def log_message(self, format: str, *args: object) -> None:
        pass


class FileServer(http.server.ThreadingHTTPServer):
    """A real HTTP server on 127.0.0.1 serving ``files`` (official path ->
    bytes), recording the paths asked in ``requests``; ``mode`` is ``normal``,
    ``cut`` (half a file, then the connection closed), ``stall`` or ``slow``."""

    daemon_threads = True
    files: dict[str, bytes]
    requests: list[str]
    mode: str
    release: threading.Event

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@contextlib.contextmanager
def serve_official_files() -> Iterator[FileServer]:
    """A :class:`FileServer` in a thread holding :data:`REAL_FILES` under their
    official paths, shut down on exit."""
    srv = FileServer(("127.0.0.1", 0), _Handler)
    srv.files = {official_path(*key): path.read_bytes() for key, path in REAL_FILES.items()}
    srv.requests = []
    srv.mode = "normal"
    srv.release = threading.Event()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.release.set()
        srv.shutdown()
        srv.server_close()
        thread.join()


def venv_with_wheel(wheel: Path, where: Path, *deps: object) -> tuple[Path, dict[str, str]]:
    """A fresh venv at ``where`` with only ``wheel`` installed (no network), its
    python, and an environment that finds ``deps`` (modules of this
    environment, e.g. attrs, lxml, pytest) through PYTHONPATH."""
    import os
    import subprocess
    import venv

    venv.create(where, with_pip=True)
    python = where / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    paths = {str(Path(m.__file__).parents[1]) for m in deps}  # type: ignore[attr-defined]
    return python, {**os.environ, "PYTHONPATH": os.pathsep.join(sorted(paths))}
