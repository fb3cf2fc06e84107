"""The need form (Flask-WTF): posting a need and editing it, with errors at their fields.

The form checks what it can alone (required fields, lengths) so that several problems show at
once; the rules themselves belong to ``registry.needs.service``, whose refusals (an
``AccountError`` with a code) are put at the field they concern (``need_words.ERROR_FIELDS``).
Nothing is stored while any field is wrong. Also here: reading "which solution solved it" from
the status form (a matched solution, or a number, a page address or a repository address).
"""

from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlmodel import Session
from wtforms import (
    BooleanField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, Length, ValidationError

from registry.accounts import AccountError
from registry.models import Need, Organisation, Solution
from registry.needs.service import (
    MAX_DESCRIPTION,
    MAX_LIST_ITEMS,
    MAX_PLATFORM,
    MAX_TITLE,
    MIN_DESCRIPTION,
    NeedFields,
)
from registry.needs.vocabulary import BUDGET_BANDS, FIELDS_OF_ACTION, OPERATING_MODELS
from registry.publiccode.vocabularies import CATEGORIES

from ..pages.vocabulary import value_label
from . import need_reads
from .need_words import BUDGET_WORDS, ERROR_FIELDS, FIELD_WORDS, OPERATING_MODEL_WORDS, error_text

REQUIRED = _l("Bitte füllen Sie dieses Feld aus.")
MAX_PLATFORMS_TEXT = MAX_LIST_ITEMS * (MAX_PLATFORM + 2)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PAGE_ADDRESS = re.compile(r"/loesungen/(\d{1,10})/?(?:[?#].*)?$")


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes (a fieldset in the template)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _deadline(form: FlaskForm, field: StringField) -> None:
    if field.data and parse_date(field.data) is None:
        raise ValidationError(error_text("deadline_invalid"))


def parse_date(raw: str) -> date | None:
    raw = (raw or "").strip()
    if not _DATE.match(raw):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


class NeedForm(FlaskForm):
    organisation_id = SelectField(_l("Organisation"), choices=[], validate_choice=False)
    title = StringField(_l("Titel"), validators=[
        DataRequired(REQUIRED),
        Length(max=MAX_TITLE, message=_l("Der Titel darf höchstens %(max)d Zeichen haben.",
                                         max=MAX_TITLE))],
        render_kw={"maxlength": MAX_TITLE})
    description = TextAreaField(_l("Beschreibung"), validators=[
        DataRequired(REQUIRED),
        Length(min=MIN_DESCRIPTION, max=MAX_DESCRIPTION,
               message=_l("Die Beschreibung muss %(min)d bis %(max)d Zeichen haben.",
                          min=MIN_DESCRIPTION, max=MAX_DESCRIPTION))],
        render_kw={"rows": 8, "maxlength": MAX_DESCRIPTION})
    field_of_action = SelectField(_l("Handlungsfeld"), validate_choice=False,
                                  validators=[DataRequired(_l("Bitte wählen Sie ein "
                                                              "Handlungsfeld."))])
    categories = SelectMultipleField(_l("Kategorien nach publiccode.yml (optional)"),
                                     validate_choice=False, render_kw={"size": 8})
    operating_models = CheckboxesField(_l("Mögliche Betriebsmodelle (optional)"),
                                       validate_choice=False)
    budget_band = SelectField(_l("Budgetrahmen (optional)"), validate_choice=False)
    platforms = StringField(_l("Plattformen (optional)"),
                            render_kw={"maxlength": MAX_PLATFORMS_TEXT})
    deadline = StringField(_l("Gebraucht bis (optional)"), validators=[_deadline],
                           render_kw={"type": "date"})
    contact_ok = BooleanField(_l("Andere Kommunen dürfen uns zu diesem Bedarf schreiben"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.field_of_action.choices = [("", str(_l("Bitte wählen")))] + [
            (code, str(FIELD_WORDS.get(code, code))) for code in FIELDS_OF_ACTION]
        self.categories.choices = sorted(
            ((code, value_label("category", code)) for code in CATEGORIES),
            key=lambda choice: choice[1].casefold())
        self.operating_models.choices = [(code, str(OPERATING_MODEL_WORDS.get(code, code)))
                                         for code in OPERATING_MODELS]
        self.budget_band.choices = [("", str(_l("Keine Angabe")))] + [
            (code, str(BUDGET_WORDS.get(code, code))) for code in BUDGET_BANDS]

    def fields(self) -> NeedFields:
        """What was filled in, for the service (which checks it again, fully)."""
        platforms = tuple(p.strip() for p in (self.platforms.data or "").split(",")
                          if p.strip())
        return NeedFields(
            title=self.title.data or "", description=self.description.data or "",
            field_of_action=self.field_of_action.data or "",
            categories=tuple(self.categories.data or ()),
            operating_models=tuple(self.operating_models.data or ()),
            budget_band=self.budget_band.data or None, platforms=platforms,
            deadline=parse_date(self.deadline.data or ""),
            contact_ok=bool(self.contact_ok.data))

    def refuse(self, error: AccountError) -> None:
        """Show a refusal of the service at the field it concerns."""
        field = getattr(self, ERROR_FIELDS.get(error.code, "title"))
        field.errors = [*field.errors, error_text(error.code, str(error))]


def data_of(need: Need) -> dict[str, object]:
    """The need as the form's data (editing)."""
    return {"title": need.title, "description": need.description,
            "field_of_action": need.field_of_action, "categories": list(need.categories),
            "operating_models": list(need.operating_models),
            "budget_band": need.budget_band or "", "platforms": ", ".join(need.platforms),
            "deadline": need.deadline.isoformat() if need.deadline else "",
            "contact_ok": need.contact_ok}


def organisation_choice(raw: str | None, mine: list[Organisation]) -> Organisation:
    """The chosen one of the account's organisations (the only one when there is one)."""
    if len(mine) == 1 and not raw:
        return mine[0]
    for organisation in mine:
        if str(organisation.id) == (raw or "").strip():
            return organisation
    raise AccountError("organisation_missing", "choose one of your organisations")


def solution_named(session: Session, chosen: str, typed: str) -> Solution:
    """The solution a "solved" form names: the typed reference (a number, the address of its
    page here, its repository address) before the matched solution chosen from the list."""
    typed, chosen = (typed or "").strip()[:2000], (chosen or "").strip()[:12]
    found: Solution | None = None
    if typed:
        page = _PAGE_ADDRESS.search(typed)
        if typed.isascii() and typed.isdigit() and len(typed) <= 10:
            found = need_reads.solution(session, int(typed))
        elif page is not None:
            found = need_reads.solution(session, int(page.group(1)))
        else:
            found = need_reads.solution_by_url(session, typed)
    elif chosen.isascii() and chosen.isdigit():
        found = need_reads.solution(session, int(chosen))
    else:
        raise AccountError("solution_required", "say which solution solved the need")
    if found is None:
        raise AccountError("solution_unknown", "no such solution in the catalogue")
    return found
