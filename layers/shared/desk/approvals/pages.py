"""The pages behind a signed link, phone first, in Bahasa Indonesia or English: the decision form (built in
:mod:`page_form`) and the pages of a decision recorded, of signing in first and of a link that cannot be used.
Every text is in :data:`TEXTS` (:mod:`page_texts`); the data (the request's facts) comes from the caller."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from desk.approvals.page_form import decision_form
from desk.approvals.page_frame import Facts, console_link, contact, documents, human_moment, page, summary
from desk.approvals.page_texts import LANGUAGES, TEXTS, decision_label, known, lang_of, step_title, text
from desk.approvals.steps import Step

__all__ = [
    "LANGUAGES",
    "TEXTS",
    "Facts",
    "decision_form",
    "decision_label",
    "lang_of",
    "page",
    "problem",
    "recorded",
    "sign_in_first",
    "step_title",
    "text",
]


def sign_in_first(step: Step, task: Mapping[str, Any], facts: Facts, *, lang: str = "id") -> str:
    return page(
        step_title(step, lang),
        summary(step, task, facts, lang, now=None)
        + f'<p class="box">{escape(text(lang, "sign_in.text"))}</p>'
        + console_link(facts, lang)
        + documents(facts, lang),
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
            when=human_moment(fields.get("decided_at", ""), tz or "Asia/Jakarta", lang),
        )
        if fields.get("decision"):
            said += " " + text(lang, "error.409.decision", decision=decision_label(fields["decision"], lang))
    else:
        said = known(lang, f"error.{kind}.text", fields.get("message", ""))
    lead = f'<p class="lead">{escape(facts.number)}</p>' if facts.number else ""
    body = (
        lead
        + f'<p class="box error">{escape(said)}</p>'
        + f"<p>{escape(text(lang, f'error.{kind}.next'))}</p>"
        + (contact(facts, lang) if kind in ("409", "410") else "")
        + console_link(facts, lang)
    )
    return page(title, body, lang=lang)
