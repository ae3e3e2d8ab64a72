"""Webhook delivery: signing, SSRF protection and the delivery worker."""
