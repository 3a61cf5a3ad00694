"""Attribution of one sentence: who it says its facts come from, and over which words.

A sentence's sources are found by *cues*, each with the words it governs (its scope):

- the subject of a reporting verb ('the Defence Ministry said', 'Yonhap reported'), the
  agent of a passive one ('were confirmed by two senior officials', 'quoted by KCNA'); the
  scope is the verb's clause;
- the object of 'according to' / 'as per' / 'per' / 'citing'; the scope is the clause the
  phrase modifies ('Before talking to X, as per ABC News, A and B met' → the meeting);
- a participle or adverbial clause that reports ('the officials sought to downplay it,
  noting that ...') takes the subject of the clause it hangs on;
- in a headline, a source set off by a colon ('… new ICBM: state media').

An outlet beside another source ('X said, according to Yonhap') is the channel (``via``);
alone, it is the source. A pronoun or a bare definite subject ('he said', 'the officials
added') refers back to the latest source of the article that fits.

It stays one module (over 400 lines): the cue finders and the back-reference to an earlier
source share one article history and are one idea, the source of a sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from kg.extract.eventbase import clause_verb
from kg.extract.link import Linker
from kg.extract.mentions import ArticleMentions, sentences_back
from kg.extract.sources import SOURCE_NOUNS, source_of
from kg.facts import EventFact, Source
from kg.namespaces import PEN

__all__ = [
    "RELAY_LEMMAS",
    "REPORT_LEMMAS",
    "Attribution",
    "Cue",
    "attribution_of",
    "cues_for",
    "same_source",
    "tokens_of",
]

# verbs whose subject asserts what their clause says
REPORT_LEMMAS = {
    "say",
    "tell",
    "report",
    "confirm",
    "announce",
    "state",
    "add",
    "note",
    "claim",
    "insist",
    "deny",
    "believe",
    "warn",
    "accuse",
    "estimate",
    "assess",
    "detect",
    "expect",
    "predict",
    "think",
    "suspect",
    "conclude",
    "explain",
    "disclose",
    "reveal",
    "acknowledge",
    "admit",
    "write",
    "describe",
    "quote",
    "cite",
    "brief",
    "speculate",
    "argue",
    "allege",
    "stress",
    "emphasise",
    "emphasize",
    "observe",
    "mention",
    "point",
    "downplay",
    "tweet",
    "post",
    "record",
    "register",
    "measure",
    "judge",
    "determine",
    "anticipate",
    "forecast",
    "fear",
    "assert",
    "declare",
    "specify",
    "calculate",
    "verify",
    "notice",
    "spot",
    "track",
    "monitor",
}
# verbs that report only in the passive, with the outlet as agent ('carried by KCNA')
RELAY_LEMMAS = {"carry", "release", "air", "broadcast", "relay", "run", "publish", "transmit"}
# reporting participles that take the subject of the clause they hang on
_PARTICIPLE_DEPS = ("advcl", "xcomp", "conj", "acl")
_SCOPE_DEPS = ("ccomp", "xcomp", "dobj", "nsubjpass", "parataxis", "attr", "oprd", "acomp", "dative")
_COMPLEMENTS = ("ccomp", "xcomp", "dobj", "parataxis", "nsubjpass", "attr", "oprd")
_DENY = {"deny", "dismiss", "reject", "refute"}
_ACCORDING = {"according", "as", "per", "citing", "quoting"}
_PRONOUNS_SINGULAR = {"he", "she"}
_PRONOUNS_PLURAL = {"they"}
_USER_DATA_KEY = "kg.claims.sources"


@dataclass
class Cue:
    """One attribution in a sentence: a source, the token whose subtree is its scope, and
    the outlet it came through."""

    source: Source
    anchor: Token
    via: Source | None = None
    exclude: set[int] = field(default_factory=set)  # the source's own words
    denial: bool = False
    # True: the anchor's whole clause ('according to X', 'X fired, the JCS said'); False:
    # only what the reporting verb says (its complement, object or passive subject), not
    # its circumstances ('warned after a meeting at the White House that ...')
    whole: bool = True

    def covers(self, tok: Token) -> bool:
        """Whether ``tok`` lies in the scope: under the anchor and in no excluded subtree."""
        if tok.i in self.exclude:
            return False
        if tok.i == self.anchor.i:
            return self.whole
        path = [tok]
        for a in tok.ancestors:
            if a.i == self.anchor.i:
                return self.whole or path[-1].dep_ in _SCOPE_DEPS or _statement_content(path)
            path.append(a)
        return False

    def scope(self) -> list[Token]:
        """The tokens of the scope, in the sentence's order."""
        return [t for t in self.anchor.subtree if self.covers(t)]


# nouns of what a source issues, whose content clause is what it says ('said in a
# statement that the launch posed no threat')
_ISSUED_NOUNS = {"statement", "report", "speech", "interview", "briefing", "release", "message", "commentary"}


def _statement_content(path: Sequence[Token]) -> bool:
    """Whether a path up to a reporting verb passes through 'in a statement that …': the
    verb's 'in' phrase, whose noun is a statement noun with the token in its content clause."""
    return (
        len(path) >= 3
        and path[-1].dep_ == "prep"
        and path[-1].lower_ == "in"
        and path[-2].dep_ == "pobj"
        and path[-2].lemma_.lower() in _ISSUED_NOUNS
        and path[-3].dep_ in ("acl", "ccomp")
    )


class Attribution:
    """The sources of a sentence: ``source``/``via``/``verb`` of its main cue, and every
    cue with its scope in ``cues``."""

    def __init__(
        self, source: Source | None, via: Source | None, verb: Token | None, cues: Sequence[Cue] = ()
    ) -> None:
        self.source = source
        self.via = via
        self.verb = verb
        self.cues = list(cues)


def _outlet(src: Source | None) -> bool:
    return bool(src and src.entity is not None and src.entity.cls == PEN.NewsOutlet)


def _history(doc: Doc) -> list[Source]:
    hist = doc.user_data.get(_USER_DATA_KEY)
    if not isinstance(hist, list):
        hist = []
        doc.user_data[_USER_DATA_KEY] = hist
    return hist


def _is_bare_definite(head: Token) -> bool:
    """'the officials', 'the official', 'one of the officials': no name, count or place."""
    if head.lemma_.lower() not in SOURCE_NOUNS:
        return False
    kids = [c for c in head.children if c.dep_ not in ("punct",)]
    if any(c.dep_ == "det" and c.lower_ in ("the", "these", "those", "this", "that") for c in kids):
        return all(
            c.dep_ in ("det", "amod") and c.lower_ in ("the", "these", "those", "this", "that", "same")
            for c in kids
        )
    return False


def _refer_back(head: Token, hist: list[Source]) -> Source | None:
    """The earlier source a pronoun or bare definite subject refers to."""
    lower = head.lower_
    if lower in _PRONOUNS_SINGULAR:
        for src in reversed(hist[-4:]):
            if src.entity is not None and src.entity.cls == PEN.Person:
                return src
            if src.entity is None and src.count == 1:
                return src
        return None
    if lower in _PRONOUNS_PLURAL:
        for src in reversed(hist[-3:]):
            if src.entity is None and (src.count is None or src.count > 1):
                return src
        return None
    if _is_bare_definite(head) or (head.lower_ == "one" and any(c.dep_ == "prep" for c in head.children)):
        noun = head
        if head.lower_ == "one":  # 'one of the officials'
            pobj = [g for c in head.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
            if not pobj:
                return None
            noun = pobj[0]
        lemma = noun.lemma_.lower()
        for src in reversed(hist):
            if src.entity is None and src.description and lemma in src.description.lower():
                return src
    return None


def _last_person(head: Token, mentions: ArticleMentions, within: int = 2) -> Source | None:
    """'He said': the person named last in the sentence or the ``within`` before it."""
    first = sentences_back(head, within).i
    for i in range(head.i - 1, first - 1, -1):
        m = mentions.at(head.doc[i])
        if m is not None and m.entity.cls == PEN.Person:
            return Source(entity=m.entity)
    return None


# descriptions that refer back to an organisation of a class named before: 'the think tank'
_DESCRIBED_CLASSES = {"tank": PEN.ThinkTank, "institute": PEN.ThinkTank}


def _described_organisation(head: Token, mentions: ArticleMentions) -> Source | None:
    """'The think tank said': the think tank the article named last before."""
    cls = _DESCRIBED_CLASSES.get(head.lemma_.lower())
    if cls is None or not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in head.children):
        return None
    if head.lemma_.lower() == "tank" and not any(c.lower_ == "think" for c in head.children):
        return None
    named = [m for m in mentions.mentions if m.entity.cls == cls and m.span.begin < head.idx]
    return Source(entity=max(named, key=lambda m: m.span.begin).entity) if named else None


def _source_at(head: Token, mentions: ArticleMentions, linker: Linker, hist: list[Source]) -> Source | None:
    described = _described_organisation(head, mentions)
    if described is not None:
        return described
    if head.pos_ == "PRON" or _is_bare_definite(head) or head.lower_ == "one":
        # 'Kishida, who hosted the summit, condemned the launch, which he said violated ...':
        # a person named earlier in the pronoun's own sentence comes before earlier sources
        back = _last_person(head, mentions, within=0) if head.lower_ in _PRONOUNS_SINGULAR else None
        back = back or _refer_back(head, hist)
        if back is None and head.lower_ in _PRONOUNS_SINGULAR:
            back = _last_person(head, mentions)
        if back is not None or head.pos_ == "PRON":
            return back
    return source_of(list(head.subtree), mentions, linker)


def _verb_cues(sent: Span, mentions: ArticleMentions, linker: Linker, hist: list[Source]) -> list[Cue]:
    cues: list[Cue] = []
    for t in sent:
        if t.pos_ not in ("VERB", "AUX") or t.lemma_.lower() not in REPORT_LEMMAS | RELAY_LEMMAS:
            continue
        subj = [c for c in t.children if c.dep_ == "nsubj"]
        agent = [g for c in t.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        anchor, whole = t, False
        # 'the officials sought to downplay it, noting that ...': the clause's subject
        up = t
        while not (subj or agent) and up.dep_ in _PARTICIPLE_DEPS and up.head.i != up.i:
            up = up.head
            subj = [c for c in up.children if c.dep_ == "nsubj"]
        # 'a spokesperson, quoted by KCNA, accused ...': the clause of the quoted subject
        if agent and t.dep_ == "acl" and t.head.dep_ in ("nsubj", "nsubjpass"):
            anchor, whole = t.head.head, True
        # 'In a statement carried by KCNA, Kim said ...': the clause the phrase modifies
        elif agent and t.dep_ == "acl" and t.head.dep_ == "pobj" and t.head.head.dep_ == "prep":
            anchor, whole = clause_verb(t.head.head.head), True
        # 'North Korea fired a missile, the JCS said': a report with no complement of its
        # own is about the clause it hangs on
        elif (
            t.dep_ in ("parataxis", "ccomp", "advcl", "conj")
            and t.i > t.head.i
            and not any(c.dep_ in _COMPLEMENTS for c in t.children)
        ):
            anchor, whole = t.head, True
        if t.lemma_.lower() in RELAY_LEMMAS and not agent:
            continue  # 'carried out a test' is no report; 'carried by KCNA' is
        heads = subj or agent
        if not heads:
            continue
        src = _source_at(heads[0], mentions, linker, hist)
        if src is None:
            continue
        hist.append(src)
        exclude = {x.i for x in heads[0].subtree}
        cues.append(Cue(src, anchor, exclude=exclude, denial=t.lemma_.lower() in _DENY, whole=whole))
        # 'Seoul and Tokyo said': each conjoined named source
        for c in heads[0].children:
            if c.dep_ == "conj" and (m := mentions.at(c)) is not None and m.entity.cls != PEN.WeaponSystem:
                cues.append(Cue(Source(entity=m.entity), anchor, exclude=exclude, whole=whole))
    return cues


def _according_cues(sent: Span, mentions: ArticleMentions, linker: Linker, hist: list[Source]) -> list[Cue]:
    cues: list[Cue] = []
    for t in sent:
        low = t.lower_
        if low == "to" and not (t.i > sent.start and t.doc[t.i - 1].lower_ == "according"):
            continue
        if low == "per" and t.i > sent.start and t.doc[t.i - 1].lower_ == "as":
            pass
        elif low not in ("to", "per", "citing", "quoting"):
            continue
        objs = [c for c in t.children if c.dep_ in ("pobj", "dobj")]
        if not objs:
            continue
        src = _source_at(objs[0], mentions, linker, hist)
        if src is None:
            continue
        # the clause the phrase modifies; 'according to X' may hang on 'according'
        prep = t.head if low == "to" and t.head.lower_ == "according" else t
        if low == "per" and t.head.lower_ == "as":
            prep = t.head
        anchor = clause_verb(prep.head) if prep.head.i != prep.i else sent.root
        cues.append(Cue(src, anchor, exclude={x.i for x in prep.subtree}))
    return cues


def _headline_cues(sent: Span, mentions: ArticleMentions, linker: Linker) -> list[Cue]:
    """A headline's attribution by a colon: '<what happened>: <source>' ('… new ICBM: state
    media') or '<source>: <what happened>'. The source side is a short phrase that names a
    source; the other side is its scope."""
    colons = [t for t in sent if t.text == ":"]
    if len(colons) != 1:
        return []
    colon = colons[0]
    before = [t for t in sent if t.i < colon.i and not (t.is_punct or t.is_space)]
    after = [t for t in sent if t.i > colon.i and not (t.is_punct or t.is_space)]
    for said_by, told in ((after, before), (before, after)):
        if not said_by or len(said_by) > _MAX_HEADLINE_SOURCE or len(told) <= len(said_by):
            continue
        src = source_of(said_by, mentions, linker)
        if src is None:
            continue
        anchor = min(told, key=lambda t: sum(1 for _ in t.ancestors))
        return [Cue(src, anchor, exclude={t.i for t in said_by} | {colon.i})]
    return []


_MAX_HEADLINE_SOURCE = 5  # words: 'South Korea's military', 'state media', 'Yonhap'


def attribution_of(
    sent: Span, mentions: ArticleMentions, linker: Linker, *, headline: bool = False
) -> Attribution:
    """Who the sentence says its facts come from (call once per sentence, in order: the
    sources found are remembered so that later pronouns can refer back to them). A
    ``headline`` may also give its source after or before a colon."""
    hist = _history(sent.doc)
    seen = list(hist)  # earlier sentences, then this one's sources as they are found
    according = _according_cues(sent, mentions, linker, seen)
    if headline:
        according += _headline_cues(sent, mentions, linker)
    seen += [c.source for c in according]
    verbs = _verb_cues(sent, mentions, linker, seen)
    cues: list[Cue] = []
    # an outlet named by 'according to'/'per' beside another source is the channel
    others = [c for c in verbs if not _outlet(c.source)]
    for c in according:
        if _outlet(c.source) and others:
            for o in others:
                if o.via is None:
                    o.via = c.source
        else:
            cues.append(c)
    for c in verbs:
        if not any(c.anchor.i == d.anchor.i and same_source(c.source, d.source) for d in cues):
            cues.append(c)
    for c in cues:
        if all(c.source is not h for h in hist):
            hist.append(c.source)
    main: Cue | None = None
    for c in cues:
        if main is None or (c.anchor.dep_ == "ROOT" and main.anchor.dep_ != "ROOT"):
            main = c
    if main is None:
        return Attribution(None, None, None, cues)
    return Attribution(main.source, main.via, main.anchor, cues)


def same_source(a: Source, b: Source) -> bool:
    """Whether two sources are the same: one entity, or one description of an unnamed source."""
    if a is b:
        return True
    if a.entity is not None and b.entity is not None:
        return a.entity.iri == b.entity.iri
    return a.entity is None and b.entity is None and a.description == b.description


def tokens_of(ev: EventFact, sent: Span) -> list[Token]:
    """The head tokens of an event's spans (and back-references) inside ``sent``."""
    doc = sent.doc
    out: list[Token] = []
    for sp in [*ev.spans, *ev.back_refs]:
        if sent.start_char <= sp.begin < sent.end_char:
            span = doc.char_span(sp.begin, sp.end, alignment_mode="expand")
            if span is not None and len(span):
                out.append(span.root)
    return out


def cues_for(tokens: Sequence[Token], cues: Sequence[Cue]) -> list[Cue]:
    """The cues whose scope holds the event's words, innermost first."""
    found: list[tuple[int, int, Cue]] = []
    for n, c in enumerate(cues):
        if any(c.covers(tok) for tok in tokens):
            found.append((-len(list(c.anchor.ancestors)), n, c))
    return [c for _, _, c in sorted(found, key=lambda x: (x[0], x[1]))]
