"""Turning what a user typed into a lookup key."""

from __future__ import annotations

import enum
import re
from typing import NoReturn, TypeVar

from .errors import UsageError

#: The form of a CPT (HCPCS Level I, the AMA's) code: four digits, then a digit
#: (Category I), F (Category II), T (Category III) or U (lab analyses). Neither
#: ICD-10-CM nor CMS's Level II file holds them; typed, they get a message saying so.
CPT_CODE = re.compile(r"[0-9]{4}[0-9FTU]")

#: The form of an HCPCS Level II procedure code: a letter and four digits.
HCPCS_CODE = re.compile(r"[A-Z][0-9]{4}")

#: The form of an ICD-10-CM code, loosely (a letter, a digit, a letter or digit,
#: then up to four more after an optional dot): for the hints of HCPCS's check.
ICD10CM_CODE = re.compile(r"[A-Z][0-9][0-9A-Z](?:\.?[0-9A-Z]{1,4})?")


def upper_key(text: str) -> str:
    """``text`` without surrounding blanks, upper-cased when it is ASCII.

    Text with any other character is only stripped, so that it matches no code:
    ``str.upper`` turns look-alikes into ASCII letters (the dotless i U+0131
    into "I", the long s U+017F into "S", the ligature U+FB05 into "ST"), which
    would make typed garbage a valid code.

    >>> upper_key(" e11.65 "), upper_key("\u013110")
    ('E11.65', '\u013110')
    """
    key = text.strip()
    return key.upper() if key.isascii() else key


def is_missing(value: object) -> bool:
    """True for the values that stand for "no value" in Python and dataframes:
    ``None``, a float NaN (numpy's too), pandas' ``NA`` and ``NaT``, numpy's
    ``NaT``. Neither
    pandas nor numpy is imported: their missing values are recognized by type.

    >>> is_missing(None), is_missing(float("nan")), is_missing(""), is_missing(0)
    (True, True, False, False)
    """
    if value is None:
        return True
    if isinstance(value, float):
        return value != value
    cls = type(value)
    module = cls.__module__
    if module == "numpy":  # numpy's other floats (float32, float16), datetime64("NaT")
        try:
            return bool(value != value)
        except (TypeError, ValueError):
            return False
    return cls.__name__ in _MISSING_TYPES and module.startswith("pandas")


#: The types of pandas' missing-value singletons (``pd.NA``, ``pd.NaT``).
_MISSING_TYPES = frozenset({"NAType", "NaTType"})


#: The message of the check of a missing value (whichever: None, NaN, pd.NA).
MISSING_MESSAGE = "no code: the value is missing (an empty cell, None, NaN or NA)"


def text_arg(value: object, name: str) -> str:
    """``value``, which must be text.

    :raises ~medcodes.errors.UsageError: it is not a ``str``.
    """
    if not isinstance(value, str):
        raise UsageError(f"{name} must be text, not {value!r}")
    return value


E = TypeVar("E", bound=enum.Enum)


def as_enum(cls: type[E], value: object, name: str) -> E:
    """``value`` as a member of ``cls``: the member itself, or its value
    (``"excludes1"`` for ``NoteKind.EXCLUDES1``).

    :raises ~medcodes.errors.UsageError: neither; the message lists the values.
    """
    if isinstance(value, cls):
        return value
    if isinstance(value, enum.Enum):  # a StrEnum member of another table is a str too
        return _refuse(cls, value, name)
    if isinstance(value, str) and value in cls.__members__:
        return cls[value]  # its name, "EXCLUDES1"
    try:
        return cls(value)
    except (ValueError, TypeError):
        return _refuse(cls, value, name)


def _refuse(cls: type[E], value: object, name: str) -> NoReturn:
    where = cls.__module__.rsplit(".", 1)[0]  # medcodes.icd10cm or medcodes.hcpcs
    choices = ", ".join(repr(m.value) for m in cls)
    raise UsageError(
        f"{name}={value!r}: expected one of {where}.{cls.__name__} or its value ({choices})"
    )
