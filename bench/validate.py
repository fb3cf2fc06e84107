"""Validation throughput over the real corpus, side by side with a bare-parse baseline.

    .venv/bin/python bench/validate.py [--repeat 5]

Prints, as medians of ``--repeat`` runs over every file in ../shared/corpus/publiccode/:
- baseline: ``yaml.safe_load`` (libyaml) of each file — the floor any YAML validator pays;
- validator: ``registry.publiccode.validate_bytes`` in process, offline;
- CLI: ``allmende validate --offline --format json <all files>`` as a subprocess, start-up
  included — the figure maintainers see, and the one with the ≥200 files/s target.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

from registry.publiccode import validate_bytes

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "publiccode"
TARGET_FILES_PER_SECOND = 200


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    files = sorted(CORPUS.glob("*.yml"))
    if not files:
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 2
    blobs = [(f, f.read_bytes()) for f in files]
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    def baseline() -> None:
        for _, data in blobs:
            with contextlib.suppress(yaml.YAMLError):
                yaml.load(data, Loader=loader)  # noqa: S506 - CSafeLoader is the safe loader

    def validator() -> None:
        for path, data in blobs:
            validate_bytes(data, base_dir=path.parent)

    allmende = Path(sys.executable).with_name("allmende")
    command = [str(allmende), "validate", "--offline", "--format", "json", *map(str, files)]

    def cli() -> None:
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)

    rows = []
    for name, fn in (("baseline yaml.safe_load", baseline), ("validator in process", validator),
                     ("allmende validate (CLI)", cli)):
        fn()  # warm caches and imports
        seconds = statistics.median(timed(fn) for _ in range(args.repeat))
        rows.append((name, seconds, len(files) / seconds))
    base = rows[0][1]
    print(f"{len(files)} corpus files, median of {args.repeat} runs")
    print(f"{'':28} {'seconds':>9} {'files/s':>9} {'× baseline':>11}")
    for name, seconds, rate in rows:
        print(f"{name:28} {seconds:9.4f} {rate:9.0f} {seconds / base:11.1f}")
    cli_rate = rows[-1][2]
    verdict = "meets" if cli_rate >= TARGET_FILES_PER_SECOND else "MISSES"
    print(f"CLI {verdict} the target of {TARGET_FILES_PER_SECOND} files/s ({cli_rate:.0f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
