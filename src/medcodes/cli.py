"""The ``medcodes`` command: look up a code, check codes, report a yearly update,
fetch an official release, list the releases.

Run ``medcodes --help`` (or ``python -m medcodes --help``). Each subcommand is a
plain function from its parsed arguments to an exit status: 0 when all went
well, 1 when a code asked about is not valid (or not found) or a download
failed, 2 on a usage error (bad arguments, a file that cannot be read or
parsed).

>>> main(["check", "E11.9", "J9308", "--format", "csv"])
text,system,code,valid,problem,message,suggestions
E11.9,icd10cm,E11.9,yes,,E11.9 is a valid code,
J9308,hcpcs,J9308,yes,,J9308 is valid on 2025-01-01,
0
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

import attrs

from . import __version__, cache, catalog, hcpcs, icd10cm
from .errors import FetchError, MedcodesError, ParseError
from .icd10cm.loader import BUNDLED

SYSTEMS = ("icd10cm", "hcpcs")

# HCPCS Level II: a letter and four digits (J9308), or a two-character
# modifier (RT, 59). Everything else is taken for ICD-10-CM.
_HCPCS_FORM = re.compile(r"[A-Z]\d{4}|[A-Z0-9]{2}")

_EPILOG = """\
examples:
  medcodes show E11.65                     an ICD-10-CM code: title, path, notes
  medcodes show J9308                      an HCPCS Level II code: its typed record
  medcodes check E11.9 S72.001 J9308       valid or not, and why (exit status 1 if not)
  medcodes check --file claims.csv --column dx --on 2025-11-03 --format csv
  medcodes diff bundled:2025 bundled:2026 --out update.md
  medcodes diff HCPC2024_JAN_ANWEB.txt HCPC2025_JAN_ANWEB.txt --system hcpcs
  medcodes fetch icd10cm 2027              download an official release into the cache
  medcodes releases --system icd10cm       the catalog: bundled, cached, in force today

A release is a file, folder or official zip as CMS and CDC publish it, or
bundled (the newest release shipped with medcodes) or bundled:YYYY.
"""


class _Usage(Exception):
    """A mistake in the arguments, reported as ``error: ...`` with status 2."""


def _bundled_year(spec: str) -> int | None:
    """``bundled`` -> 0 (the default release), ``bundled:YYYY`` -> YYYY, else ``None``."""
    if spec == "bundled":
        return 0
    if spec.startswith("bundled:"):
        year = spec.split(":", 1)[1]
        if not (year.isascii() and year.isdigit()):
            raise _Usage(f"{spec!r}: expected bundled or bundled:YYYY")
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


def system_of(code: str) -> str:
    """The code system a code's written form belongs to: ``"hcpcs"`` for a
    letter and four digits or a two-character modifier, else ``"icd10cm"``.
    An ICD-10-CM code of five characters written without its dot (``E1165``)
    has the form of an HCPCS code: write the dot, or pass ``--system``.

    >>> system_of("E11.65"), system_of("j9308"), system_of("RT"), system_of("S72001A")
    ('icd10cm', 'hcpcs', 'hcpcs', 'icd10cm')
    """
    return "hcpcs" if _HCPCS_FORM.fullmatch(code.strip().upper()) else "icd10cm"


class _Releases:
    """The releases a command needs, each loaded once, on first use."""

    def __init__(self, spec: str) -> None:
        self._spec = spec
        self._icd: icd10cm.Codeset | None = None
        self._hcpcs: hcpcs.Codeset | None = None

    def icd10cm(self, on: dt.date | None = None) -> icd10cm.Codeset:
        """The release; for ``bundled`` and a date of service, the bundled
        release in force on that date (the default when none is)."""
        if self._icd is None:
            if self._spec == "bundled" and on is not None:
                history = icd10cm.ReleaseHistory(
                    [icd10cm.load(fiscal_year=year) for year in sorted(BUNDLED)]
                )
                self._icd = history.release_for(on) or history.releases[-1]
            else:
                self._icd = _load_icd10cm(self._spec)
        return self._icd

    def hcpcs(self) -> hcpcs.Codeset:
        if self._hcpcs is None:
            self._hcpcs = _load_hcpcs(self._spec)
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
    if system == "hcpcs":
        return _show_hcpcs(releases.hcpcs(), args.code, out)
    return _show_icd10cm(releases.icd10cm(), args.code, out)


# -- check --------------------------------------------------------------------------

_CHECK_COLUMNS = ("text", "system", "code", "valid", "problem", "message", "suggestions")


def _check_all(
    codeset: icd10cm.Codeset | hcpcs.Codeset, codes: Sequence[str], on: dt.date | None
) -> list[icd10cm.CodeCheck | hcpcs.CodeCheck]:
    """One check per code, in order: the bulk check (each distinct code checked
    once), with suggestions, as ``check_code`` gives them."""
    return list(codeset.check_codes(codes, on=on, suggest=True))


def _codes_from_file(path: str, column: str | None) -> list[str]:
    """The codes of a file: one per line, or the column ``column`` of a CSV file
    with a header line (``-`` is standard input)."""
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise _Usage(f"cannot read {path}: {exc}") from exc
    if column is None:
        return [line.strip() for line in text.splitlines() if line.strip()]
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or column not in reader.fieldnames:
        have = ", ".join(reader.fieldnames or ()) or "none"
        raise _Usage(f"{path}: no column {column!r} (columns: {have})")
    return [row[column].strip() for row in reader if (row[column] or "").strip()]


def _cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    codes: list[str] = list(args.codes)
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
    releases = _Releases(args.release)
    systems = [args.system or system_of(c) for c in codes]
    rows: list[dict[str, str]] = []
    results: dict[int, icd10cm.CodeCheck | hcpcs.CodeCheck] = {}
    for system in SYSTEMS:
        where = [i for i, s in enumerate(systems) if s == system]
        if where:
            codeset = releases.hcpcs() if system == "hcpcs" else releases.icd10cm(on)
            checks = _check_all(codeset, [codes[i] for i in where], on)
            results.update(zip(where, checks, strict=True))
    for i, code in enumerate(codes):
        check = results[i]
        rows.append(
            {
                "text": code,
                "system": systems[i],
                "code": check.code or "",
                "valid": "yes" if check.valid else "no",
                "problem": check.problem.name if check.problem is not None else "",
                "message": check.message,
                "suggestions": " ".join(check.suggestions),
            }
        )
    _write_rows(rows, args.format, out)
    return 0 if all(r["valid"] == "yes" for r in rows) else 1


def _write_rows(rows: list[dict[str, str]], fmt: str, out: TextIO) -> None:
    if fmt == "json":
        payload = [{**r, "valid": r["valid"] == "yes"} for r in rows]
        out.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        writer = csv.DictWriter(out, _CHECK_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    else:
        shown = ("text", "valid", "problem", "message")
        widths = {c: max(len(c), *(len(r[c]) for r in rows)) for c in shown[:-1]}
        print("  ".join(c.ljust(widths[c]) for c in shown[:-1]) + "  message", file=out)
        for r in rows:
            print(
                "  ".join(r[c].ljust(widths[c]) for c in shown[:-1]) + "  " + r["message"], file=out
            )


# -- diff ---------------------------------------------------------------------------


def report(
    old: str,
    new: str,
    fmt: str,
    system: str = "icd10cm",
    *,
    all_disagreements: bool = False,
    warn: TextIO | None = None,
) -> str:
    """The update report of two releases of ``system`` in ``md``, ``csv`` or
    ``json``: what ``medcodes diff`` writes. The CSV starts with a ``#`` line
    that says what the CSV leaves out."""
    changes: icd10cm.ReleaseDiff | hcpcs.HcpcsDiff
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
    table = [
        {
            "system": r.system,
            "release": r.release,
            "effective": r.effective.isoformat(),
            "until": r.until.isoformat(),
            "bundled": "yes" if r.bundled else "no",
            "cached": " ".join(r.cached) if r.cached else "no",
            "in_force": "yes" if r.in_force else "no",
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
    release_help = "a release file, folder or zip, or bundled / bundled:YYYY (default: bundled)"
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
    show.add_argument("--release", default="bundled", help=release_help)
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
    check.add_argument("--release", default="bundled", help=release_help)
    check.add_argument("--system", choices=SYSTEMS, help=system_help)
    check.set_defaults(run=_cmd_check)

    diff = sub.add_parser(
        "diff",
        help="the update report: what changed from one release to the next",
        description="The update report: every added, deleted, revised code of NEW against "
        "OLD, with the summary (ICD-10-CM in the terms of CMS's addenda).",
        epilog="examples:\n  medcodes diff bundled:2025 bundled:2026\n"
        "  medcodes diff old.zip new.zip --format csv --out changes.csv\n"
        "  medcodes diff HCPC2020_ANWEB.txt bundled --system hcpcs",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    diff.add_argument(
        "old",
        help="the older release: a file, folder or zip, or bundled / bundled:YYYY "
        "(ICD-10-CM: 2025, 2026; HCPCS: 2025)",
    )
    diff.add_argument("new", help="the newer release")
    diff.add_argument("--system", choices=SYSTEMS, default="icd10cm")
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
    and return its exit status."""
    ap = _parser()
    args = ap.parse_args(None if argv is None else list(argv))
    run: _Command = args.run
    try:
        return run(args, sys.stdout)
    except BrokenPipeError:  # `medcodes show ... | head`: the reader has gone
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # no second error when Python flushes
        return 1
    except _Usage as exc:
        print(f"medcodes {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except MedcodesError as exc:
        hint = ""
        wrong_kind = ("not an ICD-10-CM file", "found no ICD-10-CM")
        if isinstance(exc, ParseError) and any(w in exc.reason for w in wrong_kind):
            hint = " (HCPCS files? pass --system hcpcs)"
        print(f"medcodes {args.command}: error: {exc}{hint}", file=sys.stderr)
        return 2
