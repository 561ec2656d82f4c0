"""Bad input of every kind: a clear diagnostic naming file, problem and place; the rest loads."""

from __future__ import annotations

import codecs
import json
import os
from pathlib import Path

import pytest

from tui.loader import Candidate, discover, read_digest
from tui.model import Format
from tui.sanitize import has_controls
from tui.store import Store

HF_PAGE = """new

Get trending papers in your email inbox!

Subscribe

Daily Papers

byAK and the research community

Nov 20

Sparse Lanterns: Attention Routing for Long Documents

We route attention through a sparse set of lantern tokens and show it scales to long documents.

  • 4 authors
·
Nov 18 7

Tidal Priors for Protein Folding

A tidal prior improves folding accuracy on three benchmarks; code at https://github.com/example/tidal.

  • 2 authors
·
Nov 19
"""


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def read(path: Path, explicit: bool = True, max_bytes: int = 64 * 2**20):
    return read_digest(Candidate(path, explicit), max_bytes)


def messages(result) -> str:
    return " | ".join(str(d) for d in result.digest.diagnostics)


def test_good_page_loads(tmp_path: Path) -> None:
    result = read(write(tmp_path, "2026-11-20.txt", HF_PAGE))
    assert result.digest.format is Format.HF_TEXT
    assert [p.title for p in result.papers] == [
        "Sparse Lanterns: Attention Routing for Long Documents",
        "Tidal Priors for Protein Folding",
    ]
    assert result.papers[0].upvotes == 7
    assert result.papers[1].links["github"] == "https://github.com/example/tidal"
    assert not result.digest.diagnostics


def test_empty_file(tmp_path: Path) -> None:
    result = read(write(tmp_path, "empty.txt", "  \n\n"))
    assert result.digest.failed and "empty file" in messages(result)


def test_binary_file(tmp_path: Path) -> None:
    result = read(write(tmp_path, "blob.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))))
    assert result.digest.failed
    assert "binary file (NUL byte at offset 8)" in messages(result)


def test_invalid_utf8_is_replaced_with_a_warning_naming_the_line(tmp_path: Path) -> None:
    data = HF_PAGE.encode("utf-8").replace(b"Tidal Priors", b"Tidal \xff\xferiors")
    result = read(write(tmp_path, "2026-11-20.txt", data))
    assert len(result.papers) == 2
    assert result.papers[1].title == "Tidal \ufffd\ufffdriors for Protein Folding"
    warning = [d for d in result.digest.diagnostics if "invalid UTF-8" in d.message]
    assert warning and warning[0].level == "warning"
    assert warning[0].line == HF_PAGE.splitlines().index("Tidal Priors for Protein Folding") + 1


def test_bom_and_crlf(tmp_path: Path) -> None:
    data = codecs.BOM_UTF8 + HF_PAGE.replace("\n", "\r\n").encode("utf-8")
    result = read(write(tmp_path, "2026-11-20.txt", data))
    assert len(result.papers) == 2
    assert result.papers[0].title == "Sparse Lanterns: Attention Routing for Long Documents"
    assert all("\r" not in p.title + p.abstract for p in result.papers)
    assert not result.digest.diagnostics


def test_utf16_with_bom(tmp_path: Path) -> None:
    result = read(write(tmp_path, "2026-11-20.txt", HF_PAGE.encode("utf-16")))
    assert len(result.papers) == 2


def test_truncated_json(tmp_path: Path) -> None:
    text = '[{"paper": {"id": "2611.00001", "title": "A", "summary": "B"'
    result = read(write(tmp_path, "cut.json", text))
    assert result.digest.failed
    assert result.digest.diagnostics[0].line == 1


def test_truncated_xml(tmp_path: Path) -> None:
    text = '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n<entry><id>http://arxiv.org/abs/2611.00001v1</id>\n<title>Half'
    result = read(write(tmp_path, "cut.xml", text))
    assert result.digest.failed
    assert any(d.line is not None for d in result.digest.diagnostics)


def test_json_that_is_not_a_digest(tmp_path: Path) -> None:
    result = read(write(tmp_path, "err.json", json.dumps({"error": "Invalid date"})))
    assert result.digest.failed
    assert "not a digest" in messages(result).lower() or "not a" in messages(result).lower()


def test_size_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "2026-11-20.txt", HF_PAGE)
    result = read(path, max_bytes=100)
    assert result.digest.failed
    assert "over the" in messages(result) and "max_file_mb" in messages(result)


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "2026-11-20.txt", HF_PAGE)

    def denied(name: object, *args: object) -> int:
        raise PermissionError(13, "Permission denied", str(name))

    import tui.loader

    monkeypatch.setattr(tui.loader.os, "open", denied)
    result = read(path)
    monkeypatch.undo()
    assert result.digest.failed and "permission denied" in messages(result)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_permission_denied_for_real(tmp_path: Path) -> None:
    path = write(tmp_path, "2026-11-20.txt", HF_PAGE)
    path.chmod(0)
    assert "permission denied" in messages(read(path))


def test_unknown_format_named_explicitly_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "notes.txt", "Just some notes.\nNothing to see here.\n")
    result = read(path)
    assert result.digest.failed and "unknown format" in messages(result)


def test_unknown_format_in_a_folder_is_skipped_with_a_warning(tmp_path: Path) -> None:
    write(tmp_path, "README", "Just some notes.\n")
    write(tmp_path, "2026-11-20.txt", HF_PAGE)
    store = Store()
    digests = store.load([tmp_path])
    assert len(store.papers) == 2
    readme = next(d for d in digests if d.path.name == "README")
    assert not readme.failed
    assert readme.diagnostics[0].level == "warning" and "skipped" in readme.diagnostics[0].message


def test_symlink_loop_ends(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    write(tmp_path / "a", "2026-11-20.txt", HF_PAGE)
    os.symlink(tmp_path, tmp_path / "a" / "loop")
    store = Store()
    digests = store.load([tmp_path])
    assert len(store.papers) == 2
    loops = [d for d in digests if any("symbolic link loop" in x.message for x in d.diagnostics)]
    assert loops


def test_missing_path_and_empty_glob(tmp_path: Path) -> None:
    candidates, problems = discover([tmp_path / "nope.txt", str(tmp_path / "*.none")])
    assert not candidates
    assert "no such file or directory" in str(problems[0].digest.diagnostics[0])
    assert "glob matched no files" in str(problems[1].digest.diagnostics[0])


def test_glob_and_recursive_folder(tmp_path: Path) -> None:
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    write(tmp_path / "sub" / "deeper", "2026-11-20.txt", HF_PAGE)
    write(tmp_path, "2026-11-19.txt", HF_PAGE.replace("Nov 20\n", "Nov 19\n", 1))
    candidates, _ = discover([str(tmp_path / "*.txt")])
    assert [c.path.name for c in candidates] == ["2026-11-19.txt"]
    candidates, _ = discover([tmp_path])
    assert sorted(c.path.name for c in candidates) == ["2026-11-19.txt", "2026-11-20.txt"]


def test_escape_sequences_and_controls_are_removed_at_ingestion(tmp_path: Path) -> None:
    nasty = HF_PAGE.replace(
        "Sparse Lanterns", "\x1b[31mSparse\x1b[0m \x1b]8;;http://evil\x1b\\Lan\x07terns\x00\u009b2J"
    ).replace("We route", "We\x1b[2J route\x7f")
    result = read(write(tmp_path, "2026-11-20.txt", nasty))
    titles = [p.title for p in result.papers]
    assert titles[0] == "Sparse Lanterns: Attention Routing for Long Documents"
    assert result.papers[0].abstract.startswith("We route attention")
    for paper in result.papers:
        for text in (paper.title, paper.abstract, paper.byline):
            assert not has_controls(text)


def test_one_broken_file_does_not_stop_the_rest(tmp_path: Path) -> None:
    write(tmp_path, "2026-11-20.txt", HF_PAGE)
    write(tmp_path, "broken.json", "[{")
    write(tmp_path, "binary.txt", b"\x00\x01\x02")
    store = Store()
    digests = store.load([tmp_path / "2026-11-20.txt", tmp_path / "broken.json", tmp_path / "binary.txt"])
    assert len(store.papers) == 2
    assert [d.failed for d in digests] == [False, True, True]


@pytest.mark.parametrize("bad", ["\x1b[31m", "\x00", "\r", "\x7f", "\u0085", "\u009b", "\u202e", "\u2067"])
def test_needs_cleaning_sees_every_kind_of_control(bad: str) -> None:
    from tui.loader import needs_cleaning

    text = "Plain · text — with “quotes” and • bullets " + bad + " end"
    assert needs_cleaning(text.encode("utf-8"))
    assert not needs_cleaning(text.replace(bad, "").encode("utf-8"))


from hypothesis import HealthCheck, given, settings  # noqa: E402 - the property tests below need hypothesis; the rest of the file does not
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(data=st.one_of(
    st.binary(max_size=4000),
    st.text(max_size=2000).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.sampled_from([b"[", b"{", b"<?xml", b"<feed", b"\\\\\narXiv:", b"Subscribe"]).flatmap(
        lambda head: st.binary(max_size=2000).map(lambda tail: head + tail)),
))
def test_no_bytes_make_the_loader_raise(tmp_path_factory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "digest"
    path.write_bytes(data)
    result = read(path)
    for paper in result.papers:
        assert paper.title and not has_controls(paper.title + paper.abstract)
    assert all(d.level in ("error", "warning") for d in result.digest.diagnostics)
