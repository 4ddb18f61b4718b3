"""Pure parts of the local stack: intrinsic functions, schedule expressions, receipt-rule matching."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from desk_local.schedule import due
from desk_local.smtp import matches
from desk_local.template import Resolver, TemplateError, references


def _resolver() -> Resolver:
    attributes = {("Table", "Arn"): "arn:aws:dynamodb:r:1:table/t"}
    return Resolver(
        parameters={"Stage": "dev"},
        pseudo={"AWS::Region": "ap-southeast-3", "AWS::AccountId": "123456789012"},
        conditions={
            "IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]},
            "NotProd": {"Fn::Not": [{"Condition": "IsProd"}]},
        },
        ref=lambda name: {"Table": "t"}[name],
        get_att=lambda name, attribute: attributes[(name, attribute)],
    )


def test_intrinsics_resolve() -> None:
    resolver = _resolver()
    value = {
        "a": {"Fn::Sub": "desk-${Stage}-${AWS::Region}-${Table}"},
        "b": {"Fn::Sub": ["${X}/${Table.Arn}", {"X": {"Ref": "Stage"}}]},
        "c": {"Fn::If": ["IsProd", 1, {"Ref": "AWS::NoValue"}]},
        "d": {"Fn::Join": ["-", ["x", {"Ref": "Stage"}]]},
        "e": {"Fn::Select": [1, {"Fn::Split": [",", "p,q"]}]},
        "f": {"Fn::Sub": "literal ${!NotResolved}"},
    }
    assert resolver.resolve(value, "here") == {
        "a": "desk-dev-ap-southeast-3-t",
        "b": "dev/arn:aws:dynamodb:r:1:table/t",
        "d": "x-dev",
        "e": "q",
        "f": "literal ${NotResolved}",
    }
    assert resolver.condition("NotProd") is True


def test_an_unsupported_intrinsic_is_named_with_where_it_stands() -> None:
    with pytest.raises(TemplateError, match=r"Queue: Fn::ImportValue is not supported"):
        _resolver().resolve({"x": {"Fn::ImportValue": "elsewhere"}}, "Queue")


def test_references_are_found_for_ordering() -> None:
    value = {
        "a": {"Fn::Sub": "${Bucket}/${Fn.Arn}-${AWS::Region}"},
        "b": [{"Ref": "Table"}],
        "c": {"Fn::GetAtt": ["Role", "Arn"]},
    }
    assert references(value) - {"AWS::Region"} == {"Bucket", "Fn", "Table", "Role"}


def test_rate_schedules() -> None:
    now = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
    assert due("rate(5 minutes)", None, now)
    assert not due("rate(5 minutes)", now - timedelta(minutes=4), now)
    assert due("rate(1 hour)", now - timedelta(hours=1), now)


def test_cron_schedules_in_aws_form() -> None:
    monday_0100 = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
    assert due("cron(0 1 ? * MON-FRI *)", None, monday_0100)
    assert not due("cron(0 1 ? * SAT,SUN *)", None, monday_0100)
    assert due("cron(0/15 * * * ? *)", None, monday_0100.replace(minute=45))
    assert not due("cron(0/15 * * * ? *)", None, monday_0100.replace(minute=44))
    with pytest.raises(ValueError):
        due("every tuesday", None, monday_0100)


def test_receipt_rule_recipients() -> None:
    assert matches(["layanan@epurchasing.example.go.id"], "Layanan@Epurchasing.example.go.id")
    assert matches(["epurchasing.example.go.id"], "apa.saja@epurchasing.example.go.id")
    assert matches([".example.go.id"], "x@epurchasing.example.go.id")
    assert not matches(["layanan@epurchasing.example.go.id"], "lain@epurchasing.example.go.id")
    assert matches([], "anyone@anywhere.example")


def test_the_desk_clock_is_pinned_to_any_instant_moves_only_forward_and_is_put_back() -> None:
    from datetime import UTC, datetime, timedelta

    from desk import clock

    real = datetime.now(UTC)
    previous = clock.pin(real - timedelta(days=400))  # the past is allowed when a desk starts
    try:
        assert timedelta(days=400) - timedelta(seconds=5) < real - clock.now() <= timedelta(days=401)
        clock.advance_to(real - timedelta(days=500))  # backwards: nothing changes
        assert real - clock.now() > timedelta(days=399)
        clock.advance_to(real + timedelta(days=3))  # forward, past the real time too
        assert timedelta(days=3) - timedelta(seconds=5) < clock.now() - real <= timedelta(days=3, seconds=5)
        with pytest.raises(ValueError):
            clock.pin(datetime(2031, 3, 15, 10))  # no offset: which zone?
    finally:
        clock.restore(previous)
    assert clock.offset() == previous
