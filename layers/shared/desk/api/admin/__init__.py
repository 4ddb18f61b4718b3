"""The administration API's areas (/staff/admin/...): the reference data the desk runs on. Role admin
only, checked before the body is read. CSV imports take the CSV as the body (``Content-Type: text/csv``)
or JSON ``{"csv": "..."}``."""

from __future__ import annotations

from desk.api.admin import contracts, reference, trail, users

AREAS = (reference.AREA, contracts.AREA, users.AREA, trail.AREA)
# Imports take CSV as the body; everything else is JSON.
MEDIA_TYPES = ("application/json", "text/csv", "application/csv", "text/plain")
