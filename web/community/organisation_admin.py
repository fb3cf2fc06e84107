"""What only site admins do to organisations beyond ``registry.accounts.organisations``:
linking an organisation to the catalogue publisher that is the same body.

The link lets the organisation page show what it publishes, lets ``usedBy`` entries that name
the publisher find the organisation, and is copied to the organisation's declarations (their
``publisher_id``) so the publisher page lists them as "uses" too. Audited like every change.
"""

from __future__ import annotations

from sqlmodel import Session, select

from registry import audit
from registry.accounts import AccountError
from registry.models import Adoption, Organisation, Publisher


def parse_publisher_id(raw: str | None) -> int | None:
    """A publisher number from a form field; empty means "no publisher"."""
    text = (raw or "").strip()
    if not text:
        return None
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        raise AccountError("publisher_unknown", "no publisher with this number")
    return int(text)


def link_publisher(session: Session, organisation: Organisation, publisher_id: int | None, *,
                   actor_id: int) -> None:
    if publisher_id is not None and session.get(Publisher, publisher_id) is None:
        raise AccountError("publisher_unknown", "no publisher with this number")
    previous = organisation.publisher_id
    organisation.publisher_id = publisher_id
    session.add(organisation)
    for adoption in session.exec(select(Adoption).where(
            Adoption.organisation_id == organisation.id, Adoption.origin == "declared")):
        adoption.publisher_id = publisher_id
        session.add(adoption)
    audit.record(session, actor_id=actor_id, action="organisation.link_publisher",
                 subject_type="organisation", subject_id=organisation.id,
                 publisher_id=publisher_id, previous_publisher_id=previous)
