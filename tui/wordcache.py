"""The abstract word index kept in the cache folder, so an unchanged archive is indexed once.

Building the index (`tui.wordindex`) tokenises every abstract: ~9 s of one core for ten years.
Its file sits beside the parse cache entries (`tui.cache`, same private folder), named by a key
made from the indexed texts themselves (ids, lengths and a CRC of every folded abstract), so
an index is only ever used for exactly the texts it was built from.

The file is plain numbers, never pickle: a header, the vocabulary as UTF-8, the chunk arrays as
little-endian integers, and a CRC-32 of all of it. Anything that does not check out (damaged,
truncated, foreign, another layout) is ignored and rebuilt; a cache problem only costs a build.
"""

from __future__ import annotations

import hashlib
import os
import struct
import unicodedata
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np

from tui.cache import WORD_INDEX_SUFFIX as SUFFIX
from tui.cache import replace_file
from tui.wordindex import CHUNK, Chunk, WordIndex

MAGIC = b"PTWI"
LAYOUT = 2  # bump when the file layout or the index's meaning changes
KEEP = 2  # index files kept (the newest): one per archive a user reads, and one to spare
_HEAD = struct.Struct("<4sH32sQIQ")  # magic, layout, key, papers, chunks, vocabulary bytes
_CHUNK = struct.Struct("<IQ")  # words in the chunk, postings in the chunk
_CRC = struct.Struct("<I")
_U32, _U16 = np.dtype("<u4"), np.dtype("<u2")


def key_for(ids: Sequence[str], texts: Sequence[str]) -> bytes:
    """32 bytes naming exactly these texts in this order (what the index answers for), and the
    Unicode tables `\\w` comes from (a Python upgrade may change what a word is)."""
    h = hashlib.sha256(b"papertray word index %d %s\n" % (LAYOUT, unicodedata.unidata_version.encode()))
    h.update("\n".join(ids).encode("utf-8", "surrogatepass"))
    crc = 0
    lengths = np.fromiter(map(len, texts), dtype=np.uint64, count=len(texts))
    for text in texts:
        crc = zlib.crc32(text.encode("utf-8", "surrogatepass"), crc)
    h.update(lengths.tobytes() + crc.to_bytes(4, "little"))
    return h.digest()


def file_for(folder: Path, key: bytes) -> Path:
    return folder / f"words-{key.hex()[:24]}{SUFFIX}"


def _pieces(key: bytes, index: WordIndex) -> Iterator[bytes | memoryview]:
    """The file, piece by piece (arrays as views: writing them copies nothing)."""
    vocab = index.joined.encode("utf-8", "surrogatepass")
    yield _HEAD.pack(MAGIC, LAYOUT, key, index.size, len(index.chunks), len(vocab))
    yield b"".join(_CHUNK.pack(len(c.words), len(c.papers)) for c in index.chunks)
    end = _HEAD.size + _CHUNK.size * len(index.chunks) + len(vocab)
    yield vocab + b"\0" * (-end % 8)  # the arrays start 8-byte aligned in the file (and in memory)
    for c in index.chunks:
        for array, dtype in ((c.words, _U32), (c.starts, _U32), (c.papers, _U16)):
            yield np.ascontiguousarray(array, dtype=dtype).data.cast("B")
        yield b"\0" * (-(len(c.words) * 8 + 4 + len(c.papers) * 2) % 8)


def _with_crc(pieces: Iterator[bytes | memoryview]) -> Iterator[bytes | memoryview]:
    """`pieces`, then the CRC-32 of all of them."""
    crc = 0
    for piece in pieces:
        crc = zlib.crc32(piece, crc)
        yield piece
    yield _CRC.pack(crc)


def encode(key: bytes, index: WordIndex) -> bytes:
    """The whole file in memory (tests; `save` streams it)."""
    return b"".join(_with_crc(_pieces(key, index)))


def decode(data: bytes, key: bytes, size: int | None = None) -> WordIndex | None:
    """The index in `data` for `size` texts, or None unless every check passes (never raises on
    bad bytes)."""
    try:
        return _decode(memoryview(data), key, size)
    except (ValueError, struct.error, UnicodeDecodeError, IndexError, OverflowError):
        return None


def _decode(data: memoryview, key: bytes, expected: int | None) -> WordIndex | None:
    if len(data) < _HEAD.size + _CRC.size or zlib.crc32(data[: -_CRC.size]) != _CRC.unpack(data[-_CRC.size :])[0]:
        return None
    magic, layout, got_key, size, nchunks, vocab_len = _HEAD.unpack_from(data, 0)
    if (magic != MAGIC or layout != LAYOUT or got_key != key or nchunks != -(-size // CHUNK)
            or (expected is not None and size != expected)):
        return None
    at = _HEAD.size
    shapes = []
    for _ in range(nchunks):
        shapes.append(_CHUNK.unpack_from(data, at))
        at += _CHUNK.size
    joined = bytes(data[at : at + vocab_len]).decode("utf-8", "surrogatepass")
    at += vocab_len
    at += -at % 8
    if not joined.startswith("\n") and joined:  # id 0, the separator, is an empty line
        return None
    words_total = joined.count("\n") + 1
    chunks = []
    for n, (words_n, papers_n) in enumerate(shapes):
        words = np.frombuffer(data, _U32, words_n, at)
        at += words.nbytes
        starts = np.frombuffer(data, _U32, words_n + 1, at)
        at += starts.nbytes
        papers = np.frombuffer(data, _U16, papers_n, at)
        at += papers.nbytes + (-(words_n * 8 + 4 + papers_n * 2) % 8)
        in_chunk = min(CHUNK, size - n * CHUNK)
        ok = (
            (not words_n or (0 < int(words[0]) and int(words[-1]) < words_total and bool(np.all(words[1:] > words[:-1]))))
            and int(starts[0]) == 0 and int(starts[-1]) == papers_n and bool(np.all(starts[1:] > starts[:-1]))
            and (not papers_n or int(papers.max()) < in_chunk)
        )
        if not ok:
            return None
        chunks.append(Chunk(words, starts, papers))
    if at != len(data) - _CRC.size:
        return None
    return WordIndex(joined, chunks, size)


def load(folder: Path, key: bytes, size: int | None = None) -> WordIndex | None:
    path = file_for(folder, key)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    index = decode(data, key, size)
    if index is not None:
        try:
            os.utime(path)  # in use: the newest files are the ones kept (see `save`)
        except OSError:
            pass
    return index


def save(folder: Path, key: bytes, index: WordIndex) -> bool:
    """Write the index atomically (temp file, rename), streaming it with its CRC (no copy of the
    arrays), and drop all but the newest `KEEP` files."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        replace_file(file_for(folder, key), _with_crc(_pieces(key, index)))
    except OSError:
        return False
    try:
        others = sorted(((p.stat().st_mtime, p) for p in folder.glob(f"words-*{SUFFIX}")), reverse=True)
        for _mtime, old in others[KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # another instance tidied up first
    return True


def obtain(ids: Sequence[str], texts: Sequence[str], folder: Path | None, step: Callable[[], None]) -> WordIndex:
    """The word index of `texts`: read from `folder` when one was built for exactly them, else
    built (calling `step` between small steps) and saved there."""
    if folder is None:
        return WordIndex.build(texts, step)
    key = key_for(ids, texts)
    index = load(folder, key, len(texts))
    if index is None:
        index = WordIndex.build(texts, step)
        save(folder, key, index)
    return index
