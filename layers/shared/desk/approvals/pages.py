"""The pages behind a signed link: what is asked and a plain HTML form (no JavaScript needed)."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from desk import clock
from desk.approvals.steps import Step
from desk.dates import human_datetime

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem;line-height:1.5}"
    "fieldset{border:1px solid #888;margin:1rem 0}label{display:block;margin:.5rem 0}"
    "input[type=text],input[type=date],input[type=datetime-local],input[type=number],textarea,select{width:100%;"
    "padding:.5rem;font-size:1rem}button{font-size:1.1rem;padding:.7rem 1.5rem;margin-top:1rem}"
    ".error{color:#a00000}.box{border-left:4px solid #555;padding:.5rem 1rem;background:#f4f4f4}"
)

DECISION_LABELS = {
    "dispose": "Disposisikan ke Subdit",
    "answer_directly": "Jawab langsung",
    "for_information": "Untuk diketahui",
    "submit_draft": "Kirim draf jawaban",
    "sign": "Tanda tangani",
    "return": "Kembalikan ke Subdit",
    "fax": "Dikirim lewat faks",
    "courier": "Dikirim lewat kurir",
    "confirmed": "Penerimaan terkonfirmasi",
    "unreachable": "Tidak dapat dihubungi",
    "approve": "Setujui",
    "reject": "Tolak",
    "accept": "Terima",
    "decline": "Tolak",
}

FIELD_LABELS = {
    "subdits": "Subdit tujuan (pisahkan dengan koma)",
    "instruction": "Instruksi",
    "notes": "Catatan",
    "draft_upload_id": "Nomor unggahan draf jawaban",
    "summary": "Ringkasan jawaban",
    "signed_upload_id": "Nomor unggahan surat bertanda tangan (bila ada)",
    "fax_number": "Nomor faks",
    "sent_at": "Waktu kirim",
    "courier": "Nama kurir",
    "tracking_number": "Nomor resi",
    "reason": "Alasan",
    "session_id": "Sesi yang dipilih",
    "start_date": "Tanggal mulai sesi baru",
    "place": "Tempat atau tautan daring",
    "capacity": "Kapasitas",
    "fee": "Biaya (Rp)",
}


def page(title: str, body: str, status_note: str = "") -> str:
    return (
        f'<!doctype html><html lang="id"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(title)}</title>'
        f"<style>{_STYLE}</style></head><body><main><h1>{escape(title)}</h1>{status_note}{body}</main>"
        "</body></html>"
    )


def message(title: str, text: str) -> str:
    return page(title, f'<p class="box">{escape(text)}</p>')


def _input(name: str, values: Mapping[str, Any]) -> str:
    value = escape(str(values.get(name, "") or ""))
    label = escape(FIELD_LABELS.get(name, name))
    if name in ("notes", "summary", "reason"):
        return f'<label>{label}<textarea name="{name}" rows="4">{value}</textarea></label>'
    kind = {"start_date": "date", "sent_at": "datetime-local", "capacity": "number", "fee": "number"}.get(
        name, "text"
    )
    return f'<label>{label}<input type="{kind}" name="{name}" value="{value}"></label>'


def decision_form(
    step: Step,
    task: Mapping[str, Any],
    hidden: Mapping[str, str],
    *,
    errors: Mapping[str, str],
    values: Mapping[str, Any],
    documents: list[tuple[str, str]],
) -> str:
    schema = step.model.model_json_schema()
    choices = schema["properties"]["decision"].get("enum") or [schema["properties"]["decision"].get("const")]
    due = human_datetime(clock.parse_iso(task["due_at"]), task.get("tz", "Asia/Jakarta"))
    facts = (
        f"<p><strong>{escape(task['number'])}</strong>: {escape(task.get('subject') or '-')}</p>"
        f"<p>Batas waktu: {escape(due)}</p>"
    )
    if documents:
        facts += (
            "<ul>"
            + "".join(f'<li><a href="{escape(url)}">{escape(name)}</a></li>' for name, url in documents)
            + "</ul>"
        )
    problems = "".join(
        f'<p class="error">{escape(FIELD_LABELS.get(k, k))}: {escape(v)}</p>' for k, v in errors.items()
    )
    radios = "".join(
        f'<label><input type="radio" name="decision" value="{escape(c)}"'
        f"{' checked' if values.get('decision') == c else ''}> {escape(DECISION_LABELS.get(c, c))}</label>"
        for c in choices
    )
    fields = "".join(_input(name, values) for name in schema["properties"] if name != "decision")
    hidden_inputs = "".join(
        f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in hidden.items()
    )
    form = (
        f'<form method="post">{hidden_inputs}<fieldset><legend>Keputusan</legend>{radios}</fieldset>'
        f'{fields}<button type="submit">Catat keputusan</button></form>'
    )
    return page(step.title, facts + problems + form)


def sign_in_first(step: Step, task: Mapping[str, Any], console_url: str) -> str:
    return page(
        step.title,
        (
            f"<p><strong>{escape(task['number'])}</strong>: {escape(task.get('subject') or '-')}</p>"
            '<p class="box">Keputusan ini berbobot hukum: silakan masuk ke konsol petugas '
            "untuk memutuskannya.</p>"
            f'<p><a href="{escape(console_url)}">Buka konsol petugas</a></p>'
        ),
    )


def recorded(step: Step, result: Mapping[str, Any]) -> str:
    label = DECISION_LABELS.get(str(result["decision"]), str(result["decision"]))
    late = " (tercatat terlambat dari batas waktu)" if result.get("late") else ""
    return message(step.title, f"Keputusan Anda tercatat: {label}{late}. Terima kasih.")
