"""The reply letter to a training request, as a PDF (fpdf2, imported when a letter is made)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

ORGANISATION = "LEMBAGA KEBIJAKAN PENGADAAN BARANG/JASA PEMERINTAH"
DIRECTORATE = "Layanan e-Purchasing"


@dataclass(frozen=True)
class ReplyLetter:
    outgoing_number: str
    date: str  # the letter's date, ISO (WIB)
    request_number: str
    institution: str
    contact_name: str
    accepted: bool
    session: Mapping[str, Any] = field(default_factory=dict)  # when accepted
    participants: tuple[str, ...] = ()
    reason: str = ""  # when declined


def _latin1(text: str) -> str:
    # The PDF's core font covers Latin-1; anything else is replaced rather than failing the letter.
    return text.encode("latin-1", "replace").decode("latin-1")


def _rupiah(amount: int) -> str:
    return "tanpa biaya" if amount == 0 else "Rp" + f"{amount:,}".replace(",", ".") + " per peserta"


def _day(iso: Any, *, weekday: bool = True) -> str:
    """A calendar day of the letter (in WIB, the organiser's zone) as people write it."""
    from desk.dates import human_date

    try:
        return human_date(date.fromisoformat(str(iso)), weekday=weekday)
    except ValueError:
        return str(iso)


def paragraphs(letter: ReplyLetter) -> list[str]:
    """The letter's body, in order (pure: the tests read it without a PDF)."""
    opening = (
        f"Menindaklanjuti surat permohonan pelatihan e-Purchasing dari {letter.institution} "
        f"(nomor permintaan {letter.request_number}), dengan ini kami sampaikan hal-hal berikut."
    )
    if letter.accepted:
        s = letter.session
        body = [
            "Permohonan pelatihan Anda kami terima.",
            f"Sesi: {s.get('session_id')}",
            f"Tanggal: {_day(s.get('start_date'))} s.d. {_day(s.get('end_date'))} (2 hari kerja)",
            f"Tempat: {s.get('place')}",
            f"Biaya: {_rupiah(int(s.get('fee') or 0))}",
            f"Peserta ({len(letter.participants)} orang):",
            *[f"  {i}. {name}" for i, name in enumerate(letter.participants, start=1)],
            "Peserta yang hadir pada kedua hari pelatihan dicatat telah mengikuti pelatihan.",
        ]
    else:
        body = [
            "Dengan menyesal permohonan pelatihan Anda belum dapat kami penuhi.",
            f"Alasan: {letter.reason}",
            "Anda dapat mengajukan permohonan baru.",
        ]
    return [opening, *body, "Demikian kami sampaikan. Atas perhatiannya kami ucapkan terima kasih."]


def render(letter: ReplyLetter) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(f"Surat {letter.outgoing_number}"))
    pdf.set_author(_latin1(f"{ORGANISATION}, {DIRECTORATE}"))
    # Dated by the letter itself, not the clock: the same letter renders to the same bytes.
    pdf.set_creation_date(datetime.fromisoformat(letter.date).replace(tzinfo=UTC))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 12)
    pdf.multi_cell(0, 6, _latin1(ORGANISATION), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 5, _latin1(DIRECTORATE), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(4)
    for line in (
        f"Nomor   : {letter.outgoing_number}",
        f"Tanggal : {_day(letter.date, weekday=False)}",
        "Perihal : Balasan permohonan pelatihan e-Purchasing",
        "",
        "Kepada Yth.",
        f"{letter.contact_name}",
        f"{letter.institution}",
    ):
        pdf.multi_cell(0, 5, _latin1(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for paragraph in paragraphs(letter):
        pdf.multi_cell(0, 5, _latin1(paragraph), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    pdf.ln(8)
    pdf.multi_cell(0, 5, _latin1(f"a.n. {ORGANISATION}\n{DIRECTORATE}"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
