"""ICD-10-CM: the US diagnosis classification, from the official CDC/CMS files.

>>> from medcodes import icd10cm
>>> cm = icd10cm.load()                     # bundled April 1, 2026 release
>>> cm["E11.65"].title
'Type 2 diabetes mellitus with hyperglycemia'
"""

from .addenda import (
    Addenda,
    AddendaAction,
    AddendaCounts,
    AddendaLine,
    AddendaType,
    load_addenda,
)
from .codeset import Codeset, Node, display_code, normalize_code
from .diff import Change, ChangeKind, DiffSummary, ReleaseDiff, diff
from .hierarchy import SEVENTH_CHARACTER_EXCEPTIONS, SeventhCharacterException
from .history import CodeEvent, EventKind, ReleaseHistory
from .loader import load
from .model import Kind, Note, NoteKind, Notes, Release, SeventhCharacter, SeventhCharacterRule
from .order import OrderFile, OrderRecord
from .references import CodeRef, parse_references
from .rules import (
    EXCLUDES1_EXCEPTION,
    INHERITED_KINDS,
    Conflict,
    EffectiveNote,
    Finding,
    FindingKind,
    Resolution,
    Severity,
)
from .validity import CodeCheck, Problem, check_code, check_codes

__all__ = [
    "EXCLUDES1_EXCEPTION",
    "INHERITED_KINDS",
    "SEVENTH_CHARACTER_EXCEPTIONS",
    "Addenda",
    "AddendaAction",
    "AddendaCounts",
    "AddendaLine",
    "AddendaType",
    "Change",
    "ChangeKind",
    "CodeCheck",
    "CodeEvent",
    "CodeRef",
    "Codeset",
    "Conflict",
    "DiffSummary",
    "EffectiveNote",
    "EventKind",
    "Finding",
    "FindingKind",
    "Kind",
    "Node",
    "Note",
    "NoteKind",
    "Notes",
    "OrderFile",
    "OrderRecord",
    "Problem",
    "Release",
    "ReleaseDiff",
    "ReleaseHistory",
    "Resolution",
    "SeventhCharacter",
    "SeventhCharacterException",
    "SeventhCharacterRule",
    "Severity",
    "check_code",
    "check_codes",
    "diff",
    "display_code",
    "load",
    "load_addenda",
    "normalize_code",
    "parse_references",
]
