"""Request and response bodies, camelCase on the wire."""
