"""Where a meeting takes place: places, and the territory a state's name stands for.

The shapes keep states out of ``pen:place`` (a state is an actor). When a meeting is told
to take place in a state ('talks were held in Sweden'), its place is the reference place
of that name if there is one ('in Singapore': the city), else the state's *territory*: a
place minted with the state's name and ``pen:locatedIn`` the state. A territory contains
every place of its state, so 'in Vietnam' and 'in Hanoi' can tell one meeting, and the
more specific place is kept.
"""

from __future__ import annotations

from collections.abc import Sequence

from kg.extract.eventbase import place_entity
from kg.extract.link import Linker
from kg.facts import Entity
from kg.namespaces import PEN, resource_iri

__all__ = ["contains", "event_place", "is_territory", "most_specific", "places_compatible", "territory"]


def territory(state: Entity, base: str) -> Entity:
    """The territory of a state: a pen:Place named like the state, located in it."""
    return Entity(
        iri=resource_iri("place", state.label, base=base),
        cls=PEN.Place,
        label=state.label,
        minted=True,
        state=state.iri,
    )


def is_territory(e: Entity) -> bool:
    """Whether ``e`` is the territory node of a state (a minted place that belongs to one)."""
    return e.minted and e.cls == PEN.Place and e.state is not None


def event_place(e: Entity, linker: Linker, written: str = "") -> Entity | None:
    """The place an entity named as a meeting's venue stands for: a place itself, the
    reference place a state's name also names ('Singapore'), the place of that state the
    words ``written`` name (a capital read as its state: 'in Seoul'), else the state's
    territory."""
    place = place_entity(e, linker)
    if place is None and e.cls == PEN.State:
        return linker.place_in(e.iri, written) or territory(e, linker.base)
    return place


def contains(outer: Entity, inner: Entity) -> bool:
    """Whether ``outer`` is a state's territory and ``inner`` another place of that state."""
    return is_territory(outer) and outer.iri != inner.iri and inner.state == outer.state


def places_compatible(a: Sequence[Entity], b: Sequence[Entity]) -> bool:
    """Whether two lists of places can be where one event took place: either is unknown,
    or a place of one is a place of the other or contains it."""
    if not a or not b:
        return True
    return any(x.iri == y.iri or contains(x, y) or contains(y, x) for x in a for y in b)


def most_specific(places: Sequence[Entity]) -> list[Entity]:
    """The places without those that contain another of them ('Hanoi', not 'Vietnam')."""
    return [p for p in places if not any(contains(p, q) for q in places)]
