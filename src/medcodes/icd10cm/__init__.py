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
from .guidelines import PROSE_RULES, ProseRule, Record, RuleKind
from .hierarchy import SEVENTH_CHARACTER_EXCEPTIONS, SeventhCharacterException
from .history import CodeEvent, EventKind, ReleaseHistory
from .index import (
    CodeCompletion,
    CodeReport,
    CodeStatus,
    CrossRef,
    EtiologyPair,
    Index,
    IndexDiff,
    IndexKind,
    RefKind,
    RefStatus,
    Term,
    complete_code,
    diff_index,
    load_index,
)
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
    "PROSE_RULES",
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
    "CodeCompletion",
    "CodeEvent",
    "CodeRef",
    "CodeReport",
    "CodeStatus",
    "Codeset",
    "Conflict",
    "CrossRef",
    "DiffSummary",
    "DrugColumn",
    "EffectiveNote",
    "EtiologyPair",
    "EventKind",
    "Finding",
    "FindingKind",
    "Index",
    "IndexDiff",
    "IndexKind",
    "Kind",
    "NeoplasmColumn",
    "Node",
    "Note",
    "NoteKind",
    "Notes",
    "OrderFile",
    "OrderRecord",
    "Problem",
    "ProseRule",
    "Record",
    "RefKind",
    "RefStatus",
    "Release",
    "ReleaseDiff",
    "ReleaseHistory",
    "Resolution",
    "RuleKind",
    "SeventhCharacter",
    "SeventhCharacterException",
    "SeventhCharacterRule",
    "Severity",
    "Table",
    "TableCheck",
    "TableDiff",
    "TableKind",
    "TableRow",
    "Term",
    "check_code",
    "complete_code",
    "diff",
    "diff_index",
    "diff_tables",
    "display_code",
    "load",
    "load_addenda",
    "load_drugs",
    "load_index",
    "load_neoplasms",
    "load_table",
    "normalize_code",
    "parse_references",
]
