"""Keel's speed harness: ``python -m benchmarks`` (see docs/PERFORMANCE.md)."""
