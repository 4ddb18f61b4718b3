"""The public API's areas: forms for people without a sign-in, their requests, and reference data."""

from __future__ import annotations

from desk.api.public import forms, reference, tickets

AREAS = (forms.AREA, tickets.AREA, reference.AREA)
