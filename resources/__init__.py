"""Bundled campaigns, templates and icons (found through importlib.resources)."""
