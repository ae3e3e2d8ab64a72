"""SSRF protection: webhook targets must be http(s) URLs whose every address is public.

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


def is_public(address: str) -> bool:
    """Whether an address is globally routable (IPv4 inside IPv6 is unwrapped first)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None and not is_public(str(embedded)):
            return False
    return ip.is_global and not ip.is_multicast


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
