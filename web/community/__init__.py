"""Organisations, adoption declarations and moderation (issue 6): the ``community`` blueprint.

Pages for everyone: the organisation list and pages (``organisation_pages``), the "Wer nutzt
das?" section of the solution page (``adoption_reads``, included by solution.html). Forms for
members: joining an organisation, declaring "wir nutzen das" (``adoption_forms``). Under
``/verwaltung`` for site admins: organisations (only admins create them, so official keys stay
trustworthy), accounts, declarations and the audit log (``admin_pages``, ``audit_pages``).

Needs (Bedarfe, issue 12): the list, one need with its stored matches (``need_pages``), posting,
editing, the status and moderation (``need_actions``, ``need_forms``); contact between towns
through the relay, answering, reporting and the admins' list (``relay_pages``).

Every change goes through the services in ``registry`` (which write the audit log); this
package only reads forms, checks permissions and says what happened in the reader's language
(``messages``). Every form posts a CSRF token.
"""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("community", __name__)

from . import (  # noqa: E402,F401
    admin_pages,
    adoption_forms,
    audit_pages,
    need_actions,
    need_pages,
    organisation_pages,
    relay_pages,
)
