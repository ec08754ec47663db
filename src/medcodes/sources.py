"""Opening official inputs: a file, a folder that holds it, or the official zip.

File names of the official releases change from year to year and between
publishers (``icd10cm_order_2025.txt``, ``icd10cm-order-2026.txt``,
``icd10c-tabular-April-1-2026.xml`` ...). This module lists what a path
offers, picks the member whose *name* matches a pattern (the parsers then
check the *content*), and reads it, with a bound on its size, into memory.
Zip members are read by name and never extracted to disk; ``.gz`` and ``.xz``
files are decompressed in memory.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import lzma
import os
import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import IO

from attrs import frozen

from ._repr import bounded
from .errors import ParseError, SourceError, UsageError

__all__ = ["DEFAULT_MAX_BYTES", "SourceFile"]

#: Largest input (after decompression) read by default: 512 MiB. The biggest
#: official file medcodes reads is about 15 MB.
DEFAULT_MAX_BYTES = 512 * 1024 * 1024
#: Default bounds per kind of file, about four times the largest official file
#: of that kind (tabular XML ~10 MB, order file ~15 MB, HCPCS file ~5 MB).
MAX_BYTES_ICD10CM = 64 << 20
MAX_BYTES_ADDENDA = 16 << 20
MAX_BYTES_HCPCS = 64 << 20

_GZIP_MAGIC = b"\x1f\x8b"
_XZ_MAGIC = b"\xfd7zXZ\x00"
_ZIP_MAGIC = b"PK\x03\x04"


@bounded
@frozen
class SourceFile:
    """Where a release's data came from.

    :ivar path: the file or zip that was given (as a string).
    :ivar member: the zip member that was read, or ``None`` for a plain file.
    :ivar sha256: SHA-256 of the bytes that were parsed (after any
        decompression), so it equals the official file's checksum.
    :ivar format: what the file is, e.g. ``"tabular"`` or ``"order"``.

    >>> import medcodes
    >>> for source in medcodes.icd10cm.load().release.sources:
    ...     print(source.format, source.member, source.sha256[:12])
    tabular None f161f8182aff
    order icd10cm-order-2026.txt 6dc95c9c7e96
    """

    path: str
    member: str | None
    sha256: str
    format: str

    @property
    def name(self) -> str:
        """The official file name (the member's for a zip)."""
        return self.member if self.member is not None else os.path.basename(self.path)

    def __str__(self) -> str:
        return f"{self.path}!{self.member}" if self.member is not None else self.path


@bounded
@frozen
class _Candidate:
    path: Path
    member: str | None

    @property
    def name(self) -> str:
        return (self.member or self.path.name).rsplit("/", 1)[-1]

    @property
    def label(self) -> str:
        return f"{self.path}!{self.member}" if self.member is not None else str(self.path)


@bounded
@frozen
class _Source:
    data: bytes
    candidate: _Candidate

    @property
    def label(self) -> str:
        return self.candidate.label

    def describe(self, fmt: str) -> SourceFile:
        c = self.candidate
        return SourceFile(str(c.path), c.member, hashlib.sha256(self.data).hexdigest(), fmt)


def _open(path: Path) -> IO[bytes]:
    """``path`` opened for reading; what the system refuses is a SourceError."""
    try:
        if not path.is_file():  # a folder, a pipe or a device: never block on one
            raise SourceError("not a regular file", file=str(path))
        return path.open("rb")
    except OSError as exc:
        raise SourceError(f"cannot open ({exc.strerror or exc})", file=str(path)) from exc


def _is_zip(path: Path) -> bool:
    with _open(path) as fh:
        return fh.read(4) == _ZIP_MAGIC


def _check_max_bytes(max_bytes: object) -> int:
    """``max_bytes`` when it is a positive whole number of bytes (a bound past
    what memory can hold means no bound). Every loader checks it first, before
    looking at any file."""
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
        raise UsageError(f"max_bytes must be a positive number of bytes, not {max_bytes!r}")
    return min(max_bytes, 1 << 62)


_OFFICE_EXTENSIONS = (".xlsx", ".xlsm", ".docx")


#: What reading a damaged zip, gzip or xz stream raises: a corrupt header or
#: CRC, deflate data that does not decode, a compression method or encryption
#: zipfile does not support, data cut short, offsets that point nowhere.
CORRUPT_DATA = (
    OSError,
    EOFError,
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    struct.error,
)


def _zip_members(path: Path) -> list[_Candidate]:
    try:
        with zipfile.ZipFile(path) as zf:
            members = [_Candidate(path, i.filename) for i in zf.infolist() if not i.is_dir()]
    except ParseError:
        raise  # ours, already naming the file
    except CORRUPT_DATA as exc:
        raise ParseError(f"not a readable zip file ({exc})", file=str(path)) from exc
    if any(c.member == "[Content_Types].xml" for c in members):
        raise SourceError(
            "an Office document (a workbook), not a release file or an official zip",
            file=str(path),
        )
    return members


#: What the loaders take as a path: text, bytes or an :class:`os.PathLike`.
PathArg = str | bytes | os.PathLike[str]


def _path(source: object) -> str:
    """A path argument as text: ``str``, :class:`os.PathLike` or ``bytes``.

    :raises ~medcodes.errors.UsageError: anything else.
    """
    if isinstance(source, (str, bytes, os.PathLike)):
        path = os.fsdecode(source)
        if path.strip():
            return path
        raise UsageError("the path is empty")
    raise UsageError(f"expected a path (str or os.PathLike), not {source!r}")


def _candidates(path: str | os.PathLike[str]) -> tuple[list[_Candidate], bool]:
    """Every file the input offers, and whether the input was one plain file."""
    p = Path(_path(path))
    try:
        if not p.exists():
            broken = p.is_symlink()
            what = "a symbolic link that leads nowhere" if broken else "no such file or folder"
            raise SourceError(what, file=str(p))
        if p.is_dir():
            found: list[_Candidate] = []
            for child in sorted(p.iterdir()):
                if not child.is_file():
                    continue
                if _is_zip(child) and not child.name.lower().endswith(_OFFICE_EXTENSIONS):
                    found.extend(_zip_members(child))
                else:
                    found.append(_Candidate(child, None))
            return found, False
    except OSError as exc:  # unreadable folder, name too long, ...
        raise SourceError(f"cannot open ({exc.strerror or exc})", file=str(p)) from exc
    if _is_zip(p):
        return _zip_members(p), False
    return [_Candidate(p, None)], True


def _pick(
    candidates: list[_Candidate], pattern: re.Pattern[str], what: str, where: str
) -> _Candidate | None:
    """The one candidate whose name matches; ``None`` if none; an error if several."""
    hits = [c for c in candidates if pattern.search(c.name)]
    if len(hits) > 1:
        raise SourceError(
            f"several files look like {what}: "
            + ", ".join(c.label for c in hits)
            + "; pass the one you mean",
            file=where,
        )
    return hits[0] if hits else None


def _no_match(candidates: list[_Candidate], what: str, where: str) -> SourceError:
    seen = ", ".join(c.name for c in candidates[:40]) or "nothing"
    more = f" (and {len(candidates) - 40} more)" if len(candidates) > 40 else ""
    try:
        folders = Path(where).is_dir() and any(p.is_dir() for p in Path(where).iterdir())
    except OSError:
        folders = False
    inside = "; sub-folders are not searched: pass the one that holds it" if folders else ""
    return SourceError(f"found no {what}; files seen: {seen}{more}{inside}", file=where)


def _read_bounded(fh: IO[bytes] | gzip.GzipFile, max_bytes: int, label: str) -> bytes:
    """Read a stream to its end in chunks, refusing it once over ``max_bytes``
    (``read(max_bytes)`` would allocate the whole bound up front)."""
    buf = bytearray()
    while chunk := fh.read(1 << 20):
        buf += chunk
        if len(buf) > max_bytes:
            raise SourceError(f"larger than the limit of {max_bytes} bytes", file=label)
    return bytes(buf)


def _decompress(data: bytes, label: str, max_bytes: int) -> bytes:
    try:
        if data.startswith(_GZIP_MAGIC):
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
                data = _read_bounded(gz, max_bytes, label)
        elif data.startswith(_XZ_MAGIC):
            dec = lzma.LZMADecompressor()
            data = dec.decompress(data, max_length=max_bytes + 1)
            if not dec.eof and len(data) <= max_bytes:
                raise SourceError("truncated .xz data", file=label)
    except ParseError:
        raise  # ours, already naming the file
    except CORRUPT_DATA as exc:
        raise ParseError(f"cannot decompress ({exc})", file=label) from exc
    if len(data) > max_bytes:
        raise SourceError(f"larger than the limit of {max_bytes} bytes", file=label)
    return data


def _head(path: Path, size: int = 512) -> bytes:
    """The first bytes of a plain file, decompressed if it is .gz or .xz (to
    sniff its kind without reading it whole)."""
    with _open(path) as fh:
        magic = fh.read(6)
    try:
        if magic.startswith(_GZIP_MAGIC):
            with gzip.open(path, "rb") as gz:
                return gz.read(size)
        if magic.startswith(_XZ_MAGIC):
            with lzma.open(path, "rb") as xz:
                return xz.read(size)
        with path.open("rb") as fh:
            return fh.read(size)
    except ParseError:
        raise  # ours, already naming the file
    except CORRUPT_DATA as exc:
        raise ParseError(f"cannot read ({exc})", file=str(path)) from exc


def _read(candidate: _Candidate, max_bytes: int) -> _Source:
    label = candidate.label
    try:
        if candidate.member is None:
            with _open(candidate.path) as fh:
                if os.fstat(fh.fileno()).st_size > max_bytes and not candidate.name.endswith(
                    (".gz", ".xz")
                ):
                    raise SourceError(f"larger than the limit of {max_bytes} bytes", file=label)
                data = _read_bounded(fh, max_bytes, label)
        else:
            with _open(candidate.path) as raw, zipfile.ZipFile(raw) as zf:
                info = zf.getinfo(candidate.member)
                if info.file_size > max_bytes:
                    raise SourceError(
                        f"zip member is {info.file_size} bytes, over the limit of {max_bytes}",
                        file=label,
                    )
                with zf.open(info) as fh:
                    data = _read_bounded(fh, max_bytes, label)
    except ParseError:
        raise  # ours, already naming the file
    except (*CORRUPT_DATA, KeyError) as exc:
        raise ParseError(f"cannot read ({exc})", file=label) from exc
    return _Source(_decompress(data, label, max_bytes), candidate)
