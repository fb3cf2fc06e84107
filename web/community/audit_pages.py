"""``/verwaltung/protokoll``: the audit log for site admins, newest first, 50 to a page,
filtered by the start of the action (``adoption.`` or ``account.suspend``)."""

from __future__ import annotations

import json

import sqlalchemy as sa
from flask import render_template, request
from flask_babel import gettext as _
from sqlmodel import select
from werkzeug.exceptions import BadRequest

from registry.db import session_scope
from registry.models import Account, AuditEntry

from .. import services
from ..pages import search_state
from ..sessions import admin_required
from . import blueprint

PER_PAGE = 50
MAX_PREFIX = 100


@blueprint.get("/verwaltung/protokoll")
@admin_required
def audit_log() -> str:
    page = search_state.page_number(request.args)
    prefix = request.args.get("action", "").strip()
    if len(prefix) > MAX_PREFIX or any(ord(c) < 32 for c in prefix):
        raise BadRequest(_("Der Filter ist zu lang oder enthält Steuerzeichen."))
    condition = (AuditEntry.action.startswith(prefix, autoescape=True) if prefix
                 else sa.true())
    with session_scope(services.engine()) as session:
        total = session.exec(select(sa.func.count()).select_from(AuditEntry)
                             .where(condition)).one()
        rows = session.exec(
            select(AuditEntry, Account.email)
            .outerjoin(Account, Account.id == AuditEntry.actor_id).where(condition)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .offset((page - 1) * PER_PAGE).limit(PER_PAGE)).all()
    return render_template(
        "community/audit_log.html", prefix=prefix,
        rows=[(entry, email, json.dumps(entry.detail, ensure_ascii=False, sort_keys=True,
                                        default=str)) for entry, email in rows],
        **search_state.paging(total, page, PER_PAGE, "community.audit_log",
                              action=prefix or None))
