"""What the forge client raises: every message names the URL (without secrets) and what to do."""

from __future__ import annotations

from .urls import redact_url


class ForgeError(Exception):
    """A forge request failed. ``url`` never carries credentials; ``status`` may be None."""

    def __init__(self, message: str, status: int | None = None, url: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.url = redact_url(url) if url else None


class NotFound(ForgeError):
    """404 or 410: the project or file is not there (deleted, renamed, private, wrong path)."""


class Gone(NotFound):
    """410: the server says the resource was removed for good."""


class AccessDenied(ForgeError):
    """401, or 403 that is not a rate limit: the token is missing, wrong or lacks a scope."""


class RateLimited(ForgeError):
    """The server asked to wait longer than ``max_wait``; ``retry_at`` is epoch seconds."""

    def __init__(self, message: str, status: int | None, url: str | None, retry_at: float):
        super().__init__(message, status, url)
        self.retry_at = retry_at


class RetriesExhausted(ForgeError):
    """Every attempt failed with a transient error; ``attempts`` were made."""

    def __init__(self, message: str, status: int | None, url: str | None, attempts: int):
        super().__init__(message, status, url)
        self.attempts = attempts


class TooLarge(ForgeError):
    """The body is larger than the limit; it was not read whole."""

    def __init__(self, message: str, url: str | None, limit: int, size: int | None):
        super().__init__(message, None, url)
        self.limit = limit
        self.size = size


class InvalidResponse(ForgeError):
    """The answer is not what the API promises (not JSON, not a list, a pagination loop)."""
