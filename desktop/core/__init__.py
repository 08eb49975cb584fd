"""Keel's decisions in plain Python: no Qt, no SQLAlchemy, no storage.

Everything here takes records (``desktop.core.records``) and an injected clock and
returns values, so it is unit-tested in microseconds.
"""
