"""What the operators rely on: an alarm on every function and workflow, sent to their topic, and a
dashboard; the failed-events queue replayed safely (``make redrive``); and one request's life read from
the logs by its number."""

from __future__ import annotations

import json
from email.message import EmailMessage
from typing import Any

import pytest
from component.test_requests_work import FORM

from desk_local.stack import LocalDesk
from flows import log_lines

SUPPORT = "layanan@epurchasing.example.go.id"


def _alarms(desk: LocalDesk) -> list[dict[str, Any]]:
    return list(desk.client("cloudwatch").describe_alarms()["MetricAlarms"])


def _dimension_values(alarm: dict[str, Any]) -> set[str]:
    found = {d["Value"] for d in alarm.get("Dimensions", [])}
    for metric in alarm.get("Metrics", []):
        found |= {d["Value"] for d in metric.get("MetricStat", {}).get("Metric", {}).get("Dimensions", [])}
    return found


def test_every_function_and_workflow_has_an_alarm_sent_to_the_operators(desk: LocalDesk) -> None:
    alarms = _alarms(desk)
    watched = set().union(*(_dimension_values(a) for a in alarms))
    functions = {f.name for f in desk.functions.all()}
    assert functions and functions <= watched, functions - watched
    machines = {
        m["stateMachineArn"] for m in desk.client("stepfunctions").list_state_machines()["stateMachines"]
    }
    assert len(machines) == 3 and machines <= watched, machines - watched
    topic = desk.ref("OpsTopic")
    assert all(a["AlarmActions"] == [topic] for a in alarms)
    metrics = {a.get("MetricName") for a in alarms}
    for metric in (
        "ApproximateNumberOfMessagesVisible",
        "ApproximateAgeOfOldestMessage",
        "5XXError",
        "Latency",
        "Reputation.BounceRate",
        "Reputation.ComplaintRate",
        "ThrottledRequests",
        "RequestsFlagged",
        "SlaBreaches",
    ):
        assert metric in metrics, metric
    bounce = next(a for a in alarms if a.get("MetricName") == "Reputation.BounceRate")
    assert bounce["Threshold"] < 0.05  # before AWS reviews the account's sending
    (dashboard,) = desk.client("cloudwatch").list_dashboards()["DashboardEntries"]
    body = json.loads(
        desk.client("cloudwatch").get_dashboard(DashboardName=dashboard["DashboardName"])["DashboardBody"]
    )
    assert {w["type"] for w in body["widgets"]} == {"alarm", "metric"}


def _queued(desk: LocalDesk) -> list[dict[str, Any]]:
    sqs = desk.client("sqs")
    answer = sqs.receive_message(
        QueueUrl=desk.ref("FailedEventsQueue"), MaxNumberOfMessages=10, VisibilityTimeout=0
    )
    return list(answer.get("Messages", []))


def test_a_failed_mail_event_replayed_twice_makes_one_request(
    desk: LocalDesk, tokens: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from desk.mail import inbound

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("the table did not answer")

    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = (
        "sinta@pemda.go.id",
        SUPPORT,
        "Redrive: akun terkunci",
    )
    message.set_content("Mohon dibuka kembali.")
    with monkeypatch.context() as patched:
        patched.setattr(inbound, "receive", broken)
        desk.deliver_mail(message.as_bytes(), "sinta@pemda.go.id", [SUPPORT])
    (failed,) = _queued(desk)
    record = json.loads(failed["Body"])
    assert record["requestContext"]["condition"] == "RetriesExhausted"
    # The same failure delivered twice (a retry of the destination): both are replayed, one request results.
    desk.client("sqs").send_message(QueueUrl=desk.ref("FailedEventsQueue"), MessageBody=failed["Body"])

    report = desk.redrive()
    assert len(report["replayed"]) == 2 and not report["still_failing"] and report["unreadable"] == 0
    assert _queued(desk) == []
    queue = desk.http("GET", "/staff/queue?unit=helpdesk", token=tokens["helpdesk"]).json()["items"]
    assert [i["subject"] for i in queue].count("Redrive: akun terkunci") == 1


def test_an_event_that_still_fails_stays_in_the_queue_and_unreadable_ones_are_kept(
    desk: LocalDesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desk.mail import inbound

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("still down")

    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "tono@pemda.go.id", SUPPORT, "Masih gagal"
    message.set_content("Tes.")
    monkeypatch.setattr(inbound, "receive", broken)
    desk.deliver_mail(message.as_bytes(), "tono@pemda.go.id", [SUPPORT])
    desk.client("sqs").send_message(QueueUrl=desk.ref("FailedEventsQueue"), MessageBody="not json")
    report = desk.redrive()
    assert report["replayed"] == [] and report["unreadable"] == 1
    assert [f["function"].rsplit(":", 1)[-1] for f in report["still_failing"]] == [
        desk.functions.get("InboundEmailFunction").name
    ]
    attributes = desk.client("sqs").get_queue_attributes(
        QueueUrl=desk.ref("FailedEventsQueue"), AttributeNames=["All"]
    )["Attributes"]
    waiting = int(attributes["ApproximateNumberOfMessages"]) + int(
        attributes["ApproximateNumberOfMessagesNotVisible"]
    )
    assert waiting == 2  # nothing is dropped: the failing event and the unreadable one wait for a person
    desk.client("sqs").purge_queue(QueueUrl=desk.ref("FailedEventsQueue"))


def test_one_requests_life_reads_from_the_logs_by_its_number(desk: LocalDesk, tokens: dict[str, str]) -> None:
    form = {**FORM, "subject": "Log", "message": "Akun terkunci."}
    helpdesk = tokens["helpdesk"]
    desk.http("GET", "/staff/queue", token=helpdesk)  # both functions have run once: their loggers exist
    desk.http("POST", "/tickets", json_body={**form, "subject": "Pemanasan"})
    with log_lines("public-api", "staff-api") as lines:
        number = desk.http("POST", "/tickets", json_body=form).json()["number"]
        path = f"/staff/tickets/{number}"
        replied = desk.http("POST", f"{path}/replies", token=helpdesk, json_body={"text": "Sudah dibuka."})
        assert replied.status == 201
        assert (
            desk.http("POST", f"{path}/actions", token=helpdesk, json_body={"action": "resolve"}).status
            == 200
        )
    mine = [entry for entry in lines if entry.get("number") == number]
    messages = [entry["message"] for entry in mine]
    assert messages[0] == "request created" and messages.count("request changed") == 2, messages
    changes = [(e["from_status"], e["to_status"]) for e in mine if e["message"] == "request changed"]
    assert changes == [("submitted", "in_progress"), ("in_progress", "answered")], changes
    for entry in mine:  # each line says where it ran: function, cold start, request id and correlation id
        assert {"function_name", "cold_start", "function_request_id", "correlation_id"} <= entry.keys(), entry
    assert "Akun terkunci" not in json.dumps(mine)  # what people wrote stays out of the logs
