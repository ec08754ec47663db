"""Light pickles: a node of a bundled release travels as a reference.

A node of a release loaded from the files bundled with medcodes pickles as
``(reference, position)``, where the reference names the bundled release (its
system, the arguments of ``load`` that give it, and the SHA-256 of its source
files). Unpickled in any process, it becomes the node of that bundled release,
loaded once per process.

This is the one documented exception to "no global mutable state": a
per-process cache of bundled releases, keyed by reference, filled by the first
unpickling (or pickling) of a node of each. A node of a release loaded from a
user's own files carries its whole codeset instead (it cannot be loaded again
elsewhere).
"""

from __future__ import annotations

import threading
from typing import Any

from .errors import SourceError

#: ``(system, load arguments, SHA-256 of the sources)`` of a bundled release.
Ref = tuple[str, tuple[Any, ...], tuple[str, ...]]

_LOCK = threading.Lock()
_CACHE: dict[Ref, Any] = {}


def remember(ref: Ref, codeset: Any) -> None:
    """Take ``codeset`` (a bundled release being pickled from) as this process's
    copy of ``ref``, unless one is there already: a node pickled and unpickled in
    one process is then equal to itself."""
    _CACHE.setdefault(ref, codeset)


def bundled_codeset(ref: Ref) -> Any:
    """The codeset of bundled release ``ref``, loaded on first use in this process.

    :raises ~medcodes.errors.SourceError: this medcodes bundles other files
        under that name (the pickle comes from another version).
    """
    codeset = _CACHE.get(ref)
    if codeset is not None:
        return codeset
    with _LOCK:  # one load per process, even when threads unpickle at once
        codeset = _CACHE.get(ref)
        if codeset is None:
            codeset = _load(ref)
            _CACHE[ref] = codeset
    return codeset


def _load(ref: Ref) -> Any:
    system, args, digests = ref
    if system == "icd10cm":
        from .icd10cm.loader import load

        fiscal_year, effective = args
        codeset: Any = load(fiscal_year=fiscal_year, effective=effective)
    else:
        from .hcpcs.loader import load as load_hcpcs

        codeset = load_hcpcs()
    found = tuple(s.sha256 for s in codeset.release.sources)
    if found != digests:
        raise SourceError(
            f"a pickled node names a bundled {system} release whose files differ from "
            "the ones this medcodes bundles (pickled by another version of medcodes)",
            file="medcodes/_bundled",
        )
    return codeset
