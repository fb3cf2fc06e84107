"""The HTTP client every forge harvester uses (GitLab / Open CoDE, GitHub, Gitea / Forgejo).

Why a module of its own: a harvest makes thousands of requests to servers that rate-limit,
fail for a moment, move projects and paginate in three different ways. Getting that right once
keeps the forge listers small (the Software Heritage listers are the model):

* **retries** with exponential backoff and jitter on connection errors, timeouts, 429 and 5xx;
  the server's own wait wins: ``Retry-After`` (seconds or HTTP-date), else the rate-limit reset
  (``RateLimit-Reset`` / ``X-RateLimit-Reset``) when the remaining quota is 0 — GitHub answers
  403 with ``X-RateLimit-Remaining: 0`` for an exhausted quota, GitLab 429 with ``RateLimit-*``;
* **a quota announced as used up** (``RateLimit-Remaining: 0`` on a successful answer) makes the
  *next* request wait for the reset instead of provoking a refusal;
* **no wait is longer than** ``max_wait``: when a server asks for more (GitHub's hourly quota),
  :class:`RateLimited` is raised at once — retrying early only burns requests, and GitHub may
  block clients that keep sending while limited;
* **pagination** always follows the server's ``Link: rel="next"`` (RFC 8288, parsed by
  requests), else GitLab's ``X-Next-Page``; page URLs are never guessed;
* **redirects** are followed, and the result says where it ended (a moved project keeps its
  catalogue entry, but the harvester must learn the new URL);
* **size caps**: bodies are streamed and refused past ``max_bytes`` without reading them whole;
* **tokens** go only to the configured origin (also stripped on a redirect elsewhere), and never
  appear in logs, reprs or error messages.

Sources are configured by the operator and trusted (loopback allowed): this is *not* the
SSRF-safe fetcher for user-supplied URLs (that is :mod:`registry.fetch`). The ``sleep`` and
``clock`` callables are injectable so tests can observe waits without waiting.
"""


from .client import DEFAULT_MAX_BYTES, DEFAULT_USER_AGENT, ForgeClient
from .errors import (
    AccessDenied,
    ForgeError,
    Gone,
    InvalidResponse,
    NotFound,
    RateLimited,
    RetriesExhausted,
    TooLarge,
)
from .responses import ClientStats, ForgeResponse, Hop, Page
from .urls import redact_url

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_USER_AGENT",
    "AccessDenied",
    "ClientStats",
    "ForgeClient",
    "ForgeError",
    "ForgeResponse",
    "Gone",
    "Hop",
    "InvalidResponse",
    "NotFound",
    "Page",
    "RateLimited",
    "RetriesExhausted",
    "TooLarge",
    "redact_url",
]
