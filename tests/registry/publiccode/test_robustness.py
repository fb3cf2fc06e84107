"""The schema rules never raise: random mutations of real files and of trees must give findings.

Deterministic (seeded) so a failure can be replayed; broad rather than deep: line edits that
change YAML types and indentation, byte edits, and tree surgery that puts any node kind
anywhere (something the loader may produce for a file we did not think of).
"""

from __future__ import annotations

import random

import pytest

from registry.publiccode import validate_bytes
from registry.publiccode.findings import Finding
from registry.publiccode.loader import Node, load
from registry.publiccode.schema import check_document

from .helpers import BASE
from .test_corpus import FILES

REPLACEMENTS = [
    "[]", "{}", "null", "~", "yes", "no", "123", "0.4", "-1", "''", '"x"', "[1, [2]]",
    "{a: {b: c}}", "!!str 12", "2020-01-01", "\u00e9\u0301\U0001f44d", "|\n  block\n", "- a\n- b",
]


def mutate_lines(text: str, rng: random.Random) -> str:
    lines = text.splitlines()
    for _ in range(rng.randint(1, 4)):
        if not lines:
            break
        index = rng.randrange(len(lines))
        line = lines[index]
        action = rng.randrange(6)
        if action == 0:
            del lines[index]
        elif action == 1:
            lines.insert(index, line)
        elif action == 2 and ":" in line:
            key = line.split(":", 1)[0]
            lines[index] = f"{key}: {rng.choice(REPLACEMENTS)}"
        elif action == 3:
            lines[index] = " " * rng.randint(0, 6) + line.lstrip()
        elif action == 4:
            lines[index] = line.replace("- ", "", 1) if "- " in line else "- " + line
        else:
            lines.insert(index, f"{rng.choice(['IT', 'it', 'x', 'supports', 'fundedBy'])}: "
                                f"{rng.choice(REPLACEMENTS)}")
    return "\n".join(lines) + "\n"


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    buffer = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if buffer:
            buffer[rng.randrange(len(buffer))] = rng.choice(b" :-\n[]{}'\"#&*!|>%@`\t")
    return bytes(buffer)


def sources() -> list[tuple[str, bytes]]:
    chosen = [("base", BASE.encode())]
    chosen += [(path.name, path.read_bytes()) for path in FILES[::6]]
    return chosen


def assert_findings(findings: list[Finding]) -> None:
    assert all(isinstance(f, Finding) and f.line >= 0 and f.column >= 0 for f in findings)


@pytest.mark.parametrize(("name", "data"), sources(), ids=lambda v: v if isinstance(v, str) else "")
def test_random_line_and_byte_mutations_never_raise(name, data):
    rng = random.Random(name)
    text = data.decode("utf-8", errors="replace")
    for _ in range(25):
        assert_findings(validate_bytes(mutate_lines(text, rng).encode()).findings)
        assert_findings(validate_bytes(mutate_bytes(data, rng)).findings)


def random_node(rng: random.Random, depth: int = 0) -> Node:
    kind = rng.choice(["scalar", "scalar", "map", "seq"] if depth < 3 else ["scalar"])
    line, column = rng.randint(1, 40), rng.randint(1, 10)
    if kind == "scalar":
        text = rng.choice(["", "x", "yes", "true", "null", "12", "urn:x", "http://a", "en"])
        return Node("scalar", line, column, text=text, plain=rng.random() < 0.7)
    if kind == "seq":
        return Node("seq", line, column, items=[random_node(rng, depth + 1)
                                                for _ in range(rng.randint(0, 3))])
    keys = ["name", "uri", "type", "id", "en", "en-US", "features", "it", "conforme", "x"]
    return Node("map", line, column, pairs=[
        (Node("scalar", line, column, text=rng.choice(keys)), random_node(rng, depth + 1))
        for _ in range(rng.randint(0, 3))
    ])


def all_nodes(node: Node) -> list[Node]:
    found = [node]
    for _key, value in node.pairs:
        found += all_nodes(value)
    for item in node.items:
        found += all_nodes(item)
    return found


def test_any_node_anywhere_in_the_tree_never_raises():
    rng = random.Random(2026)
    for _ in range(300):
        root = load(BASE.encode()).root
        assert root is not None
        for _ in range(rng.randint(1, 3)):
            target = rng.choice(all_nodes(root))
            replacement = random_node(rng)
            target.kind, target.text = replacement.kind, replacement.text
            target.plain, target.tag = replacement.plain, replacement.tag
            target.items, target.pairs = replacement.items, replacement.pairs
        if root.kind != "map":
            continue  # the loader never hands over a non-mapping root
        assert_findings(check_document(root))
