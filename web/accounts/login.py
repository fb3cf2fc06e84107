"""Logging in and out: ``/anmelden`` and ``/abmelden`` (POST only, with the CSRF token).

A wrong password and an unknown address get the same sentence (and cost the same time, see
``registry.accounts.passwords.burn_time``), so the login page does not tell which addresses
have accounts. Only after the right password does a suspended account learn that it is
suspended. ``next`` brings the reader back where the login began, same-site paths only.
"""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from registry.accounts import accounts
from registry.db import session_scope

from .. import services
from ..sessions import LOGIN_LIMIT, current_account, limiter, log_in, log_out, safe_next
from . import blueprint
from .forms import ButtonForm, LoginForm, add_error


@blueprint.route("/anmelden", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def login() -> str | Response | tuple[str, int]:
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next"), "")
        if current_account() is not None:
            return redirect(safe_next(form.next.data, url_for("accounts.account")))
    if form.validate_on_submit():
        with session_scope(services.engine()) as session:
            account = accounts.authenticate(session, form.email.data, form.password.data)
            if account is not None and account.suspended_at is None:
                session.commit()  # last login, and a hash upgraded to today's parameters
        if account is None:
            add_error(form.password, _("E-Mail-Adresse oder Passwort falsch."))
            return render_template("accounts/login.html", form=form), 422
        if account.suspended_at is not None:
            return render_template("accounts/suspended.html", reason=account.suspended_reason
                                   ), 403
        log_in(account)
        return redirect(safe_next(form.next.data, url_for("accounts.account")))
    return render_template("accounts/login.html", form=form), 422 if form.errors else 200


@blueprint.post("/abmelden")
def logout() -> Response:
    if ButtonForm().validate_on_submit():
        log_out()
    return redirect(url_for("pages.home"))
