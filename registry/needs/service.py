"""Posting and keeping needs: who may, what is checked, the life cycle, moderation.

Every rule raises :class:`~registry.accounts.AccountError` with a stable ``code`` (the web says
it in German or English, the API in ``detail``); nothing is stored half, because every check
runs before the first write. Every change is one audit entry in the same transaction.

Life cycle: ``open`` → ``in_exchange`` (talking to others) → ``solved`` (with the solution
used: that also declares the adoption for the organisation) or ``withdrawn``. A solved or
withdrawn need may be opened again by its organisation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from registry import adoptions, audit
from registry.accounts import AccountError
from registry.accounts.permissions import is_admin, is_member, may_act
from registry.models import NEED_STATUSES, Account, Need, Organisation, Solution, utcnow
from registry.publiccode.vocabularies import CATEGORIES

from .vocabulary import BUDGET_BANDS, FIELDS_OF_ACTION, OPERATING_MODELS

MAX_TITLE = 150
MAX_DESCRIPTION = 5000
MIN_DESCRIPTION = 20
"""A need needs a few words to be matched; "Software" alone finds everything and nothing."""
MAX_LIST_ITEMS = 20
MAX_PLATFORM = 60
MAX_REASON = 500

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "open": ("in_exchange", "solved", "withdrawn"),
    "in_exchange": ("open", "solved", "withdrawn"),
    "solved": ("open",),
    "withdrawn": ("open",),
}
"""Which status may follow which; a test keeps every status of NEED_STATUSES here."""


@dataclass(frozen=True, slots=True)
class NeedFields:
    """What a person fills in; checked by :func:`checked` before anything is written."""

    title: str
    description: str
    field_of_action: str
    categories: tuple[str, ...] = ()
    operating_models: tuple[str, ...] = ()
    budget_band: str | None = None
    platforms: tuple[str, ...] = ()
    deadline: date | None = None
    contact_ok: bool = False


def post_need(session: Session, account: Account, organisation: Organisation, *,
              title: str, description: str, field_of_action: str,
              categories: Iterable[str] = (), operating_models: Iterable[str] = (),
              budget_band: str | None = None, platforms: Iterable[str] = (),
              deadline: date | None = None, contact_ok: bool = False,
              now: datetime | None = None) -> Need:
    """A member of ``organisation`` posts a need for it."""
    if not is_member(session, account, organisation):
        raise AccountError("not_member", "only verified members of the organisation can post "
                           "its needs")
    fields = checked(NeedFields(title, description, field_of_action, tuple(categories),
                                tuple(operating_models), budget_band, tuple(platforms),
                                deadline, contact_ok))
    now = now or utcnow()
    need = Need(organisation_id=organisation.id, author_id=account.id, status="open",
                created_at=now, updated_at=now, last_activity_at=now, **_columns(fields))
    session.add(need)
    session.flush()
    audit.record(session, actor_id=account.id, action="need.post", subject_type="need",
                 subject_id=need.id, organisation_id=organisation.id, title=need.title)
    return need


def edit_need(session: Session, account: Account, need: Need, fields: NeedFields, *,
              now: datetime | None = None) -> Need:
    """Its organisation's members change what the need says."""
    _may_change(session, account, need)
    values = _columns(checked(fields))
    changed = sorted(key for key, value in values.items() if getattr(need, key) != value)
    for key in changed:
        setattr(need, key, values[key])
    if changed:
        now = now or utcnow()
        need.updated_at = need.last_activity_at = now
        need.reminded_at = None
        session.add(need)
        audit.record(session, actor_id=account.id, action="need.edit", subject_type="need",
                     subject_id=need.id, fields=changed)
    return need


def set_status(session: Session, account: Account, need: Need, status: str, *,
               solution: Solution | None = None, now: datetime | None = None) -> Need:
    """Move a need along its life cycle. ``solved`` names the solution now used and declares
    the adoption for the need's organisation (unless it is declared already)."""
    _may_change(session, account, need)
    if status not in NEED_STATUSES:
        raise AccountError("status", f"unknown status {status!r}; one of "
                           f"{', '.join(NEED_STATUSES)}")
    if status == need.status:
        return need
    if status not in TRANSITIONS[need.status]:
        raise AccountError("status_transition", f"a need that is {need.status} cannot become "
                           f"{status}")
    if status == "solved" and solution is None:
        raise AccountError("solution_required", "say which solution solved the need")
    if status != "solved" and solution is not None:
        raise AccountError("solution_unexpected", "a solution belongs only to a solved need")
    now = now or utcnow()
    previous = need.status
    need.status = status
    need.solved_with_id = solution.id if solution is not None else None
    need.updated_at = need.last_activity_at = now
    need.reminded_at = None
    session.add(need)
    audit.record(session, actor_id=account.id, action="need.status", subject_type="need",
                 subject_id=need.id, before=previous, after=status,
                 solution_id=need.solved_with_id)
    if solution is not None:
        organisation = session.get(Organisation, need.organisation_id)
        if organisation is not None and is_member(session, account, organisation) and \
                adoptions.declared_by(session, organisation, solution) is None:
            adoptions.declare(session, account, organisation, solution,
                              use_case=need.title, since=now.date(), instance_url=None,
                              contact_ok=need.contact_ok)
    return need


def set_hidden(session: Session, admin: Account, need: Need, *, hidden: bool,
               reason: str = "") -> Need:
    """Admins hide a need (moderation) rather than delete it: the record and its history stay."""
    if not is_admin(admin):
        raise AccountError("not_admin", "only admins can hide needs")
    need.hidden_at = utcnow() if hidden else None
    need.hidden_reason = (reason.strip()[:MAX_REASON] or None) if hidden else None
    session.add(need)
    audit.record(session, actor_id=admin.id, action="need.hide" if hidden else "need.show",
                 subject_type="need", subject_id=need.id, reason=need.hidden_reason)
    return need


def may_change(session: Session, account: Account | None, need: Need) -> bool:
    """Members of the need's organisation (and admins) may edit it and move its status."""
    if is_admin(account):
        return True
    organisation = session.get(Organisation, need.organisation_id)
    return organisation is not None and is_member(session, account, organisation)


def checked(fields: NeedFields) -> NeedFields:
    """The fields, trimmed and checked; raises on the first problem."""
    title = " ".join(fields.title.split())
    description = fields.description.strip()
    if not title:
        raise AccountError("title_missing", "the need has no title")
    if len(title) > MAX_TITLE:
        raise AccountError("title_too_long", f"the title may have at most {MAX_TITLE} "
                           "characters")
    if len(description) < MIN_DESCRIPTION:
        raise AccountError("description_too_short", "describe the need in at least "
                           f"{MIN_DESCRIPTION} characters")
    if len(description) > MAX_DESCRIPTION:
        raise AccountError("description_too_long", "the description may have at most "
                           f"{MAX_DESCRIPTION} characters")
    if "\x00" in title + description:
        raise AccountError("control_character", "the text holds a NUL character")
    if fields.field_of_action not in FIELDS_OF_ACTION:
        raise AccountError("field_of_action", "unknown field of action; one of "
                           + ", ".join(FIELDS_OF_ACTION))
    categories = _listed(fields.categories, CATEGORIES, "categories", "category")
    models = _listed(fields.operating_models, OPERATING_MODELS, "operating_models",
                     "operating model")
    if fields.budget_band is not None and fields.budget_band not in BUDGET_BANDS:
        raise AccountError("budget_band", "unknown budget band; one of "
                           + ", ".join(BUDGET_BANDS))
    platforms = tuple(dict.fromkeys(" ".join(p.split()) for p in fields.platforms
                                    if p and p.strip()))
    if len(platforms) > MAX_LIST_ITEMS or any(len(p) > MAX_PLATFORM or "\x00" in p
                                              for p in platforms):
        raise AccountError("platforms", f"at most {MAX_LIST_ITEMS} platforms of at most "
                           f"{MAX_PLATFORM} characters each")
    return NeedFields(title, description, fields.field_of_action, categories, models,
                      fields.budget_band, platforms, fields.deadline, bool(fields.contact_ok))


def _listed(values: Iterable[str], allowed: Iterable[str], code: str,
            what: str) -> tuple[str, ...]:
    allowed = set(allowed)
    values = tuple(dict.fromkeys(values))
    unknown = [value for value in values if value not in allowed]
    if unknown:
        raise AccountError(code, f"unknown {what}: {unknown[0][:60]!r}")
    if len(values) > MAX_LIST_ITEMS:
        raise AccountError(code, f"at most {MAX_LIST_ITEMS} values")
    return values


def _columns(fields: NeedFields) -> dict[str, object]:
    return {"title": fields.title, "description": fields.description,
            "field_of_action": fields.field_of_action, "categories": list(fields.categories),
            "operating_models": list(fields.operating_models),
            "budget_band": fields.budget_band, "platforms": list(fields.platforms),
            "deadline": fields.deadline, "contact_ok": fields.contact_ok}


def _may_change(session: Session, account: Account, need: Need) -> None:
    if not may_act(account) or not may_change(session, account, need):
        raise AccountError("not_member", "only members of the need's organisation can change it")
