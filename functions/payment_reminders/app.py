"""Every Monday morning: remind buyers whose transactions still have no proof of payment."""

from __future__ import annotations

from typing import Any

from desk import clock, payments
from desk.admin.policies import policy_for
from desk.observability import instrumented, logger, metrics


@instrumented
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    result = payments.remind_buyers(now=clock.now(), days_after=policy_for("payment_proof").working_days)
    logger().info("payment-proof reminders", extra={"count": len(result["reminded"])})
    metrics().add_metric(name="PaymentRemindersSent", unit="Count", value=len(result["reminded"]))
    return result
