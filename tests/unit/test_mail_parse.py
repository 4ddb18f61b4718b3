"""desk.mail.parse, quotes and htmltext: unit cases and properties (hypothesis)."""

from __future__ import annotations

import base64
import dataclasses
import signal
import struct
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk.mail import body as body_module
from desk.mail.automated import classify
from desk.mail.decoding import Problems, decode_bytes, decode_words
from desk.mail.htmltext import html_to_text
from desk.mail.parse import Attachment, ParsedMessage, extract_ticket_tags, parse_message
from desk.mail.quotes import strip_quoted
from desk.mail.tnef import MAX_TNEF_OBJECTS

pytestmark = pytest.mark.unit

CORPUS = Path(__file__).resolve().parents[1] / "data" / "mail"
CORPUS_RAW = [p.read_bytes() for p in sorted(CORPUS.glob("*.eml"))]


def msg(headers: str, body: str | bytes = "", *, sep: bytes = b"\n") -> bytes:
    head = headers.strip("\n").replace("\n", sep.decode()).encode("utf-8")
    data = body.encode("utf-8") if isinstance(body, str) else body
    return head + sep + sep + data


# --------------------------------------------------------------------------------------------------
# Ticket tags


@pytest.mark.parametrize(
    ("subject", "tags"),
    [
        ("[EP-2025-000123] Tidak bisa login", ("EP-2025-000123",)),
        ("Re: Re: FW: masalah [EP-2025-000123]", ("EP-2025-000123",)),
        ("[ep-2025-000123] huruf kecil", ("EP-2025-000123",)),
        (
            "[EP-2025-000123] dan [EP-2024-999999] dan lagi [EP-2025-000123]",
            ("EP-2025-000123", "EP-2024-999999"),
        ),
        ("EP-2025-000123 tanpa kurung", ()),
        ("[EP-25-000123] tahun dua digit", ()),
        ("[EP-2025-12345] lima digit", ()),
        ("[EP-2025-1234567] tujuh digit", ("EP-2025-1234567",)),  # past 999,999 in a year
        ("[EP-2025-0123456] nol di depan", ()),
        ("[ EP-2025-000123 ] spasi", ()),
        ("[EP-2025-000123x]", ()),
        ("[EP-２０２５-000123] angka lebar", ()),
        ("", ()),
    ],
)
def test_extract_ticket_tags(subject: str, tags: tuple[str, ...]) -> None:
    assert extract_ticket_tags(subject) == tags


def test_extract_ticket_tags_ignores_non_text() -> None:
    assert extract_ticket_tags(None) == ()  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------------
# Charsets and encoded words


@pytest.mark.parametrize(
    ("data", "label", "text"),
    [
        ("café".encode(), "utf-8", "café"),
        ("café".encode(), "us-ascii", "café"),  # mislabelled UTF-8
        ("“€”".encode("cp1252"), "iso-8859-1", "“€”"),  # Latin-1 label on Windows-1252 bytes
        ("café".encode("latin-1"), "utf-8", "café"),  # UTF-8 label on Latin-1 bytes
        ("Привет".encode("koi8-r"), "koi8-r", "Привет"),
        ("中文".encode("gb18030"), "gb2312", "中文"),
        (b"plain", None, "plain"),
        (b"\x81\x8d", "windows-1252", "\x81\x8d"),  # bytes Windows-1252 leaves undefined are kept
    ],
)
def test_decode_bytes(data: bytes, label: str | None, text: str) -> None:
    assert decode_bytes(data, label) == text


def test_decode_bytes_reports_unknown_and_refused_labels() -> None:
    problems = Problems()
    assert decode_bytes("ok é".encode(), "x-unknown", problems) == "ok é"
    assert decode_bytes(b"a\\u0041", "unicode_escape", problems) == "a\\u0041"  # not interpreted
    assert decode_bytes(b"text", "base64", problems) == "text"  # a bytes codec, not a charset
    assert problems.as_tuple() == ("charset:x-unknown", "charset:unicode_escape", "charset:base64")


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("=?utf-8?q?Mohon_bantuan?=", "Mohon bantuan"),
        ("=?UTF-8?B?w6k=?= =?UTF-8?B?w6k=?=", "éé"),  # whitespace between words dropped
        ("=?utf-8?b?4oCT?=x", "–x"),
        ("a =?utf-8?q?b?= c", "a b c"),
        ("=?utf-8?b?4g==?= =?utf-8?b?gA==?= =?utf-8?b?kw==?=", "–"),  # one character split over words
        ("=?iso-8859-1?q?caf=E9?=", "café"),
        ("=?utf-8*id?q?bahasa?=", "bahasa"),  # RFC 2231 language suffix
        ("=?utf-8?b?w6k?=", "é"),  # missing padding
        ("=?utf-8?x?abc?=", "=?utf-8?x?abc?="),  # unknown encoding left as it is
        ("no words here", "no words here"),
    ],
)
def test_decode_words(raw: str, text: str) -> None:
    assert decode_words(raw) == text


# --------------------------------------------------------------------------------------------------
# Headers


def test_headers_are_normalised() -> None:
    raw = msg(
        """
From: "Santoso, Budi" <Budi.Santoso@Example.GO.ID>
To: a@x.id, "B" <B@X.ID>,
 c@x.id
Cc: undisclosed-recipients:;
Reply-To: =?utf-8?q?Tim_PBJ?= <PBJ@x.id>
Message-ID:   <ABC.123@Host>
In-Reply-To: <one@x> (Budi's message of Monday)
References: <one@x>
\t<two@x> <one@x>
Date: Mon, 6 Jan 2025 09:00:00 +0700
Subject: =?utf-8?q?Halo?=
 dunia
""",
        "isi",
    )
    p = parse_message(raw)
    assert p.from_address == "budi.santoso@example.go.id"
    assert p.from_name == "Santoso, Budi"
    assert p.to == ("a@x.id", "b@x.id", "c@x.id")
    assert p.cc == ()
    assert p.reply_to == ("pbj@x.id",)
    assert p.message_id == "ABC.123@Host"
    assert p.in_reply_to == ("one@x",)
    assert p.references == ("one@x", "two@x")
    assert p.date == datetime(2025, 1, 6, 9, 0, tzinfo=timezone(timedelta(hours=7)))
    assert p.subject == "Halo dunia"
    assert p.problems == () and p.headers_ok


def test_message_id_without_brackets_and_missing() -> None:
    assert parse_message(msg("From: a@x.id\nMessage-ID: bare@host", "x")).message_id == "bare@host"
    assert parse_message(msg("From: a@x.id", "x")).message_id is None


def test_bad_and_naive_dates() -> None:
    bad = parse_message(msg("From: a@x.id\nDate: kemarin sore", "x"))
    assert bad.date is None and "header:Date" in bad.problems and not bad.headers_ok
    naive = parse_message(msg("From: a@x.id\nDate: Mon, 6 Jan 2025 09:00:00 -0000", "x"))
    assert naive.date == datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
    huge = parse_message(msg("From: a@x.id\nDate: Mon, 6 Jan 99999999999 09:00:00 +0700", "x"))
    assert huge.date is None


@pytest.mark.parametrize(
    "header",
    ["Content-Type: text/plain; name*", 'To: "', "To: (c):", "Content-Disposition: attachment; filename*"],
)
def test_headers_that_raise_index_error_in_the_stdlib_default_policy(header: str) -> None:
    p = parse_message(msg(f"From: Tono <tono@x.id>\nSubject: s\n{header}", "isi tetap terbaca"))
    assert p.from_address == "tono@x.id"
    assert p.text == "isi tetap terbaca" or [a.content for a in p.attachments] == [b"isi tetap terbaca"]
    assert p.understood


def test_unparseable_recipient_is_reported_and_salvaged() -> None:
    p = parse_message(msg('From: a@x.id\nTo: "Budi <budi@x.id>, (', "x"))
    assert p.to == ("budi@x.id",)
    assert "header:To" in p.problems and not p.headers_ok


def test_raw_utf8_and_latin1_headers() -> None:
    utf8 = parse_message("From: Dédé <d@x.id>\nSubject: Ünïcödé – ok\n\nx".encode())
    assert (utf8.from_name, utf8.subject) == ("Dédé", "Ünïcödé – ok")
    latin = parse_message("From: Dédé <d@x.id>\nSubject: café\n\nx".encode("latin-1"))
    assert (latin.from_name, latin.subject) == ("Dédé", "café")


def test_header_flags_hold_what_classification_needs_and_are_read_only() -> None:
    p = parse_message(
        msg("From: a@x.id\nAuto-Submitted: auto-replied (vacation)\nList-Id: <l.x.id>\nX-Other: y", "x")
    )
    assert dict(p.header_flags) == {"auto-submitted": "auto-replied (vacation)", "list-id": "<l.x.id>"}
    with pytest.raises(TypeError):
        p.header_flags["precedence"] = "bulk"  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.subject = "x"  # type: ignore[misc]


# --------------------------------------------------------------------------------------------------
# Bodies and attachments


def test_alternative_falls_back_to_html_when_plain_is_empty() -> None:
    raw = msg(
        'From: a@x.id\nContent-Type: multipart/alternative; boundary="A"',
        "--A\nContent-Type: text/plain\n\n \n"
        "--A\nContent-Type: text/html\n\n<p>dari <b>HTML</b></p>\n--A--\n",
    )
    assert parse_message(raw).text == "dari HTML"


def test_related_root_is_chosen_by_start_parameter() -> None:
    raw = msg(
        'From: a@x.id\nContent-Type: multipart/related; boundary="R"; start="<root@x>"',
        "--R\nContent-Type: text/plain\nContent-ID: <other@x>\n\nbukan ini\n"
        "--R\nContent-Type: text/plain\nContent-ID: <root@x>\n\ninilah isinya\n--R--\n",
    )
    p = parse_message(raw)
    assert p.text == "inilah isinya"
    assert [(a.filename, a.inline, a.content_id) for a in p.attachments] == [
        ("attachment-1.txt", True, "other@x")
    ]


def test_mixed_body_parts_are_joined_and_attachment_names_made_unique() -> None:
    raw = msg(
        'From: a@x.id\nContent-Type: multipart/mixed; boundary="M"',
        "--M\nContent-Type: text/plain\n\nbagian satu\n"
        '--M\nContent-Type: image/png\nContent-Disposition: attachment; filename="scan.png"\n\nA\n'
        "--M\nContent-Type: text/plain\n\nbagian dua\n"
        '--M\nContent-Type: image/png\nContent-Disposition: attachment; filename="SCAN.png"\n\nB\n'
        '--M\nContent-Type: image/png\nContent-Disposition: attachment; filename="scan.png"\n\nC\n'
        "--M\nContent-Type: application/x-thing\n\nD\n--M--\n",
    )
    p = parse_message(raw)
    assert p.text == "bagian satu\n\nbagian dua"
    assert [a.filename for a in p.attachments] == [
        "scan.png",
        "SCAN (2).png",
        "scan (3).png",
        "attachment-4.bin",
    ]
    assert [a.content for a in p.attachments] == [b"A", b"B", b"C", b"D"]
    assert all(isinstance(a, Attachment) and not a.inline for a in p.attachments)


def test_text_attachment_is_not_body() -> None:
    raw = msg(
        'From: a@x.id\nContent-Type: multipart/mixed; boundary="M"',
        "--M\nContent-Type: text/plain\n\nisi\n"
        '--M\nContent-Type: text/plain\nContent-Disposition: attachment; filename="catatan.txt"\n\nlampiran\n'
        '--M\nContent-Type: text/html; name="halaman.html"\n\n<p>lampiran html</p>\n--M--\n',
    )
    p = parse_message(raw)
    assert p.text == "isi"
    assert [a.filename for a in p.attachments] == ["catatan.txt", "halaman.html"]


def test_html_charset_from_meta_tag() -> None:
    body = '<html><head><meta charset="windows-1252"></head><body>“kutip”</body></html>'.encode("cp1252")
    raw = msg("From: a@x.id\nContent-Type: text/html", body)
    assert parse_message(raw).text == "“kutip”"


def test_oversized_text_is_truncated_and_kept_whole_as_attachment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(body_module, "MAX_TEXT_CHARS", 100)
    body = "a" * 250
    p = parse_message(msg("From: a@x.id\nContent-Type: text/plain", body))
    assert p.text == "a" * 100
    assert "body:truncated" in p.problems
    assert [(a.filename, a.content) for a in p.attachments] == [("body.txt", body.encode())]


def test_nul_bytes_and_crlf_are_cleaned() -> None:
    p = parse_message(b"From: a@x.id\r\n\r\nbaris\x00 satu  \r\nbaris dua\r\n")
    assert p.text == "baris satu\nbaris dua"


def test_forwarded_message_inside_forwarded_message_is_not_listed_twice() -> None:
    inner = "From: c@x.id\nSubject: paling dalam\n\nteks C\n"
    middle = (
        'From: b@x.id\nSubject: tengah\nContent-Type: multipart/mixed; boundary="I"\n\n'
        f"--I\nContent-Type: text/plain\n\nteks B\n--I\nContent-Type: message/rfc822\n\n{inner}--I--\n"
    )
    raw = msg(
        'From: a@x.id\nContent-Type: multipart/mixed; boundary="O"',
        f"--O\nContent-Type: text/plain\n\nteks A\n--O\nContent-Type: message/rfc822\n\n{middle}--O--\n",
    )
    p = parse_message(raw)
    assert [a.filename for a in p.attachments] == ["forwarded.eml"]
    assert b"teks C" in p.attachments[0].content
    assert p.text.startswith(
        "teks A\n\n---------- Forwarded message (forwarded.eml) ----------\nFrom: b@x.id"
    )
    assert "teks B" in p.text and "teks C" in p.text


# --------------------------------------------------------------------------------------------------
# winmail.dat


def _tnef_message(payload: bytes) -> bytes:
    return msg(
        'From: a@x.id\nContent-Type: multipart/mixed; boundary="T"',
        "--T\nContent-Type: text/plain\n\nisi\n"
        '--T\nContent-Type: application/ms-tnef; name="winmail.dat"\nContent-Transfer-Encoding: base64\n\n'
        + base64.encodebytes(payload).decode()
        + "--T--\n",
    )


def test_unreadable_winmail_dat_is_kept_as_it_is() -> None:
    junk = b"\x78\x9f\x3e\x22\x01\x00" + b"\x01\xff\xff\xff\xff\xff\xff\xff\xff" * 3
    p = parse_message(_tnef_message(junk))
    assert "tnef:unreadable" in p.problems
    assert [(a.filename, a.content) for a in p.attachments] == [("winmail.dat", junk)]
    assert p.text == "isi"


def test_winmail_dat_with_too_many_objects_is_not_decoded() -> None:
    tiny = struct.pack("<BIIH", 1, 0x00069007, 1, 0) + b""  # 11-byte objects, each with 1 data byte
    data = b"\x78\x9f\x3e\x22\x01\x00" + (tiny[:9] + b"\x00" + tiny[9:]) * (MAX_TNEF_OBJECTS + 10)
    p = parse_message(_tnef_message(data))
    assert "tnef:unreadable" in p.problems
    assert p.attachments[0].content == data


def test_tnef_library_is_installed() -> None:
    # tnefparse must be in the lock: without it every winmail.dat is kept unexpanded ("tnef:unreadable").
    import tnefparse.tnef  # noqa: F401


def test_tnef_library_is_imported_only_when_a_winmail_dat_is_met() -> None:
    sys.modules.pop("tnefparse.tnef", None)
    sys.modules.pop("tnefparse", None)
    parse_message(msg("From: a@x.id", "biasa"))
    assert "tnefparse" not in sys.modules
    parse_message((CORPUS / "12-winmail-dat.eml").read_bytes())
    assert "tnefparse.tnef" in sys.modules


# --------------------------------------------------------------------------------------------------
# Messages that cannot be read


def test_empty_input() -> None:
    p = parse_message(b"")
    assert (p.understood, p.size, p.from_address, p.text) == (False, 0, None, "")
    assert "message:empty" in p.problems and not p.headers_ok


def test_non_bytes_input_does_not_raise() -> None:
    assert parse_message("From: a@x.id\n\nhalo").text == "halo"  # type: ignore[arg-type]
    assert parse_message(bytearray(b"From: a@x.id\n\nhalo")).from_address == "a@x.id"  # type: ignore[arg-type]
    p = parse_message(None)  # type: ignore[arg-type]
    assert not p.understood and "input:type" in p.problems


def test_nesting_beyond_recursion_keeps_headers_and_is_not_understood() -> None:
    depth = 3000
    parts = ["From: Dalam <dalam@x.id>\nSubject: terlalu dalam\n"]
    parts += [f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n' for i in range(depth)]
    parts.append("Content-Type: text/plain\n\ndasar\n")
    parts += [f"--b{i}--\n" for i in reversed(range(depth))]
    p = parse_message("".join(parts).encode())
    assert p.from_address == "dalam@x.id" and p.subject == "terlalu dalam"
    assert not p.understood
    assert any(x.startswith(("parse:", "structure:")) for x in p.problems)


def test_many_parts_are_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(body_module, "MAX_PARTS", 10)
    body = "".join(f"--Z\nContent-Type: text/plain\n\nbagian {i}\n" for i in range(50)) + "--Z--\n"
    p = parse_message(msg('From: a@x.id\nContent-Type: multipart/mixed; boundary="Z"', body))
    assert "structure:parts" in p.problems
    assert "bagian 8" in p.text and "bagian 9" not in p.text


def test_binary_body_is_not_taken_for_text() -> None:
    garbage = bytes(range(256)) * 8
    p = parse_message(msg("From: a@x.id\nContent-Type: text/plain", garbage))
    assert p.text == "" and "body:binary" in p.problems
    assert p.understood  # the sender can still be read


# --------------------------------------------------------------------------------------------------
# Quote stripping

FORWARD = (
    "Lihat di bawah\n\n---------- Forwarded message ---------\n"
    "From: A\nDate: x\nSubject: y\nTo: z\n\nisi\n> kutip"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Baik.\n\nOn Mon, 6 Jan 2025 at 10:00, A <a@x.id> wrote:\n> lama\n> lama", "Baik."),
        ("Baik.\n\nOn Mon, 6 Jan 2025 at 10:00 A <\na@x.id> wrote:\n\n> lama", "Baik."),
        ("Siap.\n\nPada tanggal Sen, 6 Jan 2025 pukul 10.00 A <a@x.id> menulis:\n> lama", "Siap."),
        ("Siap.\n\nPada Sen, 6 Jan 2025 10.00, A\n<a@x.id> menulis:\n\n> lama", "Siap."),
        ("Oke\n-----Original Message-----\nFrom: A\nSent: x\nlama", "Oke"),
        ("Oke\n\n----- Pesan Asli -----\nDari: A\nlama", "Oke"),
        ("Oke\n\n-------- Original message --------\nlama", "Oke"),
        ("Oke\n\n" + "_" * 32 + "\nFrom: A <a@x.id>\nSent: Monday\nTo: B\nSubject: RE: x\n\nlama", "Oke"),
        ("Oke\n\nFrom: A <a@x.id>\nSent: Monday\nTo: B\nSubject: x\nlama", "Oke"),
        ("Oke\n\nDari: A <a@x.id>\nDikirim: Senin\nKepada: B\nPerihal: x\nlama", "Oke"),
        ("Oke\n\n*From:* A <a@x.id>\n*Sent:* Monday\n*To:* B\nlama", "Oke"),
        # bottom posting: the quote comes first, the new text after it
        ("On Mon, 6 Jan 2025 at 10:00, A <a@x.id> wrote:\n> pertanyaan?\n\njawaban saya", "jawaban saya"),
        # answers between quoted lines
        ("On 6 Jan 2025 A wrote:\n> satu?\nya\n> dua?\ntidak", "ya\ntidak"),
        # a From: line alone is not history
        (
            "From: kantor kami di Jakarta\nkami mohon bantuan",
            "From: kantor kami di Jakarta\nkami mohon bantuan",
        ),
        # "On ... wrote:" without any date or number is a sentence, not an attribution
        ("On reflection I wrote:\nini teks baru", "On reflection I wrote:\nini teks baru"),
        # forwarded content is kept, quotes inside it too
        (FORWARD, FORWARD),
        (
            "FYI\n\n________________________________\nFrom: A\nSent: x\nTo: y\nSubject: FW: z\n\nisi",
            "FYI\n\n________________________________\nFrom: A\nSent: x\nTo: y\nSubject: FW: z\n\nisi",
        ),
        ("Begin forwarded message:\n\n> From: A\n> isi", "Begin forwarded message:\n\n> From: A\n> isi"),
        ("> hanya kutipan", ""),
        ("a\r\n\r\n\r\n\r\nb  \r\n", "a\n\nb"),
        ("", ""),
    ],
)
def test_strip_quoted(text: str, expected: str) -> None:
    assert strip_quoted(text) == expected


# --------------------------------------------------------------------------------------------------
# HTML to text


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<p>Satu</p><p>Dua &amp; tiga&nbsp;empat</p>", "Satu\n\nDua & tiga empat"),
        ("<div>baris1</div><div><br></div><div>baris2</div>", "baris1\n\nbaris2"),
        ("a<br>b<br><br>c", "a\nb\n\nc"),
        (
            '<p class="MsoNormal">Halo,</p><p class="MsoNormal">&nbsp;</p><p class="MsoNormal">Salam</p>',
            "Halo,\n\nSalam",
        ),
        ('<a href="https://lkpp.go.id/x">situs</a>', "situs (https://lkpp.go.id/x)"),
        ('<a href="https://lkpp.go.id">https://lkpp.go.id</a>', "https://lkpp.go.id"),
        ('<a href="mailto:a@x.id">Budi</a> <a href="mailto:a@x.id">a@x.id</a>', "Budi (a@x.id) a@x.id"),
        ('<a href="javascript:alert(1)">klik</a> <a href="#top">atas</a>', "klik atas"),
        ('<a href="https://x.id/p"><img src="cid:1"></a>', "https://x.id/p"),
        ("<script>var x = '<p>no</p>';</script><style>p{}</style>ya", "ya"),
        ("<head><title>judul</title></head><body>isi</body>", "isi"),
        ("<ul><li>satu</li><li>dua</li></ul><ol><li>a</li><li>b</li></ol>", "- satu\n- dua\n1. a\n2. b"),
        (
            "<table><tr><td>Nama</td><td>NIP</td></tr><tr><td>Budi</td><td>1</td></tr></table>",
            "Nama | NIP\nBudi | 1",
        ),
        ("<pre>  kode\n    masuk</pre>", "  kode\n    masuk"),
        ("<div>baru</div><blockquote>lama<br>lagi</blockquote>", "baru\n\n> lama\n> lagi"),
        ("<b>Halo</b> <i>dunia</i>\n\n  <span>lagi</span>", "Halo dunia lagi"),
        ("&lt;tag&gt; &#233; &#x2013; &eacute;", "<tag> é – é"),
        ("<!--[if mso]>sembunyi<![endif]-->tampak", "tampak"),
        ("<p>sebelum</p><![foo[ x ]]><p>sesudah</p>", "sebelum\n\nsesudah"),  # the stdlib raises on this
        ("<p>tanpa penutup<div>blok", "tanpa penutup\nblok"),
        ("a < b dan <c tanpa penutup", "a < b dan <c tanpa penutup"),
        # a "<" inside an attribute value: the tag is shown as text rather than guessed at
        ('<a title="x<y" href="https://x.id">z</a>', '<a title="x<y" href="https://x.id">z'),
        ("<!-- tidak ditutup <p>teks", "<!-- tidak ditutup\n\nteks"),
        ("", ""),
    ],
)
def test_html_to_text(markup: str, expected: str) -> None:
    assert html_to_text(markup) == expected


@pytest.mark.parametrize(
    "markup",
    [
        "<a " * 100_000,
        '<a href="' * 33_000,
        "<!--a" * 60_000,
        "<?x" * 100_000,
        "</" * 150_000,
        "<" * 300_000,
    ],
    ids=["open-tags", "open-attributes", "open-comments", "processing", "end-tags", "lt"],
)
def test_html_constructs_left_open_do_not_make_conversion_quadratic(markup: str) -> None:
    # html.parser rescans to the end of the input for every unclosed construct: without the escaping
    # pass, the first case alone takes minutes. Twenty seconds is a generous bound for a linear pass.
    signal.signal(signal.SIGALRM, _too_slow)
    signal.setitimer(signal.ITIMER_REAL, 20)
    try:
        out = html_to_text(markup)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    assert out.replace(" ", "")[:20] == markup.replace(" ", "")[:20]


def _too_slow(signum: int, frame: object) -> None:
    raise TimeoutError("html_to_text took longer than 20 s")


# --------------------------------------------------------------------------------------------------
# Properties: the parser never raises


def _check_result(raw: bytes, p: ParsedMessage) -> None:
    assert isinstance(p, ParsedMessage)
    assert p.size == len(raw)
    assert isinstance(p.text, str) and isinstance(p.full_text, str) and isinstance(p.subject, str)
    assert all(isinstance(a.content, bytes) and a.filename for a in p.attachments)
    assert all(isinstance(x, str) for x in p.problems)
    assert p.from_address is None or "@" in p.from_address
    assert p.understood == bool(p.from_address or p.full_text.strip() or p.attachments) or any(
        x.startswith("parse:") for x in p.problems
    )
    classify(p, own_addresses=("layanan@eproc.lkpp.go.id",))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_random_bytes_never_raise(raw: bytes) -> None:
    _check_result(raw, parse_message(raw))


_LINES = st.sampled_from(
    [
        b"From: ",
        b'To: "',
        b"To: (c):",
        b"Content-Type: multipart/mixed; boundary=x",
        b"Content-Type: text/plain; name*",
        b"Content-Type: message/rfc822",
        b"Content-Type: application/ms-tnef",
        b"Content-Transfer-Encoding: base64",
        b"Content-Transfer-Encoding: quoted-printable",
        b"Content-Disposition: attachment; filename*0*=utf-8''%E2%80",
        b"Subject: =?utf-8?b?4o?= =?x?q?=ZZ?=",
        b"--x",
        b"--x--",
        b"=?utf-8?q?",
        b"\x78\x9f\x3e\x22",
        b"",
        b"\r\n",
        b">",
        b"<html><p>",
    ]
)


@st.composite
def mutated_corpus_message(draw: st.DrawFn) -> bytes:
    raw = bytearray(draw(st.sampled_from(CORPUS_RAW)))
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "duplicate", "line"]))
        pos = draw(st.integers(0, max(0, len(raw) - 1)))
        if op == "flip" and raw:
            raw[pos] = draw(st.integers(0, 255))
        elif op == "insert":
            raw[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete":
            del raw[pos : pos + draw(st.integers(1, 64))]
        elif op == "truncate":
            del raw[pos:]
        elif op == "duplicate":
            end = min(len(raw), pos + draw(st.integers(1, 256)))
            raw[pos:pos] = raw[pos:end]
        else:
            raw[pos:pos] = draw(_LINES) + b"\n"
    return bytes(raw)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_corpus_message())
def test_mutated_corpus_messages_never_raise(raw: bytes) -> None:
    _check_result(raw, parse_message(raw))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_strip_quoted_only_removes_lines(text: str) -> None:
    out = strip_quoted(text)
    source = {line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")}
    assert all(line in source for line in out.split("\n") if line)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_html_to_text_never_raises(markup: str) -> None:
    assert isinstance(html_to_text(markup), str)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.from_regex(r"[A-Za-z0-9]{1,12}", fullmatch=True), min_size=1, max_size=20))
def test_html_paragraph_of_plain_words_reads_back(words: list[str]) -> None:
    text = " ".join(words)
    assert html_to_text(f"<p>{text}</p>") == text


@pytest.mark.parametrize(
    ("subject", "kind"),
    [
        ("Saran: tambahkan menu ekspor", "suggestion"),
        ("SARAN - tampilan katalog", "suggestion"),
        ("[Masukan] halaman login", "input"),
        ("masukan: jam layanan", "input"),
        ("Re: Saran: tambahkan menu", "suggestion"),
        ("Pengaduan: akun terkunci", "complaint"),
        ("Akun terkunci", "complaint"),
        ("Sarana kantor rusak", "complaint"),  # a word that only starts like "saran"
        ("", "complaint"),
        (None, "complaint"),
    ],
)
def test_the_subjects_first_word_says_what_a_mail_is(subject: str | None, kind: str) -> None:
    from desk.mail.inbound import kind_from_subject

    assert kind_from_subject(subject) == kind
