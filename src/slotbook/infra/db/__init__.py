"""Relational storage on SQLite or PostgreSQL through SQLAlchemy Core."""
