"""A forgotten password: ``/passwort-vergessen`` mails a link, ``/passwort-neu/<token>`` sets
the new password.

The first page answers every address the same way — the mail goes out only when an account
has the address (and is not suspended), and a failed delivery is logged but not shown, since
showing it would tell that the address has an account. The link works once and for an hour
(``registry.accounts.links``); setting the password ends the account's other sessions and
logs this one in. Receiving the link proves the address, so an unconfirmed one is confirmed.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from registry.accounts import accounts, links, organisations
from registry.db import session_scope

from .. import services
from ..sessions import MAIL_LIMIT, limiter, log_in
from . import blueprint, mailing
from .forms import EmailForm, NewPasswordForm


@blueprint.route("/passwort-vergessen", methods=["GET", "POST"])
@limiter.limit(MAIL_LIMIT, methods=["POST"])
def forgot_password() -> str | tuple[str, int]:
    form = EmailForm()
    if form.validate_on_submit():
        with session_scope(services.engine()) as session:
            account = accounts.by_email(session, form.email.data)
        if account is not None and account.suspended_at is None:
            mailing.send_password_reset(account)  # a failure is logged, the answer the same
        return render_template("accounts/reset_sent.html", email=form.email.data.strip())
    return (render_template("accounts/forgot_password.html", form=form),
            422 if form.errors else 200)


@blueprint.route("/passwort-neu/<token>", methods=["GET", "POST"])
def new_password(token: str) -> str | Response | tuple[str, int]:
    form = NewPasswordForm()
    with session_scope(services.engine()) as session:
        account = links.account_for_reset(session, current_app.config["SECRET_KEY"], token)
        if account is None:
            return render_template("accounts/reset_failed.html"), 400
        if account.suspended_at is not None:
            return render_template("accounts/suspended.html"), 403
        if not form.validate_on_submit():
            return (render_template("accounts/new_password.html", form=form, token=token),
                    422 if form.errors else 200)
        accounts.set_password(session, account, form.password.data, actor_id=account.id)
        if accounts.mark_verified(session, account):
            organisations.join_by_domain(session, account)
        session.commit()
    log_in(account)
    flash(_("Ihr neues Passwort gilt ab sofort; andere Sitzungen wurden beendet."))
    return redirect(url_for("accounts.account"))
