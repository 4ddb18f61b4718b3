"""A decision by signed link: the step's page (GET and HEAD show it and audit the view, never act) and
the one POST from that page. Every answer is a page, refusals too."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from desk import keys
from desk.approvals import decide, links, pages, tasks
from desk.approvals.steps import step as step_named
from desk.errors import DeskError, Forbidden
from desk.phrases import fields_in
from desk.settings import get_settings

SECRET = ("exp", "kid", "sig")  # the link's signature, carried by the page's form as hidden fields


@dataclass(frozen=True)
class Page:
    status: int
    html: str


@dataclass(frozen=True)
class Visit:
    """Who follows the link, in what language, when: what the audit trail and the page need."""

    ip: str
    user_agent: str
    lang: str
    now: datetime

    def audited(self) -> dict[str, str]:
        return {"ip": self.ip, "user_agent": self.user_agent[:300]}


def show(link_id: str, params: Mapping[str, str], *, method: str, visit: Visit) -> Page:
    """The step's form (or, for a step that wants a sign-in, the way to the console)."""
    task: dict[str, Any] | None = None
    try:
        parsed, task = _checked(link_id, params, visit.now)
        tasks.audit(
            task["number"],
            "link_viewed",
            visit.now,
            task_id=task["task_id"],
            method=method,
            recipient=task["recipients"][parsed.recipient],
            **visit.audited(),
        )
        decide.ensure_open(task)
    except DeskError as error:
        return _failure(error, task, visit)
    step = step_named(task["step"])
    facts = _facts(task, full=True, now=visit.now)
    if step.sign_in_required:
        return Page(200, pages.sign_in_first(step, task, facts, lang=visit.lang))
    hidden = {k: params[k] for k in SECRET}
    form = pages.decision_form(
        step, task, hidden, errors={}, values={}, facts=facts, lang=visit.lang, now=visit.now
    )
    return Page(200, form)


def decide_by_link(link_id: str, posted: Mapping[str, list[str]], *, visit: Visit) -> Page:
    """The page's form, posted back (``posted``: each field's values, as a plain HTML form sends them)."""
    form = {k: v[-1] for k, v in posted.items()}
    if "subdits" in posted:  # checkboxes send one value each; a typed list is separated by commas
        form["subdits"] = ",".join(v for v in posted["subdits"] if v.strip())
    task: dict[str, Any] | None = None
    try:
        parsed, task = _checked(link_id, form, visit.now)
        step = step_named(task["step"])
        if step.sign_in_required:
            raise Forbidden(
                "Keputusan ini harus diberikan setelah masuk ke konsol petugas.", code="sign_in_required"
            )
        result = decide.decide(
            task,
            _decision_fields(form, str(task.get("tz") or "Asia/Jakarta")),
            by=task["recipients"][parsed.recipient],
            via="link",
            now=visit.now,
            meta=visit.audited(),
        )
    except DeskError as error:
        return _refused(error, task, form, visit)
    return Page(200, pages.recorded(step, result, _facts(task, full=False, now=visit.now), lang=visit.lang))


def _decision_fields(form: Mapping[str, str], tz: str) -> dict[str, Any]:
    """The form's fields as the step reads them: no signature, no empty field, lists and local times."""
    fields: dict[str, Any] = {k: v for k, v in form.items() if k not in SECRET and v != ""}
    if "subdits" in fields:
        fields["subdits"] = [s.strip() for s in str(fields["subdits"]).split(",") if s.strip()]
    if "sent_at" in fields:
        fields["sent_at"] = _local_time(str(fields["sent_at"]), tz)
    return fields


def _refused(error: DeskError, task: dict[str, Any] | None, form: Mapping[str, str], visit: Visit) -> Page:
    """A refused field shows the form again, each problem beside its field; anything else is a page."""
    if error.status == 400 and task is not None:
        tasks.audit(task["number"], "decision_refused", visit.now, task_id=task["task_id"], **visit.audited())
        hidden = {k: form.get(k, "") for k in SECRET}
        again = pages.decision_form(
            step_named(task["step"]),
            task,
            hidden,
            errors=fields_in(error.fields or {"decision": error.message}, visit.lang),
            values=dict(form),
            facts=_facts(task, full=True, now=visit.now),
            lang=visit.lang,
            now=visit.now,
        )
        return Page(400, again)
    if error.status == 409 and task is not None:
        task = tasks.load(task["task_id"]) or task  # who decided first, when
    return _failure(error, task, visit)


def _checked(link_id: str, params: Mapping[str, str], now: datetime) -> tuple[links.LinkId, dict[str, Any]]:
    parsed = links.parse_link_id(link_id)
    links.check(
        parsed, params.get("exp", ""), params.get("kid", ""), params.get("sig", ""), keys.key_ring(), now
    )
    task = tasks.load(parsed.task_id)
    if task is None or parsed.recipient >= len(task.get("recipients", [])):
        raise Forbidden("Tautan ini tidak sah.", code="bad_link")
    return parsed, task


def _failure(error: DeskError, task: dict[str, Any] | None, visit: Visit) -> Page:
    fields = {"message": error.message, **(error.fields or {})}
    if task is not None and error.status == 409 and task.get("decision"):
        fields["decision"] = str(task["decision"])
    tz = str((task or {}).get("tz") or "Asia/Jakarta")
    facts = _facts(task, full=False, now=visit.now)
    return Page(error.status, pages.problem(error.status, fields, facts, lang=visit.lang, tz=tz))


def _console_url(task: dict[str, Any] | None) -> str:
    """The task in the staff console (the list of one's tasks when the task is not known)."""
    base = f"{get_settings().site_url}/staff/#tasks"
    return f"{base}/{quote(str(task['task_id']), safe='')}" if task and task.get("task_id") else base


def _documents(item: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The request's documents that can be downloaded now, as short-lived links."""
    from desk.documents import uploads

    return [
        (str(d.get("filename") or d["upload_id"]), str(d.get("purpose") or ""), str(d["url"]))
        for d in uploads.listed(item.get("documents", []))
        if "url" in d
    ]


def _subdits() -> list[tuple[str, str]]:
    from desk.admin.units import list_units

    units = list_units()["items"]
    return [(str(u["id"]), str(u.get("name") or u["id"])) for u in units if u["kind"] == "subdit"]


def _sessions(now: datetime) -> list[tuple[str, str]]:
    """Sessions a training reply may book into: open, with seats, not yet started."""
    from desk.training.sessions import open_sessions

    return [
        (
            str(s["session_id"]),
            f"{s['start_date']} – {s['end_date']}, {s['place']}, {s['seats_left']}/{s['capacity']}",
        )
        for s in open_sessions(now)
    ]


def _requester(stored: Any) -> str:
    """Who asked, unless they asked anonymously."""
    item = stored.item if stored else {}
    if item.get("anonymous"):
        return ""
    identity = (stored.identity if stored else None) or {}
    parts = (identity.get("name"), identity.get("institution") or identity.get("company"))
    return ", ".join(str(p) for p in parts if p)


def _facts(task: dict[str, Any] | None, *, full: bool, now: datetime) -> pages.Facts:
    """What the page shows about the task's request; ``full`` adds the documents and the step's choices."""
    contact, console = get_settings().support_address, _console_url(task)
    if task is None or not full:
        number = str(task["number"]) if task else ""
        return pages.Facts(number=number, contact=contact, console_url=console)
    from desk.data.requests import repository as requests_repository

    stored = requests_repository().load(str(task["number"]))
    item = stored.item if stored else {}
    return pages.Facts(
        number=str(task["number"]),
        subject=str(item.get("subject") or ""),
        requester=_requester(stored),
        documents=_documents(item),
        units=_subdits() if task["step"] == "letter:disposition" else (),
        sessions=_sessions(now) if task["step"] == "training:reply" else (),
        contact=contact,
        console_url=console,
    )


def _local_time(value: str, tz: str) -> str:
    """A ``datetime-local`` value has no offset: it is the task's local time."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value  # the step's validation names it
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(tz))
    return moment.isoformat()
