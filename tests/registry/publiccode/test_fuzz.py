"""A short run of bench/fuzz.py: mutated real files and hostile shapes never crash the validator.

The long run (≥ 100k inputs) and the time ratios are the bench's business (README,
Performance); here only what must never happen is asserted: an exception out of
``validate_bytes``. Seeded, so a failure reproduces with the same command.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[3] / "bench" / "fuzz.py"


@pytest.fixture(scope="module")
def fuzz():
    spec = importlib.util.spec_from_file_location("bench_fuzz", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not list(module.CORPUS.glob("*.yml")):
        pytest.skip(f"the shared corpus is missing at {module.CORPUS}")
    return module


@pytest.mark.parametrize("seed", [1, 2])
def test_a_short_fuzz_run_finds_no_crash(fuzz, seed):
    report = fuzz.run(seed, 600)
    assert report["inputs"] == 600
    assert report["crashes"] == 0, report["crashed"]


def test_the_inputs_are_reproducible(fuzz):
    assert list(fuzz.inputs(7, 60)) == list(fuzz.inputs(7, 60))
    assert len(fuzz.hostile_shapes()) > 40
