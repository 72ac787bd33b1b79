"""Alembic migrations for the storage package (run by `storage.Database.upgrade`)."""
