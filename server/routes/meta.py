"""Whether the server is up."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from server.deps import stamped

router = APIRouter(prefix="/v1", tags=["meta"])


@router.get("/health")
def health() -> dict[str, Any]:
    return stamped({"status": "ok"})
