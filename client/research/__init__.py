"""Usability research on the kiosk: the study file, the event log, the measures and the report.

Qt-free. See docs/research.md for the study file, the event log's schema and the exports.
"""
