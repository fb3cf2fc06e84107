"""The application's secret key: signs session cookies, e-mail links and webhook secrets.

From ``ALLMENDE_SECRET_KEY`` when set (production: one key shared by every server process and
kept out of the data directory's backups). Otherwise a random key is generated once into
``<data_dir>/secret_key`` (mode 0600), so a local installation needs no set-up and keeps its
sessions across restarts. Changing the key logs everybody out, invalidates unused e-mail links
and changes every webhook secret.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping

from .config import SECRET_KEY_ENV, ConfigError, Settings

MIN_LENGTH = 32


def secret_key(settings: Settings, environ: Mapping[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    given = env.get(SECRET_KEY_ENV)
    if given:
        if len(given) < MIN_LENGTH:
            raise ConfigError(f"{SECRET_KEY_ENV} must be at least {MIN_LENGTH} characters; "
                              'generate one with: python3 -c "import secrets; '
                              'print(secrets.token_urlsafe(48))"')
        return given
    path = settings.secret_key_file
    if path.is_file():
        return path.read_text(encoding="ascii").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_urlsafe(48) + "\n")
    try:  # link() never replaces: two processes starting at once agree on the first key
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return path.read_text(encoding="ascii").strip()
