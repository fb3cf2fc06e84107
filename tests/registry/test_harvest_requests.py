"""The harvest request queue: coalescing, replayed deliveries, claim order, abandoned claims."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from registry.harvest_requests import (
    STALE_AFTER,
    claim_next,
    finish,
    pending_count,
    request_harvest,
)
from registry.models import HarvestRequest, utcnow

URL = "https://gitlab.example.org/city/app"


def test_waiting_requests_for_one_url_coalesce(engine):
    with Session(engine) as session:
        first = request_harvest(session, URL, "webhook")
        again = request_harvest(session, URL + ".git/", "api")
        assert again.id == first.id
        other = request_harvest(session, "https://gitlab.example.org/city/other", "api")
        assert other.id != first.id
        assert pending_count(session) == 2


def test_a_started_request_does_not_swallow_a_new_push(engine):
    with Session(engine) as session:
        first = request_harvest(session, URL, "webhook")
        assert claim_next(session).id == first.id
        second = request_harvest(session, URL, "webhook")
        assert second.id != first.id


def test_a_replayed_delivery_changes_nothing(engine):
    with Session(engine) as session:
        first = request_harvest(session, URL, "webhook", delivery_id="d-1")
        assert request_harvest(session, URL, "webhook", delivery_id="d-1") is None
        claim_next(session)
        finish(session, first, "updated")
        assert request_harvest(session, URL, "webhook", delivery_id="d-1") is None
        assert len(session.exec(select(HarvestRequest)).all()) == 1


def test_a_coalesced_delivery_is_remembered(engine):
    with Session(engine) as session:
        first = request_harvest(session, URL, "api")
        assert request_harvest(session, URL, "webhook", delivery_id="d-2").id == first.id
        assert request_harvest(session, URL, "webhook", delivery_id="d-2") is None
        # a second delivery coalescing into a request that already has an id is still queued
        assert request_harvest(session, URL, "webhook", delivery_id="d-3").id == first.id


def test_claims_go_oldest_first_and_only_once(engine):
    now = utcnow()
    with Session(engine) as session:
        newer = request_harvest(session, "https://a.example/x/newer", "api", now=now)
        older = request_harvest(session, "https://a.example/x/older", "api",
                                now=now - timedelta(minutes=5))
        assert claim_next(session).id == older.id
        assert claim_next(session).id == newer.id
        assert claim_next(session) is None
        finish(session, older, "updated: https://a.example/x/older")
        stored = session.get(HarvestRequest, older.id, populate_existing=True)
        assert stored.finished_at is not None and stored.outcome.startswith("updated")
        assert pending_count(session) == 1


def test_an_abandoned_claim_is_claimed_again(engine):
    with Session(engine) as session:
        request = request_harvest(session, URL, "api")
        long_ago = utcnow() - STALE_AFTER - timedelta(minutes=1)
        assert claim_next(session, now=long_ago).id == request.id
        assert claim_next(session, now=long_ago) is None  # still fresh at that time
        again = claim_next(session)
        assert again.id == request.id and again.started_at > long_ago
