"""What a failed fetch raises: every message is a complete sentence meant for the user."""

from __future__ import annotations


class FetchError(Exception):
    """A fetch failed; ``str(error)`` is a complete sentence meant for the user."""

    def __init__(self, message: str, url: str = ""):
        super().__init__(message)
        self.url = url


class RefusedURL(FetchError):
    """The URL or an address it resolves to is not allowed (scheme, notation, non-public IP)."""


class ResponseTooLarge(FetchError):
    """The body is larger than the fetcher's ``max_bytes``."""


class FetchTimeout(FetchError):
    """The server did not answer in time, or the whole fetch took longer than the deadline."""
