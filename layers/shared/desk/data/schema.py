"""Every kind of item in the desk's one DynamoDB table: its keys, its index keys and the access pattern
each index serves. The key builders below are the only place a key is spelled; the README's table of
access patterns is :func:`markdown`, checked by a unit test so the two cannot drift.

One table, ``pk``/``sk`` strings; three global indexes (``gsi1``, ``gsi2`` project everything; ``gsi3``
projects the SLA snapshot, status, unit and assignee for the sweep). ``expires_at`` (epoch seconds) is
the TTL attribute.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str
    pk: str
    sk: str
    about: str
    indexes: str = ""  # the index keys it carries, if any
    ttl: bool = False


@dataclass(frozen=True)
class Access:
    pattern: str
    index: str  # "table" for the base table
    key: str  # the key condition


KINDS: tuple[Kind, ...] = (
    Kind(
        "request",
        "REQ#<number>",
        "REQ",
        "a request: status, unit, assignee, SLA snapshot, version",
        "open: gsi1 QUEUE#<unit> / gsi2 ASSIGNEE#<user> / gsi3 OPEN, sk <due_at>#<number>",
    ),
    Kind(
        "identity", "REQ#<number>", "IDENTITY", "who asked (kept apart: an anonymous requester's is hidden)"
    ),
    Kind("event", "REQ#<number>", "EVT#<000001>", "the request's log, append-only, written with its version"),
    Kind("request audit", "REQ#<number>", "AUDIT#<at>#<random>", "a task's audit entry on its request"),
    Kind("letter trouble", "REQ#<number>", "TROUBLE#<state>#<unit>", "a letter step that keeps failing"),
    Kind("counter", "COUNTER#<name>", "COUNTER", "yearly sequences of numbers (request, agenda, letter)"),
    Kind(
        "idempotency",
        "IDEMPOTENCY#key#<digest> | IDEMPOTENCY#repeat#<digest>",
        "IDEMPOTENCY",
        "a door's receipt for a retried or repeated submission",
        ttl=True,
    ),
    Kind(
        "task",
        "TASK#<task_id>",
        "TASK",
        "an ask-a-person step: who, deadline, token, decision",
        "open: gsi1 TASKS#<role>#<unit>, gsi2 TASKS#person#<email>, sk <due_at>#<task_id>",
    ),
    Kind("upload", "UPLOAD#<upload_id>", "UPLOAD", "an uploaded file: purpose, check result, request"),
    Kind("mail seen", "MAILSEEN#<key>", "MAILSEEN", "an inbound mail already handled", ttl=True),
    Kind("payment proof", "PROOF#<transaction>#<role>", "PROOF", "the proof of one transaction, per role"),
    Kind("proof file", "PROOFSHA#<sha256>", "PROOFSHA", "one file is one transaction's proof only"),
    Kind("proof reminder", "PROOFREMIND#<transaction>", "<ISO year>-W<week>", "a weekly reminder sent"),
    Kind("open registration", "REGOPEN#<lpse>#<email>", "REGOPEN", "one open user-ID request per LPSE"),
    Kind(
        "rate window",
        "RATE#number#… | RATE#client#… | ACKRATE#…",
        "<window>",
        "wrong codes and acknowledgements counted per window",
        ttl=True,
    ),
    Kind("meeting", "MEETING#<officer>", "<slot start>", "a walk-in meeting booked with an officer"),
    Kind("training session", "TRAINING#SESSIONS", "SESSION#<session_id>", "a session: dates, seats, fee"),
    Kind(
        "booking", "TRAINING#SESSION#<session_id>", "BOOKING#<number>", "a request's seats and participants"
    ),
    Kind(
        "calendar",
        "CALENDAR",
        "VERSION | OVERRIDE#<scope>#<day> | CHANGE#<version>",
        "the working-day calendar's overrides and its version",
    ),
    Kind(
        "reference data",
        "LPSE | UNIT | CONTRACT | SLA | SETTING | TXN",
        "<id>",
        "admins' reference data, one partition per kind",
        "transactions: gsi2 TXN#<YYYY-MM>, sk <date>#<id>",
    ),
    Kind(
        "reference audit",
        "AUDIT#<entity>",
        "<at>#<id>",
        "who changed reference data, before and after",
        "gsi1 AUDIT#<entity>#<id>, sk <at>",
    ),
    Kind("sweep watermark", "SWEEP#breaches", "SWEEP", "when the SLA sweep last counted passed deadlines"),
    Kind("local account", "FAKEACCOUNT#<token>", "ACCOUNT", "the local provisioning recorder only"),
)

ACCESS: tuple[Access, ...] = (
    Access("a request with its identity and log", "table", "pk = REQ#<number>"),
    Access("a unit's open work, soonest deadline first", "gsi1", "gsi1pk = QUEUE#<unit>"),
    Access("my open work", "gsi2", "gsi2pk = ASSIGNEE#<email>"),
    Access("every open request (the SLA sweep)", "gsi3", "gsi3pk = OPEN"),
    Access("open tasks of a role in a unit", "gsi1", "gsi1pk = TASKS#<role>#<unit>"),
    Access("open tasks asking one person", "gsi2", "gsi2pk = TASKS#person#<email>"),
    Access("training sessions", "table", "pk = TRAINING#SESSIONS"),
    Access("a session's bookings", "table", "pk = TRAINING#SESSION#<session_id>"),
    Access("meetings booked with an officer on a day", "table", "pk = MEETING#<officer>, sk between"),
    Access("reference data of a kind", "table", "pk = <kind>"),
    Access("transactions of a month (payment reminders)", "gsi2", "gsi2pk = TXN#<YYYY-MM>, sk between"),
    Access("changes to a kind of reference data", "table", "pk = AUDIT#<entity>"),
    Access("changes to one reference item", "gsi1", "gsi1pk = AUDIT#<entity>#<id>"),
    Access("the calendar's overrides and version", "table", "pk = CALENDAR, sk >= OVERRIDE#"),
)


def markdown() -> str:
    """The README's tables of item kinds and access patterns (keys as code, pipes escaped for tables)."""

    def code(text: str) -> str:
        return f"`{text}`".replace("|", "\\|") if text else "-"

    lines = ["| item | pk | sk | index keys | holds |", "|---|---|---|---|---|"]
    for kind in KINDS:
        about = kind.about + (" (TTL)" if kind.ttl else "")
        lines.append(f"| {kind.name} | {code(kind.pk)} | {code(kind.sk)} | {code(kind.indexes)} | {about} |")
    lines += ["", "| access pattern | index | key |", "|---|---|---|"]
    lines += [f"| {a.pattern} | {a.index} | {code(a.key)} |" for a in ACCESS]
    return "\n".join(lines) + "\n"


# --- requests ---------------------------------------------------------------------------------------------
REQUEST_PREFIX = "REQ#"
EVENT_PREFIX = "EVT#"
REQUEST_SK = "REQ"
IDENTITY_SK = "IDENTITY"
OPEN = "OPEN"


def request_pk(number: str) -> str:
    return f"{REQUEST_PREFIX}{number}"


def number_of(pk: str) -> str:
    return pk.removeprefix(REQUEST_PREFIX)


def request(number: str) -> dict[str, str]:
    return {"pk": request_pk(number), "sk": REQUEST_SK}


def identity(number: str) -> dict[str, str]:
    return {"pk": request_pk(number), "sk": IDENTITY_SK}


def event_sk(sequence: int) -> str:
    return f"{EVENT_PREFIX}{sequence:06d}"


def event(number: str, sequence: int) -> dict[str, str]:
    return {"pk": request_pk(number), "sk": event_sk(sequence)}


def request_audit(number: str, at: str, suffix: str) -> dict[str, str]:
    return {"pk": request_pk(number), "sk": f"AUDIT#{at}#{suffix}"}


def letter_trouble(number: str, state: str, unit: str) -> dict[str, str]:
    return {"pk": request_pk(number), "sk": f"TROUBLE#{state}#{unit}"}


def queue_pk(unit: str) -> str:
    return f"QUEUE#{unit}"


def assignee_pk(email: str) -> str:
    return f"ASSIGNEE#{email}"


def counter(name: str) -> dict[str, str]:
    return {"pk": f"COUNTER#{name}", "sk": "COUNTER"}


IDEMPOTENCY_PREFIX = "IDEMPOTENCY#"
CLIENT_KEY_PREFIX = "IDEMPOTENCY#key#"  # a client's Idempotency-Key (the other kind: a repeated body)


def idempotency(key: str) -> dict[str, str]:
    return {"pk": f"{IDEMPOTENCY_PREFIX}{key}", "sk": "IDEMPOTENCY"}


# --- tasks, uploads, mail -------------------------------------------------------------------------------
def task(task_id: str) -> dict[str, str]:
    return {"pk": f"TASK#{task_id}", "sk": "TASK"}


def tasks_of_role_pk(role: str, unit: str) -> str:
    return f"TASKS#{role}#{unit}"


def tasks_of_person_pk(email: str) -> str:
    return f"TASKS#person#{email}"


def upload(upload_id: str) -> dict[str, str]:
    return {"pk": f"UPLOAD#{upload_id}", "sk": "UPLOAD"}


def mail_seen(key: str) -> dict[str, str]:
    return {"pk": f"MAILSEEN#{key}", "sk": "MAILSEEN"}


# --- doors and their limits ------------------------------------------------------------------------------
def payment_proof(transaction_id: str, role: str) -> dict[str, str]:
    return {"pk": f"PROOF#{transaction_id.upper()}#{role}", "sk": "PROOF"}


def proof_file(sha256: str) -> dict[str, str]:
    return {"pk": f"PROOFSHA#{sha256}", "sk": "PROOFSHA"}


def proof_reminder(transaction_id: str, year: int, week: int) -> dict[str, str]:
    return {"pk": f"PROOFREMIND#{transaction_id}", "sk": f"{year}-W{week:02d}"}


def open_registration(lpse_id: str, email: str) -> dict[str, str]:
    return {"pk": f"REGOPEN#{lpse_id}#{email.lower()}", "sk": "REGOPEN"}


WRONG_CODES_PER_NUMBER = "RATE#number#"


def wrong_codes_pks(number: str, client: str) -> list[str]:
    """The windows a wrong access code counts in: per number (and client), and per client."""
    if not client:
        return [f"{WRONG_CODES_PER_NUMBER}{number}"]
    return [f"{WRONG_CODES_PER_NUMBER}{number}#client#{client}", f"RATE#client#{client}"]


def acknowledgements_pk(address: str = "", client: str = "") -> str:
    return f"ACKRATE#client#{client}" if client else f"ACKRATE#{address.strip().lower()}"


def meetings_pk(officer: str) -> str:
    return f"MEETING#{officer}"


def meeting(officer: str, half_hour: str) -> dict[str, str]:
    """One half hour of an officer's time, held by the walk-in request booked in it."""
    return {"pk": meetings_pk(officer), "sk": half_hour}


# --- training -------------------------------------------------------------------------------------------
SESSIONS_PK = "TRAINING#SESSIONS"


def session(session_id: str) -> dict[str, str]:
    return {"pk": SESSIONS_PK, "sk": f"SESSION#{session_id}"}


def bookings_pk(session_id: str) -> str:
    return f"TRAINING#SESSION#{session_id}"


def booking(session_id: str, number: str) -> dict[str, str]:
    return {"pk": bookings_pk(session_id), "sk": f"BOOKING#{number}"}


# --- calendar, reference data, audit ----------------------------------------------------------------------
CALENDAR_PK = "CALENDAR"
OVERRIDE_PREFIX = "OVERRIDE#"
CALENDAR_VERSION = {"pk": CALENDAR_PK, "sk": "VERSION"}


def calendar_override(scope: str, day_iso: str) -> dict[str, str]:
    return {"pk": CALENDAR_PK, "sk": f"{OVERRIDE_PREFIX}{scope}#{day_iso}"}


def calendar_change(version: int) -> dict[str, str]:
    return {"pk": CALENDAR_PK, "sk": f"CHANGE#{version:08d}"}


# Reference data: one partition per kind, the item's id as sort key.
LPSES_PK = "LPSE"
UNITS_PK = "UNIT"
TRANSACTIONS_PK = "TXN"
CONTRACTS_PK = "CONTRACT"
POLICIES_PK = "SLA"
SETTINGS_PK = "SETTING"


def transactions_of_month_pk(year_month: str) -> str:
    return f"TXN#{year_month}"


def reference_audit(entity: str, entity_id: str, at: str) -> dict[str, str]:
    return {
        "pk": reference_audit_pk(entity),
        "sk": f"{at}#{entity_id}",
        "gsi1pk": reference_item_audit_pk(entity, entity_id),
        "gsi1sk": at,
    }


def reference_audit_pk(entity: str) -> str:
    return f"AUDIT#{entity}"


def reference_item_audit_pk(entity: str, entity_id: str) -> str:
    return f"AUDIT#{entity}#{entity_id}"


SWEEP_WATERMARK = {"pk": "SWEEP#breaches", "sk": "SWEEP"}


def local_account(token: str) -> dict[str, str]:
    return {"pk": f"FAKEACCOUNT#{token}", "sk": "ACCOUNT"}
