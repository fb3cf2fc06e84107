"""A stand-in for DNS in tests: ``SafeFetcher(resolver=fake_dns({"forge.example": "127.0.0.1"}))``
lets a test give a public-looking name any address without touching the real resolver."""

from __future__ import annotations

from collections.abc import Callable


def fake_dns(table: dict[str, str]) -> Callable[[str, int], list[str]]:
    def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise OSError(f"no test DNS entry for {host}")
        return [table[host]]

    return resolve
