"""Field types every request model shares, so the same input gets the same 4xx on SQLite and on
PostgreSQL: text never holds NUL (PostgreSQL cannot store it), every integer fits a 64-bit column,
and a municipality is a four-digit number."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from services.wire import MAX_SQL_INT

Text = Annotated[str, Field(pattern=r"^[^\x00]*$")]
BigInt = Annotated[int, Field(ge=0, le=MAX_SQL_INT)]
Municipality = Annotated[int, Field(ge=0, le=9999, description="Municipality number (SSB).")]
