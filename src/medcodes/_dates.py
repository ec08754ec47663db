"""Date arguments: a :class:`datetime.date`, or a :class:`datetime.datetime`
(pandas ``Timestamp`` and database drivers give those) taken as its date."""

from __future__ import annotations

import datetime as dt

from .errors import UsageError


def as_date(value: object, name: str) -> dt.date:
    """``value`` as a plain date.

    :raises ~medcodes.errors.UsageError: it is not a date.
    """
    if isinstance(value, dt.datetime):
        value = value.date()  # pandas' NaT is a datetime whose date is NaT
    if type(value) is dt.date or (isinstance(value, dt.date) and value == value):
        return value
    raise UsageError(f"{name} must be a datetime.date, not {value!r}")
