"""Limits on what strangers can make the desk do.

- Guessing access codes: wrong codes are counted per (request number, client) and per client in fixed
  15-minute windows; past the limit that client's attempts on that number (or on any number) are refused
  for the window. A client that never guessed wrong is never held back, so nobody can lock a requester
  out of their own request by guessing at its number.
- Acknowledgements: at most a few per recipient address per hour, from every door (the forms and the
  email door share the counter), and at most a few dozen per client per hour from the forms: the desk's
  DKIM-signed domain is no relay for mail to other people's addresses.
"""

from __future__ import annotations

import ipaddress
from datetime import datetime, timedelta

from desk.data import schema
from desk.errors import TooManyRequests
from desk.marks import Counters

WINDOW = timedelta(minutes=15)
LIMITS = {"number": 10, "client": 30}
ACKS_PER_ADDRESS_PER_HOUR = 5
ACKS_PER_CLIENT_PER_HOUR = 20
_HOUR = 3600


def client_key(viewer_address: str | None, source_ip: str | None) -> str:
    """Who is asking: the viewer address CloudFront passes (``CloudFront-Viewer-Address``, ``ip:port``),
    else the connection's source address; an IPv6 address stands for its /64, the block one household
    or one machine gets."""
    text = (viewer_address or "").strip()
    host = text.rsplit(":", 1)[0].strip("[]") if text else (source_ip or "").strip()
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return ""
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _keys(number: str, client: str, now: datetime) -> list[dict[str, str]]:
    window = str(int(now.timestamp()) // int(WINDOW.total_seconds()))
    # An unknown client is one client: the number's own counter.
    return [{"pk": pk, "sk": window} for pk in schema.wrong_codes_pks(number, client)]


def _limit(pk: str) -> int:
    return LIMITS["number"] if pk.startswith(schema.WRONG_CODES_PER_NUMBER) else LIMITS["client"]


def check(number: str, client: str, now: datetime, counters: Counters | None = None) -> None:
    counters = counters if counters is not None else _counters()
    keys = _keys(number, client, now)
    for key, count in zip(keys, counters.counts(keys), strict=True):
        if count >= _limit(key["pk"]):
            raise TooManyRequests(
                "Terlalu banyak percobaan kode akses yang salah. Coba lagi 15 menit lagi.",
                code="too_many_attempts",
            )


def record_failure(number: str, client: str, now: datetime, counters: Counters | None = None) -> None:
    counters = counters if counters is not None else _counters()
    expires = int((now + WINDOW * 2).timestamp())
    for key in _keys(number, client, now):
        counters.add(key, fields={"expires_at": expires})


def acknowledgement_allowed(
    address: str, client: str, now: datetime, counters: Counters | None = None
) -> bool:
    """Counts one acknowledgement to ``address`` (and from ``client``, when known) in this hour and says
    whether it may go out: a loop with a robot ends, and a form is no way to mail strangers."""
    counters = counters if counters is not None else _counters()
    hour = str(int(now.timestamp()) // _HOUR)
    limits = [(schema.acknowledgements_pk(address=address), ACKS_PER_ADDRESS_PER_HOUR)]
    if client:
        limits.append((schema.acknowledgements_pk(client=client), ACKS_PER_CLIENT_PER_HOUR))
    allowed = True
    for pk, limit in limits:
        count = counters.add({"pk": pk, "sk": hour}, fields={"expires_at": int(now.timestamp()) + 2 * _HOUR})
        allowed = allowed and count <= limit
    return allowed


def _counters() -> Counters:
    from desk.data.counters import repository

    return repository()
