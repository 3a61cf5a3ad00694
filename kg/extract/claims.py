"""Attribution and claims of one sentence.

A sentence's sources are found by *cues*, each with the words it governs (its scope):

- the subject of a reporting verb ('the Defence Ministry said', 'Yonhap reported'), the
  agent of a passive one ('were confirmed by two senior officials', 'quoted by KCNA'); the
  scope is the verb's clause;
- the object of 'according to' / 'as per' / 'per' / 'citing'; the scope is the clause the
  phrase modifies ('Before talking to X, as per ABC News, A and B met' → the meeting);
- a participle or adverbial clause that reports ('the officials sought to downplay it,
  noting that ...') takes the subject of the clause it hangs on.

An event told in the sentence gets a claim by the source of the innermost cue whose scope
holds the event's words; an event outside every scope (the article's own voice: 'the North
has not tested since 2018, although analysts believe ...') gets no claim — the article's
voice is not a source. An outlet beside another source ('X said, according to Yonhap') is
the channel (``via``); alone, it is the source. A pronoun or a bare definite subject ('he
said', 'the officials added') refers back to the latest source of the article that fits.

Sentences that say an event does or does not break a ban or resolution give a compliance
claim ('didn't appear to violate a UN ban', 'not covered by UN Security Council
resolutions', 'in violation of UN resolutions'), hedged when the words hedge, by the
sentence's source even when the clause that says it has none of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from kg.extract.entities import ArticleMentions, sentence_span
from kg.extract.modality import is_hedged
from kg.extract.sources import SOURCE_NOUNS, source_of
from kg.extract.types import Claim, Entity, EventFact, Source, TextSpan
from kg.link import Linker
from kg.namespaces import PEN

__all__ = ["Attribution", "Cue", "attribution_of", "compliance_claims", "instrument_of", "sentence_claims"]

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
_VIOLATION_VERBS = {"violate", "breach", "defy", "contravene", "flout", "break"}
_COVER_VERBS = {"cover", "prohibit", "ban", "forbid", "bar"}
_VIOLATION_NOUNS = {"violation", "breach", "defiance", "contravention"}
_INSTRUMENT = re.compile(
    r"(?:U\.?N\.?|United Nations)(?: Security Council)?(?: resolutions?| bans?| sanctions)?"
    r"|Security Council (?:resolutions?|bans?|sanctions)|(?:international|U\.?N\.?) (?:constraints|law|sanctions)"
    r"|\bresolutions? \d{3,4}",
)
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
        if tok.i in self.exclude:
            return False
        if tok.i == self.anchor.i:
            return self.whole
        below = tok
        for a in tok.ancestors:
            if a.i == self.anchor.i:
                return self.whole or below.dep_ in _SCOPE_DEPS
            below = a
        return False

    def scope(self) -> list[Token]:
        return [t for t in self.anchor.subtree if self.covers(t)]


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


def _clause_verb(tok: Token) -> Token:
    """The verb (or root) a modifier hangs on."""
    t = tok
    while t.pos_ not in ("VERB", "AUX") and t.head.i != t.i:
        t = t.head
    return t


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


def _last_person(head: Token, mentions: ArticleMentions) -> Source | None:
    """'He said': the person named last in the sentence or the two before it."""
    sent = head.sent
    first = sent.start
    for _ in range(2):
        if first > 0:
            first = head.doc[first - 1].sent.start
    for i in range(head.i - 1, first - 1, -1):
        m = mentions.at(head.doc[i])
        if m is not None and m.entity.cls == PEN.Person:
            return Source(entity=m.entity)
    return None


def _source_at(head: Token, mentions: ArticleMentions, linker: Linker, hist: list[Source]) -> Source | None:
    if head.pos_ == "PRON" or _is_bare_definite(head) or head.lower_ == "one":
        back = _refer_back(head, hist)
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
            anchor, whole = _clause_verb(t.head.head.head), True
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
        anchor = _clause_verb(prep.head) if prep.head.i != prep.i else sent.root
        cues.append(Cue(src, anchor, exclude={x.i for x in prep.subtree}))
    return cues


def attribution_of(sent: Span, mentions: ArticleMentions, linker: Linker) -> Attribution:
    """Who the sentence says its facts come from (call once per sentence, in order: the
    sources found are remembered so that later pronouns can refer back to them)."""
    hist = _history(sent.doc)
    seen = list(hist)  # earlier sentences, then this one's sources as they are found
    according = _according_cues(sent, mentions, linker, seen)
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
        if not any(c.anchor.i == d.anchor.i and _same_source(c.source, d.source) for d in cues):
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


def _same_source(a: Source, b: Source) -> bool:
    if a is b:
        return True
    if a.entity is not None and b.entity is not None:
        return a.entity.iri == b.entity.iri
    return a.entity is None and b.entity is None and a.description == b.description


def _tokens_of(ev: EventFact, sent: Span) -> list[Token]:
    doc = sent.doc
    out: list[Token] = []
    for sp in [*ev.spans, *ev.back_refs]:
        if sent.start_char <= sp.begin < sent.end_char:
            span = doc.char_span(sp.begin, sp.end, alignment_mode="expand")
            if span is not None and len(span):
                out.append(span.root)
    return out


def _cues_for(tokens: Sequence[Token], cues: Sequence[Cue]) -> list[Cue]:
    """The cues whose scope holds the event's words, innermost first."""
    found: list[tuple[int, int, Cue]] = []
    for n, c in enumerate(cues):
        if any(c.covers(tok) for tok in tokens):
            found.append((-len(list(c.anchor.ancestors)), n, c))
    return [c for _, _, c in sorted(found, key=lambda x: (x[0], x[1]))]


def _speaker_is(ev: EventFact, src: Source) -> bool:
    if src.entity is None:
        return ev.speaker_source is not None and _same_source(ev.speaker_source, src)
    return any(e.iri == src.entity.iri for e in ev.roles.get("speaker", []))


def _reported_statement(ev: EventFact, tokens: Sequence[Token], cue: Cue) -> bool:
    """A statement is a source's claim only when the cue reports it directly ('quoted by
    KCNA, accused', 'KCNA reported that she threatened') and the source is not its speaker."""
    if _speaker_is(ev, cue.source):
        return False
    a = cue.anchor.i
    return any(t.i == a or (t.head.i == a and t.dep_ in ("ccomp", "conj")) for t in tokens)


# words that name a launch or a nuclear test the sentence does not tell as an event
_FAMILY_WORDS = {
    "launch": {"missile", "rocket", "launch", "firing", "projectile", "icbm", "slbm"},
    "nuclear-test": {"blast", "explosion", "detonation", "device", "bomb", "tremor", "quake", "earthquake"},
}
_BACK_WORDS = {"it", "they", "same", "incident", "test", "tests", "testing"}
_EVENTS_KEY = "kg.claims.events"


def _events_so_far(doc: Doc) -> list[EventFact]:
    seen = doc.user_data.get(_EVENTS_KEY)
    if not isinstance(seen, list):
        seen = []
        doc.user_data[_EVENTS_KEY] = seen
    return seen


def _named_event(cue: Cue, seen: Sequence[EventFact]) -> EventFact | None:
    """The launch or nuclear test the clause a cue reports is about when the sentence
    names it without telling it: its subject or object, or their possessor, is a word for
    one ('the South Korean military said it flew 950 km', 'officials downplayed the
    missiles', 'the agency estimated its yield'). A pronoun or 'the same' is the latest
    such event of the article; a noun the first (the lead event), of its family."""
    clause = [cue.anchor]
    clause += [c for c in cue.anchor.children if c.dep_ in ("ccomp", "xcomp") and c.i not in cue.exclude]
    for verb in clause:
        for c in verb.children:
            if c.i in cue.exclude or c.dep_ not in ("nsubj", "nsubjpass", "dobj"):
                continue
            for w in [c, *[p for p in c.children if p.dep_ == "poss"]]:
                lemma = w.lemma_.lower()
                nuclear = any(m.lower_ == "nuclear" for m in w.children)
                actual = [e for e in seen if e.modality == "actual"]
                if lemma in _BACK_WORDS or w.pos_ == "PRON":
                    if lemma not in _BACK_WORDS and lemma not in ("its", "their"):
                        continue
                    fams = ("nuclear-test",) if nuclear else ("launch", "nuclear-test")
                    hits = [e for e in actual if _family(e) in fams]
                    if hits:
                        return hits[-1]
                    continue
                for fam, words in _FAMILY_WORDS.items():
                    if lemma in words or (fam == "nuclear-test" and nuclear):
                        hits = [e for e in actual if _family(e) == fam]
                        if hits:
                            return hits[0]
    return None


def _family(ev: EventFact) -> str:
    return {"test": "launch"}.get(ev.kind, ev.kind)


def _hedge_scope(cue: Cue, cues: Sequence[Cue]) -> list[Token]:
    """The cue's words without those of another cue nested in it."""
    inner = [c for c in cues if c is not cue and c.anchor.i != cue.anchor.i and cue.covers(c.anchor)]
    return [t for t in cue.scope() if not any(c.covers(t) for c in inner)]


def sentence_claims(
    sent: Span,
    attribution: Attribution,
    told: Sequence[EventFact],
    salient: Callable[[str], EventFact | None],
    linker: Linker,
) -> list[Claim]:
    """The claims of one sentence: for each told event, one by each source whose cue is
    the innermost over some of the event's words; a claim about the article's launch or
    nuclear test when a cue's clause names one the sentence does not tell; and the
    compliance claims. ``salient(family)`` is the article's latest event of a family."""
    sb, se = sentence_span(sent)
    seen = _events_so_far(sent.doc)
    claims: list[Claim] = []
    compliance = compliance_claims(sent, attribution, None, told=told, salient=salient)
    for claim, words in compliance:
        claim.instrument = instrument_of(words, linker)
    violators = {id(c.about) for c, _ in compliance if c.about is not None}
    violating_words = _violation_scopes(sent)
    covered: set[int] = set()

    def add(cue: Cue, ev: EventFact) -> None:
        if any(c.about is ev and _same_source(c.source, cue.source) for c in claims):
            return
        polarity = ev.modality != "negated"
        if cue.denial:
            polarity = not polarity
        claims.append(
            Claim(
                source=cue.source,
                about=ev,
                span=TextSpan(sb, se, sb, se),
                gist=sent.text.strip(),
                polarity=polarity,
                hedged=is_hedged(_hedge_scope(cue, attribution.cues)),
                via=cue.via.entity if cue.via is not None else None,
                confidence=0.7,
            )
        )
        covered.add(id(cue))

    for ev in told:
        tokens = _tokens_of(ev, sent)
        if not tokens:
            continue
        # told only as what breaks (or not) a resolution: the compliance claim says it
        if id(ev) in violators and all(t.i in violating_words for t in tokens):
            continue
        for tok in tokens:
            for cue in _cues_for([tok], attribution.cues):
                if ev.kind == "statement" and not _reported_statement(ev, tokens, cue):
                    continue
                add(cue, ev)
                break
    for ev in told:
        if all(e is not ev for e in seen):
            seen.append(ev)
    for cue in attribution.cues:
        if id(cue) in covered:
            continue
        named = _named_event(cue, seen)
        if named is not None and all(e is not named for e in told):
            add(cue, named)
    return claims + [c for c, _ in compliance]


def instrument_of(words: str, linker: Linker) -> Entity | None:
    """The body whose resolutions or ban a compliance claim names: the UN Security Council
    when the words say UN, United Nations, Security Council or a numbered resolution."""
    if re.search(r"U\.?N\.?|United Nations|Security Council|resolutions? \d", words):
        return linker.exact("UN Security Council", ("InternationalOrganisation", "Organisation"))
    return None


def _negated_around(tok: Token) -> bool:
    chain = [tok, *list(tok.ancestors)[:2]]
    return any(any(c.dep_ == "neg" for c in v.children) for v in chain)


def _violation_word(t: Token) -> bool | None:
    """Whether the word says a breach (True), says none (False), or is no such word (None)."""
    lemma = t.lemma_.lower()
    if t.pos_ in ("VERB", "AUX") and lemma in _VIOLATION_VERBS:
        return not _negated_around(t)
    if t.pos_ in ("VERB", "AUX") and lemma in _COVER_VERBS:
        # 'not covered by UN resolutions' says the act is allowed; 'banned by' that it is not
        if not any(c.dep_ in ("agent", "auxpass", "nsubjpass") for c in t.children):
            return None
        return not _negated_around(t)
    if t.pos_ == "NOUN" and lemma in _VIOLATION_NOUNS:
        return not _negated_around(t)
    return None


def _violator(t: Token) -> Token | None:
    """What is said to break the ban: the subject of the verb, or the clause 'in violation
    of' hangs on."""
    if t.pos_ in ("VERB", "AUX"):
        subj = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass", "csubj", "csubjpass")]
        if subj:
            return subj[0]
        # 'appear to violate': the subject of the raising verb
        head = t
        while head.dep_ in ("xcomp", "ccomp") and head.head.i != head.i:
            head = head.head
            subj = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subj:
                return subj[0]
        return None
    head = t.head
    while head.pos_ not in ("VERB", "AUX", "NOUN") and head.head.i != head.i:
        head = head.head
    return head


def _violation_scopes(sent: Span) -> set[int]:
    out: set[int] = set()
    for t in sent:
        if _violation_word(t) is not None and t.pos_ in ("VERB", "AUX"):
            out |= {x.i for x in t.subtree}
            v = _violator(t)  # 'the launch does not appear to violate ...'
            if v is not None and v.pos_ != "VERB":
                out |= {x.i for x in v.subtree}
    return out


def _compliance_cue(tok: Token, attribution: Attribution) -> Cue | None:
    """The cue whose scope holds the compliance words, else the sentence's main one."""
    inner = _cues_for([tok], attribution.cues)
    if inner:
        return inner[0]
    if attribution.source is not None:
        return next((c for c in attribution.cues if c.source is attribution.source), None)
    return None


def compliance_claims(
    sent: Span,
    attribution: Attribution,
    about: EventFact | None,
    *,
    told: Sequence[EventFact] = (),
    salient: Callable[[str], EventFact | None] | None = None,
) -> list[tuple[Claim, str]]:
    """Compliance claims of a sentence, each with the instrument's words as written.

    The claim is about the launch the violating words are said of: an event told by them
    ('the tests violate UN resolutions'), or, for a word that refers back ('it', 'the
    incident', 'they', 'launching cruise missiles'), the launch told in the sentence,
    ``about``, or the article's latest launch. Acts that are not launches ('continuing to
    build missiles in violation of ...') give no claim."""
    sb, se = sentence_span(sent)
    out: list[tuple[Claim, str]] = []
    m = _INSTRUMENT.search(sent.text)
    if m is None:
        return out
    for t in sent:
        violates = _violation_word(t)
        if violates is None:
            continue
        target = _violation_target(t, sent, told, about, salient)
        if target is None:
            continue
        cue = _compliance_cue(t, attribution)
        if cue is None:
            continue  # a claim needs its source; the article's own voice is not one
        claim = Claim(
            source=cue.source,
            about=target,
            span=TextSpan(sb, se, sb, se),
            gist=sent.text.strip(),
            polarity=True,
            hedged=is_hedged(list(sent)),
            via=cue.via.entity if cue.via is not None else None,
            compliance=True,
            violates=violates,
            confidence=0.6,
        )
        out.append((claim, m.group(0)))
        break
    return out


_REFERS_BACK = {"it", "they", "this", "that", "these", "those", "which", "incident", "move", "act", "same"}
_LAUNCH_LEMMAS = {"launch", "test", "fire", "firing", "testing", "missile", "rocket", "shot", "projectile"}


def _violation_target(
    t: Token,
    sent: Span,
    told: Sequence[EventFact],
    about: EventFact | None,
    salient: Callable[[str], EventFact | None] | None,
) -> EventFact | None:
    launches = [e for e in told if e.kind in ("launch", "test")]
    fallback = (
        launches[0] if launches else about if about is not None else salient("launch") if salient else None
    )
    v = _violator(t)
    if v is None:
        return fallback
    words = {x.i for x in v.subtree} if v.pos_ != "VERB" else {v.i}
    for ev in told:
        if any(tok.i in words for tok in _tokens_of(ev, sent)):
            return ev if ev.kind in ("launch", "test", "nuclear-test") else None
    lemmas = {x.lemma_.lower() for x in (v.subtree if v.pos_ != "VERB" else [v])}
    if lemmas & (_LAUNCH_LEMMAS | _REFERS_BACK):
        return fallback
    return None
