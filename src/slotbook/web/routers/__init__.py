"""One router per dashboard page or group of pages."""
