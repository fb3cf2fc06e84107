"""Needs collected elsewhere, brought in by an operator: ``allmende needs import FILE.toml``.

Transfer offices collect needs by hand today — at network meetings, on the phone — and the demo
catalogue needs a few to show the marketplace. A TOML file lists them; each names its
organisation by official key (AGS/ARS) or exact name and is checked by the same rules as a
need posted on the site (``service.checked``). The whole file is checked before anything is
written, so a file with one bad need imports nothing and says which one. Importing the same
file again changes nothing (an organisation's need is recognised by its title). Imported needs
have no author; the audit log names the operator's import as the actor (``None``)::

    [[needs]]
    organisation = "09162000"
    title = "Termine im Bürgeramt online buchen"
    description = "…"
    field_of_action = "administration"
    categories = ["appointment-scheduling"]
    operating_models = ["it_provider", "saas"]
    contact_ok = true
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from registry import audit
from registry.accounts import AccountError
from registry.models import Need, Organisation

from .service import NeedFields, checked

MAX_FILE_BYTES = 2_000_000
KNOWN_KEYS = frozenset({"organisation", "title", "description", "field_of_action",
                        "categories", "operating_models", "budget_band", "platforms",
                        "deadline", "contact_ok"})


class NeedsFileError(ValueError):
    """The file cannot be imported; the message says where and why."""


@dataclass(frozen=True, slots=True)
class ImportReport:
    created: int
    unchanged: int


def import_needs(session: Session, path: Path, *, now: datetime) -> ImportReport:
    """Check every need in ``path``, then add those not there yet (the caller commits)."""
    entries = _read(path)
    planned: list[tuple[Organisation, NeedFields]] = []
    for number, entry in enumerate(entries, 1):
        where = f"needs[{number}]"
        unknown = sorted(set(entry) - KNOWN_KEYS)
        if unknown:
            raise NeedsFileError(f"{where}: unknown key {unknown[0]!r}")
        organisation = _organisation(session, entry.get("organisation"), where)
        try:
            fields = checked(NeedFields(
                title=_text(entry, "title", where), description=_text(entry, "description",
                                                                      where),
                field_of_action=_text(entry, "field_of_action", where),
                categories=_texts(entry, "categories", where),
                operating_models=_texts(entry, "operating_models", where),
                budget_band=entry.get("budget_band"), platforms=_texts(entry, "platforms",
                                                                       where),
                deadline=_date(entry.get("deadline"), where),
                contact_ok=bool(entry.get("contact_ok", False))))
        except AccountError as exc:
            raise NeedsFileError(f"{where}: {exc}") from None
        planned.append((organisation, fields))
    created = unchanged = 0
    for organisation, fields in planned:
        exists = session.exec(select(Need.id).where(
            Need.organisation_id == organisation.id,
            sa.func.lower(Need.title) == fields.title.lower())).first()
        if exists is not None:
            unchanged += 1
            continue
        need = Need(organisation_id=organisation.id, author_id=None, status="open",
                    title=fields.title, description=fields.description,
                    field_of_action=fields.field_of_action,
                    categories=list(fields.categories),
                    operating_models=list(fields.operating_models),
                    budget_band=fields.budget_band, platforms=list(fields.platforms),
                    deadline=fields.deadline, contact_ok=fields.contact_ok,
                    created_at=now, updated_at=now, last_activity_at=now)
        session.add(need)
        session.flush()
        audit.record(session, actor_id=None, action="need.import", subject_type="need",
                     subject_id=need.id, organisation_id=organisation.id, file=path.name)
        created += 1
    return ImportReport(created=created, unchanged=unchanged)


def _read(path: Path) -> list[dict[str, Any]]:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise NeedsFileError(f"larger than {MAX_FILE_BYTES // 1_000_000} MB")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise NeedsFileError(f"not a UTF-8 TOML file ({exc})") from None
    entries = data.get("needs")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise NeedsFileError("expected [[needs]] tables")
    return entries


def _organisation(session: Session, value: Any, where: str) -> Organisation:
    if not isinstance(value, str) or not value.strip():
        raise NeedsFileError(f"{where}: organisation: give an official key or a name")
    value = value.strip()
    found = session.exec(select(Organisation).where(sa.or_(
        Organisation.official_key == value, Organisation.name == value))).all()
    if len(found) != 1:
        raise NeedsFileError(f"{where}: organisation {value!r}: "
                             + ("not found" if not found else "ambiguous; use the official "
                                "key"))
    return found[0]


def _text(entry: dict[str, Any], key: str, where: str) -> str:
    value = entry.get(key, "")
    if not isinstance(value, str):
        raise NeedsFileError(f"{where}: {key} must be text")
    return value


def _texts(entry: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise NeedsFileError(f"{where}: {key} must be a list of texts")
    return tuple(value)


def _date(value: Any, where: str) -> date | None:
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    raise NeedsFileError(f"{where}: deadline must be a date (2027-03-31)")
