"""JSON Lines written on several cores are byte for byte what one loop writes, and parse back."""

from __future__ import annotations

import io
import json
import os

import pytest

from tui import jsonl


def _out() -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")


def _bytes(out: io.TextIOWrapper) -> bytes:
    out.flush()
    return out.buffer.getvalue()  # type: ignore[attr-defined]


ITEMS = [{"n": i, "text": f"ünïcode \"{i}\" \\ line\nbreak", "list": [i, None]} for i in range(3001)]


@pytest.mark.parametrize("workers", [1, 2, 3, 8])
def test_parallel_output_is_the_sequential_output(monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    monkeypatch.setattr(jsonl, "MIN_ITEMS_TO_FORK", 100)
    expected = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in ITEMS).encode()
    out = _out()
    jsonl.write_json_lines(ITEMS, lambda x: x, out, workers=workers)
    data = _bytes(out)
    assert data == expected
    assert [json.loads(line) for line in data.decode().splitlines()] == ITEMS


def test_a_failing_child_is_redone_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonl, "MIN_ITEMS_TO_FORK", 100)
    parent = os.getpid()

    def to_json(x):
        if os.getpid() != parent:
            raise RuntimeError("child dies")
        return x

    out = _out()
    jsonl.write_json_lines(ITEMS, to_json, out, workers=2)
    assert _bytes(out).decode().splitlines() == [json.dumps(x, ensure_ascii=False) for x in ITEMS]
