#!/usr/bin/env python3
"""A short tour of medcodes on the bundled data (the README's main job)."""

from __future__ import annotations

import datetime as dt
import time

import medcodes


def main() -> None:
    start = time.perf_counter()
    cm = medcodes.icd10cm.load()
    took = time.perf_counter() - start
    print(
        f"Loaded {cm.release.label} in {took:.2f} s: {len(cm):,} nodes, "
        f"{len(cm.billable_codes()):,} billable codes"
    )
    for src in cm.release.sources:
        where = f"{src.member} in {src.path.rsplit('/', 1)[-1]}" if src.member else src.name
        print(f"  {src.format:<8} {where}  sha256 {src.sha256[:16]}...")

    print("\nLook up a code (any written form works: 'E11.65', 'e1165'):")
    node = cm["e1165"]
    print(f"  {node.code}  {node.title}  [{node.kind.value}, billable={node.billable}]")
    print(f"  short title: {node.short_title}")

    print("\nIts ancestors, nearest first:")
    for a in node.ancestors():
        print(f"  {a.kind.value:<11} {a.code:<9} {a.title}")

    print("\nThe children of S72.00 and the 7th characters of S72.001:")
    for child in cm["S72.00"].children:
        print(f"  {child.code}  {child.title}")
    rule = cm["S72.001"].seventh_characters
    assert rule is not None
    print(f"  7th characters declared on {rule.declared_on}: {rule.chars}")

    print("\nCheck codes for a claim:")
    for text in ["E11.65", "E11", "S72.001", "S52.011B", "T3601A", "I10A", "E11.66", "99213"]:
        check = cm.check_code(text)
        status = "valid" if check.valid else check.problem.name  # type: ignore[union-attr]
        hint = f"  -> {', '.join(check.suggestions[:3])}" if check.suggestions else ""
        print(f"  {text:<9} {status:<30} {check.message}{hint}")
    late = cm.check_code("E11.65", on=dt.date(2025, 12, 1))
    print(f"  E11.65 on 2025-12-01: {late.problem.name}: {late.message}")  # type: ignore[union-attr]

    print("\nChapters and blocks are nodes too; a block may share its name with a category:")
    print(f"  cm['19']       -> {cm['19'].title}")
    print(f"  cm['B10']      -> {cm['B10'].kind.value}: {cm['B10'].title}")
    print(f"  cm.block('B10') -> {cm.block('B10').kind.value}: {cm.block('B10').title}")

    print("\nMay two codes be reported together? (Excludes1, inherited from any ancestor)")
    for first, second in [("E10.9", "E11.9"), ("I63.9", "S06.5X0A"), ("R42", "F31.9")]:
        found = cm.conflicts(first, second)
        if not found:
            also = cm.excludes2_relations(first, second)
            print(
                f"  {first} + {second}: no Excludes1; {len(also)} Excludes2 note(s): "
                "both may be coded"
            )
        for c in found:
            print(
                f"  {first} + {second}: {c.declared_kind.value} {c.declared_on} excludes "
                f"{c.note.text!r}"
            )

    print("\nCheck a claim (first-listed first):")
    claim = ["F02.80", "G30.9", "E11.9", "E10.9"]
    print(f"  {claim}")
    for f in cm.check_claim(claim):
        print(f"  {f.severity.value:<7} {f.message}")

    print("\nWhat changed from the April 2025 release (also bundled) to this one:")
    old = medcodes.icd10cm.load(fiscal_year=2025)
    changes = medcodes.icd10cm.diff(old, cm)
    s = changes.summary()
    for name, counts in (("codes", s.codes), ("headers", s.headers)):
        assert counts is not None
        print(
            f"  {name:<8} {counts.old_total:>6,} -> {counts.new_total:>6,}: "
            f"+{counts.additions} -{counts.deletions}, {counts.revisions} revised"
        )
    for change in changes.now_header[:3]:
        print(f"  {change.code} {change.before!r} was expanded into {', '.join(change.related)}")
    print(f"  ... {len(changes):,} changes; scripts/update_report.py writes them all")

    print("\nHCPCS Level II (the bundled January 2025 file):")
    hc = medcodes.hcpcs.load()
    print(f"  {len(hc):,} procedure codes, {len(hc.modifiers)} modifiers")
    j9308 = hc["J9308"]
    record = j9308.record
    assert record is not None and isinstance(record.coverage, medcodes.hcpcs.CoverageCode)
    section = j9308.parent.code if j9308.parent else "-"
    print(f"  {j9308.code} {j9308.title} (section {section})")
    print(f"  added {record.added}, coverage: {record.coverage.meaning}")
    for code, day in [("U0003", dt.date(2023, 5, 12)), ("RT", None), ("J9398", None)]:
        print(f"  check {code} on {day or 'release date'}: {hc.check_code(code, on=day).message}")

    today = medcodes.catalog.today()
    print(f"\nThe releases in force today ({today}), per the catalog of official releases:")
    for row in medcodes.releases():
        if row.in_force:
            where = "bundled" if row.bundled else ("cached" if row.cached else "not here")
            print(f"  {row.label}: {where}")
            if not row.bundled and not row.cached:
                print(f"    get it with: medcodes.fetch({row.system!r}, {row.release!r})")
    for cs in (cm, hc):
        if not cs.release.in_force(today):
            print(f"  the bundled {cs.release.label} is out of date (load() warned on stderr)")


if __name__ == "__main__":
    main()
