"""Tests of the compatibility dialects (/compat/...)."""
