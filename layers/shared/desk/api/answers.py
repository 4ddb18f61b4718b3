"""What the routes answer on success, as models the API document shows (and the fuzz tier holds the
answers to). Fields beyond these may follow; clients rely on the ones named."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class _Answer(BaseModel):
    model_config = ConfigDict(extra="allow")


class Receipt(_Answer):
    """A new request: its number and the access code the requester keeps."""

    number: str
    access_code: str
    status: str
    due_at: str | None = None


class PaymentReceipt(Receipt):
    flags: list[str]


class UploadPolicy(_Answer):
    """A presigned S3 POST for one file."""

    upload_id: str
    url: str
    fields: dict[str, str]
    expires_at: str
    max_size: int


class RequestStatus(_Answer):
    """What a requester sees of their request."""

    number: str
    type: str
    status: str
    created_at: str
    due_at: str | None = None
    tz: str
    timeline: list[dict[str, Any]]
    replies: list[dict[str, Any]]
    documents: list[dict[str, Any]]


class StaffMember(_Answer):
    username: str
    email: str | None = None
    roles: list[str]
    unit: str | None = None


class Items(_Answer):
    """A list (of units, tasks, sessions...)."""

    items: list[dict[str, Any]]
