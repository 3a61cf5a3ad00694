"""How the UI tells a fact: as an English sentence by the template of its class (the
event kinds' rows of ``kg.kinds``, and the facts that are no events), and the sentences
facts were extracted from with their words marked.

Plain functions over ``server.ui_read.Node``s; no Flask and no queries here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from kg.kinds import sentences
from server.ui_cells import cell, short
from server.ui_read import Node

__all__ = ["EVENT_CLASSES", "FACT_CLASSES", "SENTENCES", "Part", "describe", "highlight"]

Part = dict[str, str]

EVENT_CLASSES: tuple[str, ...] = (
    "MissileLaunch",
    "NuclearTest",
    "WeaponTest",
    "MilitaryExercise",
    "MilitaryEvent",
    "Summit",
    "Talks",
    "Visit",
    "PhoneCall",
    "Meeting",
    "Accusation",
    "Threat",
    "Confirmation",
    "Denial",
    "Appeal",
    "Condemnation",
    "Statement",
    "Sanction",
    "Resolution",
    "Event",
)
"""Local names of the ontology's event classes (pen:), most specific first. Kept here, not
derived from ``kg.kinds``: the timeline's menu shows them in this order (launches first,
meetings from the most to the least specific), which is not the table's, and two of them
(MilitaryEvent, Event) are superclasses no kind's row names. A test checks that every class
a row tells is here."""
FACT_CLASSES: tuple[str, ...] = (*EVENT_CLASSES, "PostHolding", "Claim", "ComplianceClaim")
_MODALITY_NOTES = {
    "Planned": " (planned)",
    "Predicted": " (predicted)",
    "Negated": " (said not to have happened)",
}


def _ref(term: Any, labels: Mapping[str, str], base: str) -> Part:
    c = cell(term, labels, base)
    if c["kind"] == "iri":
        return {"text": c["label"], "href": c["href"]}
    return {"text": c.get("text", "")}


def _join(terms: Sequence[Any], labels: Mapping[str, str], base: str) -> list[Part]:
    parts: list[Part] = []
    for i, t in enumerate(terms):
        if i:
            parts.append({"text": " and " if i == len(terms) - 1 else ", "})
        parts.append(_ref(t, labels, base))
    return parts


def _article(noun: str) -> str:
    return "an" if noun[:1].lower() in "aeiou" else "a"


def _date_words(node: Node) -> str:
    date = node.first("date")
    if date is not None:  # a month or a year is "in", a day is "on"
        return f" {'on' if len(date.value) >= 10 else 'in'} {date.value}"
    start, end = node.first("startDate"), node.first("endDate")
    if start is not None and end is not None:
        return f" from {start.value} to {end.value}"
    if start is not None:
        return f" from {start.value}"
    text = node.first("dateText")
    return f" ({text.value})" if text is not None else ""


def _weapon_words(node: Node, labels: Mapping[str, str], base: str) -> list[Part]:
    count_term = node.first("count")
    count = int(count_term.value) if count_term is not None and count_term.value.isdigit() else 1
    system, klass = node.first("weaponSystem"), node.first("weaponClass")
    if system is not None:
        ref = _ref(system, labels, base)
        if count > 1:
            return [{"text": f"{count} "}, ref, {"text": " missiles"}]
        return [{"text": "a "}, ref]
    if klass is not None:
        ref = _ref(klass, labels, base)
        if count > 1:
            return [{"text": f"{count} "}, {**ref, "text": ref["text"] + "s"}]
        return [{"text": _article(ref["text"]) + " "}, ref]
    return [{"text": f"{count} missiles" if count > 1 else "a missile"}]


# The facts that are no events, told like the event kinds' rows (kg.kinds) tell theirs.
_OTHER_SENTENCES = (
    ("PostHolding", "{holder} held the post {post|}{@when}"),
    ("Claim", "{claimedBy}{@said}[ of {claimAbout}]{@words:gist}"),
    ("ComplianceClaim", "{claimedBy}{@said}[ of {claimAbout}]{@words:gist}"),
)
SENTENCES: tuple[tuple[str, str], ...] = (*sentences(), *_OTHER_SENTENCES)
"""(class local name, sentence template) pairs, in the order :func:`describe` tries them."""
_TEMPLATE_PARTS = re.compile(r"\[([^\]]*)\]|\{([^}]*)\}|([^\[{]+)")
_SLOT = re.compile(r"\{\+?([A-Za-z,]+)")


def _slot(slot: str, node: Node, labels: Mapping[str, str], base: str) -> list[Part]:
    """The words of one ``{slot}`` of a sentence template (kg.kinds says what they mean)."""
    if slot == "@when":
        return [{"text": _date_words(node)}]
    if slot == "@weapons":
        return _weapon_words(node, labels, base)
    if slot == "@said":
        polarity = node.first("polarity")
        return [{"text": " denied" if polarity is not None and polarity.value == "false" else " said"}]
    if slot.startswith("@words:"):
        words = next((w for k in slot[7:].split(",") if (w := node.first(k)) is not None), None)
        return [{"text": f": “{words.value}”"}] if words is not None else []
    if slot.startswith("+"):
        return []
    keys, _, otherwise = slot.partition("|")
    terms = [t for k in keys.split(",") for t in node.props.get(k, [])]
    if terms:
        return _join(terms, labels, base)
    if "|" not in slot:
        return [{"text": "someone"}]
    return [{"text": otherwise}] if otherwise else []


def _fill(template: str, node: Node, labels: Mapping[str, str], base: str) -> list[Part]:
    """A sentence template filled in with the node's values."""
    parts: list[Part] = []
    for optional, slot, text in _TEMPLATE_PARTS.findall(template):
        if optional:
            needed = [k for m in _SLOT.finditer(optional) for k in m.group(1).split(",")]
            if all(node.props.get(k) for k in needed):
                parts += _fill(optional, node, labels, base)
        elif slot:
            parts += _slot(slot, node, labels, base)
        else:
            parts.append({"text": text})
    return parts


def describe(node: Node, labels: Mapping[str, str], base: str) -> list[Part]:
    """A fact as an English sentence: 'North Korea launched 2 cruise missiles on
    2021-03-21 from South Pyongan', by the template of its most specific class; else the
    resource's label."""
    kinds = node.kinds()
    template = next((t for cls, t in SENTENCES if cls in kinds), None)
    if template is None:
        label = node.first("label")
        return [{"text": label.value if label is not None else short(node.iri, base)}]
    parts = _fill(template, node, labels, base)
    modality = node.first("modality")
    if modality is not None:
        parts.append({"text": _MODALITY_NOTES.get(modality.value.rsplit("#", 1)[-1], "")})
    return parts


# ---------------------------------------------------------------- grounding


def highlight(text: str, offset: int, spans: Iterable[tuple[int, int, str]]) -> list[Part]:
    """``text`` (which starts at ``offset`` of the article) cut into parts; the spans
    (absolute begin, end, css class) become ``mark`` parts. Overlapping spans keep the
    first (longest at equal starts)."""
    parts: list[Part] = []
    at = 0
    for begin, end, klass in sorted(spans, key=lambda s: (s[0], -s[1])):
        b, e = begin - offset, end - offset
        if b < at or e > len(text) or b >= e:
            continue
        if b > at:
            parts.append({"text": text[at:b]})
        parts.append({"text": text[b:e], "mark": klass})
        at = e
    if at < len(text):
        parts.append({"text": text[at:]})
    return parts
