"""Who the staff member is, the desk's units, and uploads for the staff's own purposes."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Body

from desk import clock
from desk.admin import units
from desk.api.answers import Items, StaffMember, UploadPolicy
from desk.api.routes import Area
from desk.documents import uploads
from desk.documents.purposes import validate_upload_request
from desk.requests.forms import StaffUploadForm

AREA = Area(signed_in=True)


@AREA.get("/staff/me", model=StaffMember)
def whoami() -> dict[str, Any]:
    user = AREA.caller()
    return {"username": user.username, "email": user.email, "roles": sorted(user.roles), "unit": user.unit}


@AREA.get("/staff/units", model=Items)
def unit_names() -> dict[str, Any]:
    """Every unit's id, name, kind and parent, for any staff member's choices (forward, disposition,
    walk-in); heads and changes stay with the admin API."""
    return units.list_public()


# The staff's purposes: letter scans, drafts, signed letters.
@AREA.post("/staff/uploads", status=201, answer="a presigned S3 POST", model=UploadPolicy)
def staff_upload(form: Annotated[StaffUploadForm, Body()]) -> dict[str, Any]:
    spec = validate_upload_request(form.purpose, form.filename, form.content_type, form.size, door=form.door)
    return uploads.request_upload(spec, now=clock.now())
