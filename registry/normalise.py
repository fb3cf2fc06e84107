"""Turn a publiccode.yml document into the flat fields the catalogue stores and queries.

Pure functions, no database. They are deliberately *defensive*: the catalogue also keeps
best-effort fields of files that never validated, so a document may have any shape (a number
where a string belongs, a list where a mapping belongs). Anything of the wrong type is dropped,
never raised on; the validator's findings already say what is wrong.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date
from typing import Any
from urllib.parse import urlsplit, urlunsplit

# publiccode.yml description keys → the catalogue's shorter per-language keys.
_DESCRIPTION_TEXT = {
    "localisedName": "localisedName",
    "genericName": "genericName",
    "shortDescription": "short",
    "longDescription": "long",
    "documentation": "documentation",
    "apiDocumentation": "apiDocumentation",
}
_DESCRIPTION_LISTS = {
    "features": "features",
    "screenshots": "screenshots",
    "videos": "videos",
    "awards": "awards",
}
_AUDIENCE_LISTS = ("countries", "unsupportedCountries", "scope")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")
_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
SLUG_MAX = 100


def normalise(document: Any) -> dict[str, Any]:
    """The catalogue's normalised fields of one publiccode.yml document.

    Keys match the ``Solution`` columns of the same name. Missing or mistyped values become
    ``None`` (scalars) or empty containers (lists, mappings), so callers never branch on type.
    """
    doc = document if isinstance(document, dict) else {}
    legal = _mapping(doc.get("legal"))
    maintenance = _mapping(doc.get("maintenance"))
    localisation = _mapping(doc.get("localisation"))
    return {
        "publiccode_version": _text(doc.get("publiccodeYmlVersion")),
        "name": _text(doc.get("name")),
        "descriptions": _descriptions(doc.get("description")),
        "development_status": _text(doc.get("developmentStatus")),
        "software_type": _text(doc.get("softwareType")),
        "license": _text(legal.get("license")),
        "categories": _strings(doc.get("categories")),
        "based_on": _repositories(doc.get("isBasedOn")),
        "platforms": _strings(doc.get("platforms")),
        "maintenance_type": _text(maintenance.get("type")),
        "release_date": _date(doc.get("releaseDate")),
        "software_version": _text(doc.get("softwareVersion")),
        "available_languages": _strings(localisation.get("availableLanguages")),
        "intended_audience": _audience(doc.get("intendedAudience")),
        "landing_url": _text(doc.get("landingURL")),
        "logo": _text(doc.get("logo")),
    }


def publisher_name(document: Any) -> str | None:
    """Who publishes the solution: organisation.name, else legal.repoOwner, else
    legal.mainCopyrightOwner. ``None`` when the document names nobody."""
    doc = document if isinstance(document, dict) else {}
    legal = _mapping(doc.get("legal"))
    for candidate in (_mapping(doc.get("organisation")).get("name"),
                      legal.get("repoOwner"), legal.get("mainCopyrightOwner")):
        name = _text(candidate)
        if name:
            return name
    return None


def publisher_website(document: Any) -> str | None:
    """organisation.uri when it is a web address (it may also be a URN such as an ID)."""
    doc = document if isinstance(document, dict) else {}
    uri = _text(_mapping(doc.get("organisation")).get("uri"))
    return uri if uri and uri.lower().startswith(("https://", "http://")) else None


def used_by(document: Any) -> list[str]:
    """The organisations in usedBy, stripped and without case-insensitive duplicates."""
    doc = document if isinstance(document, dict) else {}
    seen: set[str] = set()
    names = []
    for name in _strings(doc.get("usedBy")):
        folded = name.casefold()
        if folded not in seen:
            seen.add(folded)
            names.append(name)
    return names


def slugify(name: str) -> str:
    """A stable ASCII identifier for an organisation name: "Stadt München" → "stadt-muenchen".

    German umlauts are transliterated the German way first, the rest by Unicode decomposition.
    Names with no Latin letters at all get a short hash so they still have a unique slug.
    """
    folded = unicodedata.normalize("NFKC", name).lower().translate(_GERMAN)
    ascii_only = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode("ascii")
    slug = _SLUG_JUNK.sub("-", ascii_only).strip("-")[:SLUG_MAX].rstrip("-")
    if not slug:
        slug = "org-" + hashlib.sha256(name.strip().encode("utf-8")).hexdigest()[:12]
    return slug


def normalise_repository_url(url: str) -> str:
    """The catalogue's key for a repository: one spelling per repository.

    Lowercase scheme and host, no credentials, no default port, no query or fragment, no
    trailing slash or ``.git``. The path keeps its case (GitLab and Gitea paths are
    case-sensitive). Credentials are dropped so a token in a clone URL is never stored.
    """
    cleaned = url.strip()
    parts = urlsplit(cleaned)
    if not parts.scheme or (parts.scheme != "file" and not parts.hostname):
        raise ValueError(f"not a repository URL with scheme and host: {url!r}")
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = parts.port
    if port and (scheme, port) not in (("https", 443), ("http", 80)):
        host = f"{host}:{port}"
    path = parts.path
    while path.endswith("/") or path.lower().endswith(".git"):
        path = path[:-1] if path.endswith("/") else path[:-4]
    return urlunsplit((scheme, host, path, "", ""))


def _repositories(value: Any) -> list[str]:
    """Repository URLs (one or a list) as catalogue keys; what is no URL is left out."""
    keys: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str) and item.strip():
            try:
                key = normalise_repository_url(item)
            except ValueError:
                continue
            if key not in keys:
                keys.append(key)
    return keys


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    """A trimmed string; numbers become text (``softwareVersion: 1.2`` reads as a float)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str):
        return None
    return value.strip() or None


def _strings(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [text for text in (_text(item) for item in value) if text]


def _date(value: Any) -> date | None:
    match = _DATE.match(value.strip()) if isinstance(value, str) else None
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _descriptions(value: Any) -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = {}
    for language, entry in _mapping(value).items():
        if not isinstance(language, str) or not isinstance(entry, dict):
            continue
        described: dict[str, Any] = {}
        for key, target in _DESCRIPTION_TEXT.items():
            text = _text(entry.get(key))
            if text:
                described[target] = text
        for key, target in _DESCRIPTION_LISTS.items():
            items = _strings(entry.get(key))
            if items:
                described[target] = items
        if described:
            result[language] = described
    return result


def _audience(value: Any) -> dict[str, list[str]]:
    audience = _mapping(value)
    return {key: items for key in _AUDIENCE_LISTS if (items := _strings(audience.get(key)))}
