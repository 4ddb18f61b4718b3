"""The checks a file passes after upload (domain rules §6, issue 5)."""

from __future__ import annotations

import hashlib
import io
import os
import random
import subprocess
import sys
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path

import docfactory as make
import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import desk
from desk.documents import pdf_checks
from desk.documents.checks import CheckLimits, CheckResult, check_file, sniff_type
from desk.documents.purposes import (
    LABELS,
    PUBLIC_PURPOSES,
    PURPOSES,
    STAFF_PURPOSES,
    UploadSpec,
    validate_upload_request,
)
from desk.errors import InvalidInput

pytestmark = pytest.mark.unit

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
LIMIT = 10 * 1024 * 1024


def check(data: bytes, declared: str, max_size: int = LIMIT, **kwargs: object) -> CheckResult:
    return check_file(io.BytesIO(data), declared_type=declared, max_size=max_size, **kwargs)  # type: ignore[arg-type]


class OneWayStream(io.RawIOBase):
    """A stream that cannot seek, like an HTTP body, handing out small uneven reads."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        chunk = self._data.read(min(len(buffer), 777))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def assert_rejected(result: CheckResult, code: str) -> None:
    assert not result.accepted
    assert result.reason_code == code
    assert result.reason and result.reason_en  # a sentence for people, in both languages


# --- accepted files -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "declared", "pages", "dimensions"),
    [
        (make.pdf_blank, PDF, 1, None),
        (lambda: make.pdf_blank(3), PDF, 3, None),
        (make.pdf_letter, PDF, 1, None),
        (make.pdf_with_benign_actions, PDF, 2, None),
        (make.pdf_with_web_link, PDF, 1, None),
        (lambda: make.pdf_with_object_stream(None), PDF, 1, None),
        (make.jpeg, JPEG, None, (8, 8)),
        (lambda: make.jpeg(640, 480, seed=7), JPEG, None, (640, 480)),
        (make.png, PNG, None, (1, 1)),
        (lambda: make.png(300, 200), PNG, None, (300, 200)),
    ],
)
def test_valid_files_are_accepted_with_their_hash_and_size(
    build: Callable[[], bytes], declared: str, pages: int | None, dimensions: tuple[int, int] | None
) -> None:
    data = build()
    result = check(data, declared)
    assert result.accepted, result.reason_en
    assert result.reason_code is None and result.reason is None
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert result.size == len(data)
    assert result.detected_type == declared
    assert result.pages == pages
    assert (result.width, result.height) == (dimensions or (None, None))


def test_the_declared_type_is_read_without_case_or_parameters() -> None:
    assert check(make.pdf_blank(), "Application/PDF; charset=binary").accepted


def test_a_stream_that_cannot_seek_is_checked_the_same() -> None:
    for data, declared in (
        (make.pdf_letter(), PDF),
        (make.jpeg(64, 64), JPEG),
        (make.pdf_with_javascript(), PDF),
    ):
        expected = check(data, declared)
        result = check_file(OneWayStream(data), declared_type=declared, max_size=LIMIT)  # type: ignore[arg-type]
        assert result == expected


def test_a_seekable_stream_is_read_from_its_start() -> None:
    data = make.png()
    stream = io.BytesIO(data)
    stream.seek(10)
    result = check_file(stream, declared_type=PNG, max_size=LIMIT)
    assert result.accepted and result.sha256 == hashlib.sha256(data).hexdigest()


# --- size -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("declared", [PDF, JPEG, PNG, "application/zip"])
def test_an_empty_file_is_refused(declared: str) -> None:
    result = check(b"", declared)
    assert_rejected(result, "empty")
    assert result.size == 0
    assert result.sha256 == hashlib.sha256(b"").hexdigest()


@pytest.mark.parametrize(("build", "declared"), [(make.pdf_letter, PDF), (make.jpeg, JPEG), (make.png, PNG)])
def test_a_file_one_byte_over_the_limit_is_refused_and_one_at_the_limit_is_not(
    build: Callable[[], bytes], declared: str
) -> None:
    data = build()
    assert check(data, declared, max_size=len(data)).accepted
    result = check(data, declared, max_size=len(data) - 1)
    assert_rejected(result, "too_large")
    assert result.size == len(data)  # read up to one byte past the limit, no further
    assert result.sha256 == ""


def test_reading_stops_one_byte_past_the_limit() -> None:
    stream = io.BytesIO(b"%PDF-1.7\n" + bytes(5_000_000))
    result = check_file(stream, declared_type=PDF, max_size=1000)
    assert_rejected(result, "too_large")
    assert stream.tell() == 1001


def test_the_size_limit_is_said_in_megabytes() -> None:
    result = check(bytes(6 * 1024 * 1024), PDF, max_size=5 * 1024 * 1024)
    assert result.reason is not None and "5 MB" in result.reason


def test_a_negative_limit_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="max_size"):
        check(b"x", PDF, max_size=-1)


# --- type -----------------------------------------------------------------------------------------------


def test_a_type_we_do_not_serve_is_refused_but_hashed() -> None:
    data = make.zip_archive()
    result = check(data, "application/zip")
    assert_rejected(result, "unsupported_type")
    assert result.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    ("data", "declared", "detected"),
    [
        pytest.param(make.jpeg(), PDF, JPEG, id="jpeg-declared-as-pdf"),
        pytest.param(make.png(), JPEG, PNG, id="png-declared-as-jpeg"),
        pytest.param(make.pdf_letter(), PNG, PDF, id="pdf-declared-as-png"),
        pytest.param(make.zip_archive(), PDF, None, id="zip-declared-as-pdf"),
        pytest.param(b"<html><script>alert(1)</script></html>", PDF, None, id="html-declared-as-pdf"),
        pytest.param(b"\xff\xd8", JPEG, None, id="jpeg-too-short"),
    ],
)
def test_magic_bytes_must_match_the_declared_type(data: bytes, declared: str, detected: str | None) -> None:
    result = check(data, declared)
    assert_rejected(result, "type_mismatch")
    assert result.detected_type == detected


@pytest.mark.parametrize(
    ("build", "declared"),
    [
        (make.zip_with_pdf_header, PDF),  # a PDF header on a ZIP
        (make.pdf_with_zip_appended, PDF),  # a PDF that is also a ZIP
        (lambda: make.jpeg() + make.zip_archive(), JPEG),
        (lambda: make.png() + make.zip_archive(), PNG),
    ],
)
def test_a_zip_archive_in_disguise_is_refused(build: Callable[[], bytes], declared: str) -> None:
    result = check(build(), declared)
    assert_rejected(result, "type_mismatch")
    assert result.detected_type == "application/zip"


def test_sniffing() -> None:
    assert sniff_type(b"%PDF-1.7\n") == PDF
    assert sniff_type(b" " * 1000 + b"%PDF-1.4") == PDF  # within the first 1,024 bytes
    assert sniff_type(b" " * 1020 + b"%PDF-1.4") is None  # starts inside but runs past them
    assert sniff_type(b"\xff\xd8\xff\xe0") == JPEG
    assert sniff_type(b"\xff\xd8\xff\xe1%PDF-1.4") == JPEG  # an image with a PDF header inside stays an image
    assert sniff_type(b"\x89PNG\r\n\x1a\n") == PNG
    assert sniff_type(b"\x89PNG\r\n") is None
    assert sniff_type(b"PK\x03\x04") is None
    assert sniff_type(b"") is None


def test_a_pdf_header_after_1024_bytes_is_not_a_pdf() -> None:
    assert_rejected(check(make.raw_pdf(make.letter_objects(), prefix=b"#" * 1024), PDF), "type_mismatch")


def test_a_pdf_header_behind_anything_but_a_bom_and_white_space_is_not_a_pdf() -> None:
    """domain-rules §6: a file whose first bytes are HTML or script is not a PDF, whatever follows."""
    data = make.pdf_behind_html(header_at=60)
    assert data.index(b"%PDF-") == 60 and data.startswith(b"<html><script>")
    result = check(data, PDF)
    assert_rejected(result, "type_mismatch")
    assert result.detected_type is None
    for prefix in (b"<!-- -->", b"x", b"\x00", b"%", b"\xef\xbb\xbf<p>", b"\n\n#!/bin/sh\n"):
        assert sniff_type(prefix + b"%PDF-1.7\n") is None, prefix


@pytest.mark.parametrize(
    "prefix",
    [b"", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n", b" \t\r\n\x0c", b"\n" * 500],
    ids=["none", "bom", "bom-then-newline", "white-space", "many-newlines"],
)
def test_only_a_bom_and_white_space_may_come_before_the_pdf_header(prefix: bytes) -> None:
    result = check(make.raw_pdf(make.letter_objects(), prefix=prefix), PDF)
    assert result.accepted, result.reason_en
    assert result.detected_type == PDF


def test_a_pdf_header_a_little_way_in_is_still_a_pdf() -> None:
    result = check(make.raw_pdf(make.letter_objects(), prefix=b"\n" * 100), PDF)
    assert result.detected_type == PDF
    assert result.accepted, result.reason_en


# --- PDF ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "build",
    [
        make.pdf_with_javascript,
        make.pdf_with_escaped_javascript,
        make.pdf_with_escaped_names_tree,
        make.pdf_with_javascript_in_object_stream,
        make.pdf_with_open_action_javascript,
        make.pdf_with_page_additional_action_javascript,
        make.pdf_with_launch,
        make.pdf_with_indirect_action_name,
        make.pdf_with_embedded_file,
        make.pdf_with_remote_goto,
        make.pdf_with_javascript_uri,
        make.pdf_with_xfa,
        pytest.param(lambda: make.pdf_with_unlisted_javascript(free_entry=True), id="unlisted-free-entry"),
        pytest.param(lambda: make.pdf_with_unlisted_javascript(free_entry=False), id="unlisted-beyond-size"),
    ],
)
def test_active_content_is_refused(build: Callable[[], bytes]) -> None:
    data = build()
    result = check(data, PDF)
    assert_rejected(result, "pdf_active_content")
    assert result.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    "build",
    [
        make.pdf_with_escaped_javascript,
        make.pdf_with_escaped_names_tree,
        make.pdf_with_javascript_in_object_stream,
    ],
)
def test_hidden_javascript_is_not_in_the_bytes_so_only_parsing_finds_it(build: Callable[[], bytes]) -> None:
    data = build()
    assert b"JavaScript" not in data and b"/JS" not in data
    assert_rejected(check(data, PDF), "pdf_active_content")


def test_javascript_in_an_object_stream_is_found_by_reading_the_stream() -> None:
    with_action = make.pdf_with_object_stream(b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>")
    without = make.pdf_with_object_stream(None)
    assert b"/ObjStm" in with_action and b"/XRef" in with_action
    assert_rejected(check(with_action, PDF), "pdf_active_content")
    assert check(without, PDF).accepted


# --- PDF: actions run without a click (domain rules §6) ------------------------------------------------

#: Actions a PDF may run on its own: on opening (/OpenAction), on a trigger of an /AA (a page opens, the
#: document closes, the pointer enters an annotation) and whatever those chain with /Next. Each is refused
#: unless it moves within the document; the word in the middle is what the uploader is told it does.
AUTOMATIC_ACTIONS = {
    "JavaScript": (b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>", "JavaScript"),
    "Launch": (b"<< /S /Launch /F (cmd.exe) >>", "Launch"),
    "SubmitForm": (
        b"<< /S /SubmitForm /F << /FS /URL /F (https://contoh.invalid/kirim) >> /Flags 4 >>",
        "SubmitForm",
    ),
    "ImportData": (b"<< /S /ImportData /F (data.fdf) >>", "ImportData"),
    "URI-web": (b"<< /S /URI /URI (https://contoh.invalid/lacak) >>", "URI"),
    "GoToR": (b"<< /S /GoToR /F (lain.pdf) /D [0 /Fit] >>", "GoToR"),
    "GoToE": (b"<< /S /GoToE /T << /R /C /N (lampiran) >> /D [0 /Fit] >>", "GoToE"),
    "Rendition": (b"<< /S /Rendition /OP 0 >>", "Rendition"),
    "Sound": (b"<< /S /Sound /Volume 1.0 >>", "Sound"),
    "Movie": (b"<< /S /Movie /T (klip) >>", "Movie"),
    "ResetForm": (b"<< /S /ResetForm >>", "ResetForm"),
    "Hide": (b"<< /S /Hide /T (tanda tangan) /H true >>", "Hide"),
    "Named-Print": (b"<< /S /Named /N /Print >>", "Print"),
    "Named-SaveAs": (b"<< /S /Named /N /SaveAs >>", "SaveAs"),
    "SetOCGState": (b"<< /S /SetOCGState /State [/OFF] >>", "SetOCGState"),
    "Thread": (b"<< /S /Thread /D 0 >>", "Thread"),
    "no-type": (b"<< /Type /Action /D [3 0 R /Fit] >>", "tidak dikenal"),
    "type-as-string": (b"<< /S (/GoTo) /D [3 0 R /Fit] >>", "GoTo"),  # a string, not the name /GoTo
}
NAVIGATION = {
    "GoTo": b"<< /S /GoTo /D [3 0 R /Fit] >>",
    "NextPage": b"<< /S /Named /N /NextPage >>",
    "PrevPage": b"<< /S /Named /N /PrevPage >>",
    "FirstPage": b"<< /S /Named /N /FirstPage >>",
    "LastPage": b"<< /S /Named /N /LastPage >>",
}


def assert_refused_as_automatic(result: CheckResult, shown: str) -> None:
    """Refused as active content, telling the uploader an automatic action did it, and which."""
    assert_rejected(result, "pdf_active_content")
    assert result.reason is not None and result.reason_en is not None
    assert "tindakan otomatis" in result.reason and "automatic action" in result.reason_en
    if shown == "tidak dikenal":
        assert shown in result.reason and "unknown" in result.reason_en
    else:
        assert shown in result.reason and shown in result.reason_en


@pytest.mark.parametrize(("action", "shown"), AUTOMATIC_ACTIONS.values(), ids=AUTOMATIC_ACTIONS.keys())
def test_an_open_action_other_than_navigation_is_refused(action: bytes, shown: str) -> None:
    assert_refused_as_automatic(check(make.pdf_with_action(action), PDF), shown)


@pytest.mark.parametrize(
    ("name", "on", "indirect"),
    [
        ("ImportData", "page", False),
        ("SubmitForm", "page", True),
        ("URI-web", "document", False),
        ("Launch", "document", True),
        ("Hide", "annotation", False),
        ("Named-Print", "annotation", True),
    ],
)
def test_an_additional_action_other_than_navigation_is_refused(name: str, on: str, indirect: bool) -> None:
    action, shown = AUTOMATIC_ACTIONS[name]
    result = check(make.pdf_with_additional_action(action, on=on, indirect=indirect), PDF)
    assert_refused_as_automatic(result, shown)


@pytest.mark.parametrize("name", ["URI-web", "SubmitForm", "ImportData", "Named-Print"])
def test_an_action_chained_after_navigation_is_refused(name: str) -> None:
    action, shown = AUTOMATIC_ACTIONS[name]
    assert_refused_as_automatic(check(make.pdf_with_chained_open_action(action), PDF), shown)
    # /Next may also hold an array of actions
    listed = make.pdf_with_chained_open_action(b"<< /S /GoTo /D [3 0 R /Fit] /Next [" + action + b"] >>")
    assert_refused_as_automatic(check(listed, PDF), shown)


@pytest.mark.parametrize(
    ("build", "hidden", "shown"),
    [
        (make.pdf_with_escaped_open_action, (b"OpenAction", b"SubmitForm"), "SubmitForm"),
        (make.pdf_with_escaped_additional_action, (b"/AA", b"ImportData"), "ImportData"),
    ],
)
def test_an_automatic_action_with_escaped_names_is_refused(
    build: Callable[[], bytes], hidden: tuple[bytes, ...], shown: str
) -> None:
    data = build()
    assert not any(name in data for name in hidden)  # only a parser that decodes names finds it
    assert_refused_as_automatic(check(data, PDF), shown)


@pytest.mark.parametrize("name", ["SubmitForm", "URI-web", "ImportData"])
def test_an_automatic_action_inside_a_compressed_object_stream_is_refused(name: str) -> None:
    action, shown = AUTOMATIC_ACTIONS[name]
    data = make.pdf_with_object_stream(action)
    assert shown.encode() not in data and b"/OpenAction" not in data  # compressed away
    assert_refused_as_automatic(check(data, PDF), shown)


@pytest.mark.parametrize("action", NAVIGATION.values(), ids=NAVIGATION.keys())
def test_navigation_within_the_document_runs_on_its_own(action: bytes) -> None:
    for data in (
        make.pdf_with_action(action),
        make.pdf_with_additional_action(action, on="page"),
        make.pdf_with_additional_action(action, on="annotation", indirect=True),
        make.pdf_with_chained_open_action(action),
        make.pdf_with_object_stream(action),
    ):
        result = check(data, PDF)
        assert result.accepted, result.reason_en


def test_an_open_action_that_names_a_destination_is_navigation() -> None:
    for destination in (b"[3 0 R /Fit]", b"(bab1)", b"/bab1"):
        data = make.raw_pdf(make.letter_objects(catalog_extra=b"/OpenAction " + destination))
        assert check(data, PDF).accepted


def test_a_cycle_of_navigation_actions_ends() -> None:
    assert check(make.pdf_with_looping_open_action(), PDF).accepted


def test_a_web_link_someone_clicks_is_not_an_automatic_action() -> None:
    action, _shown = AUTOMATIC_ACTIONS["URI-web"]
    assert check(make.pdf_with_action(action, where="link"), PDF).accepted
    assert_refused_as_automatic(check(make.pdf_with_action(action), PDF), "URI")


def test_the_actions_looked_up_are_limited() -> None:
    """Each chained action that is an object of its own is looked up (and may decode an object stream):
    past the limit the file is refused, so a chain of thousands costs no more than a hundred."""
    limits = CheckLimits(max_pdf_actions=10)
    assert check(make.pdf_with_open_action_chain(10), PDF, limits=limits).accepted
    assert_rejected(check(make.pdf_with_open_action_chain(11), PDF, limits=limits), "pdf_unreadable")
    assert check(make.pdf_with_open_action_chain(CheckLimits().max_pdf_actions), PDF).accepted


def test_actions_looked_up_leave_the_object_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Looking up the action of a trigger does not keep objects the search would otherwise drop."""
    readers: list[pdf_checks.PdfReader] = []
    real_find = pdf_checks._find_active_content

    def find(reader: pdf_checks.PdfReader, limits: CheckLimits) -> object:
        readers.append(reader)
        return real_find(reader, limits)

    monkeypatch.setattr(pdf_checks, "_find_active_content", find)
    assert check(make.pdf_with_open_action_chain(50), PDF).accepted
    assert len(readers[-1].resolved_objects) <= 3


@pytest.mark.parametrize(
    ("user_password", "algorithm"),
    [("rahasia", "RC4-128"), ("", "RC4-128"), ("rahasia", "AES-256")],
)
def test_an_encrypted_pdf_is_refused(user_password: str, algorithm: str) -> None:
    if algorithm.startswith("AES"):
        pytest.importorskip("cryptography")
    result = check(make.pdf_encrypted(user_password, algorithm), PDF)
    assert_rejected(result, "pdf_encrypted")


def test_an_aes_pdf_without_an_aes_provider_counts_as_encrypted(monkeypatch: pytest.MonkeyPatch) -> None:
    from pypdf.errors import DependencyError

    def no_provider(*_args: object, **_kwargs: object) -> None:
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    monkeypatch.setattr(pdf_checks, "PdfReader", no_provider)
    assert_rejected(check(make.pdf_blank(), PDF), "pdf_encrypted")


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"%PDF-1.7\n", id="header-only"),
        pytest.param(b"%PDF-1.7\n" + bytes(range(256)) * 8, id="header-then-noise"),
        pytest.param(make.pdf_letter()[:200], id="cut-short"),
        pytest.param(make.pdf_letter().replace(b"/Type /Pages", b"/Type /Nothing"), id="broken-page-tree"),
    ],
)
def test_an_unreadable_pdf_is_refused(data: bytes) -> None:
    assert_rejected(check(data, PDF), "pdf_unreadable")


def test_references_to_missing_objects_are_tolerated_up_to_a_limit() -> None:
    assert check(make.pdf_with_dangling_references(3), PDF).accepted
    assert check(make.pdf_with_dangling_references(100), PDF).accepted
    assert_rejected(check(make.pdf_with_dangling_references(101), PDF), "pdf_unreadable")


def test_misplaced_objects_are_repaired_up_to_a_limit() -> None:
    assert check(make.pdf_with_misplaced_objects(5), PDF).accepted
    assert check(make.pdf_with_misplaced_objects(100), PDF).accepted
    assert_rejected(check(make.pdf_with_misplaced_objects(101), PDF), "pdf_unreadable")
    assert_rejected(
        check(make.pdf_with_misplaced_objects(5), PDF, limits=CheckLimits(max_pdf_repairs=4)),
        "pdf_unreadable",
    )


def test_a_pdf_without_pages_is_refused() -> None:
    assert_rejected(check(make.pdf_without_pages(), PDF), "pdf_unreadable")


def test_page_count_is_recorded_and_limited() -> None:
    assert check(make.pdf_blank(500), PDF).pages == 500
    result = check(make.pdf_blank(501), PDF)
    assert_rejected(result, "pdf_too_many_pages")
    assert result.pages == 501


def test_a_pdf_with_too_many_objects_is_refused_before_it_is_searched() -> None:
    result = check(make.pdf_letter(), PDF, limits=CheckLimits(max_pdf_objects=4))
    assert_rejected(result, "pdf_too_complex")
    assert check(make.pdf_letter(), PDF, limits=CheckLimits(max_pdf_objects=5)).accepted


def test_the_object_cache_is_emptied_as_the_search_goes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Memory holds about one object at a time, not the document: pypdf's cache of resolved objects is
    emptied as each object is searched."""
    readers: list[pdf_checks.PdfReader] = []
    cached: list[int] = []
    real_find, real_search = pdf_checks._find_active_content, pdf_checks._search

    def find(reader: pdf_checks.PdfReader, limits: CheckLimits) -> str | None:
        readers.append(reader)
        return real_find(reader, limits)

    def search(root: object, *rest: object) -> object:
        cached.append(len(readers[-1].resolved_objects))
        return real_search(root, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(pdf_checks, "_find_active_content", find)
    monkeypatch.setattr(pdf_checks, "_search", search)
    assert check(make.pdf_blank(200), PDF).accepted
    assert len(cached) > 200  # every page was searched
    assert max(cached) <= 3


def test_an_object_stream_bomb_is_refused_without_decoding_it_whole() -> None:
    """100 KB that inflate to 100 MB: pypdf stops at the decoding limit instead of its 75 MB default."""
    bomb = make.pdf_with_object_stream(b"<< /S /GoTo /D [3 0 R /Fit] >>" + b" " * 100_000_000)
    assert len(bomb) < 200_000
    tracemalloc.start()
    try:
        result = check(bomb, PDF)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert_rejected(result, "pdf_unreadable")
    assert peak < 48 * 1024 * 1024
    assert pypdf.get_configuration().zlib_maximum_output_length == 75_000_000  # restored afterwards


# --- images ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "declared", "dimensions"),
    [
        (make.png_bomb_declared, PNG, (100_000, 100_000)),
        (make.png_bomb, PNG, (20_000, 20_000)),  # a complete, real decompression bomb
        (make.jpeg_bomb, JPEG, (65_000, 65_000)),
        (lambda: make.png_bomb_declared(40_000, 1), PNG, (40_000, 1)),  # few pixels, absurd side
    ],
)
def test_an_image_bomb_is_refused_from_its_header(
    build: Callable[[], bytes], declared: str, dimensions: tuple[int, int]
) -> None:
    result = check(build(), declared)
    assert_rejected(result, "image_too_large")
    assert (result.width, result.height) == dimensions


def test_the_default_pixel_limit_admits_a_50_megapixel_photo() -> None:
    # Headers only: the check never decodes pixels, so the short image data does not matter here.
    photo = check(make.png_bomb_declared(8192, 6144), PNG)
    assert photo.accepted and (photo.width, photo.height) == (8192, 6144)
    assert_rejected(check(make.png_bomb_declared(8192, 8192), PNG), "image_too_large")  # 67 MP


def test_the_pixel_limit_is_inclusive() -> None:
    limits = CheckLimits(max_image_pixels=64 * 48)
    assert check(make.png(64, 48), PNG, limits=limits).accepted
    assert_rejected(check(make.png(64, 49), PNG, limits=limits), "image_too_large")
    assert check(make.jpeg(64, 48), JPEG, limits=limits).accepted
    assert_rejected(check(make.jpeg(72, 48), JPEG, limits=limits), "image_too_large")


def test_a_jpeg_size_comes_from_its_own_frame_not_its_thumbnail() -> None:
    data = make.jpeg(64, 32, exif_thumbnail=make.jpeg(8, 8))
    result = check(data, JPEG)
    assert result.accepted and (result.width, result.height) == (64, 32)


def _png_with_bad_crc() -> bytes:
    data = bytearray(make.png())
    data[29] ^= 0xFF  # inside the IHDR CRC
    return bytes(data)


@pytest.mark.parametrize(
    ("data", "declared"),
    [
        pytest.param(_png_with_bad_crc(), PNG, id="png-header-crc"),
        pytest.param(make.png()[:-12], PNG, id="png-no-end"),
        pytest.param(make.png_header(10, 10) + make.png_chunk(b"IEND", b""), PNG, id="png-no-data"),
        pytest.param(make.png_header(10, 10, depth=3, colour=2), PNG, id="png-bad-depth"),
        pytest.param(make.PNG_SIGNATURE + make.png_chunk(b"tEXt", b"a\x00b"), PNG, id="png-header-not-first"),
        pytest.param(make.PNG_SIGNATURE, PNG, id="png-signature-only"),
        pytest.param(b"\xff\xd8\xff\xd9", JPEG, id="jpeg-start-then-end"),
        pytest.param(make.jpeg().split(b"\xff\xda")[0], JPEG, id="jpeg-cut-before-scan"),
        pytest.param(make.jpeg(declared=(8, 0)), JPEG, id="jpeg-height-in-dnl"),
        pytest.param(b"\xff\xd8\xff\xe0\x00\x01", JPEG, id="jpeg-segment-length-below-2"),
        pytest.param(make.jpeg().split(b"\xff\xdb")[0] + b"\x00" * 50, JPEG, id="jpeg-garbage-after-app0"),
    ],
)
def test_a_damaged_image_is_refused(data: bytes, declared: str) -> None:
    assert_rejected(check(data, declared), "image_unreadable")


def test_a_jpeg_without_a_frame_before_its_scan_is_refused() -> None:
    data = make.jpeg().replace(make.jpeg_frame(8, 8), b"")
    assert_rejected(check(data, JPEG), "image_unreadable")


# --- nothing raises -------------------------------------------------------------------------------------

_SAMPLES = {
    PDF: [
        make.pdf_letter(),
        make.pdf_with_benign_actions(),
        make.pdf_with_javascript_in_object_stream(),
        make.pdf_encrypted(),
    ],
    JPEG: [make.jpeg(16, 16), make.jpeg(8, 8, exif_thumbnail=make.jpeg())],
    PNG: [make.png(4, 4), make.png_bomb_declared()],
}
_MAGIC = {PDF: b"%PDF-1.7\n", JPEG: b"\xff\xd8\xff", PNG: make.PNG_SIGNATURE}


@st.composite
def _mutated(draw: st.DrawFn, declared: str) -> bytes:
    data = bytearray(draw(st.sampled_from(_SAMPLES[declared])))
    rng = random.Random(draw(st.integers(0, 2**32)))
    for _ in range(draw(st.integers(1, 8))):
        action = rng.randrange(4)
        position = rng.randrange(len(data) + 1)
        if action == 0 and position < len(data):
            data[position] = rng.randrange(256)
        elif action == 1:
            del data[position : position + rng.randrange(1, 64)]
        elif action == 2:
            data[position:position] = rng.randbytes(rng.randrange(1, 16))
        else:
            del data[position:]
    return bytes(data)


def _inputs(declared: str) -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.binary(max_size=2048),
        st.binary(max_size=2048).map(lambda tail: _MAGIC[declared] + tail),
        _mutated(declared),
    )


@pytest.mark.parametrize("declared", [PDF, JPEG, PNG])
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_bytes_never_raise(declared: str, data: st.DataObject) -> None:
    payload = data.draw(_inputs(declared))
    result = check(payload, declared, max_size=4096)
    assert isinstance(result, CheckResult)
    assert result.size == len(payload) or result.reason_code == "too_large"
    assert result.accepted == (result.reason_code is None)
    if not result.accepted:
        assert result.reason and result.reason_en


# --- the upload request (POST /uploads) -----------------------------------------------------------------

MiB = 1024 * 1024


def test_the_public_and_the_staff_doors_take_their_own_purposes() -> None:
    assert PUBLIC_PURPOSES | STAFF_PURPOSES == set(PURPOSES)
    assert PUBLIC_PURPOSES & STAFF_PURPOSES == {"attachment"}
    for purpose in ("letter_scan", "draft_answer", "signed_letter"):
        with pytest.raises(InvalidInput) as refused:
            validate_upload_request(purpose, "Surat.pdf", PDF, 10, door="public")
        assert set(refused.value.fields) == {"purpose"}
        assert validate_upload_request(purpose, "Surat.pdf", PDF, 10, door="staff").purpose == purpose
    with pytest.raises(InvalidInput):
        validate_upload_request("sk_letter", "Surat.pdf", PDF, 10, door="staff")


@pytest.mark.parametrize(
    ("purpose", "limit", "types"),
    [
        ("sk_letter", 10 * MiB, {PDF, JPEG, PNG}),
        ("company_letter", 10 * MiB, {PDF, JPEG, PNG}),
        ("training_letter", 10 * MiB, {PDF, JPEG, PNG}),
        ("payment_proof", 5 * MiB, {PDF, JPEG, PNG}),
        ("letter_scan", 10 * MiB, {PDF, JPEG, PNG}),
        ("draft_answer", 10 * MiB, {PDF}),
        ("signed_letter", 10 * MiB, {PDF}),
        ("attachment", 10 * MiB, {PDF, JPEG, PNG}),
    ],
)
def test_every_purpose_of_the_contract_has_its_limit_and_types(
    purpose: str, limit: int, types: set[str]
) -> None:
    door = "public" if purpose in PUBLIC_PURPOSES else "staff"
    check = partial(validate_upload_request, door=door)
    for content_type in (PDF, JPEG, PNG):
        if content_type in types:
            spec = check(purpose, "Surat.pdf", content_type, limit)
            assert (spec.purpose, spec.max_size, spec.size) == (purpose, limit, limit)
            assert spec.content_type == content_type
        else:
            with pytest.raises(InvalidInput) as refused:
                check(purpose, "Surat.pdf", content_type, 1)
            assert set(refused.value.fields) == {"content_type"}
    with pytest.raises(InvalidInput) as refused:
        check(purpose, "Surat.pdf", PDF, limit + 1)
    assert set(refused.value.fields) == {"size"}


def test_the_purposes_are_exactly_the_contracts() -> None:
    assert set(PURPOSES) == {
        "sk_letter",
        "company_letter",
        "training_letter",
        "payment_proof",
        "letter_scan",
        "draft_answer",
        "signed_letter",
        "attachment",
    }


def test_an_accepted_request_carries_a_safe_filename_matching_its_type() -> None:
    spec = validate_upload_request("payment_proof", "C:\\foto\\bukti transfer.png", JPEG, 123_456)
    assert spec.filename == "bukti transfer.jpg"
    assert isinstance(spec, UploadSpec)


@pytest.mark.parametrize(
    ("purpose", "filename", "content_type", "size", "field"),
    [
        pytest.param("ktp", "a.pdf", PDF, 1, "purpose", id="unknown-purpose"),
        pytest.param("SK_LETTER", "a.pdf", PDF, 1, "purpose", id="purpose-case"),
        pytest.param("sk_letter", "a.zip", "application/zip", 1, "content_type", id="unknown-type"),
        pytest.param("sk_letter", "a.pdf", "APPLICATION/PDF", 1, "content_type", id="type-case"),
        pytest.param("sk_letter", "a.jpg", "image/jpg", 1, "content_type", id="type-alias"),
        pytest.param(
            "sk_letter", "a.pdf", "application/pdf; charset=x", 1, "content_type", id="type-parameter"
        ),
        pytest.param("sk_letter", "a.pdf", PDF, 0, "size", id="size-zero"),
        pytest.param("sk_letter", "a.pdf", PDF, -5, "size", id="size-negative"),
        pytest.param("sk_letter", "a.pdf", PDF, True, "size", id="size-bool"),
        pytest.param("sk_letter", "a.pdf", PDF, 1.5, "size", id="size-float"),
        pytest.param("sk_letter", "a.pdf", PDF, "100", "size", id="size-text"),
        pytest.param("payment_proof", "a.pdf", PDF, 5 * MiB + 1, "size", id="size-over-5mb"),
        pytest.param("sk_letter", "a.pdf", PDF, 10 * MiB + 1, "size", id="size-over-10mb"),
        pytest.param("sk_letter", "", PDF, 1, "filename", id="filename-empty"),
        pytest.param("sk_letter", "...", PDF, 1, "filename", id="filename-punctuation"),
        pytest.param("sk_letter", "a" * 1025, PDF, 1, "filename", id="filename-too-long"),
        pytest.param("sk_letter", None, PDF, 1, "filename", id="filename-missing"),
    ],
)
def test_a_bad_upload_request_names_the_field(
    purpose: str, filename: str, content_type: str, size: int, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        validate_upload_request(purpose, filename, content_type, size)
    assert refused.value.fields.keys() == {field}
    assert refused.value.status == 400
    assert refused.value.message == refused.value.fields[field]


def test_every_wrong_field_is_named_at_once() -> None:
    with pytest.raises(InvalidInput) as refused:
        validate_upload_request("ktp", "___", "text/html", 0)
    assert refused.value.fields.keys() == {"purpose", "filename", "content_type", "size"}


def test_the_size_message_says_the_limit_in_megabytes() -> None:
    with pytest.raises(InvalidInput) as refused:
        validate_upload_request("payment_proof", "bukti.png", PNG, 6 * MiB)
    assert "5 MB" in refused.value.fields["size"]


def test_only_the_checks_import_pypdf() -> None:
    """Functions that only validate requests or name files do not pay for importing pypdf."""
    shared = Path(desk.__file__).parent.parent
    code = (
        "import sys, desk.documents, desk.documents.purposes, desk.documents.filenames\n"
        "assert desk.documents.safe_filename('a', 'application/pdf') == 'a.pdf'\n"
        "assert 'pypdf' not in sys.modules, 'pypdf imported'\n"
        "from desk.documents import check_file\n"
        "assert 'pypdf' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, "PYTHONPATH": str(shared)})


def test_every_purpose_has_a_name_people_read_in_refusals() -> None:
    assert set(LABELS) == set(PURPOSES)
    with pytest.raises(InvalidInput) as refused:
        validate_upload_request("payment_proof", "bukti.pdf", "application/pdf", 6 * 1024 * 1024)
    assert refused.value.fields["size"] == "Ukuran berkas melebihi batas 5 MB untuk bukti pembayaran."
