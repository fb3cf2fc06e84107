"""Sign-up and e-mail verification: ``/registrieren``, ``/konto/bestaetigen/<token>`` and a
new link (``/konto/bestaetigung-senden``).

Signing up creates the account and mails the link; it does not log in. The link confirms the
address only together with the account's password, or at once when the browser is already
logged in to that account: whoever clicks must be the person who chose the password. Otherwise
somebody could sign up with another person's address, wait for them to click, and keep a
verified account (with its organisation memberships by domain) under a password they know;
and a link sent to a victim would log the victim in to the attacker's account. Confirming ends
every other session of the account and logs in, once. Who owns the address but not the
password uses "Passwort vergessen": the reset link confirms the address too, and the new
password ends every other session.

A new link can be asked for by address (the answer is the same whether or not an unconfirmed
account has that address) or, logged in, with one button.
"""

from __future__ import annotations

from flask import current_app, redirect, render_template, url_for
from werkzeug.wrappers import Response

from registry.accounts import AccountError, accounts, links, organisations
from registry.db import session_scope
from registry.models import Account, Organisation

from .. import services
from ..sessions import LOGIN_LIMIT, MAIL_LIMIT, SIGN_UP_LIMIT, current_account, limiter, log_in
from . import blueprint, mailing
from .forms import (
    WRONG_PASSWORD,
    ButtonForm,
    ConfirmWithPasswordForm,
    EmailForm,
    SignUpForm,
    add_error,
)


@blueprint.route("/registrieren", methods=["GET", "POST"])
@limiter.limit(SIGN_UP_LIMIT, methods=["POST"])
def sign_up() -> str | Response:
    if current_account() is not None:
        return redirect(url_for("accounts.account"))
    form = SignUpForm()
    if form.validate_on_submit():
        with session_scope(services.engine()) as session:
            try:
                account = accounts.create_account(session, email=form.email.data,
                                                  password=form.password.data,
                                                  name=form.name.data)
            except AccountError as error:
                field = {"email_taken": form.email, "email_invalid": form.email}.get(
                    error.code, form.name if error.code.startswith("name") else form.password)
                add_error(field, error)
                return render_template("accounts/sign_up.html", form=form), 422
            session.commit()
        sent = mailing.send_verification(account)
        return render_template("accounts/check_mail.html", email=account.email, sent=sent)
    status = 422 if form.errors else 200
    return render_template("accounts/sign_up.html", form=form), status


@blueprint.route("/konto/bestaetigen/<token>", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def verify(token: str) -> str | tuple[str, int]:
    form = ConfirmWithPasswordForm()
    with session_scope(services.engine()) as session:
        account = links.account_for_verification(session, current_app.config["SECRET_KEY"],
                                                 token)
        if account is None:
            return render_template("accounts/verify_failed.html", form=EmailForm()), 400
        if account.suspended_at is not None:
            return render_template("accounts/suspended.html"), 403
        if account.email_verified_at is not None:
            return render_template("accounts/verified.html", account=account,
                                   already=True, joined=[])
        me = current_account()
        logged_in_here = me is not None and me.id == account.id
        if not logged_in_here:
            if not form.validate_on_submit():
                return render_template("accounts/verify.html", form=form, email=account.email,
                                       token=token), 422 if form.errors else 200
            if accounts.authenticate(session, account.email, form.password.data) is None:
                add_error(form.password, WRONG_PASSWORD)
                return render_template("accounts/verify.html", form=form, email=account.email,
                                       token=token), 422
            accounts.end_sessions(session, account)  # any session opened before the proof
        accounts.mark_verified(session, account)
        memberships = organisations.join_by_domain(session, account)
        joined = [session.get(Organisation, m.organisation_id).name for m in memberships]
        session.commit()
    log_in(account)
    return render_template("accounts/verified.html", account=account, already=False,
                           joined=joined)


@blueprint.route("/konto/bestaetigung-senden", methods=["GET", "POST"])
@limiter.limit(MAIL_LIMIT, methods=["POST"])
def resend_verification() -> str | Response:
    """Logged in: the button on the account page. Anonymous: by address, same answer always."""
    me = current_account()
    if me is not None:
        if ButtonForm().validate_on_submit() and me.email_verified_at is None:
            sent = mailing.send_verification(me)
            return render_template("accounts/check_mail.html", email=me.email, sent=sent)
        return redirect(url_for("accounts.account"))
    form = EmailForm()
    if form.validate_on_submit():
        with session_scope(services.engine()) as session:
            account: Account | None = accounts.by_email(session, form.email.data)
        if (account is not None and account.email_verified_at is None
                and account.suspended_at is None):
            mailing.send_verification(account)  # failures are logged; the answer is the same
        return render_template("accounts/check_mail.html", email=form.email.data.strip(),
                               sent=True, maybe=True)
    return render_template("accounts/resend.html", form=form), 422 if form.errors else 200
