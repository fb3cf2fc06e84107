"""Organisations and memberships.

An account joins an organisation at once when its *verified* e-mail address is at the
organisation's domain (``rathaus@musterstadt.de`` joins Musterstadt with domain
``musterstadt.de``); otherwise the membership waits for an organisation admin or a site admin.
German official keys are checked for form and against the Bundesland: the first two digits of
an AGS (8 digits) or ARS (12 digits) are the Land.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlmodel import Session, select

from registry import audit
from registry.models import ORGANISATION_KINDS, Account, Membership, Organisation, utcnow
from registry.normalise import slugify
from registry.publiccode.formats import is_http_url

from .accounts import email_domain
from .errors import AccountError

LAENDER = {
    "01": "Schleswig-Holstein", "02": "Hamburg", "03": "Niedersachsen", "04": "Bremen",
    "05": "Nordrhein-Westfalen", "06": "Hessen", "07": "Rheinland-Pfalz",
    "08": "Baden-Württemberg", "09": "Bayern", "10": "Saarland", "11": "Berlin",
    "12": "Brandenburg", "13": "Mecklenburg-Vorpommern", "14": "Sachsen",
    "15": "Sachsen-Anhalt", "16": "Thüringen",
}
"""The Länder by their key (the first two digits of every AGS and ARS)."""
_DOMAIN = re.compile(r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def create_organisation(session: Session, *, actor_id: int, name: str, kind: str,
                        state: str | None = None, official_key: str | None = None,
                        other_identifier: str | None = None, website: str | None = None,
                        email_domain: str | None = None) -> Organisation:
    clean = " ".join(name.split())
    if not clean or len(clean) > 200:
        raise AccountError("organisation_name", "the organisation needs a name (up to 200 "
                           "characters)")
    if kind not in ORGANISATION_KINDS:
        raise AccountError("organisation_kind", "unknown kind of organisation")
    state = state or None
    if state is not None and state not in LAENDER.values():
        raise AccountError("organisation_state", "unknown Bundesland")
    key = _official_key(official_key, state)
    if website and not is_http_url(website):
        raise AccountError("organisation_website", "the website must be an http(s) address")
    domain = (email_domain or "").strip().lower() or None
    if domain is not None and not _DOMAIN.match(domain):
        raise AccountError("organisation_domain", "the e-mail domain must look like "
                           "musterstadt.de")
    organisation = Organisation(name=clean, slug=slugify(clean), kind=kind, state=state,
                                official_key=key, other_identifier=other_identifier or None,
                                website=website or None, email_domain=domain)
    try:
        with session.begin_nested():
            session.add(organisation)
    except sa.exc.IntegrityError:
        raise AccountError("organisation_exists", "an organisation with this name or official "
                           "key exists already") from None
    audit.record(session, actor_id=actor_id, action="organisation.create",
                 subject_type="organisation", subject_id=organisation.id, name=clean)
    return organisation


def _official_key(key: str | None, state: str | None) -> str | None:
    digits = (key or "").replace(" ", "")
    if not digits:
        return None
    if not digits.isdigit() or len(digits) not in (8, 12):
        raise AccountError("official_key_form", "the official key is an AGS (8 digits) or an "
                           "ARS (12 digits)")
    land = LAENDER.get(digits[:2])
    if land is None:
        raise AccountError("official_key_land", "an official key starts with the Land's "
                           "number, 01 to 16")
    if state is not None and land != state:
        raise AccountError("official_key_state", f"this official key belongs to {land}")
    return digits


def join(session: Session, account: Account, organisation: Organisation) -> Membership:
    """Ask to join; active at once when the verified address is at the organisation's domain.
    Asking again returns the existing membership."""
    existing = membership_of(session, account, organisation)
    if existing is not None:
        return existing
    if account.email_verified_at is None:
        raise AccountError("email_unverified", "confirm your e-mail address first")
    automatic = (organisation.email_domain is not None
                 and email_domain(account.email) == organisation.email_domain)
    membership = Membership(account_id=account.id, organisation_id=organisation.id,
                            status="active" if automatic else "pending",
                            decided_at=utcnow() if automatic else None)
    session.add(membership)
    session.flush()
    audit.record(session, actor_id=account.id, action="membership.request",
                 subject_type="membership", subject_id=membership.id,
                 organisation_id=organisation.id, automatic=automatic)
    return membership


def join_by_domain(session: Session, account: Account) -> list[Membership]:
    """After verification: join every organisation at the account's domain."""
    matching = session.exec(select(Organisation).where(
        Organisation.email_domain == email_domain(account.email))).all()
    return [join(session, account, organisation) for organisation in matching]


def decide(session: Session, membership: Membership, *, actor_id: int, approve: bool,
           role: str = "member") -> None:
    """Approve (as member or admin) or refuse (the membership is deleted) a request."""
    if approve:
        membership.status, membership.role = "active", role
        membership.decided_at, membership.decided_by_id = utcnow(), actor_id
        session.add(membership)
    else:
        session.delete(membership)
    audit.record(session, actor_id=actor_id,
                 action="membership.approve" if approve else "membership.refuse",
                 subject_type="membership", subject_id=membership.id,
                 account_id=membership.account_id, organisation_id=membership.organisation_id,
                 role=role if approve else None)


def membership_of(session: Session, account: Account,
                  organisation: Organisation) -> Membership | None:
    return session.exec(select(Membership).where(
        Membership.account_id == account.id,
        Membership.organisation_id == organisation.id)).first()


def memberships_of(session: Session, account: Account, *,
                   active_only: bool = True) -> list[tuple[Organisation, Membership]]:
    """The account's organisations with its membership in each, by organisation name."""
    query = (select(Organisation, Membership)
             .join(Membership, Membership.organisation_id == Organisation.id)
             .where(Membership.account_id == account.id).order_by(Organisation.name))
    if active_only:
        query = query.where(Membership.status == "active")
    return list(session.exec(query).all())


def organisations_of(session: Session, account: Account, *,
                     active_only: bool = True) -> list[Organisation]:
    return [organisation for organisation, _membership
            in memberships_of(session, account, active_only=active_only)]
