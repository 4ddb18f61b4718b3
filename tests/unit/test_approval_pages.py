"""The pages behind a signed link, rendered without a desk: what is asked, the documents, the step's own
fields, both languages, and the pages of links that cannot be used."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest

from desk.approvals import pages
from desk.approvals.steps import STEPS

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
TASK = {
    "task_id": "A" * 22,
    "number": "EP-2026-000123",
    "subject": "Permohonan user ID buyer di LPSE Provinsi DKI Jakarta",
    "due_at": "2026-11-27T16:59:59Z",
    "tz": "Asia/Jakarta",
}
FACTS = pages.Facts(
    number="EP-2026-000123",
    requester="Rudi Hartono, Dinas Pendidikan DKI Jakarta",
    documents=(("sk rudi.pdf", "sk_letter", "https://s3.example/documents/x?X-Amz-Signature=a&b=c"),),
    units=(("subdit-sistem", "Subdit Sistem Katalog"), ("subdit-layanan", "Subdit Layanan Katalog")),
    contact="layanan@epurchasing.example.go.id",
    console_url="https://desk.example/staff/#tasks",
)
HIDDEN = {"exp": "1800000000", "kid": "k1", "sig": "s"}


class _Form(HTMLParser):
    """The controls of a page, as a browser would submit them."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str]] = []
        self.links: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag in ("input", "select", "textarea", "button"):
            self.controls.append({"tag": tag, **values})
        if tag == "a":
            self.links.append(values.get("href", ""))
        if tag == "script":
            self.scripts += 1


def _parse(html: str) -> _Form:
    parser = _Form()
    parser.feed(html)
    return parser


def _form(step: str, lang: str = "id", **kwargs: object) -> str:
    options = {"errors": {}, "values": {}, "facts": FACTS, "lang": lang, "now": NOW} | kwargs
    return pages.decision_form(STEPS[step], TASK, HIDDEN, **options)  # type: ignore[arg-type]


def test_the_verification_page_shows_what_is_asked_and_the_documents() -> None:
    html = _form("registration:verification")
    assert '<html lang="id">' in html
    assert "Verifikasi permohonan user ID" in html
    for fact in ("EP-2026-000123", "Rudi Hartono, Dinas Pendidikan DKI Jakarta", "Jumat, 27 November 2026"):
        assert fact in html
    assert "Periksa surat tugas atau SK pemohon" in html  # the one-line explanation
    parsed = _parse(html)
    assert "https://s3.example/documents/x?X-Amz-Signature=a&b=c" in parsed.links
    assert "sk rudi.pdf" in html and "Surat tugas / SK" in html
    radios = [c for c in parsed.controls if c.get("type") == "radio"]
    assert [r["value"] for r in radios] == ["approve", "reject"]
    assert all(r["name"] == "decision" for r in radios)
    hidden = {c["name"]: c["value"] for c in parsed.controls if c.get("type") == "hidden"}
    assert hidden == HIDDEN
    assert [c["tag"] for c in parsed.controls if c.get("name") == "reason"] == ["textarea"]
    assert sum(1 for c in parsed.controls if c["tag"] == "button") == 1
    assert re.search(r'<form method="post">', html) and parsed.scripts == 0


def test_the_page_in_english() -> None:
    html = _form("registration:verification", lang="en")
    assert '<html lang="en">' in html
    for text in ("User ID request verification", "Request number", "Requested by", "Approve", "Reject"):
        assert text in html
    assert "Friday, 27 November 2026 at 23:59 WIB" in html
    assert "Record the decision" in html and "Catat keputusan" not in html


def test_a_passed_deadline_is_said_before_deciding() -> None:
    late = _form("registration:verification", now=datetime(2026, 11, 28, tzinfo=UTC))
    assert "Batas waktu sudah lewat" in late
    assert "Batas waktu sudah lewat" not in _form("registration:verification")


def test_the_disposition_offers_the_subdits_and_the_instruction_presets() -> None:
    parsed = _parse(
        _form("letter:disposition", values={"subdits": "subdit-layanan", "instruction": "koordinasikan"})
    )
    boxes = [c for c in parsed.controls if c.get("name") == "subdits"]
    assert [b["type"] for b in boxes] == ["checkbox", "checkbox"]
    assert [b["value"] for b in boxes] == ["subdit-sistem", "subdit-layanan"]
    assert ["checked" in b for b in boxes] == [False, True]
    assert [c["tag"] for c in parsed.controls if c.get("name") == "instruction"] == ["select"]
    html = _form("letter:disposition")
    for preset in ("tindak_lanjuti", "siapkan_jawaban", "untuk_diketahui", "koordinasikan"):
        assert f'value="{preset}"' in html
    assert "Siapkan jawaban" in html and "Subdit Layanan Katalog" in html
    radios = [c["value"] for c in parsed.controls if c.get("type") == "radio"]
    assert radios == ["dispose", "answer_directly", "for_information"]


def test_without_known_units_the_subdits_are_typed() -> None:
    facts = pages.Facts(number="EP-2026-000123")
    parsed = _parse(_form("letter:disposition", facts=facts))
    assert [c.get("type") for c in parsed.controls if c.get("name") == "subdits"] == ["text"]


@pytest.mark.parametrize(
    ("step", "name", "kind"),
    [
        ("letter:dispatch", "sent_at", "datetime-local"),
        ("letter:dispatch", "fax_number", "tel"),
        ("training:reply", "start_date", "date"),
        ("training:reply", "capacity", "number"),
        ("training:reply", "fee", "number"),
        ("letter:subdit_answer", "draft_upload_id", "text"),
    ],
)
def test_each_field_has_a_sensible_input(step: str, name: str, kind: str) -> None:
    parsed = _parse(_form(step))
    assert [c.get("type") for c in parsed.controls if c.get("name") == name] == [kind]


def test_errors_are_named_beside_the_form_and_values_kept() -> None:
    html = _form(
        "registration:verification",
        errors={"reason": "tulis alasan penolakan"},
        values={"decision": "reject", "reason": ""},
    )
    assert 'role="alert"' in html and "tulis alasan penolakan" in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="reason-hint reason-error"' in html
    checked = [c for c in _parse(html).controls if c.get("type") == "radio" and "checked" in c]
    assert [c["value"] for c in checked] == ["reject"]


def test_the_signature_asks_to_sign_in() -> None:
    html = pages.sign_in_first(STEPS["letter:signature"], TASK, FACTS, lang="id")
    assert "konsol petugas" in html and "<form" not in html
    assert FACTS.console_url in _parse(html).links


def test_recorded_says_what_was_decided_and_if_late() -> None:
    step = STEPS["registration:verification"]
    html = pages.recorded(step, {"decision": "approve", "late": True}, FACTS)
    assert "Keputusan Anda tercatat: Setujui." in html and "terlambat" in html
    english = pages.recorded(step, {"decision": "reject", "late": False}, FACTS, lang="en")
    assert "Your decision is recorded: Reject." in english and "(late)" not in english


def test_the_pages_of_links_that_cannot_be_used() -> None:
    decided = pages.problem(
        409,
        {
            "decided_by": "verifier-jakarta@staff.desk.local",
            "decided_at": "2026-11-26T03:00:00Z",
            "decision": "approve",
        },
        FACTS,
        tz="Asia/Jakarta",
    )
    assert "Sudah diputuskan" in decided
    assert (
        "verifier-jakarta@staff.desk.local" in decided
        and "Kamis, 26 November 2026 pukul 10.00 WIB" in decided
    )
    assert "Keputusan: Setujui." in decided and "mailto:layanan@epurchasing.example.go.id" in decided
    invalid = pages.problem(403, {"message": "x"}, pages.Facts(number="", console_url=FACTS.console_url))
    assert "Tautan tidak sah" in invalid and "konsol petugas" in invalid and FACTS.console_url in invalid
    expired = pages.problem(410, {}, FACTS, lang="en")
    assert "Link expired" in expired and "secretariat" in expired and "<form" not in expired
    unknown = pages.problem(404, {}, FACTS, lang="en")
    assert "Unknown link" in unknown
    other = pages.problem(400, {"message": "Langkah tidak dikenal."}, FACTS)
    assert "Tidak dapat diproses" in other and "Langkah tidak dikenal." in other


def test_every_text_has_both_languages_and_every_step_a_title_and_explanation() -> None:
    assert set(pages.TEXTS["id"]) == set(pages.TEXTS["en"])
    for name in STEPS:
        assert f"step.{name}" in pages.TEXTS["id"] and f"explain.{name}" in pages.TEXTS["id"]
        assert pages.TEXTS["id"][f"step.{name}"] == STEPS[name].title
    for step in STEPS.values():
        for choice in step.model.model_json_schema()["properties"]["decision"].get("enum", []):
            assert f"decision.{choice}" in pages.TEXTS["id"]


def test_what_comes_in_is_escaped() -> None:
    facts = pages.Facts(number="EP-2026-000123", requester='<script>alert("x")</script>')
    html = _form("registration:verification", facts=facts, values={"reason": "</textarea><b>"})
    assert "<script>" not in html and "&lt;script&gt;" in html and "</textarea><b>" not in html


def test_a_training_reply_chooses_among_the_open_sessions_or_a_new_one() -> None:
    facts = pages.Facts(
        number="EP-2026-000123", sessions=(("S-1", "2026-12-07 – 2026-12-08, Jakarta (5 kursi)"),)
    )
    parsed = _parse(_form("training:reply", facts=facts, values={"session_id": "S-1"}))
    select = next(c for c in parsed.controls if c.get("name") == "session_id")
    assert select["tag"] == "select"
    html = _form("training:reply", facts=facts, values={"session_id": "S-1"})
    assert '<option value="S-1" selected>2026-12-07 – 2026-12-08, Jakarta (5 kursi)</option>' in html
    assert '<option value="">Sesi baru (isi di bawah)</option>' in html


def test_a_step_with_a_file_sends_the_person_to_the_task_in_the_console() -> None:
    facts = pages.Facts(number="EP-2026-000123", console_url="https://desk.example/staff/#tasks/" + "A" * 22)
    html = _form("letter:subdit_answer", facts=facts)
    assert "https://desk.example/staff/#tasks/" + "A" * 22 in _parse(html).links
    assert "unggah" in html.lower()
    # Its only decision is chosen already: submitting the draft needs no extra click.
    radios = [c for c in _parse(html).controls if c.get("type") == "radio"]
    assert len(radios) == 1 and "checked" in radios[0]
    # A step without a file keeps its decision on the page alone.
    assert "konsol" not in _form("registration:verification", facts=facts).split("<form")[0].lower()


def test_each_error_in_the_summary_leads_to_its_control() -> None:
    html = _form(
        "letter:disposition", errors={"subdits": "pilih minimal satu Subdit", "decision": "wajib diisi"}
    )
    targets = re.findall(r'<a href="#([^"]+)"', html)
    assert {"subdits", "decision"} <= set(targets)
    ids = {a or b for a, b in re.findall(r'\sid=(?:"([^"]+)"|([\w-]+))', html)}
    assert {"subdits", "decision", "decision-error"} <= ids
