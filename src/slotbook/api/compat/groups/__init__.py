"""/compat/groups: seed 002's group-appointments API (groups, calendars, interventions, fiche)
translated onto the native use cases. See docs/compat.md."""
