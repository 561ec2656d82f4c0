"""A stand-in for Hugging Face and arXiv: the standard library's HTTP server on 127.0.0.1.

Routes are exact request targets (`/api/daily_papers?date=2026-06-12`), each with a list of
replies served in turn (the last one repeats), so a test can script "429, then 200". Every
request is logged with its headers so tests can check the User-Agent and conditional GETs.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (a slow server)
    cut: int | None = None  # announce the whole body, send only this many bytes, hang up
    no_length: bool = False  # no Content-Length: the end of the body is the connection's end


Route = Callable[[dict[str, str]], Reply]


def file_reply(path: Path, etag: str | None = None, last_modified: str | None = None) -> Route:
    """Serve a file, answering 304 when the client already has this ETag / date."""
    def route(headers: dict[str, str]) -> Reply:
        if etag and headers.get("if-none-match") == etag:
            return Reply(304, headers={"ETag": etag})
        if last_modified and headers.get("if-modified-since") == last_modified:
            return Reply(304, headers={"Last-Modified": last_modified})
        extra = {"Content-Type": "application/json" if path.suffix == ".json" else "application/xml"}
        if etag:
            extra["ETag"] = etag
        if last_modified:
            extra["Last-Modified"] = last_modified
        return Reply(200, path.read_bytes(), extra)
    return route


class FakeServices:
    """The server's script and log; `url` is its base (`http://127.0.0.1:PORT`)."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Reply | Route]] = {}
        self.log: list[tuple[str, dict[str, str]]] = []
        self.url = ""
        self._lock = threading.Lock()

    def add(self, target: str, *replies: Reply | Route) -> None:
        self.routes[target] = list(replies)

    def requests(self, target: str) -> list[dict[str, str]]:
        return [h for t, h in self.log if t == target]

    def next_reply(self, target: str, headers: dict[str, str]) -> Reply:
        with self._lock:
            self.log.append((target, headers))
            replies = self.routes.get(target)
            if not replies:
                return Reply(404, b'{"error": "not found"}', {"Content-Type": "application/json"})
            reply = replies.pop(0) if len(replies) > 1 else replies[0]
        return reply(headers) if callable(reply) else reply


def _handler(services: FakeServices) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            reply = services.next_reply(self.path, headers)
            if reply.delay:
                time.sleep(reply.delay)
            self.send_response(reply.status)
            for key, value in reply.headers.items():
                self.send_header(key, value)
            if not reply.no_length:
                self.send_header("Content-Length", str(len(reply.body)))
            self.send_header("Connection", "close")
            self.end_headers()
            body = reply.body if reply.cut is None else reply.body[: reply.cut]
            try:
                self.wfile.write(body)
                self.wfile.flush()
            except OSError:
                pass  # the client gave up (timeout tests)
            self.close_connection = True

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def running() -> Iterator[FakeServices]:
    services = FakeServices()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(services))
    server.daemon_threads = True
    services.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield services
    finally:
        server.shutdown()
        server.server_close()


def refused_url() -> str:
    """A loopback address nothing listens on (a port just freed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"
