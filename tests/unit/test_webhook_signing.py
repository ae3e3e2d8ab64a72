"""Signatures against the reference Standard Webhooks library, and the SSRF rules."""

from __future__ import annotations

import time

import pytest
from standardwebhooks.webhooks import Webhook

from slotbook.domain.errors import InvalidWebhookUrl
from slotbook.infra.security import TokenSecrets
from slotbook.infra.webhooks.signing import webhook_headers
from slotbook.infra.webhooks.ssrf import BlockedDestination, SsrfGuard, is_public


def test_signature_verifies_with_the_reference_library() -> None:
    secret = TokenSecrets().new_webhook_secret()
    body = b'{"type":"appointment.created","data":{"appointment":{"id":1}}}'
    headers = webhook_headers([secret], "evt_1", int(time.time()), body)
    assert headers["webhook-signature"].startswith("v1,")
    assert Webhook(secret).verify(body, headers) is not None
    with pytest.raises(Exception, match="signature"):
        Webhook(secret).verify(body + b" ", headers)


def test_rotation_signs_with_both_secrets() -> None:
    new, old = TokenSecrets().new_webhook_secret(), TokenSecrets().new_webhook_secret()
    body = b"{}"
    headers = webhook_headers([new, old], "evt_2", int(time.time()), body)
    assert len(headers["webhook-signature"].split(" ")) == 2
    Webhook(new).verify(body, headers)
    Webhook(old).verify(body, headers)
    with pytest.raises(Exception, match="signature"):
        Webhook(TokenSecrets().new_webhook_secret()).verify(body, headers)


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("127.0.0.1", False),
        ("10.0.0.5", False),
        ("172.16.3.4", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),  # noqa: S104
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),
        ("2002:7f00:1::", False),  # 6to4 around 127.0.0.1
        ("224.0.0.1", False),
        # IPv4 carried in IPv6 is judged as that IPv4 address (issue 21, F3).
        ("::127.0.0.1", False),  # IPv4-compatible
        ("::8.8.8.8", True),
        ("64:ff9b::7f00:1", False),  # NAT64 well-known prefix around 127.0.0.1
        ("64:ff9b::a9fe:a9fe", False),  # ... around the cloud metadata address
        ("64:ff9b::808:808", True),  # ... around a public address
        ("64:ff9b:1::a9fe:a9fe", False),  # local NAT64 prefix, /96 position
        ("64:ff9b:1:a9fe:a9:fe00::", False),  # local NAT64 prefix, /48 position
        ("::ffff:0:7f00:1", False),  # IPv4-translated
        ("::ffff:0:a9fe:a9fe", False),
        ("::ffff:0:808:808", True),
        ("::ffff:169.254.169.254", False),  # IPv4-mapped
        ("2002:a9fe:a9fe::1", False),  # 6to4
        ("2002:808:808::1", True),
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", False),  # Teredo (client 127.0.0.1)
        ("::", False),
        ("4000::1", False),  # outside global unicast
        ("2001:db8::1", False),
        ("198.18.0.1", False),
    ],
)
def test_public_addresses(address: str, public: bool) -> None:
    assert is_public(address) is public


def _resolver(table: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    async def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise OSError("no such host")
        return table[host]

    return resolve


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://[::1]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.5/",
        "http://[::ffff:127.0.0.1]/",
        "http://0x7f.1/",
        "http://localhost/",
        "http://metadata.google.internal/",
        "http://mixed.example/",
        "http://nowhere.example/",
        "gopher://public.example/",
    ],
)
async def test_registration_refuses_internal_targets(url: str) -> None:
    guard = SsrfGuard(
        resolver=_resolver(
            {
                "127.0.0.1": ["127.0.0.1"],
                "::1": ["::1"],
                "169.254.169.254": ["169.254.169.254"],
                "10.0.0.5": ["10.0.0.5"],
                "::ffff:127.0.0.1": ["::ffff:127.0.0.1"],
                "0x7f.1": ["127.0.0.1"],  # what getaddrinfo makes of it
                "mixed.example": ["93.184.216.34", "10.1.2.3"],
                "public.example": ["93.184.216.34"],
            }
        )
    )
    with pytest.raises(InvalidWebhookUrl):
        await guard.check(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://[::127.0.0.1]:8480/",
        "http://[64:ff9b::7f00:1]/",
        "http://[64:ff9b::a9fe:a9fe]/",
        "http://[64:ff9b:1::a9fe:a9fe]/",
        "http://[::ffff:0:a9fe:a9fe]/",
        "http://[2002:a9fe:a9fe::1]/",
    ],
)
async def test_ipv4_inside_ipv6_is_judged_as_the_ipv4_address(url: str) -> None:
    with pytest.raises(InvalidWebhookUrl, match="non-public"):
        await SsrfGuard().check(url)


@pytest.mark.parametrize(
    "url", ["http://[64:ff9b::808:808]/", "http://[::ffff:0:808:808]/", "http://[::8.8.8.8]/"]
)
async def test_ipv4_inside_ipv6_around_a_public_address_is_accepted(url: str) -> None:
    await SsrfGuard().check(url)


async def test_the_system_resolver_reads_odd_ip_notations() -> None:
    with pytest.raises(InvalidWebhookUrl):
        await SsrfGuard().check("http://0x7f.1:8080/")
    with pytest.raises(InvalidWebhookUrl):
        await SsrfGuard().check("http://2130706433:8080/")


async def test_every_connection_is_checked_again() -> None:
    answers = {"rebind.example": ["93.184.216.34"]}
    guard = SsrfGuard(resolver=_resolver(answers))
    await guard.check("https://rebind.example/hook")
    answers["rebind.example"] = ["127.0.0.1"]
    with pytest.raises(BlockedDestination):
        await guard.addresses("rebind.example", 443)
