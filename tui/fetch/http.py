"""A small, polite HTTP GET client on the standard library's urllib.

Why urllib and not a package: papertray makes a handful of GETs a day to two services; urllib
does TLS, redirects and proxies (`https_proxy`), and the few things it lacks for this job
(retries honouring `Retry-After`, conditional GETs, gzip) are a page of code. A dependency
would add install weight for every user of the reader, who may never fetch.

Politeness: one request at a time per host (a lock per host, and a minimum gap between two
requests to the same host), a User-Agent naming papertray and its version, a timeout, and a
bounded number of retries on 429 and 5xx answers that wait as `Retry-After` asks (else an
exponential backoff). Waiting goes through `sleep`, which tests replace so they never wait.
"""

from __future__ import annotations

import gzip
import http.client
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from tui import __version__

USER_AGENT = f"papertray/{__version__} (terminal reader for paper digests; Python urllib)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
BACKOFF_BASE = 2.0  # seconds before the first retry when the server does not say
MAX_WAIT = 300.0  # never wait longer than this for one retry; a longer Retry-After gives up
MAX_BODY = 64 * 1024 * 1024  # a digest is a few hundred kB; anything past this is not one


class Cancelled(Exception):
    """The user asked to stop (Esc in the reader); raised between requests and during waits."""


class FetchError(Exception):
    """A request that did not give a usable answer: `message` is one line for the user."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(slots=True)
class Response:
    """A finished GET: status 200 (with the body) or 304 (nothing changed, empty body)."""

    url: str
    status: int
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds a `Retry-After` header asks for (delta-seconds or an HTTP date), None if unusable."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _reason(exc: BaseException) -> str:
    """A short human reason for a network failure, without a traceback."""
    if isinstance(exc, urllib.error.URLError) and not isinstance(exc, urllib.error.HTTPError):
        reason: object = exc.reason
        if isinstance(reason, str):
            return reason
        if isinstance(reason, BaseException):
            exc = reason
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return "timed out"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, socket.gaierror):
        return f"cannot resolve the host name ({exc.strerror or exc})"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error ({exc.reason or exc})"
    if isinstance(exc, http.client.IncompleteRead):
        return f"the answer was cut short ({len(exc.partial)} bytes received, more were announced)"
    if isinstance(exc, (EOFError, zlib.error, gzip.BadGzipFile)):
        return "the compressed answer was cut short or damaged"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or exc.__class__.__name__


def _transient(exc: BaseException) -> bool:
    """Worth another try: a timeout or a connection cut mid-answer (not refused, not DNS)."""
    if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, BaseException):
        exc = exc.reason
    if isinstance(exc, (ConnectionRefusedError, socket.gaierror, ssl.SSLCertVerificationError)):
        return False
    return isinstance(exc, (TimeoutError, socket.timeout, ConnectionResetError,
                            http.client.IncompleteRead, http.client.RemoteDisconnected,
                            EOFError, zlib.error, gzip.BadGzipFile))


class Client:
    """GETs with retries; one at a time per host, at least `min_interval[host]` seconds apart."""

    def __init__(self, *, timeout: float = 30.0, retries: int = 3,
                 sleep: Callable[[float], None] | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 min_interval: Mapping[str, float] | None = None,
                 cancel: threading.Event | None = None,
                 opener: urllib.request.OpenerDirector | None = None) -> None:
        self.timeout = timeout
        self.retries = retries
        self.cancel = cancel or threading.Event()
        self._sleep = sleep
        self.clock = clock
        self.min_interval = dict(min_interval or {})
        self._opener = opener or urllib.request.build_opener()
        self._locks: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}
        self._guard = threading.Lock()
        self.requests = 0  # how many requests went out (tests and the status line read it)

    def sleep(self, seconds: float) -> None:
        """Wait, but stop at once when cancelled (the injected sleep is for tests)."""
        if seconds > 0:
            if self._sleep is not None:
                self._sleep(seconds)
            else:
                self.cancel.wait(seconds)
        if self.cancel.is_set():
            raise Cancelled()

    def _lock(self, host: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(host, threading.Lock())

    def get(self, url: str, headers: Mapping[str, str] | None = None) -> Response:
        """GET `url`, retrying 429/5xx and cut-off answers; raises FetchError or Cancelled."""
        host = urlsplit(url).netloc
        with self._lock(host):
            attempt = 0
            while True:
                if self.cancel.is_set():
                    raise Cancelled()
                gap = self.min_interval.get(host, 0.0)
                last = self._last.get(host)
                if gap and last is not None:
                    self.sleep(gap - (self.clock() - last))
                try:
                    try:
                        return self._once(url, headers or {})
                    finally:
                        self._last[host] = self.clock()
                except _Retry as retry:
                    attempt += 1
                    if attempt > self.retries:
                        raise FetchError(f"{retry.why}; gave up after {attempt} tries",
                                         retry.status) from None
                    wait = retry.wait if retry.wait is not None else BACKOFF_BASE * 2 ** (attempt - 1)
                    if wait > MAX_WAIT:
                        raise FetchError(f"{retry.why}; the server asks to wait {wait:.0f} s, "
                                         f"more than {MAX_WAIT:.0f} s: try later", retry.status) from None
                    self.sleep(max(wait, gap))  # a retry is a request too: keep the host's gap

    def _once(self, url: str, extra: Mapping[str, str]) -> Response:
        request = urllib.request.Request(url, headers={
            "User-Agent": USER_AGENT, "Accept-Encoding": "gzip", **extra})
        self.requests += 1
        try:
            with self._opener.open(request, timeout=self.timeout) as answer:
                hdrs = {k.lower(): v for k, v in answer.headers.items()}
                body = self._read(answer)
                announced = hdrs.get("content-length", "")
                if announced.isdigit() and int(announced) != len(body):
                    raise _Retry(f"the answer was cut short ({len(body)} of {announced} bytes)", answer.status, None)
                if hdrs.get("content-encoding", "").lower() == "gzip":
                    body = gzip.decompress(body)
                return Response(url, answer.status, body, hdrs)
        except urllib.error.HTTPError as exc:
            hdrs = {k.lower(): v for k, v in (exc.headers or {}).items()}
            if exc.code == 304:
                return Response(url, 304, b"", hdrs)
            why = f"HTTP {exc.code} {exc.reason}".rstrip()
            if exc.code in RETRY_STATUSES:
                raise _Retry(why, exc.code, retry_after(hdrs.get("retry-after"))) from None
            raise FetchError(why, exc.code) from None
        except (FetchError, _Retry):
            raise
        except (OSError, http.client.HTTPException, EOFError, zlib.error) as exc:
            if _transient(exc):
                raise _Retry(_reason(exc), None, None) from None
            raise FetchError(_reason(exc)) from None


    def _read(self, answer: http.client.HTTPResponse) -> bytes:
        """The whole body, in chunks so a cancel is noticed and a runaway answer is cut off.

        `read(n)` does not complain when the server hangs up early; the caller compares the
        length with Content-Length.
        """
        chunks: list[bytes] = []
        size = 0
        while chunk := answer.read(64 * 1024):
            size += len(chunk)
            if size > MAX_BODY:
                raise FetchError(f"the answer is over {MAX_BODY // 2**20} MB; not a digest", answer.status)
            if self.cancel.is_set():
                raise Cancelled()
            chunks.append(chunk)
        return b"".join(chunks)


class _Retry(Exception):
    """Internal: this attempt failed in a way worth retrying."""

    def __init__(self, why: str, status: int | None, wait: float | None) -> None:
        super().__init__(why)
        self.why = why
        self.status = status
        self.wait = wait
