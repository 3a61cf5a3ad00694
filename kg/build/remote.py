"""Publishing the live local build to the remote store the settings name (``store_endpoint``).

``kg build`` and ``kg ingest`` build in the on-disk store as always (it is the staging copy
and the source of the incremental ingest), then :func:`publish_remote` uploads the sealed
build's named graphs and its materialised default graph and switches the remote store to
it atomically (:mod:`kg.engine.remote.publish`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from kg.engine.oxigraph.store import current_build
from kg.engine.remote.client import RemoteStore
from kg.engine.remote.publish import PublishReport, publish_graphs
from kg.errors import BuildError
from kg.settings import Settings

__all__ = ["publish_remote"]


def _lines(store: ox.Store, graph: ox.NamedNode | ox.DefaultGraph) -> Iterator[bytes]:
    for quad in store.quads_for_pattern(None, None, None, graph):
        yield f"{quad.subject} {quad.predicate} {quad.object} .\n".encode()


def publish_remote(settings: Settings) -> PublishReport:
    """Upload the live build of ``settings.store`` to ``settings.store_endpoint`` and make it
    the remote store's live build; the remote store is unchanged when this raises."""
    build = current_build(Path(settings.store))
    if build is None:
        raise BuildError(f"no published build in {settings.store} to upload")
    local = ox.Store.read_only(str(build))
    graphs = {
        g.value: _lines(local, g)
        for g in sorted(local.named_graphs(), key=str)
        if isinstance(g, ox.NamedNode)
    }
    return publish_graphs(
        RemoteStore.from_settings(settings), build.name, graphs, _lines(local, ox.DefaultGraph())
    )
