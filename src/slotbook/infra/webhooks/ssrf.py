"""SSRF protection: webhook targets must be http(s) URLs whose every address is public.

Public means outside FORBIDDEN_NETWORKS (written once, below); an IPv6 address that carries an
IPv4 address (mapped, translated, compatible, NAT64, 6to4, Teredo) is judged by that address.

Checked when a webhook is registered or changed, and again at every connection: the delivery
client (infra/webhooks/http.py) resolves the host through `SsrfGuard.addresses`, which refuses
if any address is not global, and connects to the checked address (so DNS cannot change
between check and use). Redirects are never followed (the delivery client does not follow
them).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from slotbook.domain.errors import InvalidWebhookUrl

Resolver = Callable[[str, int], Awaitable[list[str]]]

# Names that reach internal services whatever they resolve to.
BLOCKED_NAMES = frozenset({"localhost", "metadata.google.internal", "metadata"})
BLOCKED_SUFFIXES = (".localhost", ".internal", ".local", ".svc", ".cluster.local")
ALLOWED_SCHEMES = {"http": 80, "https": 443}
MIN_PORT = 1024  # besides 80 and 443: no SSH, SMTP, ... on the receiver's side


class BlockedDestination(Exception):
    """A delivery refused before connecting: the target resolves to a non-public address."""


async def system_resolve(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


# The one table of addresses a webhook may never reach (IANA's special-purpose registries):
# an address is public when neither it nor any IPv4 address it carries falls in here.
FORBIDDEN_NETWORKS: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = tuple(
    ipaddress.ip_network(network)
    for network in (
        "0.0.0.0/8",  # "this network"
        "10.0.0.0/8",  # private
        "100.64.0.0/10",  # carrier-grade NAT
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link-local, where cloud metadata services answer
        "172.16.0.0/12",  # private
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # documentation
        "192.88.99.0/24",  # 6to4 relay anycast
        "192.168.0.0/16",  # private
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation
        "203.0.113.0/24",  # documentation
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, and the broadcast address
        "100::/64",  # discard-only
        "2001::/23",  # IETF protocol assignments (Teredo is unwrapped before)
        "2001:db8::/32",  # documentation
        "3fff::/20",  # documentation
        "5f00::/16",  # segment routing
        "fc00::/7",  # unique local
        "fe80::/10",  # link-local
        "fec0::/10",  # site-local
        "ff00::/8",  # multicast
    )
)
# IPv6 outside global unicast is not routable on the Internet (the IPv4 carriers below aside).
GLOBAL_UNICAST_V6 = ipaddress.IPv6Network("2000::/3")

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052 well-known prefix
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")  # RFC 8215, prefixes of /48 to /96
_TRANSLATED = ipaddress.IPv6Network("::ffff:0:0:0/96")  # RFC 2765 IPv4-translated
_COMPATIBLE = ipaddress.IPv6Network("::/96")  # deprecated IPv4-compatible (also :: and ::1)
_SIXTOFOUR = ipaddress.IPv6Network("2002::/16")
_TEREDO = ipaddress.IPv6Network("2001::/32")
# Where RFC 6052 puts the IPv4 address for each prefix length: (bit offset, bits) pieces of
# the 128-bit address, skipping the reserved bits 64-71.
_RFC6052_PIECES: dict[int, tuple[tuple[int, int], ...]] = {
    48: ((48, 16), (72, 16)),
    56: ((56, 8), (72, 24)),
    64: ((72, 32),),
    96: ((96, 32),),
}


def _rfc6052(ip: ipaddress.IPv6Address, prefix_length: int) -> ipaddress.IPv4Address:
    value, embedded = int(ip), 0
    for offset, bits in _RFC6052_PIECES[prefix_length]:
        embedded = (embedded << bits) | ((value >> (128 - offset - bits)) & ((1 << bits) - 1))
    return ipaddress.IPv4Address(embedded)


def carried_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address] | None:
    """The IPv4 addresses an IPv6 address stands for (mapped, translated, compatible, NAT64,
    6to4, Teredo), or None when it carries none. A local NAT64 prefix may be of any RFC 6052
    length, so every place the IPv4 address could be is judged."""
    if ip.ipv4_mapped is not None:
        return [ip.ipv4_mapped]
    if ip in _NAT64 or ip in _TRANSLATED or ip in _COMPATIBLE:
        return [ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)]
    if ip in _NAT64_LOCAL:
        return [_rfc6052(ip, length) for length in _RFC6052_PIECES]
    if ip in _SIXTOFOUR and ip.sixtofour is not None:
        return [ip.sixtofour]
    if ip in _TEREDO and ip.teredo is not None:
        return list(ip.teredo)  # the relay server and the (unobfuscated) client
    return None


def is_public(address: str) -> bool:
    """Whether an address is globally routable; an IPv6 address carrying IPv4 addresses is
    judged by them (64:ff9b::a9fe:a9fe is the metadata service on a NAT64 network)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        carried = carried_ipv4(ip)
        if carried is not None:
            return all(_outside_table(v4) for v4 in carried)
        if ip not in GLOBAL_UNICAST_V6:
            return False
    return _outside_table(ip)


def _outside_table(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return not any(ip in network for network in FORBIDDEN_NETWORKS)


def target(url: str) -> tuple[str, int]:
    """Host and port of a webhook URL, or InvalidWebhookUrl when its form is not acceptable."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise InvalidWebhookUrl(f"Invalid webhook URL: {error}") from None
    default_port = ALLOWED_SCHEMES.get(parts.scheme.lower())
    if default_port is None:
        raise InvalidWebhookUrl("A webhook URL must start with http:// or https://")
    if parts.username is not None or parts.password is not None:
        raise InvalidWebhookUrl("A webhook URL must not carry a user name or password")
    host = parts.hostname
    if not host:
        raise InvalidWebhookUrl("A webhook URL needs a host")
    port = port if port is not None else default_port
    if port not in (80, 443) and port < MIN_PORT:
        raise InvalidWebhookUrl(f"Port {port} is not allowed (use 80, 443 or 1024-65535)")
    return host, port


class SsrfGuard:
    """Decides whether a host may be reached; `allow_private` (tests, trusted networks) lifts
    the public-address rule but not the URL form rules."""

    def __init__(self, allow_private: bool = False, resolver: Resolver = system_resolve) -> None:
        self.allow_private = allow_private
        self._resolve = resolver

    async def check(self, url: str) -> None:
        host, port = target(url)
        try:
            await self.addresses(host, port)
        except BlockedDestination as error:
            raise InvalidWebhookUrl(f"Webhook URL refused: {error}") from None

    async def addresses(self, host: str, port: int) -> list[str]:
        """The addresses to connect to, all checked; BlockedDestination otherwise."""
        name = host.lower().rstrip(".")
        if not self.allow_private and (name in BLOCKED_NAMES or name.endswith(BLOCKED_SUFFIXES)):
            raise BlockedDestination(f"{host} is an internal host name")
        try:
            addresses = await self._resolve(name, port)
        except (OSError, UnicodeError) as error:
            raise BlockedDestination(f"{host} does not resolve ({error})") from None
        if not addresses:
            raise BlockedDestination(f"{host} does not resolve")
        if not self.allow_private:
            private = [a for a in addresses if not is_public(a)]
            if private:
                raise BlockedDestination(f"{host} resolves to a non-public address {private[0]}")
        return addresses
