"""The texts of the pages behind a signed link, one table per language (Bahasa Indonesia first, then
English), and their lookups."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desk.approvals.steps import Step

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


def lang_of(value: str | None) -> str:
    return value if value in LANGUAGES else "id"


def text(lang: str, key: str, **values: Any) -> str:
    """A text of the catalogue (Indonesian when English lacks it, the key when both do)."""
    found = TEXTS[lang_of(lang)].get(key)
    if found is None:
        found = TEXTS["id"].get(key, key)
    return found.format(**values) if values else found


def known(lang: str, key: str, fallback: str) -> str:
    """A text of the catalogue, or ``fallback`` when neither language has it."""
    found = text(lang, key)
    return fallback if found == key else found


def step_title(step: Step, lang: str) -> str:
    return known(lang, f"step.{step.name}", step.title)


def decision_label(choice: str, lang: str) -> str:
    return known(lang, f"decision.{choice}", choice)
