"""The pages behind signed approval links. GET and HEAD only show; one POST from the page decides."""

from typing import Any
from urllib.parse import parse_qs

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from desk import clock, keys
from desk.api.http import serve
from desk.approvals import decide, links, pages, tasks
from desk.approvals.steps import step as step_named
from desk.errors import DeskError, Forbidden
from desk.settings import get_settings

HTML = "text/html; charset=utf-8"
TITLES = {
    403: "Tautan tidak sah",
    404: "Tautan tidak dikenal",
    409: "Sudah diputuskan",
    410: "Tautan berakhir",
}


def _html(status: int, body: str) -> Response[Any]:
    return Response(
        status_code=status,
        content_type=HTML,
        body=body,
        headers={"Cache-Control": "no-store", "X-Robots-Tag": "noindex", "Referrer-Policy": "no-referrer"},
    )


def _visitor(app: APIGatewayRestResolver) -> dict[str, str]:
    identity = app.current_event.request_context.identity
    return {"ip": str(identity.source_ip or ""), "user_agent": str(identity.user_agent or "")[:300]}


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

    def failure(error: DeskError) -> Response[Any]:
        return _html(
            error.status, pages.message(TITLES.get(error.status, "Tidak dapat diproses"), error.message)
        )

    @app.route("/approvals/<link_id>", method=["GET", "HEAD"])
    def show(link_id: str) -> Response[Any]:
        params = {k: str(v) for k, v in (app.current_event.query_string_parameters or {}).items()}
        now = clock.now()
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
            return failure(error)
        step = step_named(task["step"])
        if step.sign_in_required:
            return _html(200, pages.sign_in_first(step, task, f"{get_settings().site_url}/staff/#tasks"))
        hidden = {k: params[k] for k in ("exp", "kid", "sig")}
        return _html(200, pages.decision_form(step, task, hidden, errors={}, values={}, documents=[]))

    @app.post("/approvals/<link_id>")
    def decide_by_link(link_id: str) -> Response[Any]:
        form = {
            k: v[-1]
            for k, v in parse_qs(app.current_event.decoded_body or "", keep_blank_values=True).items()
        }
        now = clock.now()
        try:
            parsed, task = checked(link_id, form)
            step = step_named(task["step"])
            if step.sign_in_required:
                raise Forbidden(
                    "Keputusan ini harus diberikan setelah masuk ke konsol petugas.", code="sign_in_required"
                )
            skip = ("exp", "kid", "sig")
            fields: dict[str, Any] = {k: v for k, v in form.items() if k not in skip and v != ""}
            if "subdits" in fields:
                fields["subdits"] = [s.strip() for s in str(fields["subdits"]).split(",") if s.strip()]
            result = decide.decide(
                task, fields, by=task["recipients"][parsed.recipient], via="link", now=now, meta=_visitor(app)
            )
        except DeskError as error:
            if error.status == 400 and "task" in locals():
                tasks.audit(task["number"], "decision_refused", now, task_id=task["task_id"], **_visitor(app))
                hidden = {k: form.get(k, "") for k in ("exp", "kid", "sig")}
                return _html(
                    400,
                    pages.decision_form(
                        step_named(task["step"]), task, hidden, errors=error.fields, values=form, documents=[]
                    ),
                )
            return failure(error)
        return _html(200, pages.recorded(step, result))


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return serve(register, event, context)
