"""Keel: a local-first reflection journal for people weighing or holding AI capabilities roles."""

__version__ = "0.1.0"
