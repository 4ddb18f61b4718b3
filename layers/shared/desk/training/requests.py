"""``POST /training-requests``: an institution asks for a training for its people, with its request
letter; the organiser owes a reply letter within the policy's working days (5 by the standard)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from desk import clock, runtime
from desk.calendar import zone
from desk.calendar_store import current_calendar
from desk.data.requests import repository as requests_repository
from desk.dates import human_date
from desk.documents import uploads
from desk.errors import RuleViolation
from desk.fields import Email, Line, OptionalLine, Phone
from desk.requests import acknowledge, intake
from desk.requests.model import Channel, RequestType
from desk.requests.store import attach_uploads
from desk.settings import get_settings
from desk.training import rules
from desk.validation import field_problem

TZ = "Asia/Jakarta"  # the organiser's unit is at LKPP (WIB)
LETTER_PURPOSES = {"training_letter"}


class Participant(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Line
    email: Email
    position: OptionalLine | None = None


class TrainingForm(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    institution: Line
    contact_name: Line
    email: Email
    phone: Phone
    # The cap is checked before the items: 10,000 participants are refused without validating each.
    participants: list[dict[str, Any]] = Field(
        min_length=1,
        max_length=rules.MAX_PARTICIPANTS,
        # Shown as a list of participants (each is checked below, so a bad one is named by its row).
        json_schema_extra=lambda schema: schema.update(items=Participant.model_json_schema()),
    )
    preferred_start: date
    letter_upload_id: Annotated[str, Field(min_length=8, max_length=64)]

    @model_validator(mode="after")
    def _people(self) -> TrainingForm:
        for index, raw in enumerate(self.participants):
            if not isinstance(raw, dict) or not str(raw.get("email") or "").strip():
                raise ValueError(f"participants.{index}.email: peserta ke-{index + 1}: email wajib diisi")
            try:
                Participant.model_validate(raw)
            except ValueError as error:
                raise ValueError(_first_problem(error, index)) from None
        return self

    def repeated_people(self) -> dict[str, str]:
        """A person listed twice (well-formed, refused by the rule of one seat each): named per row."""
        seen: set[str] = set()
        problems: dict[str, str] = {}
        for index, person in enumerate(self.people()):
            if person["email"] in seen:
                problems[f"participants.{index}.email"] = (
                    f"peserta ke-{index + 1} disebut dua kali ({person['email']})"
                )
            seen.add(person["email"])
        return problems

    def people(self) -> list[dict[str, Any]]:
        return [Participant.model_validate(raw).model_dump(exclude_none=True) for raw in self.participants]


def _first_problem(error: Any, index: int) -> str:
    """The participant's first problem as "participants.<i>.<field>: what is wrong" (named beside it)."""
    problems = error.errors() if hasattr(error, "errors") else []
    if not problems:
        return f"participants.{index}: peserta ke-{index + 1}: {error}"
    first = problems[0]
    where = ".".join(str(p) for p in first.get("loc", ())) or "name"
    return f"participants.{index}.{where}: peserta ke-{index + 1}: {field_problem(first)}"


def submit(
    form: TrainingForm, *, now: datetime, idempotency_key: str | None, client: str = ""
) -> dict[str, Any]:
    from desk.admin.policies import policy_for

    calendar = current_calendar().scoped()
    today = now.astimezone(zone(TZ)).date()
    # Well-formed, refused by the service's rules (422), every problem at once.
    problems = form.repeated_people()
    problem = rules.start_problem(calendar, form.preferred_start, today=today)
    if problem:
        problems["preferred_start"] = problem
    if problems:
        message = (
            "Tanggal mulai yang diinginkan tidak dapat dipakai."
            if list(problems) == ["preferred_start"]
            else "Ada isian yang tidak dapat diterima."
        )
        raise RuleViolation(message, fields=problems)
    store = requests_repository()
    keys = (f"training:{idempotency_key}",) if idempotency_key else ()
    attached = uploads.usable_uploads(
        [form.letter_upload_id],
        purposes=LETTER_PURPOSES,
        now=now,
        field="letter_upload_id",
        replay_of=intake.keyed_number(keys, store=store, now=now),
    )
    people = form.people()
    requester = {
        "name": form.contact_name,
        "email": form.email,
        "phone": form.phone,
        "institution": form.institution,
        "participants": people,  # personal data: kept with the identity, not in the request's details
    }
    new = intake.NewRequest(
        type=RequestType.TRAINING,
        channel=Channel.WEB,
        subject=f"Permohonan pelatihan e-Purchasing: {form.institution}",
        body=f"{len(people)} peserta, mulai yang diinginkan {human_date(form.preferred_start)}",
        requester=requester,
        unit=rules.UNIT,
        working_days=policy_for("training").working_days,
        tz=TZ,
        details={
            "institution": form.institution,
            "participants": len(people),
            "preferred_start": form.preferred_start.isoformat(),
        },
        documents=tuple(attached),
    )
    receipt = intake.submit(
        new,
        now=now,
        store=store,
        calendar=current_calendar(),
        claims=attach_uploads(attached, at=clock.iso(now)),
        idempotency_keys=keys,
    )
    if not receipt.repeated:
        # The acknowledgement is the request's second event: written before the workflow writes its own.
        acknowledge.acknowledge(new, receipt, settings=get_settings(), store=store, now=now, client=client)
    intake.ensure_workflow(workflow_arn(), receipt, new, store=store, now=now)
    return receipt.public()


def workflow_arn() -> str:
    # Read when used, from the function's own environment (template: TRAINING_WORKFLOW_ARN).
    return str(runtime.current().environ.get("TRAINING_WORKFLOW_ARN", ""))
