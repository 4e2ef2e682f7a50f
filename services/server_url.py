"""Which sync server addresses the app may talk to: HTTPS anywhere, plain HTTP only to this very
device (loopback: development, the README's run command, the tests). A family's checklist and its
device token must never cross a network in clear text."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

_LOOPBACK_NAMES = {"localhost"}


def is_allowed_server_url(url: str) -> bool:
    """True for https://<host>… and for http:// to a loopback address; False otherwise."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
    except ValueError:
        return False
    if not host or parts.username or parts.password:
        return False
    if parts.scheme == "https":
        return True
    if parts.scheme != "http":
        return False
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
