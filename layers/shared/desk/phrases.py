"""The English of the desk's own Indonesian phrases (its rules' refusals), keyed by the Indonesian text
as it is written where the rule lives. A phrase not listed here stays Indonesian on an English page."""

from __future__ import annotations

from collections.abc import Mapping

ENGLISH: Mapping[str, str] = {
    # people, contacts, numbers
    "wajib diisi": "required",
    "tidak dikenal": "not known",
    "tidak sah": "not valid",
    "bukan alamat email yang sah": "not a valid email address",
    "nomor telepon harus 8 sampai 15 angka": "a phone number has 8 to 15 digits",
    "NPWP harus 15 atau 16 angka": "an NPWP has 15 or 16 digits",
    "NPWP hanya berisi angka (tanda baca boleh)": "an NPWP has digits only (punctuation allowed)",
    "bukan jumlah yang sah (contoh: 1500000 atau 1.500.000,00)": (
        "not a valid amount (e.g. 1500000 or 1.500.000,00)"
    ),
    "bukan jumlah yang sah": "not a valid amount",
    "harus berupa angka": "must be a number",
    "harus lebih dari 0": "must be more than 0",
    "terlalu besar": "too large",
    "gunakan format YYYY-MM-DD": "use the format YYYY-MM-DD",
    "gunakan tanggal saja (YYYY-MM-DD)": "a date only (YYYY-MM-DD)",
    "tanggal tidak ada di kalender": "no such date",
    "di masa depan": "in the future",
    "sertakan offset, mis. +07:00": "include the offset, e.g. +07:00",
    "harus objek JSON": "must be a JSON object",
    "LPSE tidak dikenal": "unknown LPSE",
    "pilih LPSE dari daftar GET /lpse": "choose an LPSE from the list",
    # uploads
    "unggahan tidak dikenal": "unknown upload",
    "unggahan yang sama disebut dua kali": "the same upload is named twice",
    "unggahan ini sudah dipakai untuk permohonan lain": "this upload is already used for another request",
    "berkas belum selesai diperiksa; tunggu sebentar lalu kirim lagi": (
        "the file is still being checked; wait a moment and send again"
    ),
    "unggahan sudah kedaluwarsa; unggah ulang berkasnya": "the upload expired; upload the file again",
    "berkas kosong": "the file is empty",
    "Nama berkas wajib diisi.": "A file name is required.",
    "Nama berkas harus memuat huruf atau angka, bukan hanya tanda baca.": (
        "A file name needs letters or digits, not only punctuation."
    ),
    "Jenis berkas tidak diterima; kirim PDF, JPEG, atau PNG.": (
        "This type of file is not accepted; send PDF, JPEG or PNG."
    ),
    "Ukuran berkas harus bilangan bulat lebih dari 0 bita.": (
        "The size must be a whole number of bytes above 0."
    ),
    # decisions of the people in the loop
    "pilih minimal satu Subdit": "choose at least one Subdit",
    "pilih instruksi disposisi": "choose the disposition's instruction",
    "tulis catatan untuk Subdit": "write a note for the Subdit",
    "isi nomor faks dan waktu kirim": "give the fax number and the time it was sent",
    "isi nama kurir dan nomor resi": "give the courier and the tracking number",
    "tulis alasan penolakan": "give the reason for the refusal",
    "pilih sesi, atau isi tanggal mulai, tempat dan kapasitas sesi baru": (
        "choose a session, or give the start date, place and capacity of a new one"
    ),
    "Keputusan belum lengkap atau tidak sah.": "The decision is incomplete or not valid.",
    # staff work
    "wajib bila belum ada balasan": "required while there is no reply yet",
    "wajib bila belum dijawab": "required while not yet answered",
    "1 sampai 30": "1 to 30",
    "alasan wajib diisi": "a reason is required",
    "hari Sabtu atau Minggu tidak dapat dijadikan hari kerja": (
        "a Saturday or Sunday cannot be made a working day"
    ),
    "harus tanggal kalender (TTTT-BB-HH)": "must be a calendar date (YYYY-MM-DD)",
    # whole answers
    "Isi permintaan bukan JSON yang sah.": "The request body is not valid JSON.",
    "Jenis isi permintaan tidak diterima.": "This type of request body is not accepted.",
    "Tanggal mulai di luar kalender hari kerja.": "The start is outside the working-day calendar.",
    "Permohonan ini tidak menunggu konfirmasi.": "This request is not waiting for a confirmation.",
    "Permohonan ini sudah ditutup.": "This request has been closed.",
    "Berkas yang Anda kirim belum selesai diperiksa; coba lagi sebentar.": (
        "The files you sent are still being checked; try again in a moment."
    ),
    "Belum ada surat yang dapat dipakai.": "There is no usable letter yet.",
    "balas surel kami dengan surat (PDF) yang sudah diperbaiki": (
        "reply to our email with the corrected letter (PDF)"
    ),
    "Anda sudah memiliki permohonan user ID yang sedang diproses di LPSE ini.": (
        "You already have a user-ID request in progress at this LPSE."
    ),
    "Ada isian yang belum benar.": "Some fields are not right yet.",
    "Ada unggahan yang tidak dapat dipakai.": "An upload cannot be used.",
    "Ada unggahan yang disebut dua kali.": "An upload is named twice.",
    "Ada isian yang tidak dapat diterima.": "Some fields cannot be accepted.",
    "Masa berlaku kontrak tidak masuk akal.": "The contract's period does not make sense.",
    "Alamat ini tidak diterima sebagai nama masuk staf.": "This address is not accepted as a staff sign-in.",
    "Tanggal mulai yang diinginkan tidak dapat dipakai.": "The preferred start date cannot be used.",
    "Isi permintaan harus berupa objek JSON.": "The request body must be a JSON object.",
    "Nomor atau kode akses tidak cocok.": "The number or the access code does not match.",
    "Permintaan tidak ditemukan.": "Request not found.",
    "Permintaan ini milik unit lain.": "This request belongs to another unit.",
    "Anda tidak dapat menangani permintaan unit lain.": "You cannot work a request of another unit.",
    "Basis data sedang sibuk; coba lagi.": "The database is busy; please try again.",
    "Peran Anda tidak berwenang untuk tindakan ini.": "Your role may not do this.",
    "Tugas tidak ditemukan.": "Task not found.",
    "Waktu bayar tidak boleh di masa depan.": "The payment time cannot be in the future.",
    "bukan hari kerja; pilih hari kerja": "not a working day; choose a working day",
    "tanggal mulai harus setelah hari ini": "the start date must be after today",
    "Tidak ada jadwal kosong dalam 10 hari kerja ke depan.": "No free slot in the next 10 working days.",
    "Perpanjangan 1 sampai 30 hari kerja.": "An extension is 1 to 30 working days.",
    "Pengecualian kalender belum benar.": "The calendar exception is not right yet.",
}


def in_language(text: str, language: str) -> str:
    """``text`` in ``language``: English where this table knows it. A rule's "field: phrase" keeps its
    field name and has its phrase translated."""
    if language != "en":
        return text
    if text in ENGLISH:
        return ENGLISH[text]
    head, sep, rest = text.partition(": ")
    if sep and rest in ENGLISH:
        return f"{head}: {ENGLISH[rest]}"
    return text


def fields_in(fields: Mapping[str, str], language: str) -> dict[str, str]:
    return {name: in_language(str(problem), language) for name, problem in fields.items()}
