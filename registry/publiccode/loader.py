"""Turn the bytes of a publiccode.yml into a tree of located nodes — or into one clear finding.

Why not ``yaml.safe_load``: it forgets where things are (we need line and column for every
finding), it applies YAML 1.1 rules (``yes`` becomes ``True``, ``2020-01-01`` a date) where the
standard asks for YAML 1.2, and its recursive composer can be driven into a RecursionError or an
alias bomb. So we read the parser's *events* (libyaml when available, a flat state machine) and
build our own tree iteratively, with hard limits on size, depth and expanded node count.

The tree keeps every scalar's source text and style; ``Node.yaml_type`` resolves a scalar by the
YAML 1.2 core schema, which is what the reference validator (goccy/go-yaml) applies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .findings import Finding, error, join_key

MAX_BYTES = 1024 * 1024
"""Files above this size are refused before parsing (GUIDE.md: size cap before parsing)."""
MAX_DEPTH = 64
"""No publiccode.yml nests deeper than ~6 levels; 64 stops depth bombs long before trouble."""
MAX_NODES = 50_000
"""Expanded node budget: real files have a few hundred nodes; alias bombs have billions."""

_EventLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_LIBRARY_DEPTH_LIMIT = re.compile(r"nesting depth|nesting level", re.IGNORECASE)
"""How libyaml (0.2.5 and later, PyYAML 6.0.2 and later) words its own depth limit."""

# YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution)
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
# YAML 1.1 booleans that YAML 1.2 reads as strings; the standard rejects them where a bool goes.
YAML11_BOOLEANS = frozenset({"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
                             "on", "On", "ON", "off", "Off", "OFF"})
_EXPLICIT_TAGS = {
    "tag:yaml.org,2002:str": "str",
    "tag:yaml.org,2002:int": "int",
    "tag:yaml.org,2002:float": "float",
    "tag:yaml.org,2002:bool": "bool",
    "tag:yaml.org,2002:null": "null",
}
_TYPE_PATTERNS = {"null": _NULL, "bool": _BOOL, "int": _INT, "float": _FLOAT}
_COLLECTION_TAGS = {"tag:yaml.org,2002:map": "map", "tag:yaml.org,2002:seq": "seq"}


@dataclass(eq=False, slots=True)
class Node:
    """One YAML node with its 1-based position in the file."""

    kind: str  # "map" | "seq" | "scalar"
    line: int
    column: int
    text: str = ""  # scalar source value (after YAML unescaping)
    plain: bool = True  # scalar written without quotes or block style
    tag: str | None = None
    items: list[Node] = field(default_factory=list)  # seq
    pairs: list[tuple[Node, Node]] = field(default_factory=list)  # map
    size: int = 1  # nodes below and including this one, aliases expanded

    @property
    def yaml_type(self) -> str:
        """``map``, ``seq`` or the YAML 1.2 core type of a scalar: null/bool/int/float/str."""
        if self.kind != "scalar":
            return self.kind
        if self.tag in _EXPLICIT_TAGS:
            return _EXPLICIT_TAGS[self.tag]
        if not self.plain:
            return "str"
        for name, pattern in (("null", _NULL), ("bool", _BOOL), ("int", _INT), ("float", _FLOAT)):
            if pattern.match(self.text):
                return name
        return "str"

    def get(self, key: str) -> Node | None:
        for k, v in self.pairs:
            if k.text == key:
                return v
        return None

    def to_python(self) -> Any:
        """Plain data by YAML 1.2 rules; scalars that are not null/bool/int/float stay text."""
        if self.kind == "map":
            return {k.text: v.to_python() for k, v in self.pairs}
        if self.kind == "seq":
            return [item.to_python() for item in self.items]
        kind = self.yaml_type
        if kind == "null":
            return None
        if kind == "bool":
            return self.text.lower() == "true"
        if kind == "int":
            try:
                return int(self.text, 0) if self.text[:2] in ("0o", "0x") else int(self.text)
            except ValueError:
                return self.text
        if kind == "float":
            special = {".inf": "inf", "+.inf": "inf", "-.inf": "-inf", ".nan": "nan"}
            try:
                return float(special.get(self.text.lower(), self.text))
            except ValueError:  # the loader refuses such tags; never raise on a tree
                return self.text
        return self.text


@dataclass(slots=True)
class LoadResult:
    root: Node | None
    findings: list[Finding]
    text: str | None = None  # the decoded file, kept for callers that store it


class _Abort(Exception):
    def __init__(self, finding: Finding):
        self.finding = finding


def load(data: bytes) -> LoadResult:
    """Parse ``data``; on any hostile or broken input return exactly one finding and no tree."""
    if len(data) > MAX_BYTES:
        return LoadResult(None, [oversize(len(data))])
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position_in_bytes(data, exc.start)
        message = ("Invalid UTF-8: publiccode.yml must be encoded in UTF-8 "
                   f"(bad byte 0x{data[exc.start]:02x})")
        return LoadResult(None, [error("", message, line, column)])
    if not text.strip():
        return LoadResult(None, [error("", "publiccode.yml is empty")], text)
    try:
        root = _build(text)
    except _Abort as abort:
        return LoadResult(None, [abort.finding], text)
    if root.kind != "map":
        return LoadResult(None, [error("", "publiccode.yml must be a mapping of keys to values, "
                                           f"found a {_describe(root)}", root.line, root.column)],
                          text)
    return LoadResult(root, [], text)


def oversize(size: int) -> Finding:
    """The finding for a file over the limit; callers that can stat a file avoid reading it."""
    return error("", f"file is {size:,} bytes, larger than the {MAX_BYTES:,} byte limit "
                     "for publiccode.yml")


TAG_MISMATCH = "the YAML tag {tag} does not fit {target}"


def _check_tag(tag: str | None, kind: str, text: str, key: str, line: int, column: int) -> None:
    """An explicit core-schema tag must fit its node (``!!float abc``, ``!!map [1]`` do not):
    one finding instead of a value that cannot be converted. Other tags (``!!binary``,
    ``!local``) mean nothing to publiccode.yml; their nodes are read by their YAML kind."""
    if tag is None:
        return
    short = tag.replace("tag:yaml.org,2002:", "!!")
    if kind == "scalar" and tag in _COLLECTION_TAGS:
        raise _Abort(error(key, TAG_MISMATCH.format(tag=short, target="a single value"),
                           line, column))
    if kind != "scalar" and (tag in _EXPLICIT_TAGS or _COLLECTION_TAGS.get(tag, kind) != kind):
        what = "a list" if kind == "seq" else "a mapping"
        raise _Abort(error(key, TAG_MISMATCH.format(tag=short, target=what), line, column))
    pattern = _TYPE_PATTERNS.get(_EXPLICIT_TAGS.get(tag, "str"))
    if kind == "scalar" and pattern is not None and not pattern.match(text):
        value = text if len(text) <= 40 else text[:40] + "…"
        raise _Abort(error(key, TAG_MISMATCH.format(tag=short, target=f'the value "{value}"'),
                           line, column))


def _too_deep(key: str, line: int, column: int) -> Finding:
    return error(key, f"values are nested more than {MAX_DEPTH} levels deep", line, column)


def _describe(node: Node) -> str:
    return {"seq": "list", "map": "mapping"}.get(node.kind, "single value")


def _position_in_bytes(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1


def _position_in_text(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


@dataclass(slots=True)
class _Frame:
    node: Node
    path: str
    pending_key: Node | None = None
    seen_keys: dict[str, int] = field(default_factory=dict)
    anchor: str | None = None


def _build(text: str) -> Node:
    """Build the node tree from parser events, enforcing the limits as we go."""
    stack: list[_Frame] = []
    anchors: dict[str, Node] = {}
    root: Node | None = None
    documents = 0

    def attach(node: Node, anchor: str | None) -> None:
        nonlocal root
        if anchor:
            anchors[anchor] = node
        if not stack:
            root = node
            return
        parent = stack[-1]
        container = parent.node
        if container.kind == "seq":
            container.items.append(node)
        elif parent.pending_key is None:
            if node.kind != "scalar":
                raise _Abort(error(parent.path, "mapping keys must be plain strings",
                                   node.line, node.column))
            if node.text in parent.seen_keys:
                raise _Abort(error(join_key(parent.path, node.text),
                                   f'mapping key "{node.text}" already defined at line '
                                   f"{parent.seen_keys[node.text]}", node.line, node.column))
            parent.seen_keys[node.text] = node.line
            parent.pending_key = node
            return  # a key does not count towards the expanded size
        else:
            container.pairs.append((parent.pending_key, node))
            parent.pending_key = None
        container.size += node.size
        if container.size > MAX_NODES:
            raise _Abort(error("", f"the document expands to more than {MAX_NODES:,} values "
                                   "(YAML anchors and aliases used as a bomb?)",
                               node.line, node.column))

    def child_path() -> str:
        if not stack:
            return ""
        parent = stack[-1]
        if parent.node.kind == "seq":
            return join_key(parent.path, len(parent.node.items))
        if parent.pending_key is not None:
            return join_key(parent.path, parent.pending_key.text)
        return parent.path

    try:
        for event in yaml.parse(text, Loader=_EventLoader):
            mark = event.start_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _Abort(error("", "publiccode.yml must contain exactly one YAML "
                                           "document, found a second one", line, column))
            elif isinstance(event, yaml.ScalarEvent):
                plain = event.style in (None, "") and event.implicit[0]
                tag = event.tag if event.tag not in (None, "!") else None
                _check_tag(tag, "scalar", event.value, child_path(), line, column)
                attach(Node("scalar", line, column, text=event.value, plain=plain, tag=tag),
                       event.anchor)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    raise _Abort(_too_deep(child_path(), line, column))
                kind = "map" if isinstance(event, yaml.MappingStartEvent) else "seq"
                _check_tag(event.tag, kind, "", child_path(), line, column)
                node = Node(kind, line, column, tag=event.tag)
                stack.append(_Frame(node, child_path(), anchor=event.anchor))
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frame = stack.pop()
                attach(frame.node, frame.anchor)
            elif isinstance(event, yaml.AliasEvent):
                target = anchors.get(event.anchor)
                if target is None:
                    raise _Abort(error(child_path(),
                                       f'unknown or recursive alias "*{event.anchor}"',
                                       line, column))
                attach(target, None)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = " ".join(p for p in (exc.context, exc.problem) if p) or "syntax error"
        if _LIBRARY_DEPTH_LIMIT.search(problem):
            # Newer libyaml scanners stop flow nesting ("[[[[…") at their own limit before
            # any event reaches us; it is the same defect, so it gets the same finding.
            raise _Abort(_too_deep("", line, column)) from None
        raise _Abort(error("", f"YAML syntax error: {problem}", line, column)) from None
    except yaml.reader.ReaderError as exc:
        line, column = _position_in_text(text, exc.position)
        code = ord(exc.character) if isinstance(exc.character, str) else exc.character
        raise _Abort(error("", f"publiccode.yml contains a control character (U+{code:04X}) "
                               "that YAML does not allow: is it a text file?",
                           line, column)) from None
    except yaml.YAMLError as exc:  # anything else libyaml reports
        raise _Abort(error("", f"YAML error: {exc}")) from None
    if root is None:
        raise _Abort(error("", "publiccode.yml is empty"))
    return root
