"""One solution for a reader: words instead of keys, signals with how they were derived.

The data is the API's detail shape (``solution_shapes.detail``) over the same catalogue read,
plus the parts of publiccode.yml kept only as text (``publiccode_extras``) and the metadata
grade in words, with a calm notice when there is something to say (``quality_words``), and
"Ähnliche Lösungen" in any language (``market.similar``). The page also carries schema.org
JSON-LD so search engines and other catalogues can read it.
"""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, url_for
from flask_babel import gettext as _

from market.similar import similar_solutions
from registry.db import session_scope
from search import IndexDamaged

from .. import catalogue_reads, services
from ..api.solution_shapes import detail
from ..community import adoption_reads, need_pages
from ..community.need_words import with_reasons
from ..sessions import current_account
from . import blueprint, vocabulary
from .language import current_language
from .publiccode_extras import extras, shown_text
from .quality_words import in_words
from .solution_text import json_ld, pick_language, render_markdown, spdx_parts

SPDX_URL = "https://spdx.org/licenses/{}.html"
SIMILAR_SHOWN = 5


@blueprint.get("/loesungen/<int:solution_id>")
def solution(solution_id: int) -> str:
    with session_scope(services.engine()) as session:
        row = catalogue_reads.solution_detail(session, solution_id)
        if row is None:
            abort(404, description=_("Keine Lösung mit der Nummer %(id)d wird im Katalog "
                                     "angezeigt.", id=solution_id))
        shape = detail(row)
        times = {"changed": row.solution.last_changed_at,
                 "harvested": row.solution.last_harvested_at,
                 "error": row.solution.last_error_at}
        more = extras(shown_text(row.solution))
        community = adoption_reads.section(session, solution_id, row.adoptions,
                                           row.organisations, current_account())
        open_needs = need_pages.solution_section(session, solution_id)
        similar = similar_section(session, solution_id)
        variants = catalogue_reads.variants(session, row.solution)
    language = pick_language(shape["descriptions"], current_language())
    description = shape["descriptions"].get(language, {}) if language else {}
    return render_template(
        "solution.html", s=shape, times=times, extras=more, language=language,
        description=description, long_html=render_markdown(description.get("long")),
        licence_parts=spdx_parts(shape["license"]), spdx_url=SPDX_URL,
        status_word=vocabulary.value_label("development_status",
                                           shape["development_status"] or ""),
        maintenance_word=vocabulary.value_label("maintenance_type",
                                                (shape["maintenance"]["type"] or "")),
        quality=in_words(shape["quality"], shape["quality_reasons"]),
        json_ld=json_ld(schema_org(shape, description)), community=community,
        open_needs=open_needs, similar=similar, variants=variants)


def similar_section(session: Any, solution_id: int) -> list[tuple[Any, list[str]]]:
    """"Ähnliche Lösungen": (match, reasons in words); empty while the index is damaged (the
    page still shows the solution; the search reports the damage and the node repairs it)."""
    try:
        found = similar_solutions(session, services.search_service(), solution_id,
                                  limit=SIMILAR_SHOWN)
    except IndexDamaged:
        return []
    return with_reasons(found)


def schema_org(shape: dict[str, Any], description: dict[str, Any]) -> dict[str, Any]:
    """A schema.org ``SoftwareSourceCode`` describing the solution."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "SoftwareSourceCode",
        "name": shape["name"],
        "url": url_for("pages.solution", solution_id=shape["id"], _external=True),
        "codeRepository": shape["url"],
        "description": description.get("short") or None,
        "license": (SPDX_URL.format(shape["license"])
                    if shape["license"] and " " not in shape["license"] else shape["license"]),
        "applicationCategory": shape["categories"] or None,
        "operatingSystem": shape["platforms"] or None,
        "softwareVersion": shape["software_version"],
        "dateModified": shape["last_changed_at"],
        "inLanguage": shape["available_languages"] or None,
    }
    if shape["publisher"]:
        data["publisher"] = {"@type": "Organization", "name": shape["publisher"]["name"]}
    return {key: value for key, value in data.items() if value is not None}
