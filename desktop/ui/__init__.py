"""Keel's Qt widgets, item models, dialogs and tray. No SQL here: data comes from db services."""
