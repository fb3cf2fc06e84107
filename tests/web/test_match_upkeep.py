"""Matches follow a posted need in the background: the request does not wait for them."""

from __future__ import annotations

from sqlmodel import select

from registry.accounts import organisations
from registry.db import session_scope
from registry.models import Account, NeedMatch, Organisation, Solution
from registry.needs.service import post_need
from web import match_upkeep


def test_a_need_is_matched_in_the_background(app, engine, people):
    with session_scope(engine) as session:
        member = session.get(Account, people.member.id)
        town = session.get(Organisation, people.town.id)
        assert organisations.membership_of(session, member, town) is not None
        need = post_need(session, member, town, title="Abfuhrtermine für Bürger",
                         description="Wann wird welche Tonne geleert? Ein Abfallkalender "
                                     "mit Erinnerungen für alle Haushalte.",
                         field_of_action="environment")
        session.commit()
        need_id = need.id

    with app.app_context():
        match_upkeep.recompute_soon([need_id])
    assert match_upkeep.upkeep(app).wait_until_idle(timeout=120)

    with session_scope(engine) as session:
        names = session.exec(select(Solution.name).join(
            NeedMatch, NeedMatch.target_id == Solution.id).where(
            NeedMatch.need_id == need_id, NeedMatch.kind == "solution")
            .order_by(NeedMatch.rank)).all()
    assert names and names[0] == "Abfallkalender"
