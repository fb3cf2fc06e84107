"""A real SMTP server on 127.0.0.1 for tests (aiosmtpd), and settings that point at it.

``SMTPRecorder.messages`` collects what arrived, parsed with ``policy.default``, with the
envelope; ``wait_for(count)`` blocks on a condition until that many are there (no sleeps).
``fail_with`` makes the server answer every message with an SMTP error instead.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller

from registry.config import MailConfig, Settings, SiteConfig


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


class _EphemeralPortController(Controller):
    """aiosmtpd's ``Controller`` listening on a port the system picked (``port=0``).

    aiosmtpd 1.4 connects to ``self.port`` once after binding to start the protocol; with
    port 0 that would fail, so the bound port is read back from the listening socket first.
    """

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SMTPRecorder:
    def __init__(self) -> None:
        self.messages: list[Received] = []
        self.fail_with: str | None = None
        """An SMTP reply (``"451 4.3.0 try again later"``) to give instead of accepting."""
        self._changed = threading.Condition()
        self._controller = _EphemeralPortController(self, hostname="127.0.0.1", port=0)
        self._controller.start()
        self.host = "127.0.0.1"
        self.port: int = self._controller.port

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        if self.fail_with:
            return self.fail_with
        received = Received(envelope.mail_from, list(envelope.rcpt_tos),
                            message_from_bytes(envelope.original_content or envelope.content,
                                               policy=policy.default))
        with self._changed:
            self.messages.append(received)
            self._changed.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 5) -> list[Received]:
        """The first ``count`` messages, once they have arrived; AssertionError after
        ``timeout`` seconds."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.messages) >= count, timeout):
                raise AssertionError(f"expected {count} mail(s) within {timeout}s, "
                                     f"got {len(self.messages)}")
            return self.messages[:count]

    def close(self) -> None:
        self._controller.stop()


def mail_settings(server: SMTPRecorder, data_dir: Path, *,
                  base_url: str = "https://allmende.example", **overrides) -> Settings:
    """Settings whose ``[mail]`` is the recorder, plain SMTP (``security = "none"``)."""
    mail = MailConfig(host=server.host, port=server.port, security="none",
                      sender="Allmende Test <noreply@allmende.example>", timeout=5.0)
    settings = Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir / 'unused.db'}",
                        site=SiteConfig(base_url=base_url), mail=mail)
    return replace(settings, **overrides) if overrides else settings
