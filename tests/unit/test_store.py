"""The store: one paper per id across digests, day views, stable order, removal."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tui.model import Digest, Format, Kind, Paper, ParseResult
from tui.store import Store


def result(path: str, day: date | None, papers: list[Paper]) -> ParseResult:
    return ParseResult(Digest(Path(path), Format.ARXIV_EMAIL, date=day), papers)


def test_same_paper_in_two_digests_is_one_paper_remembering_both() -> None:
    store = Store()
    store.add(result("/d/a.txt", date(2026, 1, 20), [Paper("2601.1", "T", kind=Kind.REPLACED)]))
    store.add(result("/d/b.txt", date(2026, 1, 21), [Paper("2601.1", "T", abstract="Full text", upvotes=3)]))
    paper = store.get("2601.1")
    assert paper is not None
    assert [d.path.name for d in paper.digests] == ["a.txt", "b.txt"]
    assert paper.abstract == "Full text" and paper.upvotes == 3
    assert paper.kind is Kind.NEW  # a full entry beats a replacement notice
    assert store.counts["papers"] == 1


def test_days_newest_first_and_all_ids_stable() -> None:
    store = Store()
    store.add(result("/d/old.txt", date(2026, 1, 1), [Paper("1", "one"), Paper("2", "two")]))
    store.add(result("/d/new.txt", date(2026, 2, 1), [Paper("3", "three"), Paper("1", "one again")]))
    store.add(result("/d/undated.txt", None, [Paper("4", "four")]))
    assert [d.date for d in store.days()] == [date(2026, 2, 1), date(2026, 1, 1), None]
    assert store.ids_for(date(2026, 2, 1)) == ["3", "1"]
    assert store.all_ids() == ["3", "1", "2", "4"]
    assert store.ids_for("all") == store.all_ids()
    assert store.ids_for(date(1999, 1, 1)) == []


def test_duplicate_within_one_digest_kept_once() -> None:
    store = Store()
    digest = store.add(result("/d/a.txt", date(2026, 1, 1), [Paper("1", "x"), Paper("1", "x")]))
    assert digest.paper_ids == ["1"]


def test_reloading_a_file_replaces_it_and_removal_forgets_its_papers() -> None:
    store = Store()
    store.add(result("/d/a.txt", date(2026, 1, 1), [Paper("1", "x"), Paper("2", "y")]))
    store.add(result("/d/b.txt", date(2026, 1, 2), [Paper("2", "y")]))
    store.add(result("/d/a.txt", date(2026, 1, 1), [Paper("1", "x")]))  # re-read: "2" gone from a
    assert [d.path.name for d in store.get("2").digests] == ["b.txt"]
    assert len(store.digests) == 2
    assert store.remove_path(Path("/d/b.txt"))
    assert store.get("2") is None and store.get("1") is not None
    assert not store.remove_path(Path("/d/b.txt"))
    assert store.all_ids() == ["1"]


def test_links_from_two_digests_merge_without_duplicates() -> None:
    store = Store()
    store.add(result("/d/a.json", date(2026, 1, 1), [Paper("1", "x", links={"project": "https://p.example.org"})]))
    store.add(result("/d/b.xml", date(2026, 1, 2), [Paper("1", "x", links={"url1": "https://p.example.org", "pdf": "https://arxiv.org/pdf/1"})]))
    assert store.get("1").links == {"project": "https://p.example.org", "pdf": "https://arxiv.org/pdf/1"}


def test_a_title_only_paper_and_its_arxiv_twin_become_one() -> None:
    from tui.model import title_id

    store = Store()
    hf = Paper(title_id("Tidal Priors: For Protein Folding"), "Tidal Priors: For Protein Folding", upvotes=12, author_count=3)
    store.add(ParseResult(Digest(Path("/d/hf.txt"), Format.HF_TEXT, date=date(2026, 1, 2)), [hf, Paper(title_id("Other"), "Other")]))
    arxiv = Paper("2601.00042", "Tidal priors for protein folding", abstract="Full.", authors=("A. B",))
    store.add(result("/d/mail.txt", date(2026, 1, 3), [arxiv]))
    assert set(store.papers) == {"2601.00042", title_id("Other")}
    paper = store.get("2601.00042")
    assert paper.upvotes == 12 and paper.abstract == "Full." and paper.authors == ("A. B",)
    assert [d.path.name for d in paper.digests] == ["mail.txt", "hf.txt"]
    assert store.ids_for(date(2026, 1, 2)) == ["2601.00042", title_id("Other")]
    assert store.all_ids() == ["2601.00042", title_id("Other")]
