"""The one exception of the git layer, and the URL redaction every message goes through.

A harvest logs these messages and shows them to operators, so they must say what went wrong in
plain words ("timed out after 60 s fetching https://…") and must never carry credentials: every
URL and every line of git's stderr is passed through :func:`redact` first.
"""

from __future__ import annotations

import re
from typing import Literal

ErrorKind = Literal[
    "timeout", "not_found", "auth", "protocol", "network", "broken_cache", "too_large", "failed"
]
"""Lets a caller decide without parsing text: retry ``timeout``/``network`` later, skip
``not_found``/``auth``/``protocol``, reclone on ``broken_cache``."""

_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/?#\s]*@")
"""Greedy up to the authority's last ``@``, so a password containing ``@`` goes too."""


def redact(text: str) -> str:
    """Remove ``user:password@`` from every URL in ``text`` (messages, stderr, paths)."""
    return _USERINFO.sub(r"\1", text)


class GitError(Exception):
    """A git operation failed; ``str(error)`` is a complete, credential-free sentence."""

    def __init__(self, message: str, *, kind: ErrorKind = "failed", url: str = "",
                 stderr: str = ""):
        super().__init__(redact(message))
        self.kind: ErrorKind = kind
        self.url = redact(url)
        self.stderr = redact(stderr)
        """git's own words (redacted), for logs; the message is what users read."""


# Ordered: the first pattern found in git's stderr decides the kind. LC_ALL=C keeps them stable.
_STDERR_KINDS: tuple[tuple[ErrorKind, re.Pattern[str], str], ...] = (
    ("protocol", re.compile(r"transport '[^']*' not allowed|unsupported protocol|"
                            r"protocol '[^']*' is not supported", re.I),
     "protocol not allowed"),
    ("auth", re.compile(r"authentication failed|could not read (username|password)|"
                        r"terminal prompts disabled|HTTP 40[13]\b|"
                        r"requested URL returned error: 40[13]\b", re.I),
     "authentication required"),
    ("not_found", re.compile(r"repository '[^']*' not found|repository not found|"
                             r"does not appear to be a git repository|"
                             r"requested URL returned error: 404\b|HTTP 404\b|"
                             r"no such repository", re.I),
     "repository not found"),
    ("network", re.compile(r"could not resolve host|failed to connect|connection refused|"
                           r"connection reset|connection timed out|network is unreachable|"
                           r"\bSSL\b|\bTLS\b|certificate|requested URL returned error: 5\d\d|"
                           r"RPC failed|early EOF|unexpected disconnect|remote end hung up",
                           re.I),
     "network error"),
    ("broken_cache", re.compile(r"unable to create '[^']*': file exists|bad object|corrupt|"
                                r"not a git repository|bad config|"
                                r"unable to read|missing object|loose object .* is corrupt|"
                                r"fatal: packed object", re.I),
     "the local cache is damaged"),
)


_NAMES = re.compile(r"(?<!\w)'[^'\n]*'|\b[a-z][a-z0-9+.-]*://\S+|(?<![\w/])/[^\s:']+", re.I)
"""Quoted names, URLs and absolute paths: a repository called "tls-corrupt" must not decide."""


def classify(stderr: str) -> tuple[ErrorKind, str]:
    """Map git's stderr to an :data:`ErrorKind` and a short phrase for the message."""
    words = _NAMES.sub("''", stderr)
    for kind, pattern, phrase in _STDERR_KINDS:
        if pattern.search(words):
            return kind, phrase
    return "failed", "git failed"


def last_line(stderr: str) -> str:
    """git's most telling line: the last non-empty one, usually ``fatal: …``."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return redact(lines[-1]) if lines else ""
