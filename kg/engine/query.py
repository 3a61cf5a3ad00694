"""The query core: check a SPARQL request, run it under limits, return serialised bytes.

Nothing here knows HTTP. ``run_query`` takes the query text, the protocol dataset and the
output format chosen by the caller, and returns a ``Result`` (bytes, media type, flags), or
raises ``QueryError`` (the engine's message), ``QueryRefusedError`` (SERVICE, LOAD, a graph
outside the store, nesting too deep) or ``QueryTimeoutError``.

Checks run on the token stream of :mod:`kg.engine.tokens`, not on substrings, and the
shape limits are checked there too.

>>> plan = analyse("PREFIX ex: <http://ex/> SELECT * FROM ex:g WHERE { ?s ?p ?o }")
>>> plan.form, plan.dataset_graphs
('SELECT', ('http://ex/g',))
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urljoin

from kg.engine.formats import FORM_KIND, Kind, OutputFormat
from kg.engine.interface import Engine, Result
from kg.engine.jobs import QueryJob
from kg.engine.tokens import QueryLimits, Token, check_shape, tokenize
from kg.errors import QueryError, QueryRefusedError

__all__ = [
    "QueryPlan",
    "UpdatePlan",
    "analyse",
    "analyse_update",
    "run_query",
]

_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_PN_ESCAPE = re.compile(r"\\(.)")


@dataclass(frozen=True)
class QueryPlan:
    """What the checks found in a query, and the text to give the engine (with the row
    cap applied to a SELECT as a LIMIT)."""

    text: str
    form: str | None  # SELECT, ASK, CONSTRUCT, DESCRIBE, or None when not recognised
    dataset_graphs: tuple[str, ...] = ()  # graphs named by FROM / FROM NAMED
    prefixes: Mapping[str, str] = field(default_factory=dict)
    limit_applied: bool = False  # the text carries LIMIT max_rows+1 of ours

    @property
    def kind(self) -> Kind | None:
        return FORM_KIND.get(self.form) if self.form else None


@dataclass(frozen=True)
class UpdatePlan:
    """A checked update, with protocol ``using-graph-uri``/``using-named-graph-uri`` turned
    into ``USING`` clauses of each operation that can take them."""

    text: str


class _Scan:
    """One pass over the tokens: prefixes, base, depth, and the refused constructs."""

    def __init__(self, text: str, *, limits: QueryLimits, allow_list: Sequence[str]) -> None:
        self.tokens = list(tokenize(text))
        self.prefixes: dict[str, str] = {}
        self.base: str | None = None
        self.allow = set(allow_list)
        check_shape(self.tokens, limits)
        self._declarations()

    def _declarations(self) -> None:
        toks = self.tokens
        for i, tok in enumerate(toks[:-1]):
            if tok.is_word("PREFIX") and i + 2 < len(toks) and toks[i + 1].kind == "pname":
                if toks[i + 2].kind == "iri":
                    self.prefixes[toks[i + 1].text[:-1]] = self._iri_text(toks[i + 2])
            elif tok.is_word("BASE") and toks[i + 1].kind == "iri":
                self.base = self._iri_text(toks[i + 1])

    def _iri_text(self, tok: Token) -> str:
        raw = _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), tok.text[1:-1])
        return urljoin(self.base, raw) if self.base else raw

    def resolve(self, tok: Token) -> str | None:
        """The absolute IRI a token names, or None (a variable, or an unknown prefix)."""
        if tok.kind == "iri":
            return self._iri_text(tok)
        if tok.kind == "pname":
            prefix, _, local = tok.text.partition(":")
            if prefix in self.prefixes:
                return self.prefixes[prefix] + _PN_ESCAPE.sub(r"\1", local)
        return None

    def refuse_outbound(self) -> None:
        """SERVICE (unless its endpoint is allowed) and LOAD: both make the engine fetch."""
        toks = self.tokens
        for i, tok in enumerate(toks):
            if tok.is_word("LOAD"):
                raise QueryRefusedError("LOAD is refused: this endpoint does not fetch remote data")
            if tok.is_word("SERVICE"):
                j = i + 1
                if j < len(toks) and toks[j].is_word("SILENT"):
                    j += 1
                target = self.resolve(toks[j]) if j < len(toks) else None
                if target is None:
                    raise QueryRefusedError(
                        "SERVICE is refused: its endpoint must be an IRI on this endpoint's federation allow-list"
                    )
                if target not in self.allow:
                    raise QueryRefusedError(
                        f"SERVICE <{target}> is refused: federated queries may only call endpoints "
                        "on the operator's allow-list"
                    )

    def dataset_graphs(self) -> list[str]:
        toks = self.tokens
        graphs: list[str] = []
        for i, tok in enumerate(toks):
            if tok.is_word("FROM") and tok.depth == 0:
                j = i + 2 if i + 1 < len(toks) and toks[i + 1].is_word("NAMED") else i + 1
                iri = self.resolve(toks[j]) if j < len(toks) else None
                if iri is None:
                    raise QueryError("FROM must name a graph by an IRI")
                graphs.append(iri)
        return graphs

    def form(self) -> str | None:
        for tok in self.tokens:
            if tok.depth == 0 and tok.is_word(*FORM_KIND):
                return tok.text.upper()
        return None


def analyse(
    text: str,
    *,
    max_depth: int = 200,
    allow_list: Sequence[str] = (),
    max_rows: int | None = None,
    limits: QueryLimits | None = None,
) -> QueryPlan:
    """Check a query before it reaches the engine.

    Raises ``QueryRefusedError`` for LOAD, for SERVICE to an endpoint not in
    ``allow_list``, and for nesting deeper than ``max_depth`` (pyoxigraph 0.5 crashes on a
    few thousand nested brackets). For a SELECT and a ``max_rows``, the returned text asks
    the engine for at most ``max_rows + 1`` rows, so that truncation can be detected.
    ``limits`` (default: ``QueryLimits(depth=max_depth)``) also bounds flat operator chains,
    groups and paths (see ``check_shape``)."""
    scan = _Scan(text, limits=limits or QueryLimits(depth=max_depth), allow_list=allow_list)
    scan.refuse_outbound()
    form = scan.form()
    graphs = scan.dataset_graphs()
    out = text
    limited = False
    if form == "SELECT" and max_rows is not None:
        out, limited = _cap_select(text, scan.tokens, max_rows)
    return QueryPlan(out, form, tuple(graphs), dict(scan.prefixes), limited)


def _cap_select(text: str, tokens: Sequence[Token], max_rows: int) -> tuple[str, bool]:
    """Put ``LIMIT max_rows+1`` on the outermost SELECT: replace a larger top-level LIMIT,
    keep a smaller one, or add one before a trailing VALUES block (or at the end)."""
    cut = max_rows + 1
    top = [t for t in tokens if t.depth == 0]
    for i, tok in enumerate(top):
        if tok.is_word("LIMIT") and i + 1 < len(top) and top[i + 1].kind == "number":
            num = top[i + 1]
            if int(float(num.text)) <= max_rows:
                return text, False
            return text[: num.start] + str(cut) + text[num.end :], True
    values = next((t for t in top if t.is_word("VALUES")), None)
    if values is not None:
        return text[: values.start] + f"LIMIT {cut}\n" + text[values.start :], True
    return text + f"\nLIMIT {cut}\n", True


def analyse_update(
    text: str,
    *,
    max_depth: int = 200,
    allow_list: Sequence[str] = (),
    using_graphs: Sequence[str] = (),
    using_named_graphs: Sequence[str] = (),
    limits: QueryLimits | None = None,
) -> UpdatePlan:
    """Check an update: LOAD and SERVICE are refused as in queries; protocol
    ``using-graph-uri``/``using-named-graph-uri`` conflict with ``USING``/``WITH`` in the
    text (SPARQL 1.1 Protocol §2.2.3) and are otherwise added to each DELETE/INSERT
    operation as ``USING`` clauses. Groups are not counted (INSERT DATA may be long)."""
    limits = limits or QueryLimits(depth=max_depth)
    scan = _Scan(text, limits=replace(limits, group_elements=None), allow_list=allow_list)
    scan.refuse_outbound()
    if not using_graphs and not using_named_graphs:
        return UpdatePlan(text)
    if any(t.is_word("USING", "WITH") for t in scan.tokens):
        raise QueryError(
            "using-graph-uri/using-named-graph-uri cannot be combined with USING or WITH in the update"
        )
    clause = "".join(f"USING <{g}> " for g in using_graphs)
    clause += "".join(f"USING NAMED <{g}> " for g in using_named_graphs)
    out: list[str] = []
    last = 0
    in_modify = False
    previous: Token | None = None
    for tok in (t for t in scan.tokens if t.depth == 0):
        if tok.is_word("INSERT", "DELETE"):
            in_modify = True
        elif tok.is_word("WHERE") and in_modify:
            # DELETE WHERE {...} is a shorthand that takes no USING clause
            if previous is None or not previous.is_word("DELETE"):
                out.append(text[last : tok.start] + clause)
                last = tok.start
            in_modify = False
        elif tok.text == ";":
            in_modify = False
        previous = tok
    out.append(text[last:])
    return UpdatePlan("".join(out))


# --------------------------------------------------------------------- running


def run_query(
    engine: Engine,
    text: str,
    *,
    output: OutputFormat | Mapping[str, OutputFormat],
    default_graph_uris: Sequence[str] = (),
    named_graph_uris: Sequence[str] = (),
    bindings: Mapping[str, object] | None = None,
    timeout_s: float = 30.0,
    max_rows: int = 100_000,
    max_depth: int = 200,
    allow_list: Sequence[str] = (),
    base_iri: str | None = None,
    plan: QueryPlan | None = None,
    limits: QueryLimits | None = None,
) -> Result:
    """Check and run one query in ``engine`` (see ``kg.engine.interface``).

    ``output`` is one format, or a mapping from result kind ('solutions', 'boolean',
    'graph') to format when the caller lets the query form decide. Graphs named by
    ``FROM``/``FROM NAMED``, ``default_graph_uris`` and ``named_graph_uris`` that the store
    does not hold are empty graphs (nothing is ever fetched; ``Result.empty_graphs`` lists
    them); protocol graphs override the query's ``FROM``. ``bindings``
    maps variable names to rdflib terms, bound by the engine (never pasted into text).

    ``plan`` is ``analyse(text, ...)`` with these same ``max_depth``, ``allow_list`` and
    ``max_rows``, for a caller that analysed the text already (the protocol view does, to
    negotiate by query form): the checks then run once per request, not twice."""
    if plan is None:
        plan = analyse(text, max_depth=max_depth, allow_list=allow_list, max_rows=max_rows, limits=limits)
    if isinstance(output, OutputFormat):
        fmt = output
    else:
        kind = plan.kind or "solutions"
        if kind not in output:
            raise QueryError(f"no output format for a {plan.form or 'query'} result")
        fmt = output[kind]
    job = QueryJob(
        text=plan.text,
        output=fmt,
        default_graphs=tuple(default_graph_uris),
        named_graphs=tuple(named_graph_uris),
        check_graphs=tuple(dict.fromkeys([*plan.dataset_graphs, *default_graph_uris, *named_graph_uris])),
        max_rows=max_rows,
        limit_applied=plan.limit_applied,
        bindings=dict(bindings or {}),
        base_iri=base_iri,
        prefixes=dict(plan.prefixes),
        original_text=text if plan.limit_applied else None,
    )
    result = engine.run(job, timeout_s=timeout_s)
    assert isinstance(result, Result)
    return result
