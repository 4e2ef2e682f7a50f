"""Composition root: settings, storage paths, app-wide state, theme and the screen tree."""
