"""The daily digest of new matches: who hears of it, at most daily, retry-safe.

The matches are ``NeedMatch`` rows as ``market.recompute`` stores them; mails go to a real
SMTP server on 127.0.0.1; the clock is passed in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from registry.accounts import accounts
from registry.db import session_scope
from registry.mail import Mailer
from registry.models import Account, Need, NeedMatch, Solution, Source
from registry.needs import digest, service
from tests.registry.test_relay import T0, make_towns
from tests.smtp import mail_settings

NOW = T0 + timedelta(days=3)


@pytest.fixture
def towns(engine):
    """tests/registry/test_relay.py's towns and two solutions; the need (of Gemeinde
    Beispielheim, posted by Eva) has no matches yet."""
    ids = make_towns(engine)
    with session_scope(engine) as session:
        source = Source(name="test", type="files")
        session.add(source)
        session.flush()
        for key, name in (("termine", "Terminbuchung"), ("formulare", "Formularserver")):
            solution = Solution(url=f"https://git.example/{key}", source_id=source.id,
                                status="valid", quality="valid", name=name,
                                first_seen_at=T0, last_harvested_at=T0, last_changed_at=T0)
            session.add(solution)
            session.flush()
            ids[key] = solution.id
        session.commit()
    return ids


@pytest.fixture
def settings(smtp_server, tmp_path):
    return mail_settings(smtp_server, tmp_path)


def found(engine, need_id: int, kind: str, target_id: int, when) -> None:
    with session_scope(engine) as session:
        rank = len(session.exec(select(NeedMatch).where(NeedMatch.need_id == need_id)).all())
        session.add(NeedMatch(need_id=need_id, kind=kind, target_id=target_id, rank=rank,
                              score=1.0, reasons=[], first_found_at=when, computed_at=when))
        session.commit()


def run(engine, settings, now) -> int:
    return digest.send_digests(engine, settings, Mailer.from_settings(settings), now=now)


def pending(engine) -> int:
    with Session(engine) as session:
        return len(session.exec(select(NeedMatch).where(NeedMatch.notified_at.is_(None))).all())


def test_new_matches_are_told_to_the_members_author_first(engine, towns, settings,
                                                          smtp_server):
    found(engine, towns["need"], "solution", towns["termine"], T0)
    found(engine, towns["need"], "organisation", towns["muster"], T0)
    assert run(engine, settings, NOW) == 2
    mails = smtp_server.wait_for(2)
    assert [m.rcpt_tos[0] for m in mails] == ["eva@beispielheim.de", "bo@beispielheim.de"]
    text = mails[0].message.get_content()
    assert "Terminbuchung" in text and "Stadt Musterstadt" in text
    assert f"https://allmende.example/bedarfe/{towns['need']}" in text
    assert "Digitale Terminvergabe need" in mails[0].message["Subject"]
    assert pending(engine) == 0
    with Session(engine) as session:
        assert session.get(Need, towns["need"]).matches_notified_at == NOW
    assert run(engine, settings, NOW) == 0  # idempotent
    assert len(smtp_server.messages) == 2


def test_at_most_one_digest_a_day(engine, towns, settings, smtp_server):
    found(engine, towns["need"], "solution", towns["termine"], T0)
    assert run(engine, settings, NOW) == 2
    found(engine, towns["need"], "solution", towns["formulare"], NOW + timedelta(hours=1))
    assert run(engine, settings, NOW + timedelta(hours=23, minutes=59)) == 0
    assert pending(engine) == 1
    assert run(engine, settings, NOW + timedelta(hours=24)) == 2
    latest = smtp_server.wait_for(4)[-1].message.get_content()
    assert "Formularserver" in latest and "Terminbuchung" not in latest  # only what is new
    assert pending(engine) == 0


def test_a_failed_delivery_stays_pending(engine, towns, settings, smtp_server):
    found(engine, towns["need"], "solution", towns["termine"], T0)
    smtp_server.fail_with = "451 4.3.0 try again later"
    assert run(engine, settings, NOW) == 0
    assert pending(engine) == 1
    with Session(engine) as session:
        assert session.get(Need, towns["need"]).matches_notified_at is None
    smtp_server.fail_with = None
    assert run(engine, settings, NOW + timedelta(minutes=5)) == 2
    assert pending(engine) == 0


def test_hidden_and_closed_needs_and_needs_nobody_can_hear_of_wait(engine, towns, settings,
                                                                   smtp_server):
    found(engine, towns["need"], "solution", towns["termine"], T0)
    found(engine, towns["closed_need"], "solution", towns["termine"], T0)
    with session_scope(engine) as session:
        admin = session.get(Account, towns["admin"])
        service.set_hidden(session, admin, session.get(Need, towns["need"]), hidden=True)
        service.set_status(session, session.get(Account, towns["second"]),
                           session.get(Need, towns["closed_need"]), "withdrawn", now=T0)
        session.commit()
    assert run(engine, settings, NOW) == 0 and pending(engine) == 2
    with session_scope(engine) as session:
        service.set_hidden(session, session.get(Account, towns["admin"]),
                           session.get(Need, towns["need"]), hidden=False)
        for key in ("recipient", "second"):
            accounts.suspend(session, session.get(Account, towns[key]), actor_id=towns["admin"],
                             reason="test")
        session.commit()
    assert run(engine, settings, NOW) == 0 and pending(engine) == 2  # nobody may be told
    assert smtp_server.messages == []


def test_matches_whose_target_is_gone_are_marked_without_mail(engine, towns, settings,
                                                             smtp_server):
    found(engine, towns["need"], "solution", 999_999, T0)
    assert run(engine, settings, NOW) == 0
    assert pending(engine) == 0 and smtp_server.messages == []
