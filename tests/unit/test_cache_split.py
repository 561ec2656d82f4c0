"""The command line's load of a big archive: half the sound cache entries decoded in a forked worker
(`ParseCache.split`). The result is what decoding them all here gives, and a worker that fails or
meets a damaged entry only costs a read (or a parse) here."""

from __future__ import annotations

import os
from dataclasses import fields
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tui import cache as cache_mod
from tui.cache import ParseCache
from tui.loader import discover
from tui.model import ParseResult
from tui.preload import Preload
from tui.store import Store

FOLDERS = [FIXTURES / name for name in ("app", "hf_text", "hf_json", "arxiv_email", "arxiv_xml")]


def _fields(result: ParseResult) -> tuple:
    d = result.digest
    papers = tuple(tuple(getattr(p, f.name) for f in fields(p) if f.name != "digests") for p in result.papers)
    return (d.path, d.format, d.date, d.date_start, tuple(d.diagnostics), papers)


@pytest.fixture
def filled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache holding an entry for every fixture digest; every corpus counts as a big archive."""
    monkeypatch.setattr("tui.preload.PREVIEW_MIN_BYTES", 0)
    cache = ParseCache(tmp_path / "c")
    for candidate in discover(FOLDERS)[0]:
        cache.read(candidate)
    return tmp_path / "c"


def _split(folder: Path, pool: bool = False) -> ParseCache:
    cache = ParseCache(folder, pool=pool)
    cache.split = True
    return cache


def _parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = cache_mod.read_digest

    def counted(*args, **kwargs):
        calls.append(os.getpid())
        return real(*args, **kwargs)

    monkeypatch.setattr(cache_mod, "read_digest", counted)
    return calls


def test_split_decoding_gives_what_decoding_here_gives(filled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = [_fields(r) for r in Preload(FOLDERS, 1 << 26, workers=1).results()]
    here = [_fields(r) for r in Preload(FOLDERS, 1 << 26, workers=2, cache=ParseCache(filled)).results()]
    calls = _parses(monkeypatch)
    cache = _split(filled)
    preload = Preload(FOLDERS, 1 << 26, workers=2, cache=cache)
    [job] = preload.jobs
    assert job.columns and 0 < len(job.indexes) < len(preload.fresh)
    assert [_fields(r) for r in preload.results()] == plain == here
    unstored = len(preload.candidates) - len(preload.fresh)  # failed or skipped files have no entry
    assert cache.hits == len(preload.fresh) and len(calls) == unstored  # every entry used, nothing else parsed


def test_a_store_loaded_split_is_the_same_store(filled: Path) -> None:
    def load(cache: ParseCache) -> list[tuple]:
        store = Store(cache=cache)
        store.load(FOLDERS)
        return [(p.id, p.title, p.abstract, [d.path for d in p.digests]) for p in map(store.papers.__getitem__, store.all_ids())]

    assert load(_split(filled)) == load(ParseCache(filled))


def test_a_damaged_entry_in_the_decoders_share_is_parsed_again(filled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = [_fields(r) for r in Preload(FOLDERS, 1 << 26, workers=1).results()]
    candidates = discover(FOLDERS)[0]
    entry = ParseCache(filled).entry_path(candidates[0].path)  # the first sound entry goes to the decoder
    good = entry.read_bytes()
    entry.write_bytes(good[:-10] + bytes(b ^ 0x20 for b in good[-10:]))  # header intact: it looks fresh
    calls = _parses(monkeypatch)
    preload = Preload(FOLDERS, 1 << 26, workers=2, cache=_split(filled))
    assert 0 in preload.jobs[0].indexes
    assert [_fields(r) for r in preload.results()] == plain
    unstored = len(preload.candidates) - len(preload.fresh)
    assert len(calls) == unstored + 1 and set(calls) == {os.getpid()}  # parsed again here, once
    assert entry.read_bytes() == good  # and its entry rewritten


def test_a_decoder_that_dies_costs_a_read_here(filled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = [_fields(r) for r in Preload(FOLDERS, 1 << 26, workers=1).results()]
    parent = os.getpid()
    real = ParseCache.columns

    def dies_in_worker(self, *args, **kwargs):
        if os.getpid() != parent:
            os._exit(3)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(ParseCache, "columns", dies_in_worker)
    calls = _parses(monkeypatch)
    cache = _split(filled)
    preload = Preload(FOLDERS, 1 << 26, workers=2, cache=cache)
    assert preload.jobs
    assert [_fields(r) for r in preload.results()] == plain
    unstored = len(preload.candidates) - len(preload.fresh)
    assert len(calls) == unstored and cache.hits == len(preload.fresh)  # read from the cache here instead


def test_the_reader_never_splits(filled: Path) -> None:
    """Pooled abstracts belong to the process that reads them: the reader decodes its entries itself."""
    plain = [_fields(r) for r in Preload(FOLDERS, 1 << 26, workers=1).results()]
    preload = Preload(FOLDERS, 1 << 26, workers=2, cache=_split(filled, pool=True))
    assert not preload.jobs and preload.fresh
    assert [_fields(r) for r in preload.results()] == plain
