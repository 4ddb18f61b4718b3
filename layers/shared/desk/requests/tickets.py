"""The web form's door (``POST /tickets``): a complaint, suggestion or input with its attachments, stored
once per Idempotency-Key and acknowledged to the requester."""

from __future__ import annotations

from datetime import datetime

from desk import clock
from desk.calendar_store import current_calendar
from desk.data.requests import repository as requests_repository
from desk.requests import acknowledge, intake
from desk.requests.forms import TicketForm
from desk.requests.store import attach_uploads
from desk.settings import get_settings


def submit(form: TicketForm, *, now: datetime, idempotency_key: str | None, client: str) -> intake.Receipt:
    from desk.documents import uploads

    new = intake.ticket_request(form)
    store = requests_repository()
    keys = (f"web:{idempotency_key}",) if idempotency_key else ()
    attached = uploads.usable_uploads(
        form.attachment_upload_ids,
        purposes={"attachment"},
        now=now,
        field="attachment_upload_ids",
        replay_of=intake.keyed_number(keys, store=store, now=now),
    )
    receipt = intake.submit(
        new,
        now=now,
        store=store,
        idempotency_keys=keys,
        calendar=current_calendar(),
        claims=attach_uploads(attached, at=clock.iso(now)),
    )
    acknowledge.acknowledge(new, receipt, settings=get_settings(), store=store, now=now, client=client)
    return receipt
