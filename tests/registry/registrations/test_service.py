"""Registration end to end against a fake forge on 127.0.0.1: proofs, findings, failures."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from sqlmodel import Session, select

from registry.models import AuditEntry, HarvestRequest, Registration
from registry.registrations import (
    RegistrationError,
    RepositoryFiles,
    check_registration,
    start_registration,
    webhook_secret,
)
from registry.registrations.webhook import signature_matches, webhook_secret_matches

from .conftest import CONTACT, VALID, make_account


def gitlab_url(server, path: str = "/city/app") -> str:
    return server.url(path)


def serve(server, files: dict[str, bytes | str], repo: str = "/city/app") -> None:
    """GitLab's raw-file URLs on the default branch."""
    for name, body in files.items():
        server.add(f"{repo}/-/raw/HEAD/{name}", body)


def start(session, account, server, forge_type="gitlab"):
    return start_registration(session, account, gitlab_url(server), forge_type,
                              allow_private=True)


def check(session, registration, fetcher, settings, **options):
    return check_registration(session, registration, fetcher=fetcher, settings=settings,
                              **options)


def test_start_is_idempotent_and_audited(engine, account, http_server):
    with Session(engine) as session:
        first = start(session, account, http_server)
        again = start(session, account, http_server)
        assert first.id == again.id
        assert first.status == "pending"
        assert first.verify_token.startswith("allmende-verify-")
        assert len(first.verify_token) == len("allmende-verify-") + 24
        assert len(first.webhook_salt) >= 32
        actions = session.exec(select(AuditEntry.action)).all()
        assert actions == ["registration.create"]


def test_start_refuses_a_bad_url(engine, account):
    with Session(engine) as session, pytest.raises(RegistrationError, match="https://"):
        start_registration(session, account, "http://github.com/a/b")


def test_file_proof_verifies_and_queues_a_harvest(engine, account, http_server, fetcher,
                                                  settings):
    with Session(engine) as session:
        registration = start(session, account, http_server)
        serve(http_server, {"publiccode.yml": VALID,
                            ".allmende-verify": f"\n  {registration.verify_token}\n"})
        result = check(session, registration, fetcher, settings)
        assert result.verified and result.proof == "file", result.message
        assert result.valid is True
        stored = session.get(Registration, registration.id)
        assert (stored.status, stored.proof) == ("verified", "file")
        assert stored.verified_at is not None and stored.last_checked_at is not None
        assert "Ownership proven" in stored.last_check_message
        [request] = session.exec(select(HarvestRequest)).all()
        assert (request.url, request.reason) == (stored.url, "registration")
        assert "registration.verify" in session.exec(select(AuditEntry.action)).all()


def test_email_proof_needs_a_verified_address(engine, http_server, fetcher, settings):
    verified = make_account(engine, CONTACT.upper())
    unverified = make_account(engine, "other@example.org", verified=False)
    serve(http_server, {"publiccode.yml": VALID})
    with Session(engine) as session:
        ok = check(session, start(session, verified, http_server), fetcher, settings)
        assert (ok.status, ok.proof) == ("verified", "email"), ok.message
        pending = start(session, unverified, http_server)
        result = check(session, pending, fetcher, settings)
        assert result.status == "pending"
        assert ".allmende-verify" in result.message and pending.verify_token in result.message
        # a caller cannot substitute another address for the account's own
        result = check(session, pending, fetcher, settings, account_email=CONTACT)
        assert result.status == "pending"


def test_wrong_token_stays_pending(engine, account, http_server, fetcher, settings):
    serve(http_server, {"publiccode.yml": VALID, ".allmende-verify": "allmende-verify-nope"})
    with Session(engine) as session:
        registration = start(session, account, http_server)
        result = check(session, registration, fetcher, settings)
        assert result.status == "pending"
        assert "does not contain this registration's token" in result.message
        assert session.exec(select(HarvestRequest)).all() == []


def test_invalid_publiccode_shows_findings_with_line_and_column(engine, account, http_server,
                                                                fetcher, settings):
    broken = VALID.replace(b"developmentStatus: stable", b"developmentStatus: wobbly")
    assert broken != VALID
    with Session(engine) as session:
        registration = start(session, account, http_server)
        serve(http_server, {"publiccode.yml": broken,
                            ".allmende-verify": registration.verify_token})
        result = check(session, registration, fetcher, settings)
        assert result.valid is False and result.verified  # ownership is independent
        assert "has 1 error" in result.message
        [finding] = [f for f in result.findings if f["severity"] == "error"]
        assert finding["key"] == "developmentStatus"
        assert finding["line"] > 0 and finding["column"] > 0
        assert set(finding) == {"key", "line", "column", "message", "severity"}
        assert session.get(Registration, registration.id).findings == result.findings


def test_missing_publiccode_gives_a_clear_message(engine, account, http_server, fetcher,
                                                  settings):
    with Session(engine) as session:
        registration = start(session, account, http_server)
        result = check(session, registration, fetcher, settings)
        assert result.status == "pending"
        assert "There is no publiccode.yml" in result.message
        assert session.get(Registration, registration.id).last_check_message == result.message


def test_publiccode_yaml_spelling_counts(engine, account, http_server, fetcher, settings):
    with Session(engine) as session:
        registration = start(session, account, http_server)
        serve(http_server, {"publiccode.yaml": VALID,
                            ".allmende-verify": registration.verify_token})
        result = check(session, registration, fetcher, settings)
        assert result.verified and result.message.startswith("publiccode.yaml is valid")


def test_oversize_files_are_refused(engine, account, http_server, fetcher, settings):
    with Session(engine) as session:
        registration = start(session, account, http_server)
        serve(http_server, {"publiccode.yml": b"x" * (1024 * 1024 + 1)})
        result = check(session, registration, fetcher, settings)
        assert result.status == "pending" and "larger than the limit of 1 MiB" in result.message
        serve(http_server, {"publiccode.yml": VALID,
                            ".allmende-verify": registration.verify_token + " " * 5000})
        result = check(session, registration, fetcher, settings)
        assert result.status == "pending" and "larger than the limit of 4 KiB" in result.message


def test_a_private_repository_is_named_as_such(engine, account, http_server, fetcher, settings):
    http_server.add("/city/app/-/raw/HEAD/publiccode.yml", status=403)
    with Session(engine) as session:
        result = check(session, start(session, account, http_server), fetcher, settings)
    assert "is not public" in result.message


def test_a_login_redirect_is_not_a_file(engine, account, http_server, fetcher, settings):
    http_server.redirect("/city/app/-/raw/HEAD/publiccode.yml", "/users/sign_in")
    http_server.add("/users/sign_in", "<html>login</html>")
    with Session(engine) as session:
        result = check(session, start(session, account, http_server), fetcher, settings)
    assert result.status == "pending" and "is the repository public?" in result.message


def test_github_raw_host_and_gitea_default_branch(engine, account, http_server, fetcher,
                                                  settings):
    http_server.add("/raw/city/app/HEAD/publiccode.yml", VALID)
    http_server.add("/api/v1/repos/town/tool", '{"default_branch": "trunk"}')
    http_server.add("/town/tool/raw/branch/trunk/publiccode.yml", VALID)
    with Session(engine) as session:
        github = start_registration(session, account, "https://github.com/city/app")
        files = RepositoryFiles(fetcher, settings.git_cache_dir,
                                github_raw=http_server.url("/raw"))
        http_server.add("/raw/city/app/HEAD/.allmende-verify", github.verify_token)
        assert check(session, github, fetcher, settings, files=files).verified
        gitea = start_registration(session, account, http_server.url("/town/tool"), "gitea",
                                   allow_private=True)
        http_server.add("/town/tool/raw/branch/trunk/.allmende-verify", gitea.verify_token)
        assert check(session, gitea, fetcher, settings).verified


def test_a_reverified_registration_stays_verified_when_a_check_fails(engine, account,
                                                                      http_server, fetcher,
                                                                      settings):
    with Session(engine) as session:
        registration = start(session, account, http_server)
        serve(http_server, {"publiccode.yml": VALID,
                            ".allmende-verify": registration.verify_token})
        assert check(session, registration, fetcher, settings).verified
        http_server.add("/city/app/-/raw/HEAD/publiccode.yml", status=500)
        result = check(session, registration, fetcher, settings)
        assert result.status == "verified" and "HTTP 500" in result.message
        assert len(session.exec(select(HarvestRequest)).all()) == 1  # no second harvest


def test_webhook_secret_is_derived_and_checked(engine, account, http_server):
    with Session(engine, expire_on_commit=False) as session:
        registration = start(session, account, http_server)
    key = "k" * 40
    secret = webhook_secret(key, registration)
    assert len(secret) == 64 and secret == webhook_secret(key, registration)
    assert secret != webhook_secret("j" * 40, registration)
    assert webhook_secret_matches(key, registration, secret)
    other_digit = "1" if secret[-1] == "0" else "0"  # always a different secret
    assert not webhook_secret_matches(key, registration, secret[:-1] + other_digit)
    body = b'{"ref": "refs/heads/main"}'
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    assert signature_matches(key, registration, body, signature)
    assert not signature_matches(key, registration, body + b" ", signature)
