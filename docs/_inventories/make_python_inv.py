"""Write ``python.inv``: the few Python standard-library names the medcodes
docs refer to, as a Sphinx inventory (the docs build has no network, so the
full inventory of docs.python.org is not fetched). Run after adding a name:
``python docs/_inventories/make_python_inv.py``."""

import zlib
from pathlib import Path

# name, role, page (the anchor is the name, or module-<name> for a module)
NAMES = [
    ("collections.abc.ItemsView", "py:class", "library/collections.abc.html"),
    ("collections.abc.Iterable", "py:class", "library/collections.abc.html"),
    ("collections.abc.Iterator", "py:class", "library/collections.abc.html"),
    ("collections.abc.Mapping", "py:class", "library/collections.abc.html"),
    ("collections.abc.Sequence", "py:class", "library/collections.abc.html"),
    ("collections.abc.ValuesView", "py:class", "library/collections.abc.html"),
    ("datetime.date", "py:class", "library/datetime.html"),
    ("datetime.datetime", "py:class", "library/datetime.html"),
    ("enum.Enum", "py:class", "library/enum.html"),
    ("enum.StrEnum", "py:class", "library/enum.html"),
    ("io.BytesIO", "py:class", "library/io.html"),
    ("os.PathLike", "py:class", "library/os.html"),
    ("pathlib.Path", "py:class", "library/pathlib.html"),
    ("warnings", "py:module", "library/warnings.html"),
    ("zipfile", "py:module", "library/zipfile.html"),
    ("argparse", "py:module", "library/argparse.html"),
    ("bytes", "py:class", "library/stdtypes.html"),
    ("str", "py:class", "library/stdtypes.html"),
    ("int", "py:class", "library/functions.html"),
    ("Exception", "py:exception", "library/exceptions.html"),
    ("ValueError", "py:exception", "library/exceptions.html"),
    ("OSError", "py:exception", "library/exceptions.html"),
    ("FileNotFoundError", "py:exception", "library/exceptions.html"),
    ("UserWarning", "py:exception", "library/exceptions.html"),
    ("DeprecationWarning", "py:exception", "library/exceptions.html"),
]


def main() -> None:
    lines = []
    for name, role, page in sorted(NAMES):
        anchor = f"module-{name}" if role == "py:module" else name
        lines.append(f"{name} {role} 1 {page}#{anchor} -\n")
    header = (
        "# Sphinx inventory version 2\n# Project: Python\n# Version: 3\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    body = zlib.compress("".join(lines).encode("utf-8"), 9)
    (Path(__file__).parent / "python.inv").write_bytes(header.encode("ascii") + body)


if __name__ == "__main__":
    main()
