"""The letter chain's rules, pure: numbers, limits, which step a letter is at, and what the sender reads.

Working days each hop gets (**decision**, domain rules name only the Subdit's): the Director disposes
within 2 and signs within 2, the Secretary dispatches within 1 and confirms by phone within 3. The
Subdit's limit is the SLA policy for letters (10 by default, domain rules §2), counted from that Subdit's
own receipt of the disposition. The letter's own deadline, the one its queue and status page show, is the
sum of the hops up to dispatch, counted from the Secretary's stamp.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any, Literal, get_args
from zoneinfo import ZoneInfo

from desk import ids

LETTER_UNIT = "dit-katalog"  # the Secretary's and the Director's unit: the letter's own queue
TZ = "Asia/Jakarta"

DISPOSITION_DAYS = 2
SIGNATURE_DAYS = 2
DISPATCH_DAYS = 1
CONFIRMATION_DAYS = 3  # "reminded if not done within 3 working days"

FUTURE_TOLERANCE = timedelta(minutes=5)  # clocks of the scanner's PC and ours may differ a little

INSTRUCTIONS = {
    "tindak_lanjuti": "tindak lanjuti",
    "siapkan_jawaban": "siapkan jawaban",
    "untuk_diketahui": "untuk diketahui",
    "koordinasikan": "koordinasikan",
}
# The service standard answers complaints, suggestions and input by letter too.
LetterKind = Literal[
    "permohonan", "pengaduan", "saran", "masukan", "undangan", "pemberitahuan", "laporan", "lainnya"
]
LETTER_KINDS: tuple[str, ...] = get_args(LetterKind)
FOR_INFORMATION_REASON = "Surat dicatat untuk diketahui; tidak memerlukan jawaban."

# Where an answer stands, in the order a letter moves through them.
ANSWERING, SIGNING, SIGNED = "answering", "signing", "signed"

_DAY_SECONDS = 86_400
_FIRST_PAUSE_SECONDS = 60


def agenda_number(year: int, sequence: int) -> str:
    """Nomor agenda: ``AG-YYYY-NNNNNN``, the incoming-letter book's own yearly sequence (by the stamp's
    year in WIB), shaped like request numbers so staff read both the same way."""
    return ids.sequenced("AG", year, sequence)


def outgoing_number(year: int, sequence: int) -> str:
    """Nomor surat keluar: ``SKL-YYYY-NNNNNN``, one yearly sequence for every outgoing letter of the desk
    (letter answers and training replies alike), by the signing year in WIB."""
    return ids.sequenced("SKL", year, sequence)


def wib_year(moment: datetime) -> int:
    return moment.astimezone(ZoneInfo(TZ)).year


def chain_working_days(answer_days: int) -> int:
    """The letter's own deadline: every hop up to dispatch (phone confirmation comes after the answer)."""
    return DISPOSITION_DAYS + answer_days + SIGNATURE_DAYS + DISPATCH_DAYS


def received_problems(received_at: datetime, letter_date: date, now: datetime) -> dict[str, str]:
    """What is wrong with a stamp: in the future, or before the letter was even dated."""
    if received_at > now + FUTURE_TOLERANCE:
        return {"received_at": "waktu terima tidak boleh di masa depan"}
    if received_at.astimezone(ZoneInfo(TZ)).date() < letter_date:
        return {"received_at": "waktu terima lebih awal dari tanggal surat"}
    return {}


def unknown_subdits(chosen: list[str], kinds: Mapping[str, str]) -> list[str]:
    """The chosen units that are not Subdits (``kinds`` maps each known unit to its kind)."""
    return [unit for unit in chosen if kinds.get(unit) != "subdit"]


def current_step(details: Mapping[str, Any]) -> str:
    """The request's ``step`` from its answers: the least advanced answer decides (several Subdits run in
    parallel), and once every answer is signed the letter waits for dispatch."""
    disposition = details.get("disposition")
    if not disposition:
        return "disposition"
    answers = details.get("answers") or {}
    states = [str((answers.get(unit) or {}).get("status", ANSWERING)) for unit in disposition["units"]]
    if ANSWERING in states:
        return "subdit_answer"
    if SIGNING in states:
        return "signature"
    return "dispatch"


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def answer_subject(
    subject: str, unit_name: str, *, instruction: str | None, notes: str, returned_notes: str = ""
) -> str:
    """What the Subdit's ask shows: the letter, the instruction, the Director's notes (and, after a
    return, what the Director asked to change)."""
    parts = [f"{subject} — {unit_name}"]
    if returned_notes:
        parts.append(f"dikembalikan Direktur: {returned_notes}")
    if instruction:
        parts.append(f"instruksi: {INSTRUCTIONS.get(instruction, instruction)}")
    if notes:
        parts.append(f"catatan: {notes}")
    return _cut("; ".join(parts), 500)


def signature_subject(subject: str, unit_name: str) -> str:
    return _cut(f"{subject} — jawaban {unit_name}", 300)


def trouble_pause_seconds(attempts: int, working_day_seconds: float) -> int:
    """How long a failing task waits before it runs again: 1 minute, ×4 each time, at most a day. In the
    local demonstration mode a day of waiting lasts ``working_day_seconds``, so the pause shrinks alike."""
    seconds = min(_DAY_SECONDS, _FIRST_PAUSE_SECONDS * 4 ** max(0, attempts - 1))
    if working_day_seconds > 0:
        return max(1, round(seconds / _DAY_SECONDS * working_day_seconds))
    return int(seconds)


# What the Secretary reads when a task of the chain fails (the state machine's state names).
_STATE_LABELS = {
    "Dispose": "pencatatan disposisi",
    "Open": "penerusan disposisi ke Subdit",
    "Answered": "pencatatan draf jawaban",
    "Sign": "pencatatan tanda tangan",
    "Return": "pengembalian jawaban ke Subdit",
    "Dispatched": "pencatatan pengiriman",
    "Close": "penutupan surat",
    "Answers": "jawaban Subdit",
    "Disposition": "permintaan disposisi",
    "Answer": "permintaan jawaban Subdit",
    "Signature": "permintaan tanda tangan",
    "Dispatch": "permintaan pengiriman",
    "Confirmation": "permintaan konfirmasi telepon",
}


def state_label(state: str) -> str:
    return _STATE_LABELS.get(state.removesuffix("Stuck"), state)


def disposed_text(units: list[str], names: Mapping[str, str], *, directly: bool) -> str:
    if directly:
        return "Surat dijawab langsung oleh Direktorat."
    return "Surat didisposisikan Direktur kepada " + ", ".join(names.get(u, u) for u in units) + "."


def dispatched_text(fields: Mapping[str, Any]) -> str:
    if fields.get("decision") == "fax":
        return "Surat jawaban telah dikirim lewat faks."
    courier, tracking = fields.get("courier", ""), fields.get("tracking_number", "")
    return f"Surat jawaban telah dikirim lewat kurir {courier} (nomor resi {tracking})."


def confirmation_text(decision: str) -> str:
    if decision == "confirmed":
        return "Penerimaan surat jawaban telah dikonfirmasi lewat telepon."
    return "Pengirim tidak dapat dihubungi untuk konfirmasi; surat jawaban telah dikirim."
