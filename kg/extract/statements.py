"""Statements (accusations, threats, confirmations, denials, appeals, condemnations),
sanctions and UN resolutions: a speech-act verb with its speaker, addressee and quote; a
sanction or resolution noun governed by a verb of imposing or adopting, with its actor and
target.

It stays one module (over 400 lines): statements and statement nouns share the readers of a
speaker (with its pronoun resolved) and of what is said about, and sanctions and resolutions
are the same kind of act by a state or a body.
"""

from __future__ import annotations

import re

from rdflib import URIRef
from spacy.tokens import Token

from kg.extract.anaphora import pair_entities_in
from kg.extract.annotate import doc_text
from kg.extract.eventbase import ACTOR_CLASSES, Sent, prep_objects, subject
from kg.extract.sources import source_of
from kg.facts import EventFact, Source
from kg.kinds import kind
from kg.namespaces import PEN

__all__ = [
    "SPEECH_LEMMAS",
    "STATEMENT_NOUNS",
    "STATEMENT_VERBS",
    "resolution_event",
    "sanction_event",
    "statement_event",
    "statement_noun_event",
]

STATEMENT_VERBS: dict[str, URIRef] = {
    "accuse": PEN.Accusation,
    "blame": PEN.Accusation,
    "threaten": PEN.Threat,
    "warn": PEN.Threat,
    "vow": PEN.Threat,
    "deny": PEN.Denial,
    "dismiss": PEN.Denial,  # only of an allegation ('dismissed the U.S. allegations')
    "reject": PEN.Denial,
    "refute": PEN.Denial,
    "urge": PEN.Appeal,
    "press": PEN.Appeal,
    "appeal": PEN.Appeal,
    "demand": PEN.Appeal,
    "condemn": PEN.Condemnation,
    "criticize": PEN.Condemnation,
    "criticise": PEN.Condemnation,
    "denounce": PEN.Condemnation,
    "deplore": PEN.Condemnation,
    "slam": PEN.Condemnation,
    "oppose": PEN.Condemnation,  # 'firmly opposed the test' (with an object only)
    "express": PEN.Condemnation,  # 'expressed strong regret' (by the feeling expressed)
    "regret": PEN.Statement,
    "reaffirm": PEN.Statement,
    "reiterate": PEN.Statement,
    "announce": PEN.Statement,
    "tell": PEN.Statement,
    "call": PEN.Statement,  # 'called for', 'called on' → appeal; 'called it "unacceptable"'
}
# what one expresses in a statement: 'expressed strong regret' condemns, 'expressed
# concern' is a statement; other objects ('expressed its thanks') are not said here
_EXPRESSED: dict[str, URIRef] = {
    "regret": PEN.Condemnation,
    "opposition": PEN.Condemnation,
    "outrage": PEN.Condemnation,
    "indignation": PEN.Condemnation,
    "displeasure": PEN.Condemnation,
    "condemnation": PEN.Condemnation,
    "concern": PEN.Statement,
}
# verbs that deny only what they reject is an allegation
_DENYING_VERBS = {"dismiss", "reject", "refute"}
_ALLEGATIONS = {
    "allegation",
    "accusation",
    "claim",
    "charge",
    "report",
    "assertion",
    "suggestion",
    "speculation",
}
# a confirmation is a claim about the event confirmed (graph-conventions.md), not a statement
# event of its own; plain reporting ('said') gives claims, not statements

# nouns that name a speech act when it is the frame of a reporting verb ('in a statement')
# or what a speaker issues ('issued a statement', 'gave a speech')
STATEMENT_NOUNS = {"statement", "speech", "announcement", "remarks", "address", "communique"}
_ISSUE_VERBS = {"issue", "release", "make", "give", "deliver", "publish", "read"}
# words by which a speaker calls something bad: 'called the test "absolutely unacceptable"'
_NEGATIVE = {
    "unacceptable",
    "provocation",
    "provocative",
    "reckless",
    "absurd",
    "absurdity",
    "outrageous",
    "threat",
    "violation",
    "dangerous",
    "irresponsible",
    "grave",
    "serious",
    "hostile",
    "illegal",
    "aggression",
    "war",
    "act",
    "destabilising",
    "destabilizing",
    "deplorable",
    "regrettable",
    "intolerable",
    "unjustifiable",
    "flagrant",
    "appalling",
}
# relational nouns: 'the sister of Kim Jong Un' is not Kim Jong Un
_RELATIONAL = {
    "sister",
    "brother",
    "wife",
    "husband",
    "daughter",
    "son",
    "mother",
    "father",
    "aide",
    "adviser",
    "advisor",
    "envoy",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "deputy",
    "successor",
    "predecessor",
    "counterpart",
    "official",
}
# what the words of a statement are about: an event noun → the event families it can mean
_ABOUT_NOUNS: dict[str, tuple[str, ...]] = {
    "launch": ("launch",),
    "launching": ("launch",),
    "firing": ("launch",),
    "missile": ("launch",),
    "test": ("nuclear-test", "launch"),
    "blast": ("nuclear-test",),
    "detonation": ("nuclear-test",),
    "provocation": ("launch", "nuclear-test"),
    "statement": ("statement",),
    "remark": ("statement",),
    "threat": ("statement",),
    "resolution": ("resolution",),
    "sanction": ("sanction",),
    "measure": ("sanction", "resolution"),
    "summit": ("meeting",),
    "exercise": ("exercise",),
    "drill": ("exercise",),
}
SPEECH_LEMMAS = {
    "say",
    "tell",
    "report",
    "add",
    "announce",
    "state",
    "note",
    "claim",
    "confirm",
    "disclose",
    "reveal",
    "point",
    "write",
    "brief",
}
_SANCTION_VERBS = {"slap", "impose", "tighten", "make", "adopt", "expand", "extend", "levy", "announce"}
_EVENT_OBJECTS = {
    "sanction",
    "launch",
    "test",
    "exercise",
    "drill",
    "resolution",
    "summit",
    "meeting",
    "plan",
}


def _kind_of_call(trig: Token) -> URIRef | None:
    """'called for'/'called on X to' ask (an appeal); 'called X "unacceptable"' condemns; a
    relative 'what he called' only names, and a phone 'call' is not said."""
    preps = {c.lower_ for c in trig.children if c.dep_ == "prep"}
    if preps & {"for", "on"}:
        return PEN.Appeal
    if any(c.lower_ in ("what", "which", "that") for c in trig.children if c.dep_ in ("dobj", "nsubj")):
        return None
    preds = [c for c in trig.children if c.dep_ in ("oprd", "ccomp", "xcomp", "dobj", "attr")]
    words = {t.lemma_.lower() for c in preds for t in c.subtree}
    if len(preds) >= 1 and words & _NEGATIVE:
        return PEN.Condemnation
    return None


# bodies named by a common noun ('the North's foreign ministry'): an unnamed speaker when
# the linker does not know them
_BODY_NOUNS = {
    "ministry",
    "government",
    "military",
    "agency",
    "office",
    "council",
    "committee",
    "department",
    "army",
    "command",
    "embassy",
    "mission",
    "party",
    "leadership",
    "regime",
}
# whom one tells in a formal statement ('told the council'); 'told reporters' is reporting
_AUDIENCE_NOUNS = {
    "council",
    "assembly",
    "parliament",
    "congress",
    "legislature",
    "committee",
    "session",
    "summit",
}
_PERSONAL = {"he", "she", "it", "they", "we"}


def _resolve_pronoun(verb: Token, subj: list[Token]) -> list[Token]:
    """A personal pronoun subject of a complement or relative clause is the speaker of the
    clause above ('the ministry said it regretted', 'what he called … in a speech')."""
    if len(subj) != 1 or subj[0].lower_ not in _PERSONAL:
        return subj
    cur = verb
    for _ in range(4):
        if cur.head.i == cur.i:
            break
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            above = subject(cur)
            if above and not (len(above) == 1 and above[0].lower_ in _PERSONAL):
                return above
    return subj


def _speaker(s: Sent, ev: EventFact, subj: list[Token]) -> bool:
    """Set the speaker: the linked head of the subject; an unnamed speaker described by the
    subject ('two officials', 'the sister of Kim Jong Un'), never a noun that only modifies
    the head. False when the subject gives no speaker (a pronoun)."""
    if not subj:
        return False
    heads = [t for t in subj if t.head.i not in {x.i for x in subj} or t.head.i == t.i]
    head = heads[0] if heads else None
    head_m = s.mentions.at(head) if head is not None else None
    pair = pair_entities_in([head], s.mentions, s.linker) if head is not None else []
    if pair:  # 'the two leaders condemned the launch': the two just named
        for e in pair:
            ev.add_role("speaker", e)
        return True
    if head_m is not None and head_m.entity.cls in ACTOR_CLASSES:
        ev.add_role("speaker", head_m.entity)
        return True
    if head is not None:
        # 'the prime minister, Anthony Albanese,': the person in apposition to a title
        for c in head.children:
            m = s.mentions.at(c) if c.dep_ == "appos" else None
            if m is not None and m.entity.cls == PEN.Person:
                ev.add_role("speaker", m.entity)
                return True
    if head is not None and head.lemma_.lower() in _RELATIONAL | _BODY_NOUNS and head.pos_ == "NOUN":
        src = source_of(subj, s.mentions, s.linker)
        if src is None or src.entity is not None:
            skip = {t.i for c in head.children if c.dep_ in ("relcl", "acl", "appos") for t in c.subtree}
            phrase = [t for t in head.subtree if t.i not in skip and not t.is_punct]
            span = s.phrase_span(phrase)
            src = Source(description=doc_text(s.sent.doc)[span.begin : span.end], anonymous=True, span=span)
        ev.speaker_source = src
        return True
    src = source_of(subj, s.mentions, s.linker)
    if src is None:
        return False
    if src.entity is not None:
        if src.entity.cls not in ACTOR_CLASSES:
            return False
        ev.add_role("speaker", src.entity)
    else:
        ev.speaker_source = src
    return True


def _about(ev: EventFact, toks: list[Token]) -> None:
    for t in toks:
        fams = _ABOUT_NOUNS.get(t.lemma_.lower())
        if fams and t.pos_ == "NOUN":
            if t.lemma_.lower() == "test" and any(c.lower_ == "nuclear" for c in t.children):
                fams = ("nuclear-test",)
            ev.about_families = list(fams)
            return


def statement_event(s: Sent, trig: Token) -> EventFact | None:
    """A speech act told by a verb ('condemned', 'warned', 'expressed regret'), or None."""
    lemma = trig.lemma_
    cls: URIRef | None = STATEMENT_VERBS[lemma]
    dobjs = [c for c in trig.children if c.dep_ == "dobj"]
    if lemma == "press" and not dobjs:
        return None
    if lemma in _DENYING_VERBS and not any(d.lemma_.lower() in _ALLEGATIONS for d in dobjs):
        return None  # 'rejected the proposal', 'dismissed the minister': no denial
    if (
        trig.dep_ == "ccomp"
        and any(c.dep_ == "aux" and c.tag_ == "MD" for c in trig.children)
        and (trig.head.lemma_ in SPEECH_LEMMAS or trig.head.lemma_ in STATEMENT_VERBS)
    ):
        return None  # what a speaker says someone would do ('… that Seoul would regret it') is content
    if lemma == "call":
        cls = _kind_of_call(trig)
    elif lemma == "express":
        cls = next((_EXPRESSED[d.lemma_.lower()] for d in dobjs if d.lemma_.lower() in _EXPRESSED), None)
    elif lemma == "oppose" and not dobjs:
        return None
    elif lemma == "announce":
        # announcing sanctions or a test is told by those events; 'announced that …' is a claim
        if not dobjs and trig.dep_ != "acl":
            return None
        if any(t.lemma_.lower() in _EVENT_OBJECTS for d in dobjs for t in d.subtree):
            return None
    elif lemma == "tell":
        # 'told the council': a statement to a body; 'told reporters' or an outlet is reporting
        told = [e for d in dobjs for e in s.entities(list(d.subtree), ACTOR_CLASSES)]
        if not any(e.cls != PEN.NewsOutlet for e in told) and not any(
            d.lemma_.lower() in _AUDIENCE_NOUNS for d in dobjs
        ):
            return None
    if cls is None:
        return None
    ev = kind("statement").event([s.span_of(trig)], trig.text, cls)
    if not _speaker(s, ev, _resolve_pronoun(trig, subject(trig))):
        return None
    for c in trig.children:
        if c.dep_ == "dobj" and cls == PEN.Denial:
            continue  # what is denied ('the U.S. allegations') is not whom the denial addresses
        if c.dep_ in ("dobj", "dative") or (c.dep_ == "prep" and c.lower_ == "on" and cls == PEN.Appeal):
            # the first actor of the object and of each of its conjuncts ('threatened the
            # United States and South Korea'), not the actors inside them
            objs = [g for g in c.children if g.dep_ == "pobj"] if c.dep_ == "prep" else [c]
            for obj in [o for head in objs for o in (head, *head.conjuncts)]:
                others = {t.i for g in obj.children if g.dep_ in ("conj", "cc") for t in g.subtree}
                for e in s.entities([t for t in obj.subtree if t.i not in others], ACTOR_CLASSES):
                    if e.cls != PEN.NewsOutlet:
                        ev.add_role("addressee", e)
                    break
    if cls == PEN.Threat and not ev.roles.get("addressee"):
        # 'threatened that South Korea would pay dearly': the threatened party
        for c in trig.children:
            if c.dep_ == "ccomp":
                subj = [t for g in c.children if g.dep_ == "nsubj" for t in g.subtree]
                for e in s.entities(subj, ACTOR_CLASSES):
                    ev.add_role("addressee", e)
                    break
    _about(ev, [t for c in trig.children if c.dep_ not in ("nsubj", "nsubjpass", "agent") for t in c.subtree])
    quote = re.search(r"[“\"](.+?)[”\"]", s.sent.text)
    if quote:
        ev.quote = quote.group(1).strip()
    ev.gist = s.sent.text
    return ev


def statement_noun_event(s: Sent, trig: Token) -> EventFact | None:
    """'In a statement on state television, the North said …', 'Yoon laid out his plan in a
    speech', 'the ministry issued a statement': a statement by the subject of the verb."""
    if trig.pos_ != "NOUN" or trig.lemma_.lower() not in STATEMENT_NOUNS:
        return None
    verb: Token | None = None
    if trig.dep_ == "pobj" and trig.head.lower_ == "in" and trig.head.head.pos_ == "VERB":
        verb = trig.head.head
    elif trig.dep_ == "dobj" and trig.head.lemma_ in _ISSUE_VERBS:
        verb = trig.head
    if verb is None:
        return None
    ev = kind("statement").event([s.span_of(trig)], trig.text)
    if not _speaker(s, ev, _resolve_pronoun(verb, subject(verb))):
        return None
    _about(ev, [t for c in verb.children if c.dep_ in ("ccomp", "dobj") and c is not trig for t in c.subtree])
    quote = re.search(r"[“\"](.+?)[”\"]", s.sent.text)
    if quote:
        ev.quote = quote.group(1).strip()
    ev.gist = s.sent.text
    return ev


def sanction_event(s: Sent, trig: Token) -> EventFact | None:
    """Sanctions told by the object of a verb of imposing ('imposed sanctions on'), with who imposed them and on whom."""
    verb = trig.head
    if trig.dep_ not in ("dobj", "nsubjpass") or verb.lemma_ not in _SANCTION_VERBS:
        return None
    ev = kind("sanction").event([s.span_of(trig), s.span_of(verb)], trig.text)
    actors = s.entities(subject(verb), ACTOR_CLASSES)
    if actors:
        ev.add_role("actor", actors[0])
    for pobj in prep_objects(verb, {"on", "against"}):
        for e in s.entities(list(pobj.subtree), ACTOR_CLASSES):
            ev.add_role("target", e)
    return ev


def resolution_event(s: Sent, trig: Token) -> EventFact | None:
    """A resolution told by the object of 'adopt', 'pass' or 'approve', with who adopted it."""
    verb = trig.head
    if trig.dep_ not in ("dobj", "nsubjpass") or verb.lemma_ not in ("adopt", "pass", "approve"):
        return None
    ev = kind("resolution").event([s.span_of(trig)], trig.text)
    actors = s.entities(subject(verb), ACTOR_CLASSES)
    if actors:
        ev.add_role("actor", actors[0])
    return ev
