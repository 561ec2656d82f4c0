"""The parse cache: hits are faithful, and anything odd in the cache folder costs a parse, never trust."""

from __future__ import annotations

import json
import os
import stat
import struct
import time
import zlib
from dataclasses import fields
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tui import cache as cache_mod
from tui.cache import ParseCache, encode_entry
from tui.cli import main
from tui.loader import Candidate, discover, read_digest
from tui.model import ParseResult
from tui.preload import Preload

ONE = FIXTURES / "app" / "hf-daily-2026-11-20.txt"


def _fields(result: ParseResult) -> tuple:
    d = result.digest
    papers = tuple(tuple(getattr(p, f.name) for f in fields(p) if f.name != "digests") for p in result.papers)
    return (d.path, d.format, d.date, d.date_start, tuple(d.diagnostics), papers)


def _copy(tmp_path: Path, src: Path = ONE) -> Path:
    dst = tmp_path / "digests" / src.name
    dst.parent.mkdir(exist_ok=True)
    dst.write_bytes(src.read_bytes())
    return dst


class Counting:
    """Counts real parses by wrapping the cache module's read_digest."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        real = cache_mod.read_digest

        def counted(*args, **kwargs):
            self.calls += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(cache_mod, "read_digest", counted)


@pytest.mark.parametrize("folder", ["app", "hf_text", "hf_json", "arxiv_email", "arxiv_xml"])
def test_a_hit_is_what_parsing_gives(tmp_path: Path, folder: str) -> None:
    cache = ParseCache(tmp_path / "cache")
    candidates, _ = discover([FIXTURES / folder])
    assert candidates
    for c in candidates:
        parsed = read_digest(c)
        first = cache.read(c)
        second = cache.read(c)
        assert _fields(first) == _fields(parsed) == _fields(second)
    stored = sum(1 for c in candidates if read_digest(c).digest.format is not None)
    assert cache.hits == stored and cache.info().entries == stored


def test_an_unchanged_file_is_parsed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _copy(tmp_path)
    count = Counting(monkeypatch)
    cache = ParseCache(tmp_path / "cache")
    for _ in range(3):
        assert cache.read(Candidate(path, True)).papers
    assert count.calls == 1
    # A fresh instance (the next start) reads the entry too.
    assert ParseCache(tmp_path / "cache").read(Candidate(path, True)).papers and count.calls == 1


def test_a_changed_file_is_parsed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _copy(tmp_path)
    cache = ParseCache(tmp_path / "cache")
    before = cache.read(Candidate(path, True))
    text = path.read_text()
    title = before.papers[0].title
    path.write_text(text.replace(title, title + " Revisited", 1))
    count = Counting(monkeypatch)
    after = cache.read(Candidate(path, True))
    assert count.calls == 1 and after.papers[0].title == title + " Revisited"
    # Same size, new mtime: still a miss.
    os.utime(path, ns=(1, 1))
    assert cache.read(Candidate(path, True)).papers and count.calls == 2


def _entry(tmp_path: Path) -> tuple[ParseCache, Path, Path]:
    path = _copy(tmp_path)
    cache = ParseCache(tmp_path / "cache")
    cache.read(Candidate(path, True))
    entry = cache.entry_path(path)
    assert entry.exists()
    return cache, path, entry


def _damaged(data: bytes) -> dict[str, bytes]:
    mid = len(data) - 100
    return {
        "flipped byte": data[:mid] + bytes([data[mid] ^ 0x20]) + data[mid + 1 :],
        "truncated": data[: len(data) // 2],
        "header only": data[:20],
        "empty": b"",
        "foreign": b"PK\x03\x04" + os.urandom(500),
        "wrong magic": b"XXXX" + data[4:],
        "zip bomb looking": b"\x1f\x8b" + b"\0" * 100,
    }


@pytest.mark.parametrize("damage", list(_damaged(b"x" * 400)))
def test_damaged_entries_are_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str) -> None:
    _cache, path, entry = _entry(tmp_path)
    good = entry.read_bytes()
    entry.write_bytes(_damaged(good)[damage])
    count = Counting(monkeypatch)
    fresh = ParseCache(tmp_path / "cache")
    result = fresh.read(Candidate(path, True))
    assert count.calls == 1
    assert _fields(result) == _fields(read_digest(Candidate(path, True)))
    assert fresh.rebuilt == 1 and entry.read_bytes() == good  # rewritten whole
    fresh.read(Candidate(path, True))
    assert count.calls == 1 and fresh.hits == 1


def test_an_entry_of_another_file_is_not_used(tmp_path: Path) -> None:
    cache, _path, entry = _entry(tmp_path)
    other = _copy(tmp_path, FIXTURES / "app" / "hf-daily-2026-11-18.txt")
    # Put the first file's entry where the second's belongs (a copied folder, a hash collision).
    cache.entry_path(other).write_bytes(entry.read_bytes())
    result = ParseCache(tmp_path / "cache").read(Candidate(other, True))
    assert _fields(result) == _fields(read_digest(Candidate(other, True)))


def test_sound_bytes_of_the_wrong_shape_are_not_trusted(tmp_path: Path) -> None:
    """Checksum right, JSON valid, values wrong: still a miss (the structure check catches it)."""
    _cache, path, entry = _entry(tmp_path)
    data = entry.read_bytes()
    head_len = cache_mod._HEAD.size + len(os.path.abspath(path).encode())
    payload = json.loads(data[head_len + cache_mod._TAIL.size :])
    scalars = ("papers", "format", "date", "date_start")
    for column, bad in (("title", 7), ("authors", "not a list"), ("links", [1]), ("kind", "bogus"), ("papers", 10**6),
                        ("published", 0), ("published", 10**7), ("published", True), ("format", "bogus"),
                        ("date", 0), ("date", "2026-11-20"), ("date_start", 10**12), ("date", 1.5)):
        evil = dict(payload)
        evil[column] = [bad] * len(payload["id"]) if column not in scalars else bad
        body = json.dumps(evil).encode()
        entry.write_bytes(data[:head_len] + struct.pack("<QI", len(body), zlib.crc32(body)) + body)
        fresh = ParseCache(tmp_path / "cache")
        result = fresh.read(Candidate(path, True))
        assert fresh.hits == 0 and fresh.rebuilt == 1, (column, bad)
        assert all(isinstance(p.title, str) for p in result.papers)


def test_a_new_parser_version_invalidates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _cache, path, _entry_path = _entry(tmp_path)
    monkeypatch.setattr(cache_mod, "_VERSION", b"\x01" * 32)
    count = Counting(monkeypatch)
    fresh = ParseCache(tmp_path / "cache")
    assert not fresh.fresh(Candidate(path, True))
    fresh.read(Candidate(path, True))
    assert count.calls == 1 and fresh.fresh(Candidate(path, True))


def test_folder_and_entries_are_private(tmp_path: Path) -> None:
    cache, path, entry = _entry(tmp_path)
    assert stat.S_IMODE(cache.folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    # An existing folder open to others is closed on first use.
    loose = tmp_path / "loose"
    loose.mkdir()
    os.chmod(loose, 0o755)
    ParseCache(loose).read(Candidate(path, True))
    assert stat.S_IMODE(loose.stat().st_mode) == 0o700


def test_an_unusable_folder_only_costs_a_parse(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    cache = ParseCache(blocker / "cache")
    result = cache.read(Candidate(path, True))
    assert _fields(result) == _fields(read_digest(Candidate(path, True)))
    assert cache.usable is False and "cannot create" in (cache.problem or "")


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to give the folder away")
def test_a_folder_owned_by_someone_else_is_not_used(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    folder = tmp_path / "theirs"
    folder.mkdir(mode=0o700)
    os.chown(folder, 65534, 65534)
    cache = ParseCache(folder)
    assert cache.read(Candidate(path, True)).papers
    assert cache.usable is False and "another user" in (cache.problem or "") and not list(folder.iterdir())


def test_entry_header_names_the_file(tmp_path: Path) -> None:
    """The layout the module docstring promises: magic, layout, parser version, size, mtime, path."""
    _cache, path, entry = _entry(tmp_path)
    data = entry.read_bytes()
    magic, layout, _z, version, size, mtime_ns, name_len = cache_mod._HEAD.unpack_from(data)
    st = path.stat()
    assert (magic, layout, version, size, mtime_ns) == (b"PTPC", cache_mod.LAYOUT, cache_mod.parser_version(),
                                                        st.st_size, st.st_mtime_ns)
    assert data[cache_mod._HEAD.size : cache_mod._HEAD.size + name_len].decode() == os.path.abspath(path)
    assert encode_entry(os.path.abspath(path), size, mtime_ns, read_digest(Candidate(path, True))) == data


def test_cli_cache_info_and_clear(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "c"
    assert main(["--cache-dir", str(folder), "list", str(FIXTURES / "app")]) == 0
    capsys.readouterr()
    assert main(["cache", "info", "--cache-dir", str(folder)]) == 0
    out = capsys.readouterr().out
    assert str(folder) in out and "entries  3 " in out
    (folder / ".tmp-crashed").write_text("half an entry")
    assert main(["--cache-dir", str(folder), "cache", "clear"]) == 0
    assert "removed 4 file(s)" in capsys.readouterr().out
    assert not list(folder.iterdir())
    # The environment variable works too.
    monkeypatch.setenv("PAPERTRAY_CACHE_DIR", str(folder))
    assert main(["cache", "info"]) == 0 and "entries  0 " in capsys.readouterr().out


def test_preload_with_cache_matches_and_second_start_forks_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tui.preload.MIN_BYTES_TO_FORK", 0)
    monkeypatch.setattr("tui.preload.START_GRACE_S", 0)
    folder = FIXTURES / "app"
    plain = [_fields(r) for r in Preload([folder], 1 << 26, workers=1).results()]
    first = Preload([folder], 1 << 26, workers=2, cache=ParseCache(tmp_path / "c"))
    assert first.jobs  # parsing happened in forked workers
    assert [_fields(r) for r in first.results()] == plain
    # The entries are written by the workers' children after the results were sent: wait for them.
    deadline = time.monotonic() + 10
    while ParseCache(tmp_path / "c").info().entries < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    # A small corpus: the workers read every file, from the cache now (nothing left to parse).
    second = Preload([folder], 1 << 26, workers=2, cache=ParseCache(tmp_path / "c"))
    assert second.jobs and second.worker_fresh == {0, 1, 2}
    assert [_fields(r) for r in second.results()] == plain
    # A big archive: this process decodes every entry itself, and nothing is forked or parsed.
    monkeypatch.setattr("tui.preload.PREVIEW_MIN_BYTES", 0)
    third = Preload([folder], 1 << 26, workers=2, cache=ParseCache(tmp_path / "c"))
    assert not third.jobs and third.fresh == {0, 1, 2}
    count = Counting(monkeypatch)
    assert [_fields(r) for r in third.results()] == plain and count.calls == 0


def test_preload_survives_a_worker_that_dies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tui.preload.MIN_BYTES_TO_FORK", 0)
    monkeypatch.setattr("tui.preload.START_GRACE_S", 0)
    folder = FIXTURES / "app"
    plain = [_fields(r) for r in Preload([folder], 1 << 26, workers=1).results()]
    parent = os.getpid()
    real = read_digest

    def dies_in_worker(*args, **kwargs):
        if os.getpid() != parent:
            os._exit(3)
        return real(*args, **kwargs)

    monkeypatch.setattr("tui.preload.read_digest", dies_in_worker)
    preload = Preload([folder], 1 << 26, workers=2, cache=ParseCache(tmp_path / "c"))
    assert preload.jobs
    assert [_fields(r) for r in preload.results()] == plain  # parsed in-process instead


def test_the_reader_gets_pooled_abstracts_the_cli_plain_ones(tmp_path: Path) -> None:
    from tui.textpool import PooledPaper

    path = _copy(tmp_path)
    plain = read_digest(Candidate(path, True))
    ParseCache(tmp_path / "c").read(Candidate(path, True))  # fill
    reader = ParseCache(tmp_path / "c", pool=True).read(Candidate(path, True))
    cli = ParseCache(tmp_path / "c").read(Candidate(path, True))
    assert all(type(p) is PooledPaper for p in reader.papers)
    assert all(type(p) is not PooledPaper for p in cli.papers)
    assert _fields(reader) == _fields(cli) == _fields(plain)


def test_preview_is_the_newest_files_and_results_still_hold_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tui.preload.MIN_BYTES_TO_FORK", 0)
    monkeypatch.setattr("tui.preload.START_GRACE_S", 0)
    monkeypatch.setattr("tui.preload.PREVIEW_MIN_BYTES", 0)
    monkeypatch.setattr("tui.preload.PREVIEW_BYTES", 1)  # one file: the newest
    folder = tmp_path / "digests"
    folder.mkdir()
    names = sorted(p.name for p in (FIXTURES / "app").iterdir())
    for n, name in enumerate(names):
        (folder / name).write_bytes((FIXTURES / "app" / name).read_bytes())
        os.utime(folder / name, ns=(10**18 + n, 10**18 + n))
    os.utime(folder / names[0], ns=(2 * 10**18, 2 * 10**18))  # the first by name is the newest
    plain = [_fields(r) for r in Preload([folder], 1 << 26, workers=1).results()]
    for _ in range(2):  # empty cache (workers parse the preview first), then warm
        preload = Preload([folder], 1 << 26, workers=2, cache=ParseCache(tmp_path / "c", pool=True))
        preview = preload.preview()
        assert [r.digest.path.name for r in preview] == [names[0]]
        assert preview[0].papers and all(type(p).__name__ == "Paper" for p in preview[0].papers)
        assert [_fields(r) for r in preload.results()] == plain
