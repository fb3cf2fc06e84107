"""The audit log: who changed what, written in the same transaction as the change itself.

Every change to accounts, organisations, memberships, registrations and adoption declarations
calls :func:`record`, so the log can never claim a change that was rolled back, nor miss one
that was committed. ``detail`` holds what an admin needs to understand the change later (old
and new values, a reason) and never a secret.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from .models import AuditEntry, utcnow


def record(session: Session, *, actor_id: int | None, action: str, subject_type: str,
           subject_id: int | None, **detail: Any) -> AuditEntry:
    """Add one entry; ``action`` is dotted (``account.suspend``), ``actor_id`` None for the
    system (the harvest, a command run by the operator)."""
    entry = AuditEntry(at=utcnow(), actor_id=actor_id, action=action,
                       subject_type=subject_type, subject_id=subject_id, detail=detail)
    session.add(entry)
    return entry
