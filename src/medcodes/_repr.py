"""Short reprs: every public object's repr fits in a notebook line or two.

The attrs-generated repr shows every field in full: a release's sources, a
record's thirty fields, the sixteen 7th characters of a rule. :func:`bounded`
replaces it with one that abbreviates long values and long tuples and never
exceeds :data:`LIMIT` characters.
"""

from __future__ import annotations

from typing import Any, TypeVar

import attrs

#: The longest repr of a public object.
LIMIT = 300
_VALUE = 80  # the longest repr of one field's value
_ITEMS = 2  # the items of a long tuple that are shown

T = TypeVar("T", bound=type)


def bounded(cls: T) -> T:
    """Give an attrs class the bounded repr (a class decorator, above ``@frozen``)."""
    cls.__repr__ = _bounded_repr  # type: ignore[assignment]
    return cls


def _bounded_repr(self: Any) -> str:
    parts = [
        f"{f.name}={_brief(getattr(self, f.name), _VALUE)}"
        for f in attrs.fields(type(self))
        if f.repr
    ]
    return cut(f"{type(self).__name__}({', '.join(parts)})", LIMIT, ")")


def _brief(value: object, width: int) -> str:
    if isinstance(value, tuple) and len(value) > _ITEMS + 1:
        shown = ", ".join(_brief(v, width // 2) for v in value[:_ITEMS])
        return f"({shown}, ... {len(value)} in all)"
    return cut(repr(value), width, "")


def cut(text: str, width: int, end: str) -> str:
    """``text``, cut to ``width`` characters with ``...`` and ``end``."""
    if len(text) <= width:
        return text
    return text[: width - 3 - len(end)] + "..." + end


class BoundedTuple(tuple):  # type: ignore[type-arg]
    """A tuple whose repr is bounded (what the accessors of many items return:
    ``diff.changes``, ``cm.billable_codes()``, ``hc.records()``), so that a
    notebook cell showing one prints a line, not megabytes. It is a tuple in
    every other way (equal to the plain tuple of the same items).

    >>> BoundedTuple(range(1000))
    BoundedTuple((0, 1, ... 1000 in all))
    >>> BoundedTuple((1, 2)) == (1, 2)
    True
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return cut(f"{type(self).__name__}({_brief(tuple(self), _VALUE)})", LIMIT, ")")
