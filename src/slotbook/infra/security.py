"""API keys, QR and session tokens: random secrets from `secrets`, stored only as SHA-256 hashes."""

from __future__ import annotations

import base64
import hashlib
import secrets

from slotbook.domain.check_in_codes import BITS, format_code

API_KEY_PREFIX = "sb_live_"


class TokenSecrets:
    def new_api_key(self) -> str:
        # 256 bits; the prefix makes leaked keys greppable by secret scanners.
        return API_KEY_PREFIX + secrets.token_urlsafe(32)

    def hash_api_key(self, key: str) -> str:
        return self.hash_token(key)

    def hash_token(self, token: str) -> str:
        # A fast hash is right for machine-generated high-entropy secrets, and allows an index
        # lookup; slow KDFs are for human passwords.
        return hashlib.sha256(token.encode()).hexdigest()

    def new_session_token(self) -> str:
        return secrets.token_urlsafe(32)

    def new_qr_token(self) -> str:
        # Grouped Crockford base32 (domain/check_in_codes): read aloud and typed at the desk.
        return format_code(secrets.randbits(BITS))

    def new_webhook_secret(self) -> str:
        # Standard Webhooks: 24 to 64 random bytes, base64, prefixed whsec_.
        return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
