"""Which other file types, arriving as email attachments, an admin allows to be served.

PDF, JPEG and PNG pass the desk's own checks; anything else that arrives by email is kept and listed for
staff but not served, unless an admin allows its content type here (for example a spreadsheet that
providers often send). Allowed types are still held to the size limit and, in AWS, the malware scan.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from desk import reference
from desk.admin.audit import audit_item, who
from desk.admin.forms import validate
from desk.admin.repository import Stored, changed_meanwhile
from desk.data import schema
from desk.staff import StaffUser

PARTITION = schema.SETTINGS_PK
KEY = "attachment_types"
_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$")
NEVER = {"application/x-msdownload", "application/x-sh", "application/javascript", "text/html"}


class AttachmentTypesForm(BaseModel):
    model_config = ConfigDict(extra="forbid")

    types: list[str] = Field(
        max_length=50,
        json_schema_extra={
            "items": {"type": "string", "pattern": _TYPE.pattern, "not": {"enum": list(sorted(NEVER))}}
        },
    )

    @field_validator("types")
    @classmethod
    def _valid(cls, value: list[str]) -> list[str]:
        cleaned = sorted({t.strip().lower() for t in value})
        for content_type in cleaned:
            if not _TYPE.match(content_type):
                raise ValueError(f"bukan jenis berkas yang sah: {content_type}")
            if content_type in NEVER:
                raise ValueError(f"jenis ini tidak pernah disajikan: {content_type}")
        return cleaned


def allowed_types() -> set[str]:
    items = reference.cached_partition(PARTITION)
    found = next((i for i in items if i.get("sk") == KEY), None)
    return set(found.get("types", [])) if found else set()


def view() -> dict[str, Any]:
    return {"types": sorted(allowed_types())}


def replace(data: Any, *, user: StaffUser, now: datetime) -> dict[str, Any]:
    form = validate(AttachmentTypesForm, data)
    before = view()
    after = {"types": form.types}
    audit = audit_item(
        "attachment_types", KEY, who=who(user), what="replace", before=before, after=after, now=now
    )
    # The setting is replaced whole, whatever it held: nothing to be refused but a write at the same time.
    reference.repository().save_change(
        [Stored({"pk": PARTITION, "sk": KEY, **after}), Stored(audit)], refused=changed_meanwhile()
    )
    reference.forget(PARTITION)
    return after
