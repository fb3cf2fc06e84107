"""Which addresses a user-given URL may reach: only public internet addresses.

Kept apart from the transport so the policy can be read, reviewed and tested on its own.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]
"""``(host, port) -> addresses as text``; injectable so tests can map names without DNS."""

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052 well-known prefix: embeds an IPv4
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215: local use only


def refusal_reason(ip: IPAddress) -> str | None:
    """Why ``ip`` is not a public internet address, or ``None`` when it is.

    Spelled out rather than trusting ``ip.is_global`` alone: its answers changed between Python
    patch releases, and it calls multicast global. IPv6 forms that carry an IPv4 address are
    judged by the address they carry.
    """
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            inner = refusal_reason(ip.ipv4_mapped)
            return inner and f"an IPv4-mapped form of {ip.ipv4_mapped}, {inner}"
        if ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
            inner = refusal_reason(embedded)
            return inner and f"a NAT64 form of {embedded}, {inner}"
        if ip.sixtofour is not None:
            inner = refusal_reason(ip.sixtofour)
            return inner and f"a 6to4 form of {ip.sixtofour}, {inner}"
        if ip in _NAT64_LOCAL:
            return "a local-use NAT64 address"
        if ip.is_site_local:
            return "a site-local address"
    checks = (
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.version == 4 and ip in _CGNAT, "a shared (CGNAT) address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_reserved, "a reserved address"),
        (ip.is_private, "a private address"),
        (not ip.is_global, "not a globally routable address"),
    )
    return next((reason for failed, reason in checks if failed), None)


_NUMERIC_LABEL = re.compile(r"^(?:[0-9]+|0[xX][0-9a-fA-F]*)$")


def nonstandard_ipv4(host: str) -> bool:
    """True for hosts that are IPv4 numbers in anything but canonical dotted-quad notation.

    Follows the WHATWG URL rule: a host whose last label is a number is an IPv4 address. The C
    resolver reads ``2130706433``, ``0177.0.0.1``, ``127.1`` and ``0x7f.0.0.1`` all as 127.0.0.1;
    refusing them outright leaves no notation whose meaning differs between parsers.
    """
    if ":" in host:  # an IPv6 literal, judged by its address
        return False
    labels = host.rstrip(".").split(".")
    if not _NUMERIC_LABEL.match(labels[-1]):
        return False
    try:
        ipaddress.IPv4Address(host)
    except ValueError:
        return True
    return False


def system_resolver(host: str, port: int) -> list[str]:
    """All TCP addresses the operating system knows for ``host``, in its preferred order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
