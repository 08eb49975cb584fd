"""The pragmas every connection to the journal sets (SQLAlchemy engine and raw sqlite3 alike)."""

PRAGMAS: dict[str, str] = {
    "journal_mode": "wal",
    # FULL: a transaction acknowledged to the user survives power loss, not only a crash.
    "synchronous": "FULL",
    "foreign_keys": "1",
    "secure_delete": "1",
    "trusted_schema": "0",
    "busy_timeout": "5000",
}
