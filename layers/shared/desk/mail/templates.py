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
    *,
    number: str,
    code: str,
    type_: RequestType,
    due_text: str,
    site_url: str,
    language: str,
    follows: str | None = None,
) -> Rendered:
    """No text of the requester's: the address is one nobody has confirmed, and a form must not be a way
    to send someone else a message in the desk's name. ``follows``: the request was prepared from that
    ended one and waits for the requester to confirm it, so there is no answer date yet."""
    link = status_url(site_url, number, code)
    if language == "en":
        label = TYPE_LABELS_EN[type_]
        lines = [
            f"We have received your {label}.",
            f"Number: {number}",
            f"Access code: {code}",
            f"We will answer by {due_text}."
            if follows is None
            else f"It continues {follows} with the letter you sent; confirm it on its status page to start.",
            f"Follow its status at {link}",
            "This message was sent automatically; reply to it to add information.",
        ]
        title = f"We received your {label}"
    else:
        label = TYPE_LABELS_ID[type_]
        lines = [
            f"Kami telah menerima {label} Anda.",
            f"Nomor: {number}",
            f"Kode akses: {code}",
            f"Kami akan menjawab paling lambat {due_text}."
            if follows is None
            else f"Permohonan ini melanjutkan {follows} dengan surat yang Anda kirim; konfirmasi di halaman "
            "statusnya untuk memulai.",
            f"Pantau statusnya di {link}",
            "Pesan ini dikirim otomatis; balas pesan ini untuk menambahkan informasi.",
        ]
        title = f"{label.capitalize()} Anda telah kami terima"
    html_lines = [escape(line) for line in lines]
    html_lines[4] = f'{escape(lines[4].rsplit(" ", 1)[0])} <a href="{escape(link)}">{escape(link)}</a>'
    return Rendered(subject=title, text="\n".join(lines) + "\n", html=_page(html_lines))


def update_to_requester(*, number: str, type_: RequestType, text: str, kind: str, language: str) -> Rendered:
    """A staff reply or a change the requester should know about (held, forwarded, rejected...)."""
    labels_id = {
        "replied": "Balasan atas {label} Anda",
        "held": "Kami memerlukan informasi tambahan untuk {label} Anda",
        "forwarded": "{label} Anda kami teruskan",
        "rejected": "{label} Anda tidak dapat kami proses",
        "answered": "{label} Anda telah dijawab",
        "extended": "Waktu penyelesaian {label} Anda diperpanjang",
        "verified": "{label} Anda telah diverifikasi",
    }
    labels_en = {
        "replied": "A reply to your {label}",
        "held": "We need more information for your {label}",
        "forwarded": "Your {label} has been forwarded",
        "rejected": "Your {label} could not be processed",
        "answered": "Your {label} has been answered",
        "extended": "More time is needed for your {label}",
        "verified": "Your {label} has been verified",
    }
    if language == "en":
        title = labels_en.get(kind, labels_en["replied"]).format(label=TYPE_LABELS_EN[type_])
        footer = f"Reply to this message to add information. Number: {number}."
    else:
        title = labels_id.get(kind, labels_id["replied"]).format(label=TYPE_LABELS_ID[type_])
        title = title[0].upper() + title[1:]
        footer = f"Balas pesan ini untuk menambahkan informasi. Nomor: {number}."
    paragraphs = [escape(p) for p in text.split("\n\n")] + [escape(footer)]
    return Rendered(subject=title, text=f"{text}\n\n{footer}\n", html=_page(paragraphs))
