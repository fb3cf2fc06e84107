"""The relay's pages: writing to another organisation, answering, reporting, the admin list.

- ``/bedarfe/<id>/kontakt``: a member of another organisation writes about a need (only when
  the need says ``contact_ok``; 403 otherwise); ``/organisationen/<slug>/kontakt``: in general.
- ``/nachricht/<token>/antworten``: the link in the mail. Unknown tokens are 404 for everybody;
  answering needs a login as an active member of the organisation written to, because the
  answer tells the sender's address. ``/nachricht/<token>/melden`` needs only the token.
- ``/verwaltung/nachrichten``: reported messages, for site admins.

Every rule is ``registry.relay``'s; its refusals are shown at the field they concern, and the
sending limit is a 429 page saying how many messages are allowed. The message is stored and
sent in the same request (the mail system retries what failed); nothing says an address
before the answer.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlmodel import Session
from werkzeug.wrappers import Response
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from registry import relay
from registry.accounts import AccountError, organisations, permissions
from registry.db import session_scope
from registry.mail import Mailer, MailError
from registry.models import Account, Need, Organisation, RelayMessage

from .. import services
from ..sessions import admin_required, current_account, login_required
from . import blueprint, messages, organisation_reads

REQUIRED = _l("Bitte füllen Sie dieses Feld aus.")
ERRORS = {
    "subject_line": ("subject", _l("Der Betreff muss eine einzige Zeile sein.")),
    "subject_missing": ("subject", _l("Bitte geben Sie einen Betreff mit mindestens "
                                      "%(min)d Zeichen an.", min=relay.MIN_SUBJECT)),
    "subject_too_long": ("subject", _l("Der Betreff darf höchstens %(max)d Zeichen haben.",
                                       max=relay.MAX_SUBJECT)),
    "body_too_short": ("body", _l("Der Text ist zu kurz.")),
    "body_too_long": ("body", _l("Der Text ist zu lang.")),
    "control_character": ("body", _l("Der Text enthält ein Steuerzeichen; bitte nur "
                                     "einfachen Text.")),
    "reason_too_long": ("reason", _l("Der Grund darf höchstens %(max)d Zeichen haben.",
                                     max=relay.MAX_REASON)),
    "not_member": (None, _l("Sie können nur für eine Organisation schreiben, deren aktives "
                            "Mitglied Sie sind.")),
    "same_organisation": (None, _l("An Ihre eigene Organisation können Sie nicht über "
                                   "Allmende schreiben.")),
    "no_recipients": (None, _l("Bei dieser Organisation kann noch niemand Nachrichten "
                               "empfangen.")),
    "contact_not_wanted": (None, _l("Diese Organisation möchte zu diesem Bedarf keine "
                                    "Nachrichten erhalten.")),
    "need_unavailable": (None, _l("Zu diesem Bedarf können Sie nicht schreiben.")),
    "reported_by_recipient": (None, _l("Diese Organisation hat eine Ihrer Nachrichten "
                                       "gemeldet; Sie können ihr vorerst nicht schreiben.")),
    "sender_reported": (None, _l("Ihre Nachrichten wurden gemeldet; Sie können vorerst "
                                 "keine Nachrichten schreiben.")),
    "already_answered": (None, _l("Diese Nachricht ist schon beantwortet.")),
    "message_reported": (None, _l("Diese Nachricht wurde gemeldet und kann nicht beantwortet "
                                  "werden.")),
    "sender_gone": (None, _l("Das Konto der absendenden Person gibt es nicht mehr, oder es "
                             "ist gesperrt.")),
}


class ContactForm(FlaskForm):
    organisation_id = SelectField(_l("Sie schreiben für"), choices=[], validate_choice=False)
    subject = StringField(_l("Betreff"), validators=[
        DataRequired(REQUIRED), Length(max=relay.MAX_SUBJECT, message=ERRORS[
            "subject_too_long"][1])], render_kw={"maxlength": relay.MAX_SUBJECT})
    body = TextAreaField(_l("Nachricht"), validators=[
        DataRequired(REQUIRED),
        Length(min=relay.MIN_BODY, max=relay.MAX_BODY,
               message=_l("Die Nachricht muss %(min)d bis %(max)d Zeichen haben.",
                          min=relay.MIN_BODY, max=relay.MAX_BODY))],
        render_kw={"rows": 10, "maxlength": relay.MAX_BODY})


class AnswerForm(FlaskForm):
    body = TextAreaField(_l("Ihre Antwort"), validators=[
        DataRequired(REQUIRED), Length(max=relay.MAX_ANSWER, message=ERRORS[
            "body_too_long"][1])], render_kw={"rows": 8, "maxlength": relay.MAX_ANSWER})


class ReportForm(FlaskForm):
    reason = TextAreaField(_l("Was ist daran unerwünscht? (optional)"), validators=[
        Length(max=relay.MAX_REASON, message=ERRORS["reason_too_long"][1])],
        render_kw={"rows": 3, "maxlength": relay.MAX_REASON})


def _refuse(form: FlaskForm, error: AccountError) -> str | None:
    """Put a refusal at its field; the sentence for the page when it concerns no field."""
    field, sentence = ERRORS.get(error.code, (None, None))
    if field is not None and hasattr(form, field):
        target = getattr(form, field)
        target.errors = [*target.errors, str(sentence)]
        return None
    return str(sentence) if sentence is not None else str(error)


# -- writing -----------------------------------------------------------------------------------

@blueprint.route("/bedarfe/<int:need_id>/kontakt", methods=["GET", "POST"])
@login_required
def need_contact(need_id: int) -> str | Response | tuple[str, int]:
    with session_scope(services.engine()) as session:
        need = session.get(Need, need_id)
        if need is None or need.hidden_at is not None:
            abort(404, description=_("Keinen Bedarf mit der Nummer %(id)d gibt es hier.",
                                     id=need_id))
        if not relay.may_write_about(need):
            abort(403, description=str(ERRORS["contact_not_wanted"][1]))
        recipient = session.get(Organisation, need.organisation_id)
        return _contact(session, recipient, need,
                        back=url_for("community.need", need_id=need.id))


@blueprint.route("/organisationen/<slug>/kontakt", methods=["GET", "POST"])
@login_required
def organisation_contact(slug: str) -> str | Response | tuple[str, int]:
    with session_scope(services.engine()) as session:
        recipient = organisation_reads.by_slug(session, slug)
        if recipient is None:
            abort(404, description=_("Keine Organisation unter dieser Adresse."))
        return _contact(session, recipient, None,
                        back=url_for("community.organisation", slug=slug))


def _contact(session: Session, recipient: Organisation, need: Need | None,
             back: str) -> str | Response | tuple[str, int]:
    account = current_account()
    if not permissions.may_act(account):
        abort(403, description=_("Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse."))
    mine = [o for o in organisations.organisations_of(session, account) if o.id != recipient.id]
    if not mine:
        abort(403, description=_("Nachrichten schreiben Mitglieder einer anderen "
                                 "Organisation. Treten Sie zuerst Ihrer Organisation bei."))
    form = ContactForm()
    form.organisation_id.choices = [(str(o.id), o.name) for o in mine]
    problem, status = None, 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            chosen = next((o for o in mine if str(o.id) == form.organisation_id.data), mine[0])
            try:
                message = relay.write(session, account, chosen, recipient,
                                      subject=form.subject.data, body=form.body.data,
                                      need=need)
            except relay.Throttled:
                session.rollback()
                return render_template("community/relay_throttled.html", back=back,
                                       per_hour=relay.PER_HOUR, per_day=relay.PER_DAY), 429
            except AccountError as error:
                session.rollback()
                problem = _refuse(form, error)
            else:
                session.commit()
                settings = services.settings()
                delivered = relay.deliver(services.engine(), settings,
                                          Mailer.from_settings(settings), message.id)
                messages.done(_("Ihre Nachricht an %(name)s ist verschickt.",
                                name=recipient.name) if delivered else
                              _("Ihre Nachricht an %(name)s ist gespeichert und wird in "
                                "Kürze zugestellt.", name=recipient.name))
                return redirect(back)
    return render_template("community/relay_form.html", form=form, recipient=recipient,
                           need=need, mine=mine, problem=problem, back=back), status


# -- the recipient's side ----------------------------------------------------------------------

@blueprint.route("/nachricht/<token>/antworten", methods=["GET", "POST"])
def relay_answer(token: str) -> str | Response | tuple[str, int]:
    with session_scope(services.engine()) as session:
        message = _message_or_404(session, token, lock=request.method == "POST")
        if current_account() is None:
            return redirect(url_for("accounts.login", next=request.path))
        account = current_account()
        if not relay.may_answer(session, account, message):
            abort(403, description=_("Antworten können aktive Mitglieder der Organisation, "
                                     "an die die Nachricht ging. Bitte melden Sie sich mit "
                                     "dem Konto an, an das die E-Mail ging."))
        form, problem, status = AnswerForm(), None, 200
        if request.method == "POST":
            status = 422
            if form.validate_on_submit():
                try:
                    told = relay.answer(session, Mailer.from_settings(services.settings()),
                                        account, message, form.body.data)
                except AccountError as error:
                    session.rollback()
                    problem = _refuse(form, error)
                except MailError:
                    session.rollback()
                    problem, status = _("Ihre Antwort konnte gerade nicht verschickt werden. "
                                        "Bitte versuchen Sie es später noch einmal."), 503
                else:
                    session.commit()
                    return render_template("community/relay_answered.html", told=told,
                                           message=message)
        return render_template("community/relay_answer.html", form=form, problem=problem,
                               token=token, **_shown(session, message)), status


@blueprint.route("/nachricht/<token>/melden", methods=["GET", "POST"])
def relay_report(token: str) -> str | tuple[str, int]:
    with session_scope(services.engine()) as session:
        message = _message_or_404(session, token, lock=request.method == "POST")
        form, problem, status = ReportForm(), None, 200
        if request.method == "POST" and message.status != "reported":
            status = 422
            if form.validate_on_submit():
                try:
                    relay.report(session, message, form.reason.data or "",
                                 account=current_account())
                except AccountError as error:
                    session.rollback()
                    problem = _refuse(form, error)
                else:
                    session.commit()
                    status = 200
        return render_template("community/relay_report.html", form=form, problem=problem,
                               token=token, **_shown(session, message)), status


def _message_or_404(session: Session, token: str, *, lock: bool) -> RelayMessage:
    message = relay.by_token(session, token, lock=lock)
    if message is None:
        abort(404, description=_("Diesen Link gibt es nicht. Prüfen Sie, ob er vollständig "
                                 "aus der E-Mail übernommen wurde."))
    return message


def _shown(session: Session, message: RelayMessage) -> dict:
    """The message as the recipient sees it: the sender's name and organisation, no address."""
    sender = session.get(Account, message.sender_id) if message.sender_id else None
    return {"message": message, "sender_name": sender.name if sender else "–",
            "sender_organisation": relay.organisation_name(session,
                                                           message.sender_organisation_id),
            "need": session.get(Need, message.need_id) if message.need_id else None}


# -- admins ------------------------------------------------------------------------------------

@blueprint.get("/verwaltung/nachrichten")
@admin_required
def relay_admin() -> str:
    with session_scope(services.engine()) as session:
        rows = relay.reported_messages(session)
    return render_template("community/relay_admin.html", rows=rows)
