"""The ``medcodes`` command: look up a code, check codes, report a yearly update,
fetch an official release, list the releases.

Run ``medcodes --help`` (or ``python -m medcodes --help``). Each subcommand is a
plain function from its parsed arguments to an exit status: 0 when all went
well, 1 when a code asked about is not valid (or not found) or a download
failed, 2 on a usage error (bad arguments, a file that cannot be read or
parsed).

>>> main(["check", "E11.9", "J9308", "--format", "csv"])
line,text,system,code,valid,problem,message,suggestions
,E11.9,icd10cm,E11.9,True,,E11.9 is a valid code,
,J9308,hcpcs,J9308,True,,J9308 is valid on 2025-01-01,
0
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import io
import json
import os
import re
import sys
import warnings
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

import attrs

from . import __version__, cache, catalog, hcpcs, icd10cm
from .errors import FetchError, MedcodesError, ParseError, StaleReleaseWarning

SYSTEMS = ("icd10cm", "hcpcs")

# HCPCS Level II: a letter and four digits (J9308), or a two-character
# modifier (RT, 59). Everything else is taken for ICD-10-CM. A letter and four
# digits is also an ICD-10-CM code written without its dot (E1165 is E11.65):
# ``check`` asks both systems about those.
_HCPCS_FORM = re.compile(r"[A-Z]\d{4}|[A-Z0-9]{2}")
_BOTH_FORM = re.compile(r"[A-Z]\d{4}")
_MODIFIER_FORM = re.compile(r"[A-Z0-9]{2}")

_EPILOG = """\
examples:
  medcodes show E11.65                     an ICD-10-CM code: title, path, notes
  medcodes show J9308                      an HCPCS Level II code: its typed record
  medcodes check E11.9 S72.001 J9308       valid or not, and why (exit status 1 if not)
  medcodes check --file claims.csv --column dx --on 2025-11-03 --format csv
  medcodes diff bundled:2025 bundled:2026 --out update.md
  medcodes diff HCPC2024_JAN_ANWEB.txt HCPC2025_JAN_ANWEB.txt
  medcodes fetch icd10cm 2027              download an official release into the cache
  medcodes releases --system icd10cm       the catalog: bundled, cached, in force today

A release (--release, repeated once per system for a mixed claim) is a file,
folder or official zip as CMS and CDC publish it (its system is recognised), or
bundled (the newest release shipped with medcodes), bundled:YYYY, or a year
(ICD-10-CM: the fiscal year; HCPCS: its January file), bundled or in the cache.
"""


class _Usage(Exception):
    """A mistake in the arguments, reported as ``error: ...`` with status 2."""


def _bundled_year(spec: str) -> int | None:
    """``bundled`` -> 0 (the default release), ``bundled:YYYY`` or ``YYYY`` ->
    YYYY (bundled, else from the cache), else ``None`` (a file)."""
    if spec == "bundled":
        return 0
    if spec.isascii() and spec.isdigit() and len(spec) == 4:
        return int(spec)
    if spec.startswith("bundled:"):
        year = spec.split(":", 1)[1]
        if not (year.isascii() and year.isdigit()):
            raise _Usage(f"{spec!r}: expected bundled, bundled:YYYY or YYYY")
        return int(year)
    return None


def _load_icd10cm(spec: str) -> icd10cm.Codeset:
    year = _bundled_year(spec)
    if year is None:
        return icd10cm.load(spec)
    return icd10cm.load(fiscal_year=year or None)


def _load_hcpcs(spec: str) -> hcpcs.Codeset:
    year = _bundled_year(spec)
    if year is None:
        return hcpcs.load(spec)
    return hcpcs.load(year=year or None)


def _guess_file_system(spec: str) -> str:
    """The system a release file's name (or a zip's member names) suggests:
    CMS names its HCPCS files ``HCPC...``; everything else is taken for ICD-10-CM."""
    path = Path(spec)
    names = [path.name]
    try:
        if path.is_dir():
            names += [p.name for p in path.iterdir()]
        elif zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as z:
                names += z.namelist()[:1000]
    except (OSError, zipfile.BadZipFile):
        pass
    hcpcs_like = any("hcpc" in n.lower() or "anweb" in n.lower() for n in names)
    return "hcpcs" if hcpcs_like else "icd10cm"


def _load_file(spec: str) -> icd10cm.Codeset | hcpcs.Codeset:
    """A release file of either system: the one its name suggests, else the other.
    When neither reads it, the error is the first system's."""
    first = _guess_file_system(spec)
    try:
        return _load_hcpcs(spec) if first == "hcpcs" else _load_icd10cm(spec)
    except MedcodesError as exc:
        try:
            return _load_icd10cm(spec) if first == "hcpcs" else _load_hcpcs(spec)
        except MedcodesError:
            raise exc from None


def _system_of_codeset(codeset: icd10cm.Codeset | hcpcs.Codeset) -> str:
    return "hcpcs" if isinstance(codeset, hcpcs.Codeset) else "icd10cm"


def system_of(code: str) -> str:
    """The code system a code's written form belongs to: ``"hcpcs"`` for a
    letter and four digits or a two-character modifier, else ``"icd10cm"``.
    An ICD-10-CM code of five characters written without its dot (``E1165``)
    has the form of an HCPCS code too: ``medcodes check`` asks both systems
    about such a code (see :doc:`cli-check`); ``show`` prefers HCPCS.

    >>> system_of("E11.65"), system_of("j9308"), system_of("RT"), system_of("S72001A")
    ('icd10cm', 'hcpcs', 'hcpcs', 'icd10cm')
    """
    return "hcpcs" if _HCPCS_FORM.fullmatch(code.strip().upper()) else "icd10cm"


def _fetch_hint(on: dt.date) -> str:
    e = catalog.in_force("icd10cm", on)
    if e is None:
        return f"the catalog of this medcodes knows no ICD-10-CM release in force on {on}"
    return f"{e.label} is in force then: get it with `medcodes fetch icd10cm {e.release}`"


class _Releases:
    """The releases a command needs, each loaded once, on first use.

    ``specs`` are the ``--release`` arguments: a file counts for its own system;
    ``bundled``, ``bundled:YYYY`` and ``YYYY`` for each system no file names.
    """

    def __init__(self, specs: Sequence[str] | None) -> None:
        self._specs: dict[str, str] = {}
        self._icd: icd10cm.Codeset | None = None
        self._hcpcs: hcpcs.Codeset | None = None
        self._history: icd10cm.ReleaseHistory | None = None
        given = list(specs or ())
        named = [s for s in given if _bundled_year(s) is None]
        years = [s for s in given if _bundled_year(s) is not None]
        if len(years) > 1:
            raise _Usage("give one of bundled, bundled:YYYY or YYYY (and files)")
        for spec in named:
            cs = _load_file(spec)
            system = _system_of_codeset(cs)
            if system in self._specs:
                raise _Usage(f"two --release files of {system}: {self._specs[system]}, {spec}")
            self._specs[system] = spec
            if isinstance(cs, hcpcs.Codeset):
                self._hcpcs = cs
            else:
                self._icd = cs
        for system in SYSTEMS:
            self._specs.setdefault(system, years[0] if years else "bundled")

    def icd10cm(self, on: dt.date | None = None) -> icd10cm.Codeset | None:
        """The release; for the default (``bundled``) and a date of service, the
        release in force on that date among the bundled and cached ones, or
        ``None`` when neither has it (see :func:`_fetch_hint`)."""
        if self._specs["icd10cm"] == "bundled" and on is not None:
            if self._history is None:
                self._history = icd10cm.ReleaseHistory.from_cache()
            return self._history.release_for(on)
        if self._icd is None:
            self._icd = _load_icd10cm(self._specs["icd10cm"])
        return self._icd

    def hcpcs(self) -> hcpcs.Codeset:
        if self._hcpcs is None:
            self._hcpcs = _load_hcpcs(self._specs["hcpcs"])
        return self._hcpcs


# -- show ---------------------------------------------------------------------------


def _show_icd10cm(cm: icd10cm.Codeset, code: str, out: TextIO) -> int:
    node = cm.get(code)
    if node is None:
        check = cm.check_code(code)
        print(f"{code}: {check.message}", file=out)
        print(f"release:   {cm.release.label}", file=out)
        return 1
    print(f"{node.code}  {node.title}", file=out)
    print(f"release:   {cm.release.label}", file=out)
    print(f"kind:      {node.kind.value}", file=out)
    print(f"billable:  {'yes' if node.billable else 'no'}", file=out)
    if node.short_title:
        print(f"short:     {node.short_title}", file=out)
    path = [a.code for a in reversed(list(node.ancestors()))] + [node.code]
    print(f"path:      {' > '.join(path)}", file=out)
    children = node.children
    if children:
        shown = ", ".join(c.code for c in children[:12])
        more = f", ... ({len(children)} in all)" if len(children) > 12 else ""
        print(f"children:  {shown}{more}", file=out)
    if cm.has_notes:
        notes = cm.effective_notes(node)
        if notes:
            print("notes (nearest first; inherited ones name their node):", file=out)
        for e in notes:
            where = f" [{e.declared_on}]" if e.inherited else ""
            print(f"  {e.note.kind.value}{where}: {e.note.text}", file=out)
    return 0


def _show_hcpcs(hc: hcpcs.Codeset, code: str, out: TextIO) -> int:
    key = code.strip().upper()
    node = hc.get(key)
    if node is None and key in hc.modifiers:
        node = hc.modifiers[key]
    if node is None:
        check = hc.check_code(code)
        print(f"{code}: {check.message}", file=out)
        print(f"release:   {hc.release.label}", file=out)
        return 1
    print(f"{node.key}  {node.title}", file=out)
    print(f"release:   {hc.release.label}", file=out)
    print(f"kind:      {node.kind.value}", file=out)
    print(
        f"valid:     {'yes' if hc.is_valid(node.key) else 'no'} on {hc.release.effective}", file=out
    )
    record = node.record  # a code or modifier node always has its record
    for f in attrs.fields(type(record)):
        value = getattr(record, f.name)
        if value in (None, (), "") or f.name == "code":
            continue
        print(f"{f.name + ':':<28} {_plain(value)}", file=out)
    return 0


def _plain(value: Any) -> str:
    """A field value as text: enum members with their meaning, tuples joined."""
    if isinstance(value, tuple):
        return ", ".join(_plain(v) for v in value)
    meaning = getattr(value, "meaning", None)
    if meaning is not None:
        return f"{value.value} ({meaning})"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(getattr(value, "value", value))


def _cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    system = args.system or system_of(args.code)
    releases = _Releases(args.release)
    key = args.code.strip().upper()
    if args.system is None and _BOTH_FORM.fullmatch(key):
        # E1165: an HCPCS code if HCPCS has it, else ICD-10-CM E11.65 if that exists
        hc = releases.hcpcs()
        if key not in hc:
            cm = releases.icd10cm()
            assert cm is not None
            if cm.check_code(key).exists:
                system = "icd10cm"
    if system == "hcpcs":
        return _show_hcpcs(releases.hcpcs(), args.code, out)
    cm = releases.icd10cm()
    assert cm is not None  # no date of service: always a release
    return _show_icd10cm(cm, args.code, out)


# -- check --------------------------------------------------------------------------

_CHECK_COLUMNS = ("line", "text", "system", "code", "valid", "problem", "message", "suggestions")

_Check = icd10cm.CodeCheck | hcpcs.CodeCheck
_DELIMITERS = ",;\t|"


def _row(line: int | None, text: str, system: str, check: _Check) -> dict[str, Any]:
    return {
        "line": line,
        "text": text,
        "system": system,
        "code": check.code,
        "valid": check.valid,
        "problem": check.problem.name if check.problem is not None else None,
        "message": check.message,
        "suggestions": list(check.suggestions),
    }


def _codes_from_file(path: str, column: str | None) -> list[tuple[int, str]]:
    """The codes of a file with the line each is on: one per line, or the column
    ``column`` of a CSV file with a header line (``,``, ``;``, tab or ``|``
    between the fields: recognised). ``-`` is standard input."""
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise _Usage(f"cannot read {path}: {exc}") from exc
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    dialect: type[csv.Dialect] | csv.Dialect = csv.excel
    with contextlib.suppress(csv.Error):  # one column: no delimiter to find
        dialect = csv.Sniffer().sniff(first, delimiters=_DELIMITERS)
    if column is None:
        if any(d in first for d in _DELIMITERS):
            names = next(csv.reader([first], dialect), [])
            raise _Usage(
                f"{path} looks like CSV (line 1: {first[:80]!r}): give --column NAME "
                f"(columns: {', '.join(names)})"
            )
        return [(n, line.strip()) for n, line in enumerate(lines, 1) if line.strip()]
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    if reader.fieldnames is None or column not in reader.fieldnames:
        have = ", ".join(reader.fieldnames or ()) or "none"
        raise _Usage(f"{path}: no column {column!r} (columns: {have})")
    found = []
    for row in reader:
        value = (row[column] or "").strip()
        if value:
            found.append((reader.line_num, value))
    return found


def _form(text: str, system: str | None) -> str:
    """How to check a code: ``icd10cm``, ``hcpcs``, ``modifier`` or ``both``
    (a letter and four digits: an HCPCS code, or ICD-10-CM without its dot)."""
    key = text.strip().upper()
    if system == "icd10cm":
        return "icd10cm"
    if _MODIFIER_FORM.fullmatch(key):
        return "modifier"
    if system == "hcpcs":
        return "hcpcs"
    if _BOTH_FORM.fullmatch(key):
        return "both"
    return "icd10cm"


def _outside(text: str, on: dt.date) -> icd10cm.CodeCheck:
    return icd10cm.CodeCheck(
        text,
        None,
        icd10cm.Problem.OUTSIDE_RELEASE,
        f"no ICD-10-CM release bundled or cached is in force on {on}: {_fetch_hint(on)}",
        day=on,
    )


def _either(
    text: str, icd: _Check, hc: _Check, releases: _Releases, on: dt.date | None
) -> tuple[str, _Check]:
    """The answer for a letter and four digits, from both systems' checks: the
    system where it is valid; when valid in both, AMBIGUOUS; when valid in
    neither, the system where the code exists (HCPCS first), else HCPCS."""
    if icd.valid and hc.valid:
        cm = releases.icd10cm(on)
        assert cm is not None and icd.code is not None and hc.code is not None
        hcpcs_node = releases.hcpcs().get(hc.code)
        icd_title = cm[icd.code].title
        hc_title = hcpcs_node.title if hcpcs_node is not None else ""
        check = hcpcs.CodeCheck(
            text,
            hc.code,
            None,
            f"{text} is valid in both systems: ICD-10-CM {icd.code} ({icd_title}) and HCPCS "
            f"{hc.code} ({hc_title}); write the ICD-10-CM code with its dot, or pass --system",
            (icd.code, hc.code),
            hc.day,
        )
        return "ambiguous", check
    if icd.valid:
        return "icd10cm", icd
    if hc.valid or hc.exists or not icd.exists:
        return "hcpcs", hc
    return "icd10cm", icd


def _check_rows(
    codes: Sequence[tuple[int | None, str]],
    system: str | None,
    releases: _Releases,
    on: dt.date | None,
) -> list[dict[str, Any]]:
    """One row per code, in order: ICD-10-CM and HCPCS codes through the bulk
    check (each distinct code once, with suggestions), modifiers through
    ``check_modifier``."""
    forms = [_form(text, system) for _, text in codes]
    icd_checks: dict[int, _Check] = {}
    hc_checks: dict[int, _Check] = {}
    where = [i for i, f in enumerate(forms) if f in ("icd10cm", "both")]
    if where:
        cm = releases.icd10cm(on)
        texts = [codes[i][1] for i in where]
        if cm is None:
            assert on is not None
            icd_checks.update((i, _outside(t, on)) for i, t in zip(where, texts, strict=True))
        else:
            icd_checks.update(zip(where, cm.check_codes(texts, on=on, suggest=True), strict=True))
    where = [i for i, f in enumerate(forms) if f in ("hcpcs", "both")]
    if where:
        hc = releases.hcpcs()
        texts = [codes[i][1] for i in where]
        hc_checks.update(zip(where, hc.check_codes(texts, on=on, suggest=True), strict=True))
    rows = []
    for i, (line, text) in enumerate(codes):
        form = forms[i]
        check: _Check
        if form == "modifier":
            system_name, check = "hcpcs", releases.hcpcs().check_modifier(text, on=on)
        elif form == "both":
            system_name, check = _either(text, icd_checks[i], hc_checks[i], releases, on)
        elif form == "hcpcs":
            system_name, check = "hcpcs", hc_checks[i]
        else:
            system_name, check = "icd10cm", icd_checks[i]
        row = _row(line, text, system_name, check)
        if system_name == "ambiguous":
            row["valid"], row["problem"] = False, "AMBIGUOUS"
        rows.append(row)
    return rows


def _cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    codes: list[tuple[int | None, str]] = [(None, c) for c in args.codes]
    if args.file is not None:
        codes += _codes_from_file(args.file, args.column)
    elif args.column is not None:
        raise _Usage("--column needs --file")
    if not codes:
        raise _Usage("no code to check: give codes, or --file")
    on: dt.date | None = None
    if args.on is not None:
        try:
            on = dt.date.fromisoformat(args.on)
        except ValueError:
            raise _Usage(f"--on {args.on!r}: expected a date as YYYY-MM-DD") from None
    rows = _check_rows(codes, args.system, _Releases(args.release), on)
    _write_rows(rows, args.format, out)
    return 0 if all(r["valid"] for r in rows) else 1


def _write_rows(rows: list[dict[str, Any]], fmt: str, out: TextIO) -> None:
    """The check rows as JSON (``null`` for no problem, lists of suggestions), CSV
    (``True``/``False`` as in the diff's CSV, suggestions joined with spaces) or a
    table for a person."""
    if fmt == "json":
        out.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return
    flat = [
        {
            **r,
            "line": "" if r["line"] is None else str(r["line"]),
            "code": r["code"] or "",
            "problem": r["problem"] or "",
            "suggestions": " ".join(r["suggestions"]),
        }
        for r in rows
    ]
    if fmt == "csv":
        writer = csv.DictWriter(out, _CHECK_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(flat)
        return
    for r in flat:
        r["valid"] = "yes" if r["valid"] else "no"
    shown: tuple[str, ...] = ("text", "valid", "problem")
    if any(r["line"] for r in flat):
        shown = ("line", *shown)
    widths = {c: max(len(c), *(len(r[c]) for r in flat)) for c in shown}
    print("  ".join(c.ljust(widths[c]) for c in shown) + "  message", file=out)
    for r in flat:
        print("  ".join(r[c].ljust(widths[c]) for c in shown) + "  " + r["message"], file=out)


# -- diff ---------------------------------------------------------------------------


def _diff_system(old: str, new: str) -> str:
    """The system of two releases named on the command line: that of the files
    (read once to tell), ``icd10cm`` when both are bundled."""
    found = {_system_of_codeset(_load_file(s)) for s in (old, new) if _bundled_year(s) is None}
    if len(found) > 1:
        raise _Usage(f"{old} and {new} are releases of different systems")
    return found.pop() if found else "icd10cm"


def report(
    old: str,
    new: str,
    fmt: str,
    system: str | None = None,
    *,
    all_disagreements: bool = False,
    warn: TextIO | None = None,
) -> str:
    """The update report of two releases of ``system`` in ``md``, ``csv`` or
    ``json``: what ``medcodes diff`` writes. The CSV starts with a ``#`` line
    that says what the CSV leaves out. Without ``system``, the system of the
    files."""
    changes: icd10cm.ReleaseDiff | hcpcs.HcpcsDiff
    system = system or _diff_system(old, new)
    if system == "hcpcs":
        changes = hcpcs.diff(_load_hcpcs(old), _load_hcpcs(new))
    else:
        changes = icd10cm.diff(_load_icd10cm(old), _load_icd10cm(new))
    if changes.old.release.effective > changes.new.release.effective:
        print(
            f"warning: OLD ({changes.old.release.label}) takes effect after NEW "
            f"({changes.new.release.label}): the report runs backwards",
            file=warn or sys.stderr,
        )
    if fmt == "md":
        if isinstance(changes, hcpcs.HcpcsDiff):
            return changes.to_markdown(all_disagreements=all_disagreements)
        return changes.to_markdown()
    if fmt == "csv":
        o, n = changes.old.release.label, changes.new.release.label
        if isinstance(changes, hcpcs.HcpcsDiff):
            left_out = (
                f"left out: the {len(changes.announced):,} changes the newer file announces "
                f"by action code and the {len(changes.disagreements()):,} action codes that "
                "disagree with the computed changes (see --format json or md)"
            )
        else:
            left_out = "left out: the addenda counts (see --format json or md)"
        body = changes.to_csv()
        newline = "\r\n" if body.endswith("\r\n") else "\n"  # the csv module's CRLF
        summary = changes.summary()  # one type for both systems
        kinds = ", ".join(f"{k:,} {kind.value}" for kind, k in summary.by_kind.items())
        counted = f"{summary.total:,} computed changes" + (f" ({kinds})" if kinds else "")
        return f"# {o} -> {n}: {counted}; {left_out}{newline}" + body
    return changes.to_json()


def _cmd_diff(args: argparse.Namespace, out: TextIO) -> int:
    text = report(
        args.old, args.new, args.format, args.system, all_disagreements=args.all_disagreements
    )
    try:
        if args.out:
            args.out.write_text(text, encoding="utf-8")
        else:
            out.write(text)
    except OSError as exc:
        raise _Usage(f"cannot write the report: {exc}") from exc
    return 0


# -- fetch --------------------------------------------------------------------------


def _release_arg(text: str) -> str | int:
    """A release as typed: a bare year is the API's ``int`` (ICD-10-CM: the
    fiscal year; HCPCS: its January file), anything else the catalog's name."""
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() else text


def _cmd_fetch(args: argparse.Namespace, out: TextIO) -> int:
    release = _release_arg(args.release)
    parts = None if args.part is None else tuple(dict.fromkeys(args.part))
    try:
        folder = cache.fetch(
            args.system,
            release,
            cache_dir=args.cache_dir,
            parts=parts,
            mirror=args.mirror,
            timeout=args.timeout,
        )
    except FetchError as exc:
        print(f"medcodes fetch: error: {exc}", file=sys.stderr)
        return 1
    e = catalog.entry(args.system, release)
    have = cache.cached_files(args.system, release, cache_dir=args.cache_dir)
    print(f"{e.label}: {folder}", file=out)
    for f in e.files:
        if f.part in have and (parts is None or f.part in parts):
            path = have[f.part]
            print(f"  {f.part:<8} {path}  ({path.stat().st_size:,} bytes)", file=out)
    return 0


# -- releases -----------------------------------------------------------------------

_RELEASE_COLUMNS = (
    "system",
    "release",
    "effective",
    "until",
    "bundled",
    "cached",
    "in_force",
    "catalog",
    "label",
    "note",
)


def _cmd_releases(args: argparse.Namespace, out: TextIO) -> int:
    on: dt.date | None = None
    if args.on is not None:
        try:
            on = dt.date.fromisoformat(args.on)
        except ValueError:
            raise _Usage(f"--on {args.on!r}: expected a date as YYYY-MM-DD") from None
    rows = cache.releases(args.system, cache_dir=args.cache_dir, on=on)
    if args.format == "json":
        payload = [
            {
                "system": r.system,
                "release": r.release,
                "effective": r.effective.isoformat(),
                "until": r.until.isoformat(),
                "bundled": r.bundled,
                "cached": list(r.cached),
                "in_force": r.in_force,
                "verified": r.verified,
                "label": r.label,
                "note": catalog.entry(r.system, r.release).note,
            }
            for r in rows
        ]
        out.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
        return 0
    # yes/no for a person; True/False in CSV, as in the CSV of check and diff
    yes, no = ("True", "False") if args.format == "csv" else ("yes", "no")
    table = [
        {
            "system": r.system,
            "release": r.release,
            "effective": r.effective.isoformat(),
            "until": r.until.isoformat(),
            "bundled": yes if r.bundled else no,
            "cached": " ".join(r.cached) if r.cached else "",
            "in_force": yes if r.in_force else no,
            "catalog": "verified" if r.verified else "unsure",
            "label": r.label,
            "note": catalog.entry(r.system, r.release).note,
        }
        for r in rows
    ]
    if args.format == "csv":
        writer = csv.DictWriter(out, _RELEASE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)
        return 0
    for r in table:
        r["cached"] = r["cached"] or "no"
    shown = _RELEASE_COLUMNS[:-2]  # the label and the note: in csv and json
    widths = {c: max(len(c), *(len(r[c]) for r in table)) for c in shown}
    print("  ".join(c.ljust(widths[c]) for c in shown).rstrip(), file=out)
    for r in table:
        print("  ".join(r[c].ljust(widths[c]) for c in shown).rstrip(), file=out)
    day = on or catalog.today()
    unsure = sum(r["catalog"] == "unsure" for r in table)
    print(f"in force: on {day.isoformat()}", file=out)
    print(
        f"unsure: {unsure} of {len(table)} (file names or sizes not checked against the "
        "publisher; --format csv or json gives the notes)",
        file=out,
    )
    print(f"cache: {args.cache_dir or cache.cache_dir()}", file=out)
    return 0


# -- the parser ---------------------------------------------------------------------

_Command = Callable[[argparse.Namespace, TextIO], int]


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="medcodes",
        description="Look up and check ICD-10-CM and HCPCS Level II codes, report "
        "what changed between two official releases, and fetch official releases.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--version", action="version", version=f"medcodes {__version__}")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")
    release_help = (
        "a release file, folder or zip (its system is recognised; repeat for the other "
        "system), or bundled, bundled:YYYY or YYYY (default: bundled)"
    )
    system_help = "the code system (default: recognised from each code's form)"

    show = sub.add_parser(
        "show",
        help="one code: title, path and notes (ICD-10-CM) or its record (HCPCS)",
        description="Show one code of a release.",
        epilog="examples:\n  medcodes show E11.65\n  medcodes show J9308\n"
        "  medcodes show S72.001A --release bundled:2025",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    show.add_argument("code")
    show.add_argument("--release", action="append", metavar="RELEASE", help=release_help)
    show.add_argument("--system", choices=SYSTEMS, help=system_help)
    show.set_defaults(run=_cmd_show)

    check = sub.add_parser(
        "check",
        help="check codes: exit status 0 if all are valid, 1 if some are not",
        description="Check codes for a claim. Exit status: 0 when all are valid, 1 when "
        "some are not, 2 on a usage error.",
        epilog="examples:\n  medcodes check E11.9 S72.001 J9308\n"
        "  medcodes check --file codes.txt --format json\n"
        "  medcodes check --file claims.csv --column dx --on 2025-11-03",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("codes", nargs="*", metavar="CODE")
    check.add_argument("--file", help="read codes from this file (one a line; - for stdin)")
    check.add_argument("--column", help="the file is CSV with a header: read this column")
    check.add_argument("--on", help="the date of service, YYYY-MM-DD")
    check.add_argument("--format", choices=("table", "csv", "json"), default="table")
    check.add_argument("--release", action="append", metavar="RELEASE", help=release_help)
    check.add_argument("--system", choices=SYSTEMS, help=system_help)
    check.set_defaults(run=_cmd_check)

    diff = sub.add_parser(
        "diff",
        help="the update report: what changed from one release to the next",
        description="The update report: every added, deleted, revised code of NEW against "
        "OLD, with the summary (ICD-10-CM in the terms of CMS's addenda).",
        epilog="examples:\n  medcodes diff bundled:2025 bundled:2026\n"
        "  medcodes diff old.zip new.zip --format csv --out changes.csv\n"
        "  medcodes diff HCPC2020_ANWEB.txt bundled        (HCPCS: recognised from the file)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    diff.add_argument(
        "old",
        help="the older release: a file, folder or zip, or bundled / bundled:YYYY "
        "(ICD-10-CM: 2025, 2026; HCPCS: 2025)",
    )
    diff.add_argument("new", help="the newer release")
    diff.add_argument(
        "--system",
        choices=SYSTEMS,
        help="the code system (default: recognised from the files; icd10cm for two bundled)",
    )
    diff.add_argument("--format", choices=("md", "csv", "json"), default="md")
    diff.add_argument("--out", type=Path, help="write here instead of standard output")
    diff.add_argument(
        "--all-disagreements",
        action="store_true",
        help="HCPCS markdown: list every action code that disagrees with the files "
        "(default: counts by reason)",
    )
    diff.set_defaults(run=_cmd_diff)

    cache_help = "the cache folder (default: $MEDCODES_CACHE, else the user cache folder)"
    fetch = sub.add_parser(
        "fetch",
        help="download an official release into the cache (exit status 1 if it fails)",
        description="Download the files of an official release into the cache, check their "
        "size and SHA-256,\nand print the cache folder and the files. A file already cached "
        "is not downloaded again.\n\nexit status:\n"
        "  0  the files are in the cache\n"
        "  1  a download failed: the message, on standard error, names the URL and where "
        "to put\n     a file downloaded by hand; nothing is cached\n"
        "  2  a usage error (no such release or part)",
        epilog="examples:\n  medcodes fetch icd10cm 2027\n"
        "  medcodes fetch icd10cm 2027 --part order         the order file alone (2 MB)\n"
        "  medcodes fetch hcpcs 2026-10 --cache-dir ./releases\n"
        "  medcodes fetch hcpcs 2025                         a bare year: January\n\n"
        "RELEASE is a name of `medcodes releases`: 2027, 2026-04 (ICD-10-CM), 2025-10 "
        "(HCPCS).\nThe environment variable MEDCODES_MIRROR is the default --mirror.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    fetch.add_argument("system", choices=SYSTEMS, metavar="SYSTEM", help="icd10cm or hcpcs")
    fetch.add_argument(
        "release", metavar="RELEASE", help="the release, as `medcodes releases` names it"
    )
    fetch.add_argument("--cache-dir", metavar="DIR", help=cache_help)
    fetch.add_argument(
        "--part",
        action="append",
        metavar="P",
        help="only this part (ICD-10-CM: order, tabular; HCPCS: anweb); repeat for more "
        "(default: every part)",
    )
    fetch.add_argument(
        "--mirror",
        metavar="URL",
        help="a server holding the files under their official paths (http://host:port)",
    )
    fetch.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        metavar="S",
        help="seconds a connection or read may wait (default: 30)",
    )
    fetch.set_defaults(run=_cmd_fetch)

    rel = sub.add_parser(
        "releases",
        help="the catalog of official releases: bundled, cached, in force today",
        description="The catalog of official releases, one a line: whether it is bundled "
        "(loads offline),\nwhich of its parts are in the cache, whether it is in force "
        "today (or on --on), and\nwhether the catalog's facts on its files are verified "
        "against the publisher or unsure.",
        epilog="examples:\n  medcodes releases\n"
        "  medcodes releases --system hcpcs --on 2025-11-03\n"
        "  medcodes releases --format csv > releases.csv",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    rel.add_argument("--system", choices=SYSTEMS, help="one system (default: both)")
    rel.add_argument(
        "--on", metavar="DATE", help="the day for the in_force column, YYYY-MM-DD (default: today)"
    )
    rel.add_argument("--cache-dir", metavar="DIR", help=cache_help)
    rel.add_argument("--format", choices=("table", "csv", "json"), default="table")
    rel.set_defaults(run=_cmd_releases)
    return ap


def main(argv: Iterable[str] | None = None) -> int:
    """Run the ``medcodes`` command with ``argv`` (default: ``sys.argv[1:]``)
    and return its exit status.

    The output is written when the command is done, so a reader that goes away
    (``medcodes check ... | head -1``) does not change the exit status. A
    :class:`~medcodes.errors.StaleReleaseWarning` is printed once, as
    ``medcodes: warning: ...``, on standard error."""
    ap = _parser()
    args = ap.parse_args(None if argv is None else list(argv))
    run: _Command = args.run
    buffer = io.StringIO()
    error = ""
    said: set[str] = set()
    with warnings.catch_warnings():
        warnings.simplefilter("default", StaleReleaseWarning)  # said, never raised
        shown = warnings.showwarning

        def show(
            message: Warning | str,
            category: type[Warning],
            filename: str,
            lineno: int,
            file: TextIO | None = None,
            line: str | None = None,
        ) -> None:
            if not issubclass(category, StaleReleaseWarning):
                shown(message, category, filename, lineno, file, line)
            elif str(message) not in said:
                said.add(str(message))
                print(
                    f"medcodes: warning: {message} (or name a release with --release)",
                    file=sys.stderr,
                )

        warnings.showwarning = show
        try:
            status = run(args, buffer)
        except _Usage as exc:
            error, status = f"medcodes {args.command}: error: {exc}", 2
        except MedcodesError as exc:
            hint = ""
            wrong_kind = ("not an ICD-10-CM file", "found no ICD-10-CM")
            if isinstance(exc, ParseError) and any(w in exc.reason for w in wrong_kind):
                hint = " (HCPCS files? pass --system hcpcs)"
            error, status = f"medcodes {args.command}: error: {exc}{hint}", 2
    try:
        sys.stdout.write(buffer.getvalue())
        sys.stdout.flush()
    except BrokenPipeError:  # `medcodes check ... | head`: the reader has gone
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # no second error when Python flushes
    if error:
        print(error, file=sys.stderr)
    return status
