"""The pages behind signed approval links. GET and HEAD only show (and audit the view); one POST from the
page decides."""

from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, quote
from zoneinfo import ZoneInfo

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from desk import clock, keys
from desk.api.http import language, serve
from desk.approvals import decide, links, pages, tasks
from desk.approvals.steps import step as step_named
from desk.errors import DeskError, Forbidden
from desk.observability import instrumented
from desk.phrases import fields_in
from desk.settings import get_settings

HTML = "text/html; charset=utf-8"
# No script, no frames, no outside resources; the form posts back here only.
POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)
SECRET = ("exp", "kid", "sig")


def _html(status: int, body: str) -> Response[Any]:
    return Response(
        status_code=status,
        content_type=HTML,
        body=body,
        headers={
            "Cache-Control": "no-store",
            "X-Robots-Tag": "noindex",
            "Referrer-Policy": "no-referrer",
            "Content-Security-Policy": POLICY,
            "X-Content-Type-Options": "nosniff",
        },
    )


def _visitor(app: APIGatewayRestResolver) -> dict[str, str]:
    identity = app.current_event.request_context.identity
    return {"ip": str(identity.source_ip or ""), "user_agent": str(identity.user_agent or "")[:300]}


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


def _sessions() -> list[tuple[str, str]]:
    """Sessions a training reply may book into: open, with seats, not yet started."""
    from desk.training.sessions import open_sessions

    return [
        (
            str(s["session_id"]),
            f"{s['start_date']} – {s['end_date']}, {s['place']}, {s['seats_left']}/{s['capacity']}",
        )
        for s in open_sessions(clock.now())
    ]


def _facts(task: dict[str, Any] | None, *, full: bool) -> pages.Facts:
    """What the page shows about the task's request; ``full`` adds the documents and the step's choices."""
    contact, console = get_settings().support_address, _console_url(task)
    if task is None or not full:
        number = str(task["number"]) if task else ""
        return pages.Facts(number=number, contact=contact, console_url=console)
    from desk.data.requests import repository as requests_repository

    stored = requests_repository().load(str(task["number"]))
    item = stored.item if stored else {}
    identity = (stored.identity if stored else None) or {}
    who = ""
    if not item.get("anonymous"):
        parts = (identity.get("name"), identity.get("institution") or identity.get("company"))
        who = ", ".join(str(p) for p in parts if p)
    return pages.Facts(
        number=str(task["number"]),
        subject=str(item.get("subject") or ""),
        requester=who,
        documents=_documents(item),
        units=_subdits() if task["step"] == "letter:disposition" else (),
        sessions=_sessions() if task["step"] == "training:reply" else (),
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


def register(app: APIGatewayRestResolver) -> None:
    def checked(link_id: str, params: dict[str, str]) -> tuple[links.LinkId, dict[str, Any]]:
        parsed = links.parse_link_id(link_id)
        links.check(
            parsed,
            params.get("exp", ""),
            params.get("kid", ""),
            params.get("sig", ""),
            keys.key_ring(),
            clock.now(),
        )
        task = tasks.load(parsed.task_id)
        if task is None or parsed.recipient >= len(task.get("recipients", [])):
            raise Forbidden("Tautan ini tidak sah.", code="bad_link")
        return parsed, task

    def failure(error: DeskError, task: dict[str, Any] | None) -> Response[Any]:
        fields = {"message": error.message, **(error.fields or {})}
        if task is not None and error.status == 409 and task.get("decision"):
            fields["decision"] = str(task["decision"])
        tz = str((task or {}).get("tz") or "Asia/Jakarta")
        page = pages.problem(error.status, fields, _facts(task, full=False), lang=language(app), tz=tz)
        return _html(error.status, page)

    @app.route("/approvals/<link_id>", method=["GET", "HEAD"])
    def show(link_id: str) -> Response[Any]:
        params = {k: str(v) for k, v in (app.current_event.query_string_parameters or {}).items()}
        now = clock.now()
        lang = language(app)
        task: dict[str, Any] | None = None
        try:
            parsed, task = checked(link_id, params)
            tasks.audit(
                task["number"],
                "link_viewed",
                now,
                task_id=task["task_id"],
                method=app.current_event.http_method,
                recipient=task["recipients"][parsed.recipient],
                **_visitor(app),
            )
            decide.ensure_open(task)
        except DeskError as error:
            return failure(error, task)
        step = step_named(task["step"])
        facts = _facts(task, full=True)
        if step.sign_in_required:
            return _html(200, pages.sign_in_first(step, task, facts, lang=lang))
        hidden = {k: params[k] for k in SECRET}
        return _html(
            200,
            pages.decision_form(step, task, hidden, errors={}, values={}, facts=facts, lang=lang, now=now),
        )

    @app.post("/approvals/<link_id>")
    def decide_by_link(link_id: str) -> Response[Any]:
        raw = parse_qs(app.current_event.decoded_body or "", keep_blank_values=True)
        form = {k: v[-1] for k, v in raw.items()}
        if "subdits" in raw:  # checkboxes send one value each; a typed list is separated by commas
            form["subdits"] = ",".join(v for v in raw["subdits"] if v.strip())
        now = clock.now()
        lang = language(app)
        task: dict[str, Any] | None = None
        try:
            parsed, task = checked(link_id, form)
            step = step_named(task["step"])
            if step.sign_in_required:
                raise Forbidden(
                    "Keputusan ini harus diberikan setelah masuk ke konsol petugas.", code="sign_in_required"
                )
            fields: dict[str, Any] = {k: v for k, v in form.items() if k not in SECRET and v != ""}
            if "subdits" in fields:
                fields["subdits"] = [s.strip() for s in str(fields["subdits"]).split(",") if s.strip()]
            if "sent_at" in fields:
                fields["sent_at"] = _local_time(str(fields["sent_at"]), str(task.get("tz") or "Asia/Jakarta"))
            result = decide.decide(
                task, fields, by=task["recipients"][parsed.recipient], via="link", now=now, meta=_visitor(app)
            )
        except DeskError as error:
            if error.status == 400 and task is not None:
                tasks.audit(task["number"], "decision_refused", now, task_id=task["task_id"], **_visitor(app))
                hidden = {k: form.get(k, "") for k in SECRET}
                return _html(
                    400,
                    pages.decision_form(
                        step_named(task["step"]),
                        task,
                        hidden,
                        errors=fields_in(error.fields or {"decision": error.message}, lang),
                        values=form,
                        facts=_facts(task, full=True),
                        lang=lang,
                        now=now,
                    ),
                )
            if error.status == 409 and task is not None:
                task = tasks.load(task["task_id"]) or task  # who decided first, when
            return failure(error, task)
        return _html(200, pages.recorded(step, result, _facts(task, full=False), lang=lang))


@instrumented
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    # The decision page posts a plain HTML form.
    return serve(
        register, event, context, media_types=("application/x-www-form-urlencoded", "application/json")
    )
