"""A result's chunks as a response body that waitress sends without copying them.

A WSGI body that is a list of bytes makes waitress copy each chunk into its output buffer
(a temporary file past 1 MiB) and read it back before the socket gets it. A file handed to
``wsgi.file_wrapper`` is instead read by waitress's I/O loop as the socket takes it:
``ChunksFile`` is such a file over the chunks, whose reads are views of them (no copy).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from flask import Response, request

__all__ = ["ChunksFile", "chunks_response"]

# Below this a body goes as a list: one small write costs less than a file's bookkeeping.
_FILE_FROM_BYTES = 64 * 1024


class ChunksFile:
    """A read-only, seekable binary file over ``chunks``; ``read`` returns a view of (part
    of) one chunk, which a raw read may (a short read is not the end)."""

    def __init__(self, chunks: Sequence[bytes]) -> None:
        self.chunks = list(chunks)
        self.starts: list[int] = []
        at = 0
        for chunk in self.chunks:
            self.starts.append(at)
            at += len(chunk)
        self.size = at
        self.pos = 0

    def seekable(self) -> bool:
        """Yes: waitress measures the body by seeking to its end."""
        return True

    def tell(self) -> int:
        """The position of the next read."""
        return self.pos

    def seek(self, offset: int, whence: int = 0) -> int:
        """Move to ``offset`` from the start (0), here (1) or the end (2)."""
        base = (0, self.pos, self.size)[whence]
        self.pos = min(max(base + offset, 0), self.size)
        return self.pos

    def read(self, size: int = -1) -> memoryview:
        """At most ``size`` bytes (all when negative) from here to the end of this chunk."""
        if self.pos >= self.size or size == 0:
            return memoryview(b"")
        i = bisect.bisect_right(self.starts, self.pos) - 1
        chunk, start = self.chunks[i], self.starts[i]
        end = len(chunk) if size < 0 else min(len(chunk), self.pos - start + size)
        view = memoryview(chunk)[self.pos - start : end]
        self.pos += len(view)
        return view

    def close(self) -> None:
        """Let the chunks go."""
        self.chunks = []


def chunks_response(chunks: Sequence[bytes], content_type: str) -> Response:
    """A response whose body is ``chunks``, through the server's ``wsgi.file_wrapper`` when
    it has one and the body is large (waitress then sends straight from the chunks)."""
    size = sum(len(c) for c in chunks)
    wrapper = request.environ.get("wsgi.file_wrapper") if request else None
    if wrapper is None or size < _FILE_FROM_BYTES or request.method == "HEAD":
        return Response(list(chunks), content_type=content_type)
    response = Response(wrapper(ChunksFile(chunks)), content_type=content_type, direct_passthrough=True)
    response.content_length = size
    return response
