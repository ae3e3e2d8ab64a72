"""Adapters: the only code that does I/O (database, network, clock, randomness)."""
