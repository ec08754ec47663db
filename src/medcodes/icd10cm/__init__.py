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
from .tables import (
    CellChange,
    CellRef,
    DrugColumn,
    NeoplasmColumn,
    Table,
    TableCheck,
    TableDiff,
    TableKind,
    TableRow,
    diff_tables,
    load_drugs,
    load_neoplasms,
    load_table,
)
from .validity import CodeCheck, Problem, check_code

__all__ = [
    "EXCLUDES1_EXCEPTION",
    "INHERITED_KINDS",
    "SEVENTH_CHARACTER_EXCEPTIONS",
    "Addenda",
    "AddendaAction",
    "AddendaCounts",
    "AddendaLine",
    "AddendaType",
    "CellChange",
    "CellRef",
    "Change",
    "ChangeKind",
    "CodeCheck",
    "CodeEvent",
    "CodeRef",
    "Codeset",
    "Conflict",
    "DiffSummary",
    "DrugColumn",
    "EffectiveNote",
    "EventKind",
    "Finding",
    "FindingKind",
    "Kind",
    "NeoplasmColumn",
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
    "Table",
    "TableCheck",
    "TableDiff",
    "TableKind",
    "TableRow",
    "check_code",
    "diff",
    "diff_tables",
    "display_code",
    "load",
    "load_addenda",
    "load_drugs",
    "load_neoplasms",
    "load_table",
    "normalize_code",
    "parse_references",
]
