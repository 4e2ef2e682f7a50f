"""What both a host and a family say about themselves for matching (the request model both
`PUT /v1/host` and `PUT /v1/seeker` extend)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from server.fields import Municipality, Text
from services import host_wire as wire

ChildAge = Annotated[int, Field(ge=0, le=17)]


class PersonProfile(BaseModel, extra="forbid"):
    first_name: Text = Field(min_length=1, max_length=wire.MAX_FIRST_NAME)
    municipality: Municipality
    languages: list[Text] = Field(min_length=1, max_length=len(wire.SPOKEN_LANGUAGES))
    interests: list[Text] = Field(default=[], max_length=len(wire.INTERESTS))
    occupation: Text = Field(default="", max_length=wire.MAX_OCCUPATION)
    children_ages: list[ChildAge] = Field(default=[], max_length=12)
    availability: int = Field(default=0, ge=0, le=wire.ALL_SLOTS)
    consent: bool = Field(
        default=False,
        description="The person agrees to the privacy notice's purpose for this profile (required: "
        "without it the answer is 422 `consent_required`).",
    )
