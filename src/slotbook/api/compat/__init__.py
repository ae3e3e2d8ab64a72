"""Compatibility dialects: the documented API of a system our seeds describe, served under
/compat/<name> and translated onto the native use cases (vocabulary, ids, formats, errors)."""
