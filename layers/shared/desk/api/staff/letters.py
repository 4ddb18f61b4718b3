"""Letters that arrive on paper: the Secretary registers the scan and the date stamp."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Body

from desk import clock
from desk.api.answers import Receipt
from desk.api.routes import Area
from desk.letters import registration

AREA = Area(roles={"secretary"})


@AREA.post("/staff/letters", status=201, answer="the letter, registered", model=Receipt)
def register_letter(form: Annotated[registration.LetterForm, Body()]) -> dict[str, Any]:
    return registration.register(form, user=AREA.caller(), now=clock.now())
