"""Organisations for a need and like one's own; stored matches and which of them are new."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import select

from market import match_solutions, organisations_for_need, recompute, similar_organisations
from registry.db import session_scope
from registry.models import Need, NeedMatch, Organisation

from .conftest import OPAS, T0, declare, need_of, post

AIR = ("Luftqualität überwachen", "Feinstaub und Schadstoffe in der Luft sollen laufend "
       "gemessen und öffentlich angezeigt werden.")


def reasons(match) -> dict[str, dict]:
    return {reason.code: dict(reason.values) for reason in match.reasons}


def test_users_of_the_solutions_and_towns_with_a_similar_need(engine, service, towns):
    mine = post(engine, towns, "musterstadt", *AIR, "environment")
    post(engine, towns, "nordhafen", "Messnetz für Luftqualität",
         "Wir wollen Feinstaub in der Luft an Schulen messen.", "environment")
    post(engine, towns, "kleindorf", "Luftqualität", "Feinstaub messen und anzeigen.",
         "mobility")  # another field of action: not similar
    declare(engine, towns, "beispielheim", OPAS)
    declare(engine, towns, "musterstadt", OPAS)  # the need's own town: never suggested
    need = need_of(engine, mine)
    with session_scope(engine) as session:
        found = organisations_for_need(session, need, match_solutions(session, service, need))
    by_name = {match.name: match for match in found}
    assert set(by_name) == {"Stadt Beispielheim", "Stadt Nordhafen"}
    uses = reasons(by_name["Stadt Beispielheim"])
    assert uses["uses"]["solution"].startswith("OPAS") and uses["same_land"] == {"land": "Bayern"}
    similar = reasons(by_name["Stadt Nordhafen"])["similar_need"]
    assert similar["status"] == "open" and "feinstaub" in similar["words"]
    assert "same_land" not in reasons(by_name["Stadt Nordhafen"])


def test_organisations_like_ours(engine, catalogue_ids, towns):
    post(engine, towns, "musterstadt", *AIR, "environment")
    post(engine, towns, "nordhafen", "Lärm", "Lärm an Straßen messen und zeigen.", "environment")
    declare(engine, towns, "musterstadt", OPAS)
    declare(engine, towns, "kleindorf", OPAS)
    with session_scope(engine) as session:
        own = session.get(Organisation, towns["musterstadt"]["org"])
        found = {match.name: reasons(match) for match in similar_organisations(session, own)}
    assert found["Stadt Beispielheim"] == {  # same kind, 20,000–100,000, Bayern
        "same_kind": {"kind": "municipality", "size_class": "medium"},
        "same_land": {"land": "Bayern"}}
    assert found["Stadt Nordhafen"]["shared_fields"] == {"fields": ["environment"]}
    assert "same_kind" not in found["Stadt Nordhafen"]  # as large, but far away
    assert found["Gemeinde Kleindorf"]["shared_solutions"]["solutions"][0].startswith("OPAS")
    assert "same_kind" not in found["Gemeinde Kleindorf"]  # under 5,000 inhabitants


def test_recompute_stores_matches_and_reports_only_the_new_ones(engine, index_dir, towns):
    mine = post(engine, towns, "musterstadt", *AIR, "environment")
    done = post(engine, towns, "nordhafen", *AIR, "environment")
    with session_scope(engine) as session:
        session.get(Need, done).status = "withdrawn"
        session.commit()

    first = recompute(engine, index_dir, now=T0)
    assert first.needs == 1 and first.kept == 0 and first.removed == 0
    assert {(m.need_id, m.kind) for m in first.new} == {(mine, "solution")}
    with session_scope(engine) as session:
        rows = session.exec(select(NeedMatch).order_by(NeedMatch.rank)).all()
        assert {row.need_id for row in rows} == {mine}
        top = rows[0]
        assert top.rank == 1 and top.first_found_at == T0 and top.computed_at == T0
        assert {"code": "field_of_action", "field": "environment"} in top.reasons
        top.notified_at = T0
        session.commit()
        top_id, solutions = top.target_id, len(rows)

    declare(engine, towns, "beispielheim", OPAS)  # a new organisation match, nothing else
    later = T0 + timedelta(days=1)
    second = recompute(engine, index_dir, [mine], now=later)
    assert [(m.kind, m.target_id) for m in second.new] == [
        ("organisation", towns["beispielheim"]["org"])]
    assert second.kept == solutions and second.removed == 0
    with session_scope(engine) as session:
        kept = session.exec(select(NeedMatch).where(NeedMatch.target_id == top_id,
                                                    NeedMatch.kind == "solution")).one()
        assert kept.first_found_at == T0 and kept.notified_at == T0
        assert kept.computed_at == later

    with session_scope(engine) as session:
        session.get(Need, mine).hidden_at = later
        session.commit()
    assert recompute(engine, index_dir, now=later).needs == 0  # hidden: left as it was


def test_a_recompute_meeting_another_keeps_what_the_other_stored(engine, index_dir, towns):
    """Another process (a harvest's recompute) stores the need's top match just before this one
    does: the store is done once more on what is there, nothing fails, nothing is doubled."""
    mine = post(engine, towns, "musterstadt", *AIR, "environment")
    top = match_solutions(engine, index_dir, need_of(engine, mine), limit=1)[0]
    earlier = T0 - timedelta(days=1)
    collided: list[str] = []

    def the_other_recompute(conn, cursor, statement, parameters, context, executemany):
        if collided or not statement.lstrip().upper().startswith("INSERT INTO NEEDMATCH"):
            return
        collided.append(statement)
        with engine.begin() as other:
            other.execute(sa.insert(NeedMatch.__table__).values(
                need_id=mine, kind="solution", target_id=top.id, rank=1, score=0.5,
                reasons=[], first_found_at=earlier, computed_at=earlier))

    sa.event.listen(engine, "before_cursor_execute", the_other_recompute)
    try:
        report = recompute(engine, index_dir, [mine], now=T0)
    finally:
        sa.event.remove(engine, "before_cursor_execute", the_other_recompute)

    assert collided
    assert ("solution", top.id) not in {(m.kind, m.target_id) for m in report.new}
    assert report.kept == 1
    with session_scope(engine) as session:
        rows = session.exec(select(NeedMatch).where(NeedMatch.need_id == mine,
                                                    NeedMatch.target_id == top.id,
                                                    NeedMatch.kind == "solution")).all()
        assert len(rows) == 1
        assert rows[0].first_found_at == earlier and rows[0].computed_at == T0
        assert rows[0].score == top.score
