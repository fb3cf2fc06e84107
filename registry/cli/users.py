"""``allmende user …``: accounts an operator manages from the shell.

The first admin cannot sign up through the web (nobody could approve it), so it is created
here. The password is read from a prompt (hidden, asked twice) or, for scripts, from standard
input with ``--password-stdin``; it never appears in the process list or shell history.
"""

from __future__ import annotations

import sys

import click

from .context import EXIT_USAGE, AppContext


def register(main: click.Group) -> None:
    main.add_command(user)


@click.group()
def user() -> None:
    """Manage accounts."""


@user.command("create")
@click.argument("email")
@click.option("--name", default=None, help="Display name (default: the part before the @).")
@click.option("--admin", is_flag=True, help="Make the account a site admin.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.pass_obj
def create(app: AppContext, email: str, name: str | None, admin: bool,
           password_stdin: bool) -> None:
    """Create a verified account (the operator vouches for the address)."""
    from ..accounts import AccountError, accounts
    from ..db import session_scope

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with session_scope(app.engine()) as session:
        try:
            account = accounts.create_account(
                session, email=email, password=password, name=name or email.split("@")[0],
                admin=admin, verified=True)
        except AccountError as exc:
            click.echo(f"allmende: {exc}", err=True)
            sys.exit(EXIT_USAGE)
        session.commit()
        role = "admin" if admin else "account"
        click.echo(f"created {role} {account.email} (id {account.id})")
