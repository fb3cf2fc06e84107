"""What the maintainer dashboard and feed read: an account's registrations, the catalogue's
solution for each verified one (matched by the normalised URL, the key both share), and a
short history from the notifications, the audit log and the harvest queue."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from registry.models import (
    AuditEntry,
    HarvestRequest,
    Notification,
    Registration,
    Solution,
    is_shown_in_catalogue,
)

HISTORY_SIZE = 10
FIRST_FINDINGS = 5


@dataclass(frozen=True)
class Event:
    """One line of a history: when, what kind (``notification``, ``audit``, ``harvest``),
    the code (a notification kind, an audit action, a harvest reason) and any detail."""

    at: datetime
    kind: str
    code: str
    detail: str = ""
    solution_id: int | None = None


@dataclass
class Entry:
    """A registration as the dashboard shows it."""

    registration: Registration
    solution: Solution | None = None
    shown: bool = False
    """Whether the catalogue shows the solution (its page exists)."""
    history: list[Event] = field(default_factory=list)

    @property
    def findings(self) -> list[dict[str, Any]]:
        if self.solution is not None:
            return list(self.solution.findings or [])
        return list(self.registration.findings or [])

    @property
    def first_findings(self) -> list[dict[str, Any]]:
        return self.findings[:FIRST_FINDINGS]


def registrations(session: Session, account_id: int) -> list[Registration]:
    return list(session.exec(select(Registration).where(Registration.account_id == account_id)
                             .order_by(Registration.created_at.desc(), Registration.id.desc())))


def owned_registration(session: Session, account_id: int,
                       registration_id: int) -> Registration | None:
    registration = session.get(Registration, registration_id)
    if registration is None or registration.account_id != account_id:
        return None
    return registration


def solutions_by_url(session: Session, urls: list[str]) -> dict[str, Solution]:
    if not urls:
        return {}
    return {s.url: s for s in session.exec(select(Solution).where(Solution.url.in_(urls)))}


def dashboard(session: Session, account_id: int) -> list[Entry]:
    found = registrations(session, account_id)
    verified = [r.url for r in found if r.status == "verified"]
    solutions = solutions_by_url(session, verified)
    entries = []
    for registration in found:
        solution = solutions.get(registration.url) if registration.status == "verified" else None
        shown = solution is not None and is_shown_in_catalogue(solution)
        entries.append(Entry(registration, solution, shown,
                             history(session, registration, solution)))
    return entries


def history(session: Session, registration: Registration, solution: Solution | None,
            limit: int = HISTORY_SIZE) -> list[Event]:
    """The newest ``limit`` events of a registration and its solution."""
    events = [Event(entry.at, "audit", entry.action, str((entry.detail or {}).get("message", "")))
              for entry in session.exec(
                  select(AuditEntry).where(AuditEntry.subject_type == "registration",
                                           AuditEntry.subject_id == registration.id)
                  .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit))]
    events += harvests(session, [registration.url], limit)
    if solution is not None:
        events += notifications(session, [solution.id], limit)
    return newest_first(events)[:limit]


def notifications(session: Session, solution_ids: list[int], limit: int) -> list[Event]:
    if not solution_ids:
        return []
    rows = session.exec(select(Notification).where(Notification.solution_id.in_(solution_ids))
                        .order_by(Notification.created_at.desc(), Notification.id.desc())
                        .limit(limit))
    return [Event(n.created_at, "notification", n.kind, n.detail or "", n.solution_id)
            for n in rows]


def harvest_requests(session: Session, urls: list[str], limit: int) -> list[HarvestRequest]:
    if not urls:
        return []
    return list(session.exec(select(HarvestRequest).where(HarvestRequest.url.in_(urls))
                             .order_by(HarvestRequest.requested_at.desc(),
                                       HarvestRequest.id.desc()).limit(limit)))


def harvests(session: Session, urls: list[str], limit: int) -> list[Event]:
    """Harvest requests: finished ones with their outcome, waiting ones without."""
    return [Event(r.finished_at or r.requested_at, "harvest", r.reason, r.outcome or "")
            for r in harvest_requests(session, urls, limit)]


def newest_first(events: list[Event]) -> list[Event]:
    return sorted(events, key=lambda e: e.at, reverse=True)  # UTCDateTime: always aware
