"""Where a finding points: its key in the reference's notation and its line/column.

A place in the document is a *path*: a tuple of map keys (str) and list indexes (int), e.g.
``("maintenance", "contacts", 0, "email")``. The reference writes such a path in two ways,
depending on which of its stages reports the problem, and we follow it:

* schema rules (go-playground/validator): ``maintenance.contacts[0].email``, with map keys that
  are not purely alphabetic in brackets: ``description[en-US].shortDescription``
  (``validator_key``, which is ``findings.join_key`` applied along the path);
* type errors, unknown keys and the follow-up checks (deprecations, oEmbed): always dotted,
  ``description.en-US.genericName`` (``dotted_key``).

Positions follow the reference's ``getPositionInFile``: the key node when the key is in the
file, the item for a list index, the parent's value when only the last step is missing (so a
missing top-level key points at the document), and 0,0 when more is missing.
"""

from __future__ import annotations

from .findings import join_key
from .loader import Node

Path = tuple[str | int, ...]


def validator_key(path: Path) -> str:
    key = ""
    for part in path:
        key = join_key(key, part)
    return key


def dotted_key(path: Path) -> str:
    key = ""
    for part in path:
        if isinstance(part, int):
            key += f"[{part}]"
        else:
            key = f"{key}.{part}" if key else part
    return key


def _step(node: Node | None, part: str | int) -> tuple[Node | None, Node | None]:
    """(the node that marks the place, the value node) one step below ``node``."""
    if node is None:
        return None, None
    if isinstance(part, int):
        if node.kind == "seq" and 0 <= part < len(node.items):
            item = node.items[part]
            return item, item
        return None, None
    if node.kind == "map":
        for key, value in node.pairs:
            if key.text == part:
                return key, value
    return None, None


def position_of(root: Node, path: Path) -> tuple[int, int]:
    node: Node | None = root
    for index, part in enumerate(path):
        mark, value = _step(node, part)
        if mark is None:
            if index == len(path) - 1 and node is not None:
                return node.line, node.column
            return 0, 0
        node = value
        if index == len(path) - 1:
            return mark.line, mark.column
    return root.line, root.column


def node_at(root: Node, path: Path) -> Node | None:
    node: Node | None = root
    for part in path:
        node = _step(node, part)[1]
    return node


def key_at_line(node: Node, line: int, path: Path = ()) -> Path | None:
    """The first key (or list item) that starts on ``line``, in document order.

    This is how the reference names a type error or an unknown key: it only knows the line the
    YAML decoder complained about. A list item that starts on the line wins over the keys inside
    it (``organisation[0]``); a block mapping value is named by its first key (``fundedBy.name``).
    """
    if node.kind == "map":
        for key, value in node.pairs:
            here = (*path, key.text)
            if key.line == line:
                return here
            if value.kind != "scalar":
                found = key_at_line(value, line, here)
                if found is not None:
                    return found
    elif node.kind == "seq":
        for index, item in enumerate(node.items):
            here = (*path, index)
            if item.line == line:
                return here
            if item.kind != "scalar":
                found = key_at_line(item, line, here)
                if found is not None:
                    return found
    return None
