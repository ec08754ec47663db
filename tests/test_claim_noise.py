"""The noise test (issue 13): check_claim on >= 5,000 plausible claims built
from the coding patterns of ``scripts/claim_noise.py``."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from medcodes.icd10cm import Codeset, Severity


def _script() -> ModuleType:
    path = Path(__file__).parents[1] / "scripts" / "claim_noise.py"
    spec = importlib.util.spec_from_file_location("claim_noise", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_plausible_claims_are_quiet_and_wrong_ones_are_caught(cm: Codeset) -> None:
    noise = _script()
    claims = noise.plausible_claims(cm, 5_200)
    r = noise.rates(cm, claims)
    assert r["right"] >= 4_900
    assert r["claims_with"]["error"] == 0, r["examples"]
    assert r["claims_with"]["warning"] <= 0.005 * r["right"], r["examples"]
    assert r["claims_with"]["advice"] == 0  # advice is off by default
    assert r["missed"] == []  # every wrong-on-purpose claim gives an error
    assert len({name for name, *_ in claims}) == len(noise.PATTERNS)


def test_advice_when_asked_on_the_same_claims(cm: Codeset) -> None:
    noise = _script()
    claims = [(codes, ctx) for _, codes, ctx, bad in noise.plausible_claims(cm, 300) if not bad]
    advised = [f for codes, ctx in claims for f in cm.check_claim(codes, advice=True, **ctx)]
    assert any(f.severity is Severity.ADVICE for f in advised)
    assert not [f for f in advised if f.severity is Severity.ERROR]
