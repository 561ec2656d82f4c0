"""A TOML file of records as *pieces*, one per `[[section]]`, so reads and writes touch only changes.

The file is split at its `[[` headers (`raw.split(b"\\n[[")`); a piece byte for byte equal to one
we know (last written or read, in the same place or anywhere) reuses its record, so picking up a
peer's change to one entry of 5,000 parses one entry, and a save re-encodes only what changed.
Any piece that does not parse on its own sends the whole file through tomllib, which gives the
error message its line. Only *self-contained* pieces (every defaulted value stated: a position,
the times) are reused as they are; the others decode differently depending on where they are or
when the file was written, so they are decoded and encoded afresh.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from datetime import datetime, timezone
from itertools import compress, repeat
from operator import attrgetter, eq, is_, is_not
from pathlib import Path
from typing import Any, ClassVar, Generic

from tui.persist import Corrupt, R, Stamp, pick_latest, stamp_of


class PieceFile(Generic[R]):
    """Decoding and encoding for `tui.recordfile.TomlStore`; subclasses fill in the hooks."""

    SECTIONS: ClassVar[tuple[str, ...]]  # the [[array]] names that hold records, in file order
    VERSION: ClassVar[int]
    READS_VERSIONS: ClassVar[tuple[int, ...]]

    def __init__(self) -> None:
        self._cache: dict[str, tuple[R, bytes]] = {}  # id -> (record, its piece of the file)
        self._written: list[bytes] = []  # the pieces of the file as last written or read, in order
        self._written_records: list[R | None] = []  # their records (None: decode it again)
        self._fresh: list[int] = []
        self._file_version = self.VERSION

    # subclass hooks -------------------------------------------------------------------------

    def _decode_item(self, section: str, table: Any, default_time: datetime, prev: R | None) -> R:
        """One record from its table; ValueError names what is wrong. `prev`: the record above."""
        raise NotImplementedError

    def _encode_record(self, record: R) -> str:
        """One record as TOML starting with its `[[section]]` header (cached per record)."""
        raise NotImplementedError

    def _file_order(self, records: Mapping[str, R]) -> list[R]:
        raise NotImplementedError

    def _is_tombstone(self, record: R) -> bool:
        return False

    def _self_contained(self, piece: bytes) -> bool:
        """True if `piece` decodes the same wherever it is and whenever the file was written."""
        return False

    def _combine(self, mine: R, theirs: R) -> R:
        """Settle a key both sides changed; on a tie the disk (`theirs`) wins (a hand edit)."""
        return mine if mine.updated > theirs.updated else theirs

    # reading --------------------------------------------------------------------------------

    def _read(self, path: Path, *, live: bool = False) -> tuple[dict[str, R], Stamp]:
        """Decode `path`; raise `Corrupt` for anything unusable, OSError if it cannot be opened.

        `live`: this is our own file, so remember its pieces for the next incremental read.
        """
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            raw = f.read()
        default_time = datetime.fromtimestamp(st.st_mtime, timezone.utc)
        try:
            records, errors, pieces, aligned = self._decode_pieces(raw, default_time)
        except (UnicodeDecodeError, tomllib.TOMLDecodeError):
            records, errors = self._decode_whole(raw, default_time)
            pieces, aligned = [], []
            self._fresh = []
        if errors:
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            raise Corrupt(errors[0] + more, records)
        if live and pieces and self._file_version == self.VERSION:
            # A piece that states every defaulted value (position, times) decodes the same
            # wherever it is: it can be reused as it is, by the next read and by the next save,
            # which then encodes nothing after opening (and keeps the user's layout). Others are
            # decoded and encoded afresh.
            cache = self._cache
            kept = list(aligned)
            for i in self._fresh:  # pieces identical to known ones were vetted when first seen
                record, piece = kept[i], pieces[i]
                if record is not None and piece.endswith(b"\n") and self._self_contained(piece):
                    if record.id not in cache:
                        cache[record.id] = (record, piece)
                else:
                    kept[i] = None
            self._written, self._written_records = pieces, kept
        return records, stamp_of(st)

    def _check_version(self, doc: dict[str, Any]) -> None:
        version = doc.get("version")
        if version not in self.READS_VERSIONS:
            if version is None:
                raise Corrupt("no 'version' key")
            raise Corrupt(f"version {version!r} is not {self.VERSION} (written by a newer papertray?)")
        self._file_version = version

    def _decode_pieces(
        self, raw: bytes, default_time: datetime
    ) -> tuple[dict[str, R], list[str], list[bytes], list[R | None]]:
        """Decode piece by piece, reusing the records of pieces identical to what we know."""
        pieces = raw.split(b"\n[[")
        header = tomllib.loads(pieces[0].decode("utf-8"))
        if any(section in header for section in self.SECTIONS):
            raise UnicodeDecodeError("utf-8", b"", 0, 0, "not split cleanly")  # let the whole-file parse judge
        self._check_version(header)
        body = pieces[1:]
        known, known_records = self._written, self._written_records
        n = len(body)
        same = list(map(eq, body, known))  # positional, memcmp: the usual case is "all but one"
        same += [False] * (n - len(same))
        aligned: list[R | None] = [r if ok else None for r, ok in zip(known_records, same)]
        aligned += [None] * (n - len(aligned))
        errors: list[str] = []
        misses = list(compress(range(n), map(is_, aligned, repeat(None))))
        self._fresh = misses
        if misses:
            by_bytes = dict(zip(known, known_records))
            for i in misses:
                record = by_bytes.get(body[i])
                if record is None:
                    doc = tomllib.loads("[[" + body[i].decode("utf-8"))
                    record = self._decode_piece(doc, default_time, aligned, i, body, errors)
                aligned[i] = record
        found = list(filter(None, aligned))  # records are always true
        records = dict(zip(map(attrgetter("id"), found), found))
        if len(records) != len(found):  # the same id twice (a hand edit): keep the newest
            records = {}
            for r in found:
                pick_latest(records, r)
        return records, errors, body, aligned

    def _decode_piece(self, doc, default_time, aligned, i, body, errors):
        """The one record a changed piece holds (None, with an error, if it does not decode)."""
        for section in self.SECTIONS:
            tables = doc.get(section)
            if tables is None:
                continue
            prev = next((r for r in reversed(aligned[:i]) if r is not None and self._section_of(r) == section), None)
            for t in tables if isinstance(tables, list) else [tables]:
                try:
                    return self._decode_item(section, t, default_time, prev)
                except (ValueError, KeyError) as exc:
                    number = 1 + sum(1 for p in body[:i] if p.startswith(section.encode() + b"]]"))
                    pid = t.get("id") if isinstance(t, dict) else None
                    errors.append(f"{section} #{number}{f' ({pid})' if isinstance(pid, str) else ''}: {exc}")
                    return None
        return None

    def _section_of(self, record: R) -> str:
        return self.SECTIONS[-1] if self._is_tombstone(record) else self.SECTIONS[0]

    def _decode_whole(self, raw: bytes, default_time: datetime) -> tuple[dict[str, R], list[str]]:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Corrupt(f"not UTF-8 text (byte {exc.start})") from None
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise Corrupt(f"invalid TOML: {exc}") from None
        self._check_version(doc)
        records: dict[str, R] = {}
        errors: list[str] = []
        counts = dict.fromkeys(self.SECTIONS, 0)
        prev: dict[str, R | None] = dict.fromkeys(self.SECTIONS, None)
        self._decode_doc(doc, default_time, records, errors, counts, prev)
        return records, errors

    def _decode_doc(self, doc, default_time, records, errors, counts, prev) -> None:
        for section in self.SECTIONS:
            tables = doc.get(section, [])
            if not isinstance(tables, list):
                errors.append(f"'{section}' must be an array of tables ([[{section}]])")
                continue
            for t in tables:
                counts[section] += 1
                try:
                    record = self._decode_item(section, t, default_time, prev[section])
                except (ValueError, KeyError) as exc:
                    pid = t.get("id") if isinstance(t, dict) else None
                    errors.append(f"{section} #{counts[section]}{f' ({pid})' if isinstance(pid, str) else ''}: {exc}")
                    continue
                prev[section] = record
                pick_latest(records, record)

    # writing --------------------------------------------------------------------------------

    def _pieces(self, records: list[R]) -> list[bytes]:
        """Each record's piece of the file (its TOML after the leading `[[`), re-encoding only changes.

        tomli-w needs ~0.1 ms per queue entry; caching keeps a 5,000-entry save at a few ms.
        """
        written = self._written_records
        if len(written) == len(records):  # the usual save: the same records in place, but one or two
            out = list(self._written)
            for i in compress(range(len(records)), map(is_not, records, written)):
                out[i] = self._piece(records[i])
            return out
        return [self._piece(record) for record in records]

    def _piece(self, record: R) -> bytes:
        cache = self._cache
        hit = cache.get(record.id)
        if hit is None or (hit[0] is not record and hit[0] != record):
            text = self._encode_record(record)
            hit = cache[record.id] = (record, text.encode("utf-8")[2:])
        elif hit[0] is not record:
            hit = cache[record.id] = (record, hit[1])
        return hit[1]
