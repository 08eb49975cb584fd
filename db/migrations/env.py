"""Alembic environment: always run from code with Keel's own connection.

``db.schema.migrate`` opens one transaction, puts its connection in
``config.attributes["connection"]`` and calls ``command.upgrade``; every migration then
runs inside that single transaction (SQLite DDL is transactional), so a failure leaves
the schema and ``alembic_version`` exactly as they were.
"""

from alembic import context

from db.models import Base
from db.search import include_object

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - Keel never runs Alembic from its CLI
    raise RuntimeError("Keel's migrations run from db.schema.migrate(), not the alembic CLI.")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    include_object=include_object,  # the FTS index has no model (db/search.py)
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
