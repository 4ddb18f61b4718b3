"""The desk's mail texts, Bahasa Indonesia first, English when asked. Everything a person wrote is escaped."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode

from desk.requests.model import TYPE_LABELS_EN, TYPE_LABELS_ID, RequestType


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def status_url(site_url: str, number: str, code: str) -> str:
    return f"{site_url.rstrip('/')}/status?{urlencode({'number': number, 'code': code})}"


def _page(paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f'<!doctype html><html><body style="font-family:sans-serif">{body}</body></html>'


def acknowledgement(
    *, number: str, code: str, type_: RequestType, subject: str, due_text: str, site_url: str, language: str
) -> Rendered:
    link = status_url(site_url, number, code)
    if language == "en":
        label = TYPE_LABELS_EN[type_]
        lines = [
            f"We have received your {label}: {subject}",
            f"Number: {number}",
            f"Access code: {code}",
            f"We will answer by {due_text}.",
            f"Follow its status at {link}",
            "This message was sent automatically; reply to it to add information.",
        ]
        title = f"We received your {label}"
    else:
        label = TYPE_LABELS_ID[type_]
        lines = [
            f"Kami telah menerima {label} Anda: {subject}",
            f"Nomor: {number}",
            f"Kode akses: {code}",
            f"Kami akan menjawab paling lambat {due_text}.",
            f"Pantau statusnya di {link}",
            "Pesan ini dikirim otomatis; balas pesan ini untuk menambahkan informasi.",
        ]
        title = f"{label.capitalize()} Anda telah kami terima"
    html_lines = [escape(line) for line in lines]
    html_lines[4] = f'{escape(lines[4].rsplit(" ", 1)[0])} <a href="{escape(link)}">{escape(link)}</a>'
    return Rendered(subject=title, text="\n".join(lines) + "\n", html=_page(html_lines))
