"""``allmende mail test TO`` and ``allmende mail send``; and the notification step that ends
``allmende harvest``. Mail problems are reported, but they never change a harvest's exit
code: the catalogue was harvested, and pending notifications wait for the next run.
"""

from __future__ import annotations

import logging
import sys

import click

from . import context


@click.group("mail")
def mail_group() -> None:
    """Check the mail settings and send what is pending (notifications, messages, digests)."""


@mail_group.command("test")
@click.argument("to")
def mail_test(to: str) -> None:
    """Send a test mail to TO with the [mail] settings.

    Exit status: 0 when it was sent (or written to <data_dir>/mail/ without a host), 1 when
    sending failed, 2 when TO is not one e-mail address.
    """
    from ..mail import Mailer, MailError, UnsafeHeader
    from ..mail_texts import test_mail

    _log_to_stderr()
    settings = context.current().settings
    subject, body = test_mail()
    try:
        Mailer.from_settings(settings).send(to, subject, body)
    except UnsafeHeader as exc:
        click.echo(f"allmende: {exc}", err=True)
        sys.exit(2)
    except MailError as exc:
        click.echo(f"allmende: {exc}", err=True)
        sys.exit(1)
    mail = settings.mail
    if mail.host:
        click.echo(f"test mail to {to} sent via {mail.host}:{mail.port} ({mail.security})")
    else:
        click.echo(f"no [mail] host configured: the test mail to {to} was written to "
                   f"{settings.mail_dir}/")


@mail_group.command("send")
def mail_send() -> None:
    """Send pending mail now: maintainer notifications, relayed messages, need digests and
    reminders (a harvest does this when it ends).

    Exit status: 0 when it ran (mails that failed stay pending, see the log), 3 when a
    harvest is running (it sends them itself when it ends).
    """
    from harvesters.lock import HarvestAlreadyRunning, harvest_lock

    _log_to_stderr()
    settings = context.current().settings
    engine = context.current().engine()
    try:
        with harvest_lock(settings.data_dir, engine):
            send_notifications(engine, settings)
    except HarvestAlreadyRunning as exc:
        click.echo(f"allmende: {exc}", err=True)
        sys.exit(3)


def send_notifications(engine, settings) -> None:
    """Send what is pending — maintainer notifications, relayed messages between towns, the
    daily digests of new matches for needs, reminders for silent needs — and print a line
    for each (``notifications: N sent``); never raises: what failed stays pending."""
    from .. import relay
    from ..mail import Mailer
    from ..needs import digest, reminders
    from ..notifications import send_pending

    for label, send in (("notifications", send_pending),
                        ("relayed messages", relay.send_pending),
                        ("need digests", digest.send_digests),
                        ("need reminders", reminders.send_reminders)):
        try:
            sent = send(engine, settings, Mailer.from_settings(settings))
        except Exception:  # noqa: BLE001 - mail must never undo or stop the work before it
            logging.getLogger(__name__).exception("sending %s failed", label)
            click.echo(f"allmende: {label} could not be sent; they stay pending for the "
                       "next run (see the log)", err=True)
        else:
            click.echo(f"{label}: {sent} sent")


def _log_to_stderr() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s",
                        stream=sys.stderr)


def register(group: click.Group) -> None:
    group.add_command(mail_group)
