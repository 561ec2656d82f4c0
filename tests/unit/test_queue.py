"""The queue and read-mark model: what each call does to the entries and to the file."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest

from tui.model import Digest, Format, Paper
from tui.queue import Queue, QueueEntry, Source
from tui.readstate import ReadState


def paper(pid: str, **kw) -> Paper:
    return Paper(pid, kw.pop("title", f"Title of {pid}"), **kw)


def ids(queue: Queue, include_done: bool = False) -> list[str]:
    return [e.id for e in queue.entries(include_done)]


def test_from_paper_copies_everything_needed_without_the_digest() -> None:
    older = Digest(Path("/d/2026-01-19.txt"), Format.ARXIV_EMAIL, date(2026, 1, 19))
    newer = Digest(Path("/d/2026-01-20.json"), Format.HF_JSON, date(2026, 1, 20))
    p = paper(
        "2601.01234",
        title="Invented Paper",
        abstract="An invented abstract.",
        authors=("Ann Example", "Ben Sample", "Cy Test"),
        published=date(2026, 1, 18),
        categories=("cs.CL", "cs.AI"),
        links={"arxiv": "https://arxiv.org/abs/2601.01234", "hf": "https://huggingface.co/papers/2601.01234"},
        digests=[older, newer],
    )
    e = QueueEntry.from_paper(p, position=4.0)
    assert (e.id, e.title, e.abstract, e.byline) == ("2601.01234", "Invented Paper", "An invented abstract.", "Ann Example et al.")
    assert e.authors == ("Ann Example", "Ben Sample", "Cy Test") and e.categories == ("cs.CL", "cs.AI")
    assert e.published == date(2026, 1, 18) and e.position == 4.0
    assert e.source == Source("/d/2026-01-20.json", "hf-json", date(2026, 1, 20))
    assert e.status == "to-read" and e.note == "" and e.added == e.updated
    assert e.url == "https://arxiv.org/abs/2601.01234" and e.arxiv_id == "2601.01234" and e.year == 2026
    p.links["pdf"] = "changed later"
    assert "pdf" not in e.links  # a snapshot, not a view of the paper


def test_entry_round_trips_through_the_file(tmp_path: Path) -> None:
    digest = Digest(tmp_path / "d.txt", Format.ARXIV_RSS, date(2026, 1, 20))
    p = paper("title:0123456789abcdef", title='Quotes " and \\ back slash', abstract="Line one\nline two",
              authors=("Ünïcode Name",), links={"hf": "https://hf.example/x"}, digests=[digest])
    queue = Queue(tmp_path)
    e = queue.add(p)
    queue.set_note(e.id, 'multi\nline "note"')
    again = Queue(tmp_path).get(e.id)
    assert again == queue.get(e.id)
    assert again.note == 'multi\nline "note"' and again.arxiv_id is None and again.year == 2026


def test_add_is_idempotent_and_keeps_status(tmp_path: Path) -> None:
    queue = Queue(tmp_path)
    first = queue.add(paper("2601.00001"))
    queue.set_status("2601.00001", "reading")
    assert queue.add(paper("2601.00001")).status == "reading"
    assert first.status == "to-read"  # entries handed out never change
    assert len(queue) == 1 and queue.contains("2601.00001") and "2601.00001" in queue
    assert queue.get("2601.99999") is None and not queue.contains("2601.99999")


def test_toggle_adds_then_removes(tmp_path: Path) -> None:
    queue = Queue(tmp_path)
    p = paper("2601.00001")
    assert queue.toggle(p) is True and ids(queue) == ["2601.00001"]
    assert queue.toggle(p) is False and ids(queue, True) == []
    assert queue.toggle(p) is True and ids(queue) == ["2601.00001"]


def test_remove_and_restore_for_undo(tmp_path: Path) -> None:
    queue = Queue(tmp_path)
    queue.add_many(paper(f"2601.0000{i}") for i in (1, 2, 3))
    queue.set_note("2601.00002", "keep me")
    queue.set_status("2601.00002", "reading")
    gone = queue.remove("2601.00002")
    assert gone.note == "keep me" and ids(queue) == ["2601.00001", "2601.00003"]
    assert queue.remove("2601.00002") is None
    queue.restore(gone)
    back = Queue(tmp_path).get("2601.00002")
    assert ids(Queue(tmp_path)) == ["2601.00001", "2601.00002", "2601.00003"]  # same place
    assert (back.note, back.status, back.added) == ("keep me", "reading", gone.added)


def test_cycle_status_and_done_hidden_until_removed(tmp_path: Path) -> None:
    queue = Queue(tmp_path)
    queue.add_many([paper("2601.00001"), paper("2601.00002")])
    seen = [queue.cycle_status("2601.00001").status for _ in range(4)]
    assert seen == ["reading", "done", "to-read", "reading"]
    queue.set_status("2601.00001", "done")
    assert ids(queue) == ["2601.00002"]
    assert ids(queue, include_done=True) == ["2601.00001", "2601.00002"]
    assert ids(Queue(tmp_path), include_done=True) == ["2601.00001", "2601.00002"]
    with pytest.raises(ValueError, match="unknown status 'later'"):
        queue.set_status("2601.00001", "later")
    assert queue.set_status("2601.99999", "done") is None


def test_unchanged_edit_does_not_write(tmp_path: Path) -> None:
    queue = Queue(tmp_path)
    queue.add(paper("2601.00001"))
    stamp = (tmp_path / "queue.toml").stat().st_ino
    queue.set_note("2601.00001", "")
    queue.set_status("2601.00001", "to-read")
    assert (tmp_path / "queue.toml").stat().st_ino == stamp


def test_move_and_move_to(tmp_path: Path) -> None:
    queue = Queue(tmp_path)
    queue.add_many(paper(f"2601.0000{i}") for i in range(1, 6))
    assert queue.move("2601.00003", -1) is True
    assert ids(queue) == ["2601.00001", "2601.00003", "2601.00002", "2601.00004", "2601.00005"]
    assert queue.move("2601.00001", -1) is False  # already at the top
    assert queue.move_to("2601.00005", 0) is True
    assert queue.move_to("2601.00001", 99) is True  # clamped to the end
    expected = ["2601.00005", "2601.00003", "2601.00002", "2601.00004", "2601.00001"]
    assert ids(queue) == expected and ids(Queue(tmp_path)) == expected


def test_move_skips_hidden_done_entries(tmp_path: Path) -> None:
    queue = Queue(tmp_path)
    queue.add_many(paper(f"2601.0000{i}") for i in range(1, 4))
    queue.set_status("2601.00002", "done")
    queue.move("2601.00003", -1)  # one place up in what the user sees: above 1
    assert ids(queue) == ["2601.00003", "2601.00001"]


def test_many_moves_into_one_gap_renumber_instead_of_breaking(tmp_path: Path) -> None:
    queue = Queue(tmp_path)
    queue.add_many(paper(f"2601.{i:05d}") for i in range(4))
    for _ in range(80):  # each move halves the gap between the first two entries
        queue.move_to("2601.00003", 1)
        queue.move_to("2601.00002", 1)
    assert ids(queue) == ["2601.00000", "2601.00002", "2601.00003", "2601.00001"]
    positions = [e.position for e in queue.entries()]
    assert positions == sorted(set(positions))


def test_file_is_human_readable_toml_in_queue_order(tmp_path: Path) -> None:
    queue = Queue(tmp_path)
    queue.add_many([paper("2601.00001"), paper("2601.00002")])
    queue.move("2601.00002", -1)
    queue.remove("2601.00001")
    text = (tmp_path / "queue.toml").read_text()
    assert text.startswith("version = 2\n\n[[paper]]\nid = \"2601.00002\"\ntitle = \"Title of 2601.00002\"\n")
    doc = tomllib.loads(text)
    assert [p["id"] for p in doc["paper"]] == ["2601.00002"]
    assert [r["id"] for r in doc["removed"]] == ["2601.00001"]
    assert (tmp_path / "queue.toml.bak").exists()


def test_read_state_marks_and_persists(tmp_path: Path) -> None:
    state = ReadState(tmp_path, background=False)
    assert state.read_ids == set() and not state.is_read("2601.00001")
    assert state.set_read("2601.00001") is True
    assert state.set_read("2601.00001") is False  # already read: nothing to write
    assert state.toggle("2601.00002") is True
    assert state.toggle("2601.00001") is False
    assert state.set_read_many(["2601.00003", "2601.00004", "2601.00002"]) == 2
    assert state.dirty and state.flush() and not state.dirty
    again = ReadState(tmp_path)
    assert again.read_ids == {"2601.00002", "2601.00003", "2601.00004"}
    lines = (tmp_path / "readmarks.log").read_text().splitlines()
    assert lines[0].startswith("# papertray read marks")
    assert [line[28:] for line in lines[1:]] == [
        "+ 2601.00001", "+ 2601.00002", "- 2601.00001", "+ 2601.00003", "+ 2601.00004",
    ]
    assert all(len(line.split(" ")[0]) == 27 for line in lines[1:])


def test_read_state_writes_in_the_background(tmp_path: Path) -> None:
    state = ReadState(tmp_path)
    state.set_read("x")
    assert state.is_read("x")  # at once in memory
    assert state.close(timeout=5) and not state.dirty
    assert ReadState(tmp_path).read_ids == {"x"}


def test_read_state_merges_two_instances(tmp_path: Path) -> None:
    first = ReadState(tmp_path, background=False)
    first.set_read_many(["x", "y"])
    assert first.flush()
    a, b = ReadState(tmp_path, background=False), ReadState(tmp_path, background=False)
    a.set_read("z")
    b.set_read("y", False)
    assert a.flush() and b.flush()
    assert ReadState(tmp_path).read_ids == {"x", "z"}
    assert a.reload_if_changed() is True and a.read_ids == {"x", "z"}
    assert b.reload_if_changed() is True and b.read_ids == {"x", "z"}
    assert a.reload_if_changed() is False


def test_read_state_hand_appended_line_is_picked_up(tmp_path: Path) -> None:
    state = ReadState(tmp_path, background=False)
    state.set_read_many(["x", "y"])
    state.flush()
    with open(tmp_path / "readmarks.log", "a") as f:
        f.write("2026-01-21T10:00:00.000000Z - y\n2026-01-21T10:00:00.000000Z + w")  # no final newline
    assert state.reload_if_changed() is True
    assert state.read_ids == {"x"}  # the unfinished last line is not taken yet
    state.set_read("v")
    assert state.flush()
    assert ReadState(tmp_path).read_ids == {"x", "w", "v"}  # its newline was added, not cut


def test_old_state_toml_is_imported_once(tmp_path: Path) -> None:
    (tmp_path / "state.toml").write_text(
        'version = 1\n[read]\n"a" = 2026-01-20T10:00:00Z\n"b" = 2026-01-20T10:00:00Z\n[unread]\n"c" = 2026-01-20T11:00:00Z\n'
    )
    state = ReadState(tmp_path)
    assert state.read_ids == {"a", "b"} and state.warnings == []
    assert not (tmp_path / "state.toml").exists() and (tmp_path / "state.toml.migrated").exists()
    assert ReadState(tmp_path).read_ids == {"a", "b"}
