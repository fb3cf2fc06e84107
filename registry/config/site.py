"""The ``[site]`` and ``[mail]`` tables: how the public site presents itself and sends mail.

Kept apart from the sources and paths in ``registry.config`` because only the web application
and the mailer read them. Parsed by :func:`parse_site` and :func:`parse_mail`, with the same
refusals as everything else in the file (unknown keys, wrong types, a literal password).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .values import ConfigError, read_table, string


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """``[site]``: how the public site presents itself and signs what it hands out."""

    base_url: str = "http://127.0.0.1:8000"
    """The address people use; links in e-mails and feeds start with it. Cookies are sent
    only over HTTPS unless this is a loopback http address (local development)."""
    contact_email: str = "barrierefreiheit@allmende.example"
    """Shown in the accessibility statement and on error pages: where readers write to."""
    rate_limit_storage: str = "memory://"
    """Where login and registration throttling counts attempts: ``memory://`` for one server
    process, ``redis://host:6379`` when several processes serve the site."""
    trusted_proxies: int = 0
    """How many reverse proxies in front of the server set ``X-Forwarded-For``/``-Proto``/
    ``-Host``. 0 (direct): those headers are ignored, since anybody can send them; behind one
    nginx: 1, so throttling counts each visitor and not the proxy."""


MAIL_SECURITY = ("starttls", "tls", "none")


@dataclass(frozen=True, slots=True)
class MailConfig:
    """``[mail]``: the SMTP server for verification, password reset and notifications.

    Without a ``host`` no mail leaves the machine: each message is written to
    ``<data_dir>/mail/`` and logged, so a local installation still works end to end."""

    host: str = ""
    port: int = 587
    security: str = "starttls"
    username: str = ""
    password_env: str | None = None
    sender: str = "Allmende <noreply@allmende.example>"
    timeout: float = 20.0

    def password(self, environ: Mapping[str, str] | None = None) -> str | None:
        if not self.password_env:
            return None
        return (os.environ if environ is None else environ).get(self.password_env) or None


_SITE_KEYS = {"base_url", "contact_email", "rate_limit_storage", "trusted_proxies"}
_MAIL_KEYS = {"host", "port", "security", "username", "password_env", "sender", "timeout"}


def parse_site(raw: Mapping[str, Any], where: Path | None) -> SiteConfig:
    table = read_table(raw, "site", _SITE_KEYS, where)
    default = SiteConfig()
    base_url = string(table, "base_url", default.base_url, where).rstrip("/")
    if not base_url.startswith(("https://", "http://")):
        raise ConfigError(f"{where}: [site] base_url must start with https:// or http://")
    proxies = table.get("trusted_proxies", 0)
    if isinstance(proxies, bool) or not isinstance(proxies, int) or not 0 <= proxies <= 5:
        raise ConfigError(f"{where}: [site] trusted_proxies must be a whole number from 0 to 5")
    return SiteConfig(base_url=base_url, trusted_proxies=proxies,
                      contact_email=string(table, "contact_email", default.contact_email, where),
                      rate_limit_storage=string(table, "rate_limit_storage",
                                                 default.rate_limit_storage, where))


def parse_mail(raw: Mapping[str, Any], where: Path | None) -> MailConfig:
    table = read_table(raw, "mail", _MAIL_KEYS | {"password"}, where)
    if "password" in table:
        raise ConfigError(f"{where}: the SMTP password never goes into the configuration file; "
                          "put it in an environment variable and name it with password_env")
    default = MailConfig()
    security = string(table, "security", default.security, where)
    if security not in MAIL_SECURITY:
        raise ConfigError(f"{where}: [mail] security must be one of {', '.join(MAIL_SECURITY)}")
    port, timeout = table.get("port", default.port), table.get("timeout", default.timeout)
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise ConfigError(f"{where}: [mail] port must be a port number")
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        raise ConfigError(f"{where}: [mail] timeout must be a positive number of seconds")
    password_env = table.get("password_env")
    if password_env is not None and not isinstance(password_env, str):
        raise ConfigError(f"{where}: [mail] password_env must name an environment variable")
    return MailConfig(host=string(table, "host", "", where), port=port, security=security,
                      username=string(table, "username", "", where),
                      password_env=password_env,
                      sender=string(table, "sender", default.sender, where),
                      timeout=float(timeout))
