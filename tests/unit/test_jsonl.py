"""JSON Lines written on several cores are byte for byte what one loop writes, and parse back."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from tui import jsonl

# Plain ASCII (the quick path), and every kind of text the two encoder modes treat differently
# or alike: non-ASCII, astral, DEL, controls, a literal backslash-u, quotes.
ITEMS = [
    {"n": i, "text": f"plain \"{i}\" \\ line\nbreak", "list": [i, None]} if i % 3 else
    {"n": i, "text": ["ünïcode", "\U0001f600 astral", "del \x7f", "ctl \x01\x1f", "\\u00e9 as typed", "é"][i % 6], "list": [i]}
    for i in range(3001)
]
EXPECTED = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in ITEMS).encode()


def _file(tmp_path: Path) -> tuple[io.TextIOWrapper, Path]:
    """An output with a file descriptor, as standard output has: the children write to it themselves."""
    path = tmp_path / "out.jsonl"
    return open(path, "w", encoding="utf-8", newline=""), path  # noqa: SIM115 - closed by the caller


def _lines(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, to_json, workers: int = 2) -> bytes:
    monkeypatch.setattr(jsonl, "MIN_ITEMS_TO_FORK", 100)
    out, path = _file(tmp_path)
    with out:
        out.write("before\n")  # what the process wrote earlier stays first
        jsonl.write_json_lines(ITEMS, to_json, out, workers=workers)
        out.write("after\n")
    data = path.read_bytes()
    assert data.startswith(b"before\n") and data.endswith(b"after\n")
    return data[len("before\n") : -len("after\n")]


@pytest.mark.parametrize("workers", [1, 2, 3, 8])
def test_parallel_output_is_the_sequential_output(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, workers: int) -> None:
    data = _lines(monkeypatch, tmp_path, lambda x: x, workers)
    assert data == EXPECTED
    assert [json.loads(line) for line in data.decode().splitlines()] == ITEMS


def test_a_stream_without_a_descriptor_is_written_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonl, "MIN_ITEMS_TO_FORK", 100)
    parent = os.getpid()

    def to_json(x):
        assert os.getpid() == parent
        return x

    binary = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    jsonl.write_json_lines(ITEMS, to_json, binary, workers=2)
    binary.flush()
    assert binary.buffer.getvalue() == EXPECTED  # type: ignore[attr-defined]
    text = io.StringIO()
    jsonl.write_json_lines(ITEMS, to_json, text, workers=2)
    assert text.getvalue().encode() == EXPECTED


def test_a_failing_child_is_redone_here(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    parent = os.getpid()

    def to_json(x):
        if os.getpid() != parent:
            raise RuntimeError("child dies")
        return x

    assert _lines(monkeypatch, tmp_path, to_json, workers=3) == EXPECTED


def _forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pids of the children forked from now on (to check each was reaped)."""
    pids: list[int] = []
    real = os.fork

    def fork() -> int:
        pid = real()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    return pids


def _all_reaped(pids: list[int]) -> bool:
    for pid in pids:
        try:
            os.waitpid(pid, os.WNOHANG)
            return False
        except ChildProcessError:
            pass
    return bool(pids)


def test_a_child_that_dies_while_writing_is_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def fail(fd: int, lines: list[bytes]) -> None:
        os._exit(9)  # only children write through this

    monkeypatch.setattr(jsonl, "_write_lines", fail)
    pids = _forks(monkeypatch)
    with pytest.raises(OSError, match="share of the output"):
        _lines(monkeypatch, tmp_path, lambda x: x, workers=3)
    assert len(pids) == 2 and _all_reaped(pids)


def test_a_closed_reader_stops_every_child(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonl, "MIN_ITEMS_TO_FORK", 100)
    pids = _forks(monkeypatch)
    read_fd, write_fd = os.pipe()
    os.close(read_fd)
    out = open(write_fd, "w", encoding="utf-8")  # noqa: SIM115 - closed below, whatever happens
    try:
        with pytest.raises(BrokenPipeError):
            jsonl.write_json_lines(ITEMS, lambda x: x, out, workers=3)
    finally:
        try:
            out.close()
        except BrokenPipeError:
            pass
    assert len(pids) == 2 and _all_reaped(pids)  # none left behind to write later


def test_text_mostly_not_ascii_is_not_encoded_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    tries = {True: 0, False: 0}

    class Counting(json.JSONEncoder):
        def encode(self, o):
            tries[self.ensure_ascii] += 1
            return super().encode(o)

    items = [{"title": f"Überblick {i}"} for i in range(1000)]
    expected = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in items)
    monkeypatch.setattr(jsonl.json, "JSONEncoder", Counting)
    out = io.StringIO()
    jsonl.write_json_lines(items, lambda x: x, out)
    assert out.getvalue() == expected
    assert tries[False] == 1000 and tries[True] < 300  # the quick try only now and then
    tries.update({True: 0, False: 0})
    jsonl.write_json_lines([{"title": f"plain {i}"} for i in range(1000)], lambda x: x, io.StringIO())
    assert tries == {True: 1000, False: 0}
