"""One router per resource, plural like its URL."""
