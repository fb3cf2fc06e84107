"""Controlled vocabularies of the publiccode.yml standard, as the reference validator knows them.

Sources: publiccodeyml/publiccode.yml ``docs/standard/categories-list.rst``, ``scope-list.rst``,
``aliases-list.rst``, ``schema.core.rst``; italia/publiccode-parser-go ``publiccode.go``
(``SupportedVersions``), ``validators/v0.go`` and ``data/oembed_schemes.json``. The long lists live
in ``data/*.txt`` (one value a line, easy to diff against a new release of the standard); all
are read once at import, never per file.
"""

from __future__ import annotations

import re
from importlib.resources import files


def _lines(name: str) -> list[str]:
    """Non-blank, non-comment lines of a file in ``registry/publiccode/data/``."""
    text = files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()
            and not line.startswith("#")]


SUPPORTED_VERSIONS: tuple[str, ...] = (
    "0", "0.2", "0.2.0", "0.2.1", "0.2.2", "0.3", "0.3.0", "0.4", "0.4.0",
    "0.5.0", "0.5", "0.7.0", "0.7",
)
"""In the order the reference lists them in its "unsupported version" message."""

LATEST_VERSION = "0"
PARSED_AS = "0.7"
"""Every accepted version is read by the rules of the newest one, as the reference does."""

CATEGORIES: frozenset[str] = frozenset(_lines("categories.txt"))
"""106 values, ``other`` included."""

SCOPES: frozenset[str] = frozenset(_lines("scopes.txt"))

SUPPORT_ALIASES: frozenset[str] = frozenset(
    ("gdpr", "eidas", "nis2", "cra", "spid", "cie", "anpr", "pagopa", "io")
)
"""``supports[].id: alias:<name>`` (publiccode.yml 0.7 ``aliases-list.rst``)."""

DEVELOPMENT_STATUSES = ("concept", "development", "beta", "stable", "obsolete")
SOFTWARE_TYPES = (
    "standalone/mobile", "standalone/iot", "standalone/desktop", "standalone/web",
    "standalone/backend", "standalone/other", "addon", "library", "configurationFiles",
)
MAINTENANCE_TYPES = ("internal", "contract", "community", "none")
IT_EXTENSION_VERSIONS = ("0.2", "1.0")
"""The reference accepts both for ``IT.countryExtensionVersion`` (the spec documents 1.0)."""

CATEGORIES_LIST_URL = (
    "https://github.com/publiccodeyml/publiccode.yml/blob/main/docs/standard/categories-list.rst"
)
SCOPE_LIST_URL = (
    "https://github.com/publiccodeyml/publiccode.yml/blob/main/docs/standard/scope-list.rst"
)
ALIASES_LIST_URL = (
    "https://github.com/publiccodeyml/publiccode.yml/blob/main/docs/standard/aliases-list.rst"
)
IPA_VOCABULARY_URL = "https://github.com/publiccodeyml/italian-organizations-ipa-vocabulary"
SPDX_URL = "https://spdx.org/licenses"

OEMBED_VIDEO_SCHEMES: tuple[str, ...] = tuple(_lines("oembed_video_schemes.txt"))
"""oEmbed URL schemes of the video hosts among the reference's ``data/oembed_schemes.json``."""


def _scheme_pattern(schemes: tuple[str, ...]) -> re.Pattern[str]:
    """One anchored regex for all schemes; ``*`` matches any run of characters."""
    parts = (re.escape(s).replace(r"\*", ".*") for s in schemes)
    return re.compile("(?:" + "|".join(parts) + ")", re.IGNORECASE)


OEMBED_VIDEO_URL = _scheme_pattern(OEMBED_VIDEO_SCHEMES)
