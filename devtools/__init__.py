"""Tools for people who build and check the kiosk, never loaded by it: the staged screens, the
accessibility audit (python -m devtools.audit) and the screenshots (python -m devtools.screenshots).
They may start the mock API; the kiosk's own packages (ui, client) may not."""
