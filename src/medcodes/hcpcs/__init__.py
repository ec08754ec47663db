"""HCPCS Level II: CMS's alpha-numeric file of procedure codes and modifiers.

>>> from medcodes import hcpcs
>>> hc = hcpcs.load()                      # bundled January 2025 file
>>> hc["J9308"].record.short_description
'Injection, ramucirumab'
"""

from ..summary import DiffSummary
from .codeset import SECTIONS, CodeCheck, Codeset, Kind, Node, Problem, Section
from .corrections import Correction, load_corrections
from .diff import AnnouncedChange, Change, ChangeKind, Disagreement, HcpcsDiff, diff
from .loader import load
from .model import (
    ActionCode,
    CoverageCode,
    MultiplePricingIndicator,
    PricingIndicator,
    Record,
    Release,
    TypeOfService,
)
from .reports import TransactionReport, TransactionRow, load_transaction_report

__all__ = [
    "SECTIONS",
    "ActionCode",
    "AnnouncedChange",
    "Change",
    "ChangeKind",
    "CodeCheck",
    "Codeset",
    "Correction",
    "CoverageCode",
    "DiffSummary",
    "Disagreement",
    "HcpcsDiff",
    "Kind",
    "MultiplePricingIndicator",
    "Node",
    "PricingIndicator",
    "Problem",
    "Record",
    "Release",
    "Section",
    "TransactionReport",
    "TransactionRow",
    "TypeOfService",
    "diff",
    "load",
    "load_corrections",
    "load_transaction_report",
]
