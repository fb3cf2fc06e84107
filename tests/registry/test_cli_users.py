"""``allmende user create``: the first admin, created from the shell."""

from __future__ import annotations

from click.testing import CliRunner
from sqlmodel import select

from registry import db
from registry.accounts import accounts
from registry.cli import main
from registry.models import Account


def invoke(database_url, *args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False,
                              env={"ALLMENDE_DATABASE_URL": database_url})


def test_create_admin_from_stdin(engine, database_url):
    result = invoke(database_url, "user", "create", "--admin", "Admin@Allmende.example",
                    "--password-stdin", input="a long enough passphrase\n")
    assert result.exit_code == 0, result.output
    assert "created admin admin@allmende.example" in result.stdout
    with db.session_scope(engine) as session:
        account = session.exec(select(Account)).one()
        assert account.is_admin and account.email_verified_at is not None
        assert accounts.authenticate(session, "admin@allmende.example",
                                     "a long enough passphrase") is not None


def test_prompted_password_is_asked_twice_and_weak_ones_refused(engine, database_url):
    result = invoke(database_url, "user", "create", "it@musterstadt.de",
                    input="short\nshort\n")
    assert result.exit_code == 2
    assert "at least 12 characters" in result.stderr
    again = invoke(database_url, "user", "create", "it@musterstadt.de", "--password-stdin",
                   input="a long enough passphrase\n")
    assert again.exit_code == 0
    taken = invoke(database_url, "user", "create", "IT@musterstadt.de", "--password-stdin",
                   input="a long enough passphrase\n")
    assert taken.exit_code == 2 and "exists already" in taken.stderr
