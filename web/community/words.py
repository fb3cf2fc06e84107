"""Codes of the community pages in words: organisation kinds, membership roles and states."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

KIND_WORDS = {
    "municipality": _l("Kommune"),
    "district": _l("Landkreis"),
    "state": _l("Land"),
    "federal": _l("Bundesbehörde"),
    "company": _l("Unternehmen"),
    "association": _l("Verein oder Verband"),
}
ROLE_WORDS = {"member": _l("Mitglied"), "admin": _l("Verwaltung der Organisation")}
