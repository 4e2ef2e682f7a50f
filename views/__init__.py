"""Flet screens and components. They read AppState and call its methods; no SQL, no HTTP."""
