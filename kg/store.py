"""The on-disk Oxigraph store and its atomic publication.

Layout of the store folder (setting ``store``)::

    <store>/builds/<build-id>/   one complete Oxigraph database per build, never written
                                 again once published
    <store>/current              symlink → builds/<build-id>: the live build

A build is written into a fresh ``builds/<id>`` folder, validated, and published by
atomically replacing the ``current`` symlink (``os.replace`` of a new link). Readers open
``current`` read-only and notice a new build by its resolved path, so a failed build
never touches the live graph and a reader never sees half a build.

Graphs inside a build: one named graph per article (``<base>graph/article/<slug>``),
plus ``<base>graph/reference``, ``<base>graph/ontology`` and ``<base>graph/runs``. The
default graph holds the set-union of all named graphs, materialised at publication, so
that queries over the default graph see every triple exactly once (pyoxigraph 0.5's
union-default-graph mode returns a triple once per graph that holds it).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

__all__ = ["current_build", "open_read_only"]


def current_build(store_dir: Path) -> Path | None:
    """The folder of the live build, or None when nothing has been published."""
    link = Path(store_dir) / "current"
    if not link.exists():
        return None
    return link.resolve()


def open_read_only(store_dir: Path) -> ox.Store:
    """Open the live build read-only. Raises FileNotFoundError when there is none."""
    build = current_build(store_dir)
    if build is None:
        raise FileNotFoundError(f"no published build in {store_dir}; run 'kg build' first")
    return ox.Store.read_only(str(build))
