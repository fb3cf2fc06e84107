"""``/needs``: what towns are looking for — the list with filters, one need, its stored
matches; posting and changing needs with a personal API token.

- ``GET /needs`` (``field_of_action``, ``state`` (Land), ``status``, ``category``, ``q``;
  cursor paging): needs that are not hidden; withdrawn ones only with ``status=withdrawn``.
- ``POST /needs``: a verified member posts a need for ``organisation_id``.
- ``GET /needs/{id}``; hidden needs are 404 except for a site admin's token.
- ``PATCH /needs/{id}``: members of the need's organisation (and admins) change fields and/or
  the ``status`` (``solved`` with ``solution_id``, which also declares the adoption).
- ``GET /needs/{id}/matches``: the matches as last stored, with reasons as codes and values.

Every rule is ``registry.needs.service``'s; a refusal is a 400 problem whose ``code`` member
is the service's stable code (``title_too_long``, ``status_transition`` …). The body is checked
for shape first (types, lengths, known keys), so what the OpenAPI document refuses is refused
here too. Shapes are described in ``openapi_needs``.
"""

from __future__ import annotations

from typing import Any

from flask import Response, g, jsonify, request, url_for

from registry.accounts import AccountError, organisations, permissions, tokens
from registry.db import session_scope
from registry.models import NEED_STATUSES, Need, NeedMatch, Organisation, iso_utc
from registry.needs import service
from registry.needs.service import (
    MAX_DESCRIPTION,
    MAX_LIST_ITEMS,
    MAX_PLATFORM,
    MAX_TITLE,
    MIN_DESCRIPTION,
    NeedFields,
)
from registry.needs.vocabulary import BUDGET_BANDS, FIELDS_OF_ACTION, OPERATING_MODELS
from registry.publiccode.vocabularies import CATEGORIES

from .. import match_upkeep, services
from ..community import need_reads, organisation_reads
from ..community.need_actions import WRITE_LIMIT
from ..community.need_forms import parse_date
from ..community.need_reads import NeedFilters
from ..community.reindexing import reindex_solutions
from ..sessions import limiter, per_token
from . import blueprint, params
from .auth import token_required
from .errors import ApiError, bad_request, not_found, problem

FIELD_KEYS = ("title", "description", "field_of_action", "categories", "operating_models",
              "budget_band", "platforms", "deadline", "contact_ok")
"""The body members that describe a need (``NeedFields``); ``POST`` adds ``organisation_id``,
``PATCH`` adds ``status`` and ``solution_id``."""
TEXTS = {"title": (1, MAX_TITLE), "description": (MIN_DESCRIPTION, MAX_DESCRIPTION)}
LISTS = {"categories": CATEGORIES, "operating_models": OPERATING_MODELS, "platforms": None}


@blueprint.get("/needs")
def needs() -> Response:
    params.reject_unknown((*need_reads.FILTERS, "cursor", "per_page"))
    filters = _filters()
    paging = params.paging()
    with session_scope(services.engine()) as session:
        total, rows = need_reads.search(session, filters,
                                        (paging.page - 1) * paging.per_page, paging.per_page)
        return params.paged_response({"items": [need_shape(n, o) for n, o in rows],
                                      "total": total, "per_page": paging.per_page},
                                     paging, total)


def _filters() -> NeedFilters:
    try:
        return need_reads.parse_filters(request.args)
    except need_reads.FilterError as error:
        if error.kind == "repeated":
            raise bad_request(f"{error.name} may be given once") from None
        if error.kind == "invalid":
            raise bad_request(f"{error.name} is longer than {need_reads.MAX_TEXT} characters "
                              "or holds NUL characters") from None
        raise bad_request(f"unknown {error.name} {error.value[:60]!r}; the OpenAPI document "
                          "lists the values") from None


@blueprint.post("/needs")
@limiter.limit(WRITE_LIMIT)
@limiter.limit(WRITE_LIMIT, key_func=per_token)
@token_required
def post_need() -> Response | tuple[Response, int]:
    with session_scope(services.engine()) as session:
        if not organisations.organisations_of(session, g.api_account):
            return refused(AccountError("not_member", "only verified members of an "
                                        "organisation can post its needs"))
        body = parse_body(request.get_json(silent=True), creating=True)
        organisation = organisation_reads.by_id(session, body["organisation_id"])
        if organisation is None:
            raise not_found(f"no organisation with id {body['organisation_id']}")
        try:
            fields = NeedFields(**{key: body[key] for key in FIELD_KEYS if key in body})
            need = service.post_need(session, g.api_account, organisation,
                                     **_as_arguments(fields))
        except AccountError as error:
            return refused(error)
        session.commit()
        match_upkeep.recompute_soon([need.id])
        response = jsonify(need_shape(need, organisation))
        response.headers["Location"] = url_for("api.need", need_id=need.id, _external=True)
        return response, 201


@blueprint.route("/needs/<int:need_id>", methods=["GET", "PATCH"])
@limiter.limit(WRITE_LIMIT, methods=["PATCH"])
@limiter.limit(WRITE_LIMIT, key_func=per_token, methods=["PATCH"])
def need(need_id: int) -> Response:
    """One rule for both methods: with two, Werkzeug answers an id out of range with 405
    (it remembers the other method's rule) instead of 404."""
    if request.method == "PATCH":
        return change_need(need_id)
    params.reject_unknown(())
    with session_scope(services.engine()) as session:
        admin = permissions.is_admin(_optional_account(session))
        found = need_reads.need(session, need_id, include_hidden=admin)
        if found is None:
            raise not_found(f"no need with id {need_id}")
        response = jsonify(need_shape(*found))
    if admin:
        response.headers["Cache-Control"] = "private, no-store"
    return response


@token_required
def change_need(need_id: int) -> Response:
    body = parse_body(request.get_json(silent=True), creating=False)
    account = g.api_account
    with session_scope(services.engine()) as session:
        found = need_reads.need(session, need_id,
                                include_hidden=permissions.is_admin(account))
        if found is None:
            raise not_found(f"no need with id {need_id}")
        need, organisation = found
        if not service.may_change(session, account, need):
            raise ApiError(403, "only members of the need's organisation (and admins) can "
                                "change it", "Forbidden")
        solution = None
        try:
            if any(key in body for key in FIELD_KEYS):
                current = _fields_of(need)
                changed = {key: body[key] for key in FIELD_KEYS if key in body}
                service.edit_need(session, account, need, NeedFields(**{**current, **changed}))
            if body.get("solution_id") is not None and body.get("status") != "solved":
                raise AccountError("solution_unexpected", "solution_id belongs only to "
                                   "status solved")
            if "status" in body:
                solution = _solution(session, body.get("solution_id"))
                service.set_status(session, account, need, body["status"], solution=solution)
        except AccountError as error:
            session.rollback()
            return refused(error)
        session.commit()
        shape = need_shape(need, organisation)
    match_upkeep.recompute_soon([need_id])
    if solution is not None:
        reindex_solutions([solution.id])
    return jsonify(shape)


@blueprint.get("/needs/<int:need_id>/matches")
def need_matches(need_id: int) -> Response:
    params.reject_unknown(())
    with session_scope(services.engine()) as session:
        if need_reads.need(session, need_id) is None:
            raise not_found(f"no need with id {need_id}")
        found = need_reads.matches(session, need_id)
        return jsonify({
            "need_id": need_id,
            "solutions": [{"id": s.id, "name": s.name,
                           "href": url_for("api.solution", solution_id=s.id, _external=True),
                           **_match(m)} for m, s in found.solutions],
            "organisations": [{"id": o.id, "name": o.name, "slug": o.slug, "state": o.state,
                               "href": url_for("api.organisation", organisation_id=o.id,
                                               _external=True),
                               **_match(m)} for m, o in found.organisations],
        })


def _match(match: NeedMatch) -> dict[str, Any]:
    return {"rank": match.rank, "score": float(match.score),
            "reasons": [reason for reason in match.reasons
                        if isinstance(reason, dict) and isinstance(reason.get("code"), str)]}


def refused(error: AccountError) -> Response:
    """A refusal of the service as problem+json, its code in ``code``."""
    if error.code in ("not_member", "not_admin"):
        return problem(403, "Forbidden", str(error), code=error.code)
    return problem(400, "Bad Request", str(error), code=error.code)


def need_shape(need: Need, organisation: Organisation) -> dict[str, Any]:
    return {
        "id": need.id, "title": need.title, "description": need.description,
        "field_of_action": need.field_of_action, "categories": list(need.categories),
        "operating_models": list(need.operating_models), "budget_band": need.budget_band,
        "platforms": list(need.platforms),
        "deadline": need.deadline.isoformat() if need.deadline else None,
        "contact_ok": bool(need.contact_ok), "status": need.status,
        "solved_with_id": need.solved_with_id, "hidden": need.hidden_at is not None,
        "organisation": {"id": organisation.id, "name": organisation.name,
                         "slug": organisation.slug, "state": organisation.state,
                         "href": url_for("api.organisation", organisation_id=organisation.id,
                                         _external=True)},
        "created_at": iso_utc(need.created_at), "updated_at": iso_utc(need.updated_at),
        "href": url_for("api.need", need_id=need.id, _external=True),
        "matches_href": url_for("api.need_matches", need_id=need.id, _external=True),
        "page": url_for("community.need", need_id=need.id, _external=True),
    }


def _fields_of(need: Need) -> dict[str, Any]:
    return {"title": need.title, "description": need.description,
            "field_of_action": need.field_of_action, "categories": tuple(need.categories),
            "operating_models": tuple(need.operating_models), "budget_band": need.budget_band,
            "platforms": tuple(need.platforms), "deadline": need.deadline,
            "contact_ok": need.contact_ok}


def _as_arguments(fields: NeedFields) -> dict[str, Any]:
    return {key: getattr(fields, key) for key in FIELD_KEYS}


def _solution(session, solution_id: int | None):
    if solution_id is None:
        return None
    found = need_reads.solution(session, solution_id)
    if found is None:
        raise AccountError("solution_unknown", f"no solution with id {solution_id} in the "
                           "catalogue")
    return found


def _optional_account(session):
    """The account of a bearer token, when one is sent with a read (admins see hidden needs)."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    account = tokens.account_for_token(session, value.strip())
    session.commit()
    return account


def parse_body(body: Any, *, creating: bool) -> dict[str, Any]:
    """The request's JSON object, its members checked for shape (400 with the reason)."""
    if not isinstance(body, dict):
        raise bad_request('send a JSON object like {"title": …, "description": …}')
    known = {*FIELD_KEYS, *(("organisation_id",) if creating else ("status", "solution_id"))}
    unknown = sorted(set(body) - known)
    if unknown:
        raise bad_request(f"unknown member {unknown[0][:60]!r}; known: {', '.join(sorted(known))}")
    missing = [key for key in ("organisation_id", "title", "description", "field_of_action")
               if creating and key not in body]
    if missing:
        raise bad_request(f"{missing[0]} is required")
    checked: dict[str, Any] = {}
    for key, value in body.items():
        checked[key] = _member(key, value)
    return checked


def _member(key: str, value: Any) -> Any:
    if key in TEXTS:
        low, high = TEXTS[key]
        if not isinstance(value, str) or not low <= len(value) <= high or "\x00" in value:
            raise bad_request(f"{key} must be a text of {low} to {high} characters")
        return value
    if key == "field_of_action":
        return _one_of(key, value, FIELDS_OF_ACTION)
    if key in LISTS:
        if not isinstance(value, list) or len(value) > MAX_LIST_ITEMS:
            raise bad_request(f"{key} must be a list of at most {MAX_LIST_ITEMS} values")
        allowed = LISTS[key]
        for item in value:
            if allowed is not None:
                _one_of(key, item, allowed)
            elif not isinstance(item, str) or not 1 <= len(item) <= MAX_PLATFORM \
                    or "\x00" in item:
                raise bad_request(f"each of {key} must be a text of 1 to {MAX_PLATFORM} "
                                  "characters")
        return tuple(value)
    if key == "budget_band":
        return None if value is None else _one_of(key, value, BUDGET_BANDS)
    if key == "deadline":
        if value is None:
            return None
        found = parse_date(value) if isinstance(value, str) else None
        if found is None:
            raise bad_request("deadline must be a date (YYYY-MM-DD) or null")
        return found
    if key == "contact_ok":
        if not isinstance(value, bool):
            raise bad_request("contact_ok must be true or false")
        return value
    if key == "status":
        return _one_of(key, value, NEED_STATUSES)
    # organisation_id, solution_id (which may be null); JSON's 12.0 is a whole number too
    if value is None and key == "solution_id":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if type(value) is not int or value < 1:
        raise bad_request(f"{key} must be a whole number from 1")
    return value


def _one_of(key: str, value: Any, allowed) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise bad_request(f"{key}: unknown value; the OpenAPI document lists the values")
    return value
