"""Words that refer back to a place told before: 'the area', 'the region', 'the site',
'the same place', 'there' ('the launching ... came from the area', 'fired from there').

The referent is the land place (not a sea, a region or a state) named last, in the
sentence or the three before it. A facility's area is the place the article says the
facility lies in (``ArticleMentions.located_in``, from :mod:`kg.extract.facilities`): a
launch 'from the area' of a base is not said to be from the base itself, while 'the site'
or 'there' is the facility.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.mentions import ArticleMentions, sentences_back
from kg.facts import Entity
from kg.namespaces import PEN

__all__ = ["LAND_PLACES", "place_reference", "place_referred"]

_AREA_WORDS = {"area", "region", "vicinity", "surroundings", "neighbourhood", "neighborhood"}
_SITE_WORDS = {"site", "place", "location", "spot"}
_DEFINITE = {"the", "this", "that"}
LAND_PLACES = {PEN.Place, PEN.Settlement, PEN.AdministrativeRegion, PEN.MilitaryFacility}
_BACK_SENTENCES = 3  # how many sentences before the current one a back reference reaches


def place_reference(tok: Token) -> str | None:
    """Whether a word refers back to a place told before: 'the area', 'the region' (→
    'area'), 'the site', 'the same place', 'there' (→ 'site'); None otherwise."""
    if tok.lower_ == "there" and tok.pos_ in ("ADV", "PRON"):
        return "site"
    low = tok.lemma_.lower()
    if tok.pos_ != "NOUN" or tok.tag_ != "NN" or low not in _AREA_WORDS | _SITE_WORDS:
        return None
    kids = [c for c in tok.children if c.dep_ not in ("punct",)]
    if not any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in kids):
        return None
    if any(c.dep_ not in ("det", "amod") or (c.dep_ == "amod" and c.lower_ != "same") for c in kids):
        return None  # 'the Sunan area of Pyongyang', 'the launch site': a place of their own
    return "area" if low in _AREA_WORDS else "site"


def place_referred(mentions: ArticleMentions, tok: Token) -> Entity | None:
    """The place a back reference ('the area', 'the site', 'there') means: the land place
    named last, in its sentence or the three before. 'The area' of a facility is the place
    the article says it lies in (a launch 'from the area' of a base is not said to be from
    the base itself); 'the site' or 'there' is the facility."""
    kind = place_reference(tok)
    if kind is None:
        return None
    begin = sentences_back(tok, _BACK_SENTENCES).idx
    last: Entity | None = None
    for m in mentions.mentions:
        if m.span.begin >= tok.idx:
            break
        if m.span.begin >= begin and m.entity.cls in LAND_PLACES:
            last = m.entity
    if last is not None and last.cls == PEN.MilitaryFacility and kind == "area":
        return mentions.located_in.get(last.iri, last)
    return last
