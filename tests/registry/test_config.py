"""Configuration: file selection, environment overrides, refusals, and documentation coverage."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from registry.config import (
    _SOURCE_KEYS,
    _TOP_KEYS,
    CONFIG_ENV,
    DATA_DIR_ENV,
    DATABASE_URL_ENV,
    SECRET_KEY_ENV,
    ConfigError,
    load_settings,
)
from registry.config.site import _MAIL_KEYS, _SITE_KEYS

REPO = Path(__file__).resolve().parents[2]
DOCS = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")


def write(tmp_path: Path, text: str, name: str = "allmende.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_repository_config_is_valid_and_has_demo_and_opencode(monkeypatch):
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    settings = load_settings(REPO / "config.toml", environ={})
    assert settings.data_dir == REPO / "data"
    assert settings.database_url == f"sqlite:///{REPO / 'data' / 'allmende.db'}"
    assert {s.name: s.type for s in settings.sources} == {"demo": "demo", "opencode": "gitlab"}
    assert settings.source("demo").path == REPO / "examples"
    assert settings.index_dir == REPO / "data" / "index"


def test_relative_paths_are_relative_to_the_file(tmp_path, monkeypatch):
    monkeypatch.chdir("/")
    config = write(tmp_path, 'data_dir = "store"\n')
    assert load_settings(config, environ={}).data_dir == tmp_path / "store"


def test_config_env_selects_file_and_env_overrides_win(tmp_path):
    config = write(tmp_path, 'data_dir = "store"\ndatabase_url = "sqlite:///x.db"\n')
    env = {CONFIG_ENV: str(config), DATABASE_URL_ENV: "postgresql://db/allmende",
           DATA_DIR_ENV: str(tmp_path / "elsewhere")}
    settings = load_settings(None, environ=env)
    assert settings.config_path == config
    assert settings.database_url == "postgresql://db/allmende"
    assert settings.data_dir == tmp_path / "elsewhere"


def test_no_file_gives_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings(None, environ={})
    assert settings.config_path is None
    assert settings.sources == ()
    assert settings.data_dir == tmp_path / "data"


def test_token_from_named_environment_variable(tmp_path):
    config = write(tmp_path, '[[sources]]\nname = "gh"\ntype = "github"\norgs = ["x"]\n'
                             'token_env = "GH_TOKEN"\n')
    source = load_settings(config, environ={}).source("gh")
    assert source.token({"GH_TOKEN": "secret"}) == "secret"
    assert source.token({}) is None
    assert "secret" not in repr(source)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[sources]]\nname = "x"\ntype = "github"\ntoken = "ghp_123"\n', "never go into"),
        ('dataa_dir = "x"\n', "unknown setting(s) dataa_dir"),
        ('[[sources]]\nname = "x"\ntype = "svn"\n', "type must be one of"),
        ('[[sources]]\nname = "x"\ntype = "gitlab"\n', "needs the url"),
        ('[[sources]]\nname = "x"\ntype = "files"\n', "needs a path"),
        ('[[sources]]\nname = "a"\ntype = "git"\nrepositories = ["https://x/y"]\n'
         '[[sources]]\nname = "a"\ntype = "git"\nrepositories = ["https://x/z"]\n',
         "must be unique"),
        ('[[sources]]\nname = "x"\ntype = "github"\n', "needs orgs"),
        ('[[sources]]\nname = "x"\ntype = "git"\n', "needs repositories"),
        ('[[sources]]\ntype = "git"\n', "needs a name"),
        ('[[sources]]\nname = "x"\ntype = "files"\npath = "."\nrepos = []\n',
         "unknown key(s) repos"),
        ("allow_private_addresses = 1\n", "must be true or false"),
        ('[mail]\npassword = "hunter2"\n', "never goes into the configuration file"),
        ('[mail]\nsecurity = "ssl"\n', "security must be one of"),
        ('[mail]\nport = 0\n', "port must be a port number"),
        ('[mail]\nhots = "x"\n', "unknown key(s) in [mail]: hots"),
        ('[site]\nbase_url = "ftp://x"\n', "must start with https://"),
        ('site = 3\n', "[site] must be a table"),
        ('[site]\ntrusted_proxies = -1\n', "trusted_proxies must be a whole number"),
        ("data_dir = [\n", "not valid TOML"),
    ],
)
def test_bad_configuration_is_refused_with_a_clear_message(tmp_path, text, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_settings(write(tmp_path, text), environ={})


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.toml", environ={})


def test_unknown_source_name(tmp_path):
    settings = load_settings(write(tmp_path, ""), environ={})
    with pytest.raises(ConfigError, match='no source named "x"'):
        settings.source("x")


@pytest.mark.parametrize("key", sorted(_TOP_KEYS | _SOURCE_KEYS | _SITE_KEYS | _MAIL_KEYS))
def test_every_setting_is_documented(key):
    assert f"`{key}`" in DOCS, f"setting {key} is not documented in docs/configuration.md"


@pytest.mark.parametrize("variable", [CONFIG_ENV, DATA_DIR_ENV, DATABASE_URL_ENV, SECRET_KEY_ENV,
                                      "ALLMENDE_TEST_POSTGRES_URL", "ALLMENDE_CHROMIUM"])
def test_every_environment_variable_is_documented(variable):
    assert f"`{variable}`" in DOCS


def test_shipped_config_uses_only_documented_keys():
    raw = tomllib.loads((REPO / "config.toml").read_text(encoding="utf-8"))
    for key in raw:
        assert f"`{key}`" in DOCS
    for table in [*raw["sources"], raw["site"], raw["mail"]]:
        for key in table:
            assert f"`{key}`" in DOCS


def test_site_and_mail_tables_are_read(tmp_path):
    config = write(tmp_path, '[site]\nbase_url = "https://allmende.example.org/"\n'
                             'contact_email = "a11y@example.org"\n'
                             '[mail]\nhost = "smtp.example.org"\nport = 465\nsecurity = "tls"\n'
                             'password_env = "SMTP_PASSWORD"\n')
    settings = load_settings(config, environ={})
    assert settings.site.base_url == "https://allmende.example.org"
    assert settings.site.contact_email == "a11y@example.org"
    assert (settings.mail.host, settings.mail.port, settings.mail.security) == (
        "smtp.example.org", 465, "tls")
    assert settings.mail.password({"SMTP_PASSWORD": "pw"}) == "pw"
    assert settings.mail_dir == settings.data_dir / "mail"


def test_secret_key_is_generated_once_and_kept_private(tmp_path):
    from registry.secret_key import secret_key

    settings = load_settings(write(tmp_path, 'data_dir = "store"\n'), environ={})
    first = secret_key(settings, environ={})
    assert len(first) >= 32
    assert secret_key(settings, environ={}) == first
    assert settings.secret_key_file.stat().st_mode & 0o777 == 0o600
    assert secret_key(settings, environ={SECRET_KEY_ENV: "k" * 40}) == "k" * 40
    with pytest.raises(ConfigError, match="at least 32"):
        secret_key(settings, environ={SECRET_KEY_ENV: "short"})
