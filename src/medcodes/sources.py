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

from attrs import field, frozen

from ._repr import bounded
from .errors import ParseError, SourceError, SourceNotFoundError, UsageError

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
    #: The bytes of an input given as a binary file object (``path`` is then its name).
    data: bytes | None = field(default=None, repr=False, eq=False)

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
        try:
            return fh.read(4) == _ZIP_MAGIC
        except OSError as exc:  # a device error, /proc/self/mem ...
            raise SourceError(f"cannot read ({exc.strerror or exc})", file=str(path)) from exc


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


#: The most members a zip may list: official zips hold fewer than 20. Checked
#: in the zip's end record before the listing is read (a listing of a million
#: empty members costs over 600 MB).
MAX_ZIP_MEMBERS = 10_000


def _check_zip_size(fh: IO[bytes], label: str) -> None:
    """Refuse a zip whose end record announces more than MAX_ZIP_MEMBERS
    members (a zip64 end record: always more than 65,534)."""
    end = fh.seek(0, os.SEEK_END)
    fh.seek(max(0, end - (1 << 16) - 22))
    tail = fh.read()
    fh.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        return  # zipfile says what is wrong
    count = struct.unpack_from("<H", tail, at + 10)[0]
    if count > MAX_ZIP_MEMBERS:
        raise ParseError(
            f"a zip of {count if count != 0xFFFF else 'over 65,534'} members, more than "
            f"{MAX_ZIP_MEMBERS}: not an official zip (refused before listing it)",
            file=label,
        )


def _zip_members(path: Path, data: bytes | None = None) -> list[_Candidate]:
    try:
        if data is None:
            with _open(path) as raw:
                _check_zip_size(raw, str(path))
        else:
            _check_zip_size(io.BytesIO(data), str(path))
        with zipfile.ZipFile(path if data is None else io.BytesIO(data)) as zf:
            members = [
                _Candidate(path, i.filename, data) for i in zf.infolist() if not i.is_dir()
            ]
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


#: What the loaders take: a path (text or an :class:`os.PathLike`), or a
#: binary file object (``open(path, "rb")``, ``io.BytesIO(data)``).
PathArg = str | os.PathLike[str] | IO[bytes]


@frozen
class _Memory:
    """An input given as a binary file object: its name (the file's, or
    ``<BytesIO>``) and its bytes, read once."""

    name: str
    data: bytes = field(repr=False)

    def __str__(self) -> str:
        return self.name


def _path(source: object) -> str | _Memory:
    """A path argument as text (``str`` or :class:`os.PathLike`), or the
    content of a binary file object (read to its end, at most
    :data:`DEFAULT_MAX_BYTES`; each loader's own bound applies after).

    :raises ~medcodes.errors.UsageError: anything else; ``bytes`` are refused
        with a message that says so (they are file contents more often than
        a path), and so is a file opened in text mode.
    """
    if callable(getattr(source, "read", None)):
        name = getattr(source, "name", None)
        label = (
            os.fsdecode(name) if isinstance(name, (str, bytes)) else f"<{type(source).__name__}>"
        )
        try:
            data = source.read(DEFAULT_MAX_BYTES + 1)  # type: ignore[attr-defined]
        except (OSError, ValueError) as exc:  # closed, not readable
            raise UsageError(f"cannot read the file object {label}: {exc}") from exc
        if isinstance(data, str):
            raise UsageError(f"{label} is open in text mode: open it with 'rb'")
        if not isinstance(data, bytes):
            raise UsageError(f"{label}: read() gave {type(data).__name__}, not bytes")
        if len(data) > DEFAULT_MAX_BYTES:
            raise SourceError(f"larger than the limit of {DEFAULT_MAX_BYTES} bytes", file=label)
        return _Memory(label, data)
    if isinstance(source, (bytes, bytearray, memoryview)):
        raise UsageError(
            f"{type(source).__name__} are not a path: pass the path as a str or "
            "pathlib.Path (a bytes path: os.fsdecode(path))"
        )
    if isinstance(source, (str, os.PathLike)):
        path = os.fsdecode(source)
        if path.strip():
            return path
        raise UsageError("the path is empty")
    raise UsageError(f"expected a path (str or os.PathLike), not {source!r}")


def _candidates(path: str | os.PathLike[str] | _Memory) -> tuple[list[_Candidate], bool]:
    """Every file the input offers, and whether the input was one plain file."""
    if isinstance(path, _Memory):
        if path.data.startswith(_ZIP_MAGIC):
            return _zip_members(Path(path.name), path.data), False
        return [_Candidate(Path(path.name), None, path.data)], True
    p = Path(os.fspath(path))
    try:
        if not p.exists():
            broken = p.is_symlink()
            what = "a symbolic link that leads nowhere" if broken else "no such file or folder"
            raise SourceNotFoundError(what, file=str(p))
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
    except SourceError:
        raise  # ours (a SourceNotFoundError is an OSError too)
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
            gz = zlib.decompressobj(wbits=31)  # one gzip member, header and trailer checked
            data = gz.decompress(data, max_bytes + 1)
            _one_stream(gz.eof, gz.unused_data, len(data) > max_bytes, "gz", label)
        elif data.startswith(_XZ_MAGIC):
            xz = lzma.LZMADecompressor()
            data = xz.decompress(data, max_length=max_bytes + 1)
            _one_stream(xz.eof, xz.unused_data, len(data) > max_bytes, "xz", label)
    except ParseError:
        raise  # ours, already naming the file
    except CORRUPT_DATA as exc:
        raise ParseError(f"cannot decompress ({exc})", file=label) from exc
    if len(data) > max_bytes:
        raise SourceError(f"larger than the limit of {max_bytes} bytes", file=label)
    return data


def _one_stream(eof: bool, rest: bytes, over: bool, fmt: str, label: str) -> None:
    """Refuse compressed data cut short, or followed by anything (a second
    stream, which a reader stopping at the first would silently drop, or
    garbage): the official files are compressed as one stream."""
    if over:
        return  # refused as too large by the caller
    if not eof:
        raise ParseError(f"truncated .{fmt} data (an interrupted download?)", file=label)
    if rest:
        what = "a second stream" if rest.startswith((_GZIP_MAGIC, _XZ_MAGIC)) else "bytes"
        raise ParseError(
            f"{what} after the end of the .{fmt} data ({len(rest)} bytes): "
            "concatenated or damaged file",
            file=label,
        )


def _head(path: Path | _Candidate, size: int = 512) -> bytes:
    """The first bytes of a plain file, decompressed if it is .gz or .xz (to
    sniff its kind without reading it whole)."""
    if isinstance(path, _Candidate):
        if path.data is None:
            return _head(path.path, size)
        try:
            if path.data.startswith(_GZIP_MAGIC):
                with gzip.GzipFile(fileobj=io.BytesIO(path.data)) as gz:
                    return gz.read(size)
            if path.data.startswith(_XZ_MAGIC):
                return lzma.LZMADecompressor().decompress(path.data, max_length=size)
            return path.data[:size]
        except CORRUPT_DATA as exc:
            raise ParseError(f"cannot read ({exc})", file=path.label) from exc
    try:
        with _open(path) as fh:
            magic = fh.read(6)
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


def _workbook(source: str | _Memory) -> _Candidate | None:
    """The input as one workbook (an ``.xlsx`` path, or an Office zip given as
    a file object), else ``None``: a workbook is a zip, taken whole."""
    if isinstance(source, _Memory):
        if source.data.startswith(_ZIP_MAGIC) and b"[Content_Types].xml" in source.data:
            return _Candidate(Path(source.name), None, source.data)
        return None
    return _Candidate(Path(source), None) if source.lower().endswith(".xlsx") else None


def _read_memory(candidate: _Candidate, data: bytes, max_bytes: int) -> bytes:
    label = candidate.label
    if candidate.member is None:
        if len(data) > max_bytes and not data.startswith((_GZIP_MAGIC, _XZ_MAGIC)):
            raise SourceError(f"larger than the limit of {max_bytes} bytes", file=label)
        return data
    _check_zip_size(io.BytesIO(data), label)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return _read_member(zf, candidate.member, max_bytes, label)


def _read_member(zf: zipfile.ZipFile, member: str, max_bytes: int, label: str) -> bytes:
    """A zip member's bytes, refused before reading when its declared size is
    over ``max_bytes`` (and bounded while read: a declared size can lie)."""
    info = zf.getinfo(member)
    if info.file_size > max_bytes:
        raise SourceError(
            f"zip member is {info.file_size} bytes, over the limit of {max_bytes}", file=label
        )
    with zf.open(info) as fh:
        return _read_bounded(fh, max_bytes, label)


def _stamp(fh: IO[bytes]) -> tuple[int, int]:
    """The size and modification time of an open file."""
    st = os.fstat(fh.fileno())
    return st.st_size, st.st_mtime_ns


def _check_unchanged(fh: IO[bytes], before: tuple[int, int], label: str) -> None:
    """Refuse a file written to while it was read: what was read may mix two
    versions of it."""
    if _stamp(fh) != before:
        raise SourceError(
            "the file changed while it was read (size or modification time): "
            "read it again once it is complete",
            file=label,
        )


def _read(candidate: _Candidate, max_bytes: int) -> _Source:
    label = candidate.label
    try:
        if candidate.data is not None:
            data = _read_memory(candidate, candidate.data, max_bytes)
        elif candidate.member is None:
            with _open(candidate.path) as fh:
                before = _stamp(fh)
                if before[0] > max_bytes and not candidate.name.endswith((".gz", ".xz")):
                    raise SourceError(f"larger than the limit of {max_bytes} bytes", file=label)
                data = _read_bounded(fh, max_bytes, label)
                _check_unchanged(fh, before, label)
        else:
            with _open(candidate.path) as raw:
                before = _stamp(raw)
                _check_zip_size(raw, label)
                with zipfile.ZipFile(raw) as zf:
                    data = _read_member(zf, candidate.member, max_bytes, label)
                _check_unchanged(raw, before, label)
    except ParseError:
        raise  # ours, already naming the file
    except (*CORRUPT_DATA, KeyError) as exc:
        raise ParseError(f"cannot read ({exc})", file=label) from exc
    except MemoryError:
        raise SourceError("not enough memory to read it (lower max_bytes?)", file=label) from None
    try:
        return _Source(_decompress(data, label, max_bytes), candidate)
    except MemoryError:
        raise SourceError("not enough memory to decompress it", file=label) from None
