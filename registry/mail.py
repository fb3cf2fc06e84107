"""Sending e-mail: one ``Mailer`` built from the settings, plain-text messages, stdlib smtplib.

Without ``[mail] host`` no mail leaves the machine: each message is written to
``<data_dir>/mail/<UTC timestamp>-<random>.eml`` (directory 0700, file 0600, because the
messages carry verification and password-reset links) and logged, so a local installation
works end to end. The texts themselves live in ``registry.mail_texts``.

Every message is marked ``Auto-Submitted: auto-generated`` (RFC 3834) so that vacation
responders do not answer it. A line break in the recipient or the subject is refused
(``UnsafeHeader``) before anything is built: it is how header injection starts. Delivery
problems raise ``MailError`` with what went wrong and what to check; the password is never
part of a message or a log line.
"""

from __future__ import annotations

import logging
import os
import secrets
import smtplib
import ssl
from collections.abc import Mapping
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, make_msgid, parseaddr
from pathlib import Path
from urllib.parse import urlsplit

from .config import MailConfig, Settings

log = logging.getLogger(__name__)


class MailError(Exception):
    """A message could not be delivered; the text says why and which setting to check."""


class UnsafeHeader(ValueError):
    """A recipient or subject that would change the message's headers (a line break)."""


class Mailer:
    """``send(to, subject, text)``: over SMTP when a host is configured, else into files."""

    def __init__(self, config: MailConfig, *, mail_dir: Path, base_url: str,
                 environ: Mapping[str, str] | None = None):
        self.config = config
        self.mail_dir = mail_dir
        self.domain = urlsplit(base_url).hostname or "localhost"
        self._environ = environ

    @classmethod
    def from_settings(cls, settings: Settings,
                      environ: Mapping[str, str] | None = None) -> Mailer:
        return cls(settings.mail, mail_dir=settings.mail_dir,
                   base_url=settings.site.base_url, environ=environ)

    def build(self, to: str, subject: str, text: str, *,
              reply_to: str | None = None) -> EmailMessage:
        """The message as it will be sent: UTF-8 plain text with the headers we promise.

        ``reply_to``: the person an answer should reach (the message relay's answers), one
        address, checked like the recipient."""
        for name, value in (("recipient", to), ("subject", subject),
                            ("reply address", reply_to or "")):
            if "\r" in value or "\n" in value:
                raise UnsafeHeader(f"the mail's {name} contains a line break, which could "
                                   f"inject headers; refusing to build it: {value!r}")
        for name, value in (("recipient", to), ("reply address", reply_to)):
            if value is not None and (len(getaddresses([value])) != 1
                                      or "@" not in parseaddr(value)[1]):
                raise UnsafeHeader(f"the mail's {name} must be one e-mail address, "
                                   f"not {value!r}")
        message = EmailMessage()
        message["From"] = self.config.sender
        message["To"] = to
        if reply_to is not None:
            message["Reply-To"] = reply_to
        message["Subject"] = subject
        message["Date"] = format_datetime(datetime.now(UTC))
        message["Message-ID"] = make_msgid(domain=self.domain)
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(text, charset="utf-8")
        return message

    def send(self, to: str, subject: str, text: str, *, reply_to: str | None = None) -> None:
        """Deliver one message to one recipient; ``MailError`` when that fails."""
        message = self.build(to, subject, text, reply_to=reply_to)
        if not self.config.host:
            path = self._write(message)
            log.info("mail to %s written to %s", to, path)
            return
        self._send_smtp(message, to)
        log.info("mail to %s sent via %s", to, self.config.host)

    # -- delivery --

    def _send_smtp(self, message: EmailMessage, to: str) -> None:
        config = self.config
        where = f"{config.host}:{config.port} ({config.security})"
        password = config.password(self._environ)
        if config.username and password is None:
            raise MailError(f"cannot send mail to {to}: [mail] username is set but the password "
                            f"variable {config.password_env or '(password_env not set)'} is "
                            "empty; set it in the environment")
        try:
            if config.security == "tls":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    config.host, config.port, timeout=config.timeout,
                    context=ssl.create_default_context())
            else:
                smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
            with smtp:
                if config.security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
                if config.username:
                    smtp.login(config.username, password or "")
                smtp.send_message(message)
        except smtplib.SMTPAuthenticationError as exc:
            raise MailError(f"cannot send mail to {to}: the SMTP server {where} refused the "
                            f"login ({_reply(exc)}); check [mail] username and the password "
                            "variable") from exc
        except smtplib.SMTPRecipientsRefused as exc:
            reasons = "; ".join(_reply(error) for error in exc.recipients.values())
            raise MailError(f"cannot send mail to {to}: the SMTP server {where} refused the "
                            f"recipient ({reasons})") from exc
        except smtplib.SMTPResponseException as exc:
            raise MailError(f"cannot send mail to {to}: the SMTP server {where} answered "
                            f"{_reply(exc)}") from exc
        except smtplib.SMTPNotSupportedError as exc:
            raise MailError(f"cannot send mail to {to}: the SMTP server {where} does not offer "
                            f"what was asked ({exc}); check [mail] security") from exc
        except ssl.SSLError as exc:
            raise MailError(f"cannot send mail to {to}: TLS with {where} failed ({exc}); check "
                            "[mail] security (starttls on 587, tls on 465)") from exc
        except (smtplib.SMTPException, OSError) as exc:
            reason = ("timed out" if isinstance(exc, TimeoutError)
                      else getattr(exc, "strerror", None) or str(exc))
            raise MailError(f"cannot send mail to {to}: the SMTP server {where} could not be "
                            f"reached or broke off ({reason}); check [mail] host, port and "
                            "security") from exc

    def _write(self, message: EmailMessage) -> Path:
        self.mail_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self.mail_dir, 0o700)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        path = self.mail_dir / f"{stamp}-{secrets.token_hex(4)}.eml"
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as file:
                file.write(bytes(message))
        except OSError as exc:
            raise MailError(f"cannot write the mail to {path}: {exc.strerror}") from exc
        return path


def _reply(exc: smtplib.SMTPResponseException | tuple) -> str:
    code, text = (exc.smtp_code, exc.smtp_error) if isinstance(
        exc, smtplib.SMTPResponseException) else exc
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}"
