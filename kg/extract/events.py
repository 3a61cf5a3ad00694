"""Events told by one sentence: launches and tests, nuclear tests, meetings (summits, talks,
visits, calls), exercises, statements, sanctions and resolutions.

A trigger word (a verb such as 'fired', 'met', 'accused', or a noun such as 'launches',
'summit', 'exercises') opens an event; its arguments are read from the dependency parse
around the trigger and from the linked mentions there. Dates come from ``kg.dates.resolve`` and
attach to the trigger they depend on. Modality is ``kg.extract.modality``'s.

It stays one module (over 400 lines): it is the sentence-level driver that runs every
family's extractor and then attaches dates, modality, sources and responses to what they
found.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from spacy.tokens import Span, Token

from kg.dates.resolve import DateSpan, find_dates, resolve
from kg.extract.annotate import doc_text
from kg.extract.coref import absorb, family_of
from kg.extract.entities import ArticleMentions, sentence_span
from kg.extract.eventbase import ACTOR_CLASSES, Sent, clause_verb, coordinated_head, state_of, subject
from kg.extract.launches import (
    LAUNCH_NOUNS,
    LAUNCH_VERBS,
    in_flight,
    into_orbit,
    launch_event,
    nuclear_test_event,
    nuclear_verb_event,
    weapon_classes_in,
)
from kg.extract.link import Linker
from kg.extract.meetings import EXERCISE_NOUNS, MEETING_NOUNS, MEETING_VERBS, exercise_event, meeting_events
from kg.extract.modality import is_future, is_offer, modality_of
from kg.extract.statements import (
    SPEECH_LEMMAS,
    STATEMENT_NOUNS,
    STATEMENT_VERBS,
    resolution_event,
    sanction_event,
    statement_event,
    statement_noun_event,
)
from kg.facts import EventFact
from kg.kinds import kind
from kg.namespaces import PEN

__all__ = ["SPEECH_LEMMAS", "find_events", "weapon_classes_in"]


def _assign_dates(s: Sent, triggers: list[Token], speech_acts: set[int]) -> dict[int, DateSpan]:
    """Each date expression goes to the trigger (or speech verb) it depends on; a date
    that depends on none of them goes to the nearest trigger still without a date."""
    trig_ids = {t.i for t in triggers}
    # the verb that holds a noun trigger ('held a phone call on Wednesday') keeps its dates
    # for it from a reporting verb above ('…, the ministry said')
    by_verb = {
        t.head.i: t.i
        for t in triggers
        if t.pos_ in ("NOUN", "PROPN") and t.dep_ in ("dobj", "nsubjpass") and t.head.pos_ == "VERB"
    }
    owners = trig_ids | {t.i for t in s.sent if t.lemma_ in SPEECH_LEMMAS and t.pos_ == "VERB"}
    out: dict[int, DateSpan] = {}
    said_on: dict[int, DateSpan] = {}  # the dates of speech verbs that are no trigger
    orphans: list[tuple[DateSpan, Span]] = []
    for d in s.dates:
        span = s.sent.doc.char_span(d.begin, d.end, alignment_mode="expand")
        if span is None:
            continue
        owner: int | None = None
        below = span.root
        clause_verb = False  # a verb of its own under the owner: 'said Yoon will travel on Thursday'
        for anc in [span.root, *span.root.ancestors]:
            if anc.i in range(span.start, span.end):
                continue
            if anc.i in owners:
                owner = anc.i
                break
            if anc.i in by_verb:
                # unless the date sits in a phrase that tells of another event ('In
                # response to the test in 2006, the council imposed sanctions')
                inside = [t for t in triggers if below.left_edge.i <= t.i <= below.right_edge.i]
                first, last = span.start, span.end
                owner = (
                    min(inside, key=lambda t: min(abs(t.i - first), abs(t.i - last))).i
                    if inside
                    else by_verb[anc.i]
                )
                break
            clause_verb = clause_verb or anc.pos_ == "VERB"
            below = anc
        if owner is not None and owner not in trig_ids and clause_verb:
            owner = None  # the date is that verb's, not the saying's: the nearest trigger's
        if owner is None:
            orphans.append((d, span))
            continue
        if owner in trig_ids and owner not in out:
            out[owner] = d
        elif owner not in trig_ids:
            said_on.setdefault(owner, d)
            # 'said on Monday that … and threatened to …': coordinated speech acts share it
            for t in triggers:
                if t.i in speech_acts and t.dep_ == "conj" and coordinated_head(t).i == owner:
                    out.setdefault(t.i, d)
    for t in triggers:
        # 'will travel to Tokyo on Thursday for a summit': the journey's date is the summit's
        if t.i not in out and t.dep_ == "pobj" and t.head.lower_ == "for" and t.head.head.i in out:
            out[t.i] = out[t.head.head.i]
    _reported_speech(triggers, speech_acts, said_on, out)
    for d, span in orphans:
        if _dates_a_thing(span, trig_ids):
            continue
        free = [t for t in triggers if t.i not in out]
        modified = [t for t in free if _premodifies(span, t)]
        if modified:
            out[modified[0].i] = d
        elif free:
            nearest = min(free, key=lambda t: min(abs(t.i - span.start), abs(t.i - span.end)))
            out[nearest.i] = d
    return out


def _reported_speech(
    triggers: list[Token], speech_acts: set[int], said_on: dict[int, DateSpan], out: dict[int, DateSpan]
) -> None:
    """'Park condemned the test, her office said on Friday': a speech act reported by a
    speech verb dated to the day was made that day (not one told in the pluperfect, 'had
    warned', which was earlier)."""
    for t in triggers:
        if t.i in out or t.i not in speech_acts or t.pos_ != "VERB":
            continue
        if any(c.dep_ == "aux" and c.lower_ in ("had", "'d") for c in t.children):
            continue
        speech = next((a for a in t.ancestors if a.i in said_on), None)
        if speech is not None and (d := said_on[speech.i]).value is not None and d.value.precision == "day":
            out[t.i] = d


def _dates_a_thing(span: Span, trig_ids: set[int]) -> bool:
    """Whether a bare year stands before a noun that is no event ('a 2018 inter-Korean
    military accord'): it dates that thing, not the sentence's event."""
    root = span.root
    return (
        len(span) == 1
        and root.dep_ in ("nummod", "compound", "amod", "npadvmod")
        and root.head.pos_ == "NOUN"
        and root.head.i > root.i
        and root.head.i not in trig_ids
    )


def _premodifies(span: Span, t: Token) -> bool:
    """Whether a date stands right before a noun trigger's own modifiers ('the February 2019
    Trump-Kim Hanoi summit', where the parser may hang the date on a noun further on)."""
    if t.pos_ not in ("NOUN", "PROPN") or t.i < span.end:
        return False
    return all(t in w.ancestors for w in t.doc[span.end : t.i])


def _events_at(s: Sent, t: Token) -> list[EventFact]:
    lemma = t.lemma_.lower()
    if t.pos_ == "VERB":
        if lemma in LAUNCH_VERBS or into_orbit(t):
            ev = launch_event(s, t, verb=True)
            return [ev] if ev else []
        if lemma in MEETING_VERBS:
            return meeting_events(s, t, verb=True)
        if lemma in STATEMENT_VERBS:
            ev = statement_event(s, t)
            return [ev] if ev else []
        if lemma in ("detonate", "explode", "set"):
            ev = nuclear_verb_event(s, t)
            return [ev] if ev else []
        return []
    if lemma in STATEMENT_NOUNS:
        ev = statement_noun_event(s, t)
        return [ev] if ev else []
    if t.pos_ in ("NOUN", "PROPN"):
        out: list[EventFact] = []
        nuc = nuclear_test_event(s, t)
        if nuc is not None:
            out.append(nuc)
            # 'nuclear or long-range missile tests' also tells of missile tests
            if not any(w.lower_ in ("missile", "missiles") for w in t.subtree):
                return out
        if lemma in LAUNCH_NOUNS or t.lower_ in LAUNCH_NOUNS or in_flight(t):
            ev = launch_event(s, t, verb=False)
            if ev:
                out.append(ev)
        elif lemma in MEETING_NOUNS:
            out += meeting_events(s, t, verb=False)
        elif t.lower_ in EXERCISE_NOUNS or lemma in EXERCISE_NOUNS:
            ev = exercise_event(s, t)
            if ev:
                out.append(ev)
        elif lemma == "sanction":
            ev = sanction_event(s, t)
            if ev:
                out.append(ev)
        elif lemma == "resolution":
            ev = resolution_event(s, t)
            if ev:
                out.append(ev)
        return out
    return []


# the most telling kind of a speech act wins when one sentence tells it several ways
_STATEMENT_RANK = {
    PEN.Threat: 5,
    PEN.Accusation: 4,
    PEN.Condemnation: 3,
    PEN.Denial: 3,
    PEN.Appeal: 2,
    PEN.Statement: 0,
}


def _speaker_key(ev: EventFact) -> str | None:
    sp = ev.first("speaker")
    if sp is not None:
        return str(sp.iri)
    if ev.speaker_source is not None:
        return ev.speaker_source.description
    return None


def _merge_statements(found: list[tuple[Token, EventFact]]) -> list[tuple[Token, EventFact]]:
    """One speaker's speech acts in one sentence are one statement ('In a statement, X said
    … and threatened …'), of its most telling kind; its date is the first trigger's."""
    out: list[tuple[Token, EventFact]] = []
    by_speaker: dict[str, tuple[Token, EventFact]] = {}
    for t, ev in found:
        key = _speaker_key(ev) if ev.kind == "statement" else None
        if key is None:
            out.append((t, ev))
            continue
        if key not in by_speaker:
            by_speaker[key] = (t, ev)
            out.append((t, ev))
            continue
        _, keep = by_speaker[key]
        if _STATEMENT_RANK.get(ev.cls, 1) > _STATEMENT_RANK.get(keep.cls, 1):
            keep.cls = ev.cls
        keep.spans += [sp for sp in ev.spans if sp not in keep.spans]
        for role, ents in ev.roles.items():
            for e in ents:
                keep.add_role(role, e, ev.spans_of(role, e))
        keep.about_families = keep.about_families or ev.about_families
        keep.quote = keep.quote or ev.quote
        if keep.date is None and ev.date is not None:
            keep.date, keep.date_text = ev.date, ev.date_text
    return out


# verbs that tell of an activity begun again or carried on, with the activity left implicit
# when the sentence has just named it ('stopped its tests, but it will resume')
_RESUME_VERBS = {"resume", "restart", "continue", "increase", "intensify", "escalate"}


def _resumptions(s: Sent, found: list[tuple[Token, EventFact]]) -> list[tuple[Token, EventFact]]:
    """'North Korea seems to stop its weapons tests but they believe that it will resume':
    a verb of resuming with no object of its own tells of another event of the kind the
    sentence named before it (a launch or a nuclear test), by the subject when that is a
    state, else by the same state as the event named."""
    out: list[tuple[Token, EventFact]] = []
    for t in s.sent:
        if t.pos_ != "VERB" or t.lemma_.lower() not in _RESUME_VERBS:
            continue
        if any(c.dep_ in ("dobj", "xcomp", "ccomp", "nsubjpass") and c.pos_ != "PRON" for c in t.children):
            continue  # 'resume talks', 'continue to test': the object says what ('them' refers back)
        if t.dep_ == "conj" and t.head.lemma_.lower() in _RESUME_VERBS:
            continue  # 'will resume and will increase': one event
        named = [(tok, e) for tok, e in found if kind(e.kind).resumed and tok.i < t.i]
        if not named:
            continue
        antecedent = named[-1][1]
        ev = EventFact(antecedent.kind, antecedent.cls, [s.span_of(t)], trigger=t.text)
        ev.weapon_classes = list(antecedent.weapon_classes)
        state = state_of(s.entities(subject(t), ACTOR_CLASSES), s.linker) or antecedent.first(
            "launchingState"
        )
        if state is not None:
            ev.add_role("launchingState", state)
        out.append((t, ev))
    return out


# adverbs of a habit: with a verb in the simple present they tell what is done, not a deed
_HABITUAL = {"routinely", "regularly", "usually", "often", "frequently", "typically", "always", "habitually"}


def _habitual(t: Token) -> bool:
    """A verb in the simple present with an adverb of habit ('routinely calls')."""
    return t.pos_ == "VERB" and t.tag_ in ("VBZ", "VBP") and any(c.lower_ in _HABITUAL for c in t.children)


def _since_when(sent: Span, dates: list[DateSpan], triggers: list[Token]) -> dict[int, DateSpan]:
    """'The first launch since December, when it fired a Hwasong-18': the date after
    'since' that a 'when' clause follows dates the first event that clause tells."""
    out: dict[int, DateSpan] = {}
    text = doc_text(sent.doc)
    for d in dates:
        if not _since(sent, d) or not re.match(r",?\s*when\b", text[d.end : d.end + 12]):
            continue
        after = [t for t in triggers if t.idx >= d.end and t.i not in out]
        if after:
            out[after[0].i] = d
    return out


def _since(sent: Span, d: DateSpan) -> bool:
    before = doc_text(sent.doc)[max(sent.start_char, d.begin - 7) : d.begin].lower().split()
    return d.text.lower().startswith("since") or (bool(before) and before[-1] == "since")


def find_events(sent: Span, mentions: ArticleMentions, linker: Linker, published: object) -> list[EventFact]:
    """The events one sentence tells, with their modality and date."""
    sb, se = sentence_span(sent)
    future = is_future(sent)
    text = doc_text(sent.doc)[sent.start_char : sent.end_char]
    dates = [
        DateSpan(d.begin + sent.start_char, d.end + sent.start_char, d.text, d.value, d.start, d.end_value)
        for d in find_dates(text, published, tense_past=not future)  # type: ignore[arg-type]
    ]
    s = Sent(sent, mentions, linker, dates, published, sb, se)
    found: list[tuple[Token, EventFact]] = []
    for t in sent:
        if _habitual(t):
            continue  # 'the North routinely calls the drills a rehearsal': what it does, no event
        if is_offer(t):
            continue  # 'open to meeting Pyongyang': a readiness, no event
        for ev in _events_at(s, t):
            found.append((t, ev))
    found += _resumptions(s, found)
    speech_acts = {t.i for t, ev in found if ev.kind == "statement"}
    dated = _assign_dates(s, [t for t, _ in found], speech_acts)
    since_when = _since_when(sent, dates, [t for t, _ in found])
    for t, ev in found:
        ev.modality = modality_of(t, scheduled=kind(ev.kind).scheduled)
        ev.reported = ev.kind == "launch" and t.pos_ == "VERB" and _told_by_a_source(t)
        d = dated.get(t.i)
        if d is not None and _since(sent, d):
            ev.after = d.value
            d = None  # 'has not tested since 2017': the start of an abstention, not the event's date
        if d is None and t.i in since_when:
            d = since_when[t.i]  # '… since December, when it fired a Hwasong-18': that launch's
        if d is None and ev.kind == "exercise":
            d = next((x for x in dates if x.is_period), None)
        if d is not None and ev.modality in ("planned", "predicted") and not d.is_period:
            d = _looking_ahead(d, published)
        if d is not None:
            ev.date_text = d.text
            if d.is_period:
                ev.start, ev.end = d.start, d.end_value
                ev.date = d.value if ev.kind != "exercise" else None
            else:
                ev.date = d.value
    _link_responses(found)
    found = _purpose_meetings(found)
    return [ev for _, ev in _merge_statements(found)]


def _purpose_meetings(found: list[tuple[Token, EventFact]]) -> list[tuple[Token, EventFact]]:
    """'The three leaders met for a summit at Camp David': the meeting noun a meeting verb
    is held for is that meeting, not a second one, and so is a meeting noun that
    modifies another ('summit talks'); the more specific kind is kept."""
    by_token = {t.i: ev for t, ev in found}
    out: list[tuple[Token, EventFact]] = []
    for t, ev in found:
        verb = by_token.get(t.head.head.i) if t.dep_ == "pobj" and t.head.lower_ == "for" else None
        if t.dep_ == "compound":  # 'summit talks': one meeting, of the more specific kind
            verb = by_token.get(t.head.i)
        if (
            verb is not None
            and verb is not ev
            and family_of(ev.kind) == family_of(verb.kind) == "meeting"
            and ev.modality == verb.modality
        ):
            absorb(verb, ev)
            continue
        out.append((t, ev))
    return out


# words that make a launch another one than the news ('another missile', 'a similar test')
_OTHER_WORDS = {
    "another",
    "similar",
    "previous",
    "earlier",
    "last",
    "other",
    "past",
    "prior",
    "more",
    "further",
}


def _told_by_a_source(t: Token) -> bool:
    """Whether a launch is told as what a source says ('Tokyo's assessment was that two
    missiles had been fired', '…, according to the military') and nothing marks it as
    another launch."""
    if any(w.lower_ in _OTHER_WORDS for w in t.subtree):
        return False
    said = any(a.pos_ in ("VERB", "AUX") and a.lemma_ in SPEECH_LEMMAS for a in t.ancestors)
    return said or any(
        w.lower_ == "according" and w.nbor().lower_ == "to" for w in t.sent if w.i + 1 < len(w.doc)
    )


def _looking_ahead(d: DateSpan, published: object) -> DateSpan:
    """A planned or predicted event's date read forwards ('drills to be held in February',
    told on Jan. 31 in a sentence of past reporting verbs, is next February): a month or
    weekday without a year falls after the publication date, never before it."""
    if not isinstance(published, date) or d.value is None or d.value.latest >= published:
        return d
    ahead = resolve(d.text, published, tense_past=False)
    if ahead is None or ahead.earliest < published:
        return d
    return replace(d, value=ahead)


_RESPONSE_NOUNS = {
    "response": ("to",),
    "reaction": ("to",),
    "retaliation": ("for", "against"),
    "reply": ("to",),
}


def _link_responses(found: list[tuple[Token, EventFact]]) -> None:
    """'In response to North Korea's nuclear test in 2006, the council imposed sanctions':
    the sanctions answer the test (``responds_to``), and, told without a date of their own,
    take the test's when it is known only to the month or year — a response falls in the
    same period as what it answers, as a reader of the sentence takes it."""
    by_token = {t.i: ev for t, ev in found}
    for t, ev in found:
        for prep in clause_verb(t).children:
            if prep.dep_ != "prep" or prep.lower_ not in ("in", "as"):
                continue
            for noun in prep.children:
                links = _RESPONSE_NOUNS.get(noun.lemma_.lower(), ())
                answered = [
                    g for c in noun.children if c.dep_ == "prep" and c.lower_ in links for g in c.children
                ]
                for g in answered:
                    other = by_token.get(g.i)
                    if other is None or other is ev:
                        continue
                    ev.responds_to = other
                    if (
                        ev.date is None
                        and other.date is not None
                        and other.date.precision in ("year", "month")
                    ):
                        ev.date, ev.date_text = other.date, other.date_text
