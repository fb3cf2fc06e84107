"""Alembic migrations of the catalogue schema; run them with ``allmende db upgrade``."""
