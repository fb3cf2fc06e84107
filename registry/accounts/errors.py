"""One error type for everything a person can get wrong when acting on their account."""

from __future__ import annotations


class AccountError(ValueError):
    """``code`` names the problem (``email_taken``, ``password_too_short`` …) so the web layer
    can say it in German or English; ``str(error)`` is the English sentence for logs and the
    API."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
