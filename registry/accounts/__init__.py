"""People acting on the registry: accounts, e-mail links, API tokens, organisations and the
rules of who may do what.

Modules: ``passwords`` (argon2), ``accounts`` (sign-up, login, verification, suspension),
``links`` (signed, expiring e-mail links), ``tokens`` (personal API tokens), ``organisations``
(organisations and memberships) and ``permissions`` (the one place that answers "may this
account do that?"). Every function that changes something writes an audit entry
(``registry.audit``) in the same transaction. Errors meant for the person at the keyboard are
:class:`AccountError` with a ``code`` the web layer turns into a sentence in their language.
"""

from .errors import AccountError

__all__ = ["AccountError"]
