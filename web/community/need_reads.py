"""Read-only queries of the needs pages and the needs API: the filtered list, one need, its
stored matches, the open needs a solution matches, an organisation's needs.

Matches are read from ``NeedMatch`` rows as the matching last stored them (``market``); no
request computes them. What the public sees: needs that are not hidden; withdrawn needs only
when the list is filtered for them. Site admins also see hidden needs (marked), to show them
again. The text filter is a case-insensitive ``LIKE`` over title and description, bounded in
length: needs are few next to solutions, and they have no search index of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from registry.accounts.organisations import LAENDER
from registry.models import (
    NEED_STATUSES,
    Need,
    NeedMatch,
    Organisation,
    Solution,
    shown_in_catalogue,
)
from registry.needs.vocabulary import FIELDS_OF_ACTION
from registry.publiccode.vocabularies import CATEGORIES

from ..catalogue_reads import MAX_ID

MAX_TEXT = 200
"""Characters of the text filter (a title is at most 150)."""
STILL_LOOKING = ("open", "in_exchange")
FILTERS = ("field_of_action", "state", "status", "category", "q")
"""The list's query parameters (pages and API alike); ``q`` is the text."""
SOLUTION_SECTION_LIMIT = 10


@dataclass(frozen=True, slots=True)
class NeedFilters:
    field_of_action: str | None = None
    state: str | None = None
    """Land (``Organisation.state``)."""
    status: str | None = None
    category: str | None = None
    text: str = ""

    @property
    def active(self) -> bool:
        return any((self.field_of_action, self.state, self.status, self.category, self.text))


class FilterError(ValueError):
    """A filter the list cannot take: ``kind`` is ``repeated``, ``invalid`` (too long, NUL)
    or ``unknown`` (not a value of its vocabulary)."""

    def __init__(self, kind: str, name: str, value: str = ""):
        super().__init__(f"{name}: {kind} {value[:60]!r}")
        self.kind, self.name, self.value = kind, name, value


def parse_filters(args) -> NeedFilters:
    """The filters from a query string (a ``MultiDict``); empty values mean "all"."""
    def single(name: str) -> str:
        values = args.getlist(name)
        if len(values) > 1:
            raise FilterError("repeated", name)
        value = (values[0] if values else "").strip()
        if "\x00" in value or len(value) > MAX_TEXT:
            raise FilterError("invalid", name)
        return value

    chosen = {name: single(name) for name in FILTERS}
    allowed = {"field_of_action": FIELDS_OF_ACTION, "state": set(LAENDER.values()),
               "status": NEED_STATUSES, "category": CATEGORIES}
    for name, known in allowed.items():
        if chosen[name] and chosen[name] not in known:
            raise FilterError("unknown", name, chosen[name])
    return NeedFilters(field_of_action=chosen["field_of_action"] or None,
                       state=chosen["state"] or None, status=chosen["status"] or None,
                       category=chosen["category"] or None, text=chosen["q"])


@dataclass(frozen=True, slots=True)
class Matches:
    solutions: list[tuple[NeedMatch, Solution]]
    organisations: list[tuple[NeedMatch, Organisation]]


def search(session: Session, filters: NeedFilters, offset: int, limit: int, *,
           include_hidden: bool = False) -> tuple[int, list[tuple[Need, Organisation]]]:
    """(total, [(need, organisation)]) newest first; the filters combine with AND."""
    conditions = _conditions(filters, include_hidden)
    base = select(Need, Organisation).join(Organisation, Organisation.id == Need.organisation_id)
    counted = select(sa.func.count()).select_from(Need).join(
        Organisation, Organisation.id == Need.organisation_id)
    total = session.exec(counted.where(*conditions)).one()
    rows = session.exec(base.where(*conditions)
                        .order_by(Need.created_at.desc(), Need.id.desc())
                        .offset(offset).limit(limit)).all()
    return total, [(need, organisation) for need, organisation in rows]


def _conditions(filters: NeedFilters, include_hidden: bool) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = []
    if not include_hidden:
        conditions.append(Need.hidden_at.is_(None))
    if filters.status:
        conditions.append(Need.status == filters.status)
    else:
        conditions.append(Need.status != "withdrawn")
    if filters.field_of_action:
        conditions.append(Need.field_of_action == filters.field_of_action)
    if filters.state:
        conditions.append(Organisation.state == filters.state)
    if filters.category:
        # categories is a JSON list of the standard's codes (letters and hyphens only, checked
        # by the caller), so its quoted form is found in the list's text on either database
        conditions.append(sa.cast(Need.categories, sa.Text).like(f'%"{filters.category}"%'))
    if filters.text:
        pattern = "%" + _escaped(filters.text[:MAX_TEXT]) + "%"
        conditions.append(sa.or_(Need.title.ilike(pattern, escape="\\"),
                                 Need.description.ilike(pattern, escape="\\")))
    return conditions


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def need(session: Session, need_id: int, *,
         include_hidden: bool = False) -> tuple[Need, Organisation] | None:
    """The need and its organisation; None when there is none (or it is hidden)."""
    if not 0 < need_id <= MAX_ID:
        return None
    found = session.get(Need, need_id)
    if found is None or (found.hidden_at is not None and not include_hidden):
        return None
    organisation = session.get(Organisation, found.organisation_id)
    return (found, organisation) if organisation is not None else None


def matches(session: Session, need_id: int) -> Matches:
    """The stored matches by rank: solutions the catalogue shows, existing organisations."""
    solutions = session.exec(
        select(NeedMatch, Solution).join(Solution, Solution.id == NeedMatch.target_id)
        .where(NeedMatch.need_id == need_id, NeedMatch.kind == "solution",
               shown_in_catalogue())
        .order_by(NeedMatch.rank, NeedMatch.id)).all()
    organisations = session.exec(
        select(NeedMatch, Organisation)
        .join(Organisation, Organisation.id == NeedMatch.target_id)
        .where(NeedMatch.need_id == need_id, NeedMatch.kind == "organisation")
        .order_by(NeedMatch.rank, NeedMatch.id)).all()
    return Matches([tuple(row) for row in solutions], [tuple(row) for row in organisations])


def solution(session: Session, solution_id: int) -> Solution | None:
    """A solution the catalogue shows (the one a solved need names)."""
    if not 0 < solution_id <= MAX_ID:
        return None
    return session.exec(select(Solution).where(Solution.id == solution_id,
                                               shown_in_catalogue())).first()


def solution_by_url(session: Session, url: str) -> Solution | None:
    """A shown solution by its repository address (with or without a trailing slash)."""
    url = url.strip().rstrip("/")
    if not url or len(url) > 2000:
        return None
    return session.exec(select(Solution).where(
        Solution.url.in_([url, url + "/", url + ".git"]), shown_in_catalogue())).first()


def open_needs_for_solution(session: Session, solution_id: int, *,
                            limit: int = SOLUTION_SECTION_LIMIT
                            ) -> list[tuple[Need, Organisation]]:
    """Needs still looking (open, in exchange) that the solution matches, best match first."""
    query = (select(Need, Organisation)
             .join(NeedMatch, NeedMatch.need_id == Need.id)
             .join(Organisation, Organisation.id == Need.organisation_id)
             .where(NeedMatch.kind == "solution", NeedMatch.target_id == solution_id,
                    Need.hidden_at.is_(None), Need.status.in_(STILL_LOOKING))
             .order_by(NeedMatch.score.desc(), Need.id.desc()).limit(limit))
    return [(n, o) for n, o in session.exec(query)]


def organisation_needs(session: Session, organisation_id: int, *,
                       include_withdrawn: bool = False) -> list[Need]:
    """The organisation's needs that are not hidden, newest first."""
    query = select(Need).where(Need.organisation_id == organisation_id,
                               Need.hidden_at.is_(None))
    if not include_withdrawn:
        query = query.where(Need.status != "withdrawn")
    return list(session.exec(query.order_by(Need.created_at.desc(), Need.id.desc())))
