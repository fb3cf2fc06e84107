"""publiccode.yml codes in words: readers see "stabil", not ``stable``.

Lazy strings, so the words follow the reader's language at render time. A code without a word
(a new value in a later standard) is shown as it is rather than hidden.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask_babel import lazy_gettext as _l

from .quality_words import GRADE_WORDS
from .vocabulary_words import CATEGORY, PLATFORM, SCOPE

FACET_NAMES = {
    "category": _l("Kategorie"), "platform": _l("Plattform"), "license": _l("Lizenz"),
    "development_status": _l("Entwicklungsstand"), "maintenance_type": _l("Wartung"),
    "software_type": _l("Art der Software"), "publisher": _l("Herausgeber"),
    "region": _l("Region"), "quality": _l("Metadaten"),
}
SORT_NAMES = {"relevance": _l("Relevanz"), "updated": _l("Zuletzt aktualisiert"),
              "adopted": _l("Am häufigsten genutzt"), "name": _l("Name")}
DEVELOPMENT_STATUS = {
    "concept": _l("Konzept"), "development": _l("In Entwicklung"), "beta": _l("Beta"),
    "stable": _l("Stabil"), "obsolete": _l("Nicht mehr weiterentwickelt"),
}
MAINTENANCE_TYPE = {
    "internal": _l("Intern gewartet (vom Herausgeber selbst)"),
    "contract": _l("Gewartet durch beauftragte Dienstleister"),
    "community": _l("Gewartet von einer Community"),
    "none": _l("Nicht gewartet"),
}
SOFTWARE_TYPE = {
    "standalone/web": _l("Eigenständige Webanwendung"),
    "standalone/mobile": _l("Eigenständige App für Mobilgeräte"),
    "standalone/desktop": _l("Eigenständiges Desktop-Programm"),
    "standalone/backend": _l("Eigenständiger Hintergrunddienst (Backend)"),
    "standalone/iot": _l("Eigenständige Software für vernetzte Geräte (IoT)"),
    "standalone/other": _l("Eigenständige Software, sonstige"),
    "addon": _l("Erweiterung einer anderen Software"),
    "library": _l("Programmbibliothek"),
    "configurationFiles": _l("Konfigurationsdateien"),
}
# the sources page: what a harvest run counted, how it ended, what kind of source it read
RUN_COUNT_NAMES = {
    "seen": _l("gefunden"), "new": _l("neu"), "updated": _l("aktualisiert"),
    "unchanged": _l("unverändert"), "unlisted": _l("nicht mehr gelistet"),
    "invalid": _l("ungültig"), "failed": _l("fehlgeschlagen"), "removed": _l("entfernt"),
}
RUN_STATUS = {"running": _l("läuft"), "ok": _l("erfolgreich"),
              "partial": _l("teilweise erfolgreich"), "failed": _l("fehlgeschlagen")}
SOURCE_TYPE = {
    "gitlab": _l("GitLab-Instanz"), "github": _l("GitHub-Organisation"),
    "gitea": _l("Gitea- oder Forgejo-Organisation"), "git": _l("Git-Repositorys"),
    "demo": _l("Demo-Daten"), "files": _l("Dateien"),
    "registered": _l("von Maintainern registrierte Repositorys"),
}
VALUE_WORDS = {"development_status": DEVELOPMENT_STATUS, "maintenance_type": MAINTENANCE_TYPE,
               "software_type": SOFTWARE_TYPE, "category": CATEGORY, "platform": PLATFORM,
               "scope": SCOPE, "quality": GRADE_WORDS}
"""Keyed by search facet; ``scope`` is ``intendedAudience.scope`` (not a facet); ``quality``
is the metadata grade (``quality_words``)."""


def value_label(facet: str, value: str) -> str:
    """A code as the reader should see it (``platforms`` are free text: any case matches)."""
    words = VALUE_WORDS.get(facet, {})
    word = words.get(value, words.get(value.casefold()))
    return str(word) if word is not None else value


def labels(facet: str, values: Iterable[str]) -> list[str]:
    return [value_label(facet, value) for value in values]


def facet_values(facet: str, counts: Mapping[str, int]) -> list[tuple[str, str, int]]:
    """(code, words, count) by count, then by the words the reader sees."""
    shown = [(value, value_label(facet, value), count) for value, count in counts.items()]
    return sorted(shown, key=lambda item: (-item[2], item[1].casefold(), item[0]))
