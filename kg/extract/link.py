"""Linking: a name as written → one entity (a reference entity, or a minted one).

Order of attempts for a name: exact label or alias (case and punctuation folded) → demonym
→ metonym → partial name of a person already seen in the article → fuzzy match. Fuzzy
matching uses rapidfuzz's ``fuzz.ratio`` on folded names with a cut-off of
``FUZZY_THRESHOLD`` (and names of at least ``FUZZY_MIN_LENGTH`` characters): it accepts
one or two slips in a name ('Antony Binken' → 'Antony Blinken', 'Hwansong 12' →
'Hwasong-12', both ≈ 95) and rejects different names that share letters ('Kim Jong Un'
vs 'Kim Yo Jong' ≈ 73). A fuzzy match must also keep the distinguishing words: the two
names have the same words one for one, each pair alike (a slip), and numbers equal — so
'National Security Council' never becomes the 'United Nations Security Council' and
'Hwasong-14' never the 'Hwasong-15' (``same_words``). A name nothing matches is minted
with a deterministic IRI (``resource_iri('person', name)`` …).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from rdflib import URIRef

from kg.extract.annotate import EntryLike
from kg.facts import Entity
from kg.namespaces import PEN, local_name, resource_iri

__all__ = [
    "FUZZY_MIN_LENGTH",
    "FUZZY_THRESHOLD",
    "ArticleLinker",
    "Linker",
    "fold",
    "same_words",
]

FUZZY_THRESHOLD = 88.0
FUZZY_MIN_LENGTH = 5
# How alike two words must be to count as one word misspelt (fuzz.ratio): 'Binken' ~
# 'Blinken' (92), 'Hwansong' ~ 'Hwasong' (93); 'National' vs 'Nations' (80) is a different
# word in a name of three.
_WORD_THRESHOLD = 75.0

# Classes a name of a given spaCy label may link to (the gazetteer's own labels included).
_COMPATIBLE: dict[str, tuple[str, ...]] = {
    "PERSON": ("Person",),
    "ORG": (
        "Organisation",
        "GovernmentBody",
        "InternationalOrganisation",
        "NewsOutlet",
        "ThinkTank",
    ),
    "GPE": ("State", "Settlement", "AdministrativeRegion", "Place", "Region"),
    "LOC": ("Place", "AdministrativeRegion", "WaterBody", "Region", "Settlement", "MilitaryFacility"),
    "FAC": ("MilitaryFacility", "Place", "Settlement"),
    "WEAPON": ("WeaponSystem",),
}

_ORGANISATION_CLASSES = {
    PEN.Organisation,
    PEN.GovernmentBody,
    PEN.InternationalOrganisation,
    PEN.NewsOutlet,
    PEN.ThinkTank,
}

# The classes of places a state's name can stand for ('in Singapore': the city).
_TERRITORY_CLASSES = {"Settlement", "Place", "Region", "AdministrativeRegion"}

_MINT_KIND = {
    "Person": "person",
    "Organisation": "org",
    "GovernmentBody": "org",
    "NewsOutlet": "org",
    "ThinkTank": "org",
    "InternationalOrganisation": "org",
    "State": "state",
    "WeaponSystem": "weapon",
}


def fold(name: str) -> str:
    """A name folded for comparison: ASCII, lower case, no dots or apostrophe-s, hyphens
    as spaces, no leading 'the' ('The U.S.' → 'us', 'Hwasong-12' → 'hwasong 12')."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"['’]s\b", "", text)
    text = text.replace(".", "")
    text = re.sub(r"[-–_/,’']+", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\bdefence\b", "defense", text)  # British and American spellings meet
    return re.sub(r"^the ", "", text)


def same_words(a: str, b: str) -> bool:
    """Whether two folded names differ only by slips: the same words one for one, each
    pair alike, numbers equal ('antony binken' ~ 'antony blinken'; 'hwasong12' ~
    'hwasong 12'; not 'national security council' ~ 'united nations security council')."""
    if a.replace(" ", "") == b.replace(" ", ""):
        return True
    wa, wb = a.split(), b.split()
    if len(wa) != len(wb):
        return False
    for x, y in zip(wa, wb, strict=True):
        if x == y:
            continue
        if any(c.isdigit() for c in x + y) and re.sub(r"\D", "", x) != re.sub(r"\D", "", y):
            return False
        if fuzz.ratio(x, y) < _WORD_THRESHOLD:
            return False
    return True


def _entity(entry: EntryLike) -> Entity:
    cls = PEN[local_name(entry.cls)]
    state = URIRef(str(entry.state)) if entry.state else None
    wclass = PEN[local_name(entry.weapon_class)] if entry.weapon_class else None
    return Entity(iri=URIRef(str(entry.iri)), cls=cls, label=entry.label, state=state, weapon_class=wclass)


def place_class(name: str, ner_label: str) -> URIRef:
    """The class of a minted place, from its head word and the spaCy label."""
    words = set(fold(name).split())
    if words & {"sea", "ocean", "bay", "strait", "gulf", "waters", "channel", "river"}:
        return PEN.WaterBody
    if words & {"province", "prefecture", "county", "region", "district", "state", "island"}:
        return PEN.AdministrativeRegion
    if words & {"base", "site", "airport", "port", "facility", "airfield", "shipyard"}:
        return PEN.MilitaryFacility
    if ner_label == "GPE":
        return PEN.Settlement
    return PEN.Place


@dataclass
class Linker:
    """The reference entries indexed for linking; build once per base IRI."""

    base: str
    entries: Sequence[EntryLike]
    by_name: dict[str, Entity] = field(default_factory=dict)
    by_iri: dict[URIRef, Entity] = field(default_factory=dict)
    demonyms: dict[str, Entity] = field(default_factory=dict)
    metonyms: dict[str, Entity] = field(default_factory=dict)
    _fuzzy_names: dict[str, list[str]] = field(default_factory=dict)
    _name_tokens: dict[str, list[Entity]] = field(default_factory=dict)
    _kin: dict[tuple[str, URIRef], list[Entity]] = field(default_factory=dict)
    # places by name, apart from ``by_name``, where a state claims a name first: the city
    # of 'Singapore' is found here although the name links to the state
    _places: dict[str, Entity] = field(default_factory=dict)
    _places_of: dict[URIRef, list[tuple[list[str], Entity]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for entry in self.entries:
            ent = _entity(entry)
            self.by_iri[ent.iri] = ent
            for name in (entry.label, *entry.aliases):
                key = fold(name)
                # the first entry to claim a name keeps it (states before places etc. is the
                # reference data's order)
                self.by_name.setdefault(key, ent)
                self._fuzzy_names.setdefault(local_name(ent.cls), []).append(key)
                if local_name(ent.cls) in _TERRITORY_CLASSES:
                    self._places.setdefault(key, ent)
            if local_name(ent.cls) in _TERRITORY_CLASSES and ent.state is not None:
                names = [fold(n) for n in (entry.label, *entry.aliases)]
                self._places_of.setdefault(ent.state, []).append((names, ent))
            for name in entry.demonyms:
                self.demonyms.setdefault(fold(name), ent)
            for name in entry.metonyms:
                self.metonyms.setdefault(fold(name), ent)
            for relation, relative in entry.relatives:
                self._kin.setdefault((relation, URIRef(relative)), []).append(ent)
            if local_name(ent.cls) == "Person":
                for name in (entry.label, *entry.aliases):
                    # whole written words: 'Duck-soo' is one given name, not 'soo'
                    words = [fold(w) for w in name.split()]
                    for w in {words[0], words[-1]} if words else set():
                        bucket = self._name_tokens.setdefault(w, [])
                        if ent not in bucket:
                            bucket.append(ent)

    # -- lookups -------------------------------------------------------------------------

    def exact(self, name: str, classes: Iterable[str] | None = None) -> Entity | None:
        """The entity a name (case- and accent-folded) names exactly, if it is of one of ``classes``."""
        ent = self.by_name.get(fold(name))
        if ent is None:
            return None
        if classes is not None and local_name(ent.cls) not in set(classes):
            return None
        return ent

    def place(self, name: str) -> Entity | None:
        """The reference place (a settlement, region or other place, not a water body or
        facility) of that name, even when a state of the same name claims it first."""
        return self._places.get(fold(name))

    def place_in(self, state: URIRef, name: str) -> Entity | None:
        """The reference place of a state called ``name``, or whose name begins with it as
        a word: the capital a metonym names ('Seoul'; 'Washington' → 'Washington, D.C.')."""
        key = fold(name)
        if not key:
            return None
        places = self._places_of.get(state, [])
        for names, ent in places:
            if key in names:
                return ent
        for names, ent in places:
            if any(n.startswith(key + " ") for n in names):
                return ent
        return None

    def demonym(self, name: str) -> Entity | None:
        """The state of a demonym ('North Korean', 'Japanese')."""
        return self.demonyms.get(fold(name))

    def metonym(self, name: str) -> Entity | None:
        """The state a name stands for ('Pyongyang', 'Washington', 'the North')."""
        return self.metonyms.get(fold(name))

    def state(self, name: str) -> Entity | None:
        """The state a name or demonym denotes, if any."""
        ent = self.exact(name, ("State",)) or self.demonym(name)
        return ent

    def fuzzy(self, name: str, classes: Iterable[str]) -> Entity | None:
        """The entity of one of ``classes`` whose name is close to ``name`` (a typo or transliteration), if any is close enough."""
        key = fold(name)
        if len(key) < FUZZY_MIN_LENGTH:
            return None
        choices = [n for c in classes for n in self._fuzzy_names.get(c, [])]
        if not choices:
            return None
        for name, _score, _ in process.extract(
            key, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD, limit=5
        ):
            if same_words(key, name):
                return self.by_name[name]
        return None

    def relative(self, relation: str, of: URIRef) -> Entity | None:
        """The one person the reference data records as the ``relation`` ('sister') of the
        person ``of``; None when it records none, or several ('the son of Kim Il Sung'
        when he had more than one)."""
        found = self._kin.get((relation.lower(), of), [])
        return found[0] if len(found) == 1 else None

    def persons_named(self, token: str) -> list[Entity]:
        """Reference persons whose first or last name is ``token``."""
        return list(self._name_tokens.get(fold(token), []))

    # -- minting -------------------------------------------------------------------------

    def mint(self, cls: URIRef, name: str, part_of: Entity | None = None) -> Entity:
        """A new entity for a name the reference data does not know (deterministic IRI)."""
        kind = _MINT_KIND.get(local_name(cls), "place")
        label = re.sub(r"\s+", " ", name).strip()
        return Entity(
            iri=resource_iri(kind, label, base=self.base),
            cls=cls,
            label=label,
            minted=True,
            part_of=part_of.iri if part_of else None,
            state=part_of.iri if part_of else None,
        )


@dataclass
class ArticleLinker:
    """Linking within one article: remembers the persons named so far, so that a later
    partial name ('Blinken', 'Kim') resolves to the person named in full before."""

    linker: Linker
    persons: list[Entity] = field(default_factory=list)
    organisations: list[Entity] = field(default_factory=list)

    def remember(self, ent: Entity) -> None:
        """Keeps ``ent`` as the most recent person or organisation, which a later pronoun or title may refer back to."""
        if ent.cls == PEN.Person:
            if ent in self.persons:
                self.persons.remove(ent)
            self.persons.append(ent)  # most recent last
        elif ent.cls in _ORGANISATION_CLASSES:
            if ent in self.organisations:
                self.organisations.remove(ent)
            self.organisations.append(ent)

    def described(self, description: str) -> Entity | None:
        """The organisation named before that a description repeats the head words of
        ('the fifteen-member security council' after 'the United Nations Security
        Council'): the most recent whose name ends in the description's last two words."""
        words = fold(description).split()
        if len(words) < 2:
            return None
        for ent in reversed(self.organisations):
            if fold(ent.label).split()[-2:] == words[-2:]:
                return ent
        return None

    def partial(self, name: str, *, seen_only: bool = False) -> Entity | None:
        """A person by one or two of their names: the most recent person of the article
        whose name holds them, else the one reference person so named."""
        words = fold(name).split()
        if not words or len(words) > 2:
            return None
        for ent in reversed(self.persons):
            names = fold(ent.label).split()
            if all(w in names for w in words):
                return ent
        for ent in reversed(self.persons):
            names = fold(ent.label).split()
            if len(words) == 1 and any(
                len(w) >= FUZZY_MIN_LENGTH and fuzz.ratio(words[0], w) >= FUZZY_THRESHOLD for w in names
            ):
                return ent
        if len(words) == 1 and not seen_only:
            found = self.linker.persons_named(words[0])
            if len(found) == 1:
                return found[0]
        return None

    def link_name(self, name: str, ner_label: str) -> tuple[Entity, str] | None:
        """Resolve a name of spaCy label ``ner_label``; None when nothing matches (the
        caller decides whether to mint)."""
        classes = _COMPATIBLE.get(ner_label)
        ent = self.linker.exact(name, classes)
        if ent is not None:
            return ent, "exact"
        if ner_label in ("NORP", "GPE"):
            state = self.linker.demonym(name)
            if state is not None:
                return state, "demonym"
        if ner_label in ("GPE", "LOC", "ORG", "NORP"):
            state = self.linker.metonym(name)
            if state is not None:
                return state, "metonym"
        if ner_label in ("PERSON", "GPE", "LOC", "ORG", "NORP"):
            person = self.partial(name)
            if person is not None:
                return person, "partial"
        if classes:
            ent = self.linker.fuzzy(name, classes)
            if ent is not None:
                return ent, "fuzzy"
        return None
