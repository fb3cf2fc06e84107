"""The account pages: sign-up, e-mail verification, login and logout, password reset, and the
account page with its API tokens. Routes are German (``/registrieren``, ``/anmelden``,
``/konto`` …), endpoint names English (``accounts.sign_up``, ``accounts.login`` …).

Modules: ``forms`` (every form, each with its CSRF token), ``mailing`` (the verification and
reset mails), ``sign_up``, ``login``, ``password_reset``, ``account_page``, ``api_tokens`` and
``error_pages`` (a missing CSRF token, too many attempts). The sessions, CSRF protection and
throttling themselves live in ``web.sessions``; the rules in ``registry.accounts``.
Every answer of these pages is ``Cache-Control: no-store``: they carry personal data, CSRF
tokens and, once, a plain API token. See docs/accounts.md.
"""

from __future__ import annotations

from flask import Blueprint
from werkzeug.wrappers import Response

blueprint = Blueprint("accounts", __name__)


@blueprint.context_processor
def _password_rules() -> dict[str, int]:
    from registry.accounts.passwords import MIN_LENGTH

    return {"min_password_length": MIN_LENGTH}


@blueprint.after_request
def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


from . import account_page, api_tokens, error_pages, login, password_reset, sign_up  # noqa: E402,F401
