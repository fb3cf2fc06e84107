"""The two mails the account pages send: the verification link and the password-reset link.

Links start with ``[site] base_url`` (the address people use, not the one this request came
in on, which a proxy or a forged ``Host`` header could change). Sending happens after the
change is committed; when it fails the error is logged (never the link: it is a credential)
and the caller says so on the page, except where saying so would tell whether an address has
an account.
"""

from __future__ import annotations

import logging

from flask import current_app, url_for

from registry import mail_texts
from registry.accounts import links
from registry.mail import Mailer, MailError
from registry.models import Account

from .. import services

log = logging.getLogger(__name__)


def send_verification(account: Account) -> bool:
    """Mail a verification link to ``account``; False when the mail could not be sent."""
    token = links.verification_token(_secret_key(), account)
    link = _absolute(url_for("accounts.verify", token=token))
    return _send(account, "verification", *mail_texts.verification_mail(account.name, link))


def send_password_reset(account: Account) -> bool:
    """Mail a password-reset link to ``account``; False when the mail could not be sent."""
    token = links.reset_token(_secret_key(), account)
    link = _absolute(url_for("accounts.new_password", token=token))
    return _send(account, "password reset", *mail_texts.password_reset_mail(account.name, link))


def _send(account: Account, what: str, subject: str, text: str) -> bool:
    try:
        Mailer.from_settings(services.settings()).send(account.email, subject, text)
    except MailError as error:
        log.error("the %s mail for account %s could not be sent: %s", what, account.id, error)
        return False
    return True


def _secret_key() -> str:
    return current_app.config["SECRET_KEY"]


def _absolute(path: str) -> str:
    return services.settings().site.base_url.rstrip("/") + path
