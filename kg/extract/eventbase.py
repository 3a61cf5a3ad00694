"""What the event extractors share: one sentence with its linked mentions and dates, and
readings of the dependency parse (subjects, prepositional objects, states behind actors,
places).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rdflib import URIRef
from spacy.tokens import Span, Token

from kg.dates.resolve import DateSpan
from kg.dates.words import ONE_TO_TEN
from kg.extract.link import Linker
from kg.extract.mentions import ArticleMentions
from kg.facts import Entity, TextSpan
from kg.namespaces import PEN

__all__ = [
    "ACTOR_CLASSES",
    "NUMBERS",
    "PLACE_CLASSES",
    "TIMES",
    "Sent",
    "clause_prep_objects",
    "clause_verb",
    "coordinated_head",
    "place_entity",
    "prep_objects",
    "prep_objects_direct",
    "state_of",
    "subject",
    "subtree",
]

NUMBERS = {**ONE_TO_TEN, "a": 1, "an": 1, "single": 1}
TIMES = {"once": 1, "twice": 2, "thrice": 3}


@dataclass
class Sent:
    """One sentence with what extractors read in it: its linked mentions, the linker, its dates and its offsets."""

    sent: Span
    mentions: ArticleMentions
    linker: Linker
    dates: list[DateSpan]
    published: object
    sb: int
    se: int

    def span_of(self, tok: Token) -> TextSpan:
        """The text span of one token, in this sentence."""
        return TextSpan(tok.idx, tok.idx + len(tok.text), self.sb, self.se)

    def phrase_span(self, toks: Sequence[Token]) -> TextSpan:
        """The text span from the first to the last of ``toks``, in this sentence."""
        begin = min(t.idx for t in toks)
        end = max(t.idx + len(t.text) for t in toks)
        return TextSpan(begin, end, self.sb, self.se)

    def entities(self, toks: Sequence[Token] | Span, classes: set[URIRef] | None = None) -> list[Entity]:
        """The entities mentioned in ``toks``, leaving out a state or body that only
        qualifies a person named there ('US Secretary of State Antony Blinken')."""
        out: list[Entity] = []
        tokset = {t.i for t in toks}
        person_toks = {
            t.i for t in toks if (m := self.mentions.at(t)) is not None and m.entity.cls == PEN.Person
        }
        # 'the wife of Kim Jong Un': the person named only to say whose relative she is
        relative_toks = {t.i for t in toks if (m := self.mentions.at(t)) is not None and m.how == "relative"}
        for t in toks:
            m = self.mentions.at(t)
            if m is None:
                continue
            if classes is not None and m.entity.cls not in classes:
                continue
            if m.entity.cls != PEN.Person and person_toks and _qualifies(t, person_toks, tokset):
                continue
            if m.how != "relative" and relative_toks and _qualifies(t, relative_toks, tokset):
                continue
            if all(e.iri != m.entity.iri for e in out):
                out.append(m.entity)
        return out


def _qualifies(tok: Token, person_toks: set[int], scope: set[int]) -> bool:
    """Whether a token modifies (through compounds, titles, possessives) a person's name."""
    cur = tok
    for _ in range(6):
        if (
            cur.dep_ not in ("compound", "nmod", "amod", "poss", "pobj", "prep", "case")
            or cur.head.i == cur.i
        ):
            return False
        cur = cur.head
        if cur.i in person_toks:
            return True
        if cur.i not in scope:
            return False
    return False


ACTOR_CLASSES = {PEN.State, PEN.Person, PEN.GovernmentBody, PEN.Organisation, PEN.InternationalOrganisation}
PLACE_CLASSES = {
    PEN.Place,
    PEN.Settlement,
    PEN.AdministrativeRegion,
    PEN.WaterBody,
    PEN.MilitaryFacility,
    PEN.Region,
}


def clause_verb(tok: Token) -> Token:
    """The verb (or root) a word hangs on: itself when it is a verb."""
    t = tok
    while t.pos_ not in ("VERB", "AUX") and t.head.i != t.i:
        t = t.head
    return t


def subtree(tok: Token) -> list[Token]:
    """The tokens of ``tok``'s subtree, as a list."""
    return list(tok.subtree)


_FINITE = ("VBD", "VBZ", "VBP")


def coordinated_head(tok: Token) -> Token:
    """What a conjunct is coordinated with. The parser may hang a finite verb ('… and
    threatened') under a non-finite one inside a complement ('said the North would never
    trade …'); a finite conjunct goes with the nearest finite verb above instead."""
    head = tok.head
    if (
        tok.dep_ == "conj"
        and tok.tag_ in _FINITE
        and head.tag_ == "VB"
        and any(c.dep_ == "aux" and c.tag_ in ("MD", "TO") for c in head.children)
    ):
        cur = head
        for _ in range(8):
            if cur.head.i == cur.i or (cur.tag_ in _FINITE and cur.pos_ in ("VERB", "AUX")):
                break
            cur = cur.head
        if cur.tag_ in _FINITE:
            return cur
    return head


def subject(verb: Token) -> list[Token]:
    """The tokens of a verb's subject, or of the verb it hangs from (conjunct, xcomp, acomp)."""
    for c in verb.children:
        if c.dep_ in ("nsubj", "csubj"):
            return subtree(c)
    # 'agent' of a passive: 'confirmed by two officials'
    for c in verb.children:
        if c.dep_ == "agent":
            return subtree(c)
    if verb.dep_ == "conj" and verb.head.i != verb.i:
        return subject(coordinated_head(verb))
    # 'is due to meet', 'is ready to launch': the subject of the copula the adjective completes
    if verb.dep_ in ("xcomp", "advcl", "acomp") and verb.head.i != verb.i:
        return subject(verb.head)
    return []


def state_of(ents: Sequence[Entity], linker: Linker) -> Entity | None:
    """The state among ``ents``, else the state of the first one that belongs to one."""
    for e in ents:
        if e.cls == PEN.State:
            return e
    for e in ents:
        if e.state is not None and e.state in linker.by_iri:
            return linker.by_iri[e.state]
        if e.part_of is not None and e.part_of in linker.by_iri:
            return linker.by_iri[e.part_of]
    return None


def place_entity(e: Entity, linker: Linker) -> Entity | None:
    """A place for pen:place / pen:launchSite (a state's name read as its territory has no
    place entity of its own, so a reference place of the same name is used, if any)."""
    if e.cls in PLACE_CLASSES:
        return e
    if e.cls == PEN.State:
        return linker.place(e.label)
    return None


def prep_objects(tok: Token, preps: set[str]) -> list[Token]:
    """The objects of the prepositions ``preps`` anywhere under ``tok``."""
    out: list[Token] = []
    for c in tok.subtree:
        if c.dep_ == "prep" and c.lower_ in preps:
            out.extend(g for g in c.children if g.dep_ == "pobj")
    return out


_OTHER_CLAUSES = ("ccomp", "advcl", "parataxis", "csubj", "conj")


def _other_clause(tok: Token) -> bool:
    """A clause of its own: a complement, adverbial or coordinated clause with a subject
    of its own ('what appeared to be a missile' is the object, not another clause)."""
    if tok.dep_ not in _OTHER_CLAUSES or tok.pos_ not in ("VERB", "AUX"):
        return False
    subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
    return bool(subj) and subj[0].tag_ not in ("WP", "WDT")


def clause_prep_objects(tok: Token, preps: set[str]) -> list[Token]:
    """Like :func:`prep_objects`, without descending into other clauses: the places of
    'fired a missile into the sea' but not of '…, and Japan protested in Beijing'."""
    out: list[Token] = []
    todo = [tok]
    while todo:
        cur = todo.pop()
        for c in cur.children:
            if _other_clause(c):
                continue
            if c.dep_ == "prep" and c.lower_ in preps:
                out.extend(g for g in c.children if g.dep_ == "pobj")
            todo.append(c)
    return sorted(out, key=lambda t: t.i)


def prep_objects_direct(tok: Token, preps: set[str]) -> list[Token]:
    """The whole objects of the prepositions ``preps`` that hang directly from ``tok``."""
    out: list[Token] = []
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in preps:
            for g in c.children:
                if g.dep_ == "pobj":
                    out += list(g.subtree)
    return out
