"""Faults in the AWS answers the desk's functions get, and what the desk does then: it retries, flags the
request for staff (an event in its log, a clear answer in the contract's error shape) or dead-letters the
event; nothing is lost and nothing is done twice.

Each fault replaces the service's answer at botocore's ``before-send``, where moto answers too, so the
desk's clients retry exactly as they do against AWS (``desk.aws``: standard mode, 4 attempts). Only
calls made inside one of the local stack's functions meet a fault, never the test's own reads, and
botocore's waits between attempts are recorded instead of slept.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from desk_time import pinned_start
from unit import docfactory

from desk import runtime
from desk.data import schema
from desk_local.stack import LocalDesk
from desk_local.template import Translated
from flows import create_ask_machine, log_lines, until

HELPDESK = "helpdesk@staff.desk.local"
VERIFIER = "verifier-jakarta@staff.desk.local"
STEP = "registration:verification"
ATTEMPTS = 4  # every client of desk.aws, the table's included: standard mode, 3 retries


@pytest.fixture(scope="module")
def desk(translated: Translated) -> Iterator[LocalDesk]:
    """This module's desk: one working day of waiting lasts one second, so an ask whose token was lost
    reaches its next checkpoint within seconds (deadlines keep their real dates)."""
    with LocalDesk(translated, now=pinned_start(), working_day_seconds=1.0, wait_scale=0) as running:
        running.seed()
        yield running


# --- the faults -----------------------------------------------------------------------------------------


@dataclass
class Fault:
    """One kind of error answered to one operation, ``times`` times (None: always)."""

    service: str  # as botocore's event names spell it: dynamodb, s3, sesv2, sfn
    operation: str  # TransactWriteItems, GetObject, SendEmail, SendTaskSuccess...
    code: str
    status: int
    times: int | None
    when: Callable[[Any], bool] | None  # on the prepared request (its url, its body)
    function: str | None  # only in this function (a part of its name)
    extra: dict[str, Any]
    hits: int = 0

    def matches(self, service: str, operation: str, request: Any, function: str) -> bool:
        if (service, operation) != (self.service, self.operation):
            return False
        if self.times is not None and self.hits >= self.times:
            return False
        if self.function is not None and self.function not in function:
            return False
        return self.when is None or bool(self.when(request))

    def answer(self, request: Any) -> Any:
        """The error as the service sends it, in its protocol (S3's XML, SES v2's REST-JSON, JSON 1.0)."""
        from botocore.awsrequest import AWSResponse
        from botocore.compat import HTTPHeaders
        from moto.core.botocore_stubber import MockRawResponse

        message = f"injected {self.code}"
        if self.service == "s3":
            headers = {"Content-Type": "application/xml"}
            body = (
                f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{self.code}</Code>'
                f"<Message>{message}</Message><RequestId>fault</RequestId></Error>"
            )
        elif self.service == "sesv2":
            headers = {"Content-Type": "application/json", "x-amzn-ErrorType": self.code}
            body = json.dumps({"message": message})
        else:  # DynamoDB, Step Functions
            headers = {"Content-Type": "application/x-amz-json-1.0"}
            body = json.dumps({"__type": f"com.amazonaws#{self.code}", "message": message, **self.extra})
        fields = HTTPHeaders()
        for name, value in headers.items():
            fields[name] = value
        return AWSResponse(request.url, self.status, fields, MockRawResponse(body))


@dataclass
class Faults:
    rules: list[Fault] = field(default_factory=list)
    waits: list[float] = field(default_factory=list)  # botocore's backoffs between attempts
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(
        self,
        service: str,
        operation: str,
        code: str,
        *,
        status: int = 400,
        times: int | None = None,
        when: Callable[[Any], bool] | None = None,
        function: str | None = None,
        **extra: Any,
    ) -> Fault:
        fault = Fault(service, operation, code, status, times, when, function, extra)
        with self._lock:
            self.rules.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self.rules.clear()

    def answer(self, event_name: str, request: Any) -> Any:
        active = runtime._active.get()  # set while a function of the local stack runs
        if active is None:
            return None
        _, service, operation = [*event_name.split("."), "", ""][:3]
        function = str(active.environ.get("AWS_LAMBDA_FUNCTION_NAME", ""))
        with self._lock:
            fault = next((f for f in self.rules if f.matches(service, operation, request, function)), None)
            if fault is None:
                return None
            fault.hits += 1
        return fault.answer(request)


@pytest.fixture
def faults(monkeypatch: pytest.MonkeyPatch) -> Iterator[Faults]:
    import botocore.endpoint
    from moto.core.botocore_stubber import BotocoreStubber

    injected = Faults()
    real = BotocoreStubber.__call__

    def call(self: Any, event_name: str, request: Any, **kwargs: Any) -> Any:
        answer = injected.answer(event_name, request) if self.enabled else None
        return answer if answer is not None else real(self, event_name, request, **kwargs)

    monkeypatch.setattr(BotocoreStubber, "__call__", call)
    monkeypatch.setattr(botocore.endpoint, "time", SimpleNamespace(sleep=injected.waits.append))
    yield injected
    injected.clear()


def _cancelled(items: int, failing: int, code: str) -> dict[str, Any]:
    """What DynamoDB says when one item of a transaction refused it."""
    reasons = [{"Code": "None"} for _ in range(items)]
    reasons[failing] = {"Code": code, "Message": "The conditional request failed"}
    return {
        "CancellationReasons": reasons,
        "Message": "Transaction cancelled, please refer cancellation reasons for specific reasons "
        f"[{', '.join(r['Code'] for r in reasons)}]",
    }


# --- what the tests read --------------------------------------------------------------------------------


def _table(desk: LocalDesk) -> Any:
    return desk.session.resource("dynamodb", region_name=desk.region).Table(desk.ref("DeskTable"))


def _requests_about(desk: LocalDesk, subject: str) -> list[dict[str, Any]]:
    """Every stored request with this subject (each test uses its own)."""
    from boto3.dynamodb.conditions import Attr

    found: list[dict[str, Any]] = []
    scan: dict[str, Any] = {"FilterExpression": Attr("sk").eq("REQ") & Attr("subject").eq(subject)}
    while True:
        page = _table(desk).scan(**scan)
        found += page["Items"]
        if "LastEvaluatedKey" not in page:
            return found
        scan["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _mails_to(desk: LocalDesk, address: str, number: str | None = None) -> list[dict[str, Any]]:
    return [m for m in desk.outbox() if address in m["to"] and (number is None or number in m["subject"])]


def _acknowledgements(desk: LocalDesk, address: str, access_code: str) -> list[dict[str, Any]]:
    """The acknowledgements a request's sender received (the only mail that carries its access code)."""
    return [m for m in _mails_to(desk, address) if access_code in m["text"]]


def _timeline(desk: LocalDesk, number: str, token: str) -> list[dict[str, Any]]:
    """The request's log as staff see it on its page."""
    page = desk.http("GET", f"/staff/tickets/{number}", token=token)
    assert page.status == 200, page.text
    return list(page.json()["timeline"])


def _kinds(timeline: list[dict[str, Any]]) -> list[str]:
    return [e["kind"] for e in timeline]


def _form(subject: str, email: str) -> dict[str, Any]:
    return {
        "kind": "complaint",
        "subject": subject,
        "message": "Akun PPK kami terkunci.",
        "name": "Ani",
        "email": email,
    }


def _new(desk: LocalDesk, subject: str, email: str) -> str:
    created = desk.http("POST", "/tickets", json_body=_form(subject, email))
    assert created.status == 201, created.text
    return str(created.json()["number"])


def _error(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"]), body
    error: dict[str, Any] = body["error"]
    return error


def _buyer(desk: LocalDesk, name: str, email: str) -> dict[str, Any]:
    """A buyer's user-ID application at the seeded LPSE, with its SK letter uploaded and checked."""
    from component.test_uploads import upload

    from desk_local.seed import DEMO

    letter, checked = upload(desk, docfactory.pdf_letter(), purpose="sk_letter")
    assert checked["status"] == "accepted"
    return {
        "applicant_type": "buyer",
        "name": name,
        "email": email,
        "phone": "021 555 0198",
        "position": "Pejabat Pengadaan",
        "institution": "Dinas Pendidikan DKI Jakarta",
        "lpse_id": DEMO["lpse_id"],
        "letter_upload_id": letter,
    }


# --- 1. DynamoDB throttles, and a transaction one item refuses ------------------------------------------


def test_a_form_write_throttled_for_a_moment_is_retried_and_makes_one_request(
    desk: LocalDesk, faults: Faults, tokens: dict[str, str]
) -> None:
    fault = faults.add(
        "dynamodb",
        "TransactWriteItems",
        "ProvisionedThroughputExceededException",
        times=2,
        function="PublicApi",
    )
    email = "ani.lambat@example.go.id"
    created = desk.http("POST", "/tickets", json_body=_form("Tersendat sebentar", email))
    assert created.status == 201, created.text
    assert fault.hits == 2 and len(faults.waits) >= 2  # refused twice, backed off, then written
    (stored,) = _requests_about(desk, "Tersendat sebentar")
    number = created.json()["number"]
    assert stored["number"] == number
    assert _kinds(_timeline(desk, number, tokens["helpdesk"])) == ["created", "mail_sent"]
    assert len(_mails_to(desk, email, number)) == 1


def test_a_form_write_throttled_past_every_retry_is_refused_whole_and_the_retry_makes_one_request(
    desk: LocalDesk, faults: Faults, tokens: dict[str, str]
) -> None:
    fault = faults.add(
        "dynamodb", "TransactWriteItems", "ProvisionedThroughputExceededException", function="PublicApi"
    )
    email, subject = "ani.macet@example.go.id", "Tersendat lama"
    key = {"Idempotency-Key": "fault-throttled-form"}
    refused = desk.http("POST", "/tickets", json_body=_form(subject, email), headers=key)
    # The desk's generic answer, in the contract's shape, asking to try again.
    assert refused.status == 503, refused.text  # busy, nothing done: try again after Retry-After
    assert _error(refused)["code"] == "service_busy" and refused.headers["Retry-After"] == "5"
    assert "Traceback" not in refused.text
    assert fault.hits == ATTEMPTS  # each attempt refused
    # The backoffs botocore asked for end inside the function's timeout: in AWS, Lambda would otherwise
    # stop it wherever it was (botocore's default for DynamoDB waits about 25 s).
    assert sum(faults.waits) < desk.functions.get("PublicApiFunction").timeout - 5
    assert _requests_about(desk, subject) == [] and _mails_to(desk, email) == []

    faults.clear()
    retried = desk.http("POST", "/tickets", json_body=_form(subject, email), headers=key)
    assert retried.status == 201, retried.text
    again = desk.http("POST", "/tickets", json_body=_form(subject, email), headers=key)
    assert again.json()["number"] == retried.json()["number"]
    (stored,) = _requests_about(desk, subject)
    assert stored["number"] == retried.json()["number"]
    assert len(_mails_to(desk, email)) == 1


def test_a_user_id_request_whose_acknowledgement_cannot_be_recorded_still_starts_its_workflow(
    desk: LocalDesk, faults: Faults
) -> None:
    """The request is stored and its acknowledgement mailed, then the log's second write stays throttled:
    the request stands, its verification starts, the form gets its receipt; nothing is left half-done."""
    email = "rudi.lambat@disdik.jakarta.go.id"
    form = _buyer(desk, "Rudi Lambat", email)
    fault = faults.add(
        "dynamodb",
        "TransactWriteItems",
        "ProvisionedThroughputExceededException",
        function="PublicApi",
        when=lambda r: b"EVT#000002" in (r.body or b""),  # the acknowledgement's record, not the request
    )
    key = {"Idempotency-Key": "fault-unrecorded-acknowledgement"}
    with log_lines("public-api") as lines:
        created = desk.http("POST", "/registrations", json_body=form, headers=key)
    assert created.status == 201, created.text
    assert fault.hits == ATTEMPTS
    number = created.json()["number"]
    (logged,) = [line for line in lines if line["message"] == "acknowledgement not recorded"]
    assert logged["number"] == number and logged["kind"] == "mail_sent"
    assert logged["error"] == "ProvisionedThroughputExceededException" and logged["level"] == "ERROR"
    code = created.json()["access_code"]
    assert len(_acknowledgements(desk, email, code)) == 1  # the acknowledgement went out, once
    sfn = desk.client("stepfunctions")
    execution = f"{desk.ref('RegistrationWorkflow').replace(':stateMachine:', ':execution:')}:{number}"
    assert sfn.describe_execution(executionArn=execution)["status"] in ("RUNNING", "SUCCEEDED")
    verifier = desk.login("verifier-jakarta")  # the LPSE's verifier is asked, as for any user-ID request
    until(
        lambda: [
            t
            for t in desk.http("GET", "/staff/tasks", token=verifier).json()["items"]
            if t["number"] == number
        ],
        what="for the verifier's task",
    )
    faults.clear()
    again = desk.http("POST", "/registrations", json_body=form, headers=key)
    assert again.status == 201 and again.json()["number"] == number, again.text
    assert len(_acknowledgements(desk, email, code)) == 1


def test_a_user_id_request_whose_workflow_could_not_start_is_started_by_the_retry(
    desk: LocalDesk, faults: Faults
) -> None:
    """Stored and acknowledged, then Step Functions stays throttled: the form hears "busy, try again"
    (503), and the retry with the same key starts the verification, once, from when the request was
    made; no second request, no second acknowledgement."""
    email = "sari.tertahan@disdik.jakarta.go.id"
    form = _buyer(desk, "Sari Tertahan", email)
    from desk_local.seed import LPSES

    subject = f"Permohonan user ID buyer di {LPSES[0]['name']}"
    before = len(_requests_about(desk, subject))
    fault = faults.add("sfn", "StartExecution", "ThrottlingException", function="PublicApi")
    key = {"Idempotency-Key": "fault-workflow-not-started"}
    refused = desk.http("POST", "/registrations", json_body=form, headers=key)
    assert refused.status == 503 and _error(refused)["code"] == "service_busy", refused.text
    assert fault.hits == ATTEMPTS
    assert len(_requests_about(desk, subject)) == before + 1  # stored, its workflow not started
    faults.clear()
    again = desk.http("POST", "/registrations", json_body=form, headers=key)
    assert again.status == 201, again.text
    number = again.json()["number"]
    assert len(_requests_about(desk, subject)) == before + 1
    stored = _table(desk).get_item(Key=schema.request(number))["Item"]
    sfn = desk.client("stepfunctions")
    executions = sfn.list_executions(stateMachineArn=desk.ref("RegistrationWorkflow"))["executions"]
    (mine,) = [e for e in executions if e["name"] == number]
    started = sfn.describe_execution(executionArn=mine["executionArn"])
    assert json.loads(started["input"])["received_at"] == stored["created_at"]  # from when it was made
    verifier = desk.login("verifier-jakarta")
    until(
        lambda: [
            t
            for t in desk.http("GET", "/staff/tasks", token=verifier).json()["items"]
            if t["number"] == number
        ],
        what="for the verifier's task",
    )
    acknowledgements = [m for m in _mails_to(desk, email) if number in m["text"]]
    assert len(acknowledgements) == 1


def test_a_throttled_staff_action_is_retried_and_applied_once(
    desk: LocalDesk, faults: Faults, tokens: dict[str, str]
) -> None:
    number = _new(desk, "Aksi tersendat", "budi.aksi@example.go.id")
    fault = faults.add("dynamodb", "TransactWriteItems", "ThrottlingException", times=3, function="StaffApi")
    acted = desk.http(
        "POST",
        f"/staff/tickets/{number}/actions",
        token=tokens["helpdesk"],
        json_body={"action": "assign", "assignee": HELPDESK},
    )
    assert acted.status == 200, acted.text
    assert fault.hits == 3
    assert acted.json()["status"] == "in_progress" and acted.json()["assignee"] == HELPDESK
    assert _kinds(_timeline(desk, number, tokens["helpdesk"])).count("assigned") == 1


def test_a_staff_action_throttled_past_every_retry_changes_nothing_and_can_be_done_again(
    desk: LocalDesk, faults: Faults, tokens: dict[str, str]
) -> None:
    email = "budi.tertahan@example.go.id"
    number = _new(desk, "Aksi tertahan", email)
    before = _table(desk).get_item(Key={"pk": f"REQ#{number}", "sk": "REQ"})["Item"]
    faults.add("dynamodb", "TransactWriteItems", "ThrottlingException", function="StaffApi")
    hold = {"action": "hold", "reason": "Mohon kirim tangkapan layar."}
    path = f"/staff/tickets/{number}/actions"
    refused = desk.http("POST", path, token=tokens["helpdesk"], json_body=hold)
    assert refused.status == 503 and _error(refused)["code"] == "service_busy", refused.text
    after = _table(desk).get_item(Key={"pk": f"REQ#{number}", "sk": "REQ"})["Item"]
    assert after == before  # status, version and SLA as they were
    assert _kinds(_timeline(desk, number, tokens["helpdesk"])) == ["created", "mail_sent"]
    assert len(_mails_to(desk, email, number)) == 1  # the acknowledgement only: no "held" mail

    faults.clear()
    done = desk.http("POST", path, token=tokens["helpdesk"], json_body=hold)
    assert done.status == 200 and done.json()["status"] == "waiting_requester", done.text
    assert _kinds(_timeline(desk, number, tokens["helpdesk"])).count("held") == 1
    assert len(_mails_to(desk, email, number)) == 2


def test_a_transaction_one_item_refuses_writes_nothing_and_the_staff_are_asked_to_reload(
    desk: LocalDesk, faults: Faults, tokens: dict[str, str]
) -> None:
    email = "citra.konflik@example.go.id"
    number = _new(desk, "Transaksi ditolak", email)
    before = _table(desk).get_item(Key={"pk": f"REQ#{number}", "sk": "REQ"})["Item"]
    # A hold writes three items: the request (on its version), its "held" event, the "mail_sent" event.
    # The event in the middle is refused, as when someone else wrote that event number first.
    fault = faults.add(
        "dynamodb",
        "TransactWriteItems",
        "TransactionCanceledException",
        times=1,
        function="StaffApi",
        **_cancelled(3, 1, "ConditionalCheckFailed"),
    )
    hold = {"action": "hold", "reason": "Mohon kirim nomor kontrak."}
    path = f"/staff/tickets/{number}/actions"
    refused = desk.http("POST", path, token=tokens["helpdesk"], json_body=hold)
    assert refused.status == 409, refused.text
    assert _error(refused)["code"] == "edit_conflict" and fault.hits == 1  # not retried by botocore
    assert _table(desk).get_item(Key={"pk": f"REQ#{number}", "sk": "REQ"})["Item"] == before
    assert _kinds(_timeline(desk, number, tokens["helpdesk"])) == ["created", "mail_sent"]
    assert len(_mails_to(desk, email, number)) == 1  # the change was not written: its mail not sent

    done = desk.http("POST", path, token=tokens["helpdesk"], json_body=hold)  # after a reload
    assert done.status == 200, done.text
    assert _kinds(_timeline(desk, number, tokens["helpdesk"])).count("held") == 1
    assert len(_mails_to(desk, email, number)) == 2


def test_a_form_whose_upload_is_refused_inside_its_transaction_stores_nothing(
    desk: LocalDesk, faults: Faults
) -> None:
    """Two files attached: the claim of the first (an item in the middle of the creating transaction) is
    refused, as when another request took that upload at the same moment."""
    from component.test_uploads import upload

    first, _ = upload(desk, docfactory.pdf_letter())
    second, _ = upload(desk, docfactory.png(), content_type="image/png")
    email, subject = "hana.lampiran@example.go.id", "Lampiran direbut"
    body = _form(subject, email) | {"attachment_upload_ids": [first, second]}
    # The request, its identity, its first event, the repeat guard, then one claim per upload.
    fault = faults.add(
        "dynamodb",
        "TransactWriteItems",
        "TransactionCanceledException",
        times=1,
        function="PublicApi",
        **_cancelled(6, 4, "ConditionalCheckFailed"),
    )
    refused = desk.http("POST", "/tickets", json_body=body)
    assert refused.status == 409, refused.text
    assert _error(refused)["code"] == "upload_already_used" and fault.hits == 1
    assert _requests_about(desk, subject) == [] and _mails_to(desk, email) == []
    assert all("attached_to" not in _upload_item(desk, u) for u in (first, second))

    created = desk.http("POST", "/tickets", json_body=body)  # the form sent again: nothing stands in its way
    assert created.status == 201, created.text
    (stored,) = _requests_about(desk, subject)
    assert stored["documents"] == [first, second]
    assert {_upload_item(desk, u)["attached_to"] for u in (first, second)} == {created.json()["number"]}
    assert len(_mails_to(desk, email)) == 1


# --- 2. S3 answers 5xx to the upload check ---------------------------------------------------------------


def _post_file(desk: LocalDesk, content: bytes) -> str:
    """Ask for a presigned POST and post the file to it, as a browser does; the check starts from S3."""
    from component.test_uploads import _ask

    answer = _ask(desk, size=len(content))
    assert answer.status == 201, answer.text
    post = answer.json()
    files = {"file": ("x", content, "application/pdf")}
    posted = requests.post(post["url"], data=post["fields"], files=files, timeout=10)
    assert posted.status_code in (200, 204), posted.text
    return str(post["upload_id"])


def _keys(desk: LocalDesk, upload_id: str) -> set[str]:
    listed = desk.client("s3").list_objects_v2(Bucket=desk.ref("DocumentsBucket")).get("Contents", [])
    return {o["Key"].split("/")[0] for o in listed if o["Key"].endswith(upload_id)}


def _upload_item(desk: LocalDesk, upload_id: str) -> dict[str, Any]:
    return dict(_table(desk).get_item(Key={"pk": f"UPLOAD#{upload_id}", "sk": "UPLOAD"})["Item"])


def _failed_events(desk: LocalDesk) -> list[dict[str, Any]]:
    sqs = desk.client("sqs")
    answer = sqs.receive_message(
        QueueUrl=desk.ref("FailedEventsQueue"), MaxNumberOfMessages=10, VisibilityTimeout=0
    )
    return [json.loads(m["Body"]) for m in answer.get("Messages", [])]


@pytest.mark.parametrize(
    ("operation", "where"),
    [("GetObject", "/quarantine/"), ("PutObject", "/documents/")],
    ids=["reading quarantine", "storing in documents"],
)
def test_an_s3_5xx_past_every_retry_dead_letters_the_check_and_a_redrive_finishes_it(
    desk: LocalDesk, faults: Faults, operation: str, where: str
) -> None:
    content = docfactory.pdf_letter()
    fault = faults.add(
        "s3", operation, "InternalError", status=500, function="UploadCheck", when=lambda r: where in r.url
    )
    upload_id = _post_file(desk, content)
    desk.functions.settle()
    # Lambda's two retries of the event, each client with its own retries: every attempt refused.
    assert fault.hits == 3 * ATTEMPTS
    (failed,) = _failed_events(desk)
    assert failed["requestContext"]["condition"] == "RetriesExhausted"
    assert upload_id in json.dumps(failed["requestPayload"])
    # Nothing lost, nothing half-stored or served: the file waits in quarantine, its upload pending and
    # free for the next check.
    assert _keys(desk, upload_id) == {"quarantine"}
    record = _upload_item(desk, upload_id)
    assert record["status"] == "pending" and "check_claim" not in record
    assert desk.http("GET", f"/uploads/{upload_id}").json() == {"status": "pending"}

    faults.clear()
    report = desk.redrive()
    assert len(report["replayed"]) == 1 and not report["still_failing"], report
    assert _failed_events(desk) == []
    status = desk.http("GET", f"/uploads/{upload_id}").json()
    assert status == {"status": "accepted", "sha256": hashlib.sha256(content).hexdigest()}
    assert _keys(desk, upload_id) == {"documents"}


def test_a_slow_down_while_storing_a_checked_upload_is_retried_with_the_same_bytes(
    desk: LocalDesk, faults: Faults
) -> None:
    content = docfactory.pdf_letter()
    fault = faults.add(
        "s3",
        "PutObject",
        "SlowDown",
        status=503,
        times=2,
        function="UploadCheck",
        when=lambda r: "/documents/" in r.url,
    )
    failed_before = list(desk.failed_async)
    upload_id = _post_file(desk, content)
    desk.functions.settle()
    assert fault.hits == 2 and desk.failed_async == failed_before  # the third attempt stored it
    sha = hashlib.sha256(content).hexdigest()
    assert desk.http("GET", f"/uploads/{upload_id}").json() == {"status": "accepted", "sha256": sha}
    assert _keys(desk, upload_id) == {"documents"}
    stored = desk.client("s3").get_object(Bucket=desk.ref("DocumentsBucket"), Key=f"documents/{upload_id}")
    assert hashlib.sha256(stored["Body"].read()).hexdigest() == sha  # the whole file, sent again


# --- 3. SES refuses a send -------------------------------------------------------------------------------


def test_an_acknowledgement_ses_rejects_is_recorded_for_staff_and_the_request_stands(
    desk: LocalDesk, faults: Faults, tokens: dict[str, str]
) -> None:
    fault = faults.add("sesv2", "SendEmail", "MessageRejected", function="PublicApi")
    email = "dian.ditolak@example.go.id"
    created = desk.http("POST", "/tickets", json_body=_form("Surat ditolak SES", email))
    assert created.status == 201, created.text  # the requester has the number and code on screen
    assert fault.hits == 1  # a rejection is not retried
    number = created.json()["number"]
    timeline = _timeline(desk, number, tokens["helpdesk"])
    assert _kinds(timeline) == ["created", "mail_failed"]
    assert timeline[1]["data"] == {"to": email, "purpose": "acknowledgement", "error": "MessageRejected"}
    assert _mails_to(desk, email) == []


def test_a_reply_mail_throttled_for_a_moment_is_sent_once(
    desk: LocalDesk, faults: Faults, tokens: dict[str, str]
) -> None:
    email = "eko.balasan@example.go.id"
    number = _new(desk, "Balasan tersendat", email)
    fault = faults.add(
        "sesv2", "SendEmail", "TooManyRequestsException", status=429, times=2, function="StaffApi"
    )
    replied = desk.http(
        "POST", f"/staff/tickets/{number}/replies", token=tokens["helpdesk"], json_body={"text": "Sudah."}
    )
    assert replied.status == 201, replied.text
    assert fault.hits == 2
    timeline = _timeline(desk, number, tokens["helpdesk"])
    assert _kinds(timeline) == ["created", "mail_sent", "replied", "mail_sent"]
    (reply,) = [m for m in _mails_to(desk, email, number) if "Sudah." in m["text"]]
    assert reply["message_id"] == timeline[-1]["data"]["message_id"]


def test_a_reply_mail_throttled_past_every_retry_is_recorded_as_failed_and_the_reply_stands(
    desk: LocalDesk, faults: Faults, tokens: dict[str, str]
) -> None:
    email = "fajar.balasan@example.go.id"
    created = desk.http("POST", "/tickets", json_body=_form("Balasan tertahan", email)).json()
    number, code = created["number"], created["access_code"]
    fault = faults.add("sesv2", "SendEmail", "TooManyRequestsException", status=429, function="StaffApi")
    replied = desk.http(
        "POST", f"/staff/tickets/{number}/replies", token=tokens["helpdesk"], json_body={"text": "Dibuka."}
    )
    assert replied.status == 201 and replied.json()["status"] == "in_progress", replied.text
    assert fault.hits == ATTEMPTS
    timeline = _timeline(desk, number, tokens["helpdesk"])
    assert _kinds(timeline) == ["created", "mail_sent", "replied", "mail_sent", "mail_failed"]
    prepared, failed = timeline[-2], timeline[-1]
    assert failed["data"] == {
        "message_id": prepared["data"]["message_id"],
        "error": "TooManyRequestsException",
    }
    assert [m for m in _mails_to(desk, email, number) if "Dibuka." in m["text"]] == []
    # The requester still reads the reply on the status page.
    status = desk.http("GET", f"/tickets/{number}?code={code}").json()
    assert [r["text"] for r in status["replies"]] == ["Dibuka."]


# --- 4. SendTaskSuccess on a token that is no longer waiting ---------------------------------------------


@pytest.fixture(scope="module")
def machine(desk: LocalDesk) -> str:
    return create_ask_machine(desk, "ask-under-faults", STEP)


def _ask(desk: LocalDesk, machine: str, name: str) -> tuple[str, str]:
    number = _new(desk, f"Uji {name}", "gita.verifikasi@pemda.go.id")
    execution = desk.client("stepfunctions").start_execution(
        stateMachineArn=machine, name=name, input=json.dumps({"number": number, "subject": f"Uji {name}"})
    )
    return number, str(execution["executionArn"])


def _link(desk: LocalDesk, number: str) -> str:
    mail = until(
        lambda: [
            m for m in desk.outbox() if number in m["subject"] and "mohon keputusan" in m["subject"].lower()
        ]
    )[0]
    return str(next(u for u in mail["links"] if "/approvals/" in u))


def _task_audit(desk: LocalDesk, number: str) -> list[str]:
    from boto3.dynamodb.conditions import Key

    query = Key("pk").eq(f"REQ#{number}") & Key("sk").begins_with("AUDIT#")
    return [str(i["kind"]) for i in _table(desk).query(KeyConditionExpression=query)["Items"]]


def _handovers(desk: LocalDesk, task_id: str) -> list[Any]:
    """The asks that found the task decided and handed its decision to the workflow themselves."""
    ask = desk.functions.get("AskPersonFunction").name
    return [
        i
        for i in list(desk.functions.history)
        if i.function == ask
        and i.event.get("action") == "hold"
        and i.event.get("task_id") == task_id
        and (i.result or {}).get("handed_over")
    ]


def _finished(desk: LocalDesk, execution: str) -> dict[str, Any]:
    sfn = desk.client("stepfunctions")
    finished: dict[str, Any] = until(
        lambda: (d := sfn.describe_execution(executionArn=execution))["status"] != "RUNNING" and d,
        what="for the execution to end",
    )
    return finished


def test_a_decision_by_link_whose_token_timed_out_is_recorded_and_handed_over_by_the_next_ask(
    desk: LocalDesk, machine: str, faults: Faults
) -> None:
    number, execution = _ask(desk, machine, "token-timed-out")
    link = _link(desk, number)
    fault = faults.add("sfn", "SendTaskSuccess", "TaskTimedOut", times=1, function="Approvals")
    parts = urlsplit(link)
    form = {k: v[0] for k, v in parse_qs(parts.query).items()} | {"decision": "approve"}
    decided = desk.http(
        "POST",
        parts.path,
        body=urlencode(form).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert decided.status == 200, decided.text  # the person's decision is recorded
    assert fault.hits == 1
    # The wait ends at its checkpoint; the next ask finds the decision and hands it over.
    result = _finished(desk, execution)
    assert result["status"] == "SUCCEEDED"
    output = json.loads(result["output"])["decision"]
    assert output["decision"] == "approve" and output["decided_by"] == VERIFIER
    assert output["decided_via"] == "link"
    assert len(_handovers(desk, output["task_id"])) == 1
    assert _task_audit(desk, number).count("task_decided") == 1
    again = desk.http(
        "POST",
        parts.path,
        body=urlencode(form).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert again.status == 409


def test_a_console_decision_whose_token_is_no_longer_valid_is_recorded_and_handed_over_by_the_next_ask(
    desk: LocalDesk, machine: str, faults: Faults
) -> None:
    number, execution = _ask(desk, machine, "token-invalid")
    _link(desk, number)
    verifier = desk.login("verifier-jakarta")
    task = next(
        t for t in desk.http("GET", "/staff/tasks", token=verifier).json()["items"] if t["number"] == number
    )
    fault = faults.add("sfn", "SendTaskSuccess", "InvalidToken", times=1, function="StaffApi")
    path = f"/staff/tasks/{task['task_id']}/decision"
    body = {"decision": "reject", "reason": "SK tidak terbaca"}
    decided = desk.http("POST", path, token=verifier, json_body=body)
    assert decided.status == 200, decided.text
    assert decided.json()["decision"] == "reject" and fault.hits == 1
    result = _finished(desk, execution)
    assert result["status"] == "SUCCEEDED"
    assert json.loads(result["output"])["decision"]["fields"] == body
    assert len(_handovers(desk, task["task_id"])) == 1
    assert _task_audit(desk, number).count("task_decided") == 1
    repeated = desk.http("POST", path, token=verifier, json_body=body)
    assert repeated.status == 409 and _error(repeated)["code"] == "already_decided"


# --- 5. The upload check twice at once -------------------------------------------------------------------
# A second S3 event for an upload while its check runs (the presigned POST used again) is
# test_uploads.test_a_file_posted_again_with_the_same_fields_never_replaces_the_checked_one; here two
# checks of one event start at the same moment, both reading the upload as pending.


def test_two_checks_of_one_upload_at_the_same_moment_store_it_once(
    desk: LocalDesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    from component.test_uploads import _no_s3_events, _s3_event

    from desk.documents import uploads

    content = docfactory.pdf_letter()
    both_read = threading.Barrier(2, timeout=30)
    real_claim = uploads._claim

    def claim(upload_id: str, **kwargs: Any) -> str | None:
        both_read.wait()  # each has read the upload as pending: now both claim it
        return real_claim(upload_id, **kwargs)

    bucket = desk.ref("DocumentsBucket")
    with _no_s3_events(desk):
        upload_id = _post_file(desk, content)
        monkeypatch.setattr(uploads, "_claim", claim)
        event = _s3_event(bucket, f"quarantine/{upload_id}")
        with ThreadPoolExecutor(max_workers=2) as pool:
            runs = list(pool.map(lambda _: desk.functions.invoke("UploadCheckFunction", event), range(2)))
    assert [r.error for r in runs] == [None, None], [r.error for r in runs]
    outcomes = sorted(r.result["checked"][0]["outcome"] for r in runs)
    assert outcomes in (["accepted", "being_checked"], ["accepted", "already_checked"]), outcomes
    record = _upload_item(desk, upload_id)
    assert record["status"] == "accepted" and "check_claim" not in record
    assert _keys(desk, upload_id) == {"documents"}
    assert record["sha256"] == hashlib.sha256(content).hexdigest()
