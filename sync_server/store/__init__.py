"""Persistence of the county server: models, engine factory, Alembic migrations."""
