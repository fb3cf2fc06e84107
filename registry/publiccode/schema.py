"""Schema rules (stub: being written)."""
from .findings import Finding
from .loader import Node


def check_document(root: Node) -> list[Finding]:
    return []
