"""The README is documentation too: its Python examples run (as doctests where
they show output) and `.ci/run` runs exactly its test command."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
_BLOCKS = re.findall(r"```(\w+)\n(.*?)```", README, flags=re.S)


def test_the_readme_has_examples() -> None:
    kinds = [kind for kind, _ in _BLOCKS]
    assert kinds.count("python") >= 3 and kinds.count("sh") == 2


@pytest.mark.parametrize(
    "example", [body for kind, body in _BLOCKS if kind == "python" and ">>>" in body]
)
def test_readme_doctests_pass(example: str) -> None:
    test = doctest.DocTestParser().get_doctest(example, {}, "README.md", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.failures == 0 and runner.tries > 0


@pytest.mark.parametrize(
    "example", [body for kind, body in _BLOCKS if kind == "python" and ">>>" not in body]
)
def test_readme_sketches_are_python(example: str) -> None:
    # Sketches name files the reader downloads; they must at least be valid Python.
    compile(example, "README.md", "exec")


def test_ci_runs_the_readme_test_command() -> None:
    commands = [body.strip() for kind, body in _BLOCKS if kind == "sh"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == commands[1]
