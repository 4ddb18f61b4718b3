"""Every mail the desk sent, read back from moto's SES, newest first, with the links in each."""

from __future__ import annotations

import email
import html
import re
from email import policy
from typing import Any

_URL = re.compile(r"""https?://[^\s"'<>]+""")


def _links(*texts: str) -> list[str]:
    seen: dict[str, None] = {}
    for text in texts:
        for url in _URL.findall(html.unescape(text)):
            seen.setdefault(url.rstrip(".,;)"), None)
    return list(seen)


def _from_raw(raw: str) -> dict[str, Any]:
    message = email.message_from_string(raw, policy=policy.default)
    text = html_body = ""
    for part in message.walk():
        if part.is_multipart():
            continue
        kind = part.get_content_type()
        try:
            content = part.get_content()
        except (LookupError, ValueError):
            continue
        if kind == "text/plain" and not text and isinstance(content, str):
            text = content
        elif kind == "text/html" and not html_body and isinstance(content, str):
            html_body = content
    return {
        "to": [a.strip() for a in str(message.get("To", "")).split(",") if a.strip()],
        "subject": str(message.get("Subject", "")),
        "text": text,
        "html": html_body,
        "message_id": str(message.get("Message-ID", "")),
        "headers": {k: str(v) for k, v in message.items()},
    }


def read(account_id: str, region: str) -> list[dict[str, Any]]:
    from moto.ses.models import ses_backends

    backend = ses_backends[account_id][region]
    mails = []
    for sent in backend.sent_messages:
        if hasattr(sent, "raw_data"):
            mail = _from_raw(sent.raw_data)
            mail["to"] = mail["to"] or list(sent.destinations)
        else:
            body = getattr(sent, "body", "") or ""
            mail = {
                "to": list((sent.destinations or {}).get("ToAddresses", [])),
                "subject": sent.subject,
                "text": body,
                "html": "",
                "message_id": sent.id,
                "headers": {},
            }
        mail["links"] = _links(mail["text"], mail["html"])
        mail["sent_at"] = getattr(sent, "sent_at", None)
        mails.append(mail)
    mails.reverse()
    return mails
