"""The pages behind a signed link: what is asked and a plain HTML form (no JavaScript needed), phone
first, in Bahasa Indonesia or English. Every text the pages show is in :data:`TEXTS`, one table per
language; the data (the request's facts, its document links, the Subdits) comes in from the caller."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any

from desk import clock
from desk.approvals.steps import Step
from desk.dates import human_datetime

LANGUAGES = ("id", "en")

TEXTS: Mapping[str, Mapping[str, str]] = {
    "id": {
        "site": "Layanan e-Purchasing LKPP",
        "number": "Nomor permintaan",
        "subject": "Perihal",
        "requester": "Pemohon",
        "due": "Batas waktu",
        "due.passed": "Batas waktu sudah lewat; keputusan Anda tetap dicatat, sebagai terlambat.",
        "documents": "Dokumen",
        "documents.none": "Tidak ada dokumen yang dapat diunduh.",
        "documents.note": "Tautan unduhan berlaku beberapa menit; muat ulang halaman ini bila sudah habis.",
        "decision": "Keputusan Anda",
        "submit": "Catat keputusan",
        "submit.note": (
            "Membuka halaman ini tidak mengubah apa pun; keputusan tercatat setelah Anda menekan tombol."
        ),
        "choose": "— pilih —",
        "optional": "opsional",
        "errors": "Keputusan belum lengkap. Periksa isian yang ditandai.",
        "sign_in.text": "Keputusan ini berbobot hukum: silakan masuk ke konsol petugas untuk memutuskannya.",
        "upload.console": "Berkas diunggah lewat konsol petugas: buka tugas ini di konsol untuk mengunggah "
        "draf dan memutuskan sekaligus.",
        "session.new": "Sesi baru (isi di bawah)",
        "console": "Buka konsol petugas",
        "recorded.title": "Keputusan tercatat",
        "recorded.text": "Keputusan Anda tercatat: {decision}.",
        "recorded.late": "Keputusan ini tercatat terlambat dari batas waktu.",
        "recorded.next": "Langkah berikutnya berjalan otomatis. Anda boleh menutup halaman ini.",
        "error.403.title": "Tautan tidak sah",
        "error.403.text": "Tautan ini tidak sah atau sudah diubah.",
        "error.403.next": (
            "Buka tautan persis seperti di surel terbaru, tanpa diubah, atau putuskan dari konsol petugas."
        ),
        "error.404.title": "Tautan tidak dikenal",
        "error.404.text": "Tugas untuk tautan ini tidak ditemukan.",
        "error.404.next": "Lihat tugas Anda di konsol petugas.",
        "error.409.title": "Sudah diputuskan",
        "error.409.text": "Keputusan sudah tercatat oleh {who} pada {when}.",
        "error.409.decision": "Keputusan: {decision}.",
        "error.409.next": (
            "Tidak ada lagi yang perlu Anda lakukan. Bila keputusan itu perlu diubah, hubungi "
            "sekretariat Direktorat."
        ),
        "error.410.title": "Tautan berakhir",
        "error.410.text": "Tautan ini sudah kedaluwarsa, atau tugasnya sudah berakhir.",
        "error.410.next": "Hubungi sekretariat Direktorat untuk tindak lanjut, atau buka konsol petugas.",
        "error.other.title": "Tidak dapat diproses",
        "error.other.next": "Coba lagi nanti, atau putuskan dari konsol petugas.",
        "contact": "Sekretariat: {address}",
        "step.letter:disposition": "Disposisi surat masuk",
        "step.letter:subdit_answer": "Jawaban Subdit atas disposisi",
        "step.letter:signature": "Tanda tangan surat jawaban",
        "step.letter:dispatch": "Pengiriman surat jawaban",
        "step.letter:confirmation": "Konfirmasi penerimaan lewat telepon",
        "step.registration:verification": "Verifikasi permohonan user ID",
        "step.training:reply": "Balasan permohonan pelatihan",
        "explain.letter:disposition": (
            "Tentukan tindak lanjut surat ini: disposisikan ke Subdit, jawab langsung, atau catat untuk"
            " diketahui."
        ),
        "explain.letter:subdit_answer": (
            "Siapkan draf jawaban atas surat ini; draf dikirim ke Direktur untuk ditandatangani."
        ),
        "explain.letter:signature": (
            "Periksa draf jawaban, lalu tanda tangani atau kembalikan ke Subdit dengan catatan."
        ),
        "explain.letter:dispatch": (
            "Catat cara surat jawaban dikirim: faks (nomor dan waktu kirim) atau kurir (nama dan nomor resi)."
        ),
        "explain.letter:confirmation": "Telepon penerima, lalu catat apakah surat jawaban sudah diterima.",
        "explain.registration:verification": (
            "Periksa surat tugas atau SK pemohon, lalu setujui atau tolak permohonan user ID ini."
        ),
        "explain.training:reply": (
            "Terima dengan memilih sesi atau membuat sesi baru, atau tolak dengan alasan."
        ),
        "decision.dispose": "Disposisikan ke Subdit",
        "decision.answer_directly": "Jawab langsung",
        "decision.for_information": "Untuk diketahui",
        "decision.submit_draft": "Kirim draf jawaban",
        "decision.sign": "Tanda tangani",
        "decision.return": "Kembalikan ke Subdit",
        "decision.fax": "Dikirim lewat faks",
        "decision.courier": "Dikirim lewat kurir",
        "decision.confirmed": "Penerimaan terkonfirmasi",
        "decision.unreachable": "Tidak dapat dihubungi",
        "decision.approve": "Setujui",
        "decision.reject": "Tolak",
        "decision.accept": "Terima",
        "decision.decline": "Tolak",
        "field.subdits": "Subdit tujuan",
        "hint.subdits": "Wajib bila didisposisikan; pilih satu atau lebih.",
        "hint.subdits.text": "Wajib bila didisposisikan; kode unit, pisahkan dengan koma.",
        "field.instruction": "Instruksi",
        "hint.instruction": "Wajib bila didisposisikan.",
        "field.notes": "Catatan",
        "hint.letter:signature.notes": "Wajib bila dikembalikan ke Subdit.",
        "field.draft_upload_id": "Nomor unggahan draf jawaban",
        "hint.draft_upload_id": "Unggah draf di konsol petugas, lalu tempel nomor unggahannya di sini.",
        "field.summary": "Ringkasan jawaban",
        "field.signed_upload_id": "Nomor unggahan surat bertanda tangan",
        "field.fax_number": "Nomor faks",
        "hint.fax_number": "Wajib bila dikirim lewat faks.",
        "field.sent_at": "Waktu kirim",
        "hint.sent_at": "Wajib bila dikirim lewat faks; waktu setempat.",
        "field.courier": "Nama kurir",
        "hint.courier": "Wajib bila dikirim lewat kurir.",
        "field.tracking_number": "Nomor resi",
        "hint.tracking_number": "Wajib bila dikirim lewat kurir.",
        "field.reason": "Alasan",
        "hint.reason": "Wajib bila ditolak.",
        "field.session_id": "Kode sesi yang dipilih",
        "hint.session_id": "Atau kosongkan, lalu isi tanggal mulai, tempat, dan kapasitas sesi baru.",
        "field.start_date": "Tanggal mulai sesi baru",
        "field.place": "Tempat atau tautan daring",
        "field.capacity": "Kapasitas",
        "field.fee": "Biaya (Rp)",
        "instruction.tindak_lanjuti": "Tindak lanjuti",
        "instruction.siapkan_jawaban": "Siapkan jawaban",
        "instruction.untuk_diketahui": "Untuk diketahui",
        "instruction.koordinasikan": "Koordinasikan",
        "purpose.sk_letter": "Surat tugas / SK",
        "purpose.company_letter": "Surat perusahaan",
        "purpose.training_letter": "Surat permohonan pelatihan",
        "purpose.payment_proof": "Bukti pembayaran",
        "purpose.letter_scan": "Pindaian surat",
        "purpose.draft_answer": "Draf jawaban",
        "purpose.signed_letter": "Surat bertanda tangan",
        "purpose.attachment": "Lampiran",
    },
    "en": {
        "site": "LKPP e-Purchasing Service Desk",
        "number": "Request number",
        "subject": "Subject",
        "requester": "Requested by",
        "due": "Deadline",
        "due.passed": "The deadline has passed; your decision is still recorded, as late.",
        "documents": "Documents",
        "documents.none": "No document to download.",
        "documents.note": "Download links last a few minutes; reload this page when they have run out.",
        "decision": "Your decision",
        "submit": "Record the decision",
        "submit.note": (
            "Opening this page changes nothing; the decision is recorded once you press the button."
        ),
        "choose": "— choose —",
        "optional": "optional",
        "errors": "The decision is not complete. Please check the marked fields.",
        "sign_in.text": "This decision has legal weight: please sign in to the staff console to make it.",
        "upload.console": "Files are uploaded in the staff console: open this task there to upload the "
        "draft and decide in one go.",
        "session.new": "A new session (fill in below)",
        "console": "Open the staff console",
        "recorded.title": "Decision recorded",
        "recorded.text": "Your decision is recorded: {decision}.",
        "recorded.late": "It was recorded after the deadline (late).",
        "recorded.next": "The next step starts by itself. You may close this page.",
        "error.403.title": "Invalid link",
        "error.403.text": "This link is not valid, or it has been changed.",
        "error.403.next": (
            "Open the link exactly as it is in the latest email, or decide from the staff console."
        ),
        "error.404.title": "Unknown link",
        "error.404.text": "The task of this link cannot be found.",
        "error.404.next": "See your tasks in the staff console.",
        "error.409.title": "Already decided",
        "error.409.text": "A decision was already recorded by {who} on {when}.",
        "error.409.decision": "Decision: {decision}.",
        "error.409.next": (
            "Nothing more to do. If that decision must change, contact the Directorate's secretariat."
        ),
        "error.410.title": "Link expired",
        "error.410.text": "This link has expired, or its task is over.",
        "error.410.next": "Contact the Directorate's secretariat to follow up, or open the staff console.",
        "error.other.title": "Cannot be processed",
        "error.other.next": "Try again later, or decide from the staff console.",
        "contact": "Secretariat: {address}",
        "step.letter:disposition": "Incoming letter disposition",
        "step.letter:subdit_answer": "Subdit answer to a disposition",
        "step.letter:signature": "Signing the reply letter",
        "step.letter:dispatch": "Sending the reply letter",
        "step.letter:confirmation": "Confirming receipt by phone",
        "step.registration:verification": "User ID request verification",
        "step.training:reply": "Reply to a training request",
        "explain.letter:disposition": (
            "Decide what happens to this letter: dispose it to Subdits, answer it directly, or file it "
            "for information."
        ),
        "explain.letter:subdit_answer": (
            "Prepare a draft answer to this letter; it goes to the Director for signature."
        ),
        "explain.letter:signature": (
            "Check the draft answer, then sign it or return it to the Subdit with notes."
        ),
        "explain.letter:dispatch": (
            "Record how the reply letter was sent: fax (number and time) or courier (name and tracking "
            "number)."
        ),
        "explain.letter:confirmation": "Call the recipient, then record whether the reply letter arrived.",
        "explain.registration:verification": (
            "Check the applicant's assignment letter or SK, then approve or reject this user ID request."
        ),
        "explain.training:reply": (
            "Accept by choosing a session or creating a new one, or decline with a reason."
        ),
        "decision.dispose": "Dispose to Subdits",
        "decision.answer_directly": "Answer directly",
        "decision.for_information": "For information only",
        "decision.submit_draft": "Submit the draft answer",
        "decision.sign": "Sign",
        "decision.return": "Return to the Subdit",
        "decision.fax": "Sent by fax",
        "decision.courier": "Sent by courier",
        "decision.confirmed": "Receipt confirmed",
        "decision.unreachable": "Could not be reached",
        "decision.approve": "Approve",
        "decision.reject": "Reject",
        "decision.accept": "Accept",
        "decision.decline": "Decline",
        "field.subdits": "Subdits",
        "hint.subdits": "Required when disposing; choose one or more.",
        "hint.subdits.text": "Required when disposing; unit ids, separated by commas.",
        "field.instruction": "Instruction",
        "hint.instruction": "Required when disposing.",
        "field.notes": "Notes",
        "hint.letter:signature.notes": "Required when returning to the Subdit.",
        "field.draft_upload_id": "Upload number of the draft answer",
        "hint.draft_upload_id": "Upload the draft in the staff console, then paste its upload number here.",
        "field.summary": "Summary of the answer",
        "field.signed_upload_id": "Upload number of the signed letter",
        "field.fax_number": "Fax number",
        "hint.fax_number": "Required when sent by fax.",
        "field.sent_at": "Time sent",
        "hint.sent_at": "Required when sent by fax; local time.",
        "field.courier": "Courier",
        "hint.courier": "Required when sent by courier.",
        "field.tracking_number": "Tracking number",
        "hint.tracking_number": "Required when sent by courier.",
        "field.reason": "Reason",
        "hint.reason": "Required when rejecting or declining.",
        "field.session_id": "Chosen session id",
        "hint.session_id": "Or leave empty and fill in the start date, place and capacity of a new session.",
        "field.start_date": "Start date of a new session",
        "field.place": "Place or online link",
        "field.capacity": "Capacity",
        "field.fee": "Fee (IDR)",
        "instruction.tindak_lanjuti": "Follow up",
        "instruction.siapkan_jawaban": "Prepare an answer",
        "instruction.untuk_diketahui": "For information",
        "instruction.koordinasikan": "Coordinate",
        "purpose.sk_letter": "Assignment letter / SK",
        "purpose.company_letter": "Company letter",
        "purpose.training_letter": "Training request letter",
        "purpose.payment_proof": "Proof of payment",
        "purpose.letter_scan": "Letter scan",
        "purpose.draft_answer": "Draft answer",
        "purpose.signed_letter": "Signed letter",
        "purpose.attachment": "Attachment",
    },
}

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

_INPUT_KINDS = {
    "start_date": "date",
    "sent_at": "datetime-local",
    "capacity": "number",
    "fee": "number",
    "fax_number": "tel",
}
_TEXTAREAS = frozenset({"notes", "summary", "reason"})
_MINIMUM = {"capacity": "1", "fee": "0"}


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


def lang_of(value: str | None) -> str:
    return value if value in LANGUAGES else "id"


def text(lang: str, key: str, **values: Any) -> str:
    """A text of the catalogue (Indonesian when English lacks it, the key when both do)."""
    found = TEXTS[lang_of(lang)].get(key)
    if found is None:
        found = TEXTS["id"].get(key, key)
    return found.format(**values) if values else found


def _known(lang: str, key: str, fallback: str) -> str:
    found = text(lang, key)
    return fallback if found == key else found


def step_title(step: Step, lang: str) -> str:
    return _known(lang, f"step.{step.name}", step.title)


def decision_label(choice: str, lang: str) -> str:
    return _known(lang, f"decision.{choice}", choice)


def _when(moment: str, tz: str, lang: str) -> str:
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


def _console_link(facts: Facts, lang: str) -> str:
    if not facts.console_url:
        return ""
    return f'<p><a href="{escape(facts.console_url)}">{escape(text(lang, "console"))}</a></p>'


def _contact(facts: Facts, lang: str) -> str:
    if not facts.contact:
        return ""
    address = escape(facts.contact)
    link = f'<a href="mailto:{address}">{address}</a>'
    return f"<p>{text(lang, 'contact', address=link)}</p>"


def _summary(step: Step, task: Mapping[str, Any], facts: Facts, lang: str, *, now: datetime | None) -> str:
    rows = [(text(lang, "number"), facts.number or str(task.get("number", "")))]
    subject = str(task.get("subject") or facts.subject or "-")
    rows.append((text(lang, "subject"), subject))
    if facts.requester:
        rows.append((text(lang, "requester"), facts.requester))
    if task.get("due_at"):
        rows.append((text(lang, "due"), _when(str(task["due_at"]), task.get("tz", "Asia/Jakarta"), lang)))
    listed = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in rows)
    explain = _known(lang, f"explain.{step.name}", "")
    body = (f'<p class="lead">{escape(explain)}</p>' if explain else "") + f"<dl>{listed}</dl>"
    if now is not None and task.get("due_at") and now > clock.parse_iso(str(task["due_at"])):
        body += f'<p class="box">{escape(text(lang, "due.passed"))}</p>'
    return body


def _documents(facts: Facts, lang: str) -> str:
    heading = f'<h2 id="documents">{escape(text(lang, "documents"))}</h2>'
    if not facts.documents:
        return heading + f'<p class="hint">{escape(text(lang, "documents.none"))}</p>'
    items = "".join(
        f'<li><a href="{escape(url)}" rel="noopener noreferrer">{escape(name)}</a>'
        f"{' (' + escape(_known(lang, f'purpose.{purpose}', purpose)) + ')' if purpose else ''}</li>"
        for name, purpose, url in facts.documents
    )
    return (
        heading
        + f'<ul class="docs" aria-labelledby="documents">{items}</ul>'
        + f'<p class="hint">{escape(text(lang, "documents.note"))}</p>'
    )


def _choices(schema: Mapping[str, Any], name: str) -> list[str]:
    """The allowed values of a field (an enum, possibly behind ``anyOf`` with null)."""
    prop = schema["properties"].get(name) or {}
    for option in [prop, *prop.get("anyOf", [])]:
        if option.get("enum"):
            return [str(v) for v in option["enum"]]
        if "const" in option:
            return [str(option["const"])]
    return []


def _selected(values: Mapping[str, Any], name: str) -> list[str]:
    value = values.get(name)
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [part.strip() for part in str(value).split(",") if part.strip()]


def _select(
    name: str, aria: str, empty: str, options: Sequence[tuple[str, str]], values: Mapping[str, Any]
) -> str:
    """A select of (value, label) options after an empty first choice, the sent value selected."""
    current = str(values.get(name) or "")
    listed = "".join(
        f'<option value="{escape(value)}"{" selected" if value == current else ""}>{escape(label)}</option>'
        for value, label in options
    )
    return (
        f'<select id="{name}" name="{name}"{aria}><option value="">{escape(empty)}</option>{listed}</select>'
    )


def _field(
    step: Step,
    schema: Mapping[str, Any],
    name: str,
    values: Mapping[str, Any],
    errors: Mapping[str, str],
    facts: Facts,
    lang: str,
) -> str:
    label = escape(_known(lang, f"field.{name}", name))
    required = name in (schema.get("required") or [])
    hint_key = "hint.subdits.text" if name == "subdits" and not facts.units else f"hint.{name}"
    hint = _known(lang, f"hint.{step.name}.{name}", "") or _known(lang, hint_key, "")
    if not required and not hint:
        label += f" ({escape(text(lang, 'optional'))})"
    problem = errors.get(name, "")
    described = " ".join(
        part for part, present in ((f"{name}-hint", hint), (f"{name}-error", problem)) if present
    )
    aria = (f' aria-describedby="{described}"' if described else "") + (
        ' aria-invalid="true"' if problem else ""
    )
    hint_html = f'<span class="hint" id="{name}-hint">{escape(hint)}</span>' if hint else ""
    error_html = f'<span class="error-text" id="{name}-error">{escape(problem)}</span>' if problem else ""

    if name == "subdits" and facts.units:
        chosen = set(_selected(values, name))
        boxes = "".join(
            f'<label class="choice"><input type="checkbox" name="subdits" value="{escape(unit)}"'
            f"{' id=subdits' if i == 0 else ''}"
            f"{' checked' if unit in chosen else ''}{aria}><span>{escape(unit_name or unit)}</span></label>"
            for i, (unit, unit_name) in enumerate(facts.units)
        )
        return f"<fieldset><legend>{label}</legend>{hint_html}{boxes}{error_html}</fieldset>"
    options = _choices(schema, name)
    if name == "session_id" and facts.sessions:
        control = _select(name, aria, text(lang, "session.new"), facts.sessions, values)
    elif options:
        named = [(option, _known(lang, f"{name}.{option}", option)) for option in options]
        control = _select(name, aria, text(lang, "choose"), named, values)
    elif name in _TEXTAREAS:
        value = escape(str(values.get(name, "") or ""))
        control = f'<textarea id="{name}" name="{name}" rows="4"{aria}>{value}</textarea>'
    else:
        value = escape(
            ", ".join(_selected(values, name)) if name == "subdits" else str(values.get(name) or "")
        )
        kind = _INPUT_KINDS.get(name, "text")
        extra = f' min="{_MINIMUM[name]}" inputmode="numeric"' if name in _MINIMUM else ""
        if required:
            extra += " required"
        control = f'<input type="{kind}" id="{name}" name="{name}" value="{value}"{extra}{aria}>'
    return f'<div class="field"><label for="{name}">{label}</label>{hint_html}{control}{error_html}</div>'


def decision_form(
    step: Step,
    task: Mapping[str, Any],
    hidden: Mapping[str, str],
    *,
    errors: Mapping[str, str],
    values: Mapping[str, Any],
    facts: Facts,
    lang: str = "id",
    now: datetime | None = None,
) -> str:
    schema = step.model.model_json_schema()
    choices = _choices(schema, "decision")
    chosen = str(values.get("decision") or "")
    problems = ""
    if errors:
        listed = "".join(
            f'<li><a href="#{escape(k)}">{escape(_known(lang, f"field.{k}", k))}</a>: {escape(v)}</li>'
            for k, v in errors.items()
        )
        said = escape(text(lang, "errors"))
        problems = f'<div class="box error" role="alert"><p>{said}</p><ul>{listed}</ul></div>'
    decision_problem = errors.get("decision", "")
    chosen = chosen or (choices[0] if len(choices) == 1 else "")  # the only choice is chosen already
    radios = "".join(
        f'<label class="choice"><input type="radio" name="decision" value="{escape(c)}"'
        f"{' id=decision-choice' if i == 0 else ''}"
        f"{' checked' if chosen == c else ''}{' required' if i == 0 else ''}"
        f"{' aria-describedby=decision-error aria-invalid=true' if decision_problem else ''}>"
        f"<span>{escape(decision_label(c, lang))}</span></label>"
        for i, c in enumerate(choices)
    )
    if decision_problem:
        radios += f'<span class="error-text" id="decision-error">{escape(decision_problem)}</span>'
    uploads = [name for name in schema["properties"] if name.endswith("_upload_id")]
    console = (
        f'<p class="box">{escape(text(lang, "upload.console"))}</p>{_console_link(facts, lang)}'
        if uploads and facts.console_url
        else ""
    )
    fields = "".join(
        _field(step, schema, name, values, errors, facts, lang)
        for name in schema["properties"]
        if name != "decision"
    )
    hidden_inputs = "".join(
        f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in hidden.items()
    )
    form = (
        f'<form method="post">{hidden_inputs}'
        f'<fieldset id="decision"><legend>{escape(text(lang, "decision"))}</legend>{radios}</fieldset>'
        f'{fields}<button type="submit">{escape(text(lang, "submit"))}</button>'
        f'<p class="hint">{escape(text(lang, "submit.note"))}</p></form>'
    )
    body = problems + _summary(step, task, facts, lang, now=now) + _documents(facts, lang) + console + form
    return page(step_title(step, lang), body, lang=lang)


def sign_in_first(step: Step, task: Mapping[str, Any], facts: Facts, *, lang: str = "id") -> str:
    return page(
        step_title(step, lang),
        _summary(step, task, facts, lang, now=None)
        + f'<p class="box">{escape(text(lang, "sign_in.text"))}</p>'
        + _console_link(facts, lang)
        + _documents(facts, lang),
        lang=lang,
    )


def recorded(step: Step, result: Mapping[str, Any], facts: Facts, *, lang: str = "id") -> str:
    said = text(lang, "recorded.text", decision=decision_label(str(result["decision"]), lang))
    if result.get("late"):
        said += " " + text(lang, "recorded.late")
    return page(
        text(lang, "recorded.title"),
        f'<p class="lead">{escape(step_title(step, lang))} · {escape(facts.number)}</p>'
        f'<p class="box ok" role="status">{escape(said)}</p>'
        f"<p>{escape(text(lang, 'recorded.next'))}</p>",
        lang=lang,
    )


def problem(status: int, fields: Mapping[str, str], facts: Facts, *, lang: str = "id", tz: str = "") -> str:
    """The page of a link that cannot be used (403, 404, 409, 410), each with a short next step."""
    kind = str(status) if status in (403, 404, 409, 410) else "other"
    title = text(lang, f"error.{kind}.title")
    if kind == "409":
        said = text(
            lang,
            "error.409.text",
            who=fields.get("decided_by") or "-",
            when=_when(fields.get("decided_at", ""), tz or "Asia/Jakarta", lang),
        )
        if fields.get("decision"):
            said += " " + text(lang, "error.409.decision", decision=decision_label(fields["decision"], lang))
    else:
        said = _known(lang, f"error.{kind}.text", fields.get("message", ""))
    lead = f'<p class="lead">{escape(facts.number)}</p>' if facts.number else ""
    body = (
        lead
        + f'<p class="box error">{escape(said)}</p>'
        + f"<p>{escape(text(lang, f'error.{kind}.next'))}</p>"
        + (_contact(facts, lang) if kind in ("409", "410") else "")
        + _console_link(facts, lang)
    )
    return page(title, body, lang=lang)
