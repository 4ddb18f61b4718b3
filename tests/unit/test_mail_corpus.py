"""The email corpus in tests/data/mail: what each message must yield.

Large messages (a 20 MB attachment, 10,000 header lines) are generated here at run time rather than
committed. ``build_tnef`` writes the TNEF (winmail.dat) files embedded in two corpus messages: TNEF is a
binary format of length-prefixed, checksummed attributes that cannot reasonably be typed by hand, so the
builder is kept here and a test checks that the committed files are exactly its output.
"""

from __future__ import annotations

import base64
import email
import struct
from email import policy
from pathlib import Path
from typing import Any

import pytest

from desk.mail.automated import classify
from desk.mail.parse import extract_ticket_tags, parse_message

pytestmark = pytest.mark.unit

CORPUS = Path(__file__).resolve().parents[1] / "data" / "mail"
OWN = ("layanan@eproc.lkpp.go.id",)

# Bytes shared by the corpus messages that carry attachments.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


# --------------------------------------------------------------------------------------------------
# TNEF builder


def _tnef_attr(level: int, attr_id: int, data: bytes) -> bytes:
    return struct.pack("<BII", level, attr_id, len(data)) + data + struct.pack("<H", sum(data) & 0xFFFF)


def _mapi_unicode(prop_id: int, text: str) -> bytes:
    raw = text.encode("utf-16-le") + b"\x00\x00"
    return struct.pack("<HHII", 0x001F, prop_id, 1, len(raw)) + raw + b"\x00" * (-len(raw) % 4)


def build_tnef(body: str | None, attachments: list[tuple[str, str, bytes]]) -> bytes:
    """A TNEF stream: version, OEM codepage 1252, message class, optional body (attBody), and for each
    attachment its rendering record, 8.3 title, data and a MAPI block with the long file name."""
    out = [struct.pack("<IH", 0x223E9F78, 0x0001)]
    out.append(_tnef_attr(1, 0x00089006, struct.pack("<I", 0x00010000)))  # attTnefVersion
    out.append(_tnef_attr(1, 0x00069007, struct.pack("<II", 1252, 0)))  # attOemCodepage
    out.append(_tnef_attr(1, 0x00078008, b"IPM.Microsoft Mail.Note\x00"))  # attMessageClass
    if body is not None:
        out.append(_tnef_attr(1, 0x0002800C, body.encode("cp1252")))  # attBody
    for short_name, long_name, content in attachments:
        out.append(
            _tnef_attr(2, 0x00069002, struct.pack("<HIHHI", 1, 0xFFFFFFFF, 0, 0, 0))
        )  # attAttachRendData
        out.append(_tnef_attr(2, 0x00018010, short_name.encode("ascii") + b"\x00"))  # attAttachTitle
        out.append(_tnef_attr(2, 0x0006800F, content))  # attAttachData
        props = struct.pack("<I", 1) + _mapi_unicode(0x3707, long_name)  # PR_ATTACH_LONG_FILENAME
        out.append(_tnef_attr(2, 0x00069005, props))  # attAttachment
    return b"".join(out)


TNEF_12 = build_tnef(
    None,
    [
        ("SURATP~1.PDF", "Surat Permohonan – Pengadaan.pdf", PDF),
        ("DAFTAR~1.CSV", "daftar harga.csv", b"kode,harga\nA1,1000\n"),
    ],
)
TNEF_13 = build_tnef(
    "Isi pesan ini hanya ada di dalam winmail.dat.\r\nMohon ditindaklanjuti.",
    [("NOTA.TXT", "nota dinas.txt", b"Nota dinas nomor 12/2025\n")],
)


# --------------------------------------------------------------------------------------------------
# Generated large messages


def message_with_attachment(size: int, seed: int = 7) -> tuple[bytes, bytes]:
    """(attachment bytes, raw message) with a base64 attachment of ``size`` bytes."""
    block = bytes((i * 131 + seed) % 256 for i in range(65536))
    content = (block * (size // len(block) + 1))[:size]
    encoded = base64.encodebytes(content).replace(b"\n", b"\r\n")
    head = (
        b"From: Penyedia Besar <dokumen@penyedia-besar.co.id>\r\n"
        b"To: layanan@eproc.lkpp.go.id\r\n"
        b"Subject: Dokumen besar\r\n"
        b"Message-ID: <big@penyedia-besar.co.id>\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="BIG"\r\n\r\n'
        b"--BIG\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nTerlampir dokumen lengkap.\r\n"
        b"--BIG\r\nContent-Type: application/zip\r\n"
        b'Content-Disposition: attachment; filename="dokumen-lengkap.zip"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n"
    )
    return content, head + encoded + b"--BIG--\r\n"


def message_with_many_headers(count: int) -> bytes:
    lines = [
        b"Received: from relay%d.example.id by mx.example.id; Mon, 6 Jan 2025 09:00:00 +0700" % i
        for i in range(count - 6)
    ]
    return b"\r\n".join(
        [
            b"From: Banyak Header <banyak@kabupaten-g.go.id>",
            *lines,
            b"To: layanan@eproc.lkpp.go.id",
            b"Subject: Sepuluh ribu baris header [EP-2025-000777]",
            b"Message-ID: <many-headers@kabupaten-g.go.id>",
            b"Date: Mon, 06 Jan 2025 09:00:00 +0700",
            b"Content-Type: text/plain; charset=utf-8",
            b"",
            b"Isi setelah sepuluh ribu baris header.",
            b"",
        ]
    )


# --------------------------------------------------------------------------------------------------
# Expectations: every corpus file must be listed here.

E = dict[str, Any]
EXPECTED: dict[str, E] = {
    "01-plain.eml": {
        "subject": "Tidak bisa login ke katalog elektronik",
        "from": "budi.santoso@pemkab-sleman.go.id",
        "from_name": "Budi Santoso",
        "text": ["akun terkunci", "PPK Dinas PU Kabupaten Sleman"],
        "message_id": "20250106091500.4411@pemkab-sleman.go.id",
    },
    "02-html-only.eml": {
        "subject": "Permohonan reset password",
        "from": "siti.rahma@kemenkeu.go.id",
        "text": [
            "Yth. Tim Layanan LKPP,\n\nMohon reset password untuk akun siti.rahma & kirim ke email ini.",
            "panduan reset (https://lkpp.go.id/panduan)",
            "- NIP: 198701012010012001",
            "Salam — Siti",
        ],
        "not_text": ["alert", "ignored title", "color: red", "<p>"],
    },
    "03-alternative.eml": {
        "from": "agus@rsud-bantul.go.id",
        "text": ["PLAIN VERSION"],
        "not_text": ["HTML VERSION"],
    },
    "04-nested-attachments.eml": {
        "subject": "Dokumen pendukung verifikasi penyedia",
        "from": "dewi.lestari@jatengprov.go.id",
        "cc": ("biro.pbj@jatengprov.go.id",),
        "text": ["Terlampir surat permohonan dan daftar produk."],
        "attachments": ["logo.png", "surat-permohonan.pdf", "daftar-produk.csv"],
        "inline": {"logo.png": "logo@jateng"},
        "content": {"surat-permohonan.pdf": PDF},
        "types": {"surat-permohonan.pdf": "application/pdf", "logo.png": "image/png"},
    },
    "05-inline-image-cid.eml": {
        "from": "rudi@dispendik.surabaya.go.id",
        "text": ["Saat checkout muncul error berikut:\nMohon dicek."],
        "attachments": ["image001.png"],
        "inline": {"image001.png": "image001.png@01DB6300.5A5B6C70"},
    },
    "06-rfc2047-utf8.eml": {
        "subject": "Pertanyaan – harga di katalog ✓ (mendesak)",
        "from": "wayan@denpasarkota.go.id",
        "from_name": "Wayan Sudarmañ",
        "text": ["kontrak – mohon penjelasan"],
    },
    "07-rfc2047-latin1.eml": {
        "subject": "Cotización para el catálogo",
        "from": "jose.munoz@example-vendor.co.id",
        "from_name": "José Muñoz",
        "text": ["Señores, adjunto la cotización."],
    },
    "08-mislabel-ascii-utf8.eml": {
        "subject": "Pembayaran — status belum berubah",
        "from": "yohanes@kupangkota.go.id",
        "text": ["“belum dibayar”", "Rp 1.500.000 – mohon dicek"],
    },
    "09-mislabel-latin1-cp1252.eml": {
        "from": "andreas@mitra-sejahtera.co.id",
        "text": ["Harga impor “€ 250” per unit – sudah termasuk"],
    },
    "10-base64-body.eml": {
        "from": "lina@bandungkab.go.id",
        "text": ["NPWP 01.234.567.8-901.000."],
    },
    "11-quoted-printable.eml": {
        "from": "hendra@kemenkes.go.id",
        "text": ["menu “Riwayat”, padahal status paket", "dibantu ya – terima kasih"],
    },
    "12-winmail-dat.eml": {
        "from": "bambang@kemendikbud.go.id",
        "text": ["Terlampir surat permohonan dan daftar harga."],
        "attachments": ["Surat Permohonan – Pengadaan.pdf", "daftar harga.csv"],
        "content": {"Surat Permohonan – Pengadaan.pdf": PDF, "daftar harga.csv": b"kode,harga\nA1,1000\n"},
        "types": {"Surat Permohonan – Pengadaan.pdf": "application/pdf"},
    },
    "13-winmail-only-body.eml": {
        "from": "eko@kemenhub.go.id",
        "text": ["Isi pesan ini hanya ada di dalam winmail.dat.\nMohon ditindaklanjuti."],
        "attachments": ["nota dinas.txt"],
        "content": {"nota dinas.txt": b"Nota dinas nomor 12/2025\n"},
    },
    "14-forwarded-rfc822.eml": {
        "from": "maria.ulfa@lampungprov.go.id",
        "text": [
            "Mohon diperiksa penawaran terlampir",
            "Forwarded message (forwarded.eml)",
            "From: Penyedia Nusantara <sales@penyedia-nusantara.co.id>",
            "Subject: Penawaran harga laptop",
            "Harga laptop tipe X adalah Rp 12.000.000 per unit",
        ],
        "attachments": ["forwarded.eml"],
        "types": {"forwarded.eml": "message/rfc822"},
    },
    "15-out-of-office.eml": {
        "from": "budi.santoso@pemkab-sleman.go.id",
        "text": ["sedang cuti"],
        "in_reply_to": ("EP-2025-000123.1.k3J9@eproc.lkpp.go.id",),
        "tags": ("EP-2025-000123",),
        "automated": "auto-submitted:auto-replied",
    },
    "16-mailing-list.eml": {
        "from": "forum-pbj@googlegroups.com",
        "text": ["perubahan Perpres"],
        "automated": "precedence:list",
        "flags": {"list-id": "<forum-pbj.googlegroups.com>"},
    },
    "17-dsn-bounce.eml": {
        "from": "mailer-daemon@mx.eproc.lkpp.go.id",
        "text": ["could not\nbe delivered"],
        "attachments": ["delivery-status.txt", "forwarded.eml"],
        "automated": "multipart/report",
        "bounce": ("EP-2025-000200.1.Zx81@eproc.lkpp.go.id", ("tidak.ada@pemkab-contoh.go.id",)),
    },
    "18-dsn-headers-only.eml": {
        "from": "postmaster@kemenag.go.id",
        "text": ["Delivery has failed"],
        "attachments": ["delivery-status.txt", "original-headers.txt"],
        "automated": "multipart/report",
        "bounce": ("EP-2025-000201.3.Qw77@eproc.lkpp.go.id", ("salah.alamat@kemenag.go.id",)),
        "tags": ("EP-2025-000201",),
    },
    "19-outlook-reply.eml": {
        "subject": "RE: [EP-2025-000123] Tidak bisa login ke katalog elektronik",
        "from": "budi.santoso@pemkab-sleman.go.id",
        "text_exact": "Sudah saya coba, sekarang bisa login. Terima kasih banyak.\n\nBudi",
        "full_text": ["Akun Anda sudah kami buka kembali"],
        "in_reply_to": ("EP-2025-000123.2.Pq55@eproc.lkpp.go.id",),
        "references": (
            "20250106091500.4411@pemkab-sleman.go.id",
            "EP-2025-000123.1.k3J9@eproc.lkpp.go.id",
            "EP-2025-000123.2.Pq55@eproc.lkpp.go.id",
        ),
        "tags": ("EP-2025-000123",),
    },
    "20-outlook-reply-no-headers.eml": {
        "from": "budi.santoso@pemkab-sleman.go.id",
        "text_exact": "Maaf, hari ini terkunci lagi. Mohon dicek ulang.",
        "full_text": ["-----Original Message-----"],
        "in_reply_to": (),
        "references": (),
        "tags": ("EP-2025-000123",),
    },
    "21-gmail-reply.eml": {
        "from": "rina.kusuma@gmail.com",
        "text_exact": "Baik, saya ikut sesi tanggal 15 Januari.",
        "full_text": ["> Silakan pilih sesi pelatihan"],
        "in_reply_to": ("EP-2025-000150.1.Mn22@eproc.lkpp.go.id",),
        "tags": ("EP-2025-000150",),
    },
    "22-gmail-reply-no-headers.eml": {
        "from": "rina.kusuma@gmail.com",
        "text_exact": "Maaf, ganti ke sesi 22 Januari saja.",
        "in_reply_to": (),
        "tags": ("EP-2025-000150",),
    },
    "23-gmail-reply-indonesian.eml": {
        "subject": "Balas: [EP-2025-000175] Permintaan user ID baru",
        "from": "joko.w@dinkes-solo.go.id",
        "text_exact": "Terlampir SK pengangkatan sebagai PP. Mohon diproses.",
        "full_text": ["menulis:"],
        "tags": ("EP-2025-000175",),
    },
    "24-edited-subject.eml": {
        "from": "budi.santoso@pemkab-sleman.go.id",
        "text": ["Masih gagal login hari ini."],
        "tags": ("EP-2025-000123", "EP-2025-000124"),
    },
    "25-indexerror-name-star.eml": {
        "from": "tono@kabupaten-x.go.id",
        "to": ("layanan@eproc.lkpp.go.id",),
        "text": ["Isi pesan tetap harus terbaca"],
        "problems": (),
    },
    "26-indexerror-to-quote.eml": {
        "from": "tini@kabupaten-y.go.id",
        "to": (),
        "text": ["Header To hanya berisi tanda kutip."],
        "problems": ("header:To",),
    },
    "27-indexerror-to-comment.eml": {
        "from": "tina@kabupaten-z.go.id",
        "to": (),
        "text": ["Header To berisi komentar"],
        "problems": ("header:To",),
    },
    "28-empty-body.eml": {
        "from": "kosong@kabupaten-a.go.id",
        "text_exact": "",
        "tags": ("EP-2025-000300",),
    },
    "29-deep-nesting.eml": {
        "from": "dalam@kabupaten-b.go.id",
        "text_exact": "Teks di tingkat terdalam.",
        "problems": (),
    },
    "30-indonesian-plain.eml": {
        "from": "nimade.ayu@baliprov.go.id",
        "text": ["perpanjangan masa berlaku produk di katalog\nelektronik", "Biro PBJ Provinsi Bali"],
        "tags": ("EP-2025-000321",),
    },
    "31-no-from.eml": {
        "from": None,
        "subject": "Tanpa pengirim",
        "text": ["tidak memiliki header From"],
        "problems": ("header:From",),
        "understood": True,
    },
    "32-headers-only.eml": {
        "from": "hanya.header@kabupaten-c.go.id",
        "subject": "Hanya header, tanpa badan",
        "text_exact": "",
    },
    "33-binary-garbage.eml": {
        "from": None,
        "subject": "",
        "text_exact": "",
        "understood": False,
        "problems": ("header:none", "header:From", "defect:MissingHeaderBodySeparator", "body:binary"),
    },
    "34-gmail-html-only-reply.eml": {
        "from": "rina.kusuma@gmail.com",
        "text_exact": "Sertifikat sudah saya terima, terima kasih.",
        "full_text": ["> Sertifikat pelatihan terlampir."],
        "in_reply_to": ("EP-2025-000150.3.Mn24@eproc.lkpp.go.id",),
        "tags": ("EP-2025-000150",),
    },
    "35-outlook-html-reply.eml": {
        "from": "slamet.riyadi@kemenpupr.go.id",
        "text_exact": "Siap, paket sudah kami gabungkan.\n\nSalam,\nSlamet",
        "full_text": ["Dikirim: Selasa, 14 Januari 2025", "Mohon paket digabungkan"],
        "references": ("EP-2025-000400.1.Hh10@eproc.lkpp.go.id",),
        "tags": ("EP-2025-000400",),
    },
    "36-read-receipt.eml": {
        "from": "budi.santoso@pemkab-sleman.go.id",
        "text": ["Your message was read"],
        "attachments": ["disposition-notification.txt"],
        "automated": "read-receipt",
        "tags": ("EP-2025-000123",),
    },
    "37-mailer-daemon-plain.eml": {
        "from": "mailer-daemon@mail.kabupaten-lama.go.id",
        "text": ["wasn't able to deliver"],
        "automated": "mailer-daemon",
        "bounce": ("EP-2025-000222.1.Lm03@eproc.lkpp.go.id", ("pensiun@kabupaten-lama.go.id",)),
    },
    "38-precedence-bulk.eml": {
        "from": "buletin@info-pengadaan.example",
        "text": ["tips menyusun HPS"],
        "automated": "precedence:bulk",
    },
    "39-x-autoreply.eml": {
        "from": "sekretariat@dinas-x.go.id",
        "text": ["sudah kami terima"],
        "automated": "x-autoreply",
        "tags": ("EP-2025-000123",),
    },
    "40-null-return-path.eml": {
        "from": "dewi.lestari@jatengprov.go.id",
        "text": ["dinas luar"],
        "automated": "null-return-path",
    },
    "41-own-address.eml": {
        "from": "layanan@eproc.lkpp.go.id",
        "text": ["Nomor permintaan Anda EP-2025-000500."],
        "automated": "own-address",
        "tags": ("EP-2025-000500",),
    },
    "42-auto-submitted-no.eml": {
        "from": "ahmad.fauzi@kotabogor.go.id",
        "text": ["Apakah HPS wajib diunggah"],
        "flags": {"auto-submitted": "no", "precedence": "normal"},
    },
    "43-rfc2231-filename.eml": {
        "from": "fitri@kemensos.go.id",
        "text": ["Dua lampiran"],
        "attachments": ["Berita Acara – Serah Terima.pdf", "Penawaran – CV Maju.pdf", "evil.exe"],
        "content": {"Berita Acara – Serah Terima.pdf": PDF, "evil.exe": b"MZ not really"},
    },
    "44-unknown-charset.eml": {
        "from": "aneh@kabupaten-d.go.id",
        "subject": "Subjek dengan charset aneh",
        "text": ["tidak dikenal: café."],
        "problems": ("charset:x-unknown",),
    },
    "45-format-flowed.eml": {
        "from": "pengguna@icloud.com",
        "text_exact": (
            "Kalimat ini panjang sekali sehingga dipecah oleh program surel menjadi beberapa baris dengan "
            "spasi di akhir baris.\n\nParagraf kedua."
        ),
    },
    "46-inline-forward.eml": {
        "from": "maria.ulfa@lampungprov.go.id",
        "text": [
            "Mohon ditindaklanjuti keluhan di bawah.",
            "---------- Forwarded message ---------",
            "From: CV Maju Jaya <cs@majujaya.co.id>",
            "PO-2025-0099 belum kami terima",
            "> baris kutipan di dalam pesan terusan tetap disimpan",
        ],
    },
    "47-bad-base64.eml": {
        "from": "rusak@kabupaten-e.go.id",
        "text_exact": "Message body with broken padding",
        "attachments": ["rusak.pdf"],
        "problems": ("defect:InvalidBase64Padding", "defect:InvalidBase64Characters"),
    },
    "48-8bit-headers-latin1.eml": {
        "subject": "Café et thé pour le bureau",
        "from": "francois@example-fr.co.id",
        "from_name": "François Dupré",
        "text": ["Commande de café"],
    },
    "49-no-boundary-multipart.eml": {
        "from": "tanpa.batas@kabupaten-f.go.id",
        "text_exact": "Isi pesan ini tetap harus terbaca walau boundary tidak ada.",
    },
    "50-crlf-outlook-8bit-name.eml": {
        "subject": "Permohonan akses – bagian 1",
        "from": "ucok.siregar@sumutprov.go.id",
        "from_name": "René “Ucok” Siregar",
        "cc": ("pbj@sumutprov.go.id",),
        "reply_to": ("pbj@sumutprov.go.id",),
        "text_exact": "Mohon akses untuk tim PBJ Sumatera Utara.",
    },
}


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.eml"))


def check(name: str, raw: bytes) -> None:
    exp = EXPECTED[name]
    parsed = parse_message(raw)
    auto = classify(parsed, own_addresses=OWN)
    assert parsed.size == len(raw)
    assert parsed.from_address == exp["from"], name
    if "subject" in exp:
        assert parsed.subject == exp["subject"], name
    if "from_name" in exp:
        assert parsed.from_name == exp["from_name"], name
    for key in ("to", "cc", "reply_to", "in_reply_to", "references"):
        if key in exp:
            assert getattr(parsed, key) == exp[key], (name, key)
    if "message_id" in exp:
        assert parsed.message_id == exp["message_id"]
    for snippet in exp.get("text", []):
        assert snippet in parsed.text, (name, snippet, parsed.text)
    for snippet in exp.get("not_text", []):
        assert snippet not in parsed.text, (name, snippet)
    if "text_exact" in exp:
        assert parsed.text == exp["text_exact"], (name, parsed.text)
    for snippet in exp.get("full_text", []):
        assert snippet in parsed.full_text, (name, snippet)
        assert snippet not in parsed.text, (name, snippet)
    assert [a.filename for a in parsed.attachments] == exp.get("attachments", []), name
    by_name = {a.filename: a for a in parsed.attachments}
    for filename, cid in exp.get("inline", {}).items():
        assert by_name[filename].inline and by_name[filename].content_id == cid, (name, filename)
    for filename, content in exp.get("content", {}).items():
        assert by_name[filename].content == content, (name, filename)
    for filename, ctype in exp.get("types", {}).items():
        assert by_name[filename].content_type == ctype, (name, filename)
    assert extract_ticket_tags(parsed.subject) == parsed.ticket_tags == exp.get("tags", ()), name
    if "problems" in exp:
        assert parsed.problems == exp["problems"], (name, parsed.problems)
    assert parsed.headers_ok == (not any(p.startswith("header:") for p in parsed.problems))
    assert parsed.understood == exp.get("understood", True), name
    for key, value in exp.get("flags", {}).items():
        assert parsed.header_flags[key] == value, (name, key)
    assert auto.automated == ("automated" in exp), (name, auto)
    assert auto.reason == exp.get("automated"), (name, auto)
    if "bounce" in exp:
        assert auto.bounce, name
        assert (auto.bounced_message_id, auto.failed_recipients) == exp["bounce"], (name, auto)
    else:
        assert not auto.bounce, name
    assert parsed.auth == {}


def test_corpus_has_at_least_forty_messages_and_each_has_expectations() -> None:
    names = [p.name for p in corpus_files()]
    assert len(names) >= 40
    assert sorted(EXPECTED) == names


def test_readme_describes_every_corpus_file() -> None:
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    for path in corpus_files():
        assert f"`{path.name}`" in readme, path.name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_message(name: str) -> None:
    check(name, (CORPUS / name).read_bytes())


# Binary garbage (33-) has no lines to convert, so it is read once only.
@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if not n.startswith("33-")))
def test_corpus_message_with_crlf_line_ends(name: str) -> None:
    raw = (CORPUS / name).read_bytes()
    crlf = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    check(name, crlf)


def _tnef_of(name: str) -> bytes:
    msg = email.message_from_bytes((CORPUS / name).read_bytes(), policy=policy.compat32)
    for part in msg.walk():
        if part.get_content_type() == "application/ms-tnef":
            data = part.get_payload(decode=True)
            assert isinstance(data, bytes)
            return data
    raise AssertionError("no winmail.dat")


def test_committed_winmail_files_are_the_builder_output() -> None:
    assert _tnef_of("12-winmail-dat.eml") == TNEF_12
    assert _tnef_of("13-winmail-only-body.eml") == TNEF_13


def test_twenty_megabyte_attachment_is_kept_whole() -> None:
    content, raw = message_with_attachment(20 * 1024 * 1024)
    parsed = parse_message(raw)
    assert parsed.understood and parsed.problems == ()
    assert parsed.text == "Terlampir dokumen lengkap."
    assert [a.filename for a in parsed.attachments] == ["dokumen-lengkap.zip"]
    assert parsed.attachments[0].content == content
    assert parsed.size == len(raw) > 20 * 1024 * 1024


def test_ten_thousand_header_lines() -> None:
    raw = message_with_many_headers(10_000)
    assert raw.count(b"\r\n", 0, raw.index(b"\r\n\r\n")) + 1 == 10_000
    parsed = parse_message(raw)
    assert parsed.from_address == "banyak@kabupaten-g.go.id"
    assert parsed.subject == "Sepuluh ribu baris header [EP-2025-000777]"
    assert parsed.ticket_tags == ("EP-2025-000777",)
    assert parsed.message_id == "many-headers@kabupaten-g.go.id"
    assert parsed.text == "Isi setelah sepuluh ribu baris header."
    assert parsed.headers_ok
