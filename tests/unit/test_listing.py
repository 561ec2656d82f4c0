"""The papers-list pipeline (day → filter → hide read → sort) and the read-after-a-rest rule, without
a terminal: these are the rules the reader screen only renders."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tui.listing import (
    ALL_DAYS,
    SORTS,
    Library,
    ReadAfterRest,
    View,
    next_sort,
    sort_papers,
)
from tui.query import parse_query

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "app"
NOV20, NOV19 = date(2026, 11, 20), date(2026, 11, 19)


def library() -> Library:
    store, digests = Library.load([str(FIXTURES)], 1 << 20)
    assert len(digests) == 3 and not any(d.failed for d in digests)
    return Library(store)


def titles(lib: Library, view: View, read: set[str] = frozenset(), queued: set[str] = frozenset()) -> list[str]:
    return [p.title for p in lib.listing(view, read.__contains__, queued.__contains__).papers]


def test_all_days_newest_first_then_one_day() -> None:
    lib = library()
    every = titles(lib, View())
    assert len(every) == 9 and every[0].startswith("Orchard Attention") and every[-1].startswith("Bees")
    assert titles(lib, View(day=NOV19)) == [
        "Quantised Kettles: Energy-Aware Scheduling of Household Appliances",
        "Orchard Networks for Sparse Graph Learning",
        "A Note on Lazy Evaluation of Reward Models",
    ]
    assert lib.scope(ALL_DAYS) is None and lib.scope(NOV20) == lib.store.ids_for(NOV20)


def test_filter_scopes_to_the_day_and_highlights() -> None:
    lib = library()
    listing = lib.listing(View(query=parse_query("orchard")), lambda _i: False, lambda _i: False)
    assert [p.title.split()[:2] for p in listing.papers] == [["Orchard", "Attention:"], ["Orchard", "Networks"]]
    assert "orchard" in listing.highlight
    assert titles(lib, View(day=NOV20, query=parse_query("orchard"))) == ["Orchard Attention: Pruning Heads Like Fruit Trees"]


def test_hide_read_and_is_flags_use_the_callbacks() -> None:
    lib = library()
    first = lib.store.all_ids()[0]
    assert first not in [p.id for p in lib.listing(View(hide_read=True), {first}.__contains__, set().__contains__).papers]
    queued = titles(lib, View(query=parse_query("is:queued")), queued={first})
    assert queued == [lib.store.papers[first].title]


def test_sorts_are_stable_and_cycle() -> None:
    lib = library()
    by_title = titles(lib, View(sort="title"))
    assert by_title == sorted(by_title, key=str.casefold)
    votes = [p.upvotes or 0 for p in lib.listing(View(sort="upvotes"), lambda _i: False, lambda _i: False).papers]
    assert votes == sorted(votes, reverse=True)
    papers = [lib.store.papers[i] for i in lib.store.all_ids()]
    assert sort_papers(papers, "digest") == papers
    assert [next_sort(s) for s in SORTS] == [*SORTS[1:], SORTS[0]] and next_sort("bogus") == SORTS[0]


def test_a_watched_change_drops_the_index() -> None:
    lib = library()
    index = lib.index()
    assert lib.index_ready is index and lib.index() is index
    path = lib.store.digests[0].path
    lib.apply([], [path])
    assert lib.index_ready is None and len(lib.index().ids) < len(index.ids)


def test_read_after_a_rest() -> None:
    rule = ReadAfterRest(1.5)
    unread = lambda _i: False  # noqa: E731
    assert not rule.moved("p1", reading=True, is_read=unread)  # nothing before the first key
    rule.interacted = True
    assert not rule.moved("p1", reading=False, is_read=unread)  # typing a filter is not reading
    assert not rule.moved("p1", reading=True, is_read=lambda _i: True)  # already read
    assert rule.moved("p1", reading=True, is_read=unread)
    assert rule.rested("p2", reading=True, is_read=unread) is None  # the cursor moved on
    assert rule.moved("p1", reading=True, is_read=unread)
    assert rule.rested("p1", reading=False, is_read=unread) is None  # focus left the list
    assert rule.moved("p1", reading=True, is_read=unread)
    assert rule.rested("p1", reading=True, is_read=unread) == "p1"
    assert rule.rested("p1", reading=True, is_read=unread) is None  # once per rest
    assert not ReadAfterRest(0, interacted=True).moved("p1", True, unread)  # 0 turns it off
