"""The account page ``/konto``: who you are, your organisations, your password, your sessions
and your API tokens (``api_tokens``).

Changing the password needs the current one (a session left open on a shared computer must
not be enough to take the account over) and ends every other session; "log out everywhere"
raises ``session_version``, which ends every session of the account, this one included.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlmodel import Session
from werkzeug.wrappers import Response

from registry.accounts import accounts, organisations, passwords, tokens
from registry.db import session_scope
from registry.models import Account, Membership, Organisation

from .. import services
from ..sessions import LOGIN_LIMIT, current_account, limiter, log_in, log_out, login_required
from . import blueprint
from .forms import ButtonForm, ChangePasswordForm, TokenForm, add_error


@blueprint.get("/konto")
@login_required
def account() -> tuple[str, int]:
    return render_account_page()


def render_account_page(password_form: ChangePasswordForm | None = None,
            token_form: TokenForm | None = None, status: int = 200) -> tuple[str, int]:
    with session_scope(services.engine()) as session:
        me = session.get(Account, current_account().id)
        html = render_template(
            "accounts/account.html", account=me, memberships=_memberships(session, me),
            tokens=tokens.tokens_of(session, me),
            password_form=password_form or ChangePasswordForm(),
            token_form=token_form or TokenForm(), max_tokens=tokens.MAX_TOKENS_PER_ACCOUNT)
    return html, status


def _memberships(session: Session, account: Account) -> list[tuple[Organisation, Membership]]:
    return organisations.memberships_of(session, account, active_only=False)


@blueprint.post("/konto/passwort")
@login_required
@limiter.limit(LOGIN_LIMIT)  # an open session must not be a way to guess the password
def change_password() -> Response | tuple[str, int]:
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return render_account_page(password_form=form, status=422)
    with session_scope(services.engine()) as session:
        me = session.get(Account, current_account().id)
        if not passwords.verify_password(me.password_hash, form.current_password.data):
            add_error(form.current_password, _("Das aktuelle Passwort ist nicht richtig."))
            return render_account_page(password_form=form, status=422)
        accounts.set_password(session, me, form.password.data, actor_id=me.id)
        session.commit()
    log_in(me)  # this session carries on with the new session version
    flash(_("Ihr Passwort wurde geändert; Ihre anderen Sitzungen wurden beendet."))
    return redirect(url_for("accounts.account"))


@blueprint.post("/konto/ueberall-abmelden")
@login_required
def log_out_everywhere() -> Response:
    if ButtonForm().validate_on_submit():
        with session_scope(services.engine()) as session:
            accounts.end_sessions(session, session.get(Account, current_account().id))
            session.commit()
        log_out()
        flash(_("Sie wurden auf allen Geräten abgemeldet."))
    return redirect(url_for("accounts.login"))
