"""Compatibility layers: each seed system's own requests and responses over the native use cases."""
