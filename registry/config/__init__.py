"""Configuration: ``config.toml`` plus environment overrides, read once into frozen dataclasses.

Which file: ``--config PATH``, else ``$ALLMENDE_CONFIG``, else ``config.toml`` in the current
directory, else the embedded defaults (so ``allmende validate`` works anywhere). Relative paths
in a file are relative to that file, so a config behaves the same from any working directory.

Secrets never live in the file: a source names the environment variable that holds its token
(``token_env``); a literal ``token`` key is refused so it cannot slip into version control.
Every key is documented in docs/configuration.md; tests/registry/test_config.py fails when one
is not. Modules: this one (the file, paths, sources), ``site`` (the ``[site]`` and ``[mail]``
tables), ``needs`` (the ``[needs]`` table) and ``values`` (the error type and typed reads all
of them share).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .needs import NeedsConfig, parse_needs
from .site import (
    MAIL_SECURITY,
    MailConfig,
    SiteConfig,
    parse_mail,
    parse_site,
)
from .values import ConfigError, string

__all__ = [
    "CONFIG_ENV", "DATABASE_URL_ENV", "DATA_DIR_ENV", "MAIL_SECURITY", "SECRET_KEY_ENV",
    "SOURCE_TYPES", "ConfigError", "MailConfig", "NeedsConfig", "Settings", "SiteConfig",
    "SourceConfig", "load_settings",
]

CONFIG_ENV = "ALLMENDE_CONFIG"
DATABASE_URL_ENV = "ALLMENDE_DATABASE_URL"
DATA_DIR_ENV = "ALLMENDE_DATA_DIR"
SECRET_KEY_ENV = "ALLMENDE_SECRET_KEY"  # noqa: S105 (the variable's name, not a secret)

SOURCE_TYPES = ("gitlab", "github", "gitea", "git", "demo", "files", "registered")
"""``demo`` turns the bundled examples into Git repositories and harvests them; ``files``
imports publiccode.yml files from a local folder as they are; ``registered`` harvests the
repositories maintainers registered (built in; configure it only to rename or disable it)."""


@dataclass(frozen=True, slots=True)
class SourceConfig:
    """One ``[[sources]]`` table. Operator-configured, hence trusted to point at any host."""

    name: str
    type: str
    url: str | None = None
    groups: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()
    repositories: tuple[str, ...] = ()
    path: Path | None = None
    token_env: str | None = None
    enabled: bool = True
    activity: bool = True
    """Measure activity from a git clone per repository (maintenance signals)."""

    def token(self, environ: Mapping[str, str] | None = None) -> str | None:
        """The token from the named environment variable, read at use time, never stored."""
        if not self.token_env:
            return None
        return (os.environ if environ is None else environ).get(self.token_env) or None


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path
    database_url: str
    sources: tuple[SourceConfig, ...] = ()
    allow_private_addresses: bool = False
    """Let user-given URLs reach loopback/private addresses: only for tests and closed networks."""
    harvest_workers: int = 4
    """Repositories harvested at the same time (threads); forges' rate limits set the ceiling."""
    config_path: Path | None = None
    site: SiteConfig = SiteConfig()
    mail: MailConfig = MailConfig()
    needs: NeedsConfig = NeedsConfig()

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def git_cache_dir(self) -> Path:
        return self.data_dir / "git"

    @property
    def mail_dir(self) -> Path:
        """Where messages go when no SMTP host is configured."""
        return self.data_dir / "mail"

    @property
    def secret_key_file(self) -> Path:
        """The generated secret key when ``ALLMENDE_SECRET_KEY`` is not set."""
        return self.data_dir / "secret_key"

    def source(self, name: str) -> SourceConfig:
        for source in self.sources:
            if source.name == name:
                return source
        known = ", ".join(s.name for s in self.sources) or "none"
        raise ConfigError(f'no source named "{name}" in the configuration (known: {known})')


_TOP_KEYS = {"data_dir", "database_url", "allow_private_addresses", "harvest_workers",
             "sources", "site", "mail", "needs"}
_SOURCE_KEYS = {"name", "type", "url", "groups", "orgs", "repositories", "path", "token_env",
                "enabled", "activity"}


def load_settings(
    path: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Read the configuration; raise ``ConfigError`` with a helpful message when it is wrong."""
    env = os.environ if environ is None else environ
    config_path = _choose_file(path, env)
    raw: dict[str, Any] = {}
    if config_path is not None:
        try:
            raw = tomllib.loads(config_path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ConfigError(f"cannot read configuration {config_path}: {exc.strerror}") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{config_path} is not valid TOML: {exc}") from None
    base = config_path.parent if config_path else Path.cwd()

    unknown = set(raw) - _TOP_KEYS
    if unknown:
        raise ConfigError(f"{config_path}: unknown setting(s) {', '.join(sorted(unknown))}; "
                          "see docs/configuration.md")
    data_dir = Path(env.get(DATA_DIR_ENV) or string(raw, "data_dir", "data", config_path))
    data_dir = data_dir if data_dir.is_absolute() else (base / data_dir)
    database_url = (env.get(DATABASE_URL_ENV)
                    or string(raw, "database_url", "", config_path)
                    or f"sqlite:///{data_dir / 'allmende.db'}")
    sources = raw.get("sources", [])
    if not isinstance(sources, list):
        raise ConfigError(f"{config_path}: sources must be a list of [[sources]] tables")
    parsed = tuple(_source(entry, i, base, config_path) for i, entry in enumerate(sources))
    names = [s.name for s in parsed]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ConfigError(f"{config_path}: source names must be unique: {', '.join(duplicates)}")
    allow_private = raw.get("allow_private_addresses", False)
    if not isinstance(allow_private, bool):
        raise ConfigError(f"{config_path}: allow_private_addresses must be true or false")
    workers = raw.get("harvest_workers", 4)
    if isinstance(workers, bool) or not isinstance(workers, int) or not 1 <= workers <= 64:
        raise ConfigError(f"{config_path}: harvest_workers must be a whole number from 1 to 64")
    return Settings(data_dir=data_dir.resolve(), database_url=database_url, sources=parsed,
                    allow_private_addresses=allow_private, harvest_workers=workers,
                    config_path=config_path, site=parse_site(raw, config_path),
                    mail=parse_mail(raw, config_path), needs=parse_needs(raw, config_path))


def _choose_file(path: str | os.PathLike[str] | None, env: Mapping[str, str]) -> Path | None:
    chosen = path or env.get(CONFIG_ENV)
    if chosen:
        candidate = Path(chosen)
        if not candidate.is_file():
            raise ConfigError(f"configuration file {candidate} does not exist")
        return candidate.resolve()
    default = Path.cwd() / "config.toml"
    return default.resolve() if default.is_file() else None


def _strings(table: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise ConfigError(f"{where}: {key} must be a list of strings")
    return tuple(str(v) for v in value)


def _source(entry: Any, index: int, base: Path, config_path: Path | None) -> SourceConfig:
    where = f"{config_path}: sources[{index}]"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where} must be a table")
    if "token" in entry:
        raise ConfigError(f"{where}: tokens never go into the configuration file; put the token "
                          "in an environment variable and name it with token_env")
    unknown = set(entry) - _SOURCE_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{where}: every source needs a name")
    where = f'{config_path}: source "{name}"'
    kind = entry.get("type")
    if kind not in SOURCE_TYPES:
        raise ConfigError(f"{where}: type must be one of {', '.join(SOURCE_TYPES)}")
    url = entry.get("url")
    if kind in ("gitlab", "gitea") and not isinstance(url, str):
        raise ConfigError(f"{where}: a {kind} source needs the url of the instance")
    if url is not None and not isinstance(url, str):
        raise ConfigError(f"{where}: url must be a string")
    if kind in ("github", "gitea") and not entry.get("orgs"):
        raise ConfigError(f"{where}: a {kind} source needs orgs = [\"organisation\", …]")
    if kind == "git" and not entry.get("repositories"):
        raise ConfigError(f"{where}: a git source needs repositories = [\"clone URL\", …]")
    path = entry.get("path")
    if kind in ("files", "demo"):
        if not isinstance(path, str):
            raise ConfigError(f"{where}: a {kind} source needs a path")
        path = Path(path) if Path(path).is_absolute() else base / path
    enabled, activity = entry.get("enabled", True), entry.get("activity", True)
    if not isinstance(enabled, bool) or not isinstance(activity, bool):
        raise ConfigError(f"{where}: enabled and activity must be true or false")
    token_env = entry.get("token_env")
    if token_env is not None and not isinstance(token_env, str):
        raise ConfigError(f"{where}: token_env must be the name of an environment variable")
    return SourceConfig(
        name=name, type=kind, url=url.rstrip("/") if url else None,
        groups=_strings(entry, "groups", where), orgs=_strings(entry, "orgs", where),
        repositories=_strings(entry, "repositories", where),
        path=Path(path).resolve() if path else None, token_env=token_env, enabled=enabled,
        activity=activity,
    )
