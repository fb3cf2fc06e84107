"""Registering a repository: start a claim, check the publiccode.yml and the ownership proof.

Why these rules:

* A registration is a *claim* until proven: the registry shows a random token; the maintainer
  commits it as ``.allmende-verify`` to the default branch (proof ``file``), or the
  publiccode.yml names the account's **verified** e-mail as a maintenance contact (proof
  ``email``). Either shows write access to the repository, which is what maintaining means.
* The publiccode.yml is validated at every check and its findings (key, line, column, message,
  severity — the catalogue's shape) are kept on the registration, so the maintainer sees all
  of them. An invalid file does not block the proof: the harvest records it as invalid and
  the catalogue shows it once it is fixed.
* A check never raises for what the network does: a refused address, a timeout, a missing or
  private repository, an oversize file all become ``last_check_message`` and the registration
  stays as it was. A verified registration is never un-verified by a failing re-check.
* Verification queues a harvest of the repository (``registry.harvest_requests``); from then
  on the built-in ``registered`` source covers it every night.
* Every change writes an audit entry in the same transaction.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlmodel import Session, select

from registry import audit
from registry.accounts.permissions import may_act
from registry.config import Settings
from registry.fetch import SafeFetcher
from registry.harvest_requests import request_harvest
from registry.models import Account, Registration, utcnow
from registry.publiccode import FILE_NAMES, ValidationResult, validate_bytes

from .repository_files import (
    PUBLICCODE_MAX_BYTES,
    VERIFY_FILE,
    VERIFY_MAX_BYTES,
    FileUnavailable,
    RepositoryFiles,
)
from .repository_urls import RepositoryURL, parse_repository_url

TOKEN_PREFIX = "allmende-verify-"  # noqa: S105 (a prefix, not a secret)
NO_PUBLICCODE = ("There is no publiccode.yml (or publiccode.yaml) at the top of the repository's "
                 "default branch. Add one, then check again.")
NOT_PROVEN = ("Ownership is not proven yet: commit a file named .allmende-verify containing "
              "{token} to the default branch, or list your verified e-mail address under "
              "maintenance.contacts in publiccode.yml. Then check again.")
WRONG_PROOF = ("The file .allmende-verify does not contain this registration's token {token}. "
               "Replace its content with the token and check again.")
VERIFIED = "Ownership proven by {how}. The repository will be harvested shortly."
IS_VALID = "{name} is valid."
SHOWN_WITH_ERRORS = ("{name} has {errors} {noun}; the solution is shown in the catalogue with a "
                     "notice until they are fixed.")
NOT_SHOWN = "{name} cannot be shown in the catalogue ({reason})."
STILL_VERIFIED = "The repository stays registered. {detail}"
HOW = {"file": "the file .allmende-verify", "email": "your e-mail address in publiccode.yml"}


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What one check found; the registration row holds the same, for later pages."""

    status: str
    """``pending`` or ``verified``."""
    message: str
    proof: str | None = None
    findings: list[dict[str, Any]] = field(default_factory=list)
    valid: bool | None = None
    """Whether the publiccode.yml is valid; ``None`` when it could not be read."""

    @property
    def verified(self) -> bool:
        return self.status == "verified"


def in_standing(query: Any) -> Any:
    """``query`` (over ``Registration``) narrowed to the registrations that count: verified,
    and their account not suspended. A suspended maintainer's repositories get no webhook
    harvests and leave the nightly ``registered`` source until the suspension is lifted."""
    return (query.join(Account, Account.id == Registration.account_id)
            .where(Registration.status == "verified", Account.suspended_at.is_(None)))


def new_verify_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(18)  # 24 URL-safe characters


def start_registration(session: Session, account: Account, url: str,
                       forge_type: str | None = None, *,
                       allow_private: bool = False) -> Registration:
    """A pending registration of ``url`` for ``account`` (the existing one if there is one).

    Raises ``RegistrationError`` for an unusable URL. ``allow_private`` is the
    ``allow_private_addresses`` setting (admits http:// and private addresses, for tests).
    """
    repository = parse_repository_url(url, forge_type, allow_private=allow_private)
    existing = _find(session, account.id, repository.url)
    if existing is not None:
        return existing
    registration = Registration(account_id=account.id, url=repository.url,
                                forge_type=repository.forge_type, status="pending",
                                verify_token=new_verify_token(),
                                webhook_salt=secrets.token_hex(16), created_at=utcnow())
    try:
        with session.begin_nested():  # the same claim submitted twice at once
            session.add(registration)
    except sa.exc.IntegrityError:
        session.commit()
        found = _find(session, account.id, repository.url)
        assert found is not None  # the conflicting row exists by definition
        return found
    audit.record(session, actor_id=account.id, action="registration.create",
                 subject_type="registration", subject_id=registration.id,
                 url=repository.url, forge_type=repository.forge_type)
    session.commit()
    return registration


def check_registration(session: Session, registration: Registration, *, fetcher: SafeFetcher,
                       settings: Settings, account_email: str | None = None,
                       files: RepositoryFiles | None = None) -> CheckResult:
    """Fetch and validate the publiccode.yml, then look for an ownership proof; commit.

    ``account_email`` is the address the caller believes verified; it only counts when it is
    the registration's account's own address *and* that address is verified in the database.
    ``files`` replaces the file reader (tests point GitHub's raw host at a local server).
    """
    files = files or RepositoryFiles(fetcher, settings.git_cache_dir)
    repository = RepositoryURL(registration.url, registration.forge_type,
                               *_host_and_path(registration))
    result = _check(session, registration, repository, files, account_email)
    registration.last_checked_at = utcnow()
    registration.last_check_message = result.message
    registration.findings = result.findings if result.valid is not None else []
    newly_verified = result.verified and registration.status != "verified"
    if newly_verified:
        registration.status, registration.proof = "verified", result.proof
        registration.verified_at = registration.last_checked_at
    session.add(registration)
    session.flush()
    audit.record(session, actor_id=registration.account_id,
                 action="registration.verify" if newly_verified else "registration.check",
                 subject_type="registration", subject_id=registration.id,
                 url=registration.url, proof=result.proof, message=result.message[:500])
    if newly_verified:
        request_harvest(session, registration.url, "registration",
                        requested_by_id=registration.account_id)  # commits everything
    session.commit()
    if registration.status == "verified" and not result.verified:
        return CheckResult("verified", STILL_VERIFIED.format(detail=result.message),
                           registration.proof, result.findings, result.valid)
    return result


def rotate_webhook_secret(session: Session, registration: Registration, *,
                          actor_id: int) -> None:
    """A new salt, hence a new derived secret; the old one stops working at once."""
    registration.webhook_salt = secrets.token_hex(16)
    session.add(registration)
    audit.record(session, actor_id=actor_id, action="registration.rotate_secret",
                 subject_type="registration", subject_id=registration.id, url=registration.url)


def delete_registration(session: Session, registration: Registration, *,
                        actor_id: int) -> None:
    """Forget the claim; a solution stays in the catalogue while a source still finds it."""
    audit.record(session, actor_id=actor_id, action="registration.delete",
                 subject_type="registration", subject_id=registration.id,
                 url=registration.url, status=registration.status)
    session.delete(registration)


def _check(session: Session, registration: Registration, repository: RepositoryURL,
           files: RepositoryFiles, account_email: str | None) -> CheckResult:
    try:
        found = files.read(repository, FILE_NAMES, PUBLICCODE_MAX_BYTES)
    except FileUnavailable as exc:
        return CheckResult("pending", str(exc))
    if found is None:
        return CheckResult("pending", NO_PUBLICCODE)
    validation = validate_bytes(found.data)
    findings = [finding.to_stored() for finding in (*validation.findings, *validation.notes)]
    summary = _summary(found.name, validation)

    token_problem = None
    try:
        proof_file = files.read(repository, (VERIFY_FILE,), VERIFY_MAX_BYTES)
    except FileUnavailable as exc:
        proof_file, token_problem = None, str(exc)
    if proof_file is not None:
        if registration.verify_token in proof_file.data.decode("utf-8", "replace").split():
            return _verified("file", summary, findings, validation.valid)
        token_problem = WRONG_PROOF.format(token=registration.verify_token)
    email = _verified_email(session, registration, account_email)
    if email and email in _contact_emails(validation.document):
        return _verified("email", summary, findings, validation.valid)
    message = token_problem or NOT_PROVEN.format(token=registration.verify_token)
    return CheckResult("pending", f"{summary} {message}", None, findings, validation.valid)


def _verified(proof: str, summary: str, findings: list[dict[str, Any]],
              valid: bool) -> CheckResult:
    return CheckResult("verified", f"{summary} {VERIFIED.format(how=HOW[proof])}", proof,
                       findings, valid)


def _summary(name: str, validation: ValidationResult) -> str:
    if validation.valid:
        return IS_VALID.format(name=name)
    if not validation.readable:
        reason = (validation.unreadable_reason or "it cannot be read").removesuffix(".")
        return NOT_SHOWN.format(name=name, reason=reason)
    errors = len(validation.errors)
    return SHOWN_WITH_ERRORS.format(name=name, errors=errors,
                                    noun="error" if errors == 1 else "errors")


def _verified_email(session: Session, registration: Registration,
                    claimed: str | None) -> str | None:
    account = session.get(Account, registration.account_id)
    if not may_act(account):
        return None
    own = account.email.strip().casefold()
    if claimed is not None and claimed.strip().casefold() != own:
        return None
    return own


def _contact_emails(document: Any) -> set[str]:
    """The e-mail addresses under ``maintenance.contacts``, case-folded; tolerant of any shape."""
    maintenance = document.get("maintenance") if isinstance(document, dict) else None
    contacts = maintenance.get("contacts") if isinstance(maintenance, dict) else None
    if not isinstance(contacts, list):
        return set()
    return {contact["email"].strip().casefold() for contact in contacts
            if isinstance(contact, dict) and isinstance(contact.get("email"), str)}


def _find(session: Session, account_id: int | None, url: str) -> Registration | None:
    return session.exec(select(Registration).where(Registration.account_id == account_id,
                                                   Registration.url == url)).first()


def _host_and_path(registration: Registration) -> tuple[str, tuple[str, ...]]:
    parts = urlsplit(registration.url)
    return parts.netloc, tuple(p for p in parts.path.split("/") if p)
