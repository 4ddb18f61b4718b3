"""Is an inbound message from a robot? The RFC 3834 rules of domain-rules §4.

A message is *automated* (never acknowledged) when any of these holds, checked in this order:

* it is a bounce: a ``multipart/report`` (``bounce=True``, except a read receipt, report-type
  ``disposition-notification``, which is automated but not a bounce), or ordinary mail from
  ``MAILER-DAEMON`` (``bounce=True``);
* it comes from one of our own addresses (in ``From`` or the return path);
* ``Auto-Submitted`` is present with any value other than ``no``;
* ``Precedence`` is ``bulk``, ``list``, ``junk`` or ``auto_reply``;
* ``X-Autoreply`` or ``X-Autorespond`` is present (unless ``no``/``false``/``0``);
* ``X-Auto-Response-Suppress`` asks for no automatic replies (``All``, ``AutoReply`` or ``OOF``);
* ``List-Id`` or ``List-Unsubscribe`` is present;
* the return path is empty (``<>``) or belongs to ``MAILER-DAEMON``.

Header values come from ``ParsedMessage.header_flags``; ``raw_headers`` (for instance the envelope
sender from the SES receipt as ``{"return-path": source}``) is laid over them.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from desk.mail.parse import DeliveryReport, ParsedMessage

_DAEMON = re.compile(r"^(mailer-daemon|mail-daemon|mailerdaemon)(@|$)", re.IGNORECASE)
_PRECEDENCE = frozenset({"bulk", "list", "junk", "auto_reply"})
_NEGATIVE = frozenset({"no", "false", "0", "off"})
_SUPPRESS = frozenset({"all", "autoreply", "oof"})


@dataclass(frozen=True, slots=True)
class Automation:
    automated: bool
    bounce: bool
    reason: str | None
    bounced_message_id: str | None = None
    failed_recipients: tuple[str, ...] = ()


HUMAN = Automation(automated=False, bounce=False, reason=None)


def _flags(parsed: ParsedMessage, raw_headers: Mapping[str, object] | None) -> dict[str, str]:
    flags = {str(k).lower(): str(v) for k, v in (parsed.header_flags or {}).items()}
    for key, value in (raw_headers or {}).items():
        if isinstance(value, (list, tuple)):
            if not value:
                continue
            value = value[0]
        if value is None:
            continue
        flags[str(key).strip().lower()] = str(value).strip()
    return flags


def _token(value: str) -> str:
    """First word of a header value, lowercased, comments and parameters dropped."""
    value = re.sub(r"\([^)]*\)", " ", value)
    return value.split(";", 1)[0].strip().strip("\"'").lower()


def _address(value: str) -> str:
    match = re.search(r"<([^<>]*)>", value)
    addr = match.group(1) if match else value
    return addr.strip().strip("\"'").lower()


def _base(address: str) -> str:
    """``support+ep-2025-000001@desk.id`` to ``support@desk.id``."""
    local, at, domain = address.partition("@")
    return f"{local.split('+', 1)[0]}@{domain}" if at else address


def classify(
    parsed: ParsedMessage,
    raw_headers: Mapping[str, object] | None = None,
    *,
    own_addresses: Collection[str],
) -> Automation:
    """Whether ``parsed`` was sent by a machine, and whether it is a bounce. Never raises."""
    try:
        return _classify(parsed, raw_headers, own_addresses)
    except Exception:  # noqa: BLE001 - when in doubt, treat as automated: no acknowledgement loop
        return Automation(automated=True, bounce=False, reason="unclassifiable")


def _classify(
    parsed: ParsedMessage, raw_headers: Mapping[str, object] | None, own_addresses: Collection[str]
) -> Automation:
    flags = _flags(parsed, raw_headers)
    sender = (parsed.from_address or "").lower()
    return_path = _address(flags["return-path"]) if "return-path" in flags else None
    # The rules in the order of the module docstring; each is only asked when those before it had no answer.
    verdict = (
        _delivery_report(parsed.delivery_report, flags)
        or _own_address(sender, return_path, own_addresses)
        or _declared_automatic(flags)
        or _mailing_list(flags)
        or _null_or_daemon_return_path(return_path, flags)
    )
    if verdict is not None:
        return verdict
    if _DAEMON.match(sender):
        return Automation(True, True, "mailer-daemon")
    return HUMAN


def _delivery_report(report: DeliveryReport | None, flags: Mapping[str, str]) -> Automation | None:
    """A bounce or read receipt, from the parsed report or a ``multipart/report`` content type."""
    content_type = _token(flags.get("content-type", ""))
    if report is None and content_type != "multipart/report":
        return None
    report_type = report.report_type if report is not None else None
    if content_type == "multipart/report" and report_type == "disposition-notification":
        return Automation(True, False, "read-receipt")
    reason = "multipart/report" if content_type == "multipart/report" else "mailer-daemon"
    return Automation(
        automated=True,
        bounce=True,
        reason=reason,
        bounced_message_id=report.original_message_id if report else None,
        failed_recipients=report.failed_recipients if report else (),
    )


def _own_address(sender: str, return_path: str | None, own_addresses: Collection[str]) -> Automation | None:
    own = {a.strip().lower() for a in own_addresses if a and a.strip()}
    own |= {_base(a) for a in own}
    for candidate in (sender, return_path):
        if candidate and (candidate in own or _base(candidate) in own):
            return Automation(True, False, "own-address")
    return None


def _declared_automatic(flags: Mapping[str, str]) -> Automation | None:
    """Headers by which the sending software says the message is automatic."""
    if "auto-submitted" in flags:
        value = _token(flags["auto-submitted"])
        if value != "no":
            return Automation(True, False, f"auto-submitted:{value or 'empty'}")
    precedence = _token(flags.get("precedence", ""))
    if precedence in _PRECEDENCE:
        return Automation(True, False, f"precedence:{precedence}")
    for name in ("x-autoreply", "x-autorespond"):
        if name in flags and _token(flags[name]) not in _NEGATIVE:
            return Automation(True, False, name)
    suppress = {v.strip().lower() for v in flags.get("x-auto-response-suppress", "").split(",")}
    if suppress & _SUPPRESS:
        return Automation(True, False, "x-auto-response-suppress")
    return None


def _mailing_list(flags: Mapping[str, str]) -> Automation | None:
    for name in ("list-id", "list-unsubscribe"):
        if name in flags:
            return Automation(True, False, name)
    return None


def _null_or_daemon_return_path(return_path: str | None, flags: Mapping[str, str]) -> Automation | None:
    if return_path is None:
        return None
    if return_path == "" or flags["return-path"].strip() in ("<>", ""):
        return Automation(True, False, "null-return-path")
    if _DAEMON.match(return_path):
        return Automation(True, False, "mailer-daemon")
    return None
