"""Pure domain model: no I/O, no clock, no web or database code."""
