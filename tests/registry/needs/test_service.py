"""Posting needs, who may change them, the life cycle, moderation, and bad input."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from registry.accounts import AccountError, accounts, organisations
from registry.db import session_scope
from registry.models import NEED_STATUSES, Adoption, AuditEntry, Need, Solution, Source
from registry.needs import service
from registry.needs.service import NeedFields

PASSWORD = "correct horse battery staple"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TEXT = "Wir suchen ein Werkzeug für die Online-Terminvergabe im Bürgerbüro."


def account(session, email, *, verified=True, admin=False):
    return accounts.create_account(session, email=email, password=PASSWORD, name=email,
                                   verified=verified, admin=admin)


@pytest.fixture
def town(engine):
    """An admin, a member of Stadt Musterstadt, a stranger, and a solution."""
    with session_scope(engine) as session:
        admin = account(session, "admin@allmende.example", admin=True)
        org = organisations.create_organisation(
            session, actor_id=admin.id, name="Stadt Musterstadt", kind="municipality",
            state="Bayern", official_key="09162000", email_domain="musterstadt.de")
        member = account(session, "it@musterstadt.de")
        organisations.join(session, member, org)
        stranger = account(session, "jo@example.org")
        source = Source(name="test", type="files")
        session.add(source)
        session.flush()
        solution = Solution(url="https://git.example/termine", source_id=source.id,
                            status="valid", quality="valid", name="Terminbuchung",
                            first_seen_at=T0, last_harvested_at=T0, last_changed_at=T0)
        session.add(solution)
        session.commit()
        return {"admin": admin.id, "org": org.id, "member": member.id,
                "stranger": stranger.id, "solution": solution.id}


def post(session, ids, who="member", **overrides):
    from registry.models import Account, Organisation

    values = {"title": "Online-Terminvergabe", "description": TEXT,
              "field_of_action": "administration", "now": T0} | overrides
    return service.post_need(session, session.get(Account, ids[who]),
                             session.get(Organisation, ids["org"]), **values)


def test_a_member_posts_a_need_and_it_is_audited(engine, town):
    with session_scope(engine) as session:
        need = post(session, town, categories=["appointment-scheduling"],
                    operating_models=["saas", "it_provider"], budget_band="under_10k",
                    platforms=[" web ", "web"], deadline=date(2026, 9, 1), contact_ok=True)
        session.commit()
        stored = session.get(Need, need.id)
        assert stored.status == "open" and stored.platforms == ["web"]
        assert stored.last_activity_at == T0
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "need.post")).one()
        assert entry.subject_id == need.id and entry.actor_id == town["member"]


@pytest.mark.parametrize(("overrides", "code"), [
    ({"title": "   "}, "title_missing"),
    ({"title": "x" * 151}, "title_too_long"),
    ({"description": "zu kurz"}, "description_too_short"),
    ({"description": "x" * 5001}, "description_too_long"),
    ({"description": TEXT + "\x00"}, "control_character"),
    ({"field_of_action": "weltraum"}, "field_of_action"),
    ({"categories": ["not-a-category"]}, "categories"),
    ({"operating_models": ["blockchain"]}, "operating_models"),
    ({"budget_band": "unendlich"}, "budget_band"),
    ({"platforms": ["p" * 61]}, "platforms"),
])
def test_bad_input_is_refused_and_nothing_is_stored(engine, town, overrides, code):
    with session_scope(engine) as session:
        with pytest.raises(AccountError) as error:
            post(session, town, **overrides)
        assert error.value.code == code
        session.commit()
        assert session.exec(select(Need)).all() == []


@pytest.mark.parametrize("who", ["stranger", "admin"])
def test_only_members_post_for_their_organisation(engine, town, who):
    with session_scope(engine) as session:
        with pytest.raises(AccountError) as error:
            post(session, town, who=who)
        assert error.value.code == "not_member"


def test_unverified_and_suspended_members_may_not_post(engine, town):
    from registry.models import Account

    with session_scope(engine) as session:
        member = session.get(Account, town["member"])
        member.suspended_at = T0
        session.commit()
        with pytest.raises(AccountError):
            post(session, town)


def test_others_may_not_edit_or_move_a_need(engine, town):
    from registry.models import Account

    with session_scope(engine) as session:
        need = post(session, town)
        stranger = session.get(Account, town["stranger"])
        with pytest.raises(AccountError):
            service.edit_need(session, stranger, need, NeedFields("Anders", TEXT, "mobility"))
        with pytest.raises(AccountError):
            service.set_status(session, stranger, need, "withdrawn")
        assert need.title == "Online-Terminvergabe" and need.status == "open"


def test_the_life_cycle_ends_solved_with_a_declared_adoption(engine, town):
    from registry.models import Account

    with session_scope(engine) as session:
        need = post(session, town)
        member = session.get(Account, town["member"])
        service.set_status(session, member, need, "in_exchange", now=T0)
        with pytest.raises(AccountError) as error:
            service.set_status(session, member, need, "solved")
        assert error.value.code == "solution_required"
        solution = session.get(Solution, town["solution"])
        service.set_status(session, member, need, "solved", solution=solution, now=T0)
        session.commit()
        assert need.status == "solved" and need.solved_with_id == solution.id
        adoption = session.exec(select(Adoption).where(Adoption.origin == "declared")).one()
        assert adoption.organisation_id == town["org"] and adoption.solution_id == solution.id
        with pytest.raises(AccountError) as error:
            service.set_status(session, member, need, "in_exchange")
        assert error.value.code == "status_transition"
        service.set_status(session, member, need, "open")
        assert need.solved_with_id is None
        actions = session.exec(select(AuditEntry.action).where(
            AuditEntry.subject_type == "need")).all()
        assert actions.count("need.status") == 3


def test_editing_audits_the_changed_fields_and_clears_the_reminder(engine, town):
    from registry.models import Account

    with session_scope(engine) as session:
        need = post(session, town)
        need.reminded_at = T0
        member = session.get(Account, town["member"])
        later = T0.replace(month=5)
        service.edit_need(session, member, need, NeedFields(
            "Online-Terminvergabe", TEXT, "participation", contact_ok=True), now=later)
        session.commit()
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "need.edit")).one()
        assert entry.detail["fields"] == ["contact_ok", "field_of_action"]
        assert need.last_activity_at == later and need.reminded_at is None


def test_admins_hide_needs_members_cannot(engine, town):
    from registry.models import Account

    with session_scope(engine) as session:
        need = post(session, town)
        with pytest.raises(AccountError):
            service.set_hidden(session, session.get(Account, town["member"]), need, hidden=True)
        service.set_hidden(session, session.get(Account, town["admin"]), need, hidden=True,
                           reason="Werbung")
        assert need.hidden_at is not None and need.hidden_reason == "Werbung"


def test_every_status_has_its_transitions():
    assert set(service.TRANSITIONS) == set(NEED_STATUSES)
    assert all(set(targets) <= set(NEED_STATUSES) for targets in service.TRANSITIONS.values())
