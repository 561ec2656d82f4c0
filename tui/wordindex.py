"""Which abstracts hold a word: an inverted index, so a filter word costs its hits, not the archive.

A filter word is matched in abstracts as a substring. Scanning ten years of folded abstracts
(~360 MB) costs ~250 ms per new word, too slow to type against. But a word made only of word
characters (`\\w`) can only occur inside one of an abstract's `\\w+` tokens, so "abstracts that
contain `quant`" is exactly "papers of the vocabulary words that contain `quant`": a scan of the
vocabulary (thousands of words, not millions of characters) and a union of their postings.

Layout (numpy, no Python objects per posting): papers in chunks of `CHUNK`; per chunk the sorted
ids of the words it holds, where each word's papers start, and the papers as 16-bit offsets in
the chunk. About 2 bytes per (paper, distinct word): ~75 MB for 300k synthetic abstracts.

Building it tokenises every abstract (~9 s of one core at 300k papers), so `build` works in
small steps a background thread can interleave with the UI, and `tui.wordcache` keeps the result
so an unchanged archive pays that once.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

CHUNK = 16_384  # papers per chunk: offsets fit in 16 bits
STEP = 256  # abstracts tokenised per step: a few ms holding the GIL
CACHE_BYTES = 32 << 20  # hits kept for words asked again (typing one more letter, narrowing)
_TOKEN = re.compile(r"\w+|\x00")  # words, and the separator between two abstracts
_WORD_ONLY = re.compile(r"\w+")
_ALPHA_WORD = re.compile(r"[^\W\d_]{3,}")
_SEP = "\x00"


def indexable(text: str) -> bool:
    """Whether `text` is answered by the index: only word characters (see the module docstring)."""
    return _WORD_ONLY.fullmatch(text) is not None


@dataclass(slots=True)
class Chunk:
    """One chunk of papers: word ids (sorted), where each word's papers start, and the papers."""

    words: np.ndarray  # uint32, sorted
    starts: np.ndarray  # uint32, len(words) + 1
    papers: np.ndarray  # uint16 offsets in the chunk, grouped by word, ascending within a word


class WordIndex:
    """Vocabulary words of a fixed list of (folded) abstracts, and the papers holding each."""

    def __init__(self, joined: str, chunks: list[Chunk], size: int) -> None:
        # The vocabulary as one string, word id i being its i-th line (id 0, the separator, an
        # empty line): one object, not a million small ones, and what `word_ids` searches.
        self.joined = joined
        self.chunks = chunks
        self.size = size  # number of abstracts
        if joined.isascii():  # character positions of the newlines, as `re` reports them
            ends = np.flatnonzero(np.frombuffer(joined.encode("ascii"), dtype=np.uint8) == 10)
        else:
            ends = np.flatnonzero(np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32) == 10)
        self._word_starts = np.concatenate(([0], ends + 1, [len(joined) + 1])).astype(np.int64)
        self._cache: dict[str, np.ndarray] = {}
        self._cached_bytes = 0

    @property
    def words(self) -> int:
        """How many vocabulary entries (word ids) there are."""
        return len(self._word_starts) - 1

    # -- building ----------------------------------------------------------------------------------

    @classmethod
    def build(cls, texts: Sequence[str], step: Callable[[], None] = lambda: None) -> WordIndex:
        """Index `texts` (folded abstracts, in index order). `step()` is called between small steps:
        it may sleep (to yield to the UI) or raise (to give up)."""
        ids: defaultdict[str, int] = defaultdict(itertools.count().__next__)
        ids[_SEP]  # id 0: the separator
        get = ids.__getitem__
        chunks: list[Chunk] = []
        for base in range(0, len(texts), CHUNK):
            part = texts[base : base + CHUNK]
            pieces: list[np.ndarray] = []
            for s in range(0, len(part), STEP):
                step()
                block = [t.replace(_SEP, " ") if _SEP in t else t for t in part[s : s + STEP]]
                tokens = _TOKEN.findall(_SEP + _SEP.join(block))
                pieces.append(_pairs(np.fromiter(map(get, tokens), dtype=np.uint32, count=len(tokens)), s))
            step()
            keys = np.concatenate(pieces) if pieces else np.zeros(0, np.uint64)
            del pieces  # a chunk's pairs live once: ~16 MB, not the ~80 MB its raw tokens took
            chunks.append(_chunk(keys))
        vocab = [""] * len(ids)
        for word, i in ids.items():
            vocab[i] = word
        vocab[0] = ""  # the separator is no word
        return cls("\n".join(vocab), chunks, len(texts))

    # -- asking --------------------------------------------------------------------------------------

    def word_ids(self, text: str) -> np.ndarray:
        """Ids of the vocabulary words containing `text` (sorted)."""
        if not text or "\n" in text:
            return np.zeros(0, dtype=np.uint32)
        found = [m.start() for m in re.finditer(re.escape(text), self.joined)]
        if not found:
            return np.zeros(0, dtype=np.uint32)
        ids = np.searchsorted(self._word_starts, np.asarray(found, dtype=np.int64), side="right") - 1
        return np.unique(ids.astype(np.uint32))

    def papers(self, word_ids: np.ndarray) -> np.ndarray:
        """Positions (sorted, uint32) of the abstracts holding any of `word_ids` (sorted)."""
        mask = np.zeros(self.size, dtype=bool)
        if len(word_ids):
            for n, chunk in enumerate(self.chunks):
                words = chunk.words
                if not len(words):
                    continue
                loc = np.searchsorted(words, word_ids)
                loc[loc >= len(words)] = 0
                sel = loc[words[loc] == word_ids]
                if not len(sel):
                    continue
                begin = chunk.starts[sel].astype(np.int64)
                lengths = chunk.starts[sel + 1].astype(np.int64) - begin
                total = int(lengths.sum())
                # Every range begin[k] .. begin[k] + lengths[k], as one index array.
                shift = np.repeat(begin - (np.cumsum(lengths) - lengths), lengths)
                local = chunk.papers[shift + np.arange(total)]
                mask[n * CHUNK + local.astype(np.int64)] = True
        return np.flatnonzero(mask).astype(np.uint32)

    def hits(self, text: str) -> np.ndarray:
        """Positions of the abstracts containing `text` (which must be `indexable`)."""
        cached = self._cache.get(text)
        if cached is None:
            cached = self.papers(self.word_ids(text))
            if self._cached_bytes + cached.nbytes > CACHE_BYTES:
                self._cache.clear()  # a broad word's hits are 1 MB at 300k papers: bound the bytes
                self._cached_bytes = 0
            self._cache[text] = cached
            self._cached_bytes += cached.nbytes
        return cached

    def alpha_words(self) -> set[str]:
        """Every run of 3+ letters in the abstracts (what typos are matched against)."""
        return set(_ALPHA_WORD.findall(self.joined))

    @property
    def nbytes(self) -> int:
        return sum(c.words.nbytes + c.starts.nbytes + c.papers.nbytes for c in self.chunks)


def _pairs(tokens: np.ndarray, first: int) -> np.ndarray:
    """The distinct (word id << 16 | offset in the chunk) of a step's abstracts, from their token
    ids (each abstract led by a separator, id 0; the first one is abstract `first` of the chunk)."""
    paper = np.cumsum(tokens == 0, dtype=np.uint64) + np.uint64(first) - np.uint64(1)  # tokens[0] is a separator
    keys = (tokens.astype(np.uint64) << np.uint64(16)) | paper
    keys = keys[tokens != 0]
    keys.sort()
    if len(keys):
        keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
    return keys


def _chunk(keys: np.ndarray) -> Chunk:
    """A chunk from its distinct (word, paper) keys (see `_pairs`; steps never share a paper)."""
    keys.sort()
    word = (keys >> np.uint64(16)).astype(np.uint32)
    papers = (keys & np.uint64(0xFFFF)).astype(np.uint16)
    del keys
    if len(word):
        first = np.flatnonzero(np.concatenate(([True], word[1:] != word[:-1])))
    else:
        first = np.zeros(0, dtype=np.int64)
    starts = np.append(first, len(word)).astype(np.uint32)
    return Chunk(word[first], starts, papers)
