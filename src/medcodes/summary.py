"""The counts of a diff, one type for both systems: what
:meth:`medcodes.icd10cm.ReleaseDiff.summary` and
:meth:`medcodes.hcpcs.HcpcsDiff.summary` return.

>>> import medcodes
>>> cm, hc = medcodes.icd10cm.load(), medcodes.hcpcs.load()
>>> icd, hcpcs = medcodes.icd10cm.diff(cm, cm).summary(), medcodes.hcpcs.diff(hc, hc).summary()
>>> type(icd) is type(hcpcs) is medcodes.DiffSummary
True
>>> (icd.system, icd.total), (hcpcs.system, hcpcs.total, hcpcs.announced["D"])
(('icd10cm', 0), ('hcpcs', 0, 91))
"""

from __future__ import annotations

import enum
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from attrs import asdict, field, frozen

from ._repr import bounded

if TYPE_CHECKING:
    from .icd10cm.addenda import AddendaCounts

__all__ = ["DiffSummary"]

#: The keys of the dict ``HcpcsDiff.summary()`` returned before 0.x (deprecated access).
_OLD_HCPCS_KEYS = ("computed", "announced")


@bounded
@frozen(eq=True, hash=False)
class DiffSummary:
    """Counts of the changes between two releases, the same type for
    ICD-10-CM and HCPCS Level II. The fields every system fills come first;
    the rest belong to one system and are empty for the other.

    :ivar codes: ICD-10-CM: billable codes in CMS's addenda terms (totals,
        additions, deletions, revisions); ``None`` for HCPCS.
    :ivar headers: ICD-10-CM: the same for headers (``None`` when a release
        is a codes file, and for HCPCS).
    :ivar by_kind: the number of ``Change`` records of each kind of change
        (the system's own ``ChangeKind``), kinds in their official order.
    :ivar respelled: ICD-10-CM: codes and headers whose titles changed in
        diacritics or spacing only (not counted as revisions); 0 for HCPCS.
    :ivar system: ``"icd10cm"`` or ``"hcpcs"``.
    :ivar total: the number of ``Change`` records (``len`` of the diff).
    :ivar by_level: per level (the node's kind: ``"code"``, ``"category"``,
        ``"modifier"``...), the number of changes of each kind.
    :ivar announced: HCPCS: the newer file's action codes (``"A"``, ``"D"``...)
        and how many records carry each; empty for ICD-10-CM.

    A summary holds plain values. ``summary["computed"]`` and
    ``summary["announced"]``, the dict access of the HCPCS summary before this
    type, still work and emit a :class:`DeprecationWarning`.
    """

    codes: AddendaCounts | None
    headers: AddendaCounts | None
    by_kind: Mapping[enum.StrEnum, int]
    respelled: int = 0
    system: str = field(default="", kw_only=True)
    total: int = field(default=0, kw_only=True)
    by_level: Mapping[str, Mapping[enum.StrEnum, int]] = field(factory=dict, kw_only=True)
    announced: Mapping[str, int] = field(factory=dict, kw_only=True)

    def to_dict(self) -> dict[str, Any]:
        """Plain values for JSON: every field (kinds as their text; ``codes``
        and ``headers`` as dicts or ``None``), with ``computed``, the counts
        per ``"level kind"`` that the HCPCS JSON report always had.

        >>> import medcodes
        >>> hc = medcodes.hcpcs.load()
        >>> row = medcodes.hcpcs.diff(hc, hc).summary().to_dict()
        >>> row["system"], row["announced"]["D"], row["codes"], row["computed"]
        ('hcpcs', 91, None, {})
        """
        return {
            "system": self.system,
            "total": self.total,
            "codes": None if self.codes is None else asdict(self.codes),
            "headers": None if self.headers is None else asdict(self.headers),
            "by_kind": {str(k.value): n for k, n in self.by_kind.items()},
            "by_level": {
                level: {str(k.value): n for k, n in kinds.items()}
                for level, kinds in self.by_level.items()
            },
            "respelled": self.respelled,
            "announced": dict(self.announced),
            "computed": self._computed(),
        }

    def _computed(self) -> dict[str, int]:
        return {
            f"{level} {k.value}": n
            for level, kinds in self.by_level.items()
            for k, n in kinds.items()
        }

    def __getitem__(self, key: str) -> Mapping[str, int]:
        """Deprecated: the dict access of the HCPCS summary (``"computed"``,
        ``"announced"``); use ``by_level`` and ``announced``."""
        if key not in _OLD_HCPCS_KEYS:
            raise KeyError(key)
        warnings.warn(
            f"summary()[{key!r}] is deprecated and will be removed in medcodes 0.4: use "
            + (
                "summary().announced"
                if key == "announced"
                else "summary().by_level (or summary().to_dict()['computed'])"
            ),
            DeprecationWarning,
            stacklevel=2,
        )
        return dict(self.announced) if key == "announced" else self._computed()
