"""Odd things on disk: FIFOs, devices, sockets, names with glob characters or bytes that are not
UTF-8, and text that must print as typed. Nothing may block, crash or be interpreted."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli import SAMPLES
from tui.loader import Candidate, discover, read_digest
from tui.model import path_text

REPO = Path(__file__).resolve().parents[2]
HF_JSON = SAMPLES / "hf-api-2026-11-19.json"


def cli(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[bytes]:
    """The real command, in a child: a FIFO that blocked would time out rather than hang the suite."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "tui", *args], cwd=REPO, env=env, capture_output=True, timeout=timeout)


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.json"
    os.mkfifo(path)
    return path


def test_a_fifo_named_explicitly_is_an_error_and_never_blocks(fifo: Path) -> None:
    proc = cli("check", str(fifo), timeout=20)
    assert proc.returncode == 1
    assert b"not a regular file (a FIFO)" in proc.stdout
    proc = cli("check", "--json", str(fifo), timeout=20)
    row = json.loads(proc.stdout)
    assert proc.returncode == 1 and not row["ok"] and "not a regular file" in row["diagnostics"][0]["message"]


def test_a_device_named_explicitly_is_an_error_and_is_not_read() -> None:
    proc = cli("check", "/dev/zero", timeout=20)
    assert proc.returncode == 1 and b"not a regular file (a character device)" in proc.stdout
    result = read_digest(Candidate(Path("/dev/zero"), explicit=True))  # even past discovery: never read
    assert result.digest.failed and "character device" in result.digest.diagnostics[0].message


def test_fifos_and_sockets_in_a_folder_or_glob_are_skipped_with_a_warning(tmp_path: Path, fifo: Path) -> None:
    shutil.copy(HF_JSON, tmp_path / "hf.json")
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(tmp_path / "s.sock"))
        for spec in (tmp_path, tmp_path / "*"):
            candidates, problems = discover([spec])
            assert [c.path.name for c in candidates] == ["hf.json"]
            found = {p.digest.path.name: p.digest.diagnostics[0] for p in problems}
            assert set(found) == {"pipe.json", "s.sock"}
            assert all(d.level == "warning" and "not a regular file" in d.message for d in found.values())
        proc = cli("check", str(tmp_path), timeout=20)
        assert proc.returncode == 0 and b"not a regular file (a FIFO), skipped" in proc.stdout
    finally:
        sock.close()


def test_a_growing_file_is_never_read_past_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 5000)
    result = read_digest(Candidate(path, explicit=True), max_bytes=1000)
    assert result.digest.failed and "limit" in result.digest.diagnostics[0].message


def test_an_existing_path_with_glob_characters_is_that_file(tmp_path: Path) -> None:
    for name in ("hf[1].json", "hf*.json", "what?.json"):
        target = tmp_path / name
        shutil.copy(HF_JSON, target)
        candidates, problems = discover([target])
        assert [c.path for c in candidates] == [target] and candidates[0].explicit and not problems
    proc = cli("check", str(tmp_path / "hf[1].json"))
    assert proc.returncode == 0 and b"8 papers" in proc.stdout
    # A glob that names no existing file is still a glob.
    assert [c.path.name for c in discover([tmp_path / "w*.json"])[0]] == ["what?.json"]


def test_a_file_name_that_is_not_utf8_is_written_with_escapes_and_its_papers_can_be_queued(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path)
    name = folder + b"/caf\xe9.json"
    shutil.copy(HF_JSON, name)
    assert path_text(os.fsdecode(name)).endswith("caf\\xe9.json")
    proc = cli("list", "--json", str(tmp_path))
    assert proc.returncode == 0
    rows = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]  # strict UTF-8
    assert rows and rows[0]["digests"][0]["path"].endswith("caf\\xe9.json")
    proc = cli("check", str(tmp_path))
    assert proc.returncode == 0 and b"caf\\xe9.json" in proc.stdout
    env_data = tmp_path / "data"
    proc = cli("--data-dir", str(env_data), "queue", "add", rows[0]["id"], "--digests", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    proc = cli("--data-dir", str(env_data), "queue", "--json")
    entry = json.loads(proc.stdout.decode("utf-8").splitlines()[0])
    assert entry["id"] == rows[0]["id"]
    import tomllib

    stored = tomllib.loads((env_data / "queue.toml").read_bytes().decode("utf-8"))
    assert stored["paper"][0]["source"]["path"].endswith("caf\\xe9.json")


def test_emoji_codes_and_markup_in_names_and_titles_print_as_typed(tmp_path: Path) -> None:
    data = json.loads(HF_JSON.read_text(encoding="utf-8"))
    data[0]["paper"]["title"] = data[0]["title"] = "Rockets :rocket: and [bold]bold[/bold] claims"
    path = tmp_path / ":smile: [red]x.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    proc = cli("check", str(path))
    assert ":smile: [red]x.json" in proc.stdout.decode("utf-8")
    proc = cli("list", str(path))
    assert "Rockets :rocket: and [bold]bold[/bold] claims" in proc.stdout.decode("utf-8")
    path.write_bytes(b"not a digest")
    proc = cli("list", str(path))
    assert ":smile: [red]x.json" in proc.stderr.decode("utf-8")


def test_a_huge_field_is_cut_with_a_warning_naming_the_paper(tmp_path: Path) -> None:
    from tui.loader import FIELD_MAX

    data = json.loads(HF_JSON.read_text(encoding="utf-8"))
    data[1]["paper"]["summary"] = data[1]["summary"] = "word " * 1_700_000  # 8.5 MB on one line
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = read_digest(Candidate(path, explicit=True))
    paper = result.papers[1]
    assert len(result.papers) == 8 and len(paper.abstract) <= FIELD_MAX + 2
    [warning] = result.digest.diagnostics
    assert warning.level == "warning" and paper.id in warning.message and "abstract (8,499,999 characters)" in warning.message


def test_a_year_outside_1991_to_next_year_is_a_warning_not_a_day(tmp_path: Path) -> None:
    data = json.loads(HF_JSON.read_text(encoding="utf-8"))
    data[0]["paper"]["publishedAt"] = data[0]["publishedAt"] = "2091-01-05T00:00:00.000Z"
    path = tmp_path / "odd-years.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = read_digest(Candidate(path, explicit=True))
    assert result.papers[0].published is None and result.papers[1].published is not None
    [warning] = result.digest.diagnostics
    assert warning.level == "warning" and "2091-01-05 is outside 1991" in warning.message
    assert result.papers[0].id in warning.message
    # A digest dated by its file name in 2091 is undated, with a warning, not a day in 2091.
    page = tmp_path / "hf-2091-10-31.txt"
    page.write_text("Daily Papers\n\nOct 31\n\nA title\n\nAn abstract that is longer than its title.\n", encoding="utf-8")
    result = read_digest(Candidate(page, explicit=True))
    assert len(result.papers) == 1 and result.digest.date is None
    assert any("2091-10-31 is outside 1991" in d.message for d in result.digest.diagnostics)


def test_the_same_id_with_another_title_in_another_file_is_a_warning_naming_both(tmp_path: Path) -> None:
    from tui.store import Store

    data = json.loads(HF_JSON.read_text(encoding="utf-8"))
    (tmp_path / "a.json").write_text(json.dumps(data), encoding="utf-8")
    data[2]["paper"]["title"] = data[2]["title"] = "A Completely Different Title"
    data[3]["paper"]["title"] = data[3]["title"] = data[3]["title"].upper() + "!"  # same words: not a conflict
    (tmp_path / "b.json").write_text(json.dumps(data), encoding="utf-8")
    first, second = Store().load([tmp_path / "a.json", tmp_path / "b.json"])
    assert first.diagnostics == []
    [warning] = second.diagnostics
    assert warning.level == "warning" and data[2]["paper"]["id"] in warning.message
    assert "b.json" in warning.message and str(tmp_path / "a.json") in warning.message
    assert "A Completely Different Title" in warning.message


def test_a_newline_in_a_note_cannot_forge_an_output_line(tmp_path: Path) -> None:
    from tui.queue import Queue
    from tui.store import Store

    store = Store()
    store.load([HF_JSON])
    paper = next(iter(store.papers.values()))
    queue = Queue(tmp_path / "data")
    queue.add(paper)
    queue.set_note(paper.id, "first line\n  2. [done]\t9999.99999\tForged entry\x9d with a lone C1")
    queue.save()
    proc = cli("--data-dir", str(tmp_path / "data"), "queue")
    lines = proc.stdout.decode("utf-8").splitlines()
    assert proc.returncode == 0 and len(lines) == 1 and lines[0].startswith("  1. [to-read]")
    assert "first line ↵   2. [done] 9999.99999 Forged entry with a lone C1" in lines[0]
    # The note survives a reload whole: the lone C1 removes only itself.
    assert Queue(tmp_path / "data").get(paper.id).note.endswith("Forged entry with a lone C1")


def test_mojibake_hidden_in_json_escapes_is_repaired_field_by_field(tmp_path: Path) -> None:
    data = json.loads(HF_JSON.read_text(encoding="utf-8"))
    data[0]["paper"]["authors"][0]["name"] = "S\u00c3\u00a9bastien Lafond"  # written as \u00c3\u00a9
    data[0]["paper"]["title"] = data[0]["title"] = "A \u00e2\u0080\u009cquoted\u00e2\u0080\u009d title"
    path = tmp_path / "escaped.json"
    path.write_text(json.dumps(data), encoding="utf-8")  # ensure_ascii: every non-ASCII as \u escapes
    assert "\\u00c3\\u00a9" in path.read_text(encoding="utf-8")
    paper = read_digest(Candidate(path, explicit=True)).papers[0]
    assert paper.authors[0] == "Sébastien Lafond"
    assert paper.title == "A \u201cquoted\u201d title"
    clean = read_digest(Candidate(HF_JSON, explicit=True)).papers[0]  # no escapes: nothing touched
    assert clean.authors[0] == json.loads(HF_JSON.read_text(encoding="utf-8"))[0]["paper"]["authors"][0]["name"]
