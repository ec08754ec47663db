"""The local cache of official release files, and the explicit download into it.

Nothing is ever downloaded behind your back: :func:`fetch` is the only
function that touches the network, and only when called. The loaders look in
the cache (``medcodes.icd10cm.load(fiscal_year=2027)``,
``medcodes.hcpcs.load(year=2026, month=10)``) and say how to fetch what is
missing.

The cache is the folder named by the environment variable ``MEDCODES_CACHE``,
else the platform's user cache folder (``$XDG_CACHE_HOME/medcodes`` or
``~/.cache/medcodes`` on Linux, ``~/Library/Caches/medcodes`` on macOS,
``%LOCALAPPDATA%\\medcodes\\Cache`` on Windows). A release's files sit in
``<cache>/<system>/<release>/`` under their official names: a file downloaded
by hand can be put there: the loaders check its size, :func:`fetch` also its SHA-256.
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import os
import re
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

from attrs import frozen

from .catalog import CATALOG, SYSTEMS, CatalogEntry, CatalogFile, _system, entry, today
from .errors import FetchError, UsageError

__all__ = ["ReleaseRow", "cache_dir", "cached_files", "fetch", "release_folder", "releases"]

#: The largest file a download accepts when the catalog does not know its size
#: (the biggest official file is a 44 MB zip).
MAX_UNKNOWN_SIZE = 128 << 20
#: The slowest average rate a download may have before it is given up, in
#: bytes per second (a bound on its total time, on top of ``timeout``).
MIN_RATE = 20_000

#: The bundled releases, by system (kept equal to the loaders' tables by a test).
BUNDLED: dict[str, tuple[str, ...]] = {"icd10cm": ("2025-04", "2026-04"), "hcpcs": ("2025-01",)}


def cache_dir() -> Path:
    """The cache folder: ``MEDCODES_CACHE`` if set, else the platform's user
    cache folder for medcodes (it need not exist yet): ``$XDG_CACHE_HOME/medcodes``
    or ``~/.cache/medcodes`` on Linux, ``~/Library/Caches/medcodes`` on macOS,
    ``%LOCALAPPDATA%\\medcodes\\Cache`` on Windows."""
    env = os.environ.get("MEDCODES_CACHE", "").strip()
    if env:  # made absolute now: a later chdir must not move the cache
        return Path(env).expanduser().absolute()
    home = Path.home()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA", "").strip()
        return (Path(base) if base else home / "AppData" / "Local") / "medcodes" / "Cache"
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "medcodes"
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(xdg) if xdg and os.path.isabs(xdg) else home / ".cache") / "medcodes"


def _root(cache: str | os.PathLike[str] | None) -> Path:
    if cache is None:
        return cache_dir()
    if isinstance(cache, (str, os.PathLike)) and os.fspath(cache).strip():
        return Path(cache).expanduser().absolute()
    raise UsageError(f"cache_dir must be a folder path, not {cache!r}")


def _folder(root: Path, e: CatalogEntry) -> Path:
    return root / e.system / e.release


def release_folder(
    system: str, release: str | int, *, cache_dir: str | os.PathLike[str] | None = None
) -> Path:
    """The folder of the cache where a release's files go (it need not exist).

    >>> release_folder("icd10cm", 2027, cache_dir="my-cache").parts[-3:]
    ('my-cache', 'icd10cm', '2027')
    """
    return _folder(_root(cache_dir), entry(system, release))


def _good_size(path: Path, f: CatalogFile) -> bool:
    try:
        size = path.stat().st_size
    except OSError:
        return False
    return path.is_file() and (f.size is None or size == f.size) and size > 0


def cached_files(
    system: str, release: str | int, *, cache_dir: str | os.PathLike[str] | None = None
) -> dict[str, Path]:
    """The files of a release that are in the cache, by part (``"order"``,
    ``"tabular"``, ``"anweb"``): those present with the catalog's size (their
    SHA-256 was checked when they were fetched). Never downloads.

    :raises ~medcodes.errors.UsageError: the catalog has no such release.
    """
    e = entry(system, release)
    folder = _folder(_root(cache_dir), e)
    found: dict[str, Path] = {}
    for f in e.files:
        path = folder / f.name
        if _good_size(path, f):
            found[f.part] = path
    return found


def _wrong_files(e: CatalogEntry, cache: str | os.PathLike[str] | None = None) -> list[str]:
    """What is in a release's cache folder but is not usable: a file under an
    official name with the wrong size (naming the official file of that size,
    if any), and files under other names (naming the release they belong to
    when theirs is another official name). Empty when the folder is absent."""
    root = _root(cache)
    folder = _folder(root, e)
    out: list[str] = []
    for f in e.files:
        path = folder / f.name
        try:
            st = path.stat()
        except OSError:
            continue  # absent: not wrong
        if not path.is_file():
            out.append(f"{path} is not a file")
        elif st.st_size == 0:
            out.append(f"{path} is empty")
        elif f.size is not None and st.st_size != f.size:
            same = [
                g.name for x in CATALOG for g in x.files
                if x.system == e.system and g.size == st.st_size
            ]  # fmt: skip
            like = f" (the size of {same[0]})" if same else ""
            out.append(f"{path} has {st.st_size:,} bytes, not the official {f.size:,}{like}")
    ours = {f.name for f in e.files}
    try:
        others = sorted(
            p.name
            for p in folder.iterdir()
            if p.name not in ours and not p.name.startswith(".") and p.is_file()
        )
    except OSError:
        others = []
    for name in others:
        owner = next(
            (x for x in CATALOG if x.system == e.system and any(g.name == name for g in x.files)),
            None,
        )
        if owner is not None:
            out.append(
                f"{folder / name} is a file of {owner.label}, not of {e.label}: its place is "
                f"{_folder(root, owner)}"
            )
        else:
            out.append(
                f"{folder / name} is not an official file name of {e.label} (expected: "
                + ", ".join(sorted(ours))
                + ")"
            )
    return out


def fetch_hint(e: CatalogEntry, cache: str | os.PathLike[str] | None = None) -> str:
    """How to get a release into the cache, for error messages."""
    folder = _folder(_root(cache), e)
    urls = ", ".join(f.url for f in e.files)
    return (
        f"fetch it with medcodes.fetch({e.system!r}, {e.release!r}) or `medcodes fetch "
        f"{e.system} {e.release}`, or download {urls} and put the file(s) in {folder}"
    )


def fetch(
    system: str,
    release: str | int,
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    parts: tuple[str, ...] | None = None,
    mirror: str | None = None,
    timeout: float = 30.0,
    progress: bool | None = None,
) -> Path:
    """Download an official release into the cache (if it is not there yet)
    and return its cache folder.

    Each file is downloaded with the standard library into a temporary file in
    the release's cache folder, checked (its size, and its SHA-256 where the
    catalog knows it; a file of unknown size must be a readable zip), then
    renamed into place: the cache never holds a half or wrong file, and two
    processes fetching the same release at once both end with the one good
    file. A file already in the cache with the right size and SHA-256 is not
    downloaded again (no request is made).

    :param system: ``"icd10cm"`` or ``"hcpcs"``.
    :param release: the catalog name, e.g. ``"2027"``, ``"2026-04"`` (ICD-10-CM)
        or ``"2025-10"`` (HCPCS); see :data:`medcodes.catalog.CATALOG`.
    :param cache_dir: the cache folder (default: :func:`cache_dir`).
    :param parts: only these parts, e.g. ``("order",)`` for an ICD-10-CM order
        file without the 20 MB tabular zip (default: every part).
    :param mirror: a base URL (``http://host:port``) that replaces the official
        scheme and host, keeping the official path; default: the environment
        variable ``MEDCODES_MIRROR`` if set, else the official URLs.
    :param timeout: seconds a connection or a read may wait before the
        download is given up; a whole file must also arrive at 20 kB/s on average.
    :param progress: show a progress bar on stderr (default: when stderr is a
        terminal).
    :raises ~medcodes.errors.FetchError: a download failed or gave the wrong
        file; the message names the URL and where to put a manual download.
    :raises ~medcodes.errors.UsageError: no such release or part in the catalog.
    """
    e = entry(system, release)
    root = _root(cache_dir)
    if not e.files:
        raise UsageError(f"{e.label}: nothing to fetch ({e.note})")
    known = {f.part for f in e.files}
    if parts is not None:
        if isinstance(parts, str) or not all(isinstance(p, str) for p in parts):
            raise UsageError(f"parts must be a tuple of part names, not {parts!r}")
        unknown = sorted(set(parts) - known)
        if unknown:
            raise UsageError(f"{e.label} has no part {unknown}; it has {sorted(known)}")
    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or not timeout > 0:
        raise UsageError(f"timeout must be a positive number of seconds, not {timeout!r}")
    base = mirror if mirror is not None else os.environ.get("MEDCODES_MIRROR", "").strip()
    if base and urlsplit(base).scheme not in ("http", "https"):
        raise UsageError(f"the mirror must be an http:// or https:// URL, not {base!r}")
    show = sys.stderr.isatty() if progress is None else bool(progress)
    folder = _folder(root, e)
    for f in e.files:
        if parts is not None and f.part not in parts:
            continue
        urls = [base.rstrip("/") + urlsplit(u).path if base else u for u in f.all_urls]
        _fetch_file(e, f, urls, folder, float(timeout), show)
    return folder


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _is_good(path: Path, f: CatalogFile) -> bool:
    """A file already in the cache that is the catalog's file."""
    if not _good_size(path, f):
        return False
    try:
        return f.sha256 is None or _sha256(path) == f.sha256
    except OSError:
        return False


class _NotFound(FetchError):
    """The server answered 404 (another official URL may be tried)."""


def _fetch_file(
    e: CatalogEntry, f: CatalogFile, urls: list[str], folder: Path, timeout: float, show: bool
) -> None:
    """Put the catalog file ``f`` of release ``e`` in ``folder``, trying
    ``urls`` in turn while they answer 404."""
    final = folder / f.name
    if _is_good(final, f):
        return
    _clean_stale_parts(final)
    first: _NotFound | None = None
    for url in urls:
        try:
            return _fetch_one(e, f, url, final, timeout, show)
        except _NotFound as exc:
            first = first or exc
    assert first is not None
    also = f" (also tried {', '.join(urls[1:])})" if len(urls) > 1 else ""
    raise FetchError(str(first).replace("; nothing", also + "; nothing", 1), url=first.url)


#: A temporary ``.part`` file older than this (seconds) is a killed fetch's leftover.
STALE_PART_AGE = 24 * 3600


def _clean_stale_parts(final: Path) -> None:
    """Remove the temporary files a killed fetch of ``final`` left behind (those
    older than a day: a younger one may be another process's download)."""
    old = time.time() - STALE_PART_AGE
    try:
        leftovers = list(final.parent.glob(f".{glob.escape(final.name)}.*.part"))
    except OSError:
        return
    for path in leftovers:
        try:
            if path.stat().st_mtime < old:
                path.unlink()
        except OSError:
            pass  # gone already, or not ours to remove: harmless


def _umask() -> int:
    """The process's umask: read from /proc where there is one (setting it to
    read it would, for an instant, change it for every thread)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def _fetch_one(
    e: CatalogEntry, f: CatalogFile, url: str, final: Path, timeout: float, show: bool
) -> None:
    folder = final.parent
    manual = f"download it by hand from {f.url} and put it at {final}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{f.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise FetchError(f"cannot write to the cache folder {folder} ({exc})", url=url) from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            digest = _download(url, out, f, timeout, show, manual)
            out.flush()
            os.fsync(out.fileno())
        if f.sha256 is not None and digest != f.sha256:
            raise FetchError(
                f"{url}: the file's SHA-256 is {digest}, not the official {f.sha256}; "
                f"nothing was cached; {manual}",
                url=url,
            )
        if f.size is None:
            _check_unknown(tmp, e, f, url, manual)
        # mkstemp makes the file -rw-------: give it the mode any new file gets.
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, final)
    except BaseException:  # a failed check, a network error, Ctrl-C: no half file
        tmp.unlink(missing_ok=True)
        raise


#: The data file an HCPCS zip must hold (the loader's ANWEB_NAME, kept equal by a test).
_ANWEB = re.compile(r"(?i)HCPC\w*ANWEB\w*\.txt(\.gz|\.xz)?$")


def _check_unknown(path: Path, e: CatalogEntry, f: CatalogFile, url: str, manual: str) -> None:
    """A file the catalog knows no size or checksum of must be a zip holding
    the data file its part needs; an HCPCS data file whose name says another
    year or month than release ``e`` is refused, as the loader would refuse it."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = [n.rsplit("/", 1)[-1] for n in zf.namelist()]
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FetchError(
            f"{url}: not a zip file ({exc}); nothing was cached; {manual}", url=url
        ) from exc
    if f.part == "anweb" and not any(_ANWEB.search(n) for n in names):
        raise FetchError(
            f"{url}: a zip without an HCPCS ANWEB data file (it holds "
            f"{', '.join(names[:10]) or 'nothing'}); nothing was cached; {manual}",
            url=url,
        )
    if f.part == "anweb":
        from .hcpcs.loader import _month, _year  # (the loader imports this module)

        for name in (n for n in names if _ANWEB.search(n)):
            said = (_year([name]), _month([name]))
            for what, named, wanted in zip(
                ("year", "month"), said, (e.effective.year, e.effective.month), strict=True
            ):
                if named is not None and named != wanted:
                    raise FetchError(
                        f"{url}: its data file {name} says {what} {named}, not the "
                        f"{wanted} of {e.label} (a file of another release); nothing was "
                        f"cached; {manual}",
                        url=url,
                    )


def _download(
    url: str, out: IO[bytes], f: CatalogFile, timeout: float, show: bool, manual: str
) -> str:
    """Stream ``url`` into ``out``; the SHA-256 of what was written."""
    limit = f.size if f.size is not None else MAX_UNKNOWN_SIZE
    deadline = time.monotonic() + timeout + limit / MIN_RATE
    h = hashlib.sha256()
    done = 0
    # The network modules are imported here, by a fetch only: ``import medcodes``
    # in every claims worker does not pay for them.
    import http.client
    import urllib.error
    import urllib.request

    try:
        request = urllib.request.Request(url, headers={"User-Agent": "medcodes"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            offered = int(length) if length is not None and length.isdigit() else None
            if f.size is not None and offered is not None and offered != f.size:
                raise FetchError(
                    f"{url}: the server offers {length} bytes, not the official "
                    f"{f.size}; nothing was cached; {manual}",
                    url=url,
                )
            while chunk := response.read(1 << 16):
                done += len(chunk)
                if done > limit:
                    raise FetchError(
                        f"{url}: more than the {limit} bytes expected; nothing was cached; "
                        f"{manual}",
                        url=url,
                    )
                if time.monotonic() > deadline:
                    raise FetchError(
                        f"{url}: too slow (under {MIN_RATE} bytes per second); nothing was "
                        f"cached; {manual}",
                        url=url,
                    )
                h.update(chunk)
                out.write(chunk)
                if show:
                    _progress(f.name, done, f.size)
    except FetchError:
        raise
    except urllib.error.HTTPError as exc:
        error = _NotFound if exc.code == 404 else FetchError
        raise error(
            f"{url}: the server answered {exc.code} {exc.reason}; nothing was cached; {manual}",
            url=url,
        ) from exc
    except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise FetchError(
            f"{url}: download failed ({type(exc).__name__}: {reason}); nothing was cached; "
            f"{manual}",
            url=url,
        ) from exc
    finally:
        if show:
            sys.stderr.write("\n")
    if f.size is not None and done != f.size:
        raise FetchError(
            f"{url}: got {done} bytes, not the official {f.size} (connection cut?); "
            f"nothing was cached; {manual}",
            url=url,
        )
    return h.hexdigest()


def _progress(name: str, done: int, size: int | None) -> None:
    if size:
        width = 30
        filled = width * done // size
        bar = "#" * filled + "-" * (width - filled)
        text = f"\r{name} [{bar}] {done / 1e6:6.1f}/{size / 1e6:.1f} MB"
    else:
        text = f"\r{name} {done / 1e6:6.1f} MB"
    sys.stderr.write(text)
    sys.stderr.flush()


@frozen
class ReleaseRow:
    """One line of the release overview (:func:`releases`).

    :ivar system: ``"icd10cm"`` or ``"hcpcs"``.
    :ivar release: the catalog name (``"2027"``, ``"2025-01"``).
    :ivar label: the human label.
    :ivar effective: first day in force.
    :ivar until: last day in force, as far as the catalog knows.
    :ivar verified: the catalog's facts on its files were checked.
    :ivar bundled: it ships with medcodes (loads offline).
    :ivar cached: the parts of it in the cache (``("order", "tabular")``), empty
        when none.
    :ivar in_force: it is the release in force on the day asked.
    """

    system: str
    release: str
    label: str
    effective: dt.date
    until: dt.date
    verified: bool
    bundled: bool
    cached: tuple[str, ...]
    in_force: bool


def releases(
    system: str | None = None,
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    on: dt.date | None = None,
) -> tuple[ReleaseRow, ...]:
    """The catalog with, for each release, whether it is bundled, cached and in
    force on ``on`` (default: today, see :func:`medcodes.catalog.today`).

    >>> import datetime as dt
    >>> rows = releases("icd10cm", on=dt.date(2026, 5, 1), cache_dir="/nonexistent")
    >>> [(r.release, r.bundled, r.in_force) for r in rows if r.bundled or r.in_force]
    [('2025-04', True, False), ('2026-04', True, True)]
    """
    systems = tuple(SYSTEMS) if system is None else (_system(system),)
    day = today() if on is None else on
    rows = []
    for e in CATALOG:
        if e.system not in systems:
            continue
        have = cached_files(e.system, e.release, cache_dir=cache_dir)
        cached = tuple(f.part for f in e.files if f.part in have)
        rows.append(
            ReleaseRow(
                e.system,
                e.release,
                e.label,
                e.effective,
                e.until,
                e.verified,
                e.release in BUNDLED[e.system],
                cached,
                e.in_force(day),
            )
        )
    return tuple(rows)
