"""Read the repository URL a maintainer typed, refuse what we will not fetch, name its forge.

Why a module of its own: the URL is the one piece of a registration that comes straight from a
user, and everything later (the raw file URLs, the Gitea API call, the git clone, the
catalogue's key) is built from it. So it is checked here, strictly and without the network:
``https`` only (``http`` only where private addresses are allowed, i.e. tests and closed
networks), no credentials, no query or fragment, a host and an ``owner/name`` path of plain
characters. Whether the host's *addresses* are public is the fetcher's job (it resolves DNS);
IP literals and odd IPv4 spellings are refused here already so the user hears it at once.

Messages are complete English sentences for the user; the web layer translates them.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from registry.fetch.addresses import nonstandard_ipv4, refusal_reason
from registry.models import FORGE_TYPES
from registry.normalise import normalise_repository_url


class RegistrationError(ValueError):
    """The registration cannot go on; ``str(error)`` tells the user what to change."""


MAX_URL_CHARS = 500
NOT_A_URL = "Please enter the address of the repository, e.g. https://gitlab.example.org/group/project."
TOO_LONG = f"The repository address is longer than {MAX_URL_CHARS} characters."
HTTPS_ONLY = "The repository address must start with https://."
NO_CREDENTIALS = ("The repository address must not contain a user name or password; "
                  "registered repositories must be public.")
NO_QUERY = "The repository address must not contain '?' or '#'; enter the repository's own address."
NO_HOST = "The repository address has no host name."
BAD_HOST = "The host name '{host}' is not valid."
LOCAL_NAME = ("'{host}' is a local host name; only repositories on the public internet can be "
              "registered.")
ODD_IP = ("'{host}' is an IP address in an unusual notation; please use the repository's host "
          "name.")
PRIVATE_IP = "'{host}' is {reason}; only repositories on the public internet can be registered."
NO_PATH = ("The address names no repository; it needs the owner and the repository name, e.g. "
           "https://github.com/owner/name.")
PAGE_NOT_REPO = ("This is the address of a page inside the repository; please enter the "
                 "repository's own address, e.g. https://{host}/{owner}/{name}.")
TWO_PARTS = ("A {forge} repository address has exactly two parts after the host, the owner and "
             "the name, e.g. https://{host}/owner/name.")
BAD_PART = "The part '{part}' of the repository address contains characters that are not allowed."
UNKNOWN_TYPE = "Unknown repository type '{kind}'; choose one of: {known}."

_BARE_HOST_AND_PATH = re.compile(r"^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d+)?/")
"""An address typed without its scheme: a dotted host name, then a path."""
_PART = re.compile(r"^[A-Za-z0-9._~+-]+$")
_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}"
                   r"[a-z0-9])?$")
_PAGE_MARKERS = {"tree", "blob", "src", "raw", "commit", "commits", "issues", "wiki"}
"""Third path parts that mean "a page inside a repository" on GitHub and Gitea; GitLab's
marker is ``-`` (its group paths may contain any of these words)."""

KNOWN_HOSTS = {"github.com": "github", "www.github.com": "github",
               "gitlab.com": "gitlab", "gitlab.opencode.de": "gitlab",
               "codeberg.org": "gitea"}


@dataclass(frozen=True, slots=True)
class RepositoryURL:
    url: str
    """Normalised: the same key as ``Solution.url`` and ``Registration.url``."""
    forge_type: str
    host: str
    """Host name, with ``:port`` when not the default."""
    path: tuple[str, ...]
    """The path's parts: ``("owner", "name")``, or longer for GitLab subgroups."""


def detect_forge(host: str) -> str | None:
    """The forge type a host name tells by itself, ``None`` when it does not."""
    name = host.split(":", 1)[0].lower()
    if name in KNOWN_HOSTS:
        return KNOWN_HOSTS[name]
    if "gitlab" in name:
        return "gitlab"
    return None


def parse_repository_url(url: str, forge_type: str | None = None, *,
                         allow_private: bool = False) -> RepositoryURL:
    """Check ``url`` and return it normalised with its forge type.

    ``forge_type`` is the user's explicit choice and wins; without it the host decides
    (github.com, GitLab hosts, codeberg.org), else ``git``. ``allow_private`` (the
    ``allow_private_addresses`` setting) also admits ``http://`` and private IP literals.
    Raises :class:`RegistrationError`.
    """
    if forge_type is not None and forge_type not in FORGE_TYPES:
        raise RegistrationError(UNKNOWN_TYPE.format(kind=forge_type, known=", ".join(FORGE_TYPES)))
    text = (url or "").strip()
    if not text:
        raise RegistrationError(NOT_A_URL)
    if "://" not in text and _BARE_HOST_AND_PATH.match(text):
        text = "https://" + text  # "gitlab.opencode.de/stadt/app", as people copy it
    if len(text) > MAX_URL_CHARS:
        raise RegistrationError(TOO_LONG)
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise RegistrationError(NOT_A_URL) from None
    schemes = ("https", "http") if allow_private else ("https",)
    if parts.scheme.lower() not in schemes or not parts.netloc:
        raise RegistrationError(HTTPS_ONLY if "://" in text else NOT_A_URL)
    if "@" in parts.netloc:
        raise RegistrationError(NO_CREDENTIALS)
    if "?" in text or "#" in text:
        raise RegistrationError(NO_QUERY)
    host = _check_host(parts.hostname or "", allow_private)
    shown_host = host if port is None else f"{host}:{port}"
    kind = forge_type or detect_forge(host) or "git"
    path = _check_path(parts.path, kind, shown_host)
    normalised = normalise_repository_url(text)
    return RepositoryURL(normalised, kind, urlsplit(normalised).netloc, path)


def _check_host(host: str, allow_private: bool) -> str:
    host = host.rstrip(".").lower()
    if not host:
        raise RegistrationError(NO_HOST)
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None:
        reason = refusal_reason(address)
        if reason and not allow_private:
            raise RegistrationError(PRIVATE_IP.format(host=host, reason=reason))
        return host
    if nonstandard_ipv4(host):
        raise RegistrationError(ODD_IP.format(host=host))
    try:
        ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        raise RegistrationError(BAD_HOST.format(host=host)) from None
    if not _HOST.match(ascii_host):
        raise RegistrationError(BAD_HOST.format(host=host))
    if "." not in ascii_host and not allow_private:  # localhost, intranet short names
        raise RegistrationError(LOCAL_NAME.format(host=host))
    return ascii_host


def _check_path(path: str, kind: str, host: str) -> tuple[str, ...]:
    trimmed = path.strip("/")
    if trimmed.lower().endswith(".git"):
        trimmed = trimmed[:-4]
    parts = tuple(p for p in trimmed.split("/") if p) if trimmed else ()
    if not parts or (kind != "git" and len(parts) < 2):
        raise RegistrationError(NO_PATH)
    for part in parts:
        if part in (".", "..") or not _PART.match(part):
            raise RegistrationError(BAD_PART.format(part=part))
    markers = {"-"} if kind == "gitlab" else _PAGE_MARKERS if kind != "git" else set()
    if any(p in markers for p in parts[2:]):
        raise RegistrationError(PAGE_NOT_REPO.format(host=host, owner=parts[0], name=parts[1]))
    if kind in ("github", "gitea") and len(parts) != 2:
        raise RegistrationError(TWO_PARTS.format(forge="GitHub" if kind == "github" else "Gitea",
                                                 host=host))
    return parts
