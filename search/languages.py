"""The description languages the index analyses with their own stemming, declared once.

A publiccode.yml describes a solution in any number of languages (``description.<lang>``). The
catalogue Allmende harvests is written mostly in German, English, Italian, Dutch and French, so
each of these gets its own fields and Snowball stemmer; every other language is indexed plainly
(lower case, accents folded) under ``other``.
"""

from __future__ import annotations

STEMMED_LANGUAGES: tuple[str, ...] = ("de", "en", "it", "nl", "fr")
"""Languages with their own description fields and Snowball stemming."""
OTHER = "other"
LANGUAGE_GROUPS: tuple[str, ...] = (*STEMMED_LANGUAGES, OTHER)


def language_group(language: str) -> str:
    """The group of a description key such as ``de``, ``de-CH``, ``it_IT``, ``EN``."""
    primary = language.split("-", 1)[0].split("_", 1)[0].lower()
    return primary if primary in STEMMED_LANGUAGES else OTHER
