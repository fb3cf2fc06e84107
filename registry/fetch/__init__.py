"""The one way Allmende fetches a URL that a user (or a publiccode.yml) gave it.

Why a module of its own: a URL from outside can point at the registry's own network — the
database, a cloud metadata service at 169.254.169.254, an admin interface on localhost. This is
server-side request forgery (SSRF), and a plain ``requests.get`` walks right into it. So every
fetch of an untrusted URL goes through :class:`SafeFetcher`, which

* accepts only ``http`` and ``https`` and host names written the standard way (``2130706433``,
  ``0177.0.0.1`` and ``0x7f.1`` are all 127.0.0.1 to the C resolver, so they are refused);
* resolves the host name **once** and refuses it unless every address is public (not loopback,
  private, link-local, CGNAT, multicast, reserved, unspecified, nor an IPv6 form that embeds such
  an IPv4 address: IPv4-mapped, NAT64, 6to4);
* connects to exactly the address it checked (no second lookup a rebinding DNS server could
  answer differently), while the ``Host`` header, TLS SNI and certificate checks still use the
  host name;
* follows redirects itself and checks every hop the same way;
* caps the body size, each network wait and the whole fetch.

Sources an operator configures (forges to harvest) are trusted and may use plain ``requests``;
anything a user or a file supplies uses this module.
"""


from .addresses import refusal_reason, system_resolver
from .errors import FetchError, FetchTimeout, RefusedURL, ResponseTooLarge
from .fetcher import DEFAULT_MAX_BYTES, FetchResponse, SafeFetcher
from .forge_files import PUBLICCODE_MAX_BYTES, fetch_publiccode, raw_file_url

__all__ = [
    "DEFAULT_MAX_BYTES",
    "PUBLICCODE_MAX_BYTES",
    "FetchError",
    "FetchResponse",
    "FetchTimeout",
    "RefusedURL",
    "ResponseTooLarge",
    "SafeFetcher",
    "fetch_publiccode",
    "raw_file_url",
    "refusal_reason",
    "system_resolver",
]
