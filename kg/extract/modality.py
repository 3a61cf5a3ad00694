"""Modality of an event trigger and hedging of a claim, read from the dependency parse.

- negated: a negation on the trigger or its governing verb ('has not conducted tests'),
  the trigger as the object of a verb of stopping ('froze missile tests', 'refrained
  from provocations'), or 'no' before a noun trigger;
- predicted: a future or modal verb under a verb of belief or expectation ('analysts
  believe it will resume'), or 'is expected to'; a meeting, call or visit someone says
  will happen is announced, so planned;
- planned: a future, 'plan to', 'be scheduled to', 'agreed to' or 'next week' told of the
  participants;
- actual otherwise.

A trigger that only tells a readiness ('open to meeting Pyongyang', 'willing to hold
talks', 'ready to launch') tells no event at all (:func:`is_offer`): the extractors leave
it out, since neither a deed nor a plan is stated.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.extract.eventbase import coordinated_head
from kg.facts import Modality

__all__ = ["HEDGES", "is_future", "is_hedged", "is_offer", "modality_of"]

_STOP_VERBS = {"refrain", "halt", "freeze", "stop", "suspend", "cease", "avoid", "abandon", "end"}
_BELIEF_VERBS = {
    "believe",
    "expect",
    "predict",
    "think",
    "anticipate",
    "forecast",
    "fear",
    "estimate",
    "say",
    "warn",
}
_REPORTING = {"say", "tell", "announce", "report", "add", "confirm", "state"}
_PLAN_VERBS = {"plan", "schedule", "intend", "aim", "prepare", "seek", "hope", "want"}
# verbs of commitment plan what their infinitive tells ('agreed to hold a summit every
# year', 'vowed to launch more', 'threatened to fire missiles toward Guam'), but not what
# they merely govern ('agreed at the summit'); a threat is an intention announced, not a deed
_COMMIT_VERBS = {
    "agree",
    "decide",
    "pledge",
    "promise",
    "vow",
    "propose",
    "offer",
    "resolve",
    "threaten",
    "invite",
}
# adjectives of readiness: what their complement tells is offered, not done nor planned
_READY = {"open", "willing", "unwilling", "ready", "prepared", "eager", "keen"}
_MODALS = {"will", "would", "could", "may", "might", "shall", "'ll"}
HEDGES = {
    "appear",
    "seem",
    "likely",
    "probably",
    "possibly",
    "apparently",
    "reportedly",
    "allegedly",
    "may",
    "might",
    "could",
    "suggest",
    "believe",
    "presumably",
    "perhaps",
}


def _lemma(tok: Token) -> str:
    """A token's lemma; spaCy's small model reads 'hopes' and 'hoped' as forms of 'hop'."""
    if tok.lemma_ == "hop" and tok.lower_.startswith("hope"):
        return "hope"
    return tok.lemma_


def _governing_verb(tok: Token) -> Token:
    """The verb a (noun) trigger depends on, or the trigger itself when it is a verb."""
    cur = tok
    for _ in range(6):
        if cur.pos_ in ("VERB", "AUX") or cur.head.i == cur.i:
            return cur
        cur = cur.head
    return cur


def _negated(tok: Token) -> bool:
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    if any(c.lower_ == "no" and c.dep_ == "det" for c in tok.children):
        return True
    verb = _governing_verb(tok)
    if (
        verb is not tok
        and tok.dep_ in ("dobj", "nsubjpass", "attr")
        and any(c.dep_ == "neg" for c in verb.children)
    ):
        return True
    # the object of a verb of stopping, directly or through 'from'
    head = tok.head
    if tok.dep_ in ("dobj", "xcomp") and head.lemma_ in _STOP_VERBS:
        return True
    if tok.dep_ in ("pobj", "pcomp") and head.lower_ == "from" and head.head.lemma_ in _STOP_VERBS:
        return True
    if tok.dep_ == "conj":
        head = coordinated_head(tok)
        # a conjunct with a subject of its own does not share the first verb's negation
        if tok.pos_ == "VERB" and (head.i != tok.head.i or any(c.dep_ == "nsubj" for c in tok.children)):
            return _negated(head) if head.i != tok.head.i else False
        return _negated(head)
    return False


def is_future(sent: Span) -> bool:
    """Whether a sentence tells of the future ('will', 'next week', 'is to')."""
    for t in sent:
        if t.lower_ in ("will", "'ll", "shall") and t.dep_ == "aux":
            return True
        # reported future: 'diplomats said the council would meet on Monday'
        if (
            t.lower_ == "would"
            and t.dep_ == "aux"
            and t.head.dep_ == "ccomp"
            and t.head.head.lemma_ in _REPORTING
        ):
            return True
        if t.lower_ in ("next", "upcoming") and t.head.lower_ in ("week", "month", "year", "weekend"):
            return True
    return False


def modality_of(tok: Token, *, scheduled: bool = False) -> Modality:
    """The modality of the event a trigger token tells. A ``scheduled`` event (a meeting,
    call or visit, which its parties arrange) that someone says will happen is announced,
    so planned ('Yoon will travel to Tokyo for a summit, officials said'); a launch someone
    says will happen is predicted."""
    if _negated(tok):
        return "negated"
    verb = _governing_verb(tok)
    chain = [verb, *list(verb.ancestors)[:4]]
    # 'will share data and hold exercises': a conjunct shares the first verb's modal
    # (a base form without a subject of its own: 'will meet and signed' signed before)
    bare_conjunct = (
        verb.dep_ == "conj" and verb.tag_ == "VB" and not any(c.dep_ == "nsubj" for c in verb.children)
    )
    shared = coordinated_head(verb) if bare_conjunct else verb
    modal = any(c.lower_ in _MODALS and c.dep_ == "aux" for v in {verb, shared} for c in v.children)
    expected = any(v.lemma_ == "expect" and any(c.dep_ == "auxpass" for c in v.children) for v in chain)
    belief = _BELIEF_VERBS - {"say"} if scheduled else _BELIEF_VERBS
    believed = any(v.lemma_ in belief for v in chain[1:])
    if expected or (modal and believed) or any(v.lower_ == "likely" for v in chain):
        return "predicted"
    # a noun trigger's own verb plans it ('plans more tests'); a verb trigger is planned
    # by a verb above it ('plans to launch')
    planners = chain if verb.i != tok.i else chain[1:]
    planned = modal or any(_lemma(v) in _PLAN_VERBS for v in planners)
    planned = planned or (verb.dep_ == "xcomp" and verb.head.lemma_ in _COMMIT_VERBS)
    # 'Xi is due to meet Trump', 'is set to visit Moscow'
    planned = planned or (verb.dep_ == "xcomp" and verb.head.lower_ in ("due", "set", "slated", "poised"))
    # 'drills to be held in February', 'talks to take place next week', 'the drills
    # planned for August', 'a meeting scheduled for Friday'
    planned = planned or any(
        c.dep_ in ("acl", "relcl") and (any(a.tag_ == "TO" for a in c.children) or _lemma(c) in _PLAN_VERBS)
        for c in tok.children
        if tok.pos_ == "NOUN"
    )
    # 'Security Council to meet', 'Kim to visit Russia': the headline's infinitive with a
    # subject tells what is to come
    to_come = verb.dep_ == "ROOT" and any(c.tag_ == "TO" and c.dep_ == "aux" for c in verb.children)
    planned = planned or (to_come and any(c.dep_ == "nsubj" for c in verb.children))
    if planned or any(
        t.lower_ == "next" and t.head.lower_ in ("week", "month", "year") for t in verb.subtree
    ):
        return "planned"
    return "actual"


def is_offer(tok: Token) -> bool:
    """Whether a trigger only tells a readiness: the complement of an adjective of readiness,
    as an infinitive ('willing to hold talks') or after a preposition ('open to meeting
    Pyongyang', 'ready for talks')."""
    for t in {tok, _governing_verb(tok)}:
        head = t.head
        if t.dep_ == "xcomp" and head.pos_ == "ADJ" and head.lemma_ in _READY:
            return True
        if t.dep_ in ("pcomp", "pobj") and head.lower_ in ("to", "for") and head.head.lemma_ in _READY:
            return True
    return False


def is_hedged(tokens: Span | list[Token]) -> bool:
    """Whether a claim's words hedge ('didn't appear to violate', 'probably')."""
    return any(t.lemma_.lower() in HEDGES or t.lower_ in HEDGES for t in tokens)
