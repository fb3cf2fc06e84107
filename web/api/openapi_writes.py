"""The OpenAPI description of the write endpoints (``writes``, ``hooks``): merged into the
document's paths by ``openapi``. Kept apart because these are the only operations that
change anything, and the only ones that need a token or a forge's signature."""

from __future__ import annotations

from typing import Any

from .openapi_parts import ID, PROBLEM
from .openapi_schemas import nullable, obj

TOKEN = [{"token": []}]
STRING, DATE_TIME = {"type": "string"}, {"type": "string", "format": "date-time"}

FINDING = obj({"key": nullable(STRING), "line": nullable({"type": "integer"}),
               "column": nullable({"type": "integer"}), "message": STRING,
               "severity": {"enum": ["error", "warning", "note"]}})
REGISTRATION = obj({
    "id": {"type": "integer"}, "url": STRING,
    "forge_type": {"enum": ["gitlab", "github", "gitea", "git"]},
    "status": {"enum": ["pending", "verified"]}, "proof": nullable({"enum": ["file", "email"]}),
    "verify_file": {"const": ".allmende-verify"},
    "verify_token": {**STRING, "description": "Commit it as `.allmende-verify`."},
    "message": nullable({**STRING, "description": "What the last check found; what to do."}),
    "checked_at": nullable(DATE_TIME), "verified_at": nullable(DATE_TIME),
    "findings": {"type": "array", "items": FINDING,
                 "description": "Every finding of the publiccode.yml at the last check."},
    "webhook": nullable(obj({
        "urls": obj({"gitlab": STRING, "github": STRING, "gitea": STRING}),
        "secret": {**STRING, "description": "GitLab: the secret token; GitHub, Gitea, "
                                            "Forgejo: the signing secret."}})),
}, "A repository registration; `webhook` once ownership is proven.")
QUEUED = obj({"status": {"enum": ["queued", "duplicate"]}, "url": STRING})


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": PROBLEM}


UNAUTHORISED = _problem("No valid API token (`Authorization: Bearer alm_…`).")
THROTTLED = {**_problem("Too many registrations or checks from this client or token; try "
                        "again after `Retry-After` seconds."),
             "headers": {"Retry-After": {"schema": {"type": "integer"},
                                         "description": "Seconds to wait."}}}
HTTPS_URL = {**STRING, "pattern": "^https://", "maxLength": 2000,
             "description": "https URL of the repository"}

FORGE_URL = {**STRING, "pattern": "^https?://[^/?#\\s]+"}


def _push_event(part: str, key: str) -> dict[str, Any]:
    """A push event naming the repository's web address at ``part.key``."""
    return {"type": "object", "required": [part], "properties": {
        part: {"type": "object", "required": [key], "properties": {key: FORGE_URL}}}}


def _webhook(forge: str, payload: dict[str, Any]) -> dict[str, Any]:
    return {"post": {
        "summary": f"Webhook for pushes ({'Gitea/Forgejo' if forge == 'gitea' else forge})",
        "operationId": f"webhook_{forge}",
        "description": "Authenticated with the forge's own mechanism and the registration's "
                       "webhook secret: `X-Gitlab-Token`, `X-Hub-Signature-256`, "
                       "`X-Gitea-Signature` / `X-Forgejo-Signature`. Replays are harmless.",
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": payload}}},
        "responses": {"202": _json(QUEUED, "Queued (or a replay: `duplicate`)."),
                      "200": _json(obj({"status": {"const": "pong"}, "url": STRING}),
                                   "GitHub's ping, authenticated."),
                      "400": _problem("Not JSON, or no repository URL in it."),
                      "401": _problem("Signature or token does not match."),
                      "404": _problem("No verified registration of this repository.")}}}


WRITE_PATHS: dict[str, Any] = {
    "/registrations": {
        "get": {"summary": "Your registrations", "operationId": "listRegistrations",
                "security": TOKEN,
                "responses": {"200": _json(obj({"items": {"type": "array",
                                                          "items": REGISTRATION}}),
                                           "Every registration of the token's account."),
                              "401": UNAUTHORISED}},
        "post": {"summary": "Register a repository (checked at once)",
                 "operationId": "createRegistration", "security": TOKEN,
                 "requestBody": {"required": True, "content": {"application/json": {
                     "schema": {"type": "object", "required": ["url"], "properties": {
                         "url": HTTPS_URL,
                         "forge_type": {"enum": ["gitlab", "github", "gitea", "git"]}}}}}},
                 "responses": {"201": _json(REGISTRATION, "The registration, just checked."),
                               "400": _problem("The URL cannot be registered; `detail` says "
                                               "why (refused addresses included)."),
                               "401": UNAUTHORISED, "429": THROTTLED}}},
    "/registrations/{id}/check": {"post": {
        "summary": "Check a registration again (after committing the proof)",
        "operationId": "checkRegistration", "security": TOKEN, "parameters": [ID],
        "responses": {"200": _json(REGISTRATION, "The registration after the check."),
                      "401": UNAUTHORISED, "404": _problem("Not your registration."),
                      "429": THROTTLED}}},
    "/solutions/{id}/harvest": {"post": {
        "summary": "Harvest a solution now", "operationId": "harvestSolution",
        "security": TOKEN, "parameters": [ID],
        "responses": {"202": _json(obj({"status": {"const": "queued"}, "url": STRING,
                                        "request": {"type": "integer"}}),
                                   "Queued; the harvest runs in the background."),
                      "401": UNAUTHORISED,
                      "403": _problem("Only the solution's maintainers and admins."),
                      "404": _problem("No such solution.")}}},
    **{f"/hooks/{forge}": _webhook(forge, payload) for forge, payload in (
        ("gitlab", _push_event("project", "web_url")),
        ("github", _push_event("repository", "html_url")),
        ("gitea", _push_event("repository", "html_url")))},
}
