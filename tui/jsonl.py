"""JSON Lines for many objects, encoded on every core: `list --json` of a ten-year archive.

Encoding 300k papers is ~3 s of one core (the escaping of ~480 MB of text), most of the command's
time. The items are split into one contiguous share per core; forked children encode theirs into
memory while this process encodes and writes the first; then, in order, each child is told to
write its bytes itself, straight to the output's file descriptor (nothing is copied through a pipe
and back), so the output is byte for byte what a single loop writes. A child that fails before it
is told to write is redone here; nothing is written for a share until it is complete. Forking needs
an output with a file descriptor (standard output, a file); any other stream is written here.

Each object is first encoded with `ensure_ascii=True`, the C encoder's quicker path; only a line
where that wrote a `\\u` escape is encoded again as the contract says (`ensure_ascii=False`):
for text without such characters (nearly every paper) both give the same bytes. Where over a
quarter of the lines need the second encoding (text mostly not in ASCII), most skip the first.
"""

from __future__ import annotations

import json
import os
import select
import signal
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any

MIN_ITEMS_TO_FORK = 20_000  # below this a fork costs more than it saves
BATCH = 5000  # items encoded and written at a time by this process
_BROKEN_PIPE = 3  # a child's exit status when the reader of the output went away


def _lines(items: Sequence[Any], to_json: Callable[[Any], Any]) -> Iterator[str]:
    quick = json.JSONEncoder(ensure_ascii=True, check_circular=False).encode
    exact = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
    redone = 0
    for n, x in enumerate(items):
        obj = to_json(x)
        if redone * 4 > n:  # text mostly not ASCII: trying the quick way first would cost more than it saves
            yield exact(obj) + "\n"
            continue
        line = quick(obj)
        if "\\u" in line:  # without one, the text had no character the two modes write differently
            redone += 1
            line = exact(obj)
        yield line + "\n"


def _encoded(items: Sequence[Any], to_json: Callable[[Any], Any], encoding: str, errors: str) -> list[bytes]:
    return [line.encode(encoding, errors) for line in _lines(items, to_json)]


def _encode(items: Sequence[Any], to_json: Callable[[Any], Any], encoding: str, errors: str) -> bytes:
    return b"".join(_encoded(items, to_json, encoding, errors))


def _write_lines(fd: int, lines: list[bytes]) -> None:
    """A child's share, a thousand lines per write: no second copy of it all in one buffer."""
    for start in range(0, len(lines), 1000):
        _write_all(fd, b"".join(lines[start : start + 1000]))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        try:
            view = view[os.write(fd, view) :]
        except BlockingIOError:  # a non-blocking output: wait until it takes more
            select.select([], [fd], [])


def write_json_lines(items: Sequence[Any], to_json: Callable[[Any], Any], out: IO[str], workers: int = 1) -> None:
    """Write `to_json(item)` for every item, one JSON object per line, using up to `workers` processes."""
    buffer = getattr(out, "buffer", None)
    encoding, errors = getattr(out, "encoding", None) or "utf-8", getattr(out, "errors", None) or "strict"
    try:
        fd = out.fileno() if buffer is not None else -1
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is both of the latter
        fd = -1
    shares = max(1, min(workers, len(items) // (MIN_ITEMS_TO_FORK // 2) or 1))
    if shares < 2 or fd < 0 or not hasattr(os, "fork"):
        for start in range(0, len(items), BATCH):
            batch = items[start : start + BATCH]
            if buffer is None:
                out.write("".join(_lines(batch, to_json)))
            else:
                out.flush()
                buffer.write(_encode(batch, to_json, encoding, errors))
        return
    bounds = [len(items) * k // shares for k in range(shares + 1)]
    out.flush()
    children: dict[int, tuple[int, int, int]] = {}  # share -> (pid, its "ready" pipe, its "go" pipe)
    try:
        for k in range(1, shares):
            _fork(children, k, items[bounds[k] : bounds[k + 1]], to_json, fd, encoding, errors)
        for k in range(shares):
            if k in children and _let_write(children.pop(k), out):
                continue
            write_json_lines(items[bounds[k] : bounds[k + 1]], to_json, out, workers=1)  # here (or redone here)
        out.flush()
    finally:
        for pid, ready, go in children.values():  # only when the output failed: stop the rest unheard
            _end(pid, ready, go, kill=True)


def _fork(children: dict[int, tuple[int, int, int]], k: int, share: Sequence[Any], to_json: Callable[[Any], Any],
          fd: int, encoding: str, errors: str) -> None:
    ready_r, ready_w = os.pipe()
    go_r, go_w = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        for end in (ready_r, ready_w, go_r, go_w):
            os.close(end)
        return  # this share is encoded here instead
    if pid == 0:  # the child: encode, say so, wait for its turn, write, leave without any cleanup
        code = 1
        try:
            for _pid, theirs_ready, theirs_go in children.values():
                os.close(theirs_ready)
                os.close(theirs_go)
            os.close(ready_r)
            os.close(go_w)
            data = _encoded(share, to_json, encoding, errors)
            os.write(ready_w, b"1")
            if os.read(go_r, 1) == b"g":  # anything else: the parent is gone or gave up; write nothing
                _write_lines(fd, data)
            code = 0
        except BrokenPipeError:
            code = _BROKEN_PIPE
        except BaseException:  # noqa: BLE001 - a child never returns into the parent's code
            code = 1
        finally:
            os._exit(code)
    os.close(ready_w)
    os.close(go_r)
    children[k] = (pid, ready_r, go_w)


def _let_write(child: tuple[int, int, int], out: IO[str]) -> bool:
    """Wait for a child's share; once it is encoded, have it write it. False: it failed before
    writing anything (the caller encodes the share itself)."""
    pid, ready, go = child
    try:
        encoded = os.read(ready, 1) == b"1"
    except OSError:
        encoded = False
    if not encoded:
        _end(pid, ready, go)
        return False
    out.flush()  # what this process wrote must be on the descriptor before the child's bytes
    try:
        os.write(go, b"g")
    except OSError:
        pass  # the child died after it was ready: its status below says so
    status = _end(pid, ready, go)
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
        return True
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == _BROKEN_PIPE:
        raise BrokenPipeError("the output was closed")
    raise OSError("a worker failed while writing its share of the output")


def _end(pid: int, ready: int, go: int, kill: bool = False) -> int:
    """Close a child's pipes and reap it (killed first if asked); returns its wait status."""
    for end in (ready, go):
        try:
            os.close(end)
        except OSError:
            pass
    if kill:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:
        return 0
