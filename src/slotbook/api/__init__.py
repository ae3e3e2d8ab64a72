"""The HTTP API (FastAPI): translates requests to use cases and results back to JSON."""
