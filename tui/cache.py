"""The parse cache: an unchanged digest file is parsed once, then read back from the user cache dir.

Parsing a year of digests takes ~0.5 s, ten years ~5 s of CPU; reading back what was parsed is a
fraction of that. One entry per digest file, named by a hash of its absolute path, holding:

    magic b"PTPC" | u16 layout version | u16 0 | 32-byte parser version | u64 file size |
    i64 file mtime (ns) | u32 path length | path (UTF-8) | u64 payload length | u32 CRC-32 | payload

The payload is JSON (papers as arrays, see `_encode`). An entry is used only when every header
field matches the file as it is now (path, size, mtime, parser version) and the checksum and the
structure check pass; anything else (damaged, truncated, foreign, older parser) is a miss, and the
file is parsed again and the entry rewritten. Nothing is unpickled or evaluated: a cache file can
at worst hold wrong text, never run code. The folder is private (0700), entries 0600, written
atomically (temporary file + rename), so two papertrays sharing a cache never see half an entry.

The parser version is a hash of the source of every module outside the reader, so an edit to a
parser (or to the cleaning or folding) invalidates old entries without anyone bumping a number.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import tempfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import chain
from pathlib import Path
from typing import Any

import platformdirs

from tui.loader import DEFAULT_MAX_BYTES, Candidate, read_digest
from tui.model import Diagnostic, Digest, Format, Kind, Paper, ParseResult
from tui.textpool import PooledPaper, pooled, restore, split

APP_NAME = "papertray"
ENV_CACHE_DIR = "PAPERTRAY_CACHE_DIR"
MAGIC = b"PTPC"
LAYOUT = 2  # the entry layout above and the payload's shape; bump when either changes
ENTRY_SUFFIX = ".ptc"
WORD_INDEX_SUFFIX = ".ptw"  # the abstract word index of an archive (tui.wordcache), kept beside the entries
_HEAD = struct.Struct("<4sHH32sQqI")  # magic, layout, 0, parser version, size, mtime_ns, path length
_TAIL = struct.Struct("<QI")  # payload length, CRC-32
_KINDS = {k.value: k for k in Kind}
_FORMATS = {f.value: f for f in Format}
# What is hashed into the parser version: every module but the reader's (the parsers, the loader,
# the cleaning, the folding the pooled abstracts are stored in, and this module), so any change to
# the code that shapes an entry retires the old entries.
_NOT_SOURCES = ("reader",)


def locate_cache_dir(flag: str | os.PathLike[str] | None = None) -> Path:
    """--cache-dir > $PAPERTRAY_CACHE_DIR > the platform's user cache dir (an empty value means unset)."""
    for value in (flag, os.environ.get(ENV_CACHE_DIR)):
        if value is not None and os.fspath(value) != "":
            return Path(os.path.expanduser(os.fspath(value))).absolute()
    return platformdirs.user_cache_path(APP_NAME)


_VERSION: bytes | None = None


def parser_version() -> bytes:
    """32 bytes that change whenever the code that builds a ParseResult (or the entry layout) does."""
    global _VERSION
    if _VERSION is None:
        h = hashlib.sha256(f"papertray parse cache layout {LAYOUT}".encode())
        root = Path(__file__).resolve().parent
        for f in sorted(root.rglob("*.py")):
            rel = f.relative_to(root)
            if rel.parts[0] in _NOT_SOURCES:
                continue
            try:
                h.update(rel.as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
            except OSError:
                h.update(b"missing " + rel.as_posix().encode())
        _VERSION = h.digest()
    return _VERSION


@dataclass(slots=True)
class CacheInfo:
    path: Path
    entries: int
    bytes: int
    other: int  # files in the folder that are not entries (temporaries left by a crash, strangers)


class ParseCache:
    """Read-through cache of `loader.read_digest`. Never raises: a cache problem only costs a parse."""

    def __init__(self, folder: Path, pool: bool = False) -> None:
        self.folder = Path(folder)
        # The reader sets this: abstracts then go straight into `tui.textpool` as they are read,
        # so the full text and a folded copy never both exist (the CLI wants plain strings).
        self.pool = pool
        self.usable: bool | None = None  # decided on first use (the folder is made then)
        self.problem: str | None = None  # why the cache is not used, for `cache info`
        self.hits = self.misses = self.rebuilt = 0

    # -- the folder -----------------------------------------------------------------------------

    def _ready(self) -> bool:
        """Create the folder private (0700), or check an existing one is ours and private."""
        if self.usable is None:
            try:
                self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
                st = self.folder.stat()
                if hasattr(os, "getuid") and st.st_uid != os.getuid():
                    self.problem = f"{self.folder} belongs to another user; not used"
                elif st.st_mode & 0o077:
                    os.chmod(self.folder, 0o700)  # ours but open to others: close it
                self.usable = self.problem is None and os.access(self.folder, os.W_OK | os.X_OK)
                if not self.usable and self.problem is None:
                    self.problem = f"{self.folder} is not writable; not used"
            except OSError as exc:
                self.problem = f"cannot create {self.folder}: {exc.strerror or exc}"
                self.usable = False
        return self.usable

    def entry_path(self, path: Path) -> Path:
        key = hashlib.sha256(os.fsencode(os.path.abspath(path))).hexdigest()[:40]
        return self.folder / f"{key}{ENTRY_SUFFIX}"

    # -- read through ---------------------------------------------------------------------------

    def read(self, candidate: Candidate, max_bytes: int = DEFAULT_MAX_BYTES) -> ParseResult:
        """What `read_digest(candidate)` returns, from the cache when the file is unchanged."""
        path = candidate.path
        try:
            st = path.stat()
        except OSError:
            return read_digest(candidate, max_bytes)
        if st.st_size > max_bytes or not self._ready():
            return read_digest(candidate, max_bytes)
        entry = self.entry_path(path)
        abspath = os.path.abspath(path)
        found = self._load(entry, abspath, st.st_size, st.st_mtime_ns, path)
        if found is not None:
            self.hits += 1
            return found
        self.misses += 1
        result = read_digest(candidate, max_bytes)
        if result.digest.format is not None:  # a digest (warnings and all); failures are re-tried
            self._store(entry, abspath, st.st_size, st.st_mtime_ns, result)
        return result

    def fresh(self, candidate: Candidate) -> bool:
        """True when the file has an entry made from it as it is now (header only: cheap, no checksum)."""
        if not self._ready():
            return False
        path = candidate.path
        try:
            st = path.stat()
            with open(self.entry_path(path), "rb") as f:
                head = f.read(_HEAD.size + 4096)
        except OSError:
            return False
        if len(head) < _HEAD.size:
            return False
        magic, layout, _zero, version, size, mtime_ns, name_len = _HEAD.unpack_from(head)
        name = os.path.abspath(path).encode("utf-8", "surrogateescape")
        return (magic, layout, version, size, mtime_ns) == (MAGIC, LAYOUT, parser_version(), st.st_size, st.st_mtime_ns) \
            and head[_HEAD.size : _HEAD.size + name_len] == name

    def store(self, candidate: Candidate, st: os.stat_result, result: ParseResult, max_bytes: int = DEFAULT_MAX_BYTES) -> bool:
        """Write the entry for a result parsed elsewhere (a preload worker); `st` is the file's stat
        taken before it was read. True if an entry was written."""
        if result.digest.format is None or st.st_size > max_bytes or not self._ready():
            return False
        path = candidate.path
        return self._store(self.entry_path(path), os.path.abspath(path), st.st_size, st.st_mtime_ns, result)

    def _load(self, entry: Path, abspath: str, size: int, mtime_ns: int, path: Path) -> ParseResult | None:
        try:
            with open(entry, "rb") as f:
                data = f.read()
        except OSError:
            return None
        result = decode_entry(data, abspath, size, mtime_ns, path, self.pool)
        if result is None:
            self.rebuilt += 1  # present but unusable: stale, damaged or foreign; rewritten below
        return result

    def _store(self, entry: Path, abspath: str, size: int, mtime_ns: int, result: ParseResult) -> bool:
        try:
            replace_file(entry, [encode_entry(abspath, size, mtime_ns, result)])
            return True
        except (OSError, ValueError, TypeError):
            return False  # a full disk or a read-only cache only costs the next start a parse

    # -- maintenance ----------------------------------------------------------------------------

    def info(self) -> CacheInfo:
        entries = size = other = 0
        try:
            with os.scandir(self.folder) as it:
                for e in it:
                    if e.is_file(follow_symlinks=False) and e.name.endswith((ENTRY_SUFFIX, WORD_INDEX_SUFFIX)):
                        entries += 1
                        size += e.stat(follow_symlinks=False).st_size
                    else:
                        other += 1
        except FileNotFoundError:
            pass
        return CacheInfo(self.folder, entries, size, other)

    def clear(self) -> int:
        """Remove every entry and word index (and leftover temporaries); returns how many files went."""
        removed = 0
        try:
            with os.scandir(self.folder) as it:
                names = [e.name for e in it if e.is_file(follow_symlinks=False)
                         and (e.name.endswith((ENTRY_SUFFIX, WORD_INDEX_SUFFIX)) or e.name.startswith(".tmp-"))]
        except FileNotFoundError:
            return 0
        for name in names:
            try:
                os.unlink(self.folder / name)
                removed += 1
            except FileNotFoundError:
                pass
        return removed


# -- the entry format ---------------------------------------------------------------------------------


def replace_file(target: Path, pieces: Iterable[bytes | memoryview]) -> None:
    """Write `pieces` to a temporary file beside `target`, then rename it over `target`: a reader
    sees the old file or the whole new one, never part of it (no fsync: a cache file lost to a
    crash only costs a rebuild). Raises OSError; the temporary file never stays behind."""
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            for piece in pieces:
                f.write(piece)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def encode_entry(abspath: str, size: int, mtime_ns: int, result: ParseResult) -> bytes:
    payload = json.dumps(_encode(result), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    name = abspath.encode("utf-8", "surrogateescape")
    head = _HEAD.pack(MAGIC, LAYOUT, 0, parser_version(), size, mtime_ns, len(name))
    return b"".join((head, name, _TAIL.pack(len(payload), zlib.crc32(payload)), payload))


def decode_entry(
    data: bytes, abspath: str, size: int, mtime_ns: int, path: Path, pool: bool = False
) -> ParseResult | None:
    """The ParseResult in `data` if it is a sound entry for this very file as it is now, else None."""
    if len(data) < _HEAD.size + _TAIL.size:
        return None
    magic, layout, _zero, version, e_size, e_mtime, name_len = _HEAD.unpack_from(data)
    if magic != MAGIC or layout != LAYOUT or version != parser_version() or e_size != size or e_mtime != mtime_ns:
        return None
    at = _HEAD.size
    if data[at : at + name_len] != abspath.encode("utf-8", "surrogateescape"):
        return None  # another file's entry under this name (a hash collision, or a copied folder)
    at += name_len
    if len(data) < at + _TAIL.size:
        return None
    length, crc = _TAIL.unpack_from(data, at)
    at += _TAIL.size
    payload = memoryview(data)[at:]
    if len(payload) != length or zlib.crc32(payload) != crc:
        return None  # truncated, or damaged on disk
    try:
        return _decode(json.loads(bytes(payload)), path, pool)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError, RecursionError):
        return None  # sound bytes, wrong shape: not ours


_COLUMNS = ("id", "title", "abstract", "authors", "author_count", "organization", "published", "upvotes",
            "categories", "links", "kind", "comments", "num_comments")


def _encode(result: ParseResult) -> dict:
    """The payload: the digest's fields, and the papers column by column (one JSON list per field), which
    lets `_decode` check and convert each column in one C-level pass instead of paper by paper."""
    d = result.digest
    papers = result.papers
    # Abstracts are stored casefolded with their case fixes (see tui.textpool), or as given when
    # they cannot be: the reader pools them without folding anything at start-up.
    parts = [split(p.abstract) for p in papers]
    return {
        "format": d.format.value if d.format else None,
        "date": d.date.toordinal() if d.date else None,
        "date_start": d.date_start.toordinal() if d.date_start else None,
        "diagnostics": [[x.level, x.message, x.line] for x in d.diagnostics],
        "papers": len(papers),
        "id": [p.id for p in papers],
        "title": [p.title for p in papers],
        "abstract": [p.abstract if x is None else x[0] for p, x in zip(papers, parts)],
        "case": [None if x is None else x[1] for x in parts],
        "case_chars": [None if x is None else x[2] for x in parts],
        "authors": [p.authors for p in papers],
        "author_count": [p.author_count for p in papers],
        "organization": [p.organization for p in papers],
        "published": [p.published.toordinal() if p.published else None for p in papers],
        "upvotes": [p.upvotes for p in papers],
        "categories": [p.categories for p in papers],
        "links": [p.links for p in papers],
        "kind": [p.kind.value for p in papers],
        "comments": [p.comments for p in papers],
        "num_comments": [p.num_comments for p in papers],
    }


_STR, _INT, _NONE, _LIST, _DICT = str, int, type(None), list, dict


def _column(obj: dict, name: str, n: int, allowed: set[Any]) -> list:
    col = obj[name]
    if type(col) is not list or len(col) != n or not set(map(type, col)) <= allowed:
        raise TypeError(f"bad column {name}")
    return col


def _str_lists(col: list) -> list[tuple[str, ...]]:
    if not set(map(type, chain.from_iterable(col))) <= {_STR}:
        raise TypeError("not lists of strings")
    return list(map(tuple, col))


def _days(col: list) -> list[date | None]:
    fromordinal = date.fromordinal
    return [None if v is None else fromordinal(v) for v in col]


def _decode(obj: dict, path: Path, pool: bool = False) -> ParseResult:
    """Rebuild a ParseResult, checking every value's type (a wrong one raises, and the entry is a miss)."""
    fmt = obj["format"]
    digest = Digest(path=path, format=_FORMATS[fmt] if fmt is not None else None,
                    date=_days([obj["date"]])[0], date_start=_days([obj["date_start"]])[0])
    for level, message, line in obj["diagnostics"]:
        if level not in ("error", "warning") or type(message) is not str or (line is not None and type(line) is not int):
            raise TypeError("bad diagnostic")
        digest.diagnostics.append(Diagnostic(level, message, line))
    n = obj["papers"]
    if type(n) is not int:
        raise TypeError("bad count")
    s, si, sn = {_STR}, {_INT, _NONE}, {_STR, _NONE}
    ids, titles, abstracts = (_column(obj, c, n, s) for c in ("id", "title", "abstract"))
    authors = _str_lists(_column(obj, "authors", n, {_LIST}))
    categories = _str_lists(_column(obj, "categories", n, {_LIST}))
    counts, upvotes, ncomments = (_column(obj, c, n, si) for c in ("author_count", "upvotes", "num_comments"))
    orgs, comments = (_column(obj, c, n, sn) for c in ("organization", "comments"))
    published = _days(_column(obj, "published", n, si))
    links = _column(obj, "links", n, {_DICT})
    if not set(map(type, chain.from_iterable(map(dict.values, links)))) <= s:
        raise TypeError("bad links")
    kinds = list(map(_KINDS.__getitem__, _column(obj, "kind", n, s)))
    case = _column(obj, "case", n, {_LIST, _NONE})
    case_chars = _column(obj, "case_chars", n, sn)
    if not set(map(type, chain.from_iterable(c for c in case if c))) <= {_INT}:
        raise TypeError("bad case positions")
    for text, pos, chars in zip(abstracts, case, case_chars):
        if pos is not None and (
            chars is None or len(chars) != len(pos) or (pos and not 0 <= min(pos) <= max(pos) < len(text))
        ):
            raise ValueError("bad case fixes")
    join = pooled if pool else restore  # only once every column has been checked
    values = [text if pos is None else join(text, pos, chars) for text, pos, chars in zip(abstracts, case, case_chars)]
    papers = list(map(PooledPaper if pool else Paper, ids, titles, values, authors, counts, orgs, published,
                      upvotes, categories, links, kinds, comments, ncomments))
    return ParseResult(digest, papers)
