"""Shape errors: values of the wrong YAML type, and keys the standard does not have.

The reference first decodes the YAML into Go structs (goccy/go-yaml, unknown fields refused) and
only then runs its schema rules on what was decoded. Two consequences we reproduce:

* the message and key: ``wrong type for this field`` / ``unknown field "x"``, at the line of the
  offending node, column 1, named by the first key found on that line (``keys.key_at_line``);
* a top-level key whose value (or anything below it) had the wrong type is left at its zero
  value, so its schema rules then see it as absent: ``name: []`` gives "wrong type" *and*
  "name is a required field"; ``legal: []`` gives "legal.license is a required field".

Scalars are accepted where a string is expected (``name: 123`` is the string "123", as the Go
decoder converts it); a boolean must be a YAML 1.2 ``true``/``false`` (so ``yes``, ``on``... are
wrong types, as the standard requires YAML 1.2).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .findings import Finding, error
from .keys import Path, dotted_key, key_at_line
from .loader import Node
from .spec import Spec

WRONG_TYPE = "wrong type for this field"


def is_nil(node: Node | None) -> bool:
    """Absent or YAML null: Go leaves the field at its zero value (nil for pointers)."""
    return node is None or (node.kind == "scalar" and node.yaml_type == "null")


@dataclass(slots=True)
class Decoded:
    findings: list[Finding] = field(default_factory=list)
    zeroed: set[str] = field(default_factory=set)
    """Top-level keys whose value the reference would have dropped after a type error."""


def decode(root: Node, document: Spec) -> Decoded:
    result = Decoded()
    for key, value in root.pairs:
        spec = document.fields.get(key.text)
        if spec is None:
            result.findings.append(_unknown(root, key, (key.text,)))
            continue
        wrong: list[Located] = []
        unknown: list[Located] = []
        _conform(spec, value, (key.text,), wrong, unknown)
        if wrong:
            result.zeroed.add(key.text)
        result.findings += [_wrong_type(root, node, path) for node, path in wrong]
        result.findings += [_unknown(root, node, path) for node, path in unknown]
    return result


Located = tuple[Node, Path]


def _conform(spec: Spec, node: Node, path: Path, wrong: list[Located],
             unknown: list[Located]) -> None:
    """Collect nodes whose YAML type does not fit ``spec`` and keys ``spec`` does not know."""
    if is_nil(node):
        return
    kind = spec.kind
    if kind == "str":
        if node.kind != "scalar":
            wrong.append((node, path))
    elif kind == "bool":
        if node.yaml_type != "bool":
            wrong.append((node, path))
    elif kind in ("list", "str_or_list"):
        if kind == "str_or_list" and node.kind == "scalar":
            return
        if node.kind != "seq":
            wrong.append((node, path))
            return
        assert spec.item is not None
        for index, item in enumerate(node.items):
            _conform(spec.item, item, (*path, index), wrong, unknown)
    elif kind == "struct":
        if node.kind != "map":
            wrong.append((node, path))
            return
        for key, value in node.pairs:
            sub = spec.fields.get(key.text)
            if sub is None:
                unknown.append((key, (*path, key.text)))
            else:
                _conform(sub, value, (*path, key.text), wrong, unknown)
    elif kind == "dict":
        if node.kind != "map":
            wrong.append((node, path))
            return
        assert spec.item is not None
        for key, value in node.pairs:
            _conform(spec.item, value, (*path, key.text), wrong, unknown)


def _named_by_line(root: Node, node: Node, path: Path) -> str:
    """The reference's name for the node; its own path when no key starts on its line (a
    continuation line, where the reference would give an empty key)."""
    return dotted_key(key_at_line(root, node.line) or path)


def _wrong_type(root: Node, node: Node, path: Path) -> Finding:
    return error(_named_by_line(root, node, path), WRONG_TYPE, node.line, 1)


def _unknown(root: Node, key: Node, path: Path) -> Finding:
    return error(_named_by_line(root, key, path), f'unknown field "{key.text}"', key.line, 1)
