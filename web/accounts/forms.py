"""The account forms (Flask-WTF): each carries its CSRF token, and checks what it can alone.

Labels and messages are lazy, so they are translated when a page is rendered, in the reader's
language. Rules that belong to the registry (what an e-mail address is, how long a password
must be) come from ``registry.accounts``; a refusal from its services (an ``AccountError``)
becomes a sentence through :func:`error_text`.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from registry.accounts import AccountError
from registry.accounts.accounts import MAX_EMAIL_LENGTH, MAX_NAME_LENGTH, normalise_email
from registry.accounts.passwords import MAX_LENGTH, MIN_LENGTH

REQUIRED = _l("Bitte füllen Sie dieses Feld aus.")


def _email_address(form: FlaskForm, field: EmailField) -> None:
    try:
        normalise_email(field.data or "")
    except AccountError:
        raise ValidationError(_l("Bitte geben Sie eine gültige E-Mail-Adresse an, etwa "
                                 "name@musterstadt.de.")) from None


def _email() -> EmailField:
    return EmailField(_l("E-Mail-Adresse"), validators=[DataRequired(REQUIRED), _email_address],
                      render_kw={"maxlength": MAX_EMAIL_LENGTH})


def _new_password(label: str) -> PasswordField:
    return PasswordField(label, validators=[
        DataRequired(REQUIRED),
        Length(min=MIN_LENGTH, max=MAX_LENGTH,
               message=_l("Das Passwort muss %(min)d bis %(max)d Zeichen lang sein.",
                          min=MIN_LENGTH, max=MAX_LENGTH))])


def _repeat() -> PasswordField:
    return PasswordField(_l("Neues Passwort wiederholen"), validators=[
        DataRequired(REQUIRED),
        EqualTo("password", message=_l("Die beiden Passwörter stimmen nicht überein."))])


class SignUpForm(FlaskForm):
    name = StringField(_l("Name"), validators=[
        DataRequired(REQUIRED),
        Length(max=MAX_NAME_LENGTH, message=_l("Der Name darf höchstens %(max)d Zeichen haben.",
                                               max=MAX_NAME_LENGTH))])
    email = _email()
    password = _new_password(_l("Passwort"))
    password_again = PasswordField(_l("Passwort wiederholen"), validators=[
        DataRequired(REQUIRED),
        EqualTo("password", message=_l("Die beiden Passwörter stimmen nicht überein."))])


class LoginForm(FlaskForm):
    email = EmailField(_l("E-Mail-Adresse"), validators=[DataRequired(REQUIRED)],
                       render_kw={"maxlength": MAX_EMAIL_LENGTH})
    password = PasswordField(_l("Passwort"), validators=[DataRequired(REQUIRED)])
    next = HiddenField()


class EmailForm(FlaskForm):
    """Forgotten password, a new verification link: one address."""

    email = _email()


class NewPasswordForm(FlaskForm):
    password = _new_password(_l("Neues Passwort"))
    password_again = _repeat()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Aktuelles Passwort"),
                                     validators=[DataRequired(REQUIRED)])
    password = _new_password(_l("Neues Passwort"))
    password_again = _repeat()


class TokenForm(FlaskForm):
    name = StringField(_l("Name des Tokens"), validators=[
        DataRequired(REQUIRED),
        Length(max=80, message=_l("Der Name darf höchstens %(max)d Zeichen haben.", max=80))])


class ConfirmWithPasswordForm(FlaskForm):
    """Confirming an address from the mail's link: the password shows that whoever clicks is
    whoever signed up (web/accounts/sign_up.py says why)."""

    password = PasswordField(_l("Passwort"), validators=[DataRequired(REQUIRED)])


WRONG_PASSWORD = _l("Das Passwort stimmt nicht. Wenn Sie es nicht kennen: Lassen Sie sich über "
                    "„Passwort vergessen?“ ein neues schicken; das bestätigt die Adresse "
                    "ebenfalls.")


class ButtonForm(FlaskForm):
    """A form that is only a button (log out everywhere, revoke, send the link again): the
    CSRF token is all it carries."""


ACCOUNT_ERRORS = {
    "email_invalid": _l("Bitte geben Sie eine gültige E-Mail-Adresse an, etwa "
                        "name@musterstadt.de."),
    "email_taken": _l("Für diese E-Mail-Adresse gibt es schon ein Konto. Melden Sie sich an "
                      "oder lassen Sie sich ein neues Passwort schicken."),
    "name_missing": _l("Bitte geben Sie einen Namen an."),
    "name_too_long": _l("Der Name darf höchstens %(max)d Zeichen haben.", max=MAX_NAME_LENGTH),
    "password_too_short": _l("Das Passwort muss %(min)d bis %(max)d Zeichen lang sein.",
                             min=MIN_LENGTH, max=MAX_LENGTH),
    "password_too_long": _l("Das Passwort muss %(min)d bis %(max)d Zeichen lang sein.",
                            min=MIN_LENGTH, max=MAX_LENGTH),
    "token_name_missing": _l("Bitte geben Sie dem Token einen Namen."),
    "too_many_tokens": _l("Sie haben schon die Höchstzahl an Tokens; widerrufen Sie zuerst "
                          "eines."),
}


def error_text(error: AccountError) -> str:
    """The reader's sentence for a service's refusal (its English text if we have none)."""
    return str(ACCOUNT_ERRORS.get(error.code, str(error)))


def add_error(field, error: AccountError | str) -> None:
    """Show a refusal at the field it concerns."""
    message = error_text(error) if isinstance(error, AccountError) else error
    field.errors = [*field.errors, message]
