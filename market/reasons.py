"""Why a solution or an organisation was matched to a need: reasons as data, words apart.

Every reason is a :class:`Reason` with a stable ``code`` (one of ``CODES``) and plain values.
Stored as JSON in ``NeedMatch.reasons`` (``{"code": …, …values}``), given by the API and the
CLI, and put into words by whoever shows them: the web through its own gettext catalogue,
the CLI through :func:`sentence` (German and English, below). A code never changes meaning;
a new kind of reason gets a new code.

Codes and their values (docs/needs.md, "How matching scores and explains"):

- ``words`` {words}: the need's words (as it wrote them) found in the solution's text;
- ``concept`` {query, term, language}: found across languages, "Lärm" ≈ "rumore" (it);
- ``abbreviation`` {query, term}: "KI" ≈ "künstliche Intelligenz";
- ``compound`` {query, term}: a compound's parts, "Lärmmessung" ≈ "Lärm + Messung";
- ``field_of_action`` {field}: the solution's scopes/categories point to the need's field;
- ``category`` {categories}: the need's categories that the solution has;
- ``used_by`` {count, in_land, land}: adoptions (usedBy and declared), those in the need's
  Land (``land``; ``in_land`` 0 and ``land`` None when the need has no Land);
- ``maintained`` {level}: the harvest's maintenance level, 1–3;
- ``operating_model`` {model, basis}: what the catalogue knows of how it can be run;
- ``uses`` {solution_id, solution}: an organisation uses a matched solution;
- ``similar_need`` {need_id, status, title, words, categories}: an organisation posted a need
  like this one (the shared word stems and categories);
- ``same_land`` {land}; ``same_kind`` {kind, size_class}: same kind of body and size class;
- ``shared_fields`` {fields}: both posted needs in these fields of action;
- ``shared_solutions`` {solution_ids, solutions}: both use these solutions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

CODES = ("words", "concept", "abbreviation", "compound", "field_of_action", "category",
         "used_by", "maintained", "operating_model", "uses", "similar_need", "same_land",
         "same_kind", "shared_fields", "shared_solutions")
"""Every reason code, declared once. The web's words and the renderer below cover each."""


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unknown reason code {self.code!r}")

    def to_json(self) -> dict[str, Any]:
        """``{"code": …, …values}``: what ``NeedMatch.reasons`` stores and the API gives."""
        return {"code": self.code, **self.values}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Reason:
        values = {key: value for key, value in data.items() if key != "code"}
        return cls(str(data["code"]), values)


FIELD_WORDS = {
    "mobility": ("Mobilität", "mobility"),
    "energy": ("Energie", "energy"),
    "environment": ("Umwelt und Klima", "environment and climate"),
    "administration": ("Verwaltung", "administration"),
    "education": ("Bildung", "education"),
    "health_social": ("Gesundheit und Soziales", "health and social affairs"),
    "participation": ("Beteiligung", "participation"),
    "economy": ("Wirtschaft und Handel", "economy and trade"),
    "security": ("Sicherheit", "security"),
    "culture_tourism": ("Kultur und Tourismus", "culture and tourism"),
    "urban_planning": ("Stadtplanung und Bauen", "urban planning and building"),
    "data_infrastructure": ("Daten und digitale Infrastruktur",
                            "data and digital infrastructure"),
}
"""The fields of action in words, for the CLI (the web keeps its own, translated)."""

MODEL_WORDS = {
    "self_hosted": ("selbst betrieben", "self-hosted"),
    "it_provider": ("kommunaler IT-Dienstleister", "municipal IT provider"),
    "saas": ("SaaS eines Unternehmens", "SaaS by a company"),
    "shared": ("gemeinsamer Betrieb mehrerer Kommunen", "shared operation by several towns"),
}
STATUS_WORDS = {"open": ("offen", "open"), "in_exchange": ("im Austausch", "in exchange"),
                "solved": ("gelöst", "solved"), "withdrawn": ("zurückgezogen", "withdrawn")}
LANGUAGE_WORDS = {"de": ("Deutsch", "German"), "en": ("Englisch", "English"),
                  "it": ("Italienisch", "Italian"), "nl": ("Niederländisch", "Dutch"),
                  "fr": ("Französisch", "French")}
KIND_WORDS = {"municipality": ("Kommune", "municipality"), "district": ("Landkreis", "district"),
              "state": ("Land", "state"), "federal": ("Bundesbehörde", "federal body"),
              "company": ("Unternehmen", "company"),
              "association": ("Verein oder Verband", "association")}
SIZE_WORDS = {"small": ("unter 5.000 Einwohner", "under 5,000 inhabitants"),
              "town": ("5.000 bis 20.000 Einwohner", "5,000 to 20,000 inhabitants"),
              "medium": ("20.000 bis 100.000 Einwohner", "20,000 to 100,000 inhabitants"),
              "city": ("über 100.000 Einwohner", "over 100,000 inhabitants")}


def sentence(reason: Reason | Mapping[str, Any], language: str = "de") -> str:
    """One reason as a plain sentence in German (``de``) or English (``en``), for the CLI."""
    if not isinstance(reason, Reason):
        reason = Reason.from_json(reason)
    en = language == "en"
    v = reason.values

    def say(pair: tuple[str, str] | None, fallback: Any) -> str:
        return str(fallback) if pair is None else pair[1 if en else 0]

    def joined(items: Iterable[Any]) -> str:
        return ", ".join(str(item) for item in items)

    code = reason.code
    if code == "words":
        return (f"mentions {joined(v['words'])}" if en
                else f"nennt {joined(v['words'])}")
    if code == "concept":
        lang = say(LANGUAGE_WORDS.get(v["language"]), v["language"])
        return (f"found across languages: {v['term']} ({lang}) ≈ {v['query']}" if en
                else f"sprachübergreifend gefunden: {v['term']} ({lang}) ≈ {v['query']}")
    if code == "abbreviation":
        return (f"found via the abbreviation: {v['term']} ≈ {v['query']}" if en
                else f"gefunden über die Abkürzung: {v['term']} ≈ {v['query']}")
    if code == "compound":
        return (f"found via the parts of the word: {v['term']} ≈ {v['query']}" if en
                else f"gefunden über die Wortteile: {v['term']} ≈ {v['query']}")
    if code == "field_of_action":
        name = say(FIELD_WORDS.get(v["field"]), v["field"])
        return (f"serves the field of action {name}" if en
                else f"passt zum Handlungsfeld {name}")
    if code == "category":
        return (f"in the category {joined(v['categories'])}" if en
                else f"in der Kategorie {joined(v['categories'])}")
    if code == "used_by":
        land = v.get("land")
        text = (f"used by {v['count']} organisation(s)" if en
                else f"genutzt von {v['count']} Organisation(en)")
        if v.get("in_land") and land:
            text += (f", {v['in_land']} of them in {land}" if en
                     else f", davon {v['in_land']} in {land}")
        return text
    if code == "maintained":
        return (f"actively maintained (level {v['level']} of 3)" if en
                else f"aktiv gepflegt (Stufe {v['level']} von 3)")
    if code == "operating_model":
        model = say(MODEL_WORDS.get(v["model"]), v["model"])
        return (f"fits the operating model {model}: maintained by a company under contract"
                if en else f"passt zum Betriebsmodell {model}: eine Firma pflegt es im Auftrag")
    if code == "uses":
        return f"uses {v['solution']}" if en else f"nutzt {v['solution']}"
    if code == "similar_need":
        status = say(STATUS_WORDS.get(v["status"]), v["status"])
        return (f"has a similar need ({status}): {v['title']}" if en
                else f"hat einen ähnlichen Bedarf ({status}): {v['title']}")
    if code == "same_land":
        return f"also in {v['land']}" if en else f"ebenfalls in {v['land']}"
    if code == "same_kind":
        kind = say(KIND_WORDS.get(v["kind"]), v["kind"])
        size = say(SIZE_WORDS.get(v["size_class"]), v["size_class"])
        return f"also a {kind} with {size}" if en else f"ebenfalls {kind} mit {size}"
    if code == "shared_fields":
        names = joined(say(FIELD_WORDS.get(f), f) for f in v["fields"])
        return (f"needs in the same fields: {names}" if en
                else f"Bedarfe in denselben Handlungsfeldern: {names}")
    if code == "shared_solutions":
        return (f"uses the same solutions: {joined(v['solutions'])}" if en
                else f"nutzt dieselben Lösungen: {joined(v['solutions'])}")
    raise AssertionError(f"no words for reason code {code!r}")  # CODES and this agree (tested)


__all__ = ["CODES", "FIELD_WORDS", "Reason", "sentence"]
