"""The OpenAPI description of ``/alternatives`` (``alternatives``): merged into the document's
paths by ``openapi``."""

from __future__ import annotations

from typing import Any

from registry.alternatives import KINDS
from search import MAX_TEXT_CHARS

from .alternatives import MAX_LIMIT
from .openapi_needs import REASON
from .openapi_parts import NO_NUL, PROBLEM
from .openapi_schemas import INT, N_STR, STR, STRS, URI, obj

PRODUCT = obj({"id": STR, "name": STR, "vendor": STR, "kind": {"enum": list(KINDS)},
               "categories": STRS, "wikidata": N_STR},
              "The proprietary product recognised in `product` (docs/alternatives.md).")
ALTERNATIVE = obj({"id": INT, "name": STR, "url": URI, "href": URI, "score": {"type": "number"},
                   "adopters": {**STRS, "description": "Who uses it (at most five names)."},
                   "reasons": {"type": "array", "items": REASON}},
                  "An open alternative from the catalogue and why it is listed (`replaces`, "
                  "`category`, `used_by`, `maintained`).")

ALTERNATIVE_PATHS: dict[str, Any] = {
    "/alternatives": {"get": {
        "summary": "Open alternatives to a proprietary product", "operationId": "alternatives",
        "parameters": [
            {"name": "product", "in": "query", "required": True,
             "description": "The product as people type it: `Doodle`, `statt MS Teams`, "
                            "`Ersatz für SharePoint`.",
             "schema": {"type": "string", "minLength": 1, "maxLength": MAX_TEXT_CHARS,
                        "pattern": NO_NUL}},
            {"name": "limit", "in": "query", "required": False,
             "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT,
                        "default": 10}}],
        "responses": {
            "200": {"description": "The product and its alternatives, best first.",
                    "content": {"application/json": {"schema": obj({
                        "product": PRODUCT,
                        "alternatives": {"type": "array", "items": ALTERNATIVE}})}}},
            "400": {"description": "`product` is missing or not valid; `detail` says why.",
                    "content": PROBLEM},
            "404": {"description": "The words name no known proprietary product.",
                    "content": PROBLEM},
            "503": {"description": "The search index is damaged and is being rebuilt.",
                    "content": PROBLEM,
                    "headers": {"Retry-After": {"schema": {"type": "integer"}}}}}}},
}
