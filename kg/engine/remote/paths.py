"""Closure paths expanded before a query goes to the store, around a Virtuoso 7.2 bug.

Virtuoso 7.2 evaluates a property path inside an OPTIONAL, or in a sub-select joined on a
variable already bound, for some bindings only, and which ones depends on the plan it
picks (docs/decisions/0016-remote-store.md, "Canned queries on Virtuoso"). The same path
asked alone, at the top of a query, is answered right. So a triple pattern
``?x <p>* <o>`` or ``?x <p>+ <o>`` (one IRI as predicate, a constant object, outside any
``GRAPH``) is replaced by ``VALUES ?x { … }``, the subjects the store gives for that path
alone in the same dataset (left as it is when one is a blank node, which ``VALUES`` cannot
name): the same solutions by definition (SPARQL 1.1 §18.2.2.4: a path
pattern's solutions are the bindings of its variable), so the same rows on any store.

>>> expand_closures(
...     "SELECT ?e WHERE { ?e a ?c . ?c <urn:sub>* <urn:Event> . }", {}, None,
...     lambda p, op, o: ["urn:Event", "urn:Launch"])
'SELECT ?e WHERE { ?e a ?c . VALUES ?c { <urn:Event> <urn:Launch> } . }'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from kg.engine.query import Token, tokenize
from kg.engine.remote.layout import resolve

__all__ = ["Closure", "expand_closures"]

# (predicate, "*" or "+", object) -> its subjects, or None to leave the path as it is
Closure = Callable[[str, str, str], Sequence[str] | None]
_TRIPLE_START = {".", "{", "}"}
_TRIPLE_END = {".", "}"}


def expand_closures(text: str, prefixes: Mapping[str, str], base_iri: str | None, closure: Closure) -> str:
    """``text`` with each closure path pattern outside ``GRAPH`` replaced by the ``VALUES``
    block of its subjects, which ``closure`` gives."""
    tokens = list(tokenize(text))
    in_graph: list[bool] = []  # per open brace: inside a GRAPH block
    cuts: list[tuple[int, int, str]] = []
    for i, tok in enumerate(tokens):
        if tok.text == "{" and tok.kind == "punct":
            opened_by_graph = i >= 2 and tokens[i - 2].is_word("GRAPH")
            in_graph.append(opened_by_graph or (bool(in_graph) and in_graph[-1]))
        elif tok.text == "}" and tok.kind == "punct" and in_graph:
            in_graph.pop()
        elif tok.text in ("*", "+") and not (in_graph and in_graph[-1]):
            found = _closure_pattern(tokens, i, prefixes, base_iri)
            if found is not None:
                var, predicate, obj = found
                found_subjects = closure(predicate, tok.text, obj)
                if found_subjects is None:
                    continue
                subjects = list(found_subjects)
                if tok.text == "*" and obj not in subjects:
                    subjects.insert(0, obj)  # the zero-length match
                block = " ".join(f"<{s}>" for s in subjects)
                cuts.append((tokens[i - 2].start, tokens[i + 1].end, f"VALUES {var} {{ {block} }}"))
    for start, end, replacement in reversed(cuts):
        text = text[:start] + replacement + text[end:]
    return text


def _closure_pattern(
    tokens: Sequence[Token], i: int, prefixes: Mapping[str, str], base_iri: str | None
) -> tuple[str, str, str] | None:
    """(variable, predicate, object) when the ``*``/``+`` at ``i`` closes a whole triple
    pattern ``?x <p>* <o>`` standing by itself."""
    if i < 3 or i + 2 >= len(tokens):
        return None
    subject, predicate, obj = tokens[i - 2], tokens[i - 1], tokens[i + 1]
    if (
        subject.kind != "var"
        or tokens[i - 3].text not in _TRIPLE_START
        or tokens[i + 2].text not in _TRIPLE_END
    ):
        return None
    p = resolve(predicate.kind, predicate.text, prefixes, base_iri)
    o = resolve(obj.kind, obj.text, prefixes, base_iri)
    return None if p is None or o is None else (subject.text, p, o)
