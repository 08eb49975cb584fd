"""Keel's storage: SQLAlchemy models, the engine, Alembic migrations and service functions.

Nothing here imports Qt. Service functions run one short transaction per user action and
return the plain records of ``desktop.core.records``.
"""
