"""Usability research: studies, the event log, sessions, measures and reports. Never imports Qt."""
