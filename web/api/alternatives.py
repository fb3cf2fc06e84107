"""``/alternatives?product=``: the open alternatives to a proprietary product, with reasons.

``product`` is what a town types ("Doodle", "statt MS Teams", "Ersatz für SharePoint"): it is
recognised through the product vocabulary (``registry.alternatives.find_product``); words that
name no known product are a 404 problem saying so. The alternatives and their reasons are
``market.alternatives``'s (docs/alternatives.md).
"""

from __future__ import annotations

from flask import Response, jsonify, url_for

from market.alternatives import alternatives_for
from registry.alternatives import find_product
from search import MAX_TEXT_CHARS

from .. import services
from . import blueprint, params
from .errors import bad_request, not_found

DEFAULT_LIMIT = 10
MAX_LIMIT = 50


@blueprint.get("/alternatives")
def alternatives() -> Response:
    params.reject_unknown(("product", "limit"))
    text = (params.single("product") or "").strip()
    if not text:
        raise bad_request("product is required: the proprietary product's name, e.g. "
                          "product=Doodle")
    if "\x00" in text or len(text) > MAX_TEXT_CHARS:
        raise bad_request(f"product must be text of at most {MAX_TEXT_CHARS} characters")
    limit = params.whole_number("limit", DEFAULT_LIMIT, MAX_LIMIT)
    product = find_product(text)
    if product is None:
        raise not_found(f"no known proprietary product in {text!r}; the vocabulary is "
                        "registry/alternatives/data/products.toml")
    found = alternatives_for(services.engine(), services.search_service(), product,
                             limit=limit)
    return jsonify({
        "product": {"id": product.id, "name": product.name, "vendor": product.vendor,
                    "kind": product.kind, "categories": list(product.categories),
                    "wikidata": product.wikidata},
        "alternatives": [{**alternative.to_json(),
                          "href": url_for("api.solution", solution_id=alternative.id,
                                          _external=True)}
                         for alternative in found]})

