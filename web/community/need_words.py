"""Codes of the needs (Bedarfe) in words: fields of action, operating models, budget bands,
statuses, the services' refusals (with the form field each belongs to) and match reasons.

The codes are declared once in ``registry.needs.vocabulary`` and ``registry.models.market``;
a word missing here shows the code itself rather than hiding the value. Reasons of a match are
``{"code": …, …values}`` as the matching stores them (``market.reasons``); each code has a
sentence with the values' names as placeholders, and a reason without one is shown plainly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ..pages.vocabulary import value_label
from .words import KIND_WORDS

Found = TypeVar("Found")

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

SIZE_WORDS = {
    "small": _l("unter 5.000 Einwohnerinnen und Einwohnern"),
    "town": _l("5.000 bis 20.000 Einwohnerinnen und Einwohnern"),
    "medium": _l("20.000 bis 100.000 Einwohnerinnen und Einwohnern"),
    "city": _l("über 100.000 Einwohnerinnen und Einwohnern"),
}
LANGUAGE_WORDS = {"de": _l("Deutsch"), "en": _l("Englisch"), "it": _l("Italienisch"),
                  "nl": _l("Niederländisch"), "fr": _l("Französisch")}
REASON_WORDS = {
    "words": _l("Nennt %(words)s"),
    "concept": _l("Sprachübergreifend gefunden: %(term)s (%(language)s) ≈ %(query)s"),
    "abbreviation": _l("Gefunden über die Abkürzung: %(term)s ≈ %(query)s"),
    "compound": _l("Gefunden über die Wortteile: %(term)s ≈ %(query)s"),
    "field_of_action": _l("Passt zum Handlungsfeld %(field)s"),
    "category": _l("In der Kategorie %(categories)s"),
    "used_by": lambda values: ngettext(
        "Genutzt von %(num)s Organisation", "Genutzt von %(num)s Organisationen",
        int(values["count"])),
    "used_by_in_land": lambda values: ngettext(
        "Genutzt von %(num)s Organisation, davon %(in_land)s in %(land)s",
        "Genutzt von %(num)s Organisationen, davon %(in_land)s in %(land)s",
        int(values["count"]), in_land=values["in_land"], land=values["land"]),
    "maintained": _l("Aktiv gepflegt (Stufe %(level)s von 3)"),
    "operating_model": _l("Passt zum Betriebsmodell „%(model)s“: eine Firma pflegt sie im "
                          "Auftrag"),
    "uses": _l("Nutzt %(solution)s"),
    "similar_need": _l("Hat einen ähnlichen Bedarf (%(status)s): %(title)s"),
    "same_land": _l("Ebenfalls in %(land)s"),
    "same_kind": _l("Gleiche Art und Größe: %(kind)s mit %(size_class)s"),
    "shared_fields": _l("Bedarfe in denselben Handlungsfeldern: %(fields)s"),
    "shared_solutions": _l("Nutzt dieselben Lösungen: %(solutions)s"),
    "replaces": _l("Laut Beschreibung eine Alternative zu %(product)s"),
    "same_purpose": _l("Erfüllt denselben Zweck: %(term)s"),
}
"""Every reason code of ``market.reasons`` (its ``CODES``) as a sentence; the placeholders are
the values' names (``used_by_in_land``: ``used_by`` when the Land's count is known). A count
that decides the grammatical number is said through ``ngettext`` (Babel's plural rules): a
function of the reason's values."""


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
    named = {"field": FIELD_WORDS, "fields": FIELD_WORDS, "status": STATUS_WORDS,
             "model": OPERATING_MODEL_WORDS, "kind": KIND_WORDS, "size_class": SIZE_WORDS,
             "language": LANGUAGE_WORDS}.get(name)
    if named is not None:
        return word(named, text)
    if name in ("category", "categories"):
        return value_label("category", text)
    return text


def reason_text(reason: Mapping[str, Any]) -> str:
    """One stored reason in words; its code and values plainly when there is no sentence."""
    code = str(reason.get("code", ""))
    values = {name: _value_text(name, value) for name, value in reason.items()
              if name != "code"}
    key = "used_by_in_land" if code == "used_by" and reason.get("in_land") \
        and reason.get("land") else code
    sentence = REASON_WORDS.get(key)
    if sentence is not None:
        try:
            if callable(sentence):
                return sentence({**values, "count": reason.get("count", 0)})
            return str(sentence) % values
        except (KeyError, TypeError, ValueError):
            pass
    shown = "; ".join(f"{name}: {value}" for name, value in values.items())
    return f"{code} ({shown})" if shown else code


def reasons_text(reasons: Iterable[Mapping[str, Any]]) -> list[str]:
    return [reason_text(reason) for reason in reasons if isinstance(reason, Mapping)]


def with_reasons(found: Iterable[Found]) -> list[tuple[Found, list[str]]]:
    """Each match, alternative or peer (its ``reasons`` as ``market.reasons.Reason``) beside
    its reasons in words, as the templates list them."""
    return [(item, reasons_text(reason.to_json() for reason in item.reasons))
            for item in found]
