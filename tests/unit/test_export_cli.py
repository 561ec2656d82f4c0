"""`papertray queue export`: formats, --status, -o written whole or not at all, plain errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from export_oracles import read_bibtex, read_csv

from tui.cli import main

QUEUE_TOML = '''version = 1

[[paper]]
id = "2601.01234"
title = "Gated Sparse Attention for ChatGPT"
status = "to-read"
authors = ["Ann Example", "et al."]
published = 2026-01-19
[paper.links]
arxiv = "https://arxiv.org/abs/2601.01234"

[[paper]]
id = "2503.03592"
title = "A Replaced Paper"
status = "done"
note = "=cmd|' /C calc'!A0"
published = 2026-01-20
[paper.links]
arxiv = "https://arxiv.org/abs/2503.03592"

[[paper]]
id = "1234.5678}, note={pwned"
title = "Hand-edited"
status = "reading"
[paper.links]
hf = "file:///etc/passwd"
other = "--remote-debugging-port=9222"
'''


@pytest.fixture
def data(tmp_path: Path) -> list[str]:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "queue.toml").write_text(QUEUE_TOML)
    return ["--data-dir", str(folder)]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_bibtex_to_stdout_names_dropped_links(capsys, data) -> None:
    code, out, err = run(capsys, "queue", "export", "--format", "bibtex", *data)
    assert code == 0
    pyb, _ = read_bibtex(out)
    assert len(pyb.entries) == 2  # done entries only with --all or --status done
    assert "file:///etc/passwd" in err and "--remote-debugging-port=9222" in err and "left out" in err
    assert "file:" not in out and "remote-debugging" not in out and all("note" not in e.fields for e in pyb.entries.values())
    assert "@misc{handedited,\n      title={Hand-edited},\n      key={handedited},\n}" in out  # the odd id is not an arXiv id: no eprint


def test_status_filter(capsys, data) -> None:
    code, out, _ = run(capsys, "queue", "export", "--format", "csv", "--status", "done", *data)
    rows = read_csv(out)
    assert code == 0 and [r["id"] for r in rows] == ["arXiv:2503.03592"]
    assert rows[0]["note"] == "'=cmd|' /C calc'!A0" and rows[0]["published"] == "2025-03"
    code, out, _ = run(capsys, "queue", "export", "--format", "json", "--status", "to-read", "--status", "reading", *data)
    assert code == 0 and out.count('"status"') == 2
    with pytest.raises(SystemExit) as exc:
        main(["queue", "export", "--status", "later", *data])
    assert exc.value.code == 2


def test_output_file_is_written_whole_and_replacing_is_said(capsys, data, tmp_path: Path) -> None:
    target = tmp_path / "out" / "reading.bib"
    target.parent.mkdir()
    code, out, err = run(capsys, "queue", "export", "--format", "biblatex", "--all", "-o", str(target), *data)
    assert code == 0 and out == "" and f"wrote 3 entries to {target}" in err and "replaced" not in err
    assert "eprinttype={arxiv}" in target.read_text()
    code, _, err = run(capsys, "queue", "export", "--format", "ris", "-o", str(target), *data)
    assert code == 0 and "(replaced the previous file)" in err and target.read_text().startswith("TY  - UNPB")
    assert sorted(p.name for p in target.parent.iterdir()) == ["reading.bib"]  # no temporary file left


def test_failed_write_leaves_the_old_file(capsys, data, tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "reading.md"
    target.write_text("my old list\n")

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    code, _out, err = run(capsys, "queue", "export", "-o", str(target), *data)
    assert code == 1 and "Traceback" not in err
    assert f"cannot write {target}: the disk is full" in err
    assert target.read_text() == "my old list\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "reading.md"]


@pytest.mark.parametrize("where, message", [
    ("missing/reading.bib", "the folder {tmp}/missing does not exist"),
    ("", "it is a folder; give a file name"),
    ("file.txt/reading.bib", "{tmp}/file.txt is not a folder"),
])
def test_bad_paths_get_one_plain_line(capsys, data, tmp_path: Path, where: str, message: str) -> None:
    (tmp_path / "file.txt").write_text("x")
    target = str(tmp_path / where) if where else str(tmp_path) + "/"
    code, out, err = run(capsys, "queue", "export", "--format", "bibtex", "-o", target, *data)
    assert code == 1 and out == ""
    assert err.strip().splitlines()[-1] == f"papertray: cannot write {target}: {message.format(tmp=tmp_path)}"
