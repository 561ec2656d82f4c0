"""Session memory (tui/session.py) and saved searches (tui/saved.py): plain files, plain rules."""

from __future__ import annotations

from pathlib import Path

from tui.model import Paper
from tui.saved import SavedSearch, SavedSearches, counts, match_ids
from tui.search import SearchIndex
from tui.session import HISTORY_MAX, HistoryWalk, Session, load, remember_filter, save


def test_session_round_trip_and_the_config_wins_when_it_changed(tmp_path: Path) -> None:
    s = Session(day="2026-11-20", sort="date", hide_read=True, theme="gruvbox", abstract_width="wide",
                paper="2611.10001", filters=["robot", "cat:cs.LG"],
                config={"sort": "digest", "hide_read": False, "theme": "nord", "show_abstract": True})
    assert save(tmp_path, s) is None
    back, warnings = load(tmp_path)
    assert back == s and warnings == []
    ui = {"sort": "digest", "hide_read": False, "theme": "nord", "show_abstract": True}
    assert back.resolved(ui) == {"sort": "date", "hide_read": True, "theme": "gruvbox", "abstract_width": "wide"}
    ui["theme"] = "dracula"  # the user edited the config since: it wins for that key only
    assert back.resolved(ui) == {"sort": "date", "hide_read": True, "abstract_width": "wide"}
    assert not list(tmp_path.glob(".*.tmp"))  # written atomically, no temp left


def test_a_broken_session_is_ignored_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "session.toml").write_text("sort = [unclosed\n", encoding="utf-8")
    session, warnings = load(tmp_path)
    assert session == Session() and len(warnings) == 1 and "session.toml: ignored" in warnings[0]
    (tmp_path / "session.toml").write_text('sort = 3\ntheme = "nord"\n', encoding="utf-8")
    session, warnings = load(tmp_path)
    assert session.theme == "nord" and session.sort == "" and "ignored sort" in warnings[0]
    assert load(tmp_path / "missing")[0] == Session()


def test_filter_history_and_walking_it() -> None:
    h: list[str] = []
    for text in ["robot", "  ", "diffusion", "robot"]:
        h = remember_filter(h, text)
    assert h == ["diffusion", "robot"]
    assert len(remember_filter([str(i) for i in range(HISTORY_MAX)], "new")) == HISTORY_MAX
    walk = HistoryWalk(h)
    assert walk.newer() is None
    assert walk.older("typing") == "robot" and walk.older("robot") == "diffusion" and walk.older("x") is None
    assert walk.newer() == "robot" and walk.newer() == "typing" and walk.newer() is None


def test_saved_searches_file_and_config(tmp_path: Path) -> None:
    searches = SavedSearches(tmp_path, [("robots", "robot")])
    assert searches.add("robots", "x") is not None  # a config name is not overwritten
    assert searches.add("orchard", "orchard") is None and searches.add("kettles", "kettle") is None
    assert searches.add("orchard", "orchard -networks") is None  # replaced in place
    again = SavedSearches(tmp_path, [("robots", "robot")])
    assert [(s.name, s.query, s.source) for s in again.all] == [
        ("robots", "robot", "config"), ("orchard", "orchard -networks", "reader"), ("kettles", "kettle", "reader")]
    removed, error = again.remove("orchard")
    assert error is None and removed is not None and [s.name for s in SavedSearches(tmp_path).all] == ["kettles"]
    assert again.restore(removed, 0) is None and [s.name for s in SavedSearches(tmp_path).all] == ["orchard", "kettles"]
    assert again.remove("robots")[1] is not None
    (tmp_path / "searches.toml").write_text("[searches\n", encoding="utf-8")
    broken = SavedSearches(tmp_path)
    assert broken.all == [] and "searches.toml: ignored" in broken.warnings[0]


def test_counts_follow_read_marks_without_searching_again() -> None:
    papers = [Paper(id=f"p{i}", title=t) for i, t in enumerate(["Robot arms", "Robot legs", "Kettles"])]
    index = SearchIndex(papers)
    robots = SavedSearch("r", "robot")
    ids = match_ids(index, robots)
    assert ids == ["p0", "p1"]
    assert counts(ids, robots, set()) == (2, 2) and counts(ids, robots, {"p1"}) == (2, 1)
    unread = SavedSearch("u", "robot is:unread")
    assert counts(match_ids(index, unread), unread, {"p1"}) == (1, 1)
    queued = SavedSearch("q", "is:queued")
    assert counts(match_ids(index, queued), queued, set(), {"p2"}.__contains__) == (1, 1)


def test_arrivals_update_matches_without_the_full_index() -> None:
    from tui.saved import merge_arrivals

    robots = SavedSearch("r", "robot")
    old = {"r": ["p0", "p1"]}
    arrived = [Paper(id="p3", title="Robot hands"), Paper(id="p4", title="Teapots"), Paper(id="p0", title="Robot arms")]
    got = merge_arrivals(old, [robots, SavedSearch("new", "x")], arrived, alive={"p0", "p3", "p4"})
    assert got == {"r": ["p0", "p3"]}  # p1 left the store; p3 arrived and matches; p0 not twice


def test_saved_search_counts_keep_metadata_tests_and_negated_flags() -> None:
    papers = [Paper(id="a", title="Robot", upvotes=30), Paper(id="b", title="Robot", upvotes=2)]
    index = SearchIndex(papers)
    popular = SavedSearch("p", "upvotes:>10")
    assert counts(match_ids(index, popular), popular, set()) == (1, 1)
    not_read = SavedSearch("n", "robot -is:read")
    assert counts(match_ids(index, not_read), not_read, {"a"}) == (1, 1)
