"""Invitation codes as people meet them: typed, pasted as a link, or opened from a QR code."""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, urlsplit

import segno

# Crockford base32 (no I, L, O, U), the alphabet of the server's codes.
_CODE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{12}$")
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def code_from_text(text: str) -> str | None:
    """The invite code in what the user typed or pasted (a code with or without dashes and
    spaces, any case, or an invitation link); None when there is none."""
    text = text.strip()
    if "code=" in text:
        values = parse_qs(urlsplit(text).query).get("code") or parse_qs(text.split("?", 1)[-1]).get("code")
        text = values[0] if values else ""
    code = re.sub(r"[\s-]", "", text).upper().translate(_CONFUSABLE)
    return code if _CODE.match(code) else None


def code_from_route(route: str | None) -> str | None:
    """The code in an invitation link that opened the app (`nyinordland://join?code=…` on a
    phone, `/join?code=…` in a browser)."""
    if not route or "code=" not in route:
        return None
    return code_from_text(route)


def qr_png(text: str, scale: int = 8) -> bytes:
    """A QR code of `text` as PNG bytes (pure Python, so it runs on the phone)."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=2, dark="#000000")
    return buffer.getvalue()
