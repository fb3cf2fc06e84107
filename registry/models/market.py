"""The marketplace's tables: needs (Bedarfe) towns post, the matches found for them, and the
messages relayed between towns without disclosing anybody's address.

The vocabularies a need is described with (fields of action, operating models, budget bands)
are declared once in ``registry.needs.vocabulary``; the status values are here because the
database checks them.
"""

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .columns import NEVER_REUSE_IDS, json_column, one_of, time_column

NEED_STATUSES = ("open", "in_exchange", "solved", "withdrawn")
"""offen → im Austausch → gelöst (with the solution used) or zurückgezogen."""
MATCH_KINDS = ("solution", "organisation")
MESSAGE_STATUSES = ("sent", "answered", "reported")


class Need(SQLModel, table=True):
    """What an organisation is looking for, in its own words."""

    __table_args__ = (one_of("status", NEED_STATUSES, "status"), NEVER_REUSE_IDS)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE", index=True)
    author_id: int | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL",
                                  index=True)
    title: str
    description: str = Field(sa_type=sa.Text)
    field_of_action: str = Field(index=True)
    """One of ``registry.needs.vocabulary.FIELDS_OF_ACTION``."""
    categories: list[str] = json_column([])
    """publiccode.yml categories the town thinks fit (optional)."""
    operating_models: list[str] = json_column([])
    """Acceptable ways to run it (``registry.needs.vocabulary.OPERATING_MODELS``)."""
    budget_band: str | None = None
    platforms: list[str] = json_column([])
    deadline: date | None = None
    contact_ok: bool = Field(default=False, nullable=False)
    """Whether other towns may write to the organisation about this need (via the relay)."""
    status: str = Field(default="open", index=True)
    solved_with_id: int | None = Field(default=None, foreign_key="solution.id",
                                       ondelete="SET NULL")
    """The solution the town now uses (status ``solved``)."""
    hidden_at: datetime | None = time_column()
    """Hidden by an admin (moderation); the record and its audit trail stay."""
    hidden_reason: str | None = None
    created_at: datetime = time_column(nullable=False)
    updated_at: datetime = time_column(nullable=False)
    last_activity_at: datetime = time_column(nullable=False, index=True)
    """The last change by its organisation; long silence makes the reminder ask."""
    reminded_at: datetime | None = time_column()
    matches_notified_at: datetime | None = time_column()
    """When its owner was last told of new matches (a daily digest at most)."""


class NeedMatch(SQLModel, table=True):
    """A solution or organisation found for a need, as last computed, with its reasons.

    Kept so that a *new* match can be told to the need's owner, and so pages read matches
    without computing them in the request."""

    __table_args__ = (
        one_of("kind", MATCH_KINDS, "kind"),
        sa.UniqueConstraint("need_id", "kind", "target_id",
                            name="uq_needmatch_need_id_kind_target_id"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    need_id: int = Field(foreign_key="need.id", ondelete="CASCADE", index=True)
    kind: str
    target_id: int
    """A solution id or an organisation id, by ``kind``."""
    rank: int
    score: float
    reasons: list[dict[str, Any]] = json_column([])
    """Each ``{"code": …, …values}``; the words are the web's (registry.needs.reasons)."""
    first_found_at: datetime = time_column(nullable=False)
    computed_at: datetime = time_column(nullable=False)
    notified_at: datetime | None = time_column()


class RelayMessage(SQLModel, table=True):
    """A message from a member of one organisation to another, sent by Allmende.

    The recipient sees the sender's name and organisation, never the address; only when the
    recipient answers does each side learn the other's address (reply-to)."""

    __table_args__ = (one_of("status", MESSAGE_STATUSES, "status"), NEVER_REUSE_IDS)

    id: int | None = Field(default=None, primary_key=True)
    sender_id: int | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL",
                                  index=True)
    sender_organisation_id: int | None = Field(default=None, foreign_key="organisation.id",
                                               ondelete="SET NULL")
    recipient_organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE",
                                           index=True)
    need_id: int | None = Field(default=None, foreign_key="need.id", ondelete="SET NULL")
    solution_id: int | None = Field(default=None, foreign_key="solution.id",
                                    ondelete="SET NULL")
    subject: str
    body: str = Field(sa_type=sa.Text)
    status: str = Field(default="sent")
    answer_token_hash: str | None = Field(default=None, unique=True)
    """SHA-256 of the token in the recipient's "answer" link (the token itself is not kept)."""
    created_at: datetime = time_column(nullable=False, index=True)
    sent_at: datetime | None = time_column()
    answered_at: datetime | None = time_column()
    reported_at: datetime | None = time_column()
    report_reason: str | None = None
