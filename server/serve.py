"""Serving the app with waitress (see docs/decisions/0003-waitress-in-front-of-a-worker-pool.md).

waitress gives ``server_threads`` request threads in one process; queries run in the
worker processes of ``kg.workers``, which the threads wait on without holding the GIL.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from kg.settings import Settings

__all__ = ["serve"]


# A server bound to every interface is reached from this machine on loopback.
_BROWSABLE = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def serve(settings: Settings, data: Sequence[Path] | None = None) -> int:
    """Serve until SIGINT/SIGTERM. Once listening, print the address and where to point a
    browser (``make serve`` on a fresh clone builds first, then ends with that line).
    Returns 0."""
    from waitress import create_server

    from server.app import close_app, create_app

    app = create_app(settings, data=data)
    server = create_server(
        app,
        host=settings.host,
        port=settings.port,
        threads=settings.server_threads,
        ident="peninsula-kg",
        max_request_body_size=settings.max_request_bytes,
        clear_untrusted_proxy_headers=True,
    )

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        # every worker loads the dataset before we say we listen; a dataset that cannot be
        # loaded stops the server here, with the reason, instead of failing every query
        app.extensions["peninsula"].engine.start()
        host, port = server.effective_host, server.effective_port
        print(f"kg serve: listening on {_url(str(host), int(port))}", flush=True)
        browse = _url(_BROWSABLE.get(str(host), str(host)), int(port))
        print(
            f"kg serve: open {browse} in a browser (SPARQL endpoint: {browse}sparql); Ctrl-C stops",
            flush=True,
        )
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        close_app(app)
        print("kg serve: stopped", file=sys.stderr, flush=True)
    return 0
