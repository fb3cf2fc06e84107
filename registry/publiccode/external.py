"""External checks (stub: being written)."""
from pathlib import Path
from typing import Any

from .findings import Finding
from .loader import Node


def check_external(root: Node, *, base_dir: Path | None, base_url: str | None, network: bool,
                   fetcher: Any = None) -> list[Finding]:
    return []
