"""The steps a workflow asks a person to decide, with the decisions and fields of the contract's table."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from desk.errors import InvalidInput
from desk.fields import Reason
from desk.training import rules
from desk.validation import field_problem


class _Decision(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Disposition(_Decision):
    decision: Literal["dispose", "answer_directly", "for_information"]
    subdits: list[str] = Field(default_factory=list, max_length=10)
    instruction: Literal["tindak_lanjuti", "siapkan_jawaban", "untuk_diketahui", "koordinasikan"] | None = (
        None
    )
    notes: str = Field(default="", max_length=2000)

    @model_validator(mode="after")
    def _subdits_when_disposed(self) -> Disposition:
        if self.decision == "dispose" and not self.subdits:
            raise ValueError("subdits: pilih minimal satu Subdit")
        if self.decision == "dispose" and not self.instruction:
            raise ValueError("instruction: pilih instruksi disposisi")
        return self


class SubditAnswer(_Decision):
    decision: Literal["submit_draft"]
    draft_upload_id: str = Field(min_length=8, max_length=64)
    summary: Reason = Field(min_length=3, max_length=4000)


class Signature(_Decision):
    decision: Literal["sign", "return"]
    notes: str = Field(default="", max_length=2000)
    signed_upload_id: str | None = Field(default=None, max_length=64)

    @model_validator(mode="after")
    def _notes_when_returned(self) -> Signature:
        if self.decision == "return" and not self.notes:
            raise ValueError("notes: tulis catatan untuk Subdit")
        return self


class Dispatch(_Decision):
    decision: Literal["fax", "courier"]
    fax_number: str | None = Field(default=None, max_length=40)
    sent_at: datetime | None = None
    courier: str | None = Field(default=None, max_length=100)
    tracking_number: str | None = Field(default=None, max_length=100)

    @model_validator(mode="after")
    def _how(self) -> Dispatch:
        if self.decision == "fax" and not (self.fax_number and self.sent_at):
            raise ValueError("fax_number: isi nomor faks dan waktu kirim")
        if self.decision == "courier" and not (self.courier and self.tracking_number):
            raise ValueError("tracking_number: isi nama kurir dan nomor resi")
        return self


class Confirmation(_Decision):
    decision: Literal["confirmed", "unreachable"]
    notes: str = Field(default="", max_length=2000)


class Verification(_Decision):
    decision: Literal["approve", "reject"]
    reason: str = Field(default="", max_length=2000)

    @model_validator(mode="after")
    def _reason_when_rejected(self) -> Verification:
        if self.decision == "reject" and not self.reason:
            raise ValueError("reason: tulis alasan penolakan")
        return self


class TrainingReply(_Decision):
    decision: Literal["accept", "decline"]
    session_id: str | None = Field(default=None, max_length=64)
    start_date: date | None = None
    place: str | None = Field(default=None, max_length=300)
    capacity: int | None = Field(default=None, ge=1, le=10_000)
    fee: int | None = Field(default=None, ge=0, le=rules.MAX_FEE)
    reason: str = Field(default="", max_length=2000)

    @model_validator(mode="after")
    def _what(self) -> TrainingReply:
        if self.decision == "decline" and not self.reason:
            raise ValueError("reason: tulis alasan penolakan")
        if (
            self.decision == "accept"
            and not self.session_id
            and not (self.start_date and self.place and self.capacity)
        ):
            raise ValueError("session_id: pilih sesi, atau isi tanggal mulai, tempat dan kapasitas sesi baru")
        return self


@dataclass(frozen=True)
class Step:
    name: str  # e.g. "letter:disposition"
    role: str  # the role asked (contract's decision table)
    title: str  # what is asked, in Bahasa Indonesia
    model: type[_Decision]
    sign_in_required: bool = False  # acts with legal weight: the link alone is not enough


STEPS: Mapping[str, Step] = {
    step.name: step
    for step in (
        Step("letter:disposition", "director", "Disposisi surat masuk", Disposition),
        Step("letter:subdit_answer", "subdit", "Jawaban Subdit atas disposisi", SubditAnswer),
        Step("letter:signature", "director", "Tanda tangan surat jawaban", Signature, sign_in_required=True),
        Step("letter:dispatch", "secretary", "Pengiriman surat jawaban", Dispatch),
        Step("letter:confirmation", "secretary", "Konfirmasi penerimaan lewat telepon", Confirmation),
        Step("registration:verification", "lpse_verifier", "Verifikasi permohonan user ID", Verification),
        Step("training:reply", "training", "Balasan permohonan pelatihan", TrainingReply),
    )
}


def step(name: str) -> Step:
    try:
        return STEPS[name]
    except KeyError:
        raise InvalidInput("Langkah tidak dikenal.", fields={"step": name}) from None


def validate_decision(step_name: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The decision and its fields, checked against the step's row of the table; 400 naming the field."""
    model = step(step_name).model
    try:
        parsed = model.model_validate(dict(fields))
    except ValidationError as error:
        problems: dict[str, str] = {}
        for problem in error.errors():
            location = [str(p) for p in problem.get("loc", ())]
            message = field_problem(problem)
            if not location and ":" in message:
                name, _, message = message.partition(":")
                location = [name.strip()]
            problems.setdefault(".".join(location) or "decision", message.strip())
        raise InvalidInput("Keputusan belum lengkap atau tidak sah.", fields=problems) from None
    return parsed.model_dump(mode="json", exclude_none=True)
