"""The word index file: read back exactly, only for the texts it was built from, and never trusted when damaged."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

import tui.wordcache as wordcache
import tui.wordindex as wordindex
from tui.cache import ParseCache
from tui.wordindex import WordIndex

IDS = ["a", "b", "c", "d", "e"]
TEXTS = ["quantum codes", "a transformer for codes", "", "naïve bayes, quantum", "o(1) overhead"]


def built(step=lambda: None) -> WordIndex:
    return WordIndex.build(TEXTS, step)


def same(a: WordIndex, b: WordIndex) -> bool:
    return all(a.hits(w).tolist() == b.hits(w).tolist() for w in ("quant", "codes", "naïve", "o", "1", "zz", "er"))


def test_an_index_reads_back_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wordindex, "CHUNK", 2)  # several chunks, the last one short
    monkeypatch.setattr(wordcache, "CHUNK", 2)
    key = wordcache.key_for(IDS, TEXTS)
    assert wordcache.save(tmp_path, key, built())
    back = wordcache.load(tmp_path, key)
    assert back is not None and len(back.chunks) == 3 and same(back, built())


def test_the_key_names_the_texts_exactly() -> None:
    key = wordcache.key_for(IDS, TEXTS)
    assert wordcache.key_for(IDS, list(TEXTS)) == key
    assert wordcache.key_for(IDS, TEXTS[:-1] + ["o(2) overhead"]) != key  # same length, other text
    assert wordcache.key_for(IDS[::-1], TEXTS) != key
    assert wordcache.key_for(IDS, TEXTS[:-1]) != key


def test_obtain_builds_once_then_reads(tmp_path: Path) -> None:
    steps: list[int] = []
    first = wordcache.obtain(IDS, TEXTS, tmp_path, lambda: steps.append(1))
    assert steps and len(list(tmp_path.glob("words-*.ptw"))) == 1
    steps.clear()
    again = wordcache.obtain(IDS, TEXTS, tmp_path, lambda: steps.append(1))
    assert not steps and same(first, again)  # read, not built
    written = next(tmp_path.glob("words-*.ptw"))
    assert stat.S_IMODE(written.stat().st_mode) & 0o077 == 0  # private, like the parse cache entries


def test_every_damage_is_caught_and_rebuilt(tmp_path: Path) -> None:
    key = wordcache.key_for(IDS, TEXTS)
    data = wordcache.encode(key, built())
    assert wordcache.decode(data, key) is not None
    assert wordcache.decode(data, b"x" * 32) is None  # another archive's index
    assert wordcache.decode(data, key, len(TEXTS)) is not None
    assert wordcache.decode(data, key, len(TEXTS) + 1) is None  # for more texts than it holds
    for cut in (0, 3, 20, len(data) // 2, len(data) - 1):
        assert wordcache.decode(data[:cut], key) is None, cut
    for at in range(0, len(data), 7):  # one flipped byte anywhere: the CRC or a check refuses it
        bad = bytearray(data)
        bad[at] ^= 0x41
        assert wordcache.decode(bytes(bad), key) is None, at
    wordcache.file_for(tmp_path, key).write_bytes(data[:-9])
    steps: list[int] = []
    index = wordcache.obtain(IDS, TEXTS, tmp_path, lambda: steps.append(1))
    assert steps and same(index, built())  # rebuilt, and the good file written over the bad one
    assert wordcache.load(tmp_path, key) is not None


def test_a_file_with_a_valid_crc_but_wrong_numbers_is_refused() -> None:
    """A forged file (consistent CRC, out-of-range postings) is checked, not trusted."""
    import struct
    import zlib

    key = wordcache.key_for(IDS, TEXTS)
    index = built()
    index.chunks[0].papers[:] = 60_000  # beyond the chunk's papers
    body = wordcache.encode(key, index)[:-4]
    assert wordcache.decode(body + struct.pack("<I", zlib.crc32(body)), key) is None


def test_only_the_newest_indexes_are_kept_and_cache_clear_removes_them(tmp_path: Path) -> None:
    for n in range(4):
        texts = TEXTS + [f"text {n}"]
        wordcache.save(tmp_path, wordcache.key_for(IDS + ["f"], texts), WordIndex.build(texts))
        os.utime(next(iter(sorted(tmp_path.glob("*.ptw"), key=os.path.getmtime, reverse=True))), (n, n + 1e9))
    assert len(list(tmp_path.glob("words-*.ptw"))) == wordcache.KEEP
    cache = ParseCache(tmp_path)
    assert cache.info().entries == wordcache.KEEP and cache.info().other == 0
    assert cache.clear() == wordcache.KEEP and not list(tmp_path.glob("*.ptw"))


def test_an_unwritable_folder_costs_only_the_build(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    index = wordcache.obtain(IDS, TEXTS, blocker / "cache", lambda: None)
    assert same(index, built())


def test_the_arrays_of_a_read_index_are_aligned_and_reading_keeps_the_file(tmp_path: Path) -> None:
    key = wordcache.key_for(IDS, TEXTS)
    wordcache.save(tmp_path, key, built())
    path = wordcache.file_for(tmp_path, key)
    os.utime(path, (1, 1))
    index = wordcache.load(tmp_path, key, len(TEXTS))
    assert index is not None and path.stat().st_mtime > 1  # in use: not the one dropped next
    for chunk in index.chunks:
        assert chunk.words.ctypes.data % 4 == 0 and chunk.papers.ctypes.data % 2 == 0
