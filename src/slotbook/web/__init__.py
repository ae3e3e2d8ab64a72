"""The dashboard (/dashboard) and, later, the public booking page: server-rendered HTML."""
