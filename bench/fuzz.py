"""A seeded, bounded fuzz run over the publiccode.yml validator and reader.

    .venv/bin/python bench/fuzz.py [--inputs 100000] [--seed 1] [--json]

Inputs: mutations of the real corpus (../shared/corpus/publiccode/: bytes flipped, deleted and
repeated; lines swapped, duplicated, re-indented and truncated; tags, anchors, aliases,
flow brackets, tabs, NUL and invalid UTF-8 spliced in) and the hostile shapes on their own
(alias bombs, deep block and flow nesting, huge scalars and keys, many keys, every core tag
with a value that does not fit it). The same seed gives the same inputs.

Per input: ``validate_bytes`` (offline; the reader runs inside it) must return, never raise.
Prints the number of inputs, the crashes (with the first inputs that crashed, as Python byte
literals to paste into a test) and the slowest input measured against the baseline of the
same run: ``yaml.safe_load`` (libyaml) of the same bytes. The ratios of the 20 slowest inputs
are measured again as the best of 5 runs each, since one run on a shared machine is noise.
Goal: 0 crashes and no input slower than 50× its baseline. tests/registry/publiccode/
test_fuzz.py runs a short version (0 crashes asserted; ratios are the bench's business).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from registry.publiccode import validate_bytes  # noqa: E402 (after the path for bench use)

CORPUS = REPO.parent / "shared" / "corpus" / "publiccode"
GOAL_RATIO = 50
FLOOR_SECONDS = 0.0005
"""Baselines below half a millisecond count as that much: a ratio to a microsecond is noise."""
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

SPLICES = [
    b"!!float abc", b"!!int x", b"!!map", b"!!seq", b"!!str", b"!!binary", b"!local", b"&a",
    b"*a", b"*zz", b"&a [*a]", b"[", b"]", b"{", b"}", b"? ", b": ", b"- ", b"\t", b"\x00",
    b"\xff\xfe", b"\xc3", b"---\n", b"...\n", b"%YAML 1.1\n", b"'", b'"', b"|", b">", b"#",
    b"\r", b"\r\n", b"\xe2\x80\xa8", b"\\", b"\\x00", b"yes", b"0x1F", b".inf", b"~",
    "ä€😀".encode(), b"a" * 200, b"0.1", b"2024-13-45", b"10.02.2024",
]


def hostile_shapes() -> list[bytes]:
    """Shapes that broke or slowed YAML processors somewhere, each on its own."""
    bomb = b"a: &a [x, x, x, x, x, x, x, x, x, x]\n" + b"".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n".encode()
        for i in range(9))
    block = "".join(f"{'  ' * level}k{level}:\n" for level in range(300)).encode()
    tags = [f"name: !!{tag} {value}\n".encode() for tag in ("str", "int", "float", "bool",
                                                             "null", "map", "seq")
            for value in ("abc", "1.5", "[1]", "{a: 1}", "")]
    return [
        bomb, block, b"a: " + b"[" * 5000 + b"]" * 5000, b"a: " + b"{a: " * 3000,
        b"name: " + b"x" * 900_000, b"x" * 1_100_000, b"k" * 100_000 + b": v\n",
        b"".join(f"k{i}: v\n".encode() for i in range(60_000)),
        b"- " * 20_000 + b"x\n", b"a: \"" + b"\\t" * 100_000 + b"\"\n",
        b"\xef\xbb\xbfname: x\n", b"\x00" * 1000, b"name:\tx\n\tdescription: y\n",
        b"a: 1\n---\nb: 2\n" * 100, *tags,
    ]


MUTATIONS: list[Callable[[random.Random, bytes], bytes]] = []


def _mutation(fn: Callable[[random.Random, bytes], bytes]) -> Callable[[random.Random, bytes],
                                                                          bytes]:
    MUTATIONS.append(fn)
    return fn


@_mutation
def flip_bytes(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


@_mutation
def splice(rng: random.Random, data: bytes) -> bytes:
    at = rng.randint(0, len(data))
    return data[:at] + rng.choice(SPLICES) + data[at:]


@_mutation
def delete_span(rng: random.Random, data: bytes) -> bytes:
    at = rng.randint(0, len(data))
    return data[:at] + data[at + rng.randint(1, 64):]


@_mutation
def shuffle_lines(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 4)):
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


@_mutation
def duplicate_lines(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    i = rng.randrange(len(lines))
    return b"\n".join(lines[:i] + [lines[i]] * rng.randint(2, 50) + lines[i + 1:])


@_mutation
def reindent(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    i = rng.randrange(len(lines))
    lines[i] = rng.choice([b"", b" ", b"   ", b"\t"]) + lines[i].lstrip()
    return b"\n".join(lines)


@_mutation
def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[:rng.randint(0, len(data))]


@_mutation
def repeat_tail(rng: random.Random, data: bytes) -> bytes:
    at = rng.randint(0, len(data))
    return data[:at] + data[at:] * rng.randint(2, 20)


def inputs(seed: int, count: int) -> Iterator[bytes]:
    """``count`` inputs: the hostile shapes first, then corpus mutations (1–3 each)."""
    rng = random.Random(seed)
    corpus = [path.read_bytes() for path in sorted(CORPUS.glob("*.yml"))]
    if not corpus:
        raise SystemExit(f"no corpus at {CORPUS}")
    shapes = hostile_shapes()
    for index in range(count):
        if index < len(shapes):
            yield shapes[index]
            continue
        data = rng.choice(corpus)
        for _ in range(rng.randint(1, 3)):
            data = rng.choice(MUTATIONS)(rng, data)
        yield data[:1_200_000]


def baseline(data: bytes) -> None:
    with contextlib.suppress(Exception):  # the baseline may fail; its time still counts
        yaml.load(data, Loader=_LOADER)  # noqa: S506 - CSafeLoader is the safe loader


def validate(data: bytes) -> None:
    validate_bytes(data)


def seconds(fn: Callable[[bytes], None], data: bytes, runs: int = 1) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn(data)
        best = min(best, time.perf_counter() - start)
    return best


def run(seed: int, count: int) -> dict:
    crashes: list[dict] = []
    measured: list[tuple[float, float, float, bytes]] = []
    started = time.perf_counter()
    for data in inputs(seed, count):
        try:
            ours = seconds(validate, data)
        except Exception as exc:  # noqa: BLE001 - a crash is what we count
            crashes.append({"input": repr(data[:300]), "error": f"{type(exc).__name__}: {exc}",
                            "where": traceback.format_exc(limit=3).splitlines()[-3:]})
            continue
        theirs = seconds(baseline, data)
        measured.append((ours / max(theirs, FLOOR_SECONDS), ours, theirs, data))
    measured.sort(key=lambda row: row[0], reverse=True)
    slowest = []
    for _, _, _, data in measured[:20]:  # measured again: best of 5 each
        ours, theirs = seconds(validate, data, 5), seconds(baseline, data, 5)
        slowest.append({"ratio": round(ours / max(theirs, FLOOR_SECONDS), 1),
                        "ms": round(ours * 1000, 2), "baseline_ms": round(theirs * 1000, 2),
                        "bytes": len(data), "input": repr(data[:120])})
    slowest.sort(key=lambda row: row["ratio"], reverse=True)
    return {"seed": seed, "inputs": count, "crashes": len(crashes),
            "crashed": crashes[:10], "seconds": round(time.perf_counter() - started, 1),
            "slowest": slowest[:5], "goal_ratio": GOAL_RATIO}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    args = parser.parse_args()
    report = run(args.seed, args.inputs)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        worst = report["slowest"][0] if report["slowest"] else None
        print(f"fuzz (seed {report['seed']}): {report['inputs']:,} inputs in "
              f"{report['seconds']} s, {report['crashes']} crashes")
        for crash in report["crashed"]:
            print(f"  crash: {crash['error']} on {crash['input']}")
        if worst:
            print(f"slowest input: {worst['ratio']}× yaml.safe_load of the same bytes "
                  f"({worst['ms']} ms vs {worst['baseline_ms']} ms, {worst['bytes']:,} bytes; "
                  f"goal ≤ {GOAL_RATIO}×; baselines under {FLOOR_SECONDS * 1000} ms count as "
                  f"{FLOOR_SECONDS * 1000} ms)")
    return 1 if report["crashes"] else 0


if __name__ == "__main__":
    sys.exit(main())
