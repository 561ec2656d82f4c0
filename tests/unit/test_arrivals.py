"""What is new since the last session (tui.arrivals): first-seen times survive rewrites."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tui.arrivals import Arrivals, since_label
from tui.model import Digest, Format, Paper

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)  # a Tuesday


def paper(pid: str, *paths: Path) -> Paper:
    p = Paper(id=pid, title=pid)
    p.digests = [Digest(path=path, format=Format.HF_JSON) for path in paths]
    return p


def test_first_session_marks_nothing_new_and_the_next_marks_arrivals(tmp_path: Path) -> None:
    old, new = tmp_path / "hf-old.json", tmp_path / "hf-new.json"
    first = Arrivals(tmp_path / "data", now=T0)
    first.see([old])
    assert not first.is_new(paper("a", old)) and first.header(5) == ""
    first.save(session=T0 + timedelta(minutes=20))

    second = Arrivals(tmp_path / "data", now=T0 + timedelta(days=2))
    assert second.previous == T0 + timedelta(minutes=20)
    second.see([old, new])
    a, b, both = paper("a", old), paper("b", new), paper("c", old, new)
    assert [second.is_new(x) for x in (a, b, both)] == [False, True, False]  # re-listed papers are not new
    assert second.new_ids([a, b, both]) == ["b"]
    assert second.header(12) == "12 new since Tuesday"


def test_a_file_seen_during_the_session_is_new_and_a_rewrite_keeps_its_first_seen(tmp_path: Path) -> None:
    Arrivals(tmp_path, now=T0).save()
    s = Arrivals(tmp_path, now=T0 + timedelta(days=1))
    live = tmp_path / "hf-live.json"
    s.see([live], when=T0 + timedelta(days=1, minutes=5))
    assert s.is_new(paper("x", live))
    s.save(session=T0 + timedelta(days=1, hours=1))
    later = Arrivals(tmp_path, now=T0 + timedelta(days=3))
    later.see([live])  # rewritten by fetch meanwhile: still first seen during the last session
    assert not later.is_new(paper("x", live))


def test_a_damaged_record_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "arrivals.json").write_text("{not json", encoding="utf-8")
    a = Arrivals(tmp_path, now=T0)
    assert a.previous is None and "unreadable" in (a.warning or "")
    a.see([tmp_path / "x.json"])
    a.save()
    assert Arrivals(tmp_path, now=T0 + timedelta(days=1)).previous == T0


def test_since_label() -> None:
    now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC).astimezone()
    assert since_label(now - timedelta(hours=1), now) == f"{now - timedelta(hours=1):%H:%M}"
    assert since_label(now - timedelta(days=1), now) == "yesterday"
    assert since_label(now - timedelta(days=6), now) == "Tuesday"
    assert since_label(now - timedelta(days=20), now) == "Nov 10"
    assert since_label(now - timedelta(days=400), now) == "2025-10-26"
