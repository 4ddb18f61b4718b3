"""The account provisioning port: the e-Purchasing system itself is outside the desk.

In AWS an adapter posts a signed request to a configurable HTTPS endpoint (HMAC-SHA256 over the body
with the desk's signing key, retried on failure) and gets back the user ID and a one-time activation
link. The local stack uses a fake that records accounts in the table and serves the activation page;
it is active only where the local stack sets ``LOCAL_FAKE_PROVISIONING``.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from desk import clock, keys, runtime
from desk.signing import sign


class ProvisioningFailed(Exception):
    """The provisioning endpoint did not create the account (the step retries, then flags the request)."""


@dataclass(frozen=True)
class Account:
    user_id: str
    activation_url: str


class LocalAccounts(Protocol):
    """The local fake's record of the accounts it created, which its activation page reads back.
    DynamoDB's is ``desk.data.accounts.LocalAccountStore``; the tests hold an in-memory twin to the same
    behaviour suite."""

    def record(self, token: str, *, user_id: str, number: str, created_at: str) -> None:
        """Keep the account behind activation link ``token`` (tokens are random: one is never reused)."""
        ...

    def activate(self, token: str) -> dict[str, Any] | None:
        """Activate the account behind ``token`` once: the account (``user_id``, ``number``,
        ``created_at``), or None for a token unknown or already used."""
        ...


def local_accounts() -> LocalAccounts:
    from desk.data.accounts import repository

    return repository()


def _fake(registration: dict[str, Any], now: datetime) -> Account:
    token = secrets.token_urlsafe(24)
    user_id = f"{registration['lpse_id']}-{registration['number'][-6:]}"
    site = runtime.current().environ.get("SITE_URL", "")
    local_accounts().record(token, user_id=user_id, number=registration["number"], created_at=clock.iso(now))
    return Account(user_id=user_id, activation_url=f"{site.rstrip('/')}/_local/activate/{token}")


def _http(url: str, registration: dict[str, Any], now: datetime) -> Account:
    import urllib.error
    import urllib.request

    ring = keys.key_ring()
    body = json.dumps(
        {
            k: registration.get(k)
            for k in (
                "number",
                "applicant_type",
                "name",
                "email",
                "phone",
                "institution",
                "company",
                "npwp",
                "lpse_id",
            )
        }
    ).encode()
    stamp = clock.iso(now)
    signature = sign(f"{stamp}.{body.decode()}", ring.current)
    request = urllib.request.Request(  # noqa: S310 - create_account allows https URLs only
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-Desk-Timestamp": stamp,
            "X-Desk-Key-Id": ring.current.kid,
            "X-Desk-Signature": signature,
            "Idempotency-Key": registration["number"],
        },
    )
    last: Exception | None = None
    for attempt in range(3):
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - configured https URL
                answer = json.loads(response.read())
            return Account(user_id=str(answer["user_id"]), activation_url=str(answer["activation_url"]))
        except (urllib.error.URLError, TimeoutError, KeyError, ValueError) as error:
            last = error
            time.sleep(0.5 * 2**attempt)
    raise ProvisioningFailed(f"provisioning endpoint failed: {type(last).__name__}")


def create_account(registration: dict[str, Any], *, now: datetime) -> Account:
    env = runtime.current().environ
    url = env.get("PROVISIONING_URL", "")
    if url:
        if not url.startswith("https://"):
            raise ProvisioningFailed("the provisioning endpoint must be https")
        return _http(url, registration, now)
    if env.get("LOCAL_FAKE_PROVISIONING") == "1":
        return _fake(registration, now)
    raise ProvisioningFailed("no provisioning endpoint is configured (ProvisioningUrl)")
