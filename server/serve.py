"""Serving the app with waitress (see docs/decisions/0003-waitress-in-front-of-a-worker-pool.md).

waitress gives ``server_threads`` request threads in one process; queries run in the
worker processes of ``kg.engine.oxigraph.pool``, which the threads wait on without holding the GIL.
"""

from __future__ import annotations

import ipaddress
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from kg.settings import Settings
from server.app import close_app, create_app
from server.http_guard import create_guarded_server

__all__ = ["serve", "token_warning"]


# A server bound to every interface is reached from this machine on loopback.
_BROWSABLE = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def token_warning(settings: Settings, host: str) -> str | None:
    """What to warn of when an update token is set on an address other hosts reach, over
    plain HTTP: the token would cross the network in clear. A ``public_url`` in https says
    TLS is in front (a proxy), and quiets it."""
    if not settings.update_token or settings.public_url.lower().startswith("https://"):
        return None
    try:
        loopback = ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if loopback:
        return None
    return (
        f"an update token is set and the server listens on {host} over plain HTTP: anyone on "
        "the network path can read the token. Bind to 127.0.0.1, or put TLS in front and set "
        "PENINSULA_PUBLIC_URL=https://..."
    )


def serve(settings: Settings, data: Sequence[Path] | None = None) -> int:
    """Serve until SIGINT/SIGTERM. Once listening, print the address and where to point a
    browser (``make serve`` on a fresh clone builds first, then ends with that line).
    Returns 0."""
    if not logging.getLogger().handlers:  # warnings (wrong tokens, slow clients) with a time
        logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s: %(message)s")

    app = create_app(settings, data=data)
    server = create_guarded_server(
        app,
        host=settings.host,
        port=settings.port,
        threads=settings.server_threads,
        ident="peninsula-kg",
        max_request_body_size=settings.max_request_bytes,
        clear_untrusted_proxy_headers=True,
        # slow clients (README, "Limits and abuse"): many connections are cheap for
        # waitress's one I/O thread, so accept many, close idle ones sooner than the
        # default 120 s, look for slow ones every 2 s, and poll() past 1,024 sockets
        connection_limit=settings.max_connections,
        channel_timeout=settings.client_timeout_s,
        cleanup_interval=2,
        asyncore_use_poll=True,
        request_read_timeout_s=settings.request_read_timeout_s,
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
        if not settings.public_url:  # the bound address, never the request's Host header
            app.extensions["peninsula"].public_root = browse
        warning = token_warning(settings, str(host))
        if warning:
            print(f"kg serve: WARNING: {warning}", file=sys.stderr, flush=True)
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
