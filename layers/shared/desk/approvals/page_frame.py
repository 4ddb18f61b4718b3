"""The frame every page behind a signed link shares (head, style, heading) and the blocks several pages
show: the request's summary, its documents, the console link and the secretariat's address."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any

from desk import clock
from desk.approvals.page_texts import known, lang_of, text
from desk.approvals.steps import Step
from desk.dates import human_datetime

_STYLE = (
    ":root{--ink:#1b1b1b;--muted:#4a4a4a;--line:#8a8f96;--soft:#f3f5f7;--brand:#0b4f8a;--error:#a4000f;"
    "--ok:#0a6b2d;--focus:#ffbf47}*{box-sizing:border-box}"
    "body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--ink);"
    "line-height:1.5;background:#fff}"
    "header{background:var(--brand);color:#fff;padding:.75rem 1rem;font-weight:600}"
    "main{max-width:40rem;margin:0 auto;padding:1rem}h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0}"
    "h2{font-size:1.15rem;margin:1.25rem 0 .5rem}a{color:var(--brand)}"
    "a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid var(--focus);"
    "outline-offset:2px}.lead{color:var(--muted);margin-top:0}"
    "dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;border:1px solid var(--line);"
    "border-radius:6px;padding:.75rem 1rem;margin:1rem 0}dt{font-weight:600}"
    "dd{margin:0;overflow-wrap:anywhere}"
    "ul.docs{padding-left:1.25rem}ul.docs li{margin:.35rem 0;overflow-wrap:anywhere}"
    "fieldset{border:1px solid var(--line);border-radius:6px;margin:1rem 0;padding:.5rem 1rem 1rem}"
    "legend{font-weight:600;padding:0 .25rem}.field{margin:1rem 0}"
    ".field>label,.field>.label{display:block;font-weight:600;margin-bottom:.25rem}"
    ".hint{display:block;color:var(--muted);font-size:.9rem;margin-bottom:.25rem}"
    ".choice{display:flex;gap:.6rem;align-items:flex-start;margin:.5rem 0;font-size:1.05rem}"
    ".choice input{margin-top:.25rem;width:1.3rem;height:1.3rem;flex:none}"
    "input[type=text],input[type=tel],input[type=date],input[type=datetime-local],input[type=number],"
    "textarea,select{width:100%;padding:.6rem;font-size:1rem;border:2px solid var(--line);border-radius:6px;"
    "background:#fff;color:var(--ink)}textarea{min-height:6rem}"
    "button{font-size:1.1rem;padding:.8rem 1.5rem;border-radius:6px;border:2px solid var(--brand);"
    "background:var(--brand);color:#fff;cursor:pointer;width:100%;margin-top:.5rem}"
    ".box{border-left:5px solid var(--brand);background:var(--soft);padding:.75rem 1rem;margin:1rem 0}"
    ".box.error{border-color:var(--error)}.box.ok{border-color:var(--ok)}"
    ".error-text{color:var(--error);font-weight:600;display:block;margin-top:.25rem}"
    "[aria-invalid=true]{border-color:var(--error)!important}"
    "@media(min-width:40rem){button{width:auto}}"
)


@dataclass(frozen=True)
class Facts:
    """What the page shows about the request behind the task."""

    number: str
    subject: str = ""
    requester: str = ""  # who asks: name and institution, "" when unknown or anonymous
    documents: Sequence[tuple[str, str, str]] = ()  # (file name, purpose, short-lived download URL)
    units: Sequence[tuple[str, str]] = ()  # (unit id, name) a disposition may choose; () when unknown
    sessions: Sequence[tuple[str, str]] = ()  # (session id, what it is) a training reply may choose
    contact: str = ""  # the secretariat's address, shown on the pages that send people there
    console_url: str = ""


def human_moment(moment: str, tz: str, lang: str) -> str:
    """An ISO moment as people read it in ``tz``; the text itself when it is no moment."""
    try:
        return human_datetime(clock.parse_iso(moment), tz, lang_of(lang))
    except (TypeError, ValueError):
        return moment


def page(title: str, body: str, *, lang: str = "id") -> str:
    return (
        f'<!doctype html><html lang="{lang_of(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex"><meta name="referrer" content="no-referrer">'
        f"<title>{escape(title)} · {escape(text(lang, 'site'))}</title>"
        f"<style>{_STYLE}</style></head><body><header>{escape(text(lang, 'site'))}</header>"
        f"<main><h1>{escape(title)}</h1>{body}</main></body></html>"
    )


def console_link(facts: Facts, lang: str) -> str:
    if not facts.console_url:
        return ""
    return f'<p><a href="{escape(facts.console_url)}">{escape(text(lang, "console"))}</a></p>'


def contact(facts: Facts, lang: str) -> str:
    if not facts.contact:
        return ""
    address = escape(facts.contact)
    link = f'<a href="mailto:{address}">{address}</a>'
    return f"<p>{text(lang, 'contact', address=link)}</p>"


def summary(step: Step, task: Mapping[str, Any], facts: Facts, lang: str, *, now: datetime | None) -> str:
    rows = [(text(lang, "number"), facts.number or str(task.get("number", "")))]
    subject = str(task.get("subject") or facts.subject or "-")
    rows.append((text(lang, "subject"), subject))
    if facts.requester:
        rows.append((text(lang, "requester"), facts.requester))
    if task.get("due_at"):
        rows.append(
            (text(lang, "due"), human_moment(str(task["due_at"]), task.get("tz", "Asia/Jakarta"), lang))
        )
    listed = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in rows)
    explain = known(lang, f"explain.{step.name}", "")
    body = (f'<p class="lead">{escape(explain)}</p>' if explain else "") + f"<dl>{listed}</dl>"
    if now is not None and task.get("due_at") and now > clock.parse_iso(str(task["due_at"])):
        body += f'<p class="box">{escape(text(lang, "due.passed"))}</p>'
    return body


def documents(facts: Facts, lang: str) -> str:
    heading = f'<h2 id="documents">{escape(text(lang, "documents"))}</h2>'
    if not facts.documents:
        return heading + f'<p class="hint">{escape(text(lang, "documents.none"))}</p>'
    items = "".join(
        f'<li><a href="{escape(url)}" rel="noopener noreferrer">{escape(name)}</a>'
        f"{' (' + escape(known(lang, f'purpose.{purpose}', purpose)) + ')' if purpose else ''}</li>"
        for name, purpose, url in facts.documents
    )
    return (
        heading
        + f'<ul class="docs" aria-labelledby="documents">{items}</ul>'
        + f'<p class="hint">{escape(text(lang, "documents.note"))}</p>'
    )
