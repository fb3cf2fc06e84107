"""Adoption declarations: "wir nutzen das / we use this", made by members of an organisation.

One declaration per organisation and solution (a second one updates the first). Declared
adoptions live beside the ``usedBy`` entries harvested from publiccode.yml (``origin``
``declared`` vs ``publiccode``), so a page can show "stated by the maintainers" apart from
"declared by the organisation". Admins hide a declaration rather than delete it: the audit log
and the record stay.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import Session, select

from . import audit
from .accounts import AccountError
from .accounts.permissions import is_admin, is_member
from .models import Account, Adoption, Organisation, Solution, utcnow
from .publiccode.formats import is_http_url

MAX_USE_CASE = 2000
MAX_INSTANCE_URL = 2000
"""An address longer than this is not one anybody types; it would only fill the public page."""


def declare(session: Session, account: Account, organisation: Organisation, solution: Solution,
            *, use_case: str | None, since: date | None, instance_url: str | None,
            contact_ok: bool) -> Adoption:
    if not is_member(session, account, organisation):
        raise AccountError("not_member", "only members of the organisation can declare this")
    use_case = (use_case or "").strip() or None
    if use_case is not None and len(use_case) > MAX_USE_CASE:
        raise AccountError("use_case_too_long",
                           f"the use case may have at most {MAX_USE_CASE} characters")
    instance_url = (instance_url or "").strip() or None
    if instance_url is not None and len(instance_url) > MAX_INSTANCE_URL:
        raise AccountError("instance_url_too_long",
                           f"the instance address may have at most {MAX_INSTANCE_URL} characters")
    if instance_url is not None and not is_http_url(instance_url):
        raise AccountError("instance_url", "the instance address must be an http(s) address")
    if since is not None and since > datetime.now(UTC).date():  # the catalogue's clock
        raise AccountError("since_future", "the date lies in the future")
    adoption = declared_by(session, organisation, solution)
    action = "adoption.update" if adoption else "adoption.declare"
    if adoption is None:
        adoption = Adoption(solution_id=solution.id, organisation=organisation.name,
                            organisation_id=organisation.id,
                            publisher_id=organisation.publisher_id, origin="declared")
    adoption.use_case, adoption.since = use_case, since
    adoption.instance_url, adoption.contact_ok = instance_url, contact_ok
    adoption.declared_by_id, adoption.updated_at = account.id, utcnow()
    session.add(adoption)
    session.flush()
    audit.record(session, actor_id=account.id, action=action, subject_type="adoption",
                 subject_id=adoption.id, solution_id=solution.id,
                 organisation_id=organisation.id)
    return adoption


def withdraw(session: Session, account: Account, adoption: Adoption) -> None:
    organisation = session.get(Organisation, adoption.organisation_id)
    if organisation is None or not (is_member(session, account, organisation)
                                    or is_admin(account)):
        raise AccountError("not_member", "only members of the organisation can withdraw this")
    if adoption.hidden_at is not None and not is_admin(account):
        # Withdrawing and declaring again would otherwise publish what an admin hid.
        raise AccountError("declaration_hidden", "an admin hid this declaration; only an "
                           "admin can remove it")
    audit.record(session, actor_id=account.id, action="adoption.withdraw",
                 subject_type="adoption", subject_id=adoption.id,
                 solution_id=adoption.solution_id, organisation_id=adoption.organisation_id)
    session.delete(adoption)


def set_hidden(session: Session, admin: Account, adoption: Adoption, *, hidden: bool,
               reason: str = "") -> None:
    if not is_admin(admin):
        raise AccountError("not_admin", "only admins can hide declarations")
    adoption.hidden_at = utcnow() if hidden else None
    adoption.hidden_reason = (reason.strip()[:500] or None) if hidden else None
    session.add(adoption)
    audit.record(session, actor_id=admin.id, action="adoption.hide" if hidden else
                 "adoption.show", subject_type="adoption", subject_id=adoption.id,
                 reason=adoption.hidden_reason)


def declared_by(session: Session, organisation: Organisation,
                solution: Solution) -> Adoption | None:
    return session.exec(select(Adoption).where(Adoption.solution_id == solution.id,
                                               Adoption.organisation_id == organisation.id,
                                               Adoption.origin == "declared")).first()
