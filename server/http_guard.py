"""waitress, hardened against slow and ambiguous clients (see README, "Limits and abuse").

- A request must arrive whole, headers and body, within ``request_read_timeout_s`` of its
  first byte; waitress alone only closes connections idle for ``channel_timeout`` and
  keeps one that trickles a byte now and then. ``GuardedServer.maintenance`` (run every
  ``cleanup_interval``) closes the slow ones.
- A request with both Content-Length and Transfer-Encoding is refused with 400 and its
  connection closed (RFC 9112 §6.1: a server must close it; waitress 3.0.2 served it and
  kept the connection open for the next pipelined request, the shape of request smuggling).
- ``connection_limit`` and the poll loop: waitress stops accepting at ``connection_limit``
  open connections, and its select() loop cannot watch more than 1,024 sockets, so the
  server uses poll() and a limit of ``max_connections``.
"""

from __future__ import annotations

import time
from typing import Any

from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser, ParsingError
from waitress.server import TcpWSGIServer
from waitress.task import ThreadedTaskDispatcher

__all__ = ["GuardedChannel", "GuardedParser", "GuardedServer", "create_guarded_server"]


class GuardedParser(HTTPRequestParser):
    """waitress's parser, refusing Content-Length together with Transfer-Encoding."""

    def parse_header(self, header_plus: bytes) -> None:
        names = {
            line.split(b":", 1)[0].strip().lower() for line in header_plus.split(b"\n")[1:] if b":" in line
        }
        if b"content-length" in names and b"transfer-encoding" in names:
            self.connection_close = True
            raise ParsingError("Content-Length and Transfer-Encoding together are refused (RFC 9112 6.1)")
        super().parse_header(header_plus)


class GuardedChannel(HTTPChannel):
    """A channel that remembers when the request it is reading began."""

    parser_class = GuardedParser
    request_started = 0.0

    def received(self, data: bytes) -> bool:
        if self.request is None and data:
            self.request_started = time.monotonic()
        return bool(super().received(data))


class GuardedServer(TcpWSGIServer):
    """waitress's TCP server whose channels are guarded and whose slow requests are closed after ``request_read_timeout_s``."""

    channel_class = GuardedChannel
    request_read_timeout_s = 10.0

    def maintenance(self, now: float) -> None:
        super().maintenance(now)
        cutoff = time.monotonic() - self.request_read_timeout_s
        for channel in list(self.active_channels.values()):
            reading = getattr(channel, "request", None)
            started = getattr(channel, "request_started", 0.0)
            if reading is not None and not reading.completed and 0 < started < cutoff:
                channel.will_close = True  # a request still arriving after the limit


def create_guarded_server(app: Any, *, request_read_timeout_s: float, **kwargs: Any) -> GuardedServer:
    """``waitress.create_server`` with the guards above, on the first address ``host``
    resolves to (an IP address, as ``kg serve`` is given, resolves to one)."""
    adj = Adjustments(**kwargs)
    dispatcher = ThreadedTaskDispatcher()
    dispatcher.set_thread_count(adj.threads)
    server = GuardedServer(app, None, dispatcher=dispatcher, adj=adj, sockinfo=adj.listen[0])
    server.request_read_timeout_s = request_read_timeout_s
    return server
