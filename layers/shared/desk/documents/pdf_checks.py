"""The checks of a PDF upload, made with pypdf: encrypted, unreadable, page-less, too long or too complex
documents are refused, and so is one with active content or an action it runs without a click."""

from __future__ import annotations

import dataclasses
import itertools
import re
import struct
import zlib
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import IO, Final

import pypdf
from pypdf import PdfReader
from pypdf.errors import DependencyError, PdfReadError, PyPdfError
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
    TextStringObject,
)

from desk.documents.content_types import PDF
from desk.documents.verdicts import CheckLimits, Refusal, refuse

__all__ = ["check_pdf"]

#: Dictionary keys that mean active content wherever they appear.
_ACTIVE_KEYS: Final = frozenset(
    {
        "/JS",  # the script of a JavaScript action
        "/JavaScript",  # the document-level scripts of the /Names dictionary
        "/EmbeddedFiles",  # the embedded files of the /Names dictionary
        "/EF",  # the embedded file streams of a file specification
        "/XFA",  # an XML form, which carries its own scripts
        "/RichMediaContent",  # Flash / video content of a RichMedia annotation
        "/OnInstantiate",  # the script of a 3D artwork
    }
)
#: Name values that mean active content under a given key (an action's /S, an object's /Type...).
_ACTIVE_VALUES: Final = {
    "/S": frozenset({"/JavaScript", "/Launch", "/GoToE", "/GoToR"}),
    "/Type": frozenset({"/EmbeddedFile"}),
    "/Subtype": frozenset({"/RichMedia"}),
}
#: A link (/URI action) to one of these runs a script or reaches the reader's own disk or network.
_RISKY_URI_SCHEMES: Final = ("javascript:", "vbscript:", "data:", "file:")
#: Keys whose actions run without a click: the document's /OpenAction, and the additional actions (/AA)
#: of the document (close, save, print), a page (open, close), an annotation or a form field (the pointer
#: enters, the field gets focus...).
_TRIGGERS: Final = frozenset({"/OpenAction", "/AA"})
#: Every key whose entry may itself be active content; the entries under any other key are only searched.
_KEYS_TO_JUDGE: Final = frozenset({*_ACTIVE_KEYS, *_TRIGGERS, *_ACTIVE_VALUES, "/URI"})
#: The /Named actions that only move within the document; the others run viewer commands (print, save,
#: close, search...).
_NAVIGATION_COMMANDS: Final = frozenset({"/NextPage", "/PrevPage", "/FirstPage", "/LastPage"})

#: What pypdf (and the code it calls) raises on malformed input. pypdf documents PyPdfError, but its
#: parsers also let through the built-in errors of the operations they make on bad data (a failed int(),
#: a missing key, a short struct, a deep recursion...). MemoryError, NameError and the like still raise.
_PDF_ERRORS: Final = (
    PyPdfError,
    DependencyError,
    ValueError,  # includes UnicodeDecodeError, binascii.Error
    LookupError,  # KeyError, IndexError
    TypeError,
    AttributeError,
    AssertionError,
    ArithmeticError,  # ZeroDivisionError, OverflowError, decimal.InvalidOperation
    RuntimeError,  # includes RecursionError
    OSError,  # a seek before the start of a real file
    EOFError,
    struct.error,
    zlib.error,
)


#: pypdf limits lowered to ``max_pdf_decoded_stream`` while a file is checked.
_PYPDF_DECODE_LIMITS: Final = (
    "zlib_maximum_output_length",
    "lzw_maximum_output_length",
    "run_length_maximum_output_length",
    "brotli_maximum_output_length",
    "array_based_stream_maximum_output_length",
    "jbig2_maximum_output_length",
    "image_maximum_buffer_size",
)


def _pypdf_limits(limits: CheckLimits) -> AbstractContextManager[object]:
    """pypdf's decoding limits for this check, in this context only (pypdf keeps them in a ContextVar).

    ``apply_configuration`` comes with the Configuration of recent pypdf 6 releases; on one without it,
    pypdf's built-in limits apply.
    """
    apply = getattr(pypdf, "apply_configuration", None)
    configuration = getattr(pypdf, "Configuration", None)
    if apply is None or configuration is None:
        return nullcontext()
    known = {field.name for field in dataclasses.fields(configuration)}
    overwrites = {name: limits.max_pdf_decoded_stream for name in _PYPDF_DECODE_LIMITS if name in known}
    context: AbstractContextManager[object] = apply(**overwrites)
    return context


def check_pdf(body: IO[bytes], limits: CheckLimits) -> int | Refusal:
    """The page count of an acceptable PDF, or the refusal."""
    with _pypdf_limits(limits):
        return _check_pdf_within_limits(body, limits)


def _check_pdf_within_limits(body: IO[bytes], limits: CheckLimits) -> int | Refusal:
    try:
        body.seek(0)
        reader = PdfReader(body, strict=False)
    except DependencyError:
        # Raised while pypdf tries the empty password of an AES-encrypted file when no AES provider
        # (cryptography) is installed, as in the Lambda layer: the file is encrypted.
        return refuse("pdf_encrypted", PDF)
    except _PDF_ERRORS:
        return refuse("pdf_unreadable", PDF)
    try:
        if reader.is_encrypted:
            return refuse("pdf_encrypted", PDF)
        objects = _object_count(reader)
        if objects > limits.max_pdf_objects:
            return refuse("pdf_too_complex", PDF, objects=objects, limit=limits.max_pdf_objects)
        found = _find_active_content(reader, limits)
        if found is not None:
            return refuse(
                "pdf_active_content",
                PDF,
                name=found.name,
                automatic=found.automatic,
                command=found.command,
            )
        pages = len(reader.pages)
    except _PDF_ERRORS:
        return refuse("pdf_unreadable", PDF)
    finally:
        reader.close()
    if pages == 0:
        return refuse("pdf_unreadable", PDF, no_pages=True)
    if pages > limits.max_pdf_pages:
        return refuse("pdf_too_many_pages", PDF, pages=pages, limit=limits.max_pdf_pages)
    return pages


@dataclass(frozen=True, slots=True)
class _Finding:
    """What made a PDF active: a name, and whether an action the PDF runs on its own was refused
    (``automatic``; ``name`` is then the action's type, and ``command`` the command of a /Named)."""

    name: str
    automatic: bool = False
    command: str | None = None


def _object_count(reader: PdfReader) -> int:
    return sum(len(entries) for entries in reader.xref.values()) + len(reader.xref_objStm)


_PDF_WHITE_SPACE: Final = rb"[\x00\t\n\x0c\r ]"
_OBJECT_HEADER: Final = re.compile(rb"%s*(\d{1,10})%s+(\d{1,10})%s" % ((_PDF_WHITE_SPACE,) * 3))


class _RepairBudget:
    """Counts the objects pypdf would have to find by scanning the whole file, and stops at the limit.

    pypdf resolves a reference whose cross-reference entry is missing, or whose offset does not point at
    ``N G obj``, by searching the entire file for that header. That repair is right for one damaged
    entry and ruinous for thousands, so every resolution (pypdf's own, for a stream's /Length or an
    object stream, included) goes through :meth:`get_object`, installed on this reader only, which
    charges the budget before a repair happens.
    """

    def __init__(self, reader: PdfReader, limit: int) -> None:
        self._reader = reader
        self._resolve = reader.get_object
        self._limit = limit
        self.spent = 0

    def install(self) -> None:
        setattr(self._reader, "get_object", self.get_object)  # noqa: B010 (shadows the method on this instance)

    def get_object(self, reference: int | IndirectObject) -> PdfObject | None:
        if isinstance(reference, int):
            reference = IndirectObject(reference, 0, self._reader)
        key = (reference.generation, reference.idnum)
        if key not in self._reader.resolved_objects and self.needs_repair(*key):
            self.charge()
        return self._resolve(reference)

    def charge(self) -> None:
        self.spent += 1
        if self.spent > self._limit:
            raise PdfReadError(
                f"more than {self._limit} objects missing from or misplaced in the cross-reference"
            )

    def needs_repair(self, generation: int, number: int) -> bool:
        reader = self._reader
        if generation == 0 and number in reader.xref_objStm:
            return False  # decoded from its object stream, itself resolved through here
        offset = reader.xref.get(generation, {}).get(number)
        if offset is None:
            return True
        if reader.xref_free_entry.get(generation, {}).get(number, False):
            return False
        stream = reader.stream
        position = stream.tell()
        try:
            stream.seek(offset)
            header = _OBJECT_HEADER.match(stream.read(64))
        finally:
            stream.seek(position)
        return header is None or (int(header[1]), int(header[2])) != (number, generation)


def _find_active_content(reader: PdfReader, limits: CheckLimits) -> _Finding | None:
    """The first active content found, searching the trailer and every indirect object.

    Objects are resolved one by one from pypdf's cross-reference (which it rebuilds by scanning the file
    when the table is broken), and dropped from its cache once searched, so memory holds about one
    object (or one object stream) at a time rather than the whole document. References are not followed
    into listed objects: every listed object is searched on its own turn, which also makes cycles
    harmless. A reference to an object the table does not list is resolved afterwards, as pypdf would
    resolve it (by finding ``N G obj`` in the file), so an action cannot hide by being left out of the
    table. Such lookups, and those of misplaced entries, are limited by :class:`_RepairBudget`. The
    actions run without a click are the exception: they are looked up where they are referenced
    (:class:`_AutomaticActions`).
    """
    budget = _RepairBudget(reader, limits.max_pdf_repairs)
    budget.install()
    search = _DocumentSearch(reader, limits)
    for search_part in (
        search.trailer,
        search.listed_directly,
        search.in_object_streams,
        search.unlisted,
    ):
        found = search_part()
        if found is not None:
            return found
    return None


class _DocumentSearch:
    """The parts of one document searched in turn by :func:`_find_active_content`: the trailer, the
    objects listed in the cross-reference (directly, then by object stream), and the objects referenced
    without being listed, in the order the references were met."""

    def __init__(self, reader: PdfReader, limits: CheckLimits) -> None:
        self._reader = reader
        self._actions = _AutomaticActions(reader, limits.max_pdf_actions)
        self._cache = reader.resolved_objects
        self._listed_directly = reader.xref
        self._in_streams = reader.xref_objStm
        self._max_unlisted = limits.max_pdf_repairs
        self._unlisted: list[tuple[int, int]] = []  # in the order the references were met
        self._noted: set[tuple[int, int]] = set()

    def note(self, reference: IndirectObject) -> None:
        """Keep a reference to an object the cross-reference does not list, to search it at the end."""
        key = (reference.generation, reference.idnum)
        if (
            key in self._noted
            or (key[0] == 0 and key[1] in self._in_streams)
            or key[1] in self._listed_directly.get(key[0], ())
        ):
            return
        if len(self._unlisted) >= self._max_unlisted:  # each will need a repair: stop before the list grows
            raise PdfReadError(f"more than {self._max_unlisted} references to unlisted objects")
        self._noted.add(key)
        self._unlisted.append(key)

    def trailer(self) -> _Finding | None:
        return _search(self._reader.trailer, self.note, self._actions)

    def listed_directly(self) -> _Finding | None:
        direct = [
            (generation, number)
            for generation, entries in list(self._listed_directly.items())
            for number in list(entries)
            if not (generation == 0 and number in self._in_streams)
        ]
        for generation, number in direct:
            found = self._search_object(number, generation)
            self._cache.pop((generation, number), None)
            if found is not None:
                return found
        return None

    def in_object_streams(self) -> _Finding | None:
        by_stream: dict[int, list[int]] = {}
        for number, (stream_number, _index) in list(self._in_streams.items()):
            by_stream.setdefault(stream_number, []).append(number)
        for stream_number, numbers in by_stream.items():
            # The first object read decodes the whole object stream and caches all its objects.
            for number in numbers:
                found = self._search_object(number, 0)
                if found is not None:
                    return found
            for number in numbers:
                self._cache.pop((0, number), None)
            self._cache.pop((0, stream_number), None)
        return None

    def unlisted(self) -> _Finding | None:
        searched = 0
        while searched < len(self._unlisted):  # searching one may note more
            generation, number = self._unlisted[searched]
            searched += 1
            found = self._search_object(number, generation)
            self._cache.pop((generation, number), None)
            if found is not None:
                return found
        return None

    def _search_object(self, number: int, generation: int) -> _Finding | None:
        reader = self._reader
        return _search(
            reader.get_object(IndirectObject(number, generation, reader)), self.note, self._actions
        )


def _resolve(value: object) -> object:
    if isinstance(value, IndirectObject):
        return value.get_object()
    return value


def _risky_uri(value: object) -> bool:
    value = _resolve(value)
    if isinstance(value, ByteStringObject):
        text = bytes(value).decode("latin-1")
    elif isinstance(value, (TextStringObject, str)):
        text = str(value)
    else:
        return False
    # Readers and browsers ignore leading white space and control characters in a URL.
    text = "".join(char for char in text if char > " ").lower()
    return text.startswith(_RISKY_URI_SCHEMES)


def _search(
    root: object, note: Callable[[IndirectObject], None], actions: _AutomaticActions
) -> _Finding | None:
    """Search one object and the direct objects inside it; references are handed to ``note``, and the
    actions of triggers that need no click to ``actions``."""
    stack: list[object] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, DictionaryObject):  # stream objects too: their dictionary, not their data
            for key, value in dict.items(item):
                if key in _KEYS_TO_JUDGE:
                    found = _judge_entry(key, value, actions)
                    if found is not None:
                        return found
                stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(list.__iter__(item))
        elif isinstance(item, IndirectObject):
            note(item)
    return None


def _judge_entry(key: str, value: object, actions: _AutomaticActions) -> _Finding | None:
    """The active content one dictionary entry is, or runs without a click, if any."""
    if key in _ACTIVE_KEYS:
        return _Finding(str(key))
    if key in _TRIGGERS:
        found = actions.check(str(key), value)
        if found is not None:
            return found
    flagged = _ACTIVE_VALUES.get(key)
    if flagged is not None:
        name = _resolve(value)
        if isinstance(name, str) and name in flagged:
            return _Finding(str(name))
    elif key == "/URI" and _risky_uri(value):
        return _Finding("/URI")
    return None


class _AutomaticActions:
    """Checks the actions a PDF runs without a click: each must move within the document.

    A trigger's value is checked where the trigger is met, looking up the referenced objects (the action,
    an /AA dictionary, the actions chained with /Next), since an action object searched on its own turn
    does not show whether it runs on a click or on its own. Each object is looked up once per document
    and role (cycles end), at most ``limit`` of them, and whatever a lookup put into pypdf's cache (a
    whole object stream, when it decoded one) is dropped again, so memory still holds one object (or one
    object stream) at a time.
    """

    def __init__(self, reader: PdfReader, limit: int) -> None:
        self._cache = reader.resolved_objects
        self._limit = limit
        self._looked_up: set[tuple[int, int, str]] = set()

    def check(self, trigger: str, value: object) -> _Finding | None:
        """The first action run by ``trigger`` (/OpenAction or /AA) that is not navigation, or None."""
        # Roles: "open" is an action or a destination; "additional" a dictionary of trigger → action;
        # "action" an action, or (after /Next) an array of actions.
        pending: list[tuple[object, str]] = [(value, "open" if trigger == "/OpenAction" else "additional")]
        while pending:
            item, role = pending.pop()
            if isinstance(item, IndirectObject):
                key = (item.idnum, item.generation, role)
                if key in self._looked_up:
                    continue
                self._looked_up.add(key)
                if len(self._looked_up) > self._limit:
                    raise PdfReadError(f"more than {self._limit} automatic actions to look up")
                item = self._look_up(item)
            if isinstance(item, DictionaryObject):
                if role == "additional":
                    pending.extend((entry, "action") for entry in dict.values(item))
                    continue
                found = _not_navigation(item)
                if found is not None:
                    return found
                following = dict.get(item, "/Next")
                if following is not None:
                    pending.append((following, "action"))
            elif isinstance(item, ArrayObject) and role == "action":
                pending.extend((entry, "action") for entry in list.__iter__(item))
            # Anything else is a destination (an /OpenAction array or name), or nothing a reader runs.
        return None

    def _look_up(self, reference: IndirectObject) -> object:
        known = len(self._cache)
        try:
            return reference.get_object()
        finally:
            # A lookup only adds to the cache: what it added is at the end.
            for key in list(itertools.islice(self._cache, known, None)):
                del self._cache[key]


def _not_navigation(action: DictionaryObject) -> _Finding | None:
    """None for an action that moves within the document (/GoTo, a navigation /Named), else the finding."""
    # Names only: a string that reads "/GoTo" is no action type, and what a reader does with it is unsure.
    kind = _resolve(dict.get(action, "/S"))
    if isinstance(kind, NameObject) and kind == "/GoTo":
        return None
    if isinstance(kind, NameObject) and kind == "/Named":
        command = _resolve(dict.get(action, "/N"))
        if isinstance(command, NameObject) and command in _NAVIGATION_COMMANDS:
            return None
        return _Finding("/Named", automatic=True, command=str(command) if isinstance(command, str) else None)
    return _Finding(str(kind) if isinstance(kind, str) else "", automatic=True)
