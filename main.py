"""Flet entry module (flet build wants a top-level main.py): it only hands over to app/."""

from __future__ import annotations

import logging
import os

import flet as ft

from app.settings import port
from app.shell import main

if __name__ == "__main__":
    logging.basicConfig(level=os.environ.get("NYIN_LOG_LEVEL", "INFO"))
    if os.environ.get("NYIN_WEB") == "1" or not os.environ.get("DISPLAY"):
        # No display (servers, CI, containers): serve the app to a browser instead.
        host = os.environ.get("NYIN_HOST", "127.0.0.1")
        logging.getLogger("ny-i-nordland").info("Serving the app at http://%s:%s", host, port())
        # Offline by default: CanvasKit and Flutter's fallback fonts come from this server, not a CDN
        # (FLET_WEB_NO_CDN=false still overrides). assets/index.html stops the one CDN fetch this
        # setting does not cover (rive_native's runtime).
        ft.run(main, view=ft.AppView.WEB_BROWSER, host=host, port=port(), assets_dir="assets", no_cdn=True)
    else:
        ft.run(main, assets_dir="assets")
