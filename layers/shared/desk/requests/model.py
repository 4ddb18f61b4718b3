"""The request's vocabulary (contract: types, channels, statuses) and its pure rules."""

from __future__ import annotations

from enum import StrEnum


class RequestType(StrEnum):
    COMPLAINT = "complaint"
    SUGGESTION = "suggestion"
    INPUT = "input"
    REGISTRATION = "registration"
    TRAINING = "training"
    PAYMENT_PROOF = "payment_proof"
    LETTER = "letter"
    WALK_IN = "walk_in"
    CALL = "call"


class Channel(StrEnum):
    WEB = "web"
    EMAIL = "email"
    PHONE = "phone"
    LETTER = "letter"
    WALK_IN = "walk_in"


class Status(StrEnum):
    SUBMITTED = "submitted"
    IN_PROGRESS = "in_progress"
    WAITING_REQUESTER = "waiting_requester"
    ANSWERED = "answered"
    CLOSED = "closed"
    REJECTED = "rejected"
    FORWARDED = "forwarded"


FINAL_STATUSES = frozenset({Status.CLOSED, Status.REJECTED, Status.FORWARDED})

# Default answer limits in working days (domain-rules §2; SLA policies override them per type).
DEFAULT_WORKING_DAYS: dict[RequestType, int] = {
    RequestType.COMPLAINT: 5,
    RequestType.SUGGESTION: 5,
    RequestType.INPUT: 5,
    RequestType.CALL: 5,
    RequestType.WALK_IN: 5,
    RequestType.TRAINING: 5,
    RequestType.LETTER: 10,
    RequestType.PAYMENT_PROOF: 5,
}

TYPE_LABELS_ID: dict[RequestType, str] = {
    RequestType.COMPLAINT: "pengaduan",
    RequestType.SUGGESTION: "saran",
    RequestType.INPUT: "masukan",
    RequestType.REGISTRATION: "permohonan user ID",
    RequestType.TRAINING: "permohonan pelatihan",
    RequestType.PAYMENT_PROOF: "bukti pembayaran",
    RequestType.LETTER: "surat",
    RequestType.WALK_IN: "konsultasi langsung",
    RequestType.CALL: "pengaduan telepon",
}

TYPE_LABELS_EN: dict[RequestType, str] = {
    RequestType.COMPLAINT: "complaint",
    RequestType.SUGGESTION: "suggestion",
    RequestType.INPUT: "input",
    RequestType.REGISTRATION: "user ID request",
    RequestType.TRAINING: "training request",
    RequestType.PAYMENT_PROOF: "payment proof",
    RequestType.LETTER: "letter",
    RequestType.WALK_IN: "walk-in consultation",
    RequestType.CALL: "phone complaint",
}
