"""Find digest files and turn bytes into parsed digests, turning every file problem into a diagnostic.

This is the boundary with the file system: sizes, permissions, encodings, binary junk and symlink
loops are dealt with here, so parsers only ever see clean text.
"""

from __future__ import annotations

import codecs
import glob
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import chain
from operator import attrgetter
from pathlib import Path

from tui.model import Digest, Paper, ParseResult
from tui.parsers import parse_feed_bytes, parse_text
from tui.sanitize import clean, repair_mojibake

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
# A field longer than this (an abstract that swallowed a file, a runaway line) is cut for display:
# real abstracts are under 5k characters, and the reader must stay responsive with it shown.
FIELD_MAX = 200_000
_GLOB_CHARS = set("*?[")


class LoadCancelled(Exception):
    """Raised between files when whoever asked for a load no longer wants it (the reader quit)."""


@dataclass(slots=True, frozen=True)
class Candidate:
    """A file to read. `explicit` files were named by the user; others were found in a folder,
    so a non-digest among them (a README, a PROVENANCE.txt) is skipped with a warning, not an error."""

    path: Path
    explicit: bool


def _failed(path: Path, message: str, level: str = "error", line: int | None = None) -> ParseResult:
    digest = Digest(path=path, format=None)
    if level == "error":
        digest.error(message, line)
    else:
        digest.warn(message, line)
    return ParseResult(digest, [])


def discover(specs: Iterable[str | os.PathLike[str]]) -> tuple[list[Candidate], list[ParseResult]]:
    """Expand files, folders (recursively) and globs into candidate files, in a stable order.

    Returns the candidates and failures for specs that name nothing. Folders are walked following
    symlinks, but each real directory is visited once, so a symlink loop ends with a warning.
    """
    found: dict[Path, Candidate] = {}
    problems: list[ParseResult] = []
    for spec in specs:
        text = os.path.expanduser(os.fspath(spec))
        # A path that exists is that file, even when its name has `[`, `*` or `?` (`hf[1].json`).
        if _GLOB_CHARS & set(text) and not os.path.lexists(text):
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                problems.append(_failed(Path(text), "glob matched no files", "warning"))
            roots = [(Path(m), False) for m in matches]
        else:
            roots = [(Path(text), True)]
        for root, explicit in roots:
            if root.is_dir():
                for path, problem in _walk(root):
                    if problem is not None:
                        problems.append(problem)
                    else:
                        found.setdefault(path.absolute(), Candidate(path, False))
            elif root.exists():
                kind = _not_regular(root)
                if kind is not None:  # a FIFO, device or socket: never opened
                    problems.append(_failed(root, f"not a regular file ({kind})" + ("" if explicit else ", skipped"),
                                            "error" if explicit else "warning"))
                    continue
                key = root.absolute()
                found[key] = Candidate(root, explicit or found.get(key, Candidate(root, False)).explicit)
            elif root.is_symlink():
                problems.append(_failed(root, "broken symbolic link"))
            else:
                problems.append(_failed(root, "no such file or directory"))
    return list(found.values()), problems


def _file_kind(mode: int) -> str | None:
    """What a non-regular file is, for messages; None for a regular file."""
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a directory")):
        if test(mode):
            return name
    return None if stat.S_ISREG(mode) else "not a file"


def _not_regular(path: Path) -> str | None:
    try:
        return _file_kind(path.stat().st_mode)
    except OSError:
        return None  # reading it will say what is wrong


def _walk(root: Path) -> Iterator[tuple[Path, ParseResult | None]]:
    """Regular files under root, sorted, skipping hidden entries; reports symlink loops."""
    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            st = folder.stat()
        except OSError as exc:
            yield folder, _failed(folder, f"cannot open folder: {exc.strerror or exc}")
            continue
        key = (st.st_dev, st.st_ino)
        if key in seen:
            yield folder, _failed(folder, "symbolic link loop: folder already visited, skipped", "warning")
            continue
        seen.add(key)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            yield folder, _failed(folder, f"cannot list folder: {exc.strerror or exc}")
            continue
        subdirs = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                if entry.is_dir():
                    subdirs.append(path)
                elif entry.is_file():
                    yield path, None
                elif entry.is_symlink() and not os.path.exists(entry.path):
                    yield path, _failed(path, "broken symbolic link", "warning")
                else:
                    kind = _file_kind(entry.stat().st_mode)
                    yield path, _failed(path, f"not a regular file ({kind}), skipped", "warning")
            except OSError as exc:
                yield path, _failed(path, f"cannot stat: {exc.strerror or exc}")
        stack.extend(reversed(subdirs))


# What `sanitize.clean` removes, as UTF-8 bytes: ASCII controls (and CR), C1 controls, bidi
# overrides. Checking the bytes first is ~2x faster than searching the decoded text, and most
# files have nothing to remove, so they skip cleaning altogether.
_ASCII_CONTROLS = bytes(range(0, 9)) + bytes(range(11, 32)) + b"\x7f"
_MULTIBYTE_CONTROLS = (
    re.compile(rb"\xc2[\x80-\x9f]"),
    re.compile(rb"\xe2\x80[\xaa-\xae]"),
    re.compile(rb"\xe2\x81[\xa6-\xa9]"),
)


def needs_cleaning(data: bytes) -> bool:
    """True if UTF-8 `data` holds anything `sanitize.clean` would remove."""
    if len(data.translate(None, _ASCII_CONTROLS)) != len(data):
        return True
    return not data.isascii() and any(p.search(data) for p in _MULTIBYTE_CONTROLS)


# Tab, newline and printable ASCII: what nearly every byte of a digest is. Deleting them leaves
# the ASCII controls and the bytes of non-ASCII characters (a few KB a file), to be searched
# instead of the whole text.
_PLAIN_ASCII = b"\t\n" + bytes(range(0x20, 0x7F))
_NON_ASCII = bytes(range(0x80, 0x100))


def _rest_needs_cleaning(rest: bytes) -> bool:
    """`needs_cleaning(data)` for valid UTF-8 `data`, given `rest = data.translate(None, _PLAIN_ASCII)`.

    Same answer: an ASCII control survives the deletion; a multi-byte control's bytes stay side
    by side, since in valid UTF-8 a lead byte is followed directly by its continuation bytes, and
    a lead byte is never a continuation byte, so no new match can form."""
    if not rest:
        return False
    if rest.translate(None, _NON_ASCII):  # an ASCII control
        return True
    return any(p.search(rest) for p in _MULTIBYTE_CONTROLS)


# Double-decoded UTF-8 as UTF-8 bytes: Â..ô (C3 82..C3 B4) then U+0080-00BF (C2 80..C2 BF) or a
# cp1252 stand-in (‚…‰‹‘’“”•–—›: E2 80 xx; € E2 82 AC; ™ E2 84 A2; Œœ Šš Ÿ Žž: C5 xx; ƒ; ˆ ˜).
# Searched in the non-ASCII bytes first (a match in the file is one there too), then, only if
# found there, in the file (two characters apart in the file can be side by side there).
_MOJIBAKE_BYTES = re.compile(rb"\xc3[\x82-\xb4](?:\xc2[\x80-\xbf]|\xe2(?:\x80[\x93-\xba]|\x82\xac|\x84\xa2)|\xc5[\x92\x93\xa0\xa1\xb8\xbd\xbe]|\xc6\x92|\xcb[\x86\x9c])")  # noqa: E501


def decode(data: bytes, digest_warnings: list[tuple[str, int | None]]) -> str:
    """Bytes to clean text: BOMs honoured, invalid UTF-8 replaced (with a warning saying where),
    double-decoded UTF-8 repaired in the lines that have it (before cleaning, which would remove
    the C1 characters the repair needs)."""
    return decode_raw(data, digest_warnings)[0]


def decode_raw(data: bytes, digest_warnings: list[tuple[str, int | None]]) -> tuple[str, bytes | None]:
    """`decode`, and the UTF-8 bytes the text is exactly the decoding of (the file without its
    BOM) when nothing was replaced, repaired or cleaned, else None: a parser may read those
    bytes instead of encoding the text again (see `tui.parsers.xml_entries`)."""
    return _decode_classified(data, *classify_utf8(data), digest_warnings)


PLAIN, MOJIBAKE, DIRTY = "plain", "mojibake", "dirty"


def classify_utf8(data: bytes) -> tuple[bytes, str]:
    """The file without a UTF-8 BOM, and what decoding it involves -- provided it is valid
    UTF-8, which this does not check: PLAIN (decoding changes nothing), MOJIBAKE (double-decoded
    UTF-8 to repair) or DIRTY (something `clean` removes, or a UTF-16 BOM).

    Lets a reader that checks the encoding itself (expat, see `tui.parsers.parse_feed_bytes`)
    skip decoding a plain file first."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data, DIRTY
    rest = data.translate(None, _PLAIN_ASCII)  # see _rest_needs_cleaning
    if not rest.isascii() and _MOJIBAKE_BYTES.search(rest) and _MOJIBAKE_BYTES.search(data):
        return data, MOJIBAKE
    return data, DIRTY if _rest_needs_cleaning(rest) else PLAIN


def _decode_classified(data: bytes, body: bytes, kind: str,
                       digest_warnings: list[tuple[str, int | None]]) -> tuple[str, bytes | None]:
    """`decode_raw`, given what `classify_utf8(data)` said (right whenever `body` is valid UTF-8)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return clean(data.decode("utf-16")), None
        except UnicodeDecodeError:
            pass
    try:
        text = body.decode("utf-8")
        if kind == PLAIN:
            return text, body
        if kind == MOJIBAKE:
            text = repair_mojibake(text)
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        text = body.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        digest_warnings.append(
            (f"invalid UTF-8 (first bad byte at offset {exc.start}); {bad} character(s) replaced with U+FFFD", line)
        )
    return clean(text), None


def _looks_binary(head: bytes) -> bool:
    """Binary, not text with a stray NUL: NULs or other C0 bytes make up more than 1% of the head."""
    if b"\x00" not in head:
        return False
    controls = sum(head.count(bytes([c])) for c in range(0, 9)) + head.count(b"\x0e") + head.count(b"\x7f")
    return controls * 100 > len(head) or head.count(b"\x00") * 100 > len(head)


def _read_at_most(fd: int, limit: int, expected: int) -> bytes:
    """Up to `limit` bytes from `fd`, never more (a file that grows cannot make us read on).

    The first read asks for the size `fstat` gave (plus one byte, to see growth): asking for
    more would allocate a buffer that large for every file."""
    chunks: list[bytes] = []
    left = limit
    ask = min(limit, expected + 1)
    while left > 0:
        chunk = os.read(fd, min(left, ask))
        ask = 1 << 20
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_digest(candidate: Candidate, max_bytes: int = DEFAULT_MAX_BYTES) -> ParseResult:
    """Read, decode and parse one file. Never raises: every problem is a diagnostic on the digest."""
    path = candidate.path
    skip_level = "error" if candidate.explicit else "warning"
    too_big = (f"file is over the {max_bytes / 1e6:.0f} MB limit "
               "(raise digests.max_file_mb to read it)")
    try:
        # Non-blocking open, then the checks on what was opened: a FIFO or a device (even one
        # swapped in after `discover`) is never read, and a read never exceeds the limit.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
        try:
            st = os.fstat(fd)
            kind = _file_kind(st.st_mode)
            if kind == "a directory":
                return _failed(path, "is a directory")
            if kind is not None:
                return _failed(path, f"not a regular file ({kind})", skip_level)
            if st.st_size > max_bytes:
                return _failed(path, f"file is {st.st_size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit "
                                     "(raise digests.max_file_mb to read it)")
            data = _read_at_most(fd, max_bytes + 1, st.st_size)
        finally:
            os.close(fd)
        if len(data) > max_bytes:  # it grew while we read it
            return _failed(path, too_big)
    except PermissionError:
        return _failed(path, "permission denied")
    except IsADirectoryError:
        return _failed(path, "is a directory")
    except BlockingIOError:
        return _failed(path, "cannot read: the file would block (not a regular file?)")
    except OSError as exc:
        return _failed(path, f"cannot read: {exc.strerror or exc}")
    if not data.strip():
        return _failed(path, "empty file", skip_level)
    if _looks_binary(data[:8192]) and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        nul = data.find(b"\x00", 0, 8192)
        return _failed(path, f"binary file (NUL byte at offset {nul}), not a digest", skip_level)
    warnings: list[tuple[str, int | None]] = []
    body, kind = classify_utf8(data)
    # A plain arXiv feed is read from its bytes, its text never decoded as a whole; anything
    # else (or a feed that does not parse there) is decoded and read as text.
    result = parse_feed_bytes(body, path, st.st_mtime) if kind == PLAIN else None
    if result is not None:
        length = len(body)  # at least the number of characters
    else:
        text, raw = _decode_classified(data, body, kind, warnings)
        result = parse_text(text, path, st.st_mtime, raw)
        length = len(text)
    if result.digest.format is None and not candidate.explicit:
        # A non-digest found while walking a folder: worth a note, not a failure.
        result = _failed(path, "skipped: " + "; ".join(d.message for d in result.digest.diagnostics), "warning")
    for message, line in warnings:
        result.digest.warn(message, line)
    if length > FIELD_MAX and _longest_field(result.papers) > FIELD_MAX:  # never true of a real digest
        _cut_huge_fields(result)
    _check_years(result)
    return result


FIRST_YEAR = 1991  # arXiv opened in August 1991: no digest or paper is older


def _check_years(result: ParseResult) -> None:
    """A date outside 1991..next year is a typo or junk: a warning, and no day, not a day in 2091."""
    last = date.today().year + 1
    digest = result.digest
    for name in ("date", "date_start"):
        day = getattr(digest, name)
        if day is not None and not FIRST_YEAR <= day.year <= last:
            setattr(digest, name, None)
            digest.warn(f"digest date {day.isoformat()} is outside {FIRST_YEAR}..{last}; the digest is undated")
    low, high = date(FIRST_YEAR, 1, 1), date(last, 12, 31)
    days = list(filter(None, map(attrgetter("published"), result.papers)))
    if not days or low <= min(days) and max(days) <= high:  # the usual case, checked in C
        return
    for paper in result.papers:
        day = paper.published
        if day is not None and not low <= day <= high:
            paper.published = None
            digest.warn(f"paper {paper.id}: date {day.isoformat()} is outside {FIRST_YEAR}..{last}; ignored")

def _longest_field(papers: list[Paper]) -> int:
    """The longest title, abstract, comment or name, measured without a Python-level loop."""
    fields = chain(map(attrgetter("title"), papers), map(attrgetter("abstract"), papers),
                   filter(None, map(attrgetter("comments"), papers)),
                   chain.from_iterable(map(attrgetter("authors"), papers)))
    return max(map(len, fields), default=0)


def _cut_huge_fields(result: ParseResult) -> None:
    """Cut fields over `FIELD_MAX` characters, with a warning naming the paper and the field."""
    for paper in result.papers:
        cut: list[str] = []
        for name in ("title", "abstract", "comments"):
            value = getattr(paper, name)
            if value is not None and len(value) > FIELD_MAX:
                setattr(paper, name, value[:FIELD_MAX] + " …")
                cut.append(f"{name} ({len(value):,} characters)")
        if any(len(a) > FIELD_MAX for a in paper.authors):
            paper.authors = tuple(a if len(a) <= FIELD_MAX else a[:FIELD_MAX] + " …" for a in paper.authors)
            cut.append("an author name")
        if cut:
            title = paper.title[:60] + ("…" if len(paper.title) > 60 else "")
            result.digest.warn(f"paper {paper.id} ({title!r}): {', '.join(cut)} cut to {FIELD_MAX:,} characters for display")
