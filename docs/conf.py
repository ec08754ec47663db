"""Sphinx configuration for the medcodes documentation."""

import re
from importlib.metadata import version as _version
from typing import Any

project = "medcodes"
author = "medcodes developers"
copyright = "2026, medcodes developers"
release = _version("medcodes")
version = ".".join(release.split(".")[:2])
extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.intersphinx",
    "myst_parser",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}
# Every cross-reference must resolve (sphinx-build -n -W). No network in CI: the
# Python inventory is not fetched; names of the standard library are written as
# plain text or listed below.
nitpicky = True
# The type variable of the codesets' ``get(code, default)`` overloads.
nitpick_ignore_regex = [("py:class", r"medcodes\.(icd10cm|hcpcs)\.codeset\._T")]
intersphinx_mapping = {"python": ("https://docs.python.org/3", "_inventories/python.inv")}
exclude_patterns = ["_build"]
html_theme = "furo"
html_title = f"medcodes {release}"
myst_heading_anchors = 3


def _skip_private_bases(
    app: object, name: str, obj: object, options: object, bases: list[type]
) -> None:
    """Private base classes (``_Coded``) are not part of the API: not shown."""
    bases[:] = [b for b in bases if not b.__name__.startswith("_")]


def _drop_private_annotations(app: Any, *args: object) -> None:
    """Parameters typed with a private class (``Codeset.__init__``'s ``_Store``:
    codesets come from ``load``) get no type in the description."""
    document = getattr(app.env, "current_document", None)
    annotations = getattr(document, "autodoc_annotations", None)
    if annotations is None:  # Sphinx < 9
        annotations = app.env.temp_data.get("annotations", {})
    for hints in annotations.values():
        for name in [n for n, hint in hints.items() if _PRIVATE.search(hint)]:
            del hints[name]


_PRIVATE = re.compile(r"(?:^|[.\s\[|(])_[A-Za-z]")


def setup(app: Any) -> None:
    """Register the hooks above (after autodoc has recorded the type hints)."""
    app.connect("autodoc-process-bases", _skip_private_bases)
    app.connect("autodoc-process-signature", _drop_private_annotations, priority=600)
