"""The tables of the people who act on the registry: accounts, organisations, their
memberships and API tokens, repository registrations, requested harvests, notifications and the
audit log.

Secrets are never stored in a form that could be replayed: passwords as argon2 hashes, API
tokens as SHA-256 digests (a token is random and long, so a fast hash is enough), webhook
secrets not at all (they are derived from the application's secret key, see
``registry.registrations``). E-mail addresses are stored lower-cased, so one address is one
account.
"""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .columns import NEVER_REUSE_IDS, json_column, one_of, time_column

ORGANISATION_KINDS = ("municipality", "district", "state", "federal", "company", "association")
MEMBERSHIP_ROLES = ("member", "admin")
MEMBERSHIP_STATUSES = ("pending", "active")
REGISTRATION_STATUSES = ("pending", "verified")
FORGE_TYPES = ("gitlab", "github", "gitea", "git")
NOTIFICATION_KINDS = ("became_invalid", "unreachable")


class Account(SQLModel, table=True):
    """A person who signed up. Admin is a flag; maintainer and member follow from what the
    account has (verified registrations, active memberships)."""

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(unique=True)
    password_hash: str
    name: str
    email_verified_at: datetime | None = time_column()
    is_admin: bool = Field(default=False, nullable=False)
    suspended_at: datetime | None = time_column()
    suspended_reason: str | None = None
    session_version: int = Field(default=0, nullable=False)
    """Part of every session cookie: raising it (new password, suspension, "log out
    everywhere") ends all of the account's sessions at once."""
    created_at: datetime = time_column(nullable=False)
    last_login_at: datetime | None = time_column()


class Organisation(SQLModel, table=True):
    """A municipality, district, state, federal body, company or association."""

    __table_args__ = (one_of("kind", ORGANISATION_KINDS, "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    slug: str = Field(unique=True)
    kind: str
    state: str | None = None
    """Bundesland (or region abroad)."""
    official_key: str | None = Field(default=None, unique=True)
    """German Amtlicher Gemeindeschlüssel (8 digits) or Regionalschlüssel (12 digits)."""
    other_identifier: str | None = None
    """Any other official identifier (e.g. an Italian iPA code, a company register number)."""
    website: str | None = None
    email_domain: str | None = Field(default=None, index=True)
    """Accounts whose verified e-mail is at this domain join without approval."""
    publisher_id: int | None = Field(default=None, foreign_key="publisher.id", index=True)
    """The catalogue's publisher that is this organisation, when known."""
    official_type: str | None = None
    """What the official directory calls it (Gemeinde, Stadt, Markt, Kreis, kreisfreie Stadt,
    Land …); filled by ``allmende organisations import``."""
    district: str | None = None
    """The Kreis a municipality belongs to (official directory)."""
    population: int | None = None
    area_km2: float | None = None
    imported_at: datetime | None = time_column()
    """When the official directory last updated this row (None: entered by people only)."""
    created_at: datetime = time_column(nullable=False)


class Membership(SQLModel, table=True):
    __table_args__ = (
        one_of("role", MEMBERSHIP_ROLES, "role"),
        one_of("status", MEMBERSHIP_STATUSES, "status"),
        sa.UniqueConstraint("account_id", "organisation_id",
                            name="uq_membership_account_id_organisation_id"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", ondelete="CASCADE", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE", index=True)
    role: str = Field(default="member")
    status: str = Field(default="pending")
    created_at: datetime = time_column(nullable=False)
    decided_at: datetime | None = time_column()
    decided_by_id: int | None = Field(default=None, foreign_key="account.id",
                                      ondelete="SET NULL")


class ApiToken(SQLModel, table=True):
    """A personal API token; only its digest is kept, the token is shown once."""

    __table_args__ = (NEVER_REUSE_IDS,)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", ondelete="CASCADE", index=True)
    name: str
    token_hash: str = Field(unique=True)
    prefix: str
    """The token's first characters, so its owner can tell tokens apart."""
    created_at: datetime = time_column(nullable=False)
    last_used_at: datetime | None = time_column()
    revoked_at: datetime | None = time_column()


class Registration(SQLModel, table=True):
    """A maintainer's claim on a repository, verified by an ownership proof."""

    __table_args__ = (
        one_of("status", REGISTRATION_STATUSES, "status"),
        one_of("forge_type", FORGE_TYPES, "forge_type"),
        sa.UniqueConstraint("account_id", "url", name="uq_registration_account_id_url"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", ondelete="CASCADE", index=True)
    url: str = Field(index=True)
    """Normalised repository URL, the same key as ``Solution.url``."""
    forge_type: str
    status: str = Field(default="pending")
    verify_token: str
    """What the maintainer commits as ``.allmende-verify``; not a secret, only a proof."""
    proof: str | None = None
    verified_at: datetime | None = time_column()
    last_checked_at: datetime | None = time_column()
    last_check_message: str | None = Field(default=None, sa_type=sa.Text)
    findings: list[dict[str, Any]] = json_column([])
    """The findings of the publiccode.yml at the last check, for the maintainer to fix."""
    webhook_salt: str
    """Changing it changes the webhook secret (derived from the app secret and this salt)."""
    created_at: datetime = time_column(nullable=False)


class HarvestRequest(SQLModel, table=True):
    """A repository to harvest now (webhook, API call, new registration); a small queue."""

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(index=True)
    reason: str
    delivery_id: str | None = Field(default=None, unique=True)
    """The forge's delivery id: a replayed webhook finds its id taken and changes nothing."""
    requested_by_id: int | None = Field(default=None, foreign_key="account.id",
                                        ondelete="SET NULL")
    requested_at: datetime = time_column(nullable=False, index=True)
    started_at: datetime | None = time_column()
    finished_at: datetime | None = time_column()
    outcome: str | None = Field(default=None, sa_type=sa.Text)


class Notification(SQLModel, table=True):
    """A change maintainers must hear about, written by the harvest, sent by the mailer."""

    __table_args__ = (one_of("kind", NOTIFICATION_KINDS, "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    solution_id: int = Field(foreign_key="solution.id", ondelete="CASCADE", index=True)
    kind: str
    detail: str | None = Field(default=None, sa_type=sa.Text)
    created_at: datetime = time_column(nullable=False)
    sent_at: datetime | None = time_column(index=True)
    recipients: list[str] = json_column([])


class AuditEntry(SQLModel, table=True):
    """Who changed what: every change to accounts, registrations and declarations."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = time_column(nullable=False, index=True)
    actor_id: int | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL",
                                 index=True)
    action: str = Field(index=True)
    """Dotted, e.g. ``account.create``, ``registration.verify``, ``adoption.hide``."""
    subject_type: str
    subject_id: int | None = None
    detail: dict[str, Any] = json_column({})
