"""Codes of the needs (Bedarfe) in words: fields of action, operating models, budget bands,
statuses, the services' refusals (with the form field each belongs to) and match reasons.

The codes are declared once in ``registry.needs.vocabulary`` and ``registry.models.market``;
a word missing here shows the code itself rather than hiding the value. Reasons of a match are
``{"code": …, …values}`` as the matching stores them (``market.reasons``); each code has a
sentence with the values' names as placeholders, and a reason without one is shown plainly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from ..pages.vocabulary import value_label

FIELD_WORDS = {
    "mobility": _l("Mobilität"),
    "energy": _l("Energie"),
    "environment": _l("Umwelt und Klima"),
    "administration": _l("Verwaltung"),
    "education": _l("Bildung"),
    "health_social": _l("Gesundheit und Soziales"),
    "participation": _l("Beteiligung"),
    "economy": _l("Wirtschaft und Handel"),
    "security": _l("Sicherheit"),
    "culture_tourism": _l("Kultur und Tourismus"),
    "urban_planning": _l("Stadtplanung und Bauen"),
    "data_infrastructure": _l("Daten und digitale Infrastruktur"),
}
OPERATING_MODEL_WORDS = {
    "self_hosted": _l("Selbst betrieben (eigene IT)"),
    "it_provider": _l("Kommunaler IT-Dienstleister"),
    "saas": _l("Als Dienst eines Unternehmens (SaaS)"),
    "shared": _l("Gemeinsamer Betrieb mehrerer Kommunen"),
}
BUDGET_WORDS = {
    "none": _l("Noch kein Budget"),
    "under_10k": _l("Unter 10.000 € im Jahr"),
    "10k_50k": _l("10.000 bis 50.000 € im Jahr"),
    "50k_250k": _l("50.000 bis 250.000 € im Jahr"),
    "over_250k": _l("Über 250.000 € im Jahr"),
}
STATUS_WORDS = {
    "open": _l("offen"),
    "in_exchange": _l("im Austausch"),
    "solved": _l("gelöst"),
    "withdrawn": _l("zurückgezogen"),
}
STATUS_ACTIONS = {
    "open": _l("Wieder öffnen"),
    "in_exchange": _l("Als „im Austausch“ markieren"),
    "solved": _l("Als gelöst markieren"),
    "withdrawn": _l("Zurückziehen"),
}

ERRORS = {
    "title_missing": _l("Bitte geben Sie dem Bedarf einen Titel."),
    "title_too_long": _l("Der Titel darf höchstens 150 Zeichen haben."),
    "description_too_short": _l("Bitte beschreiben Sie den Bedarf in mindestens 20 Zeichen."),
    "description_too_long": _l("Die Beschreibung darf höchstens 5000 Zeichen haben."),
    "control_character": _l("Der Text enthält ein ungültiges Steuerzeichen."),
    "field_of_action": _l("Bitte wählen Sie ein Handlungsfeld aus der Liste."),
    "categories": _l("Bitte wählen Sie höchstens 20 Kategorien aus der Liste."),
    "operating_models": _l("Bitte wählen Sie Betriebsmodelle aus der Liste."),
    "budget_band": _l("Bitte wählen Sie einen Budgetrahmen aus der Liste."),
    "platforms": _l("Höchstens 20 Plattformen mit je höchstens 60 Zeichen."),
    "deadline_invalid": _l("Das Datum ist kein gültiges Datum (JJJJ-MM-TT)."),
    "not_member": _l("Nur bestätigte Mitglieder der Organisation können ihre Bedarfe "
                     "anlegen und ändern."),
    "organisation_missing": _l("Bitte wählen Sie eine Ihrer Organisationen."),
    "status": _l("Diesen Status gibt es nicht."),
    "status_transition": _l("Dieser Statuswechsel ist nicht möglich."),
    "solution_required": _l("Bitte geben Sie an, welche Lösung den Bedarf gelöst hat."),
    "solution_unexpected": _l("Eine Lösung gehört nur zu einem gelösten Bedarf."),
    "solution_unknown": _l("Diese Lösung kennt der Katalog nicht. Geben Sie ihre Nummer, die "
                           "Adresse ihrer Seite hier oder ihres Repositorys an."),
    "not_admin": _l("Das dürfen nur Administratorinnen und Administratoren."),
    "reason_missing": _l("Bitte geben Sie einen Grund an."),
}
ERROR_FIELDS = {
    "title_missing": "title", "title_too_long": "title",
    "description_too_short": "description", "description_too_long": "description",
    "control_character": "description", "field_of_action": "field_of_action",
    "categories": "categories", "operating_models": "operating_models",
    "budget_band": "budget_band", "platforms": "platforms", "deadline_invalid": "deadline",
    "not_member": "organisation_id", "organisation_missing": "organisation_id",
}
"""Which form field a refusal of ``registry.needs.service`` concerns."""

REASON_WORDS = {
    "field_of_action": _l("Gleiches Handlungsfeld: %(field)s"),
    "category": _l("Passende Kategorien: %(categories)s"),
    "categories": _l("Passende Kategorien: %(categories)s"),
    "scope": _l("Passender Einsatzbereich: %(scopes)s"),
    "words": _l("Die Beschreibung nennt: %(words)s"),
    "text": _l("Die Beschreibung nennt: %(words)s"),
    "platform": _l("Läuft auf: %(platforms)s"),
    "platforms": _l("Läuft auf: %(platforms)s"),
    "adopted": _l("Schon im Einsatz bei %(count)s Organisationen"),
    "adopted_by_peers": _l("Schon im Einsatz bei %(count)s Organisationen"),
    "maintained": _l("Wird aktiv gepflegt"),
    "same_field": _l("Sucht ebenfalls im Handlungsfeld %(field)s"),
    "similar_need": _l("Hat einen ähnlichen Bedarf: %(title)s"),
    "uses_solution": _l("Nutzt eine passende Lösung: %(solution)s"),
    "uses_matched_solution": _l("Nutzt eine passende Lösung: %(solution)s"),
    "same_state": _l("Im selben Land: %(state)s"),
    "similar_size": _l("Ähnlich groß (%(population)s Einwohnerinnen und Einwohner)"),
}
"""Reason codes of ``market.reasons`` as sentences; the placeholders are the values' names."""


def word(words: Mapping[str, Any], code: str | None) -> str:
    """A code as the reader should see it (the code itself when it has no word)."""
    if code is None:
        return ""
    found = words.get(code)
    return str(found) if found is not None else code


def error_text(code: str, fallback: str = "") -> str:
    found = ERRORS.get(code)
    return str(found) if found is not None else (fallback or code)


def _value_text(name: str, value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(_value_text(name, item) for item in value)
    if isinstance(value, float):
        return f"{value:.2g}"
    text = str(value)
    if name in ("field", "field_of_action"):
        return word(FIELD_WORDS, text)
    if name in ("category", "categories"):
        return value_label("category", text)
    if name in ("scope", "scopes"):
        return value_label("scope", text)
    if name in ("platform", "platforms"):
        return value_label("platform", text)
    return text


def reason_text(reason: Mapping[str, Any]) -> str:
    """One stored reason in words; its code and values plainly when there is no sentence."""
    code = str(reason.get("code", ""))
    values = {name: _value_text(name, value) for name, value in reason.items()
              if name != "code"}
    sentence = REASON_WORDS.get(code)
    if sentence is not None:
        try:
            return str(sentence) % values
        except (KeyError, TypeError, ValueError):
            pass
    shown = "; ".join(f"{name}: {value}" for name, value in values.items())
    return f"{code} ({shown})" if shown else code


def reasons_text(reasons: Iterable[Mapping[str, Any]]) -> list[str]:
    return [reason_text(reason) for reason in reasons if isinstance(reason, Mapping)]
