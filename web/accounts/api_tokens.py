"""Personal API tokens on the account page: create (shown once), revoke.

The plain token exists only in the answer to the creating POST: it is never stored (only its
digest, ``registry.accounts.tokens``), never put into the session cookie (which is signed, not
encrypted) and the page is sent with ``Cache-Control: no-store``, as every account page.
Reloading the account page shows the token's prefix only. Tokens work for verified accounts
only, so only they may make them.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from registry.accounts import AccountError, tokens
from registry.db import session_scope
from registry.models import Account

from .. import services
from ..sessions import current_account, login_required
from . import blueprint
from .account_page import render_account_page
from .forms import ButtonForm, TokenForm, add_error


@blueprint.post("/konto/api-tokens")
@login_required
def create_token() -> str | Response | tuple[str, int]:
    form = TokenForm()
    if current_account().email_verified_at is None:  # the form is not even shown then
        abort(403, description=_("Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse; dann "
                                 "können Sie Tokens anlegen."))
    if not form.validate_on_submit():
        return render_account_page(token_form=form, status=422)
    with session_scope(services.engine()) as session:
        me = session.get(Account, current_account().id)
        try:
            token, plain = tokens.create_token(session, me, form.name.data)
        except AccountError as error:
            add_error(form.name, error)
            return render_account_page(token_form=form, status=422)
        session.commit()
    return render_template("accounts/token_created.html", token=token, plain=plain)


@blueprint.post("/konto/api-tokens/<int:token_id>/widerrufen")
@login_required
def revoke_token(token_id: int) -> Response:
    if not ButtonForm().validate_on_submit():
        abort(400)
    with session_scope(services.engine()) as session:
        me = session.get(Account, current_account().id)
        revoked = tokens.revoke_token(session, me, token_id)
        session.commit()
    if not revoked:  # another account's token, or gone already: nothing to tell
        abort(404)
    flash(_("Das Token wurde widerrufen; es funktioniert ab sofort nicht mehr."))
    return redirect(url_for("accounts.account") + "#api-tokens")
