"""What may happen to a request: the contract's statuses and staff actions, as pure rules.

Each rule takes the request as it stands and returns the change: its new status, the events to append
(kind, public or internal, the text the requester sees), and the fields to set. Illegal moves raise
:class:`Conflict` with a reason a person understands.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from desk.errors import Conflict, InvalidInput
from desk.requests.model import FINAL_STATUSES, RequestType, Status

OPEN_FOR_WORK = frozenset({Status.SUBMITTED, Status.IN_PROGRESS, Status.WAITING_REQUESTER})
MAX_EXTENSION_DAYS = 30
# Requests a workflow runs: their answer and their end are the steps' decisions (the Director signs a
# letter's answer, the LPSE's verifier decides a user ID, the organiser a training request).
WORKFLOW_TYPES = frozenset({RequestType.LETTER, RequestType.REGISTRATION, RequestType.TRAINING})
# What staff may still do to such a request from the console: hand it to a colleague, note internally.
STAFF_ACTIONS_ON_WORKFLOWS = frozenset({"assign"})


@dataclass(frozen=True)
class Change:
    status: str
    events: list[dict[str, Any]] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)
    notify_requester: str | None = None  # text to mail the requester, if any


def _event(kind: str, *, public: bool, text: str = "", **data: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "kind": kind,
        "public": public,
        "data": {k: v for k, v in data.items() if v is not None},
    }
    if text:
        event["text"] = text
    return event


def _require(value: str | None, name: str, why: str) -> str:
    if not value or not value.strip():
        raise InvalidInput(why, fields={name: "wajib diisi"})
    return value.strip()


def _closed_conflict(status: str) -> Conflict:
    return Conflict(
        f"Permintaan ini sudah berstatus {status}; tidak dapat diubah lagi. Buat permintaan baru bila perlu.",
        code="request_closed",
    )


def awaiting_confirmation(request: Mapping[str, Any]) -> bool:
    """A request the desk prepared (a user ID following a rejected one) that waits for its requester."""
    return bool((request.get("details") or {}).get("awaiting_confirmation"))


def require_staff_may(request: Mapping[str, Any], action: str) -> None:
    """Staff cannot short-circuit a running workflow: a public reply or a terminal action on a letter,
    user-ID or training request goes through the current step's decision (``reply`` stands for a public
    reply; internal notes are always allowed)."""
    if request.get("type") not in WORKFLOW_TYPES or Status(request["status"]) in FINAL_STATUSES:
        return
    if awaiting_confirmation(request):  # no workflow runs yet: staff may still close it
        return
    if action in STAFF_ACTIONS_ON_WORKFLOWS:
        return
    step = request.get("step") or "berjalan"
    raise Conflict(
        f"Permintaan ini dijalankan alur kerjanya (langkah {step}): jawaban dan penutupannya lewat keputusan "
        "langkah itu di daftar tugas. Catatan internal tetap bisa ditambahkan.",
        code="workflow_owned",
    )


@dataclass(frozen=True, slots=True)
class _Asked:
    """One staff action asked of a request that is still open, with everything the actions take."""

    request: Mapping[str, Any]
    status: Status
    actor: str
    reason: str | None
    assignee: str | None
    working_days: int | None
    forward_to: str | None
    transfer_to: tuple[str, str] | None

    @property
    def was_answered(self) -> bool:
        return self.status == Status.ANSWERED


def apply_action(
    request: Mapping[str, Any],
    action: str,
    *,
    actor: str,
    reason: str | None = None,
    assignee: str | None = None,
    working_days: int | None = None,
    forward_to: str | None = None,
    transfer_to: tuple[str, str] | None = None,
) -> Change:
    """``transfer_to`` is the (id, name) of the unit a ``transfer`` hands the request to."""
    status = Status(request["status"])
    if status in FINAL_STATUSES:
        raise _closed_conflict(status)
    rule = _ACTIONS.get(action)
    if rule is None:
        raise InvalidInput("Tindakan tidak dikenal.", fields={"action": f"tidak dikenal: {action}"})
    return rule(_Asked(request, status, actor, reason, assignee, working_days, forward_to, transfer_to))


def _assign(asked: _Asked) -> Change:
    who = _require(asked.assignee, "assignee", "Sebutkan petugas yang ditugasi.")
    new = Status.IN_PROGRESS if asked.status == Status.SUBMITTED else asked.status
    return Change(new, [_event("assigned", public=False, assignee=who, by=asked.actor)], {"assignee": who})


def _hold(asked: _Asked) -> Change:
    if asked.status not in (Status.SUBMITTED, Status.IN_PROGRESS):
        raise Conflict("Hanya permintaan yang sedang diproses yang dapat ditunda.", code="illegal_transition")
    text = _require(asked.reason, "reason", "Sebutkan informasi apa yang ditunggu dari pemohon.")
    return Change(
        Status.WAITING_REQUESTER,
        [_event("held", public=True, text=text, by=asked.actor)],
        notify_requester=text,
    )


def _resume(asked: _Asked) -> Change:
    if asked.status != Status.WAITING_REQUESTER:
        raise Conflict("Permintaan ini tidak sedang menunggu pemohon.", code="illegal_transition")
    return Change(Status.IN_PROGRESS, [_event("resumed", public=True, by=asked.actor, reason=asked.reason)])


def _forward(asked: _Asked) -> Change:
    text = _require(asked.reason, "reason", "Sebutkan alasan penerusan.")
    target = _require(asked.forward_to, "to", "Sebutkan instansi atau unit tujuan.")
    return Change(
        Status.FORWARDED,
        [_event("forwarded", public=True, text=text, to=target, by=asked.actor)],
        notify_requester=f"{text} (diteruskan ke {target})",
    )


def _transfer(asked: _Asked) -> Change:
    # Another unit of the desk takes the request: still open, its clock running on; ``forward`` is for
    # bodies outside the desk, and final. The requester reads the unit's name, never its id.
    if asked.transfer_to is None or not asked.transfer_to[0]:
        raise InvalidInput("Pilih unit tujuan.", fields={"unit": "wajib diisi"})
    unit, name = asked.transfer_to
    if unit == asked.request.get("unit"):
        raise InvalidInput("Permintaan ini sudah ditangani unit itu.", fields={"unit": "unit yang sama"})
    why = _require(asked.reason, "reason", "Sebutkan alasan pemindahan.")
    text = f"Permintaan Anda kini ditangani oleh {name}."
    moved = _event("transferred", public=True, text=text, by=asked.actor, reason=why, to=unit)
    moved["data"]["from"] = asked.request.get("unit")
    return Change(asked.status, [moved], {"unit": unit, "assignee": ""})


def _resolve(asked: _Asked) -> Change:
    reason = asked.reason
    if asked.was_answered:
        raise Conflict("Permintaan ini sudah dijawab.", code="illegal_transition")
    if not asked.request.get("has_public_reply") and not (reason and reason.strip()):
        raise InvalidInput(
            "Belum ada jawaban untuk pemohon: kirim balasan dulu, atau tulis alasannya.",
            fields={"reason": "wajib bila belum ada balasan"},
        )
    return Change(
        Status.ANSWERED,
        [_event("answered", public=True, text=(reason or "").strip(), by=asked.actor)],
        notify_requester=(reason or "").strip() or None,
    )


def _close(asked: _Asked) -> Change:
    reason = asked.reason
    if not asked.was_answered and not (reason and reason.strip()):
        raise InvalidInput(
            "Menutup permintaan yang belum dijawab memerlukan alasan.",
            fields={"reason": "wajib bila belum dijawab"},
        )
    return Change(Status.CLOSED, [_event("closed", public=True, text=(reason or "").strip(), by=asked.actor)])


def _reject(asked: _Asked) -> Change:
    text = _require(asked.reason, "reason", "Sebutkan alasan penolakan.")
    if asked.request.get("type") == RequestType.PAYMENT_PROOF:  # not a dead end: a new proof replaces it
        text += " Silakan kirim bukti pembayaran yang baru melalui formulir bukti pembayaran."
    return Change(
        Status.REJECTED, [_event("rejected", public=True, text=text, by=asked.actor)], notify_requester=text
    )


def _extend(asked: _Asked) -> Change:
    if asked.was_answered:
        raise Conflict("Permintaan yang sudah dijawab tidak perlu diperpanjang.", code="illegal_transition")
    text = _require(asked.reason, "reason", "Sebutkan alasan perpanjangan.")
    working_days = asked.working_days
    if not isinstance(working_days, int) or not 1 <= working_days <= MAX_EXTENSION_DAYS:
        raise InvalidInput("Perpanjangan 1 sampai 30 hari kerja.", fields={"working_days": "1 sampai 30"})
    return Change(
        asked.status,
        [_event("extended", public=True, text=text, working_days=working_days, by=asked.actor)],
        notify_requester=text,
    )


def _verify(asked: _Asked) -> Change:
    if asked.request.get("type") != RequestType.PAYMENT_PROOF:
        raise Conflict("Hanya bukti pembayaran yang diverifikasi.", code="illegal_transition")
    return Change(
        Status.CLOSED,
        [_event("verified", public=True, by=asked.actor), _event("answered", public=False, by=asked.actor)],
        notify_requester="Bukti pembayaran Anda telah diverifikasi.",
    )


#: What each staff action does to an open request.
_ACTIONS: Mapping[str, Callable[[_Asked], Change]] = MappingProxyType(
    {
        "assign": _assign,
        "hold": _hold,
        "resume": _resume,
        "forward": _forward,
        "transfer": _transfer,
        "resolve": _resolve,
        "close": _close,
        "reject": _reject,
        "extend": _extend,
        "verify": _verify,
    }
)


def staff_reply(
    request: Mapping[str, Any], *, text: str, internal: bool, actor: str, set_status: str | None
) -> Change:
    status = Status(request["status"])
    if status in FINAL_STATUSES:
        raise _closed_conflict(status)
    body = _require(text, "text", "Balasan tidak boleh kosong.")
    if internal:
        return Change(status, [_event("note", public=False, text=body, by=actor)])
    new = Status.IN_PROGRESS if status == Status.SUBMITTED else status
    events = [_event("replied", public=True, text=body, by=actor)]
    if set_status == Status.ANSWERED and status != Status.ANSWERED:
        new = Status.ANSWERED
        events.append(_event("answered", public=True, by=actor))
    elif set_status == Status.WAITING_REQUESTER and status in (Status.SUBMITTED, Status.IN_PROGRESS):
        new = Status.WAITING_REQUESTER
        events.append(_event("held", public=True, by=actor))
    elif set_status not in (None, ""):
        raise InvalidInput(
            "Status setelah balasan hanya answered atau waiting_requester.",
            fields={"status": "answered atau waiting_requester"},
        )
    return Change(new, events, {"has_public_reply": True}, notify_requester=body)


def requester_message(request: Mapping[str, Any], *, text: str, working_days: int) -> Change:
    """The requester adds information: a paused clock resumes, an answered request reopens."""
    status = Status(request["status"])
    if status in FINAL_STATUSES:
        raise _closed_conflict(status)
    body = _require(text, "text", "Pesan tidak boleh kosong.")
    events = [_event("requester_wrote", public=True, text=body)]
    new = status
    if awaiting_confirmation(request):  # only the confirmation starts it
        return Change(new, events)
    if status == Status.WAITING_REQUESTER:
        new = Status.IN_PROGRESS
        events.append(_event("resumed", public=True, by="requester"))
    elif status == Status.ANSWERED:
        new = Status.IN_PROGRESS
        events.append(_event("reopened", public=True, working_days=working_days))
    return Change(new, events)
