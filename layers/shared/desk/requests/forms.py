"""What the web form sends, validated: every bad field is named."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from desk.addresses import normalise_address
from desk.requests.text import clean_line, clean_text


def _email(value: str) -> str:
    address = normalise_address(value)
    if address is None:
        raise ValueError("bukan alamat email yang sah")
    return address


def _phone(value: str) -> str:
    digits = "".join(ch for ch in value if ch.isdigit())
    if not 8 <= len(digits) <= 15:
        raise ValueError("nomor telepon harus 8 sampai 15 angka")
    return ("+" if value.strip().startswith("+") else "") + digits


def _required_line(value: str) -> str:
    cleaned = clean_line(value)
    if not cleaned:
        raise ValueError("wajib diisi")
    return cleaned


def _required_text(value: str) -> str:
    cleaned = clean_text(value)
    if not cleaned:
        raise ValueError("wajib diisi")
    return cleaned


Email = Annotated[str, StringConstraints(max_length=320), AfterValidator(_email)]
Phone = Annotated[str, StringConstraints(max_length=40), AfterValidator(_phone)]
Line = Annotated[str, StringConstraints(max_length=200), AfterValidator(_required_line)]
OptionalLine = Annotated[str, StringConstraints(max_length=200), AfterValidator(clean_line)]
Message = Annotated[str, StringConstraints(max_length=20_000), AfterValidator(_required_text)]


class MessageForm(BaseModel):
    """``POST /tickets/{number}/messages``: the requester adds information."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    text: Message
    attachment_upload_ids: list[Annotated[str, StringConstraints(max_length=64)]] = Field(
        default_factory=list, max_length=5
    )


class UploadForm(BaseModel):
    """``POST /uploads``: types only; the purpose's rules name each bad field afterwards."""

    model_config = ConfigDict(extra="forbid")

    purpose: str = Field(max_length=40)
    filename: str = Field(max_length=2048)
    content_type: str = Field(max_length=100)
    size: int


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
        default_factory=list, max_length=10
    )
