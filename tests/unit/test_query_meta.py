"""The filter language's metadata tests: cat:, kind:, after:, before:, upvotes: (tui/query.py),
run by the index (tui/search.py) and by `papertray list --query`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tui.cli import SAMPLES, main
from tui.matching import entry_matches
from tui.model import Kind, Paper
from tui.query import parse_query
from tui.search import SearchIndex

PAPERS = [
    Paper(id="a", title="Robot arms", categories=("cs.LG", "cs.RO"), upvotes=30, published=date(2026, 11, 2)),
    Paper(id="b", title="Robot legs", categories=("cs.RO",), kind=Kind.CROSS_LIST, upvotes=5, published=date(2026, 10, 30)),
    Paper(id="c", title="Star counts", categories=("astro-ph.GA",), kind=Kind.REPLACED, published=date(2026, 11, 20)),
    Paper(id="d", title="Undated robot", categories=()),
]
INDEX = SearchIndex(PAPERS)


def ids(text: str) -> list[str]:
    query = parse_query(text)
    assert query.error is None, query.error
    return sorted(INDEX.search(query).ids)


@pytest.mark.parametrize("text, expected", [
    ("cat:cs.LG", ["a"]),
    ("cat:cs.lg", ["a"]),  # case-blind
    ("cat:cs", ["a", "b"]),  # an archive: every cs.* category
    ("cat:astro-ph", ["c"]),
    ("cat:cs.LG|astro-ph.GA", ["a", "c"]),
    ("-cat:cs", ["c", "d"]),
    ("kind:new", ["a", "d"]),
    ("kind:cross-list", ["b"]),
    ("kind:cross", ["b"]),
    ("kind:new|replaced", ["a", "c", "d"]),
    ("after:2026-11-01", ["a", "c"]),  # on or after; undated papers never match
    ("before:2026-11-02", ["b"]),  # strictly before
    ("after:2026-11 before:2026-11-20", ["a"]),
    ("after:2027", []),
    ("upvotes:>20", ["a"]),
    ("upvotes:>=5", ["a", "b"]),
    ("upvotes:<10", ["b"]),  # papers without upvotes never match
    ("upvotes:5", ["a", "b"]),  # a bare number: at least
    ("upvotes:=5", ["b"]),
    ("robot cat:cs.RO upvotes:>10", ["a"]),  # with words
    ("robot -kind:new", ["b"]),
])
def test_metadata_tests(text: str, expected: list[str]) -> None:
    assert ids(text) == expected


@pytest.mark.parametrize("text, error", [
    ("kind:weird", "unknown kind:weird"),
    ("after:11/01/2026", "after: needs a date"),
    ("before:2026-13-01", "before: needs a date"),
    ("upvotes:many", "upvotes: needs a number"),
    ("cat:", "cat: needs a category"),
])
def test_bad_metadata_tests_say_what_is_wrong(text: str, error: str) -> None:
    query = parse_query(text)
    assert query.error is not None and error in query.error and not query.meta


def test_meta_only_queries_are_not_empty_and_the_queue_checks_what_it_knows() -> None:
    assert not parse_query("upvotes:>1").empty
    q = parse_query("cat:cs.LG after:2026-11-01 upvotes:>100")
    meta = (("cs.lg",), None, date(2026, 11, 5), None)  # a queue entry: no kind, no upvotes
    assert entry_matches(q, "t", "b", "a", meta)
    assert not entry_matches(q, "t", "b", "a", (("cs.ro",), None, date(2026, 11, 5), None))


def test_list_query_is_the_same_language(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code = main(["--data-dir", str(tmp_path), "list", str(SAMPLES), "--query", "cat:cs.LG", "--json"])
    out = capsys.readouterr().out
    import json

    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and rows and all("cs.LG" in r["categories"] for r in rows)
    main(["--data-dir", str(tmp_path), "list", str(SAMPLES), "--json"])
    every = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == sum("cs.LG" in r["categories"] for r in every)  # none missed, digest order kept
    assert [r["id"] for r in rows] == [r["id"] for r in every if "cs.LG" in r["categories"]]
    code = main(["--data-dir", str(tmp_path), "list", str(SAMPLES), "--query", "kind:zzz"])
    assert code == 2 and "unknown kind:zzz" in capsys.readouterr().err
    code = main(["--data-dir", str(tmp_path), "list", str(SAMPLES), "--query", "is:read"])
    assert code == 0 and capsys.readouterr().out == ""  # nothing read in a fresh data folder
