"""The index schema: which fields exist, how each is analysed, and how a document fills them.

Three kinds of fields:
- *text* fields, searched by free text with boosts (name > short description > features >
  long description > the rest); descriptions have one field per language group (``de``,
  ``en``, ``it``, ``nl``, ``fr``, ``other``: search/languages.py), each with its own analyzer
  (search/analysis.py);
- *facet* fields (``f_*``) holding exact values, one term per value, for filters and counts;
- *sort* columns (``name_key``, ``updated``, ``adopted``), the relevance ``prior``
  (search/prior.py) and stored fields for display.

Changing the schema means bumping ``SCHEMA_VERSION``: the index lives under a versioned name,
so new code builds a fresh index beside the old one instead of misreading it.
"""

from __future__ import annotations

from typing import Any

from whoosh import fields, formats
from whoosh.analysis import RegexTokenizer

from .analysis import description_analyzer, plain_analyzer, spelling_analyzer
from .documents import IndexDocument
from .languages import LANGUAGE_GROUPS
from .prior import prior

SCHEMA_VERSION = 4
"""2: Italian, Dutch and French description fields; German and Dutch compounds split.
3: the ``quality`` facet and the ``prior`` column (search/prior.py).
4: the ``version`` column: the catalogue's content version each document was built from."""
INDEX_NAME = f"allmende_v{SCHEMA_VERSION}"

DESCRIPTION_KINDS = ("short", "features", "long")

FACETS: dict[str, str] = {
    "category": "f_category",
    "platform": "f_platform",
    "license": "f_license",
    "development_status": "f_development_status",
    "maintenance_type": "f_maintenance_type",
    "software_type": "f_software_type",
    "publisher": "f_publisher",
    "region": "f_region",
    "quality": "f_quality",
}
"""Public facet name → index field. The public names are what requests, URLs and the CLI use."""

_KIND_BOOST = {"short": 4.0, "features": 2.5, "long": 1.0}
_OTHER_BOOSTS = {"categories": 2.0, "topics": 2.0, "publisher": 1.5, "used_by": 1.0,
                 "region": 1.0, "audience": 1.0, "platforms": 1.0, "license": 1.0,
                 "status": 0.5}
BOOSTS: dict[str, float] = {
    "name": 8.0,
    **{f"{kind}_{group}": boost for kind, boost in _KIND_BOOST.items()
       for group in LANGUAGE_GROUPS},
    **_OTHER_BOOSTS,
}
"""Every free-text field with its query-time boost."""
TEXT_FIELDS: tuple[str, ...] = tuple(BOOSTS)
PREFIX_FIELDS: tuple[str, ...] = ("name", *(f"{kind}_{group}" for kind in ("short", "features")
                                             for group in LANGUAGE_GROUPS),
                                  "categories", "topics", "publisher")
"""Fields the last word of a short query is also matched against as a prefix."""
HIGHLIGHT_FIELDS: tuple[str, ...] = ("name", *(f"{kind}_{group}" for kind in DESCRIPTION_KINDS
                                               for group in LANGUAGE_GROUPS))
VALUE_SEPARATOR = "\n"


def _exact_values() -> fields.FieldType:
    """One term per value, verbatim (values are joined with newlines, which they never hold).

    ``scorable`` although never scored: Whoosh 2.7 looks up a field length for every posting
    when it writes a segment, and for a field without lengths that is a ``stat`` call each
    time — a third of the build time at 10k solutions.
    """
    return fields.FieldType(formats.Existence(), RegexTokenizer(r"[^\n]+"), scorable=True)


def build_schema() -> fields.Schema:
    plain = plain_analyzer()
    spec: dict[str, fields.FieldType] = {
        "id": fields.ID(stored=True, unique=True, sortable=True),
        "url": fields.ID(stored=True),
        "title": fields.STORED(),
        "fingerprint": fields.STORED(),
        "name": fields.TEXT(analyzer=plain, stored=True),
        "spell": fields.FieldType(formats.Existence(), spelling_analyzer(), scorable=True),
        "name_key": fields.ID(sortable=True),
        "updated": fields.NUMERIC(bits=64, sortable=True),
        "adopted": fields.NUMERIC(sortable=True),
        "prior": fields.NUMERIC(sortable=True),
        "version": fields.NUMERIC(bits=64, sortable=True),
    }
    for kind in DESCRIPTION_KINDS:
        for group in LANGUAGE_GROUPS:
            spec[f"{kind}_{group}"] = fields.TEXT(analyzer=description_analyzer(group),
                                                        stored=True)
    for name in _OTHER_BOOSTS:
        spec[name] = fields.TEXT(analyzer=plain)
    for field_name in FACETS.values():
        spec[field_name] = _exact_values()
    return fields.Schema(**spec)


def to_fields(document: IndexDocument) -> dict[str, Any]:
    """The Whoosh field values of one document (empty fields left out)."""
    names = [document.name, *document.other_names]
    values: dict[str, Any] = {
        "id": str(document.id),
        "url": document.url,
        "title": document.name,
        "fingerprint": document.fingerprint(),
        "name": VALUE_SEPARATOR.join(names),
        "name_key": f"{document.name.casefold()}\x00{document.url}",
        "updated": int(document.last_changed_at.timestamp()),
        "adopted": document.adoption_count,
        "prior": prior(document.quality, document.maintenance_level),
        "version": document.content_version,
        "categories": _joined(document.categories),
        "topics": _joined(document.topics),
        "publisher": document.publisher or "",
        "used_by": _joined(document.used_by),
        "region": document.region or "",
        "audience": _joined((*document.scope, *document.countries)),
        "platforms": _joined(document.platforms),
        "license": document.license or "",
        "status": _joined(v for v in (document.development_status, document.maintenance_type,
                                      document.software_type) if v),
    }
    spelling = list(names)
    for group, text in document.texts.items():
        values[f"short_{group}"] = text.short
        values[f"long_{group}"] = text.long
        values[f"features_{group}"] = _joined(text.features)
        spelling += [text.short, *text.features]  # long texts: 2× the build time, few gains
    values["spell"] = VALUE_SEPARATOR.join(spelling)
    facet_values = {
        "category": document.categories, "platform": document.platforms,
        "license": (document.license,), "development_status": (document.development_status,),
        "maintenance_type": (document.maintenance_type,),
        "software_type": (document.software_type,), "publisher": (document.publisher,),
        "region": (document.region,), "quality": (document.quality,),
    }
    for facet, raw in facet_values.items():
        values[FACETS[facet]] = _joined(raw)
    return {key: value for key, value in values.items() if value not in ("", None)}


def _joined(items: Any) -> str:
    """Values joined by newlines; newlines inside a value become spaces."""
    cleaned = (" ".join(str(item).split()) for item in items if item)
    return VALUE_SEPARATOR.join(item for item in cleaned if item)
