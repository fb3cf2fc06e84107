"""What the solution page's "Wer nutzt das?" section shows, read in a few queries.

- ``declared``: the organisations' own declarations (hidden ones never reach this module:
  ``catalogue_reads.solution_detail`` leaves them out), each with its organisation for the link
  and, for logged-in readers, the person to ask when the declaration agreed to be contacted.
  Anonymous readers (and the API) never see who that is: the exchange is between registered
  people, and an address on a public page is an address for spammers.
- ``used_by``: the ``usedBy`` names of publiccode.yml ("stated by the maintainers"), each linked
  to a known organisation whose name has the same slug or that is the same catalogue publisher.
- For a logged-in member: the organisations they may declare for, and their organisations'
  existing declarations of this solution (hidden ones too, marked, so members can see why a
  declaration is not shown).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlmodel import Session, select

from registry.accounts import organisations, permissions
from registry.models import Account, Adoption, Organisation
from registry.normalise import slugify


@dataclass(frozen=True, slots=True)
class Declared:
    adoption: Adoption
    organisation: Organisation | None
    contact: Account | None = None
    """Who declared it, when they agreed to be contacted and the viewer is logged in."""


@dataclass(frozen=True, slots=True)
class UsedBy:
    name: str
    organisation: Organisation | None
    publisher_id: int | None


@dataclass(slots=True)
class AdoptionSection:
    declared: list[Declared] = field(default_factory=list)
    used_by: list[UsedBy] = field(default_factory=list)
    own: list[Declared] = field(default_factory=list)
    """The viewer's organisations' declarations of this solution (edit and withdraw)."""
    choices: list[Organisation] = field(default_factory=list)
    """The viewer's organisations that have not declared this solution yet."""
    may_declare: bool = False


def section(session: Session, solution_id: int, adoptions: Sequence[Adoption],
            by_id: dict[int, Organisation], account: Account | None) -> AdoptionSection:
    """``adoptions`` and ``by_id``, their organisations, as ``solution_detail`` read them."""
    declared = [a for a in adoptions if a.origin == "declared"]
    used_by = [a for a in adoptions if a.origin == "publiccode"]
    contacts = contacts_by_id(session, declared) if permissions.may_act(account) else {}
    result = AdoptionSection(
        declared=[Declared(a, by_id.get(a.organisation_id or 0),
                           contacts.get(a.declared_by_id or 0)) for a in declared],
        used_by=link_used_by(session, used_by))
    if permissions.may_act(account):
        mine = organisations.organisations_of(session, account)
        own = session.exec(select(Adoption).where(
            Adoption.solution_id == solution_id, Adoption.origin == "declared",
            Adoption.organisation_id.in_([o.id for o in mine] or [0]))).all()
        mine_by_id = {o.id: o for o in mine}
        result.own = [Declared(a, mine_by_id.get(a.organisation_id)) for a in own]
        taken = {a.organisation_id for a in own}
        result.choices = [o for o in mine if o.id not in taken]
        result.may_declare = bool(mine)
    return result


def contacts_by_id(session: Session, declared: Iterable[Adoption]) -> dict[int, Account]:
    """The people behind declarations that agreed to be contacted, for logged-in readers only
    (the form says so): active accounts with a confirmed address, by id."""
    wanted = sorted({a.declared_by_id for a in declared if a.contact_ok and a.declared_by_id})
    if not wanted:
        return {}
    return {a.id: a for a in session.exec(select(Account).where(
        Account.id.in_(wanted), Account.email_verified_at.is_not(None),
        Account.suspended_at.is_(None)))}


def link_used_by(session: Session, adoptions: Sequence[Adoption]) -> list[UsedBy]:
    """``usedBy`` entries with the organisation each names: the one the catalogue linked it
    to (``Adoption.organisation_id``: the official directory's certain matches, e.g.
    "Landeshauptstadt München"), else by name, else by publisher.

    Names match by their slug, the organisation's unique key: case, umlaut spellings and
    punctuation do not matter ("STADT MÜNCHEN", "Stadt Muenchen"), on SQLite and PostgreSQL
    alike, and the lookup uses the unique index.
    """
    if not adoptions:
        return []
    slugs = sorted({slugify(a.organisation) for a in adoptions})
    publisher_ids = sorted({a.publisher_id for a in adoptions if a.publisher_id})
    linked_ids = sorted({a.organisation_id for a in adoptions if a.organisation_id})
    query = select(Organisation).where(sa.or_(
        Organisation.slug.in_(slugs), Organisation.publisher_id.in_(publisher_ids or [0]),
        Organisation.id.in_(linked_ids or [0])))
    by_id: dict[int, Organisation] = {}
    by_slug: dict[str, Organisation] = {}
    by_publisher: dict[int, Organisation] = {}
    for organisation in session.exec(query):
        by_id[organisation.id] = organisation
        by_slug[organisation.slug] = organisation
        if organisation.publisher_id:
            by_publisher.setdefault(organisation.publisher_id, organisation)
    return [UsedBy(a.organisation,
                   by_id.get(a.organisation_id or 0)
                   or by_slug.get(slugify(a.organisation))
                   or by_publisher.get(a.publisher_id or 0),
                   a.publisher_id) for a in adoptions]
