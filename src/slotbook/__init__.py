"""Slotbook: an open-source, multi-tenant appointment-booking service."""

__version__ = "0.1.0"
