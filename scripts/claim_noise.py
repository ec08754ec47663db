"""How noisy is check_claim on plausible claims? Rates of findings by kind.

Claims are generated from common coding patterns (below): a principal
diagnosis and 1-4 related secondary codes in the order a coder lists them. Each
slot of a pattern is a family of codes (a code prefix, optionally with the 7th
character of an encounter); a claim draws one billable code of each family, and
optional slots (``?``) are drawn half of the time. Patterns marked ``wrong``
break an official rule on purpose and must give an error.

Run: ``python scripts/claim_noise.py [N]`` (default 10,000 claims).
"""

from __future__ import annotations

import random
import sys
import time
from collections import Counter
from typing import Any

import medcodes
from medcodes.icd10cm import Codeset, Severity

#: (name, slots, context, wrong on purpose). A slot "E11.6" draws a billable
#: code under E11.6; "S72.0/A" one under S72.0 with 7th character A; a slot
#: ending in "?" is optional. "Wrong on purpose" is the least severity such a
#: claim must get: ``"error"`` or ``"warning"`` (empty for a right pattern).
PATTERNS: tuple[tuple[str, tuple[str, ...], dict[str, object], str], ...] = (
    ("type 2 diabetes on insulin", ("E11.9", "Z79.4", "I10?", "E78.5?"), {}, ""),
    ("diabetic CKD", ("E11.22", "N18.3", "Z79.84?"), {}, ""),
    ("hypertension follow-up", ("I10", "E78.5?", "Z79.899?"), {}, ""),
    ("hypertensive CKD", ("I12.9", "N18.3"), {}, ""),
    ("hypertensive heart failure", ("I11.0", "I50.2", "Z79.899?"), {}, ""),
    ("COPD in a smoker", ("J44.1", "F17.210"), {}, ""),
    ("smoking cessation", ("F17.210", "J44.9?"), {}, ""),
    ("hypertension, old stroke", ("I10", "I69.35"), {}, ""),
    ("alcoholic liver disease", ("F10.20", "K70.30"), {}, ""),
    ("atrial fibrillation on anticoagulant", ("I48.91", "Z79.01"), {}, ""),
    ("hip fracture, initial", ("S72.00/A", "W19.XXX/A", "Y92.00", "Y93.01?"), {}, ""),
    ("forearm fracture, subsequent", ("S52.5/D", "W01.0XX/D?"), {}, ""),
    ("sepsis with organ failure", ("A41.9", "R65.20", "N17.9"), {}, ""),
    ("E. coli urinary infection", ("N39.0", "B96.20"), {}, ""),
    ("UTI, resistant E. coli", ("N39.0", "B96.20", "Z16.12?"), {}, ""),
    ("pneumococcal pneumonia, respiratory failure", ("J13", "J96.01?"), {}, ""),
    ("uncomplicated delivery", ("O80", "Z37.0", "Z3A.39?"), {"record": "maternal"}, ""),
    ("gestational diabetes", ("O24.41", "Z3A.2", "Z79.4?"), {"record": "maternal"}, ""),
    ("preterm newborn", ("Z38.00", "P07.1", "P07.3"), {"record": "newborn"}, ""),
    ("Alzheimer's dementia", ("G30.9", "F02.80"), {}, ""),
    ("hypothyroid myopathy", ("E03.9", "G73.7"), {}, ""),
    ("diabetic polyneuropathy", ("E11.42", "Z79.84?"), {}, ""),
    ("CKD with neuropathy", ("N18.9", "G63"), {}, ""),
    ("post COVID-19 condition", ("J96.11", "U09.9"), {}, ""),
    ("adult obesity", ("E66.01", "Z68.41"), {"patient_age": 45}, ""),
    ("depression and anxiety", ("F32.A", "F41.1"), {}, ""),
    ("asthma", ("J45.909", "Z79.51?"), {}, ""),
    ("low back pain", ("M54.50", "G89.29?"), {}, ""),
    ("sepsis NOS with septic shock", ("A41.9", "R65.21", "I95.9?"), {}, ""),
    ("adverse effect of a drug", ("R21", "T36.0X5/A"), {}, ""),
    ("newborn with jaundice", ("Z38.00", "P59.9"), {"record": "newborn"}, ""),
    ("confirmed child abuse", ("T74.12X/A", "S42.30/A?", "Y07.11"), {}, ""),
    ("fall at work", ("S72.00/A", "W19.XXX/A", "Y92.00", "Y99.0"), {}, ""),
    ("secondary diabetes", ("E24.0", "E08.65"), {}, ""),
    # Wrong on purpose: each must give an error, or a warning where the
    # files cannot forbid it outright (the review of issue 13).
    ("severe sepsis code listed first", ("R65.2", "A41.5"), {}, "warning"),
    ("E08 first without its condition", ("E08.6", "E05.00"), {}, "warning"),
    ("adverse effect before its manifestation", ("T36.0X5/A", "R21"), {}, "warning"),
    ("Z38 not listed first", ("P59.9", "Z38.00"), {"record": "newborn"}, "error"),
    ("perpetrator of suspected abuse", ("T76.12X/A", "Y07.11"), {}, "error"),
    ("two activity statuses", ("S72.00/A", "W19.XXX/A", "Y99.0", "Y99.8"), {}, "error"),
    ("outcome of delivery first", ("Z37.0", "O80"), {}, "error"),
    ("O80 with a complication", ("O80", "O24.410", "Z37.0"), {}, "error"),
    ("mother's and newborn's codes", ("Z38.00", "O24.410"), {}, "error"),
    ("place of occurrence later", ("S72.00/D", "W19.XXX/D", "Y92.00"), {}, "error"),
    ("manifestation first", ("F02.80", "G30.9"), {}, "error"),
    ("external cause first", ("W19.XXX/A", "S72.00/A"), {}, "error"),
    ("adult BMI for a child", ("E66.01", "Z68.41"), {"patient_age": 12}, "error"),
)


def _families(cm: Codeset) -> dict[str, list[str]]:
    codes = [n.code for n in cm.billable_codes()]
    out: dict[str, list[str]] = {}
    for _, slots, _, _ in PATTERNS:
        for slot in slots:
            family = slot.rstrip("?")
            prefix, _, seventh = family.partition("/")
            found = [
                c for c in codes if c.startswith(prefix) and (not seventh or c.endswith(seventh))
            ]
            if not found:
                raise SystemExit(f"no billable code in family {family}")
            out[family] = found
    return out


def plausible_claims(
    cm: Codeset, n: int, seed: int = 13
) -> list[tuple[str, list[str], dict[str, object], str]]:
    """``n`` claims (pattern name, codes, context, wrong) drawn from :data:`PATTERNS`;
    about one in twenty is from a wrong pattern."""
    rng = random.Random(seed)
    families = _families(cm)
    right = [p for p in PATTERNS if not p[3]]
    wrong = [p for p in PATTERNS if p[3]]
    out = []
    for k in range(n):
        name, slots, context, bad = rng.choice(wrong if k % 20 == 19 else right)
        codes = [
            rng.choice(families[slot.rstrip("?")])
            for slot in slots
            if not slot.endswith("?") or rng.random() < 0.5
        ]
        out.append((name, codes, context, bad))
    return out


def rates(
    cm: Codeset, claims: list[tuple[str, list[str], dict[str, object], str]]
) -> dict[str, Any]:
    """Findings over the right claims, by severity and kind, and the wrong
    claims that did not get the severity they must get."""
    by_kind: Counter[str] = Counter()
    claims_with: Counter[str] = Counter()
    missed: list[tuple[str, list[str]]] = []
    wrong_claims: list[tuple[str, list[str], str]] = []
    for name, codes, context, bad in claims:
        findings = cm.check_claim(codes, **context)  # type: ignore[arg-type]
        severities = {f.severity for f in findings}
        if bad:
            enough = {Severity.ERROR} if bad == "error" else {Severity.ERROR, Severity.WARNING}
            if not severities & enough:
                missed.append((name, codes))
            continue
        for f in findings:
            by_kind[f"{f.severity.value}: {f.kind.value}"] += 1
            wrong_claims.append((name, codes, f.message))
        for s in severities:
            claims_with[s.value] += 1
    return {
        "right": sum(1 for c in claims if not c[3]),
        "by_kind": by_kind,
        "claims_with": claims_with,
        "missed": missed,
        "examples": wrong_claims[:10],
    }


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    cm = medcodes.icd10cm.load()
    claims = plausible_claims(cm, n)
    start = time.perf_counter()
    r = rates(cm, claims)
    took = time.perf_counter() - start
    right = r["right"]
    print(f"{len(claims)} claims ({right} from right patterns), {took:.2f} s")
    for s in ("error", "warning", "advice"):
        print(f"  claims with {s:<8} {r['claims_with'][s] / right:8.3%}")
    for kind, count in sorted(r["by_kind"].items()):
        print(f"  {kind:<48} {count / right:8.3%} per claim")
    print(f"  wrong-on-purpose claims not caught: {len(r['missed'])}")
    for name, codes, message in r["examples"]:
        print(f"    e.g. {name} {codes}: {message[:150]}")
    with_advice, advised = 0, Counter[str]()
    right_2000 = [(codes, ctx) for _, codes, ctx, bad in claims[:2000] if not bad]
    for codes, ctx in right_2000:
        found = cm.check_claim(codes, advice=True, **ctx)  # type: ignore[arg-type]
        with_advice += bool(found)
        advised.update(f"{f.severity.value}: {f.kind.value}" for f in found)
    print(f"  with advice=True ({len(right_2000)} right claims):")
    print(f"    claims with any finding {with_advice / len(right_2000):8.3%}")
    for kind, count in sorted(advised.items()):
        print(f"    {kind:<46} {count / len(right_2000):8.3%} per claim")
    long_claim = [c for _, codes, _, bad in claims if not bad for c in codes][:1000]
    cm.check_claim(long_claim[:10])
    best = min(_timed(cm, long_claim) for _ in range(5))
    cpu = min(_timed(cm, long_claim, time.process_time) for _ in range(5))
    print(
        f"  one claim of {len(long_claim)} codes (patterns concatenated): {best * 1e3:.1f} ms "
        f"({cpu * 1e3:.1f} ms of CPU)"
    )
    billable = [n.code for n in cm.billable_codes()]
    random_claim = random.Random(1).sample(billable, 1_000)
    cm.check_claim(random_claim[:10])
    best = min(_timed(cm, random_claim) for _ in range(5))
    cpu = min(_timed(cm, random_claim, time.process_time) for _ in range(5))
    findings = len(cm.check_claim(random_claim))
    print(
        f"  one claim of 1,000 random billable codes: {best * 1e3:.1f} ms "
        f"({cpu * 1e3:.1f} ms of CPU), {findings} findings"
    )


def _timed(cm: Codeset, codes: list[str], clock: Any = time.perf_counter) -> float:
    start = clock()
    cm.check_claim(codes)
    return float(clock() - start)


if __name__ == "__main__":
    main()
