"""Publishing a build to a remote store, atomically for its readers.

A build is uploaded in two steps (docs/decisions/0016-remote-store.md):

1. **staging**: each graph's triples (every named graph, and the materialised default
   graph) go, by Graph Store Protocol PUT and POSTs of ``CHUNK_TRIPLES`` triples, into a
   staging graph ``urn:peninsula:staging:<build>:<n>`` that no reader's dataset names;
   this is the long part, and readers go on seeing the live build;
2. **switch**: one SPARQL Update request drops the graphs the new build no longer has,
   ``MOVE``s each staging graph onto its real name and rewrites the pointer graph. SPARQL
   1.1 Update §2.2 asks a service to treat each request atomically, and Virtuoso runs a
   request as one transaction: a reader sees the old build or the new one, never half.

A failure before the switch leaves the live build as it was (the staging graphs are
dropped); the switch itself succeeds or fails whole.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from kg.engine.remote.client import RemoteStore
from kg.engine.remote.layout import HAS_PART, IDENTIFIER, default_graph, pointer_graph

__all__ = ["CHUNK_TRIPLES", "PublishReport", "publish_graphs"]

CHUNK_TRIPLES = 50_000  # triples per GSP request while staging
_NT = {"Content-Type": "application/n-triples"}
STAGES = "urn:peninsula:stages"  # <staging graph> STAGES <graph name>, in the staging plan graph


@dataclass(frozen=True)
class PublishReport:
    """What a publication did: the build, its named graphs, the triples sent, the graphs dropped."""

    build: str
    graphs: int
    triples: int
    dropped: int


def publish_graphs(
    store: RemoteStore,
    build: str,
    graphs: Mapping[str, Iterable[bytes]],
    union: Iterable[bytes],
    *,
    timeout_s: float = 3600.0,
) -> PublishReport:
    """Make ``graphs`` (graph IRI → its triples as N-Triples lines) and the default graph
    ``union`` (N-Triples lines) the live build ``build`` of ``store``."""
    plan = f"urn:peninsula:staging:{build}"
    targets = [*graphs.items(), (default_graph(store.base_iri), union)]
    staged = [(f"{plan}:{n}", name) for n, (name, _) in enumerate(targets)]
    sent = 0
    try:
        _upload(store, plan, (f"<{s}> <{STAGES}> <{g}> .\n".encode() for s, g in staged), timeout_s)
        for (staging, _), (_, lines) in zip(staged, targets, strict=True):
            sent += _upload(store, staging, lines, timeout_s)
        dropped = set(_live_graphs(store, timeout_s)) - set(graphs)
        store.request(
            store.update_url, form={"update": _switch(store, build)}, timeout_s=timeout_s, writes=True
        )
    except BaseException:
        _drop_staged(store, build, timeout_s)
        raise
    return PublishReport(build, len(graphs), sent, len(dropped))


def _chunks(lines: Iterable[bytes]) -> Iterator[bytes]:
    it = iter(lines)
    while chunk := list(itertools.islice(it, CHUNK_TRIPLES)):
        yield b"".join(line if line.endswith(b"\n") else line + b"\n" for line in chunk)


def _upload(store: RemoteStore, graph: str, lines: Iterable[bytes], timeout_s: float) -> int:
    """PUT the first chunk (an empty graph when there is none), POST the others; returns the triples sent."""
    count = 0
    method = "PUT"
    for chunk in _chunks(lines):
        store.request(
            store.gsp_url,
            method=method,
            params={"graph-uri": graph},
            body=chunk,
            headers=_NT,
            timeout_s=timeout_s,
            writes=True,
        )
        count += chunk.count(b"\n")
        method = "POST"
    if method == "PUT":
        store.request(
            store.gsp_url,
            method="PUT",
            params={"graph-uri": graph},
            body=b"",
            headers=_NT,
            timeout_s=timeout_s,
            writes=True,
        )
    return count


def _live_graphs(store: RemoteStore, timeout_s: float) -> list[str]:
    pointer = pointer_graph(store.base_iri)
    text = f"SELECT ?g WHERE {{ GRAPH <{pointer}> {{ <{pointer}> <{HAS_PART}> ?g }} }}"
    reply = store.request(
        store.query_url,
        form={"query": text, "named-graph-uri": pointer, "default-graph-uri": pointer},
        headers={"Accept": "text/tab-separated-values"},
        timeout_s=timeout_s,
    )
    rows = reply.body.decode("utf-8").splitlines()[1:]
    return [r.strip().strip('"').strip("<>") for r in rows if r.strip()]


def _switch(store: RemoteStore, build: str) -> str:
    """The one update request that makes the staged build live. Its size does not grow with
    the build: the staging plan graph pairs each staging graph with its name (one ``MOVE``
    per graph made Virtuoso refuse a build of 2,000 graphs: "SQ200: Query too large")."""
    pointer = pointer_graph(store.base_iri)
    union = default_graph(store.base_iri)
    plan = f"urn:peninsula:staging:{build}"
    return f"""DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }}
  WHERE {{ GRAPH <{pointer}> {{ <{pointer}> <{HAS_PART}> ?g }} GRAPH ?g {{ ?s ?p ?o }} }} ;
DROP SILENT GRAPH <{union}> ;
INSERT {{ GRAPH ?g {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{plan}> {{ ?st <{STAGES}> ?g }} GRAPH ?st {{ ?s ?p ?o }} }} ;
DROP SILENT GRAPH <{pointer}> ;
INSERT {{ GRAPH <{pointer}> {{ <{pointer}> <{HAS_PART}> ?g }} }}
  WHERE {{ GRAPH <{plan}> {{ ?st <{STAGES}> ?g }} FILTER (?g != <{union}>) }} ;
INSERT DATA {{ GRAPH <{pointer}> {{ <{pointer}> <{IDENTIFIER}> "{_literal(build)}" }} }} ;
{_drop_staged_text(build)}"""


def _literal(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _drop_staged_text(build: str) -> str:
    plan = f"urn:peninsula:staging:{build}"
    return f"""DELETE {{ GRAPH ?st {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{plan}> {{ ?st <{STAGES}> ?g }} GRAPH ?st {{ ?s ?p ?o }} }} ;
DROP SILENT GRAPH <{plan}>"""


def _drop_staged(store: RemoteStore, build: str, timeout_s: float) -> None:
    """Drop a failed publication's staging graphs (those its plan graph names) and the plan."""
    store.request(
        store.update_url, form={"update": _drop_staged_text(build)}, timeout_s=timeout_s, writes=True
    )
