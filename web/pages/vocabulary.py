"""publiccode.yml codes in words: readers see "stabil", not ``stable``.

Lazy strings, so the words follow the reader's language at render time. A code without a word
(a new value in a later standard) is shown as it is rather than hidden.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

FACET_NAMES = {
    "category": _l("Kategorie"), "platform": _l("Plattform"), "license": _l("Lizenz"),
    "development_status": _l("Entwicklungsstand"), "maintenance_type": _l("Wartung"),
    "software_type": _l("Art der Software"), "publisher": _l("Herausgeber"),
    "region": _l("Region"),
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
VALUE_WORDS = {"development_status": DEVELOPMENT_STATUS, "maintenance_type": MAINTENANCE_TYPE}


def value_label(facet: str, value: str) -> str:
    """A facet value as the reader should see it."""
    return str(VALUE_WORDS.get(facet, {}).get(value, value))
