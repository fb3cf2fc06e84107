"""The JSON API under ``/api/v1``: solutions, publishers, sources and its OpenAPI document.

One module per resource; ``params`` parses query strings, ``errors`` answers problems,
``openapi_document`` describes every response (tests validate responses against it).
"""

from flask import Blueprint

blueprint = Blueprint("api", __name__)

from . import (  # noqa: E402,F401 (routes register)
    alternatives,
    hooks,
    me,
    needs,
    openapi,
    organisations,
    publishers,
    solutions,
    sources,
    writes,
)
