"""The webhook secret of a registration: derived, never stored.

Why derived: a stored secret is one more thing a database leak gives away. The secret is an
HMAC-SHA256 of the application's secret key (``registry.secret_key``) over the registration's
id and its ``webhook_salt``; the maintainer pastes it into the forge once. Changing the salt
(a "new secret" button) or the application key changes it; nothing else can.
"""

from __future__ import annotations

import hashlib
import hmac

from registry.models import Registration


def webhook_secret(secret_key: str, registration: Registration) -> str:
    """The hex secret the maintainer configures on the forge for this registration."""
    if registration.id is None:
        raise ValueError("the registration must be stored before it has a webhook secret")
    message = f"registration:{registration.id}:{registration.webhook_salt}".encode()
    return hmac.new(secret_key.encode("utf-8"), message, hashlib.sha256).hexdigest()


def webhook_secret_matches(secret_key: str, registration: Registration, given: str) -> bool:
    """Compare a secret a forge sent (GitLab's ``X-Gitlab-Token``) in constant time."""
    return hmac.compare_digest(webhook_secret(secret_key, registration).encode(),
                               (given or "").encode("utf-8", "replace"))


def signature_matches(secret_key: str, registration: Registration, body: bytes,
                      signature: str) -> bool:
    """Check an HMAC-SHA256 body signature (GitHub's ``X-Hub-Signature-256: sha256=…``,
    Gitea's and Forgejo's ``X-Gitea-Signature``/``X-Forgejo-Signature``, bare hex)."""
    secret = webhook_secret(secret_key, registration).encode()
    expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
    given = (signature or "").strip().removeprefix("sha256=")
    return hmac.compare_digest(expected.encode(), given.encode("utf-8", "replace"))
