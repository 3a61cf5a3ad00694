"""The SPARQL tokenizer and the shape limits a query is checked against before it runs.

The tokenizer knows strings (all four quote forms), IRIs, comments, prefixed names and
variables, so that the checks of :mod:`kg.engine.query` see keywords, never substrings:
``"SERVICE"`` in a literal, ``ex:load`` or ``# FROM <x>`` are not mistaken for keywords,
while ``sErViCe`` is. :func:`check_shape` refuses a query nested too deep, with too many
elements in one group, too long a property path or too large an expression.

>>> [t.kind for t in tokenize('SELECT ?s WHERE { ?s a "x" }')]
['word', 'var', 'word', 'punct', 'var', 'word', 'string', 'punct']
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from kg.errors import QueryRefusedError

__all__ = ["QueryLimits", "Token", "check_shape", "tokenize"]

_PN_CHARS = r"[\w\u00b7\u0300-\u036f\u203f-\u2040-]"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_LOCAL = rf"(?:(?:{_PN_CHARS}|:|{_PLX})(?:(?:{_PN_CHARS}|[.:]|{_PLX})*(?:{_PN_CHARS}|:|{_PLX}))?)"
_TOKEN_RE = re.compile(
    rf"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>"{{3}}(?:[^"\\]|\\.|"(?!""))*"{{3}}|'{{3}}(?:[^'\\]|\\.|'(?!''))*'{{3}}
              |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{{4}}|\\U[0-9A-Fa-f]{{8}})*>)
  | (?P<var>[?$]{_PN_CHARS}+)
  | (?P<bnode>_:(?:{_PN_CHARS}(?:[\w.-]*[\w-])?))
  | (?P<pname>(?:[^\W\d_](?:[\w.-]*[\w-])?)?:{_LOCAL}?)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<number>\d*\.\d+(?:[eE][+-]?\d+)?|\d+(?:[eE][+-]?\d+)?)
  | (?P<word>[^\W\d]\w*)
  | (?P<punct>\^\^|\|\||&&|!=|<=|>=|.)
    """,
    re.X | re.S,
)
_OPEN = {"{": "}", "(": ")", "[": "]"}
_CLOSE = set(_OPEN.values())


class Token(NamedTuple):
    """One significant token. A named tuple, not a frozen dataclass: every request
    tokenizes its query, and building a frozen dataclass costs about five times as much
    (measured: 65 µs against 30 µs to tokenize a 26-token query)."""

    kind: str  # comment and whitespace are dropped; see _TOKEN_RE for the rest
    text: str
    start: int
    end: int
    depth: int  # number of open brackets ({ ( [) before this token

    def is_word(self, *words: str) -> bool:
        return self.kind == "word" and self.text.upper() in words


def tokenize(text: str) -> Iterator[Token]:
    """The significant tokens of a SPARQL query or update (no comments or whitespace).
    Never fails: characters it does not know become one-character ``punct`` tokens and the
    engine reports the syntax error."""
    depth = 0
    for match in _TOKEN_RE.finditer(text):
        kind = match.lastgroup or "punct"
        if kind == "ws" or kind == "comment":
            continue
        value = match.group()
        if kind == "punct":
            if value in _CLOSE:
                depth = max(depth - 1, 0)
            elif value in _OPEN:
                yield Token(kind, value, match.start(), match.end(), depth)
                depth += 1
                continue
        yield Token(kind, value, match.start(), match.end(), depth)


# --------------------------------------------------------------------- analysis


@dataclass(frozen=True)
class QueryLimits:
    """The shape a query may have before it reaches the engine (the settings
    ``max_query_depth``, ``max_expression_terms``, ``max_group_elements``,
    ``max_path_steps``). pyoxigraph 0.5 recurses over its algebra: a flat chain of 5,000 to
    10,000 ``||``, ``+``, UNIONs or MINUSes overflows the worker's stack (a segfault), and
    planning a group of a few hundred patterns, or a path of a thousand steps, takes minutes.
    ``group_elements`` None leaves groups unchecked (updates: INSERT DATA may be long)."""

    depth: int = 200
    expression_terms: int = 1000
    group_elements: int | None = 100
    path_steps: int = 100


# Binary operators of expressions and paths; each one adds a level to the engine's tree.
_CHAIN_OPS = frozenset({"||", "&&", "=", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "|", "^"})
_CHAIN_WORDS = frozenset({"UNION"})
_GROUP_WORDS = frozenset({"OPTIONAL", "MINUS", "FILTER", "BIND", "VALUES", "GRAPH", "SERVICE", "UNION"})
_PATTERN_SEPARATORS = frozenset({".", ";", ","})


class _Group:
    __slots__ = ("brace", "elements", "path", "terms")

    def __init__(self, brace: bool) -> None:
        self.brace = brace  # a group graph pattern { }, not ( ) or [ ]
        self.terms = 0
        self.elements = 1
        self.path = 0


def check_shape(tokens: Sequence[Token], limits: QueryLimits) -> None:
    """Refuse (``QueryRefusedError``) a query whose shape is past ``limits``: brackets
    nested too deep, a flat chain of operators too long in one bracket, too many patterns in
    one group, a property path of too many steps. One pass over the tokens."""
    depth = max((t.depth for t in tokens), default=0) + 1
    if tokens and depth > limits.depth:
        raise QueryRefusedError(
            f"the query nests brackets {depth} deep; this endpoint accepts at most {limits.depth}"
        )
    stack = [_Group(True)]
    for tok in tokens:
        group = stack[-1]
        text = tok.text
        if tok.kind == "punct":
            if text in _OPEN:
                stack.append(_Group(text == "{"))
                continue
            if text in _CLOSE:
                if len(stack) > 1:
                    inner = stack.pop()
                    if not inner.brace:  # a bracketed sub-path or sub-expression goes on
                        stack[-1].path += inner.path
                        _check_path(stack[-1], limits)
                continue
            if text in _CHAIN_OPS:
                group.terms += 1
                if group.terms > limits.expression_terms:
                    raise QueryRefusedError(
                        f"the query chains more than {limits.expression_terms} operators in one "
                        "expression or bracket; this endpoint accepts at most "
                        f"{limits.expression_terms} (split it, or use IN / VALUES)"
                    )
                if text in ("/", "|"):
                    group.path += 1
                    _check_path(group, limits)
                continue
            if group.brace and text in _PATTERN_SEPARATORS:
                group.path = 0
                _count_element(group, limits)
            continue
        if tok.kind == "word":
            word = text.upper()
            if word in _CHAIN_WORDS:
                group.terms += 1
                if group.terms > limits.expression_terms:
                    raise QueryRefusedError(
                        f"the query joins more than {limits.expression_terms} patterns by UNION in "
                        f"one group; this endpoint accepts at most {limits.expression_terms}"
                    )
            if group.brace and word in _GROUP_WORDS:
                group.path = 0
                _count_element(group, limits)


def _count_element(group: _Group, limits: QueryLimits) -> None:
    group.elements += 1
    if limits.group_elements is not None and group.elements > limits.group_elements:
        raise QueryRefusedError(
            f"a group {{ }} of the query holds more than {limits.group_elements} triple patterns, "
            f"OPTIONALs, MINUSes, FILTERs and BINDs; this endpoint accepts at most {limits.group_elements}"
        )


def _check_path(group: _Group, limits: QueryLimits) -> None:
    if group.path >= limits.path_steps:
        raise QueryRefusedError(
            f"the query has a property path (or a division chain) of more than {limits.path_steps} "
            f"steps; this endpoint accepts at most {limits.path_steps}"
        )
