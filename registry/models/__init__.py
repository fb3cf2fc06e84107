"""The database tables. ``catalogue``: what the harvest fills (sources, publishers, solutions,
adoptions, harvest runs). ``people``: who acts on the registry (accounts, organisations,
memberships, API tokens, registrations, harvest requests, notifications, the audit log).
``market``: the marketplace (needs, their matches, relayed messages).
``columns``: the column types and conventions every table follows. ``versions``: the listener
that counts ``Solution.content_version`` on every flush (imported here, so it is always on).

Import from here: ``from registry.models import Solution, Account``.
"""

from . import versions  # noqa: F401  (registers the content-version listener)
from .catalogue import (
    ADOPTION_ORIGINS,
    RUN_COUNTS,
    RUN_STATUSES,
    SOLUTION_STATUSES,
    Adoption,
    HarvestRun,
    Publisher,
    Solution,
    Source,
    adoption_shown,
    is_shown_in_catalogue,
    shown_in_catalogue,
)
from .columns import NAMING_CONVENTION, UTCDateTime, iso_utc, utcnow
from .market import MATCH_KINDS, MESSAGE_STATUSES, NEED_STATUSES, Need, NeedMatch, RelayMessage
from .people import (
    FORGE_TYPES,
    MEMBERSHIP_ROLES,
    MEMBERSHIP_STATUSES,
    NOTIFICATION_KINDS,
    ORGANISATION_KINDS,
    REGISTRATION_STATUSES,
    Account,
    ApiToken,
    AuditEntry,
    HarvestRequest,
    Membership,
    Notification,
    Organisation,
    Registration,
)

__all__ = [
    "ADOPTION_ORIGINS", "FORGE_TYPES", "MATCH_KINDS", "MEMBERSHIP_ROLES", "MEMBERSHIP_STATUSES",
    "MESSAGE_STATUSES", "NAMING_CONVENTION", "NEED_STATUSES", "NOTIFICATION_KINDS",
    "ORGANISATION_KINDS", "REGISTRATION_STATUSES", "RUN_COUNTS", "RUN_STATUSES",
    "SOLUTION_STATUSES", "Account", "Adoption", "ApiToken", "AuditEntry", "HarvestRequest",
    "HarvestRun", "Membership", "Need", "NeedMatch", "Notification", "Organisation", "Publisher",
    "Registration", "RelayMessage", "Solution", "Source", "UTCDateTime", "adoption_shown",
    "is_shown_in_catalogue", "iso_utc", "shown_in_catalogue", "utcnow",
]
