"""Packaging tests: the PyInstaller bundle and a pip install outside the source tree."""
