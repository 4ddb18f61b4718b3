"""The decision form of a page behind a signed link: the step's own fields, drawn from its model's schema,
each with its label, hint and problem, as a plain HTML form that needs no JavaScript."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from html import escape
from typing import Any

from desk.approvals.page_frame import Facts, console_link, documents, page, summary
from desk.approvals.page_texts import decision_label, known, step_title, text
from desk.approvals.steps import Step

_INPUT_KINDS = {
    "start_date": "date",
    "sent_at": "datetime-local",
    "capacity": "number",
    "fee": "number",
    "fax_number": "tel",
}
_TEXTAREAS = frozenset({"notes", "summary", "reason"})
_MINIMUM = {"capacity": "1", "fee": "0"}


def _choices(schema: Mapping[str, Any], name: str) -> list[str]:
    """The allowed values of a field (an enum, possibly behind ``anyOf`` with null)."""
    prop = schema["properties"].get(name) or {}
    for option in [prop, *prop.get("anyOf", [])]:
        if option.get("enum"):
            return [str(v) for v in option["enum"]]
        if "const" in option:
            return [str(option["const"])]
    return []


def _selected(values: Mapping[str, Any], name: str) -> list[str]:
    value = values.get(name)
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [part.strip() for part in str(value).split(",") if part.strip()]


def _select(
    name: str, aria: str, empty: str, options: Sequence[tuple[str, str]], values: Mapping[str, Any]
) -> str:
    """A select of (value, label) options after an empty first choice, the sent value selected."""
    current = str(values.get(name) or "")
    listed = "".join(
        f'<option value="{escape(value)}"{" selected" if value == current else ""}>{escape(label)}</option>'
        for value, label in options
    )
    return (
        f'<select id="{name}" name="{name}"{aria}><option value="">{escape(empty)}</option>{listed}</select>'
    )


def _field(
    step: Step,
    schema: Mapping[str, Any],
    name: str,
    values: Mapping[str, Any],
    errors: Mapping[str, str],
    facts: Facts,
    lang: str,
) -> str:
    label = escape(known(lang, f"field.{name}", name))
    required = name in (schema.get("required") or [])
    hint_key = "hint.subdits.text" if name == "subdits" and not facts.units else f"hint.{name}"
    hint = known(lang, f"hint.{step.name}.{name}", "") or known(lang, hint_key, "")
    if not required and not hint:
        label += f" ({escape(text(lang, 'optional'))})"
    problem = errors.get(name, "")
    described = " ".join(
        part for part, present in ((f"{name}-hint", hint), (f"{name}-error", problem)) if present
    )
    aria = (f' aria-describedby="{described}"' if described else "") + (
        ' aria-invalid="true"' if problem else ""
    )
    hint_html = f'<span class="hint" id="{name}-hint">{escape(hint)}</span>' if hint else ""
    error_html = f'<span class="error-text" id="{name}-error">{escape(problem)}</span>' if problem else ""

    if name == "subdits" and facts.units:
        chosen = set(_selected(values, name))
        boxes = "".join(
            f'<label class="choice"><input type="checkbox" name="subdits" value="{escape(unit)}"'
            f"{' id=subdits' if i == 0 else ''}"
            f"{' checked' if unit in chosen else ''}{aria}><span>{escape(unit_name or unit)}</span></label>"
            for i, (unit, unit_name) in enumerate(facts.units)
        )
        return f"<fieldset><legend>{label}</legend>{hint_html}{boxes}{error_html}</fieldset>"
    options = _choices(schema, name)
    if name == "session_id" and facts.sessions:
        control = _select(name, aria, text(lang, "session.new"), facts.sessions, values)
    elif options:
        named = [(option, known(lang, f"{name}.{option}", option)) for option in options]
        control = _select(name, aria, text(lang, "choose"), named, values)
    elif name in _TEXTAREAS:
        value = escape(str(values.get(name, "") or ""))
        control = f'<textarea id="{name}" name="{name}" rows="4"{aria}>{value}</textarea>'
    else:
        value = escape(
            ", ".join(_selected(values, name)) if name == "subdits" else str(values.get(name) or "")
        )
        kind = _INPUT_KINDS.get(name, "text")
        extra = f' min="{_MINIMUM[name]}" inputmode="numeric"' if name in _MINIMUM else ""
        if required:
            extra += " required"
        control = f'<input type="{kind}" id="{name}" name="{name}" value="{value}"{extra}{aria}>'
    return f'<div class="field"><label for="{name}">{label}</label>{hint_html}{control}{error_html}</div>'


def decision_form(
    step: Step,
    task: Mapping[str, Any],
    hidden: Mapping[str, str],
    *,
    errors: Mapping[str, str],
    values: Mapping[str, Any],
    facts: Facts,
    lang: str = "id",
    now: datetime | None = None,
) -> str:
    schema = step.model.model_json_schema()
    choices = _choices(schema, "decision")
    chosen = str(values.get("decision") or "")
    problems = ""
    if errors:
        listed = "".join(
            f'<li><a href="#{escape(k)}">{escape(known(lang, f"field.{k}", k))}</a>: {escape(v)}</li>'
            for k, v in errors.items()
        )
        said = escape(text(lang, "errors"))
        problems = f'<div class="box error" role="alert"><p>{said}</p><ul>{listed}</ul></div>'
    decision_problem = errors.get("decision", "")
    chosen = chosen or (choices[0] if len(choices) == 1 else "")  # the only choice is chosen already
    radios = "".join(
        f'<label class="choice"><input type="radio" name="decision" value="{escape(c)}"'
        f"{' id=decision-choice' if i == 0 else ''}"
        f"{' checked' if chosen == c else ''}{' required' if i == 0 else ''}"
        f"{' aria-describedby=decision-error aria-invalid=true' if decision_problem else ''}>"
        f"<span>{escape(decision_label(c, lang))}</span></label>"
        for i, c in enumerate(choices)
    )
    if decision_problem:
        radios += f'<span class="error-text" id="decision-error">{escape(decision_problem)}</span>'
    uploads = [name for name in schema["properties"] if name.endswith("_upload_id")]
    console = (
        f'<p class="box">{escape(text(lang, "upload.console"))}</p>{console_link(facts, lang)}'
        if uploads and facts.console_url
        else ""
    )
    fields = "".join(
        _field(step, schema, name, values, errors, facts, lang)
        for name in schema["properties"]
        if name != "decision"
    )
    hidden_inputs = "".join(
        f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in hidden.items()
    )
    form = (
        f'<form method="post">{hidden_inputs}'
        f'<fieldset id="decision"><legend>{escape(text(lang, "decision"))}</legend>{radios}</fieldset>'
        f'{fields}<button type="submit">{escape(text(lang, "submit"))}</button>'
        f'<p class="hint">{escape(text(lang, "submit.note"))}</p></form>'
    )
    body = problems + summary(step, task, facts, lang, now=now) + documents(facts, lang) + console + form
    return page(step_title(step, lang), body, lang=lang)
