"""Files the user takes away (their data export, a visit for the calendar): a real download in a
browser, the platform's save or share dialog on a phone or a desktop. Never a path on a server."""

from __future__ import annotations

import logging

import flet as ft

from app.state.navigation import Navigation
from services.i18n import N_

log = logging.getLogger(__name__)


async def offer_file(nav: Navigation, file_name: str, data: bytes, saved_notice: str) -> None:
    """Hand `data` to the person as `file_name`; the notice names the file, never a folder."""
    picker = ft.FilePicker()  # registers with the page; kept alive by this frame until saved
    try:
        path = await picker.save_file(file_name=file_name, src_bytes=data)
    except Exception:  # noqa: BLE001 - the dialog is the platform's: say it failed, keep the app alive
        log.exception("saving a file failed")
        nav.say(N_("The file could not be saved. Try again."))
        return
    if path is None and not ft.context.page.web:
        return  # the person closed the save dialog: nothing was saved, nothing to say
    nav.say(saved_notice, file_name)
