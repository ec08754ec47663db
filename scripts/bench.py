#!/usr/bin/env python3
"""Benchmarks for medcodes, printed as ratios against a floor measured in the same run.

Floors: a bare ``lxml.etree.parse`` of the same tabular XML file. Lookups are
reported per call. Peak memory is the maximum RSS of a fresh process that only
loads the bundled release. Benchmarks are not tests: nothing here asserts.

Usage: python scripts/bench.py [--repeat N] [--only bulk]
"""

from __future__ import annotations

import argparse
import gc
import gzip
import lzma
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

from lxml import etree

import medcodes
from medcodes.icd10cm.loader import BUNDLED, BUNDLED_DEFAULT
from medcodes.icd10cm.tabular import _PARSER as _TABULAR_PARSER

T = TypeVar("T")


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def best_cpu(fn: Callable[[], object], repeat: int) -> float:
    """The least CPU time of ``repeat`` runs: steadier than wall time when other
    processes share the cores."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def per_call(fn: Callable[[T], object], items: list[T], repeat: int) -> float:
    def run() -> None:
        for item in items:
            fn(item)

    return best(run, repeat) / len(items)


# Linux's VmHWM belongs to the process's own address space; ru_maxrss would
# also count the parent's memory at fork time. Elsewhere, fall back to it.
_PEAK_RSS = """
import resource, medcodes
medcodes.icd10cm.load()
try:
    with open("/proc/self/status") as fh:
        print(next(int(x.split()[1]) for x in fh if x.startswith("VmHWM:")))
except OSError:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_rss_mib() -> float:
    out = subprocess.run(
        [sys.executable, "-c", _PEAK_RSS], capture_output=True, text=True, check=True
    )
    return int(out.stdout.strip()) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--index-only", action="store_true", help="only the index figures")
    ap.add_argument("--tables-only", action="store_true", help="only the drug/neoplasm tables")
    ap.add_argument("--only", choices=["bulk"], help="run one section only")
    args = ap.parse_args()
    r = args.repeat
    if args.only == "bulk":
        _bulk_figures(r)
        return
    if args.index_only or args.tables_only:
        if args.index_only:
            _index_figures(r)
        if args.tables_only:
            _table_figures(r)
        return

    bundled = Path(medcodes.__file__).parent / "_bundled" / BUNDLED[BUNDLED_DEFAULT][0]
    with tempfile.TemporaryDirectory() as tmp:
        xml = Path(tmp) / "icd10c-tabular-April-1-2026.xml"
        xml.write_bytes(gzip.decompress(bundled.read_bytes()))
        floor = best(lambda: etree.parse(str(xml)), r)
        # The parse alone, as the loader does it (blank text dropped, no DTD).
        raw = xml.read_bytes()
        own_parse = best(lambda: etree.fromstring(raw, _TABULAR_PARSER), r)
        tree = etree.parse(str(xml))
        # What any pure-Python reader pays on top of the parse: one visit to every
        # element, reading its tag and text, doing nothing with them.
        visit = best(lambda: [(e.tag, e.text) for e in tree.iter()], r)
        tab_only = best(lambda: medcodes.icd10cm.load(xml), r)
    full = best(medcodes.icd10cm.load, r)

    print("ICD-10-CM, bundled April 1, 2026 release")
    print(f"  floor: lxml.etree.parse of the tabular XML   {floor * 1e3:8.1f} ms")
    print(
        f"  (reference: the loader's own parse options     {own_parse * 1e3:8.1f} ms"
        f"  = {own_parse / floor:4.2f}x floor)"
    )
    print(
        f"  (reference: visit every element in Python     {visit * 1e3:8.1f} ms"
        f"  = {visit / floor:4.1f}x floor)"
    )
    print(
        f"  load(tabular XML): parse, hierarchy, 7th characters, notes"
        f"  {tab_only * 1e3:8.1f} ms  = {tab_only / floor:4.1f}x floor"
    )
    print(
        f"  load() bundled: + gunzip, unzip, order file check, short titles"
        f"  {full * 1e3:8.1f} ms  = {full / floor:4.1f}x floor"
    )
    print(f"  peak RSS of a process that only loads       {peak_rss_mib():8.1f} MiB")

    cm = medcodes.icd10cm.load()
    rng = random.Random(1)
    codes = [n.code for n in rng.sample(cm.billable_codes(), 10_000)]
    bad = [c[:-1] + "?" if i % 2 else c + "Z" for i, c in enumerate(codes[:2000])]
    missing7 = [n.code for n in cm.values() if n.children and n.children[0].is_extension][:2000]
    cm.check_code(bad[0])  # builds the typo index of suggestions (timed apart, in the bulk part)
    print(
        f"  cm[code] (dotted form)                      {per_call(cm.__getitem__, codes, r) * 1e6:8.2f} us/call"
    )
    print(
        f"  cm[code] (key form)                         "
        f"{per_call(cm.__getitem__, [c.replace('.', '') for c in codes], r) * 1e6:8.2f} us/call"
    )
    print(
        f"  'S72.001A' in cm                            "
        f"{per_call(cm.__contains__, ['S72.001A'] * 10_000, r) * 1e6:8.2f} us/call"
    )
    print(
        f"  check_code(valid)                           {per_call(cm.check_code, codes, r) * 1e6:8.2f} us/call"
    )
    print(
        f"  check_code(missing 7th character)           {per_call(cm.check_code, missing7, r) * 1e6:8.2f} us/call"
    )
    print(
        f"  check_code(malformed or extra characters)   {per_call(cm.check_code, bad, r) * 1e6:8.2f} us/call"
        "  (suggestions; typo index built before, once per codeset)"
    )
    fresh = medcodes.icd10cm.load()
    cold = best(lambda: list(fresh["19"].descendants()), 1)
    warm = best(lambda: list(cm["19"].descendants()), r)
    n19 = len(list(cm["19"].descendants()))
    print(
        f"  descendants() of chapter 19 ({n19} nodes)   {warm * 1e3:8.2f} ms"
        f" (first call on a fresh codeset {cold * 1e3:.1f} ms)"
    )

    print("Guidelines")
    # The index of resolved note references is built on the first call that needs it.
    # Timed on fresh codesets, loaded outside the clock.
    firsts = []
    for _ in range(r):
        fresh_cs = medcodes.icd10cm.load()
        gc.collect()
        start = time.perf_counter()
        fresh_cs.conflicts("E10.9", "E11.9")
        firsts.append(time.perf_counter() - start)
        del fresh_cs
    build = min(firsts)
    print(
        f"  index of resolved references (first call)   {build * 1e3:8.1f} ms"
        f"  = {build / full:4.0%} of a bundled load, {build / tab_only:4.0%} of load(tabular)"
    )
    billable = [n.code for n in cm.billable_codes()]
    pairs = [(rng.choice(billable), rng.choice(billable)) for _ in range(10_000)]
    related = [(a.code, b.code) for a, b in _related_pairs(cm, rng, 10_000)]
    hits = sum(bool(cm.conflicts(a, b)) for a, b in related)
    print(
        f"  conflicts(a, b), 10,000 random pairs        "
        f"{per_call(lambda p: cm.conflicts(*p), pairs, r) * 1e6:8.2f} us/call"
    )
    print(
        f"  conflicts(a, b), 10,000 pairs in one chapter "
        f"{per_call(lambda p: cm.conflicts(*p), related, r) * 1e6:7.2f} us/call"
        f" ({hits} with a conflict)"
    )
    claims = [rng.sample(billable, 20) for _ in range(200)]
    print(
        f"  check_claim of 20 codes                     "
        f"{per_call(cm.check_claim, claims, r) * 1e3:8.3f} ms/call"
    )
    long_claims = [rng.sample(billable, 1_000) for _ in range(3)]
    print(
        f"  check_claim of 1,000 random codes           "
        f"{per_call(cm.check_claim, long_claims, r) * 1e3:8.1f} ms/call"
        "  (scripts/claim_noise.py: plausible claims)"
    )
    _diff_figures(r, full)
    _table_figures(r)
    _hcpcs_figures(r)
    _pickle_figures(r, full)
    _index_figures(r)
    _bulk_figures(r)


def claim_values(
    cm: medcodes.icd10cm.Codeset, n: int, seed: int = 1, bad_pool: int | None = 5000
) -> list[str]:
    """``n`` diagnosis codes as claims files hold them: drawn with Zipf-like
    repetition over the billable codes, mostly without the dot, in mixed case,
    some with blanks; 5% are malformed or unknown (one-character typos, junk,
    headers). The bad values repeat like the good ones, drawn from a pool of
    ``bad_pool`` distinct ones (``None``: each typo made afresh, nearly all distinct)."""
    rng = random.Random(seed)
    billable = [node.key for node in cm.billable_codes()]
    rng.shuffle(billable)
    weights = [1 / (rank + 1) ** 1.1 for rank in range(len(billable))]
    junk = ["", "N/A", "NONE", "0", "99213", "E11..65", "??", "ICD10", "E11", "S72.001"]

    def typo() -> str:
        key = rng.choices(billable, weights)[0]
        if rng.random() < 0.5:
            return rng.choice(junk)
        p = rng.randrange(len(key))
        return key[:p] + rng.choice("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") + key[p + 1 :]

    pool = [typo() for _ in range(bad_pool)] if bad_pool else []
    pool_weights = [1 / (rank + 1) ** 1.1 for rank in range(len(pool))]
    keys = rng.choices(billable, weights, k=n)
    out = []
    for key in keys:
        roll = rng.random()
        if roll < 0.05:
            key = rng.choices(pool, pool_weights)[0] if pool else typo()
        elif roll < 0.15:
            key = f"{key[:3]}.{key[3:]}" if len(key) > 3 else key
        if rng.random() < 0.2:
            key = key.lower()
        if rng.random() < 0.05:
            key = f" {key} "
        out.append(key)
    return out


_BULK_RSS = """
import resource, sys
sys.path.insert(0, {scripts!r})
import medcodes
from bench import claim_values
cm = medcodes.icd10cm.load()
values = claim_values(cm, 1_000_000)
def rss(field):
    with open("/proc/self/status") as fh:
        return next(int(x.split()[1]) for x in fh if x.startswith(field))
before = rss("VmRSS:")
checks = cm.check_codes(values)
print(before, rss("VmHWM:"))
"""


def _bulk_figures(r: int) -> None:
    print("Bulk checks: 1,000,000 claim-like values (Zipf over billable codes, 5% bad)")
    cm = medcodes.icd10cm.load()
    values = claim_values(cm, 1_000_000)
    distinct = len(set(values))
    billable_keys = {node.key for node in cm.billable_codes()}

    def floor_of(values: list[str]) -> list[bool]:
        ok = {}
        for v in dict.fromkeys(values):
            ok[v] = v.strip().upper().replace(".", "") in billable_keys
        return list(map(ok.__getitem__, values))

    def floor() -> list[bool]:
        return floor_of(values)

    cm.check_codes(values[:1000])  # warm
    lo, bulk = best_cpu(floor, r), best_cpu(lambda: cm.check_codes(values), r)
    lo_wall, bulk_wall = best(floor, r), best(lambda: cm.check_codes(values), r)
    sample = values[:50_000]
    loop = best_cpu(lambda: [cm.check_code(v) for v in sample], 1) * len(values) / len(sample)
    suggest = best_cpu(lambda: cm.check_codes(values, suggest=True), 1)
    fresh = claim_values(cm, 1_000_000, bad_pool=None)
    fresh_floor = best_cpu(lambda: floor_of(fresh), r)
    fresh_bulk = best_cpu(lambda: cm.check_codes(fresh), r)
    print("  (CPU time, steadier than wall time under load; wall time in brackets)")
    print(f"  distinct values                               {distinct:8,}")
    print(f"  floor: dict dedupe + set of billable keys     {lo * 1e3:8.1f} ms/million ({lo_wall * 1e3:.1f})")
    print(
        f"  check_codes(values)                           {bulk * 1e3:8.1f} ms/million"
        f"  = {bulk / lo:4.2f}x floor ({bulk_wall * 1e3:.1f} = {bulk_wall / lo_wall:4.2f}x)"
    )
    print(
        f"  loop over check_code (50k, scaled)            {loop * 1e3:8.1f} ms/million"
        f"  = check_codes {loop / bulk:4.1f}x faster"
    )
    print(f"  check_codes(values, suggest=True)             {suggest * 1e3:8.1f} ms/million")
    print(
        f"  same, every typo distinct ({len(set(fresh)):,} distinct)     {fresh_bulk * 1e3:8.1f} ms/million"
        f"  = {fresh_bulk / fresh_floor:4.2f}x its floor"
    )
    script = _BULK_RSS.format(scripts=str(Path(__file__).parent))
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    before, peak = map(int, out.stdout.split())
    print(f"  peak RSS of check_codes above release+values  {(peak - before) / 1024:8.1f} MiB")
    typos = [v for v in dict.fromkeys(values) if cm.check_code(v).problem is not None]
    unknown = [v for v in typos if cm.check_code(v).problem.name == "UNKNOWN"][:2000]  # type: ignore[union-attr]
    start = time.process_time()
    for v in unknown:
        cm.check_code(v)
    cpu = (time.process_time() - start) / len(unknown)
    print(
        f"  check_code(unknown, a typo, with suggestions) "
        f"{per_call(cm.check_code, unknown, r) * 1e6:8.2f} us/call ({cpu * 1e6:.2f} us CPU time; "
        f"{len(unknown)} codes)"
    )
    hc = medcodes.hcpcs.load()
    hc_codes = list(hc)
    hc_values = [rng_code.lower() if i % 5 == 0 else rng_code for i, rng_code in
                 enumerate(random.Random(2).choices(hc_codes, k=1_000_000))]
    hc_bulk = best(lambda: hc.check_codes(hc_values), r)
    print(f"  HCPCS check_codes, 1,000,000 values           {hc_bulk * 1e3:8.1f} ms/million")


_TESTS_DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
_INDEX_FILES = (
    "icd10cm-2017/icd10cm_index_2017.xml.xz",
    "icd10cm-2017/icd10cm_eindex_2017.xml.xz",
    "icd10cm-eindex-April-2024.xml.xz",
)


def _index_figures(r: int) -> None:
    import lzma

    print("Alphabetic Index and External Cause Index (floor: lxml.etree.parse of the file)")
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp:
        for name in _INDEX_FILES:
            xml = Path(tmp) / Path(name).name.removesuffix(".xz")
            xml.write_bytes(lzma.decompress((_TESTS_DATA / name).read_bytes()))
            _index_file_figures(xml, r, rng)


def _index_file_figures(xml: Path, r: int, rng: random.Random) -> None:
    from medcodes.icd10cm import load_index

    floor = best(lambda: etree.parse(str(xml)), r)
    took = best(lambda: load_index(xml), r)
    builds, tables = [], []
    for _ in range(r):
        fresh = load_index(xml)
        gc.collect()
        start = time.perf_counter()
        fresh.search("x")
        builds.append(time.perf_counter() - start)
        start = time.perf_counter()
        fresh.get("x")
        tables.append(time.perf_counter() - start)
    ix = load_index(xml)
    terms = list(ix)
    paths = [t.path for t in rng.sample(terms, 5000)]
    mains = [p[0] for p in paths]
    queries = [" ".join(rng.sample(t.essential.split(), 1)) for t in rng.sample(terms, 500)]
    print(f"  {xml.name}: {len(ix):,} terms")
    print(
        f"    load_index                             {took * 1e3:8.1f} ms"
        f"  = {took / floor:4.2f}x floor ({floor * 1e3:.1f} ms)"
    )
    print(
        f"    search word index (first search)       {min(builds) * 1e3:8.1f} ms"
        f"  = {min(builds) / took:4.2f}x its load"
    )
    print(
        f"    title table (first lookup)             {min(tables) * 1e3:8.1f} ms"
        f"  = {min(tables) / took:4.2f}x its load"
    )
    print(
        f"    index[main term]                       "
        f"{per_call(ix.__getitem__, mains, r) * 1e6:8.2f} us/call"
    )
    print(
        f"    lookup(main term, *sub-terms)          "
        f"{per_call(lambda p: ix.lookup(*p), paths, r) * 1e6:8.2f} us/call"
    )
    print(
        f"    search(one word), 500 queries          "
        f"{per_call(ix.search, queries, r) * 1e3:8.3f} ms/call"
    )
    pairs = [f"{t.path[0].split()[0]} {t.essential.split()[0]}" for t in rng.sample(terms, 500)]
    print(
        f"    search(main word + sub-term word), 500     "
        f"{per_call(ix.search, pairs, r) * 1e3:8.3f} ms/call"
    )
    worst = max(queries, key=lambda q: len(ix.search(q)))
    print(
        f"    search({worst!r}), the most hits        "
        f"{per_call(ix.search, [worst] * 20, r) * 1e3:8.3f} ms/call"
    )


def _diff_figures(r: int, full: float) -> None:
    print("Release diff")
    old = medcodes.icd10cm.load(fiscal_year=2025)
    load_2025 = best(lambda: medcodes.icd10cm.load(fiscal_year=2025), r)
    new = medcodes.icd10cm.load()
    took = best(lambda: medcodes.icd10cm.diff(old, new), r)
    n = len(medcodes.icd10cm.diff(old, new))
    print(
        f"  diff(April 2025, April 2026), notes included {took * 1e3:7.1f} ms"
        f"  = {took / full:4.2f}x a bundled load (2026), {took / load_2025:4.2f}x (2025); "
        f"{n:,} changes"
    )


_TABLES = Path(__file__).resolve().parent.parent / "tests" / "data"


def _table_figures(r: int) -> None:
    """Each drug/neoplasm table file: load_table() against a bare lxml parse of
    the same (uncompressed) file; lookups per call."""
    print("Drug and neoplasm tables (load_table vs lxml.etree.parse of the same file)")
    files = sorted(_TABLES.glob("icd10cm*drug*.xz")) + sorted(_TABLES.glob("icd10cm*neoplasm*.xz"))
    files += sorted((_TABLES / "icd10cm-2017").glob("icd10cm_[dn]*.xz"))
    with tempfile.TemporaryDirectory() as tmp:
        for f in files:
            plain = Path(tmp) / f.name.removesuffix(".xz")
            plain.write_bytes(lzma.decompress(f.read_bytes()))
            floor = best(partial(etree.parse, str(plain)), r)
            took = best(partial(medcodes.icd10cm.load_table, plain), r)
            print(
                f"  {plain.name:40s} {took * 1e3:6.1f} ms = {took / floor:4.2f}x floor"
                f" ({floor * 1e3:.1f} ms)"
            )
    cm = medcodes.icd10cm.load()
    drugs = medcodes.icd10cm.load_table(_TABLES / "icd10cm-drug-April-1-2026-XML.xml.xz", codeset=cm)
    firsts = []
    for _ in range(r):  # the key index is built on the first lookup of a fresh table
        fresh = medcodes.icd10cm.load_table(drugs.source.path)
        gc.collect()
        start = time.perf_counter()
        fresh.get("Acetaminophen")
        firsts.append(time.perf_counter() - start)
    first = min(firsts)
    rng = random.Random(1)
    rows = [row for row in rng.sample(drugs.rows, 2000) if row.codes[0] is not None]
    paths = [row.path for row in rows]
    named = [p for p in paths if drugs.get(p) is not None]
    print(
        f"  drugs[path] ({len(named)} random rows)          "
        f"{per_call(drugs.get, named, r) * 1e6:8.2f} us/call"
    )
    print(
        f"  drugs.codes(path)                           "
        f"{per_call(drugs.codes, named, r) * 1e6:8.2f} us/call"
    )
    col = medcodes.icd10cm.DrugColumn.ACCIDENTAL
    print(
        f"  drugs.lookup(path, col, encounter='A')      "
        f"{per_call(lambda p: drugs.lookup(p, col, encounter='A'), named, r) * 1e6:8.2f} us/call"
    )
    print(f"  first lookup on a fresh table (builds its key index) {first * 1e3:6.1f} ms")


def _hcpcs_figures(r: int) -> None:
    import lzma

    from medcodes.hcpcs.loader import BUNDLED as HCPCS_BUNDLED

    print("HCPCS Level II, January 2025 file")
    packed = Path(medcodes.__file__).parent / "_bundled" / HCPCS_BUNDLED
    with tempfile.TemporaryDirectory() as tmp:
        txt = Path(tmp) / "HCPC2025_JAN_ANWEB_12172024.txt"
        txt.write_bytes(lzma.decompress(packed.read_bytes()))
        floor = best(lambda: txt.read_bytes().decode("cp1252").splitlines(), r)
        took = best(lambda: medcodes.hcpcs.load(txt), r)
    print(f"  floor: read, decode and split the lines       {floor * 1e3:8.1f} ms")
    print(
        f"  load(ANWEB text file): every field typed      {took * 1e3:8.1f} ms  = {took / floor:4.1f}x floor"
    )
    bundled = best(medcodes.hcpcs.load, r)
    print(f"  load() bundled (+ xz decompression)           {bundled * 1e3:8.1f} ms")
    hc = medcodes.hcpcs.load()
    data = Path(__file__).parents[1] / "tests" / "data" / "hcpcs"
    old_file = data / "2019-HCPC2019_CONTR_ANWEB.txt.xz"
    if old_file.exists():
        old = medcodes.hcpcs.load(old_file)
        d = best(lambda: medcodes.hcpcs.diff(old, hc), r)
        print(f"  diff(2019, January 2025)                      {d * 1e3:8.1f} ms")
    codes = list(hc)
    print(
        f"  check_code                                    {per_call(hc.check_code, codes, r) * 1e6:8.2f} us/call"
    )


def _pickle_figures(r: int, full: float) -> None:
    import pickle

    print("Sharing")
    cm = medcodes.icd10cm.load()
    data = pickle.dumps(cm, protocol=pickle.HIGHEST_PROTOCOL)
    took = best(lambda: pickle.loads(data), r)
    print(
        f"  unpickle an ICD-10-CM codeset ({len(data) / 2**20:.1f} MiB)   {took * 1e3:8.1f} ms"
        f"  = {full / took:4.1f}x faster than a bundled load"
    )


def _related_pairs(
    cm: medcodes.icd10cm.Codeset, rng: random.Random, n: int
) -> list[tuple[medcodes.icd10cm.Node, medcodes.icd10cm.Node]]:
    """Pairs of billable codes of the same chapter, where Excludes1 notes live."""
    by_chapter: dict[str, list[medcodes.icd10cm.Node]] = {}
    for node in cm.billable_codes():
        chapter = node.chapter
        if chapter is not None:
            by_chapter.setdefault(chapter.key, []).append(node)
    groups = list(by_chapter.values())
    out = []
    for _ in range(n):
        group = rng.choice(groups)
        out.append((rng.choice(group), rng.choice(group)))
    return out


if __name__ == "__main__":
    main()
