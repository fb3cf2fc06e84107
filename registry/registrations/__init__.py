"""Repository registration: a maintainer claims a repository, proves it, and it is harvested.

``repository_urls`` checks the URL a user typed and names its forge; ``repository_files`` reads
a file from the default branch through the SSRF guard; ``service`` starts and checks
registrations; ``webhook`` derives each registration's webhook secret. The web forms and the
API call these; they hold no state of their own.
"""

from .repository_files import (
    GITHUB_RAW,
    PUBLICCODE_MAX_BYTES,
    VERIFY_FILE,
    VERIFY_MAX_BYTES,
    FileUnavailable,
    RepositoryFile,
    RepositoryFiles,
    clone_candidates,
)
from .repository_urls import RegistrationError, RepositoryURL, detect_forge, parse_repository_url
from .service import (
    CheckResult,
    check_registration,
    delete_registration,
    in_standing,
    new_verify_token,
    rotate_webhook_secret,
    start_registration,
)
from .webhook import signature_matches, webhook_secret, webhook_secret_matches

__all__ = [
    "GITHUB_RAW", "PUBLICCODE_MAX_BYTES", "VERIFY_FILE", "VERIFY_MAX_BYTES", "CheckResult",
    "FileUnavailable", "RegistrationError", "RepositoryFile", "RepositoryFiles", "RepositoryURL",
    "check_registration", "clone_candidates", "delete_registration", "detect_forge", "in_standing",
    "new_verify_token", "parse_repository_url", "rotate_webhook_secret", "signature_matches",
    "start_registration",
    "webhook_secret", "webhook_secret_matches",
]
