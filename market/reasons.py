"""Why a solution or an organisation was matched to a need: reasons as data, words apart.

Every reason is a :class:`Reason` with a stable ``code`` (one of ``CODES``) and plain values.
Stored as JSON in ``NeedMatch.reasons`` (``{"code": …, …values}``), given by the API and the
CLI's JSON, and put into words in one place: the web's gettext catalogue
(web/community/need_words.py), which ``allmende match`` speaks too. A code never changes
meaning; a new kind of reason gets a new code.

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
- ``shared_solutions`` {solution_ids, solutions}: both use these solutions;
- ``replaces`` {product}: an open alternative whose description says it replaces this
  proprietary product (market/alternatives.py);
- ``same_purpose`` {term}: found first by the search for a word of the job the product does
  ("Ratsinformationssystem").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

CODES = ("words", "concept", "abbreviation", "compound", "field_of_action", "category",
         "used_by", "maintained", "operating_model", "uses", "similar_need", "same_land",
         "same_kind", "shared_fields", "shared_solutions", "replaces", "same_purpose")
"""Every reason code, declared once. The web's words cover each (tested)."""


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


__all__ = ["CODES", "Reason"]
