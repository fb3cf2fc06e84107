"""A registration must never make the registry reach a non-public address.

Every check here runs with the real policy (``allow_private=False``). Registrations are
written directly, as if an earlier, laxer setting had accepted their URL, so the fetch layer
itself is what refuses (``test_repository_urls`` covers the refusals at parse time). Names
never reach real DNS: a fake resolver answers. Each refusal leaves a clear message and
nothing else: no findings, no harvest request, no request to the server.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from registry.config import Settings
from registry.fetch import SafeFetcher
from registry.models import HarvestRequest, Registration, Solution, utcnow
from registry.registrations import check_registration, new_verify_token
from tests.dns import fake_dns


@pytest.fixture
def strict(tmp_path, engine) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=str(engine.url))


def register(session, account, url: str, forge_type: str) -> Registration:
    registration = Registration(account_id=account.id, url=url, forge_type=forge_type,
                                verify_token=new_verify_token(), webhook_salt="s" * 32,
                                created_at=utcnow())
    session.add(registration)
    session.commit()
    return registration


def assert_refused(engine, session, registration, fetcher, settings, reason: str) -> None:
    result = check_registration(session, registration, fetcher=fetcher, settings=settings)
    assert result.status == "pending"
    assert reason in result.message, result.message
    stored = session.get(Registration, registration.id)
    assert stored.status == "pending" and stored.findings == []
    assert stored.last_check_message == result.message
    assert session.exec(select(HarvestRequest)).all() == []
    assert session.exec(select(Solution)).all() == []


@pytest.mark.parametrize("forge_type", ["gitlab", "git"])
@pytest.mark.parametrize("host, reason", [
    ("127.0.0.1", "a loopback address"),
    ("localhost", "localhost resolves to 127.0.0.1, a loopback address"),
    ("10.1.2.3", "a private address"),
    ("192.168.0.10", "a private address"),
    ("169.254.169.254", "a link-local address"),
    ("[::ffff:127.0.0.1]", "IPv4-mapped form of 127.0.0.1"),
    ("2130706433", "non-standard notation"),
    ("0177.0.0.1", "non-standard notation"),
    ("repo.example.org", "repo.example.org resolves to 127.0.0.1, a loopback address"),
])
def test_non_public_addresses_are_refused(engine, account, strict, http_server, host, reason,
                                          forge_type):
    fetcher = SafeFetcher(resolver=fake_dns({"localhost": "127.0.0.1",
                                             "repo.example.org": "127.0.0.1"}))
    with Session(engine) as session:
        for scheme in ("http", "https"):
            registration = register(session, account,
                                    f"{scheme}://{host}:{http_server.port}/city/app-{scheme}",
                                    forge_type)
            assert_refused(engine, session, registration, fetcher, strict, reason)
            assert "only public internet addresses" in registration.last_check_message or \
                "non-standard" in registration.last_check_message
    assert http_server.requests == []
    assert not (strict.git_cache_dir).exists() or not any(
        p.suffix == ".git" for p in strict.git_cache_dir.iterdir())


@pytest.mark.parametrize("target, reason", [
    ("http://metadata.example/latest/meta-data/", "169.254.169.254, a link-local address"),
    ("http://127.0.0.2:{port}/", "a loopback address"),
    ("http://intranet.example/publiccode.yml", "10.1.2.3, a private address"),
])
def test_a_redirect_to_a_private_address_is_refused(engine, account, strict, http_server,
                                                    target, reason):
    """forge.example is 'public' (its one test address is allowed); where it redirects is not."""
    fetcher = SafeFetcher(resolver=fake_dns({"forge.example": "127.0.0.1",
                                             "metadata.example": "169.254.169.254",
                                             "intranet.example": "10.1.2.3"}),
                          allowed_networks=["127.0.0.1/32"])
    http_server.redirect("/city/app/-/raw/HEAD/publiccode.yml",
                         target.format(port=http_server.port))
    with Session(engine) as session:
        registration = register(session, account,
                                f"http://forge.example:{http_server.port}/city/app", "gitlab")
        assert_refused(engine, session, registration, fetcher, strict, reason)
        assert "redirected from" in registration.last_check_message
    assert [r.path for r in http_server.requests] == ["/city/app/-/raw/HEAD/publiccode.yml"]
