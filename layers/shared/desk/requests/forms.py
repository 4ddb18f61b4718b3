"""What the web form sends, validated: every bad field is named."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from desk.documents.purposes import upload_schema
from desk.fields import Email, Line, Message, OptionalLine, Phone


class MessageForm(BaseModel):
    """``POST /tickets/{number}/messages``: the requester adds information."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    text: Message
    attachment_upload_ids: list[Annotated[str, StringConstraints(max_length=64)]] = Field(
        default_factory=list, max_length=5, json_schema_extra={"uniqueItems": True}
    )


class UploadForm(BaseModel):
    """``POST /uploads``: types only; the purpose's rules name each bad field afterwards. The schema
    shows what those rules take at this door."""

    model_config = ConfigDict(extra="forbid")
    door: ClassVar[str] = "public"

    purpose: str = Field(max_length=40)
    filename: str = Field(max_length=2048)
    content_type: str = Field(max_length=100)
    size: int

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        return {"title": cls.__name__, **upload_schema(cls.door)}


class StaffUploadForm(UploadForm):
    """``POST /staff/uploads``: the staff's purposes."""

    door: ClassVar[str] = "staff"


class TicketForm(BaseModel):
    """``POST /tickets``: a complaint, suggestion or input from the web form."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: Literal["complaint", "suggestion", "input"]
    subject: Line
    message: Message
    name: Line
    email: Email
    phone: Phone | None = None
    institution: OptionalLine | None = None
    category: Annotated[str, StringConstraints(max_length=60, pattern=r"^[a-z0-9_]+$")] | None = None
    anonymous: bool = False
    confidential: bool = False
    attachment_upload_ids: list[Annotated[str, StringConstraints(max_length=64)]] = Field(
        default_factory=list, max_length=10, json_schema_extra={"uniqueItems": True}
    )
